import { ACTING_GUARDIAN_HEADER, FHIR_JSON, UndeclaredAnswer, hubApi, portalApi, type Input, type Success } from '@pmh/protocol';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import { ProblemError, type FieldError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { ServiceBase } from '@pmh/core/service';
import type { FastifyRequest } from 'fastify';
import type { PortalContext } from '../../context.ts';
import { decodeCursor, encodeCursor } from '../../domain/inbox-cursor.ts';
import { verifyCard } from '../../federation/card.ts';
import { accountByPseudonym, addDependant, dependantOf, dependantsOf } from '../../store/dependants.ts';
import { immunizationBundle } from '../../domain/fhir-immunization.ts';
import { inbox, markRead } from '../../store/notifications.ts';
import { accountForLogin, consumeChallenge } from '../../store/sessions.ts';
import { requireResident, type Resident } from '../doors.ts';

/** How long a resident's page waits for the hub before being told it is unavailable. */
const HUB_TIMEOUT_MS = 10_000;

/** The name a dependant gets in the switcher when PMH has none to give (the child is not linked yet). */
const DEFAULT_DEPENDANT_NAME = 'お子さま';

/** The purpose the portal's audit rows give what a guardian does for a dependant. */
const GUARDIAN_ACTING = 'guardian-acting';

const hubUnavailable = () => new ProblemError(503, 'hub-unavailable', 'PMH cannot be reached right now. Try again in a moment.');

/** Whose data a `/me/…` request is about: the logged-in resident, or a dependant they act for (`?for=`). */
interface Person {
  accountId: string;
  pmhPseudonym: string | null;
  /** Set when a guardian acts: the logged-in resident. */
  guardian?: Resident;
}

type ResidentEndpoint = (typeof hubApi.residents)[keyof typeof hubApi.residents];

/**
 * Asks the hub about a person, with the portal's own credentials, the person's PMH pseudonym and —
 * when a guardian acts — the `Acting-Guardian` header naming the guardian by their PMH pseudonym
 * (never by the 仮名識別子, which the hub must not learn). Answers the hub's status and body, or
 * undefined when the hub knows no such link yet (nothing to show). The person's own mistakes the hub
 * names (400, 404, 409, 422) are relayed with the hub's field errors; anything else is a 503.
 */
async function askHub<E extends ResidentEndpoint>(
  base: ServiceBase,
  what: string,
  e: E,
  input: Input<E>,
  person?: Person,
): Promise<{ status: number; body: Success<E> } | undefined> {
  const headers = person?.guardian ? { [ACTING_GUARDIAN_HEADER]: person.guardian.pmhPseudonym ?? 'unlinked' } : undefined;
  let answer: { status: number; body: unknown };
  try {
    answer = await base.peer('hub').call(e, { ...input, ...(headers ? { headers } : {}) } as Input<E>, { timeoutMs: HUB_TIMEOUT_MS });
  } catch (err) {
    // A 4xx the endpoint does not declare is an unexpected answer (below); a 5xx or no answer: unavailable.
    if (err instanceof UndeclaredAnswer && err.status < 500) answer = err;
    else {
      base.log.warn({ err: { message: (err as Error).message } }, `resident ${what}: hub unavailable`);
      throw hubUnavailable();
    }
  }
  if (answer.status === 200 || answer.status === 201) return answer as { status: number; body: Success<E> };
  const problem = answer.body as { type?: unknown; detail?: unknown } | undefined;
  if (answer.status === 404 && problem?.type === 'urn:pmh:problem:not-linked') return undefined;
  if ([400, 404, 409, 422].includes(answer.status)) {
    // The hub's own words (codes, pointers, messages), never the input: safe to pass on.
    const code = typeof problem?.type === 'string' ? (/^urn:pmh:problem:([a-z0-9-]+)$/.exec(problem.type)?.[1] ?? 'error') : 'error';
    const detail = typeof problem?.detail === 'string' ? problem.detail : 'The request was refused.';
    throw new ProblemError(answer.status, code, detail, { errors: fieldErrors(answer.body) });
  }
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
function fieldErrors(body: unknown): FieldError[] | undefined {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return undefined;
  return errors
    .filter((e): e is { pointer: string; message: string } => typeof e?.pointer === 'string' && typeof e?.message === 'string')
    .map((e) => ({ pointer: e.pointer, message: e.message }));
}

/**
 * The resident's own views (`/portal/v1/me/…`, a session cookie at the door): what PMH holds about
 * them, merged across municipalities, and who looked at it; their questionnaires; their inbox. The
 * portal relays the hub's answers (their schemas let nothing else through); an account not yet linked
 * to PMH sees empty lists and `linked: false`.
 *
 * Guardians (代理人): a resident adds a dependant with the child's card, and every endpoint here then
 * takes `?for=<dependantId>` — only an id of the logged-in resident's own dependants, else 404 — and
 * answers for the child. The hub records what a guardian does as the guardian's (`Acting-Guardian`),
 * so the child's access log lists it; the portal's own audit log records it too.
 */
export async function residentRoutes(app: App, ctx: PortalContext): Promise<void> {
  const { base, db } = ctx;
  const resident = surface(app, { access: requireResident(ctx), tags: ['residents'] });

  /** The person a request is about (see Person); audits a guardian's act at the portal. */
  async function personOf(req: FastifyRequest, what: string): Promise<Person> {
    const me = req.resident!;
    const forId = (req.query as { for?: string } | undefined)?.for;
    if (forId === undefined) return me;
    const d = await dependantOf(db, me.accountId, forId);
    if (!d) throw new ProblemError(404, 'dependant-not-found', 'You act for no dependant with that id.');
    await auditGuardian(`guardian.${what}`, me, d.accountId);
    return { accountId: d.accountId, pmhPseudonym: d.pmhPseudonym, guardian: me };
  }

  const auditGuardian = (action: string, guardian: Resident, dependantAccountId: string) =>
    db.transaction().execute((trx) =>
      appendAudit(trx, [
        {
          stream: auditStream('resident', dependantAccountId),
          actor: 'resident',
          action,
          subjectRef: dependantAccountId,
          purpose: GUARDIAN_ACTING,
          outcome: 'ok',
          detail: { guardian: guardian.accountId },
        },
      ]),
    );

  resident.serve(portalApi.me, async (req) => ({ linked: (await personOf(req, 'me.read')).pmhPseudonym !== null }));

  resident.serve(portalApi.mySubsidies, async (req) => {
    const p = await personOf(req, 'subsidies.read');
    const found = p.pmhPseudonym
      ? await askHub(base, 'subsidies', hubApi.residents.subsidies, { params: { pmhPseudonym: p.pmhPseudonym }, query: { asOf: req.query.asOf } }, p)
      : undefined;
    return found ? { ...found.body, linked: true } : { subjects: [], certificates: [], linked: false };
  });

  resident.serve(portalApi.myVaccinations, async (req) => {
    const p = await personOf(req, 'vaccinations.read');
    const found = p.pmhPseudonym
      ? await askHub(base, 'vaccinations', hubApi.residents.vaccinations, { params: { pmhPseudonym: p.pmhPseudonym } }, p)
      : undefined;
    return found ? { ...found.body, linked: true } : { records: [], forecast: [], linked: false };
  });

  resident.serve(portalApi.myCheckups, async (req) => {
    const p = await personOf(req, 'checkups.read');
    const found = p.pmhPseudonym ? await askHub(base, 'checkups', hubApi.residents.checkups, { params: { pmhPseudonym: p.pmhPseudonym } }, p) : undefined;
    return found ? { ...found.body, linked: true } : { vouchers: [], results: [], linked: false };
  });

  resident.serve(portalApi.myVaccinationsFhir, async (req, reply) => {
    const p = await personOf(req, 'vaccinations.fhir.read');
    const found = p.pmhPseudonym
      ? (await askHub(base, 'vaccinations', hubApi.residents.vaccinations, { params: { pmhPseudonym: p.pmhPseudonym } }, p))?.body
      : undefined;
    const names = found?.records.length ? await vaccineNames(base) : new Map<string, string>();
    // Sent as text: the Bundle is FHIR's shape, not this contract's (whose schema declares only its envelope).
    return reply.type(FHIR_JSON).send(JSON.stringify(immunizationBundle(found?.records ?? [], names)));
  });

  resident.serve(portalApi.myAccessLog, async (req) => {
    const p = await personOf(req, 'access-log.read');
    const found = p.pmhPseudonym
      ? await askHub(
          base,
          'access-log',
          hubApi.residents.accessLog,
          { params: { pmhPseudonym: p.pmhPseudonym }, query: { limit: req.query.limit, before: req.query.before } },
          p,
        )
      : undefined;
    return found ? { ...found.body, linked: true } : { items: [], linked: false };
  });

  resident.serve(portalApi.myQuestionnaires, async (req) => {
    const p = await personOf(req, 'questionnaires.read');
    const found = p.pmhPseudonym
      ? await askHub(base, 'questionnaires', hubApi.residents.questionnaires, { params: { pmhPseudonym: p.pmhPseudonym } }, p)
      : undefined;
    return found ? found.body : [];
  });

  const notLinked = () =>
    new ProblemError(
      409,
      'not-linked',
      'This account is not linked to PMH yet: a municipality has not registered the person. Questionnaires can be filled in once it has.',
    );

  resident.serve(portalApi.createQuestionnaire, async (req, reply) => {
    const p = await personOf(req, 'questionnaire.create');
    if (!p.pmhPseudonym) throw notLinked();
    const found = await askHub(base, 'questionnaire', hubApi.residents.createQuestionnaire, { params: { pmhPseudonym: p.pmhPseudonym }, body: req.body }, p);
    if (!found) throw notLinked();
    reply.status(found.status === 201 ? 201 : 200);
    return found.body;
  });

  resident.serve(portalApi.updateQuestionnaire, async (req) => {
    const p = await personOf(req, 'questionnaire.update');
    if (!p.pmhPseudonym) throw notLinked();
    const found = await askHub(
      base,
      'questionnaire',
      hubApi.residents.updateQuestionnaire,
      { params: { pmhPseudonym: p.pmhPseudonym, questionnaireId: req.params.questionnaireId }, body: req.body },
      p,
    );
    if (!found) throw notLinked();
    return found.body;
  });

  resident.serve(portalApi.myNotifications, async (req) => {
    const p = await personOf(req, 'notifications.read');
    let before: ReturnType<typeof decodeCursor>;
    if (req.query.before) {
      before = decodeCursor(req.query.before);
      if (!before)
        throw new ProblemError(400, 'validation', 'The page cursor is not one this inbox gave.', {
          errors: [{ pointer: '/query/before', message: 'is not a valid cursor' }],
        });
    }
    const page = await inbox(db, p.accountId, req.query.limit ? Number(req.query.limit) : 50, before);
    return { items: page.items, unread: page.unread, ...(page.next ? { nextBefore: encodeCursor(page.next) } : {}) };
  });

  resident.serve(portalApi.markNotificationRead, async (req, reply) => {
    const p = await personOf(req, 'notification.read');
    if (!(await markRead(db, p.accountId, req.params.id))) throw new ProblemError(404, 'not-found', 'You have no notification with that id.');
    return reply.status(204).send(null);
  });

  // --- guardians (代理人) ---------------------------------------------------------------------

  resident.serve(portalApi.addDependant, async (req, reply) => {
    const me = req.resident!;
    if (!(await consumeChallenge(db, req.body.challenge)))
      throw new ProblemError(401, 'challenge-invalid', 'The challenge is unknown, was already used or has expired. Ask for a new one.');
    const pseudonym = await verifyCard(base, req.body);
    // The child's account, made as a first login would make it (OQS's links give it a PMH link later).
    const child = await db.transaction().execute((trx) => accountForLogin(trx, pseudonym));
    if (child.id === me.accountId)
      throw new ProblemError(422, 'validation', 'This is your own card: add your child with the child’s card.', {
        errors: [{ pointer: '/cardSerial', message: 'is your own card, not a dependant’s' }],
      });
    let displayName = req.body.displayName;
    const childPp = (await accountByPseudonym(db, pseudonym))?.pmhPseudonym ?? null;
    if (displayName === undefined && childPp) {
      // The name PMH holds, read as the guardian (the child's access log shows it).
      const profile = await askHub(
        base,
        'profile',
        hubApi.residents.profile,
        { params: { pmhPseudonym: childPp } },
        {
          accountId: child.id,
          pmhPseudonym: childPp,
          guardian: me,
        },
      );
      displayName = profile?.body.displayName;
    }
    const added = await db.transaction().execute(async (trx) => {
      const r = await addDependant(trx, me.accountId, child.id, displayName ?? DEFAULT_DEPENDANT_NAME);
      await appendAudit(trx, [
        {
          stream: auditStream('resident', child.id),
          actor: 'resident',
          action: 'guardian.dependant.add',
          subjectRef: child.id,
          purpose: GUARDIAN_ACTING,
          outcome: r.created ? 'ok' : 'already-added',
          detail: { guardian: me.accountId },
        },
      ]);
      return r;
    });
    reply.status(added.created ? 201 : 200);
    return { dependantId: added.dependantId, displayName: added.displayName };
  });

  resident.serve(portalApi.myDependants, async (req) => ({
    dependants: (await dependantsOf(db, req.resident!.accountId)).map((d) => ({
      dependantId: d.dependantId,
      displayName: d.displayName,
      linked: d.pmhPseudonym !== null,
      addedAt: d.addedAt,
    })),
  }));
}
