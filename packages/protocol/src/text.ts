import { Type, type TString, type TInteger } from 'typebox';
import { Format, IsDate } from 'typebox/format';

/**
 * The one rule for text, numbers and dates on the wire, for every schema of every service. A value
 * that breaks it is refused at the door with a field error, so nothing reaches a database that
 * PostgreSQL would refuse (U+0000, unpaired UTF-16 surrogates: SQLSTATE 22P05 / 22P02) or that a
 * reader could be fooled by (controls, and the bidirectional-text controls of CVE-2021-42574,
 * "Trojan Source").
 *
 * The rules travel as JSON Schema `format`s, so both validators the services run check them alike:
 * Ajv on every route (registered by `createApp` in core from `WIRE_FORMATS`) and TypeBox's compiler
 * for the records of a registration task (registered here, when this module loads, before any
 * schema using them can be compiled).
 */

/**
 * Never in any string: C0 controls except TAB, LF and CR; DEL; C1 controls (U+0080–U+009F); the
 * line and paragraph separators U+2028/U+2029; the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069, Unicode TR #9); and, with the `u` flag, a surrogate that is not
 * part of a pair (a lone one cannot be encoded in UTF-8 at all).
 */
const FORBIDDEN_ANYWHERE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/u;
/** A single-line field also refuses TAB, LF and CR. */
const LINE_BREAK_OR_TAB = /[\t\n\r]/;

/** Text of a multi-line field (a notification body, the value of an item printed on a certificate). */
export function isMultiLineText(s: string): boolean {
  return !FORBIDDEN_ANYWHERE.test(s);
}

/** Text of every other field: a name, a key, a code, an address. */
export function isSingleLineText(s: string): boolean {
  return !FORBIDDEN_ANYWHERE.test(s) && !LINE_BREAK_OR_TAB.test(s);
}

/**
 * What no database can hold, whatever the field: U+0000 (PostgreSQL's text types refuse it) and an
 * unpaired surrogate (not encodable in UTF-8; jsonb refuses the escape, text gets U+FFFD). The
 * backstop for a schema that forgot the rules above.
 */
export function isStorableText(s: string): boolean {
  return !/[\u0000\uD800-\uDFFF]/u.test(s);
}

/** Today in Japan (JST, UTC+9, no daylight saving), as YYYY-MM-DD: what "today" means on the wire. */
export function todayInJapan(now = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** 明治元年1月1日 in the Gregorian calendar: no living person, and no date in a resident register, is older. */
export const EARLIEST_BIRTH_DATE = '1868-01-25';
/** Validity periods and the days they are asked about: wide enough for any real certificate, narrow enough to catch 0001 and 9999. */
export const EARLIEST_SERVICE_DATE = '1900-01-01';
export const LATEST_SERVICE_DATE = '2199-12-31';
/** A notification may be scheduled at most this far ahead… */
export const MAX_PUBLICATION_LEAD_MS = 366 * 86_400_000;
/** …and dated at most this far back (a retried request, a clock a little behind); never years back. */
export const MAX_PUBLICATION_LAG_MS = 86_400_000;

/** A moment already past (when something was published, recorded): not before 2000, not after now (+5 min of clock skew). */
export const EARLIEST_PAST_TIME = '2000-01-01T00:00:00Z';
const CLOCK_SKEW_MS = 5 * 60_000;

/** RFC 3339 `date-time` (§5.6) exactly: what PostgreSQL's timestamptz and Date.parse both read the same way. */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** The moment an RFC 3339 date-time names (ms since the epoch), or undefined when it is not one. */
function rfc3339(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m || !IsDate(m[1])) return undefined;
  const at = Date.parse(s);
  return Number.isFinite(at) ? at : undefined;
}

/** The formats of this module, by name: each a check of a string. */
export const WIRE_FORMATS = {
  'single-line-text': isSingleLineText,
  'multi-line-text': isMultiLineText,
  'birth-date': (s: string) => IsDate(s) && s >= EARLIEST_BIRTH_DATE && s <= todayInJapan(),
  'service-date': (s: string) => IsDate(s) && s >= EARLIEST_SERVICE_DATE && s <= LATEST_SERVICE_DATE,
  'publication-time': (s: string) => {
    const at = rfc3339(s);
    const now = Date.now();
    return at !== undefined && at >= now - MAX_PUBLICATION_LAG_MS && at <= now + MAX_PUBLICATION_LEAD_MS;
  },
  'past-time': (s: string) => {
    const at = rfc3339(s);
    return at !== undefined && at >= Date.parse(EARLIEST_PAST_TIME) && at <= Date.now() + CLOCK_SKEW_MS;
  },
} as const satisfies Record<string, (s: string) => boolean>;
export type WireFormat = keyof typeof WIRE_FORMATS;

/** The field error of each format, in plain words; none repeats the value. */
export const WIRE_FORMAT_MESSAGES: Record<WireFormat, string> = {
  'single-line-text':
    'contains a character that is not allowed here: a line break, a tab or another control character, a bidirectional-text control (U+202A–U+202E, U+2066–U+2069), U+0000 or an unpaired surrogate',
  'multi-line-text':
    'contains a character that is not allowed: a control character other than a line break or a tab, a bidirectional-text control (U+202A–U+202E, U+2066–U+2069), U+0000 or an unpaired surrogate',
  'birth-date': `must be a real date written YYYY-MM-DD, from ${EARLIEST_BIRTH_DATE} (the first day of 明治) to today in Japan`,
  'service-date': `must be a real date written YYYY-MM-DD, from ${EARLIEST_SERVICE_DATE} to ${LATEST_SERVICE_DATE}`,
  'publication-time': 'must be an RFC 3339 date-time (e.g. 2026-04-01T09:00:00+09:00) at most one year ahead and at most one day in the past',
  'past-time': `must be an RFC 3339 date-time from ${EARLIEST_PAST_TIME} to now`,
};

/** The field error for a failed `format` (ours, or a standard one), in plain words. */
export function formatMessage(format: string): string {
  if (format in WIRE_FORMAT_MESSAGES) return WIRE_FORMAT_MESSAGES[format as WireFormat];
  if (format === 'date') return 'must be a real date written YYYY-MM-DD';
  return `must be a valid ${format}`;
}

for (const [name, check] of Object.entries(WIRE_FORMATS)) Format.Set(name, check as (s: string) => boolean);

// --- Builders ------------------------------------------------------------------------------

export interface TextOptions {
  /** Every string has one. */
  maxLength: number;
  minLength?: number;
  /** Line breaks and tabs are allowed only in multi-line text (a body, a printed item's value). */
  multiline?: boolean;
  description?: string;
}

/** Free text: the character rule above and a maximum length. */
export function Text(o: TextOptions): TString {
  return Type.String({
    format: o.multiline ? 'multi-line-text' : 'single-line-text',
    maxLength: o.maxLength,
    ...(o.minLength !== undefined ? { minLength: o.minLength } : {}),
    ...(o.description !== undefined ? { description: o.description } : {}),
  });
}

/**
 * A key a caller chooses (宛名番号, 履歴キー, a code): single-line text, not empty, at most 64
 * characters by default. Full-width letters and digits are accepted; the hub compares keys after
 * `normalizeKey` (core), on every write and every read.
 */
export function Key(o: { maxLength?: number; description?: string } = {}): TString {
  return Text({ minLength: 1, maxLength: o.maxLength ?? 64, description: o.description });
}

/** The largest amount of yen any field takes: 99,999,999 (a monthly co-payment limit is far below it). */
export const MAX_YEN = 99_999_999;

/** Money in yen: an integer from 0 to MAX_YEN (the API's convention: money in yen as integers). */
export function Yen(description: string): TInteger {
  return Type.Integer({ minimum: 0, maximum: MAX_YEN, description: `${description} (yen, 0–${MAX_YEN.toLocaleString('en-US')})` });
}

/**
 * A date (`YYYY-MM-DD`) within the window its meaning allows:
 * - `birth`: from 1868-01-25 (明治) to today in Japan;
 * - `service`: validity periods and the day they are asked about, 1900-01-01 … 2199-12-31.
 */
export function DateIn(window: 'birth' | 'service', description: string): TString {
  const range = window === 'birth' ? `${EARLIEST_BIRTH_DATE} … today in Japan` : `${EARLIEST_SERVICE_DATE} … ${LATEST_SERVICE_DATE}`;
  return Type.String({ format: `${window}-date`, maxLength: 10, description: `${description}, YYYY-MM-DD (${range})` });
}

/**
 * A moment (RFC 3339) within the window its meaning allows:
 * - `publication`: when a notification is to be published, from a day ago to a year ahead;
 * - `past`: when something already happened, from 2000 to now.
 */
export function DateTimeIn(window: 'publication' | 'past', description: string): TString {
  const range = window === 'publication' ? 'from a day ago to a year ahead' : `from ${EARLIEST_PAST_TIME} to now`;
  return Type.String({ format: `${window}-time`, maxLength: 40, description: `${description}; RFC 3339, ${range}` });
}

/** A UUID (RFC 9562) a service made: ids of tasks, notifications, inbox items. */
export function Uuid(description?: string): TString {
  return Type.String({ format: 'uuid', maxLength: 36, ...(description !== undefined ? { description } : {}) });
}
