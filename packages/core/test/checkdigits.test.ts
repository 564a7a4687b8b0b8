import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isMedicalInstitutionCodeFormat,
  isNationalRecipientNumberFormat,
  isValidLocalGovernmentCode,
  isValidMedicalInstitutionCode,
  isValidMyNumber,
  isValidPayerNumber,
  isValidRecipientNumber,
  legalBasisCode,
  localGovernmentCodeCheckDigit,
  myNumberCheckDigit,
  payerNumberCheckDigit,
  recipientNumberCheckDigit,
} from '../src/text/checkdigits.ts';

/** Deterministic PRNG (mulberry32) so failures are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const randomDigits = (next: () => number, n: number): string => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');

/** Every string that differs from `s` in exactly one digit position. */
function* singleSubstitutions(s: string): Generator<{ pos: number; mutated: string }> {
  for (let pos = 0; pos < s.length; pos++) {
    for (let d = 0; d <= 9; d++) {
      if (String(d) === s[pos]) continue;
      yield { pos, mutated: s.slice(0, pos) + d + s.slice(pos + 1) };
    }
  }
}

/** Inputs every validator must reject without throwing. */
const JUNK: unknown[] = [undefined, null, 0, 983205673214, {}, [], '', ' ', 'abc', Symbol('x'), true];

function assertRejectsJunk(fn: (s: string) => boolean): void {
  for (const v of JUNK) {
    assert.doesNotThrow(() => fn(v as string));
    assert.equal(fn(v as string), false, `expected false for ${String(typeof v === 'symbol' ? 'symbol' : v)}`);
  }
}

const toFullWidth = (s: string): string => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('個人番号 (My Number)', () => {
  test('accepts a known-valid number and computes its check digit', () => {
    assert.equal(isValidMyNumber('983205673214'), true);
    assert.equal(myNumberCheckDigit('98320567321'), 4);
  });

  test('weights 6,5,4,3,2,7,6,5,4,3,2 give the documented check digits', () => {
    // Σ = 54+40+12+6+0+35+36+35+12+6+2 = 238, 238 mod 11 = 7, check 11−7 = 4.
    assert.equal(myNumberCheckDigit('98320567321'), 4);
    // r = 0 → 0: all zeros.
    assert.equal(myNumberCheckDigit('00000000000'), 0);
    // r = 1 → 0: last body digit 6 → Σ = 12, r = 1.
    assert.equal(myNumberCheckDigit('00000000006'), 0);
    // r = 2 → 9: last body digit 1 → Σ = 2.
    assert.equal(myNumberCheckDigit('00000000001'), 9);
    // r = 10 → 1: first digit 5 → Σ = 30 (mod 11 = 8) → 3; first digit 9 → 54 mod 11 = 10 → 1.
    assert.equal(myNumberCheckDigit('50000000000'), 3);
    assert.equal(myNumberCheckDigit('90000000000'), 1);
  });

  test('matches the statutory Pn×Qn formula (n counted from the right)', () => {
    const next = rng(0x5eed);
    for (let k = 0; k < 500; k++) {
      const body = randomDigits(next, 11);
      let sum = 0;
      for (let n = 1; n <= 11; n++) {
        const p = Number(body[11 - n]);
        const q = n <= 6 ? n + 1 : n - 5;
        sum += p * q;
      }
      const r = sum % 11;
      assert.equal(myNumberCheckDigit(body), r <= 1 ? 0 : 11 - r, body);
      assert.equal(isValidMyNumber(body + myNumberCheckDigit(body)), true);
    }
  });

  test('rejects wrong check digit, wrong length, full-width digits, junk', () => {
    assert.equal(isValidMyNumber('983205673215'), false);
    assert.equal(isValidMyNumber('98320567321'), false);
    assert.equal(isValidMyNumber('9832056732140'), false);
    assert.equal(isValidMyNumber(toFullWidth('983205673214')), false);
    assert.equal(isValidMyNumber('9832-0567-3214'), false);
    assert.equal(isValidMyNumber(' 983205673214'), false);
    assert.equal(isValidMyNumber('98320567321a'), false);
    assertRejectsJunk(isValidMyNumber);
  });

  test('check-digit helper throws on a malformed body', () => {
    assert.throws(() => myNumberCheckDigit('123'), RangeError);
    assert.throws(() => myNumberCheckDigit(toFullWidth('98320567321')), RangeError);
  });

  test('single-digit substitution: detected except when the remainder moves between 0 and 1', () => {
    // Remainders 0 and 1 share check digit 0, so the claim "mod 11 always
    // detects a substitution" does NOT hold for this scheme. Concrete case:
    assert.equal(isValidMyNumber('000000000000'), true);
    assert.equal(isValidMyNumber('000000000060'), true); // one digit changed, still valid

    const weights = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    const rem = (body: string) => [...body].reduce((a, c, i) => a + Number(c) * weights[i], 0) % 11;
    const next = rng(12345);
    let checked = 0;
    let undetected = 0;
    for (let k = 0; k < 300; k++) {
      const body = randomDigits(next, 11);
      const valid = body + myNumberCheckDigit(body);
      assert.equal(isValidMyNumber(valid), true);
      for (const { pos, mutated } of singleSubstitutions(valid)) {
        checked++;
        if (pos === 11) {
          // Changing the check digit itself is always detected.
          assert.equal(isValidMyNumber(mutated), false, mutated);
          continue;
        }
        const r0 = rem(valid.slice(0, 11));
        const r1 = rem(mutated.slice(0, 11));
        assert.notEqual(r0, r1, 'weights are non-zero mod 11, so Σ mod 11 always changes');
        const expectUndetected = r0 <= 1 && r1 <= 1;
        if (expectUndetected) undetected++;
        assert.equal(isValidMyNumber(mutated), expectUndetected, `${valid} → ${mutated}`);
      }
    }
    assert.equal(checked, 300 * 12 * 9);
    // Undetected substitutions exist but are rare (< 2 %).
    assert.ok(undetected / checked < 0.02, `undetected ratio ${undetected}/${checked}`);
  });
});

describe('公費負担者番号 (payer number)', () => {
  test('accepts known-valid numbers', () => {
    for (const s of ['54016027', '81136244', '88138243']) {
      assert.equal(isValidPayerNumber(s), true, s);
      assert.equal(payerNumberCheckDigit(s.slice(0, 7)), Number(s[7]), s);
    }
  });

  test('weights 2,1,… start from the rightmost body digit and products are digit-summed', () => {
    // 5401602: from the right 2·2=4, 0·1=0, 6·2=12→3, 1·1=1, 0·2=0, 4·1=4, 5·2=10→1 → Σ=13 → 10−3 = 7.
    assert.equal(payerNumberCheckDigit('5401602'), 7);
    // 保険者番号 example of the same rule: 3312001 → Σ=15 → 5.
    assert.equal(payerNumberCheckDigit('3312001'), 5);
    // Σ mod 10 = 0 → check 0.
    assert.equal(payerNumberCheckDigit('0000000'), 0);
    // Product 10 counts as 1+0: 0000005 → Σ = 1 → 9 (not 10 → 0).
    assert.equal(payerNumberCheckDigit('0000005'), 9);
    // Product 18 counts as 1+8 = 9: 0000009 → Σ = 9 → 1.
    assert.equal(payerNumberCheckDigit('0000009'), 1);
  });

  test('legalBasisCode returns the 法別番号', () => {
    assert.equal(legalBasisCode('54016027'), '54');
    assert.equal(legalBasisCode('81136244'), '81');
    assert.equal(legalBasisCode('12136012'), '12');
    assert.throws(() => legalBasisCode('5401'), RangeError);
  });

  test('rejects wrong check digit, wrong length, full-width digits, junk', () => {
    assert.equal(isValidPayerNumber('54016028'), false);
    assert.equal(isValidPayerNumber('5401602'), false);
    assert.equal(isValidPayerNumber('540160270'), false);
    assert.equal(isValidPayerNumber(toFullWidth('54016027')), false);
    assertRejectsJunk(isValidPayerNumber);
    assert.throws(() => payerNumberCheckDigit('54016'), RangeError);
  });

  test('every single-digit substitution is detected', () => {
    const next = rng(777);
    let checked = 0;
    for (let k = 0; k < 500; k++) {
      const body = randomDigits(next, 7);
      const valid = body + payerNumberCheckDigit(body);
      assert.equal(isValidPayerNumber(valid), true);
      for (const { mutated } of singleSubstitutions(valid)) {
        checked++;
        assert.equal(isValidPayerNumber(mutated), false, `${valid} → ${mutated}`);
      }
    }
    assert.equal(checked, 500 * 8 * 9);
  });
});

describe('公費受給者番号 (recipient number)', () => {
  test('computes the modulus-10 weights 2-1 check digit from the rightmost body digit', () => {
    // 123456: from the right 6·2=12→3, 5, 4·2=8, 3, 2·2=4, 1 → Σ=24 → 10−4 = 6.
    assert.equal(recipientNumberCheckDigit('123456'), 6);
    assert.equal(isValidRecipientNumber('1234566'), true);
    assert.equal(isValidRecipientNumber('1234567'), false);
    // 000005: 5·2 = 10 → 1 → Σ=1 → 9.
    assert.equal(recipientNumberCheckDigit('000005'), 9);
    assert.equal(recipientNumberCheckDigit('000000'), 0);
  });

  test('national format is exactly 7 ASCII digits', () => {
    assert.equal(isNationalRecipientNumberFormat('1234566'), true);
    assert.equal(isNationalRecipientNumberFormat('1234567'), true); // format only, check digit not tested
    assert.equal(isNationalRecipientNumberFormat('123456'), false);
    assert.equal(isNationalRecipientNumberFormat('12345678'), false);
    assert.equal(isNationalRecipientNumberFormat(toFullWidth('1234566')), false);
    assert.equal(isNationalRecipientNumberFormat('A123456'), false);
    assertRejectsJunk(isNationalRecipientNumberFormat);
  });

  test('local (up to 30 character) numbers are not national-format and fail the check-digit validator', () => {
    const local = 'KODOMO-2024-000123';
    assert.equal(isNationalRecipientNumberFormat(local), false);
    assert.equal(isValidRecipientNumber(local), false);
  });

  test('rejects junk and detects every single-digit substitution', () => {
    assertRejectsJunk(isValidRecipientNumber);
    assert.throws(() => recipientNumberCheckDigit('12345'), RangeError);
    const next = rng(4242);
    for (let k = 0; k < 300; k++) {
      const body = randomDigits(next, 6);
      const valid = body + recipientNumberCheckDigit(body);
      assert.equal(isValidRecipientNumber(valid), true);
      for (const { mutated } of singleSubstitutions(valid)) {
        assert.equal(isValidRecipientNumber(mutated), false, `${valid} → ${mutated}`);
      }
    }
  });
});

describe('地方公共団体コード', () => {
  const examples: Array<[string, string]> = [
    ['131016', '千代田区'],
    ['011002', '札幌市'],
    ['271004', '大阪市'],
    ['011011', '札幌市中央区'], // Σ = 11, r = 0 → 1
    ['132012', '八王子市'],
    ['141003', '横浜市'],
    ['401005', '福岡市'],
    ['472018', '那覇市'],
    ['090000', '栃木県'], // Σ = 45, r = 1 → 0
    ['092011', '宇都宮市'], // Σ = 55, r = 0 → 1
    ['130001', '東京都'], // Σ = 21, r = 10 → 1
    ['010006', '北海道'],
  ];

  for (const [code, name] of examples) {
    test(`${code} ${name} is valid`, () => {
      assert.equal(isValidLocalGovernmentCode(code), true);
      assert.equal(localGovernmentCodeCheckDigit(code.slice(0, 5)), Number(code[5]));
    });
  }

  test('mapping r → check digit is (11 − r) mod 10', () => {
    const weights = [6, 5, 4, 3, 2];
    const seen = new Map<number, number>();
    const next = rng(99);
    for (let k = 0; k < 2000; k++) {
      const body = randomDigits(next, 5);
      const r = [...body].reduce((a, c, i) => a + Number(c) * weights[i], 0) % 11;
      const check = localGovernmentCodeCheckDigit(body);
      seen.set(r, check);
      assert.equal(check, (11 - r) % 10);
    }
    assert.equal(seen.get(0), 1);
    assert.equal(seen.get(1), 0);
    assert.equal(seen.get(2), 9);
    assert.equal(seen.get(10), 1);
  });

  test('rejects wrong check digit, prefecture out of range, full-width, junk', () => {
    assert.equal(isValidLocalGovernmentCode('131017'), false);
    assert.equal(isValidLocalGovernmentCode('011010'), false); // r = 0 must not map to 0
    assert.equal(isValidLocalGovernmentCode('090001'), false); // r = 1 must not map to 1
    assert.equal(isValidLocalGovernmentCode('13101'), false);
    assert.equal(isValidLocalGovernmentCode('000001'), false); // prefecture 00 (Σ=0 → check 1)
    assert.equal(isValidLocalGovernmentCode('480002'), false); // prefecture 48 (check digit itself correct)
    assert.equal(localGovernmentCodeCheckDigit('48000'), 2); // 24+40 = 64, r = 9 → 2
    assert.equal(isValidLocalGovernmentCode(toFullWidth('131016')), false);
    assertRejectsJunk(isValidLocalGovernmentCode);
    assert.throws(() => localGovernmentCodeCheckDigit('1310'), RangeError);
  });
});

describe('医療機関コード (format only)', () => {
  test('accepts 10 digits with prefecture 01–47 and 点数表 1/3/4/6', () => {
    for (const s of ['1310123456', '0131234567', '4741234560', '2761234567']) {
      assert.equal(isValidMedicalInstitutionCode(s), true, s);
      assert.equal(isMedicalInstitutionCodeFormat(s), true, s);
    }
  });

  test('rejects bad prefecture, bad 点数表 digit, wrong length, full-width, junk', () => {
    assert.equal(isValidMedicalInstitutionCode('0011234567'), false);
    assert.equal(isValidMedicalInstitutionCode('4811234567'), false);
    for (const d of ['0', '2', '5', '7', '8', '9']) {
      assert.equal(isValidMedicalInstitutionCode(`13${d}1234567`), false, d);
    }
    assert.equal(isValidMedicalInstitutionCode('131123456'), false);
    assert.equal(isValidMedicalInstitutionCode('13112345678'), false);
    assert.equal(isValidMedicalInstitutionCode(toFullWidth('1311234567')), false);
    assertRejectsJunk(isValidMedicalInstitutionCode);
  });
});
