import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containsMyNumber, holdsTwelveDigits, redactTwelveDigits, twelveDigitRuns } from '../src/text/my-number.ts';
import { myNumberCheckDigit } from '../src/text/checkdigits.ts';

/** The one "looks like a My Number" rule (text/my-number.ts), which every guard uses. */
const VALID = '983205673214';
const INVALID = '983205673215';
const wide = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const g = (n: string, sep: string, sizes = [4, 4, 4]) => {
  const out: string[] = [];
  let at = 0;
  for (const k of sizes) out.push(n.slice(at, (at += k)));
  return out.join(sep);
};

describe('My Number detection', () => {
  it('finds a My Number in any width and any grouping', () => {
    for (const text of [
      VALID,
      wide(VALID),
      g(VALID, '-'),
      g(VALID, ' '),
      g(VALID, '　'),
      g(VALID, '.'),
      g(VALID, '．'),
      g(VALID, '_'),
      g(VALID, '/'),
      g(VALID, '－'),
      g(VALID, 'ー'),
      g(VALID, ' - '),
      g(VALID, ' ', [2, 4, 3, 3]),
      wide(g(VALID, '-', [3, 3, 3, 3])),
      `${wide(VALID.slice(0, 6))}${VALID.slice(6)}`,
      `個人番号は${VALID}です`,
      `No.${VALID}`,
      `MN${VALID}`,
      `電話 03-1234-5678 ${g(VALID, ' ')}`,
      `1 ${g(VALID, ' ')}`,
    ])
      assert.equal(containsMyNumber(text), true, text);
  });

  it('refuses nothing for its length alone: a failed check digit, 11 or 13 digits, other numbers', () => {
    for (const text of [
      INVALID,
      g(INVALID, '-'),
      VALID.slice(1),
      `${VALID}0`,
      `0${VALID}`,
      '03-1234-5678',
      '2026-04-01',
      '1311234567',
      '受付番号 12345678901',
      `${VALID.slice(0, 6)}:${VALID.slice(6)}`,
      `${VALID.slice(0, 6)}    ${VALID.slice(6)}`,
    ])
      assert.equal(containsMyNumber(text), false, text);
  });

  it('finds every valid one among many digits (each window of whole groups)', () => {
    let hits = 0;
    for (let i = 0; i < 200; i++) {
      const body = String(10_000_000_000 + i * 7_919).slice(0, 11);
      const n = body + myNumberCheckDigit(body);
      if (containsMyNumber(`${i} ${g(n, '.', [6, 6])} ${i}`)) hits++;
    }
    assert.equal(hits, 200);
  });

  it('in machine values (token mode) ignores runs inside longer tokens: UUIDs, digests, base32 identifiers', () => {
    for (const keep of [
      '00000000-0000-4000-8000-123456789012',
      'ab123456789012cd',
      `pp${'234567'.repeat(2)}abc`,
      '1311234567',
      '1234567890123',
      'key-123456789012',
    ])
      assert.equal(holdsTwelveDigits(keep), false, keep);
    for (const bad of ['123456789012', '1234 5678 9012', '1234-5678-9012', wide('123456789012'), 'x 123456789012 y'])
      assert.equal(holdsTwelveDigits(bad), true, bad);
  });

  it('redacts every 12-digit run for logs, overlapping ones included, and keeps the rest of the text', () => {
    assert.equal(redactTwelveDigits(`a ${g(VALID, '.')} b ${wide(INVALID)} c`), 'a [REDACTED] b [REDACTED] c');
    assert.equal(redactTwelveDigits(`${g(VALID, ' ', [4, 4, 4])} 1234`), '[REDACTED]');
    assert.equal(redactTwelveDigits('2026-11-25T06:37:28.164Z 1311234567'), '2026-11-25T06:37:28.164Z 1311234567');
    assert.deepEqual(
      twelveDigitRuns(`x ${g(VALID, '-')} y`).map((r) => r.digits),
      [VALID],
    );
  });
});
