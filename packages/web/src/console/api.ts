/**
 * The console's calls: same origin (the session cookie goes along), and every request carries
 * X-Requested-With, which the hub requires of a write with the console cookie (a cross-site form
 * cannot send it).
 */
import { ApiClient, UndeclaredAnswer, type Endpoint, type Input, type Success } from '@pmh/protocol/contract';
import { ApiError, type Problem } from '../shared/api.ts';

export const CSRF = { 'x-requested-with': 'pmh-console' };

const client = new ApiClient('', {
  init: { credentials: 'same-origin' },
  fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...CSRF } }),
});

function codeOf(p: Problem | undefined, status: number): string {
  return p?.type?.startsWith('urn:pmh:problem:') ? p.type.slice('urn:pmh:problem:'.length) : `http-${status}`;
}

export async function call<E extends Endpoint>(e: E, input: Input<E>): Promise<Success<E>> {
  let answer: { status: number; body: unknown };
  try {
    answer = await client.call(e, input);
  } catch (err) {
    if (err instanceof UndeclaredAnswer) answer = err;
    else throw new ApiError(0, 'network');
  }
  const problem = typeof answer.body === 'object' && answer.body !== null ? (answer.body as Problem) : undefined;
  if (answer.status < 200 || answer.status >= 300) throw new ApiError(answer.status, codeOf(problem, answer.status), problem);
  return answer.body as Success<E>;
}
