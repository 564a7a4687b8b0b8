import type { ProblemBody } from '@pmh/protocol';
import { UndeclaredAnswer, type ApiClient, type Answer, type Endpoint, type Input, type Success } from '@pmh/protocol/contract';
import { ProblemError } from '@pmh/core/http/problem';
import type { App } from '@pmh/core/http/app';

/** The members of a problem body that are the problem itself; anything else (`warnings`, `reason`) is passed on as it came. */
const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'errors', 'instance']);

/**
 * A peer's problem passed on to our caller with its status, type, field errors and extra members (a
 * refused record's `warnings`): the clinic adds nothing and keeps nothing. Our peers (OQS, the portal)
 * write their problems without personal data, so passing them on shows none either.
 */
export function relayProblem(status: number, body: unknown, fallback: string): never {
  const p = (typeof body === 'object' && body !== null ? body : {}) as Partial<ProblemBody> & Record<string, unknown>;
  const code = typeof p.type === 'string' ? p.type.replace(/^urn:pmh:problem:/, '') : fallback;
  const extra = Object.fromEntries(Object.entries(p).filter(([k]) => !PROBLEM_MEMBERS.has(k)));
  throw new ProblemError(status, code, typeof p.detail === 'string' ? p.detail : 'The request was refused.', {
    errors: p.errors,
    extra: Object.keys(extra).length > 0 ? extra : undefined,
  });
}

export interface PeerRelay {
  /** Calls `e` at the peer: its 2xx answer (status and body), or its problem thrown as ours; unreachable or failing → 503. */
  call<E extends Endpoint>(e: E, input: Input<E>): Promise<{ status: number; body: Success<E> }>;
}

/**
 * How the clinic relays to a peer it calls as the institution (OQS for eligibility, the portal for
 * vaccination): the peer's answer as it is, its problems with their status and type; the peer
 * unreachable, or failing with a 5xx, is a 503 with Retry-After naming the peer in Japanese.
 */
export function peerRelay(app: App, client: ApiClient, peer: { code: string; name: string; refused: string }): PeerRelay {
  const unavailable = (detail: string) => new ProblemError(503, peer.code, detail, { headers: { 'retry-after': '5' } });
  return {
    async call(e, input) {
      let answer: Answer<typeof e>;
      try {
        answer = await client.call(e, input);
      } catch (err) {
        if (err instanceof UndeclaredAnswer && err.status < 500) relayProblem(err.status, err.body, peer.refused);
        if (err instanceof UndeclaredAnswer) throw unavailable(`${peer.name} answered with an error. Try again shortly.`);
        app.log.warn({ err: { message: (err as Error).message } }, `${peer.code}: peer unreachable`);
        throw unavailable(`${peer.name} cannot be reached. Try again shortly.`);
      }
      const { status, body } = answer as { status: number; body: unknown };
      if (status < 200 || status >= 300) relayProblem(status, body, peer.refused);
      return { status, body: body as Success<typeof e> };
    },
  };
}
