import { isValidMyNumber } from './checkdigits.ts';

/**
 * "Looks like a My Number": the one rule every guard uses (free text of records and notifications,
 * audit rows, request ids, log lines). A My Number (個人番号, 12 digits) written by a person may be
 * in ASCII or full-width digits and grouped any way: 983205673214, ９８３２０５６７３２１４,
 * 9832-0567-3214, 9832.0567.3214, 98 3205 673 214, "…03-1234-5678 9832 0567 3214".
 *
 * A *run* is a sequence of whole digit groups, joined by one to three separator characters, that
 * holds exactly 12 digits; groups are maximal (a 13-digit number holds no run). Runs may overlap.
 */

export interface TwelveDigitRun {
  /** Where the run starts and ends in the text (UTF-16 indexes, end exclusive). */
  start: number;
  end: number;
  /** Its 12 digits in ASCII. */
  digits: string;
}

/** Between two groups: spaces, dashes and hyphens, dots, commas, slashes, underscores (half- and full-width). */
const SEPARATOR = /^[ \u00A0\u3000\t\-\u2010-\u2015\u2212\uFF0D\u30FC\uFF70.\uFF0E\u30FB\uFF65,\uFF0C\u3001\/\uFF0F_]{1,3}$/;
/** In machine text (identifiers, tokens): only a space or a hyphen, once, as on the card (4-4-4). */
const TOKEN_SEPARATOR = /^[ -]$/;
/** In machine text a run glued to these is part of a longer token (hex, base32/64, a UUID), not a number. */
const TOKEN_CHAR = /[0-9A-Za-z_+/=-]/;

const DIGIT_GROUP = /[0-9\uFF10-\uFF19]+/g;

const ascii = (s: string) => s.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/**
 * Every run of exactly 12 digits in `text`. `token` mode is for machine-made values (audit rows,
 * request ids): groups join only by a single space or hyphen, and a run touching a letter, digit,
 * `_ + / = -` is part of a longer token and does not count.
 */
export function twelveDigitRuns(text: string, mode: 'text' | 'token' = 'text'): TwelveDigitRun[] {
  const groups: Array<{ start: number; end: number }> = [];
  let digitCount = 0;
  for (const m of text.matchAll(DIGIT_GROUP)) {
    groups.push({ start: m.index!, end: m.index! + m[0].length });
    digitCount += m[0].length;
  }
  if (digitCount < 12) return [];
  const joins = mode === 'token' ? TOKEN_SEPARATOR : SEPARATOR;
  const runs: TwelveDigitRun[] = [];
  for (let i = 0; i < groups.length; i++) {
    let length = 0;
    for (let j = i; j < groups.length; j++) {
      if (j > i && !joins.test(text.slice(groups[j - 1].end, groups[j].start))) break;
      length += groups[j].end - groups[j].start;
      if (length > 12) break;
      if (length < 12) continue;
      const start = groups[i].start;
      const end = groups[j].end;
      if (mode === 'token' && (TOKEN_CHAR.test(text[start - 1] ?? '') || TOKEN_CHAR.test(text[end] ?? ''))) break;
      let digits = '';
      for (let k = i; k <= j; k++) digits += text.slice(groups[k].start, groups[k].end);
      runs.push({ start, end, digits: ascii(digits) });
      break;
    }
  }
  return runs;
}

/**
 * True when text a person wrote holds a My Number: a run of 12 digits whose last is the 個人番号
 * check digit (so a long reference or telephone number is not refused for its length alone).
 * Every free-text field of every record and message is checked with this.
 */
export function containsMyNumber(text: string): boolean {
  return twelveDigitRuns(text).some((r) => isValidMyNumber(r.digits));
}

/** True when a machine-made value (an audit field, a request id) holds any 12-digit run, valid or not. */
export function holdsTwelveDigits(value: string): boolean {
  return twelveDigitRuns(value.normalize('NFKC'), 'token').length > 0;
}

/** Every 12-digit run replaced by `mask`, check digit or not (log lines: a mistyped My Number is still one). */
export function redactTwelveDigits(text: string, mask = '[REDACTED]'): string {
  const runs = twelveDigitRuns(text);
  if (runs.length === 0) return text;
  let out = '';
  let at = 0;
  for (const r of runs) {
    if (r.end <= at) continue;
    out += text.slice(at, Math.max(at, r.start)) + (r.start >= at ? mask : '');
    at = r.end;
  }
  return out + text.slice(at);
}
