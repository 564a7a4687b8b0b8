/**
 * The GS1 element string a scanner types for a vaccine package (packages/protocol/src/gs1.ts): the
 * forms a scanner sends, the GS1 rules (check digit, expiry day "00", the century window), the
 * problems named, and a property: any element formatted either way parses back to itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GS, formatGs1, gs1CheckDigit, gs1Date, isValidGtin14, parseGs1, type Gs1Element } from '../src/gs1.ts';

const TODAY = '2026-12-02';
/** GS1's own example GTIN, and a Japanese (prefix 498) one with indicator 1: both with valid check digits. */
const GTIN = '09506000134352';
const GTIN_JP = '14987123456781';

describe('GS1 element strings of vaccine packages', () => {
  it('computes the GS1 check digit (weights 3,1 from the right)', () => {
    assert.equal(gs1CheckDigit('0950600013435'), 2);
    assert.equal(gs1CheckDigit('1498712345678'), 1);
    assert.ok(isValidGtin14(GTIN));
    assert.ok(isValidGtin14(GTIN_JP));
    assert.ok(!isValidGtin14('09506000134353'));
    assert.ok(!isValidGtin14('0950600013435'));
  });

  const parsed: Array<[string, string, Gs1Element]> = [
    ['FNC1 as GS, lot last', `01${GTIN}17270331` + `10AB12C`, { gtin: GTIN, expiryYymmdd: '270331', expirationDate: '2027-03-31', lotNumber: 'AB12C' }],
    [
      'a leading FNC1 and a symbology identifier',
      `]d2${GS}01${GTIN_JP}1728063010X-01${GS}21SN0001`,
      { gtin: GTIN_JP, expiryYymmdd: '280630', expirationDate: '2028-06-30', lotNumber: 'X-01', serial: 'SN0001' },
    ],
    [
      'the printed form with parentheses',
      `(01)${GTIN}(17)270300(10)LOT42`,
      { gtin: GTIN, expiryYymmdd: '270300', expirationDate: '2027-03-31', lotNumber: 'LOT42' },
    ],
    ['day "00" in a leap February', `01${GTIN}1728020010A`, { gtin: GTIN, expiryYymmdd: '280200', expirationDate: '2028-02-29', lotNumber: 'A' }],
    [
      'the lot before the expiry, ended by GS',
      `01${GTIN}10LOT9${GS}17261231`,
      { gtin: GTIN, expiryYymmdd: '261231', expirationDate: '2026-12-31', lotNumber: 'LOT9' },
    ],
    [
      'a GS after a fixed-length element, and white space around',
      `  01${GTIN}${GS}17270101${GS}10Q  `,
      { gtin: GTIN, expiryYymmdd: '270101', expirationDate: '2027-01-01', lotNumber: 'Q' },
    ],
    ['a lot of 20 characters, the maximum', `10${'A'.repeat(20)}`, { lotNumber: 'A'.repeat(20) }],
  ];
  for (const [what, input, element] of parsed)
    it(`parses ${what}`, () => {
      assert.deepEqual(parseGs1(input, TODAY), { ok: true, element });
    });

  const refused: Array<[string, string, string, string?]> = [
    ['nothing', '   ', 'empty'],
    ['a wrong check digit', `01${GTIN.slice(0, 13)}9`, 'gtin-check-digit', '01'],
    ['a GTIN cut short at the end', `010950600013`, 'gtin-length', '01'],
    ['a GTIN with a letter', `01095060001343A2`, 'gtin-digits', '01'],
    ['month 13', `01${GTIN}17271301`, 'expiry-date', '17'],
    ['31 April', `01${GTIN}17270431`, 'expiry-date', '17'],
    ['29 February of a common year', `01${GTIN}17270229`, 'expiry-date', '17'],
    ['an expiry with a letter', `(17)27O331`, 'expiry-format', '17'],
    ['an unknown AI', `01${GTIN}11270101`, 'unknown-ai', '11'],
    ['an unknown AI in parentheses', `(01)${GTIN}(240)X`, 'unknown-ai', '240'],
    ['a lot over 20 characters (a GS lost)', `10${'A'.repeat(21)}`, 'lot-length', '10'],
    ['an empty lot', `10${GS}17270101`, 'lot-empty', '10'],
    ['a character outside set 82', `10ロット1`, 'lot-characters', '10'],
    ['an AI twice', `10A${GS}10B`, 'duplicate-ai', '10'],
    ['a serial over 20 characters', `21${'9'.repeat(21)}`, 'serial-length', '21'],
  ];
  for (const [what, input, code, ai] of refused)
    it(`refuses ${what} (${code})`, () => {
      const r = parseGs1(input, TODAY);
      assert.equal(r.ok, false, JSON.stringify(r));
      if (r.ok) return;
      assert.equal(r.problem.code, code);
      assert.equal(r.problem.ai, ai);
      assert.match(r.problem.message, /[ぁ-んァ-ヶ一-龠]/, 'the message is Japanese');
    });

  it('places the century by the sliding window of §7.12', () => {
    // In 2026: 76 is 50 years ahead (still this century), 77 is 51 ahead (the previous one).
    assert.equal(gs1Date('761231', '2026-01-01'), '2076-12-31');
    assert.equal(gs1Date('770101', '2026-01-01'), '1977-01-01');
    // In 2099: 48 − 99 = −51 → the next century; 50 − 99 = −49 → this one.
    assert.equal(gs1Date('480101', '2099-06-01'), '2148-01-01');
    assert.equal(gs1Date('500101', '2099-06-01'), '2050-01-01');
    assert.equal(gs1Date('000100', '2026-01-01'), '2000-01-31');
    assert.equal(gs1Date('261300', '2026-01-01'), undefined);
  });

  it('formats then parses back to the same element, with GS or with parentheses (property)', () => {
    const set82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`.split('');
    const text = (chars: string[]) => fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 20 }).map((a) => a.join(''));
    const gtin = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 }).map((d) => {
      const body = d.join('');
      return body + gs1CheckDigit(body);
    });
    const yymmdd = fc
      .record({ yy: fc.integer({ min: 0, max: 99 }), mm: fc.integer({ min: 1, max: 12 }), dd: fc.integer({ min: 0, max: 28 }) })
      .map(({ yy, mm, dd }) => [yy, mm, dd].map((n) => String(n).padStart(2, '0')).join(''));
    const element = (chars: string[]) =>
      fc.record({ gtin, expiryYymmdd: yymmdd, lotNumber: text(chars), serial: text(chars) }, { requiredKeys: [] }) as fc.Arbitrary<Gs1Element>;
    const withDate = (e: Gs1Element): Gs1Element => (e.expiryYymmdd === undefined ? e : { ...e, expirationDate: gs1Date(e.expiryYymmdd, TODAY) });
    const sorted = (e: Gs1Element) => Object.fromEntries(Object.entries(e).sort(([a], [b]) => a.localeCompare(b)));
    fc.assert(
      fc.property(element(set82), fc.boolean(), (e, prefixed) => {
        fc.pre(Object.keys(e).length > 0);
        const typed = (prefixed ? `]d2${GS}` : '') + formatGs1(e);
        const r = parseGs1(typed, TODAY);
        assert.ok(r.ok, JSON.stringify({ typed, r }));
        assert.deepEqual(sorted(r.element), sorted(withDate(e)));
      }),
      { numRuns: 2000 },
    );
    // In the printed form "(" opens an AI, so a lot holding "(" is not written that way.
    fc.assert(
      fc.property(element(set82.filter((c) => c !== '(')), (e) => {
        fc.pre(Object.keys(e).length > 0);
        const r = parseGs1(formatGs1(e, 'parentheses'), TODAY);
        assert.ok(r.ok, JSON.stringify(r));
        assert.deepEqual(sorted(r.element), sorted(withDate(e)));
      }),
      { numRuns: 2000 },
    );
  });
});
