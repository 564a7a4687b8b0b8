import fs from 'node:fs';
import { clinicApi, oqsApi, type ProblemBody } from '@pmh/protocol';
import { UndeclaredAnswer, type Answer, type Endpoint, type Input, type Success } from '@pmh/protocol/contract';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { ClinicContext } from '../../context.ts';

/** A reception desk waits this long for OQS (which waits up to 5 s for the hub). */
export const OQS_TIMEOUT_MS = 8_000;

const oqsUnavailable = (detail: string) => new ProblemError(503, 'oqs-unavailable', detail, { headers: { 'retry-after': '5' } });

/** An OQS problem passed on to our caller with its status and type (card failures stay 401). */
function relayProblem(status: number, body: unknown): never {
  const p = body as Partial<ProblemBody> | undefined;
  const code = typeof p?.type === 'string' ? p.type.replace(/^urn:pmh:problem:/, '') : 'oqs-refused';
  throw new ProblemError(status, code, typeof p?.detail === 'string' ? p.detail : 'OQS refused the request.', { errors: p?.errors });
}

/**
 * The reception's API (seed A④), open to the clinic's own network: the reception page and the
 * clinic's own systems. Writes are rate-limited per address. It relays to OQS as the institution:
 * OQS's answer as it is (its problems with their status and type); OQS unreachable, or failing, → 503.
 */
export async function receptionRoutes(app: App, { config, oqs }: ClinicContext): Promise<void> {
  const reception = surface(app, { access: 'public', tags: ['clinic'] });

  async function toOqs<E extends Endpoint>(e: E, input: Input<E>): Promise<Success<E>> {
    let answer: Answer<E>;
    try {
      answer = await oqs.call(e, input);
    } catch (err) {
      if (err instanceof UndeclaredAnswer && err.status < 500) relayProblem(err.status, err.body);
      if (err instanceof UndeclaredAnswer) throw oqsUnavailable('OQS answered with an error. Try again shortly.');
      app.log.warn({ err: { message: (err as Error).message } }, 'OQS unreachable');
      throw oqsUnavailable('OQS (オンライン資格確認等システム) cannot be reached. Try again shortly.');
    }
    const { status, body } = answer as { status: number; body: unknown };
    if (status !== 200) relayProblem(status, body);
    return body as Success<E>;
  }

  reception.serve(clinicApi.institution, async () => ({ institutionCode: config.institutionCode, name: config.name }));

  reception.serve(clinicApi.readerCards, async () => {
    if (!config.cardsFile || !fs.existsSync(config.cardsFile)) return { cards: [] };
    const cards = JSON.parse(fs.readFileSync(config.cardsFile, 'utf8')) as Array<{ cardSerial: string; name: string; privateJwk: Record<string, unknown> }>;
    return { cards: cards.map((c) => ({ cardSerial: c.cardSerial, name: c.name, privateJwk: c.privateJwk })) };
  });

  reception.serve(clinicApi.issueCardChallenge, () => toOqs(oqsApi.issueCardChallenge, {}));

  reception.serve(clinicApi.checkEligibility, (req) => toOqs(oqsApi.checkEligibility, { body: { institutionCode: config.institutionCode, ...req.body } }));
}
