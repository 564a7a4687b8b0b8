import assert from 'node:assert/strict';
import type { TokenClient } from '@pmh/core/auth/index';
import { ApiClient, type Answer as Declared, type Endpoint, type Input } from '@pmh/protocol/contract';
import type { Caller, ServiceName } from './world.ts';

/** Helpers for tests that speak HTTP to one service alone. */
export interface Answer {
  status: number;
  text: string;
  body: any;
  headers: Headers;
}

/** A request to the service at `s.url` as `caller` (a TokenClient), or anonymous. */
export async function call(s: { url: string }, caller: Credential | null, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (caller) headers.authorization = await caller.authorization();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(s.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, text, body: parsed, headers: res.headers };
}

/** What `callEndpoint` sends as: a TokenClient, or anything that answers an Authorization header. */
export type Credential = Pick<TokenClient, 'authorization'> & Partial<Pick<TokenClient, 'invalidate'>>;

/** The service an endpoint belongs to, by its path: `/municipal/…` is the hub's; `/oqs/…` OQS's, and so on. */
export function serviceOf(e: Endpoint): ServiceName {
  const first = e.path.split('/')[1];
  if (first === 'idserver' || first === 'oqs' || first === 'portal') return first;
  if (first === 'hub' || first === 'municipal') return 'hub';
  throw new Error(`${e.method} ${e.path} is served by every service: name the one to call`);
}

/**
 * A call by an endpoint's contract to a World's service (the endpoint's own unless named), as one
 * of the World's callers or anonymous: the declared answer, typed by its status, with its text.
 */
export function callAs<E extends Endpoint>(
  w: { url(name: ServiceName): string; authorization(caller: Caller, service: ServiceName): Promise<string> },
  caller: Caller | null,
  e: E,
  input: Input<E>,
  service: ServiceName = serviceOf(e),
): Promise<Declared<E> & { text: string }> {
  return callEndpoint({ url: w.url(service) }, caller && { authorization: () => w.authorization(caller, service) }, e, input);
}

/**
 * A call by an endpoint's contract (the same object the service serves) to the service at `s.url`,
 * as `caller` or anonymous: the declared answer, typed by its status, with its text for
 * assertions. A status the endpoint does not declare throws (`UndeclaredAnswer`).
 */
export async function callEndpoint<E extends Endpoint>(
  s: { url: string },
  caller: Credential | null,
  e: E,
  input: Input<E>,
): Promise<Declared<E> & { text: string }> {
  let text: Promise<string> = Promise.resolve('');
  const client = new ApiClient(s.url, {
    // A loaded test machine may take long over a large call; the test's own timeout decides.
    timeoutMs: 300_000,
    authorization: caller ? () => caller.authorization() : undefined,
    invalidate: caller?.invalidate ? () => caller.invalidate!() : undefined,
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      text = res.clone().text();
      return res;
    },
  });
  const answer = await client.call(e, input);
  return { ...answer, text: await text };
}

/** A typed answer narrowed to one status; an untyped one as it is. */
type WithStatus<A, S> = [Extract<A, { status: S }>] extends [never] ? A : Extract<A, { status: S }>;

/** The answer has this status (a typed answer is narrowed to it); its text is the message otherwise. */
export function assertStatus<A extends Answer, S extends number>(res: A, status: S): asserts res is WithStatus<A, S> {
  assert.equal(res.status, status, res.text);
}

/** The answer is RFC 9457 problem+json with this status (a typed answer is narrowed to it). */
export function assertProblem<A extends Answer, S extends number>(res: A, status: S): asserts res is WithStatus<A, S> {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.equal(typeof res.body.title, 'string');
}

/** The answer is a 400 problem naming the field at `pointer`. */
export function assertNames(res: Answer, pointer: string): void {
  assertProblem(res, 400);
  assert.ok(
    (res.body.errors ?? []).some((e: { pointer: string }) => e.pointer === pointer),
    `the problem names ${pointer}: ${res.text}`,
  );
}
