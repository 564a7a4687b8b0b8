import assert from 'node:assert/strict';
import type { TokenClient } from '@pmh/core/auth/index';

/** Helpers for tests that speak HTTP to one service alone. */
export interface Answer {
  status: number;
  text: string;
  body: any;
  headers: Headers;
}

/** A request to the service at `s.url` as `caller` (a TokenClient), or anonymous. */
export async function call(s: { url: string }, caller: TokenClient | null, method: string, path: string, body?: unknown): Promise<Answer> {
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

/** The answer is RFC 9457 problem+json with this status. */
export function assertProblem(res: Answer, status: number): void {
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
