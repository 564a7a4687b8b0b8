/**
 * Check-digit and format validators for Japanese public identifiers.
 *
 * Pure functions, no I/O. Every `isValid*` / `is*Format` function returns
 * `false` (never throws) for non-strings, wrong lengths and anything other than
 * ASCII digits 0-9. Full-width digits (０-９) are deliberately NOT accepted:
 * normalising user input (see `normalizeDigits` in ./japanese.ts) is the
 * caller's job, so a validator never silently rewrites what it was given.
 *
 * The `*CheckDigit` helpers compute the check digit of a body; they are not
 * validators and throw a RangeError when the body is malformed.
 */

const digitsOnly = (s: unknown, length: number): s is string => typeof s === 'string' && s.length === length && /^[0-9]+$/.test(s);

const requireDigits = (s: unknown, length: number, what: string): string => {
  if (!digitsOnly(s, length)) {
    throw new RangeError(`${what} must be exactly ${length} ASCII digits`);
  }
  return s;
};

const toDigits = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0) - 48);

// ---------------------------------------------------------------------------
// 個人番号 (My Number)
// ---------------------------------------------------------------------------

/**
 * Weights for the 11 body digits, left to right.
 *
 * Source: 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 /
 * 行政手続における特定の個人を識別するための番号の利用等に関する法律の規定による
 * 通知カード及び個人番号カード並びに情報提供ネットワークシステムによる特定個人情報の
 * 提供等に関する省令 (平成26年総務省令第85号) 第5条 (検査用数字を算出する算式):
 *   check = 11 − (Σ_{n=1..11} Pn × Qn mod 11), but 0 when (Σ mod 11) ≤ 1,
 *   Pn = the n-th body digit counted from the RIGHT (n = 1 is the rightmost),
 *   Qn = n + 1 for 1 ≤ n ≤ 6, n − 5 for 7 ≤ n ≤ 11.
 * Read left to right that is 6,5,4,3,2,7,6,5,4,3,2.
 */
const MY_NUMBER_WEIGHTS = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Check digit (0-9) of a 12-digit 個人番号 from its first 11 digits. */
export function myNumberCheckDigit(first11: string): number {
  const body = toDigits(requireDigits(first11, 11, 'My Number body'));
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += body[i] * MY_NUMBER_WEIGHTS[i];
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/**
 * 12 ASCII digits whose last digit is the 検査用数字.
 *
 * Note: because remainders 0 and 1 both map to check digit 0, a single-digit
 * substitution in the body that moves the remainder between 0 and 1 is NOT
 * detected (e.g. 000000000000 and 000000000060 are both valid). Every other
 * single-digit substitution is detected.
 */
export function isValidMyNumber(s: string): boolean {
  if (!digitsOnly(s, 12)) return false;
  return myNumberCheckDigit(s.slice(0, 11)) === s.charCodeAt(11) - 48;
}

// ---------------------------------------------------------------------------
// Modulus 10, weights 2-1 (公費負担者番号 / 公費受給者番号 / 保険者番号)
// ---------------------------------------------------------------------------

/**
 * 検証番号 by modulus 10, weights 2,1,2,1,… starting from the RIGHTMOST body
 * digit; the digits of each product are added (a product of 12 counts 1 + 2);
 * check = 10 − (Σ mod 10), or 0 when Σ mod 10 is 0.
 *
 * Source: 厚生労働省 保険局 通知「診療報酬請求書等の記載要領等について」別添
 * (公費負担者番号・公費負担医療の受給者番号の設定 — 検証番号), the same rule as the
 * 8-digit 保険者番号 (保険者番号設定要領).
 *
 * Because d ↦ digitsum(2d) is a permutation of 0-9, any single-digit
 * substitution changes Σ mod 10 and is always detected.
 */
function mod10Weights21(body: string): number {
  const d = toDigits(body);
  let sum = 0;
  for (let i = d.length - 1, w = 2; i >= 0; i--, w = 3 - w) {
    const p = d[i] * w;
    sum += p >= 10 ? p - 9 : p; // digit sum of a product ≤ 18
  }
  return (10 - (sum % 10)) % 10;
}

/** Check digit of an 8-digit 公費負担者番号 from its first 7 digits. */
export function payerNumberCheckDigit(first7: string): number {
  return mod10Weights21(requireDigits(first7, 7, 'payer number body'));
}

/**
 * 公費負担者番号: 法別番号 (2) + 都道府県番号 (2) + 実施機関番号 (3) + 検証番号 (1).
 * Only the structure (8 ASCII digits) and the check digit are enforced.
 */
export function isValidPayerNumber(s: string): boolean {
  if (!digitsOnly(s, 8)) return false;
  return mod10Weights21(s.slice(0, 7)) === s.charCodeAt(7) - 48;
}

/**
 * 法別番号 — the first two digits of a 公費負担者番号 (e.g. "54" 難病法, "12" 生活保護).
 * Throws a RangeError unless `payer` is 8 ASCII digits (the check digit itself
 * is not verified here; call isValidPayerNumber for that).
 */
export function legalBasisCode(payer: string): string {
  return requireDigits(payer, 8, 'payer number').slice(0, 2);
}

/**
 * National 公費受給者番号 (公費負担医療の受給者番号): 6 digits + 検証番号, computed with the
 * same modulus-10 weights 2-1 rule as the payer number, again starting from the
 * rightmost body digit. Source: the same 記載要領 (受給者番号の検証番号).
 */
export function recipientNumberCheckDigit(first6: string): number {
  return mod10Weights21(requireDigits(first6, 6, 'recipient number body'));
}

/** True for exactly 7 ASCII digits: the shape of a national 公費受給者番号. */
export function isNationalRecipientNumberFormat(s: string): boolean {
  return digitsOnly(s, 7);
}

/**
 * Validates a NATIONAL 7-digit 公費受給者番号 including its check digit.
 *
 * Local (地方単独) programmes may issue 受給者番号 of up to 30 characters with no
 * check-digit rule. Callers must therefore call this only for national
 * programmes / when isNationalRecipientNumberFormat(s) is true, and accept
 * other local numbers without a check-digit test.
 */
export function isValidRecipientNumber(s: string): boolean {
  if (!digitsOnly(s, 7)) return false;
  return mod10Weights21(s.slice(0, 6)) === s.charCodeAt(6) - 48;
}

// ---------------------------------------------------------------------------
// 地方公共団体コード
// ---------------------------------------------------------------------------

/**
 * Check digit (検査数字) of a 6-digit 全国地方公共団体コード from its first 5 digits.
 *
 * Source: 総務省 全国地方公共団体コード (JIS X 0402 検査数字): weights 6,5,4,3,2
 * left to right; r = Σ mod 11; check = the last digit of (11 − r), i.e.
 * (11 − r) mod 10. So r = 0 → 1 and r = 1 → 0; r = 2..10 → 9..1.
 *
 * Arithmetic on real codes that fixes the two-digit cases:
 *   011011 札幌市中央区: 0·6+1·5+1·4+0·3+1·2 = 11, r = 0 → check 1 (11 − 0 = 11 → 1)
 *   092011 宇都宮市:      0+45+8+0+2 = 55,          r = 0 → check 1
 *   090000 栃木県:        0·6+9·5 = 45,              r = 1 → check 0 (11 − 1 = 10 → 0)
 *   130001 東京都:        6+15 = 21,                 r = 10 → check 1
 * and the ordinary cases, e.g. 131016 千代田区 Σ=27 r=5 → 6, 271004 大阪市 Σ=51
 * r=7 → 4, 472018 那覇市 Σ=69 r=3 → 8.
 *
 * Because r = 0 and r = 10 both give 1, this code does not detect every
 * single-digit substitution.
 */
export function localGovernmentCodeCheckDigit(first5: string): number {
  const d = toDigits(requireDigits(first5, 5, 'local government code body'));
  const sum = d[0] * 6 + d[1] * 5 + d[2] * 4 + d[3] * 3 + d[4] * 2;
  return (11 - (sum % 11)) % 10;
}

/**
 * 6-digit 全国地方公共団体コード: 都道府県コード 01-47 + 3 digits + 検査数字.
 * The prefecture range is enforced in addition to the check digit.
 */
export function isValidLocalGovernmentCode(s: string): boolean {
  if (!digitsOnly(s, 6)) return false;
  const pref = Number(s.slice(0, 2));
  if (pref < 1 || pref > 47) return false;
  return localGovernmentCodeCheckDigit(s.slice(0, 5)) === s.charCodeAt(5) - 48;
}

// ---------------------------------------------------------------------------
// 医療機関コード (FORMAT check only)
// ---------------------------------------------------------------------------

/** 点数表番号: 1 医科, 3 歯科, 4 調剤, 6 訪問看護. */
const FEE_SCHEDULE_DIGITS = new Set(['1', '3', '4', '6']);

/**
 * 10-digit 医療機関コード (as used on claims): 都道府県番号 (2, 01-47) + 点数表番号
 * (1: 1 医科, 3 歯科, 4 調剤, 6 訪問看護) + 郡市区番号 (2) + 機関番号 (4) + 検証番号 (1).
 *
 * This is a FORMAT check only. The check-digit rule of the 医療機関コード is not
 * confirmed from a public source, so the last digit is NOT verified; a code that
 * passes here may still be wrong.
 */
export function isValidMedicalInstitutionCode(s: string): boolean {
  if (!digitsOnly(s, 10)) return false;
  const pref = Number(s.slice(0, 2));
  if (pref < 1 || pref > 47) return false;
  return FEE_SCHEDULE_DIGITS.has(s[2]);
}

/** Alias making the format-only nature explicit at call sites. */
export const isMedicalInstitutionCodeFormat = isValidMedicalInstitutionCode;
