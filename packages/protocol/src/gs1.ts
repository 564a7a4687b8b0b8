/**
 * The GS1 element string a 2D-barcode scanner types for a vaccine package (医療用医薬品の新バーコード,
 * GS1 DataMatrix): what the clinic app reads the lot and the expiry from. Pure, no I/O: the page parses
 * as the scanner types, and the same code is what the tests hold to.
 *
 * Rules (GS1 General Specifications, §3 "GS1 Application Identifier definitions" and §7 "Data
 * processing"):
 * - AI (01) GTIN: 14 digits, the last a GS1 check digit (§7.9 "Check digit calculations": weights
 *   3,1,3,… from the right of the 13 data digits; check = (10 − Σ mod 10) mod 10).
 * - AI (17) expiration date: YYMMDD; "if it is not necessary to specify the day, the day field must
 *   be filled with two zeros" and is then read as the last day of that month (§3, AI (17)); the
 *   century comes from the sliding window of §7.12 "Determination of century in dates".
 * - AI (10) batch/lot and AI (21) serial: 1 to 20 characters of the GS1 AI encodable character set 82
 *   (§7.11), variable length: ended by FNC1 (a scanner transmits it as GS, 0x1D) or by the end of the
 *   string; AIs of pre-defined length such as (01) and (17) need no separator (§7.8, "pre-defined
 *   length" table).
 * On 特定生物由来製品 (every vaccine) (01), (17) and (10) are all mandatory on the package (厚生労働省
 * 「医療用医薬品へのバーコード表示の実施要項」, 医政局経済課長通知).
 */

/** The Group Separator a scanner transmits for FNC1 between elements (ASCII 29). */
export const GS = '\x1d';

/** What a vaccine's barcode carries; absent elements are absent. */
export interface Gs1Element {
  /** AI (01): GTIN-14, check digit included. */
  gtin?: string;
  /** AI (17) as printed: YYMMDD, the day possibly "00". */
  expiryYymmdd?: string;
  /** AI (17) as a calendar day (YYYY-MM-DD): "00" resolved to the month's last day. */
  expirationDate?: string;
  /** AI (10): 製造番号 (lot). */
  lotNumber?: string;
  /** AI (21): serial number. */
  serial?: string;
}

export type Gs1ProblemCode =
  | 'empty'
  | 'unknown-ai'
  | 'duplicate-ai'
  | 'gtin-length'
  | 'gtin-digits'
  | 'gtin-check-digit'
  | 'expiry-format'
  | 'expiry-date'
  | 'lot-empty'
  | 'lot-length'
  | 'lot-characters'
  | 'serial-empty'
  | 'serial-length'
  | 'serial-characters';

export interface Gs1Problem {
  code: Gs1ProblemCode;
  /** The application identifier the problem is in, when there is one. */
  ai?: string;
  /** Plain Japanese, for the field the scanner typed into. */
  message: string;
}

export type Gs1Result = { ok: true; element: Gs1Element } | { ok: false; problem: Gs1Problem };

/** AIs of a vaccine's barcode: the pre-defined lengths (§7.8) and the variable ones with their maximum (§3). */
const FIXED: Record<string, number> = { '01': 14, '17': 6 };
const VARIABLE: Record<string, number> = { '10': 20, '21': 20 };
const NAMES: Record<string, string> = { '01': 'GTIN（01）', '17': '有効期限（17）', '10': '製造番号（10）', '21': 'シリアル番号（21）' };

/** GS1 AI encodable character set 82 (§7.11). */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

/**
 * Symbology identifiers a scanner may prefix when set to (ISO/IEC 15424): `]d2` GS1 DataMatrix,
 * `]C1` GS1-128, `]Q3` GS1 QR Code, `]e0` GS1 DataBar.
 */
const SYMBOLOGY_ID = /^\](?:d2|C1|Q3|e0)/;

/** The GS1 check digit of the digits before it (§7.9): weights 3,1,3,… from the rightmost. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `gtin` is 14 digits whose last is the GS1 check digit of the other 13. */
export function isValidGtin14(gtin: string): boolean {
  return /^\d{14}$/.test(gtin) && gs1CheckDigit(gtin.slice(0, 13)) === Number(gtin[13]);
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * A YYMMDD date (AI 17) as YYYY-MM-DD, or undefined when it is not a day. The century (§7.12): with
 * D = YY − (the last two digits of the current year), D from 51 to 99 → the previous century; D from
 * −99 to −50 → the next century; otherwise the current one. Day "00" → the month's last day.
 */
export function gs1Date(yymmdd: string, today: string): string | undefined {
  if (!/^\d{6}$/.test(yymmdd)) return undefined;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  const thisYear = Number(today.slice(0, 4));
  const d = yy - (thisYear % 100);
  const century = Math.floor(thisYear / 100) + (d >= 51 ? -1 : d <= -50 ? 1 : 0);
  const year = century * 100 + yy;
  if (mm < 1 || mm > 12) return undefined;
  const last = daysInMonth(year, mm);
  if (dd > last) return undefined;
  return `${String(year).padStart(4, '0')}-${pad2(mm)}-${pad2(dd === 0 ? last : dd)}`;
}

const fail = (code: Gs1ProblemCode, message: string, ai?: string): Gs1Result => ({ ok: false, problem: { code, message, ...(ai ? { ai } : {}) } });

/** Checks one element's value; the element with it set, or the problem. */
function take(element: Gs1Element, ai: string, value: string, today: string): Gs1Problem | undefined {
  const named = NAMES[ai]!;
  const key = ai === '01' ? 'gtin' : ai === '17' ? 'expiryYymmdd' : ai === '10' ? 'lotNumber' : 'serial';
  if (element[key] !== undefined) return { code: 'duplicate-ai', ai, message: `${named}が2回あります。` };
  switch (ai) {
    case '01': {
      if (!/^\d*$/.test(value)) return { code: 'gtin-digits', ai, message: `${named}は数字14桁です。` };
      if (value.length !== 14) return { code: 'gtin-length', ai, message: `${named}は14桁です（読み取ったのは${value.length}桁）。` };
      if (!isValidGtin14(value)) return { code: 'gtin-check-digit', ai, message: `${named}のチェックデジットが合いません。もう一度読み取ってください。` };
      element.gtin = value;
      return undefined;
    }
    case '17': {
      if (!/^\d{6}$/.test(value)) return { code: 'expiry-format', ai, message: `${named}は数字6桁（YYMMDD）です。` };
      const date = gs1Date(value, today);
      if (!date) return { code: 'expiry-date', ai, message: `${named}「${value}」は暦にない日付です。` };
      element.expiryYymmdd = value;
      element.expirationDate = date;
      return undefined;
    }
    default: {
      const what = ai === '10' ? 'lot' : 'serial';
      if (value.length === 0) return { code: `${what}-empty`, ai, message: `${named}が空です。` };
      if (value.length > VARIABLE[ai]!)
        return {
          code: `${what}-length`,
          ai,
          message: `${named}は20文字までです（${value.length}文字）。区切り（GS）が読み取れていない可能性があります。`,
        };
      if (!CSET82.test(value)) return { code: `${what}-characters`, ai, message: `${named}に使えない文字があります。` };
      element[key] = value;
      return undefined;
    }
  }
}

/** The next AI at `s[i…]`: the longest known one that starts there. */
function aiAt(s: string, i: number): string | undefined {
  const two = s.slice(i, i + 2);
  return two in FIXED || two in VARIABLE ? two : undefined;
}

/**
 * Parses what a scanner typed: with FNC1 as GS (`0x1D`) or with the human-readable parentheses
 * `(01)…(17)…(10)…`; a leading symbology identifier (`]d2`) or FNC1 and surrounding white space are
 * ignored. `today` (YYYY-MM-DD) places the expiry's century. The first problem found, or every element.
 */
export function parseGs1(input: string, today: string): Gs1Result {
  let s = input.trim().replace(SYMBOLOGY_ID, '');
  // U+241D (␝) is how some keyboard-wedge scanners and terminals show GS: the same separator.
  s = s.replaceAll('\u241d', GS);
  while (s.startsWith(GS)) s = s.slice(1);
  if (s.length === 0) return fail('empty', '読み取った文字がありません。');
  const element: Gs1Element = {};

  if (s.startsWith('(')) {
    // Human-readable form: each "(AI)" starts an element; GS may still follow a variable one.
    const parts = s.split(/\((\d{2,4})\)/);
    if (parts[0] !== '') return fail('unknown-ai', '「(」で始まるAI（アプリケーション識別子）が読み取れません。');
    for (let k = 1; k < parts.length; k += 2) {
      const ai = parts[k]!;
      const value = parts[k + 1]!.replaceAll(GS, '');
      if (!(ai in FIXED || ai in VARIABLE)) return fail('unknown-ai', `AI（${ai}）はワクチンのバーコードでは扱いません。`, ai);
      const p = take(element, ai, value, today);
      if (p) return { ok: false, problem: p };
    }
    return { ok: true, element };
  }

  let i = 0;
  while (i < s.length) {
    const ai = aiAt(s, i);
    if (!ai) {
      const shown = s.slice(i, i + 2).replaceAll(GS, '');
      return fail('unknown-ai', `${i + 1}文字目のAI（${shown}）はワクチンのバーコードでは扱いません。`, shown);
    }
    i += ai.length;
    let value: string;
    if (ai in FIXED) {
      value = s.slice(i, i + FIXED[ai]!);
      // A GS right after a pre-defined-length element is not needed, but some encoders put one: skip it.
      if (value.includes(GS)) value = value.slice(0, value.indexOf(GS));
      i += value.length;
    } else {
      const end = s.indexOf(GS, i);
      value = s.slice(i, end === -1 ? s.length : end);
      i += value.length;
    }
    const p = take(element, ai, value, today);
    if (p) return { ok: false, problem: p };
    while (s[i] === GS) i++;
  }
  return { ok: true, element };
}

/**
 * The element string of `element`, as a scanner transmits it (`gs`, the default: FNC1 as GS, the
 * pre-defined-length elements first so that only a variable-length element not at the end needs a
 * separator) or as printed under the barcode (`parentheses`).
 */
export function formatGs1(element: Gs1Element, form: 'gs' | 'parentheses' = 'gs'): string {
  const parts: Array<[string, string]> = [];
  if (element.gtin !== undefined) parts.push(['01', element.gtin]);
  if (element.expiryYymmdd !== undefined) parts.push(['17', element.expiryYymmdd]);
  if (element.lotNumber !== undefined) parts.push(['10', element.lotNumber]);
  if (element.serial !== undefined) parts.push(['21', element.serial]);
  if (form === 'parentheses') return parts.map(([ai, v]) => `(${ai})${v}`).join('');
  return parts.map(([ai, v], k) => `${ai}${v}${ai in VARIABLE && k < parts.length - 1 ? GS : ''}`).join('');
}
