import fs from 'node:fs';
import type { Logger } from 'pino';
import type { JWK } from 'jose';
import { Type } from 'typebox';
import { CardAuthentication, CardChallenge, DateIn, EligibilityAnswer, InstitutionCode, errorResponses } from '@pmh/protocol';
import { createApp, type App, type ObservedExchange } from '@pmh/core/http/app';
import type { RateLimitSettings } from '@pmh/core/http/rate-limit';
import { ProblemError } from '@pmh/core/http/problem';
import { TokenClient } from '@pmh/core/auth/index';

/**
 * The medical-institution system (医療機関システム) at reception, seed A④: it holds nothing about
 * residents beyond what a visit shows. Its API is open to the clinic's own network (no credential
 * of its own: the card and the patient's consent are what it relays); writes are rate-limited per address. It asks OQS, as the institution (client `clinic:<code>`),
 * for a card challenge and for eligibility; the card signs the challenge at the reader. Its JSON API
 * serves the reception page and the clinic's own systems on the clinic's network.
 */
export interface ClinicConfig {
  institutionCode: string;
  name: string;
  /** The institution's OAuth client at OQS and its signing key. */
  clientId: string;
  privateJwk: JWK;
  oqsUrl: string;
  logger: Logger;
  /** The simulated card reader's cards (`data/demo/cards.json`); without it the reader is empty. */
  cardsFile?: string;
  /** Registers extra routes (the reception page) before the app is ready. */
  pages?: (app: App) => Promise<void> | void;
  observe?: (e: ObservedExchange) => void;
  /** Rate limits of its writes, per address; the environment's (`PMH_RATE_LIMIT…`) when absent. */
  rateLimit?: Partial<RateLimitSettings>;
}

export interface Clinic {
  app: App;
  close(): Promise<void>;
}

/** A reception desk waits this long for OQS (which waits up to 5 s for the hub). */
const OQS_TIMEOUT_MS = 8_000;

const EligibilityRequest = Type.Object(
  {
    cardAuthentication: CardAuthentication,
    consent: Type.Object(
      { medicalSubsidy: Type.Boolean({ description: '公費医療費助成の情報提供への同意 (the patient’s choice on the reader)' }) },
      { additionalProperties: false },
    ),
    asOf: Type.Optional(DateIn('service', '基準日; today when absent')),
  },
  { additionalProperties: false },
);

const DemoCard = Type.Object({ cardSerial: Type.String(), name: Type.String(), privateJwk: Type.Record(Type.String(), Type.Unknown()) });

export async function buildClinic(config: ClinicConfig): Promise<Clinic> {
  const app = await createApp({
    service: 'clinic',
    description: `医療機関システム (${config.name}): card challenges and medical-subsidy eligibility through OQS, for the reception page and the clinic's own systems.`,
    logger: config.logger,
    ready: async () => {},
    observe: config.observe,
    rateLimit: config.rateLimit,
  });
  const tokens = new TokenClient({ baseUrl: config.oqsUrl, clientId: config.clientId, privateJwk: config.privateJwk as any });

  /** Relays one call to OQS: its answer (2xx or problem) as it is; OQS unreachable → 503. */
  async function toOqs(path: string, body: unknown): Promise<{ status: number; body: any }> {
    const send = async () =>
      fetch(config.oqsUrl + path, {
        method: 'POST',
        headers: { authorization: await tokens.authorization(), 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
        signal: AbortSignal.timeout(OQS_TIMEOUT_MS),
      });
    let res: Response;
    try {
      res = await send();
      if (res.status === 401 && res.headers.has('www-authenticate')) {
        tokens.invalidate();
        res = await send();
      }
    } catch (e) {
      app.log.warn({ err: { message: (e as Error).message } }, 'OQS unreachable');
      throw new ProblemError(503, 'oqs-unavailable', 'OQS (オンライン資格確認等システム) cannot be reached. Try again shortly.', {
        headers: { 'retry-after': '5' },
      });
    }
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (res.status >= 500)
      throw new ProblemError(503, 'oqs-unavailable', 'OQS answered with an error. Try again shortly.', { headers: { 'retry-after': '5' } });
    return { status: res.status, body: parsed };
  }

  /** An OQS problem passed on to our caller with its status and type (card failures stay 401). */
  function relayProblem(answer: { status: number; body: any }): never {
    const code = typeof answer.body?.type === 'string' ? answer.body.type.replace(/^urn:pmh:problem:/, '') : 'oqs-refused';
    throw new ProblemError(answer.status, code, typeof answer.body?.detail === 'string' ? answer.body.detail : 'OQS refused the request.', {
      errors: answer.body?.errors,
    });
  }

  app.get(
    '/clinic/v1/institution',
    {
      config: { access: 'public' },
      schema: {
        tags: ['clinic'],
        summary: 'This medical institution',
        response: { 200: Type.Object({ institutionCode: InstitutionCode, name: Type.String() }) },
      },
    },
    async () => ({ institutionCode: config.institutionCode, name: config.name }),
  );

  app.get(
    '/clinic/v1/card-reader/cards',
    {
      config: { access: 'public' },
      schema: {
        tags: ['clinic'],
        summary: 'The simulated card reader: the demo My Number Cards that can be "placed" on it',
        description: 'Demo only. A real card never gives up its private key; here the page signs with it in the browser, as the card would.',
        response: { 200: Type.Object({ cards: Type.Array(DemoCard) }) },
      },
    },
    async () => {
      if (!config.cardsFile || !fs.existsSync(config.cardsFile)) return { cards: [] };
      const cards = JSON.parse(fs.readFileSync(config.cardsFile, 'utf8')) as Array<{ cardSerial: string; name: string; privateJwk: Record<string, unknown> }>;
      return { cards: cards.map((c) => ({ cardSerial: c.cardSerial, name: c.name, privateJwk: c.privateJwk })) };
    },
  );

  app.post(
    '/clinic/v1/card-challenges',
    {
      config: { access: 'public' },
      schema: {
        tags: ['clinic'],
        summary: 'A challenge from OQS for the card to sign (single use, 60 s)',
        response: { 200: CardChallenge, ...errorResponses },
      },
    },
    async () => {
      const answer = await toOqs('/oqs/v1/card-challenges', undefined);
      if (answer.status !== 200) relayProblem(answer);
      return answer.body;
    },
  );

  app.post(
    '/clinic/v1/eligibility-checks',
    {
      config: { access: 'public' },
      schema: {
        tags: ['clinic'],
        summary: "The patient's medical-subsidy eligibility, after card authentication and the patient's consent",
        description:
          'Relays to OQS as this institution. 200 with `eligible` and the certificates, or `not-eligible` with a reason: `not-consented`, ' +
          '`not-linked`, `no-eligibility`, `expired`, `hub-unavailable`, `hub-refused`. 401 when the card is not authenticated; 503 when OQS is unreachable.',
        body: EligibilityRequest,
        response: { 200: EligibilityAnswer, ...errorResponses },
      },
    },
    async (req) => {
      const answer = await toOqs('/oqs/v1/eligibility-checks', { institutionCode: config.institutionCode, ...req.body });
      if (answer.status !== 200) relayProblem(answer);
      return answer.body;
    },
  );

  await config.pages?.(app);
  await app.ready();
  return { app, close: () => app.close() };
}
