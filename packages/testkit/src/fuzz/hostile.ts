import fc from 'fast-check';
import { myNumberCheckDigit } from '@pmh/core/text/checkdigits';
import { jsonValue } from './schema.ts';

/**
 * What an attacker (or a broken client) puts where a field is: characters PostgreSQL cannot store
 * or a reader can be fooled by, numbers beyond any range, the wrong type, nesting deeper than any
 * record, identifiers where none belongs. Each fuzz case puts one of these in one place of an
 * otherwise well-shaped request, or sends random JSON altogether.
 */

/** A My Number with a valid check digit (synthetic: from the seeded case, never a real person's). */
export const myNumberArb = fc.stringMatching(/^[0-9]{11}$/).map((body) => body + myNumberCheckDigit(body));

const fullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** A My Number written as a person might: plain, full-width, grouped, inside other text. */
export const myNumberInText = fc
  .tuple(myNumberArb, fc.integer({ min: 0, max: 5 }))
  .map(
    ([n, how]) =>
      [
        n,
        fullWidth(n),
        `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`,
        `番号 ${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)} です`,
        `${fullWidth(n.slice(0, 4))}．${fullWidth(n.slice(4, 8))}．${fullWidth(n.slice(8))}`,
        `受給者 ${n}`,
      ][how],
  );

const nest = (depth: number, leaf: unknown, kind: 'array' | 'object'): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

/** Strings no field takes, or takes only from a careful caller. */
export const HOSTILE_STRINGS: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDC00',
  'x\uDBFFy',
  '\uDC00\uD800',
  '\u0001',
  '\u0008',
  '\u001B[31m',
  '\u007F',
  '\u0085',
  '\u009F',
  '\u202E',
  'abc\u202Edef',
  '\u2066x\u2069',
  '\u2028',
  '\uFEFF',
  '\t',
  'a\nb',
  'a\r\nb',
  '',
  ' ',
  '　',
  'x'.repeat(100_000),
  '𠮷'.repeat(50_000),
  '０１２３４５６７８９',
  'ＡＢＣ１２３',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '-1',
  '9'.repeat(400),
  "' OR '1'='1",
  '"; drop table subjects; --',
  '../../etc/passwd',
  '%00',
  '%ED%A0%80',
  '\\u0000',
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}',
  'e\u0301\u0301\u0301',
  '🀄',
  '__proto__',
  'constructor',
];

export const HOSTILE_NUMBERS: readonly number[] = [-1, 0, -0, 0.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 31, 2 ** 63, 5e-324, 100_000_000];

/** A value of another type than any field expects, or the same type out of bounds. */
export const WRONG_TYPES: readonly unknown[] = [null, true, false, [], {}, [[]], [null], { a: 1 }, '0', '1', 'true', 0, 1];

/** Any sequence of UTF-16 code units, lone surrogates and controls included. */
export const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 16 }).map((us) => String.fromCharCode(...us));

/** One hostile value. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: myNumberInText },
  { weight: 2, arbitrary: codeUnits },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: fc.constantFrom(nest(40, 1, 'array'), nest(40, 1, 'object'), nest(200, [], 'array'), nest(33, 'x', 'object')) },
  { weight: 1, arbitrary: jsonValue() },
);

/** A hostile object key: what an extra field might be called. */
export const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', '\u0000', '\uD800', 'a'.repeat(10_000), 'pmhId', 'myNumber', 'extra'),
  fc.string({ maxLength: 8 }),
);

// --- One change to a well-shaped value ------------------------------------------------------

type Json = unknown;
export type Path = Array<string | number>;

/** Every place in a value (the root included), depth first. */
export function pathsOf(v: Json, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...at, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...at, k]));
  return out;
}

export type Mutation =
  | { kind: 'replace'; value: unknown }
  | { kind: 'remove' }
  | { kind: 'extra-field'; key: string; value: unknown }
  | { kind: 'append'; value: unknown }
  | { kind: 'wrap' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 8, arbitrary: hostileValue.map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'remove' as const }) },
  { weight: 1, arbitrary: fc.tuple(hostileKey, hostileValue).map(([key, value]) => ({ kind: 'extra-field' as const, key, value })) },
  { weight: 1, arbitrary: hostileValue.map((value) => ({ kind: 'append' as const, value })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'wrap' as const }) },
);

const clone = (v: Json): Json => (v === undefined ? undefined : structuredClone(v));

/** `value` with `m` applied at `path` (a new value; the original is untouched). */
export function mutate(value: Json, path: Path, m: Mutation): Json {
  const root = { v: clone(value) } as Record<string, any>;
  let parent: any = root;
  let key: string | number = 'v';
  for (const p of path) {
    parent = parent[key];
    key = p;
  }
  const here = parent[key];
  switch (m.kind) {
    case 'replace':
      parent[key] = m.value;
      break;
    case 'remove':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'extra-field':
      if (here !== null && typeof here === 'object' && !Array.isArray(here))
        Object.defineProperty(here, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      else parent[key] = { [m.key]: m.value };
      break;
    case 'append':
      if (Array.isArray(here)) here.push(m.value);
      else parent[key] = [here, m.value];
      break;
    case 'wrap':
      parent[key] = nest(34, here ?? null, 'array');
      break;
  }
  return root.v;
}

/** A well-shaped value with one hostile change somewhere in it (a seed picks the place). */
export function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<{ value: unknown; path: Path; mutation: Mutation }> {
  return fc.tuple(base, fc.nat(), mutation).map(([v, n, m]) => {
    const paths = pathsOf(v);
    const path = paths[n % paths.length];
    return { value: mutate(v, path, m), path, mutation: m };
  });
}
