import fc from 'fast-check';
import type { Endpoint } from '@pmh/protocol';
import { codeUnits, hostileValue, mutated, type Mutation, type Path } from './hostile.ts';
import { jsonValue, shapedValue } from './schema.ts';

/**
 * One fuzz case against one endpoint: its path parameters, query, headers and body, and what was
 * done to them (for the failure message and the replay).
 */
export interface FuzzRequest {
  kind: 'well-shaped' | 'mutated' | 'random-json' | 'raw-text';
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** The JSON body (undefined: none). */
  body?: unknown;
  /** A body sent as it is (not JSON.stringified), as application/json. */
  raw?: string;
  /** Which part was changed, where and how. */
  change?: { part: 'params' | 'query' | 'body' | 'headers'; path: Path; mutation: Mutation };
}

/** Known-good inputs the world made (a record that registers, a programme that is accepted): mutated as well as the generated ones. */
export interface Seeds {
  bodies?: unknown[];
  params?: Record<string, unknown>[];
}

/** Bodies that are not JSON at all, or JSON no schema takes, sent as application/json. */
const RAW_BODIES = [
  '{',
  '[',
  '"',
  'nul',
  'NaN',
  '1e999',
  '-',
  '{"a":1,"a":2}',
  '\u0000',
  '\uFEFF{}',
  '[1,]',
  '{"a":}',
  '0x10',
  "{'a':1}",
  '[' + '1,'.repeat(5000) + '1]',
];

function wellShaped(e: Endpoint, seeds: Seeds) {
  const of = (schema: unknown, seeded?: unknown[]) => {
    const generated = shapedValue(schema as Record<string, any>);
    return seeded?.length ? fc.oneof(generated, fc.constantFrom(...seeded)) : generated;
  };
  return fc.record({
    params: e.params ? (of(e.params, seeds.params) as fc.Arbitrary<Record<string, unknown>>) : fc.constant(undefined),
    query: e.querystring ? (shapedValue(e.querystring as Record<string, any>) as fc.Arbitrary<Record<string, unknown>>) : fc.constant(undefined),
    headers: e.headers ? (shapedValue(e.headers as Record<string, any>) as fc.Arbitrary<Record<string, string>>) : fc.constant(undefined),
    body: e.body ? of(e.body, seeds.bodies) : fc.constant(undefined),
  });
}

/** The cases of one endpoint: well-shaped, one part broken, random JSON, not JSON at all. */
export function requestsOf(e: Endpoint, seeds: Seeds = {}): fc.Arbitrary<FuzzRequest> {
  const shaped = wellShaped(e, seeds);
  const parts: Array<'params' | 'query' | 'body' | 'headers'> = ['body'];
  if (e.params) parts.push('params', 'params');
  if (e.querystring) parts.push('query');
  if (e.headers) parts.push('headers');
  const broken = fc.tuple(shaped, fc.constantFrom(...parts), fc.nat()).chain(([r, part, n]) => {
    if (part === 'headers') {
      // Header values are bytes: a hostile one is long, or a printable ASCII value that is not what the field takes.
      return fc.constantFrom('x'.repeat(300), 'x'.repeat(20_000), '', ' ', '\\u0000', '%00', 'Idempotency; drop').map((v) => ({
        ...r,
        kind: 'mutated' as const,
        headers: { 'idempotency-key': v },
        change: { part, path: ['idempotency-key'], mutation: { kind: 'replace', value: v } as Mutation },
      }));
    }
    return mutated(fc.constant(r[part] ?? {})).map(({ value, path, mutation }) => {
      // Path parameters and queries are text: a value that is not an object becomes one field of one.
      const v = part !== 'body' && (value === null || typeof value !== 'object' || Array.isArray(value)) ? { [`p${n % 3}`]: value } : value;
      return { ...r, kind: 'mutated' as const, [part]: v, change: { part, path, mutation } } as FuzzRequest;
    });
  });
  const randomJson = fc.tuple(shaped, fc.oneof(jsonValue(), hostileValue, codeUnits)).map(([r, body]) => ({ ...r, kind: 'random-json' as const, body }));
  const raw = fc.tuple(shaped, fc.constantFrom(...RAW_BODIES)).map(([r, text]) => ({ ...r, kind: 'raw-text' as const, body: undefined, raw: text }));
  return fc.oneof(
    { weight: 1, arbitrary: shaped.map((r) => ({ ...r, kind: 'well-shaped' as const })) },
    { weight: 12, arbitrary: broken },
    { weight: 3, arbitrary: randomJson },
    { weight: 1, arbitrary: raw },
  ) as fc.Arbitrary<FuzzRequest>;
}

// --- On the wire ------------------------------------------------------------------------------

/**
 * Percent-encodes every UTF-16 code unit as a caller could put it on the wire: UTF-8 for characters,
 * the three bytes a lone surrogate would have (ED A0 80, invalid UTF-8) for a lone surrogate.
 */
export function encodeSegment(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
    if (pair) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => '%' + b.toString(16).toUpperCase()).join('');
    } else out += encodeURIComponent(s[i]);
  }
  return out;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : (JSON.stringify(v) ?? String(v)));

/** The URL path and query of a case (every `:name` filled, missing ones with an empty segment). */
export function urlOf(e: Endpoint, r: FuzzRequest): string {
  const path = e.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeSegment(text(r.params?.[name])));
  const q = Object.entries(r.query ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(text(v))}`)
    .join('&');
  return q ? `${path}?${q}` : path;
}

/** The body's bytes as sent. */
export function bodyOf(r: FuzzRequest): string | undefined {
  if (r.raw !== undefined) return r.raw;
  return r.body === undefined ? undefined : JSON.stringify(r.body);
}

/** A short, safe description of a case for a failure message (long strings cut, controls escaped). */
export function describeCase(r: FuzzRequest): string {
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s);
  const change = r.change ? ` ${r.change.part}${r.change.path.map((p) => `/${p}`).join('')} ${r.change.mutation.kind}` : '';
  return `${r.kind}${change}: ${cut(JSON.stringify({ params: r.params, query: r.query, headers: r.headers, body: r.raw ?? r.body }) ?? '')}`;
}
