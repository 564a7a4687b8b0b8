import fc from 'fast-check';
import { EARLIEST_BIRTH_DATE, EARLIEST_SERVICE_DATE, LATEST_SERVICE_DATE, todayInJapan } from '@pmh/protocol/text';

/**
 * Values shaped by a request schema (the JSON Schema a TypeBox endpoint carries): what a caller who
 * read the contract would send, before a fuzz case breaks one part of it. Not every value passes
 * the service's meaning checks (check digits, existing programmes): the shape is what counts here.
 * A schema keyword this does not know throws, so an endpoint whose schema grows a new construct
 * fails the fuzz suite instead of being fuzzed with less than its shape.
 */
export type Schema = Record<string, any>;

/** Keywords that describe a schema without constraining its values' shape here. */
const DESCRIPTIVE = new Set(['description', 'title', 'examples', '$id', 'default', 'additionalProperties', 'maxProperties', 'minProperties', 'required']);
const KNOWN = new Set([
  ...DESCRIPTIVE,
  'type',
  'properties',
  'patternProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'uniqueItems',
]);

/** Characters of ordinary text in a Japanese register: ASCII, kana, kanji (one outside the BMP), full-width digits, the ideographic space. */
const TEXT_CHARS = [...'abcXYZ019 -.,()', ...'あいうアイウｱｲｳ山田太郎花子千代田区', '𠮷', '０', '９', '　', 'ー'];
/** The largest string a generated (not hostile) value has: long strings are the hostile values' business. */
const GENERATED_MAX = 24;
/** Arrays get at most this many items more than their minimum. */
const EXTRA_ITEMS = 2;

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** A real date from `from` to `to` (YYYY-MM-DD, both included). */
function dateBetween(from: string, to: string): fc.Arbitrary<string> {
  return fc.date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true }).map(ymd);
}

/** A moment within `[fromMs, toMs]` of now, as RFC 3339 (UTC or +09:00). */
function momentAround(fromMs: number, toMs: number): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: fromMs, max: toMs }), fc.boolean()).map(([offset, jst]) => {
    const at = new Date(Date.now() + offset);
    if (!jst) return at.toISOString();
    const local = new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 19);
    return `${local}+09:00`;
  });
}

function textOf(min: number, max: number, multiline: boolean): fc.Arbitrary<string> {
  const chars = multiline ? [...TEXT_CHARS, '\n'] : TEXT_CHARS;
  // A character outside the BMP is two code units: lengths are counted in code units, as JSON Schema's validators do here.
  return fc
    .array(fc.constantFrom(...chars), { minLength: min, maxLength: Math.max(min, Math.min(max, GENERATED_MAX)) })
    .map((cs) => cs.join(''))
    .filter((s) => s.length >= min && s.length <= max && (multiline || s.trim().length > 0 || min === 0));
}

/** A pattern `^[class]+$` (or `*`) bounded by min/maxLength: the quantifier carries the bounds. */
function boundedPattern(pattern: string, min: number, max: number): RegExp {
  const m = /^\^(\[[^\]]+\])[+*]\$$/.exec(pattern);
  if (m) return new RegExp(`^${m[1]}{${min},${Math.max(min, Math.min(max, GENERATED_MAX * 2))}}$`);
  return new RegExp(pattern);
}

function stringOf(s: Schema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? GENERATED_MAX;
  const fits = (v: string) => v.length >= min && v.length <= max && (s.pattern === undefined || new RegExp(s.pattern).test(v));
  switch (s.format) {
    case undefined:
      break;
    case 'single-line-text':
    case 'multi-line-text':
      if (s.pattern === undefined) return textOf(min, max, s.format === 'multi-line-text');
      break;
    case 'uuid':
      return fc.uuid();
    case 'date':
    case 'service-date':
      return dateBetween(EARLIEST_SERVICE_DATE, LATEST_SERVICE_DATE);
    case 'birth-date':
      return dateBetween(EARLIEST_BIRTH_DATE, todayInJapan());
    case 'publication-time':
      // Now or past (published at once), or an hour ahead and more: never due while the suite runs, so a case never waits for one.
      return fc.oneof(momentAround(-3600_000, 0), momentAround(3600_000, 300 * 86_400_000));
    case 'past-time':
      return momentAround(-365 * 86_400_000, 0);
    case 'date-time':
      return momentAround(-86_400_000, 86_400_000);
    case 'uri':
      return fc
        .webPath()
        .map((p) => `https://example.jp${p.startsWith('/') ? p : `/${p}`}`)
        .filter(fits);
    default:
      throw new Error(`no generator for strings of format ${s.format}`);
  }
  if (s.pattern !== undefined) return fc.stringMatching(boundedPattern(s.pattern, min, max)).filter(fits);
  throw new Error('no generator for a string without a format or pattern (the wire rule says every string has one)');
}

function numberOf(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : -1e6);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : 1e6);
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** An arbitrary of values that match `schema` in shape. */
export function shapedValue(schema: Schema): fc.Arbitrary<unknown> {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`no generator for the schema keyword ${k}`);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return fc.oneof(...alternatives.map((a: Schema) => shapedValue(a)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return jsonValue();
  if (types.length > 1) return fc.oneof(...types.map((type) => shapedValue({ ...schema, type })));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return numberOf(schema, true);
    case 'number':
      return numberOf(schema, false);
    case 'string':
      return stringOf(schema);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + EXTRA_ITEMS, min + EXTRA_ITEMS);
      const items = schema.items ? shapedValue(schema.items) : jsonValue();
      // `uniqueItems`: no two items alike (JSON Schema compares values, so by their JSON text).
      if (schema.uniqueItems) return fc.uniqueArray(items, { minLength: min, maxLength: max, selector: (v) => JSON.stringify(v) });
      return fc.array(items, { minLength: min, maxLength: max });
    }
    case 'object': {
      const props: Record<string, Schema> = schema.properties ?? {};
      const required = new Set<string>(schema.required ?? []);
      const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, shapedValue(s)])), {
        requiredKeys: Object.keys(props).filter((k) => required.has(k)),
      }) as fc.Arbitrary<Record<string, unknown>>;
      if (schema.patternProperties && Object.keys(props).length === 0) {
        const [pattern, s] = Object.entries<Schema>(schema.patternProperties)[0];
        return fc.dictionary(
          fc.stringMatching(new RegExp(pattern)).filter((k) => k.length <= 20),
          shapedValue(s),
          { maxKeys: 3 },
        );
      }
      return record;
    }
    default:
      throw new Error(`no generator for the schema type ${types[0]}`);
  }
}

/** Any JSON value (fast-check's), small. */
export function jsonValue(): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 3 });
}
