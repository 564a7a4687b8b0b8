import { oqsApi, type SessionLogin } from '@pmh/protocol';
import { ProblemError } from '@pmh/core/http/problem';
import type { ServiceBase } from '@pmh/core/service';
import type { Answer } from '@pmh/protocol/contract';
import { PSEUDONYM } from '../domain/sessions.ts';

/**
 * The card holder's 仮名識別子 as OQS vouches for it (a resident's login, a clinic's consent), or the
 * problem to answer. Never logs the serial or the pseudonym.
 */
export async function verifyCard(base: ServiceBase, card: SessionLogin): Promise<string> {
  const unavailable = () => new ProblemError(503, 'card-verification-unavailable', 'The card cannot be checked right now. Try again in a moment.');
  let answer: Answer<typeof oqsApi.verifyCard>;
  try {
    answer = await base.peer('oqs').call(oqsApi.verifyCard, { body: card }, { timeoutMs: 10_000 });
  } catch (e) {
    base.log.warn({ err: { message: (e as Error).message } }, 'card verification: OQS unavailable');
    throw unavailable();
  }
  if (answer.status === 200 && PSEUDONYM.test(answer.body.pseudonym)) return answer.body.pseudonym;
  if (answer.status === 401) throw new ProblemError(401, 'card-authentication-failed', 'The card could not be authenticated.');
  if (answer.status === 404)
    throw new ProblemError(403, 'no-portal-account', 'This card’s holder has no portal account yet: their insurer enrolment has not reached the system.');
  base.log.warn({ status: answer.status }, 'card verification: unexpected answer from OQS');
  throw unavailable();
}
