import fs from 'node:fs/promises';
import {
  AccessLogQuery,
  DemoCards,
  PortalAccessLog,
  PortalMe,
  PortalSubsidies,
  ProblemSchema,
  ResidentSubsidiesQuery,
  UndeclaredAnswer,
  errorResponses,
  hubApi,
  type Input,
  type Success,
} from '@pmh/protocol';
import { ProblemError } from '@pmh/core/http/problem';
import type { ServiceBase } from '@pmh/core/service';
import type { PortalConfig } from '../config.ts';
import { requireResident } from './session.ts';

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

/** The field errors of a problem the hub answered, as the portal's own (pointers and messages are the hub's words, never input). */
function fieldErrors(body: unknown): Array<{ pointer: string; message: string }> {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is { pointer: string; message: string } => typeof e?.pointer === 'string' && typeof e?.message === 'string')
    .map((e) => ({ pointer: e.pointer, message: e.message }));
}

/**
 * The resident's own views (`/portal/v1/me/…`, a session cookie): what PMH holds about them, merged
 * across municipalities, and who looked at it. The portal relays the hub's answers (their schemas
 * let nothing else through); an account not yet linked to PMH sees empty lists and `linked: false`.
 */
export async function meRoutes(base: ServiceBase): Promise<void> {
  const resident = requireResident(base);

  base.app.get(
    '/portal/v1/me',
    {
      config: { access: resident },
      schema: {
        tags: ['residents'],
        summary: 'The logged-in resident: whether their account is linked to PMH yet',
        response: { 200: PortalMe, 401: ProblemSchema },
      },
    },
    async (req) => ({ linked: req.resident!.pmhPseudonym !== null }),
  );

  base.app.get(
    '/portal/v1/me/subsidies',
    {
      config: { access: resident },
      schema: {
        tags: ['residents'],
        summary: 'My medical-subsidy certificates (受給者証) from every municipality, as in force at asOf (today by default)',
        description: 'Relayed from PMH. A subject under DV support measures never shows an address. 503 when PMH cannot be reached.',
        querystring: ResidentSubsidiesQuery,
        response: { 200: PortalSubsidies, ...errorResponses, 503: ProblemSchema },
      },
    },
    async (req) => {
      const pp = req.resident!.pmhPseudonym;
      const found = pp
        ? await askHub(base, 'subsidies', hubApi.residents.subsidies, { params: { pmhPseudonym: pp }, query: { asOf: req.query.asOf } })
        : undefined;
      return found ? { ...found, linked: true } : { subjects: [], certificates: [], linked: false };
    },
  );

  base.app.get(
    '/portal/v1/me/access-log',
    {
      config: { access: resident },
      schema: {
        tags: ['residents'],
        summary: 'Who looked at my data at PMH: medical institutions, municipalities, operators; newest first',
        description: 'Relayed from PMH’s audit log, without my own views. Page with `before` = the previous `nextBefore`. 503 when PMH cannot be reached.',
        querystring: AccessLogQuery,
        response: { 200: PortalAccessLog, ...errorResponses, 503: ProblemSchema },
      },
    },
    async (req) => {
      const pp = req.resident!.pmhPseudonym;
      const found = pp
        ? await askHub(base, 'access-log', hubApi.residents.accessLog, {
            params: { pmhPseudonym: pp },
            query: { limit: req.query.limit, before: req.query.before },
          })
        : undefined;
      return found ? { ...found, linked: true } : { items: [], linked: false };
    },
  );

  const demo = (base.config as PortalConfig).demo;
  if (demo) {
    base.app.get(
      '/portal/v1/demo/cards',
      {
        config: { access: 'public' },
        schema: {
          tags: ['demo'],
          summary: 'The demo’s simulated My Number Cards, private keys included (demo only)',
          description:
            'Exists only in the demo (when the portal is started with a demo cards file); absent (404) in any other deployment. The demo’s ' +
            'browser pages sign login challenges with these keys, standing in for the physical card and its reader.',
          response: { 200: DemoCards, 404: ProblemSchema, 503: ProblemSchema },
        },
      },
      async () => {
        let text: string;
        try {
          text = await fs.readFile(demo.cardsFile, 'utf8');
        } catch {
          throw new ProblemError(404, 'not-found', 'No demo cards have been made yet.');
        }
        const cards = parseDemoCards(text);
        if (!cards) {
          base.log.error('demo cards: the file is not a list of { cardSerial, privateJwk, name }');
          throw new ProblemError(503, 'demo-cards-unavailable', 'The demo cards cannot be read.');
        }
        return { cards };
      },
    );
  }
}

function parseDemoCards(text: string): DemoCards['cards'] | undefined {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const cards: DemoCards['cards'] = [];
  for (const c of list as Array<Record<string, any>>) {
    const k = c?.privateJwk;
    if (!str(c?.cardSerial) || !/^[0-9A-F]{16}$/.test(c.cardSerial) || !str(c?.name) || !k || ![k.kty, k.crv, k.x, k.y, k.d].every(str)) return undefined;
    cards.push({ cardSerial: c.cardSerial, name: c.name, privateJwk: { kty: k.kty, crv: k.crv, x: k.x, y: k.y, d: k.d } });
  }
  return cards;
}
