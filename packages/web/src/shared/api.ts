/**
 * The JSON APIs of the service that serves the page, called by their contract (the endpoints of
 * @pmh/protocol): same origin, so the session cookie goes along. A field renamed in the contract
 * fails this package's type check.
 */
import { ApiClient, UndeclaredAnswer, type Endpoint, type Input, type Success } from '@pmh/protocol/contract';
import type { ProblemBody } from '@pmh/protocol/common';

export type Problem = Partial<ProblemBody>;

/** An answer that is not 2xx, with the problem's code (`urn:pmh:problem:<code>`), or `network` when nothing answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly problem?: Problem,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
  }
}

function problemCode(p: Problem | undefined, status: number): string {
  if (p?.type?.startsWith('urn:pmh:problem:')) return p.type.slice('urn:pmh:problem:'.length);
  return `http-${status}`;
}

const sameOrigin = new ApiClient('', { init: { credentials: 'same-origin' } });

/** Calls an endpoint of this page's own service: its success body, or an `ApiError`. */
export async function call<E extends Endpoint>(e: E, input: Input<E>): Promise<Success<E>> {
  let answer: { status: number; body: unknown };
  try {
    answer = await sameOrigin.call(e, input);
  } catch (err) {
    if (err instanceof UndeclaredAnswer) answer = err;
    else throw new ApiError(0, 'network');
  }
  const problem = typeof answer.body === 'object' && answer.body !== null ? (answer.body as Problem) : undefined;
  if (answer.status < 200 || answer.status >= 300) throw new ApiError(answer.status, problemCode(problem, answer.status), problem);
  return answer.body as Success<E>;
}
