import { FHIR_JSON, UndeclaredAnswer, hubApi, portalApi, type Input, type Success } from '@pmh/protocol';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { ServiceBase } from '@pmh/core/service';
import type { PortalContext } from '../../context.ts';
import { decodeCursor, encodeCursor } from '../../domain/inbox-cursor.ts';
import { immunizationBundle } from '../../domain/fhir-immunization.ts';
import { inbox, markRead } from '../../store/notifications.ts';
import { requireResident } from '../doors.ts';

/** How long a resident's page waits for the hub before being told it is unavailable. */
const HUB_TIMEOUT_MS = 10_000;

const hubUnavailable = () => new ProblemError(503, 'hub-unavailable', 'PMH cannot be reached right now. Try again in a moment.');

/**
 * Asks the hub about the resident, with the portal's own credentials and the resident's PMH
 * pseudonym. Answers the hub's body, or undefined when the hub knows no such link yet (the portal
 * made the pseudonym, the hub has not acknowledged it): nothing to show. Anything else is a 503.
 */
async function askHub<E extends (typeof hubApi.residents)[keyof typeof hubApi.residents]>(
  base: ServiceBase,
  what: string,
  e: E,
  input: Input<E>,
): Promise<Success<E> | undefined> {
  let answer: { status: number; body: unknown };
  try {
    answer = await base.peer('hub').call(e, input, { timeoutMs: HUB_TIMEOUT_MS });
  } catch (err) {
    // A 4xx the endpoint does not declare is an unexpected answer (below); a 5xx or no answer: unavailable.
    if (err instanceof UndeclaredAnswer && err.status < 500) answer = err;
    else {
      base.log.warn({ err: { message: (err as Error).message } }, `resident ${what}: hub unavailable`);
      throw hubUnavailable();
    }
  }
  if (answer.status === 200) return answer.body as Success<E>;
  if (answer.status === 404 && (answer.body as { type?: unknown } | undefined)?.type === 'urn:pmh:problem:not-linked') return undefined;
  // The resident's own query was refused (e.g. a made-up page cursor): theirs to fix, not a 503.
  if (answer.status === 400) throw new ProblemError(400, 'validation', 'The request does not match the schema.', { errors: fieldErrors(answer.body) });
  base.log.warn({ status: answer.status }, `resident ${what}: unexpected answer from the hub`);
  throw hubUnavailable();
}

/** The routine vaccines' Japanese names, from PMH's public catalogue (for the FHIR `display`); none when it cannot be read. */
async function vaccineNames(base: ServiceBase): Promise<Map<string, string>> {
  try {
    const answer = await base.peer('hub').call(hubApi.public.vaccinationCatalogue, {}, { timeoutMs: HUB_TIMEOUT_MS });
    if (answer.status === 200) return new Map(answer.body.vaccines.map((v) => [v.vaccineCode, v.name]));
  } catch (err) {
    base.log.warn({ err: { message: (err as Error).message } }, 'vaccination catalogue unavailable: FHIR codes without display');
  }
  return new Map();
}

/** The field errors of a problem the hub answered, as the portal's own (pointers and messages are the hub's words, never input). */
function fieldErrors(body: unknown): Array<{ pointer: string; message: string }> {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is { pointer: string; message: string } => typeof e?.pointer === 'string' && typeof e?.message === 'string')
    .map((e) => ({ pointer: e.pointer, message: e.message }));
}

/**
 * The resident's own views (`/portal/v1/me/…`, a session cookie at the door): what PMH holds about
 * them, merged across municipalities, and who looked at it; and their inbox. The portal relays the
 * hub's answers (their schemas let nothing else through); an account not yet linked to PMH sees
 * empty lists and `linked: false`.
 */
export async function residentRoutes(app: App, ctx: PortalContext): Promise<void> {
  const { base, db } = ctx;
  const resident = surface(app, { access: requireResident(ctx), tags: ['residents'] });

  resident.serve(portalApi.me, async (req) => ({ linked: req.resident!.pmhPseudonym !== null }));

  resident.serve(portalApi.mySubsidies, async (req) => {
    const pp = req.resident!.pmhPseudonym;
    const found = pp
      ? await askHub(base, 'subsidies', hubApi.residents.subsidies, { params: { pmhPseudonym: pp }, query: { asOf: req.query.asOf } })
      : undefined;
    return found ? { ...found, linked: true } : { subjects: [], certificates: [], linked: false };
  });

  resident.serve(portalApi.myVaccinations, async (req) => {
    const pp = req.resident!.pmhPseudonym;
    const found = pp ? await askHub(base, 'vaccinations', hubApi.residents.vaccinations, { params: { pmhPseudonym: pp } }) : undefined;
    return found ? { ...found, linked: true } : { records: [], forecast: [], linked: false };
  });

  resident.serve(portalApi.myVaccinationsFhir, async (req, reply) => {
    const pp = req.resident!.pmhPseudonym;
    const found = pp ? await askHub(base, 'vaccinations', hubApi.residents.vaccinations, { params: { pmhPseudonym: pp } }) : undefined;
    const names = found?.records.length ? await vaccineNames(base) : new Map<string, string>();
    // Sent as text: the Bundle is FHIR's shape, not this contract's (whose schema declares only its envelope).
    return reply.type(FHIR_JSON).send(JSON.stringify(immunizationBundle(found?.records ?? [], names)));
  });

  resident.serve(portalApi.myAccessLog, async (req) => {
    const pp = req.resident!.pmhPseudonym;
    const found = pp
      ? await askHub(base, 'access-log', hubApi.residents.accessLog, {
          params: { pmhPseudonym: pp },
          query: { limit: req.query.limit, before: req.query.before },
        })
      : undefined;
    return found ? { ...found, linked: true } : { items: [], linked: false };
  });

  resident.serve(portalApi.myNotifications, async (req) => {
    let before: ReturnType<typeof decodeCursor>;
    if (req.query.before) {
      before = decodeCursor(req.query.before);
      if (!before)
        throw new ProblemError(400, 'validation', 'The page cursor is not one this inbox gave.', {
          errors: [{ pointer: '/query/before', message: 'is not a valid cursor' }],
        });
    }
    const page = await inbox(db, req.resident!.accountId, req.query.limit ? Number(req.query.limit) : 50, before);
    return { items: page.items, unread: page.unread, ...(page.next ? { nextBefore: encodeCursor(page.next) } : {}) };
  });

  resident.serve(portalApi.markNotificationRead, async (req, reply) => {
    if (!(await markRead(db, req.resident!.accountId, req.params.id))) throw new ProblemError(404, 'not-found', 'You have no notification with that id.');
    return reply.status(204).send(null);
  });
}
