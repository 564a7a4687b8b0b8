/**
 * Japanese text and date normalisation helpers. Pure functions, no I/O.
 *
 * Normalisers take strings; validators (`is*`, `parseJapaneseDate`) return
 * false / null for non-strings instead of throwing.
 */

// ---------------------------------------------------------------------------
// Width conversion
// ---------------------------------------------------------------------------

/**
 * Full-width ASCII (U+FF01–U+FF5E: letters, digits, punctuation) → ASCII, and
 * the ideographic space U+3000 → ASCII space. Other characters are unchanged.
 */
export function toHalfWidthAscii(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/**
 * A key a caller chose (宛名番号, a programme id): full-width ASCII → ASCII, trimmed. The one
 * normalisation keys get, applied where a key is written and on every path that reads by one, so
 * `Ａ００１` and `A001` name the same subject.
 */
export function normalizeKey(s: string): string {
  return toHalfWidthAscii(s).trim();
}

/** Full-width digits ０-９ → ASCII 0-9 and trims surrounding whitespace; nothing else changes. */
export function normalizeDigits(s: string): string {
  return s.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
}

/** Full-width equivalents of U+FF61 … U+FF9F, in code-point order (63 characters). */
const HALF_KANA_TO_FULL = '。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜';

const HALF_DAKUTEN = '\uFF9E'; // ﾞ
const HALF_HANDAKUTEN = '\uFF9F'; // ﾟ

/**
 * Half-width katakana (U+FF61–U+FF9F) → full-width. A following ﾞ / ﾟ is
 * combined with the preceding (full-width) kana when a precomposed form exists
 * (ｶﾞ→ガ, ﾊﾟ→パ, ｳﾞ→ヴ, ﾜﾞ→ヷ); otherwise it becomes the spacing mark ゛ / ゜.
 * ｰ→ー, ･→・, ｡｢｣､→。「」、.
 */
export function halfWidthKatakanaToFullWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0xff61 || cp > 0xff9f) {
      out += ch;
      continue;
    }
    if ((ch === HALF_DAKUTEN || ch === HALF_HANDAKUTEN) && out.length > 0) {
      const prev = out[out.length - 1];
      const combining = ch === HALF_DAKUTEN ? '\u3099' : '\u309A';
      const composed = (prev + combining).normalize('NFC');
      if (composed.length === 1) {
        out = out.slice(0, -1) + composed;
        continue;
      }
    }
    out += HALF_KANA_TO_FULL[cp - 0xff61];
  }
  return out;
}

/** Hiragana ぁ-ゖ → ァ-ヶ and the iteration marks ゝゞ → ヽヾ. */
export function hiraganaToKatakana(s: string): string {
  return s.replace(/[\u3041-\u3096\u309D\u309E]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

/** Any run of whitespace, ASCII or full-width (JS \s includes U+3000). */
const SPACE_RUN = /\s+/g;
const IDEOGRAPHIC_SPACE = '\u3000';

const collapseSpaces = (s: string): string => s.replace(SPACE_RUN, ' ').trim().replace(/ /g, IDEOGRAPHIC_SPACE);

/**
 * 氏名カナ normalisation: half-width → full-width katakana, hiragana → katakana,
 * decomposed kana (カ + U+3099) composed (NFC), every run of spaces (half or
 * full width) → ONE full-width space U+3000 (the convention between family and
 * given name), ends trimmed.
 */
export function normalizeKanaName(s: string): string {
  return collapseSpaces(hiraganaToKatakana(halfWidthKatakanaToFullWidth(s.normalize('NFC'))).normalize('NFC'));
}

/**
 * True when, after normalizeKanaName, the name consists only of full-width
 * katakana (U+30A1–U+30FA), ー (U+30FC), ・ (U+30FB) and U+3000, and contains at
 * least one katakana letter.
 */
export function isKatakanaName(s: string): boolean {
  if (typeof s !== 'string') return false;
  const n = normalizeKanaName(s);
  return /^[\u30A1-\u30FA\u30FB\u30FC\u3000]+$/.test(n) && /[\u30A1-\u30FA]/.test(n);
}

/**
 * CJK Compatibility Ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F). Most of them
 * have a canonical decomposition, so NFC would silently replace e.g. U+FA10
 * (塚) by U+585A (塚). In a person's name that is a different character, so
 * these are excluded from normalisation.
 */
const NON_COMPAT_RUN = /[^\uF900-\uFAFF\u{2F800}-\u{2FA1F}]+/gu;

/**
 * 氏名 (kanji) normalisation: NFC, runs of spaces (half/full width) → one U+3000,
 * ends trimmed. Characters are otherwise kept as they are: rare kanji
 * (𠮷, 髙, 﨑), ideographic variation sequences (葛󠄀), private-use 外字 and CJK
 * compatibility ideographs are preserved — NFC is applied only to the runs
 * between compatibility ideographs.
 */
export function normalizeName(s: string): string {
  return collapseSpaces(s.replace(NON_COMPAT_RUN, (run) => run.normalize('NFC')));
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

export interface JapaneseEra {
  /** Era name, e.g. 令和. */
  readonly name: string;
  /** Romanised initial used in abbreviated dates (R6.4.1). */
  readonly letter: 'M' | 'T' | 'S' | 'H' | 'R';
  /** Digit used by municipal systems' 7-digit dates (5060401). */
  readonly code: 1 | 2 | 3 | 4 | 5;
  /** First day (Gregorian, ISO). The era ends the day before the next era's start. */
  readonly start: string;
}

/**
 * Eras and their first days (the 改元 edicts and ordinances: 明治改元の詔, 大正・昭和 改元の詔書,
 * 昭和64年政令第1号, 平成31年政令第143号). 明治 is taken to start 1868-01-25
 * (Gregorian date of 明治元年1月1日, the change being retroactive to that day).
 * Dates are mapped numerically (Gregorian year = start year + era year − 1,
 * month/day unchanged); that is exact from 明治6年 (1873) on, when Japan adopted
 * the Gregorian calendar. Earlier 明治 dates were lunisolar and are converted
 * with the same numeric rule (not a calendar conversion).
 */
export const JAPANESE_ERAS: readonly JapaneseEra[] = [
  { name: '明治', letter: 'M', code: 1, start: '1868-01-25' },
  { name: '大正', letter: 'T', code: 2, start: '1912-07-30' },
  { name: '昭和', letter: 'S', code: 3, start: '1926-12-25' },
  { name: '平成', letter: 'H', code: 4, start: '1989-01-08' },
  { name: '令和', letter: 'R', code: 5, start: '2019-05-01' },
];

const pad2 = (n: number): string => String(n).padStart(2, '0');
const isoOf = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const isCalendarDate = (y: number, m: number, d: number): boolean =>
  Number.isInteger(y) && y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);

/** Strict `YYYY-MM-DD` (ASCII digits) that is a real Gregorian calendar date, year 0001–9999. */
export function isValidIsoDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function eraDate(era: JapaneseEra, eraYear: number, month: number, day: number): string | null {
  if (!Number.isInteger(eraYear) || eraYear < 1) return null;
  const year = Number(era.start.slice(0, 4)) + eraYear - 1;
  if (!isCalendarDate(year, month, day)) return null;
  const iso = isoOf(year, month, day);
  if (iso < era.start) return null;
  const next = JAPANESE_ERAS[JAPANESE_ERAS.indexOf(era) + 1];
  if (next !== undefined && iso >= next.start) return null;
  return iso;
}

function findEra(token: string): JapaneseEra | undefined {
  const upper = token.toUpperCase();
  return JAPANESE_ERAS.find((e) => e.name === token || e.letter === upper);
}

const ERA_TOKEN = '(明治|大正|昭和|平成|令和|[MTSHRmtshr])';
const ERA_KANJI_FORM = new RegExp(`^${ERA_TOKEN}(元|[0-9]{1,2})年([0-9]{1,2})月([0-9]{1,2})日$`);
const ERA_SEP_FORM = new RegExp(`^${ERA_TOKEN}(元|[0-9]{1,2})([./-])([0-9]{1,2})\\3([0-9]{1,2})$`);

/**
 * Parses a Japanese-style date and returns `YYYY-MM-DD`, or null when the text
 * is not a recognised form or not a real date.
 *
 * Accepted (after full-width ASCII → ASCII and trimming):
 *   2024-04-01 · 2024/4/1 · 2024.4.1 · 20240401 · 2024年4月1日
 *   令和6年4月1日 · 令和元年5月1日 · R6.4.1 · R06.04.01 · r6/4/1 · Ｒ６．４．１ · H31.4.30
 *   5060401 (7-digit municipal form: era code 1 明治 2 大正 3 昭和 4 平成 5 令和 + YYMMDD)
 * Spaces are allowed inside the 年/月/日 forms. 元 is accepted only as year 1;
 * year 0 is rejected. Era dates must fall within the era (令和1年4月30日,
 * 平成31年5月1日 and 昭和64年1月8日 are null).
 */
export function parseJapaneseDate(s: string): string | null {
  if (typeof s !== 'string') return null;
  let t = toHalfWidthAscii(s).trim();
  if (/[年月日]/.test(t)) t = t.replace(/\s+/g, '');

  let m: RegExpExecArray | null;
  if ((m = /^([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})$/.exec(t))) {
    return gregorian(m[1], m[3], m[4]);
  }
  if ((m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(t))) {
    return gregorian(m[1], m[2], m[3]);
  }
  if ((m = /^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$/.exec(t))) {
    return gregorian(m[1], m[2], m[3]);
  }
  if ((m = ERA_KANJI_FORM.exec(t)) || (m = ERA_SEP_FORM.exec(t))) {
    const era = findEra(m[1]);
    const [month, day] = m.length === 6 ? [m[4], m[5]] : [m[3], m[4]];
    if (era === undefined) return null;
    return eraDate(era, m[2] === '元' ? 1 : Number(m[2]), Number(month), Number(day));
  }
  if ((m = /^([1-5])([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(t))) {
    const era = JAPANESE_ERAS.find((e) => e.code === Number(m![1]));
    if (era === undefined) return null;
    return eraDate(era, Number(m[2]), Number(m[3]), Number(m[4]));
  }
  return null;
}

function gregorian(y: string, m: string, d: string): string | null {
  const [yy, mm, dd] = [Number(y), Number(m), Number(d)];
  return isCalendarDate(yy, mm, dd) ? isoOf(yy, mm, dd) : null;
}

/**
 * `YYYY-MM-DD` → Japanese era date for display, e.g. 2019-05-01 → 令和元年5月1日,
 * 2019-04-30 → 平成31年4月30日. Throws a RangeError for an invalid ISO date or a
 * date before 明治 (1868-01-25).
 */
export function toJapaneseEraDate(iso: string): string {
  if (!isValidIsoDate(iso)) throw new RangeError(`not a valid YYYY-MM-DD date: ${String(iso)}`);
  let era: JapaneseEra | undefined;
  for (const e of JAPANESE_ERAS) if (iso >= e.start) era = e;
  if (era === undefined) throw new RangeError(`date precedes the 明治 era: ${iso}`);
  const eraYear = Number(iso.slice(0, 4)) - Number(era.start.slice(0, 4)) + 1;
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  return `${era.name}${eraYear === 1 ? '元' : eraYear}年${month}月${day}日`;
}

/** Today in Japan (JST, UTC+9, no daylight saving), as YYYY-MM-DD: the day "valid today" means (defined with the wire's date windows). */
export { todayInJapan } from '@pmh/protocol/text';
