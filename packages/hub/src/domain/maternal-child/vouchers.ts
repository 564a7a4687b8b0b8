/**
 * Vouchers (受診券) as a municipality registers them, and what a checkup result is paid with. A result
 * for which no valid voucher was presented is recorded as self-paid: never silently subsidised, and
 * never refused for it (the checkup happened). Whether the voucher was already used is the store's
 * to know (a second use is a conflict there).
 */
import { Compile } from 'typebox/compile';
import { CheckupVoucher, type CheckupKind } from '@pmh/protocol';
import type { FieldError } from '@pmh/core/http/problem';
import { toFieldErrors } from '@pmh/core/http/validate';
import { normalizeKey } from '@pmh/core/text/japanese';
import type { IsoDate } from '../vaccination/japanese-age.ts';
import { CHECKUP_KIND_RULES, voucherRefusal, type CheckupContext, type VoucherRefusal } from './checkup-kinds.ts';

const check = Compile(CheckupVoucher);

/**
 * A voucher checked before it is stored: its shape, its sequence as its kind numbers them (妊婦健診
 * 1–14, required; 産婦健診 1–2, optional; none for a child's checkup), and its dates in order. The
 * voucher number is normalised as every key is (full-width digits read as ASCII).
 */
export function validateVoucher(raw: unknown, base = ''): { voucher: CheckupVoucher } | { errors: FieldError[] } {
  const errors = toFieldErrors(check.Errors(raw), base);
  if (errors.length) return { errors };
  const v = raw as CheckupVoucher;
  const out: FieldError[] = [];
  const rule = CHECKUP_KIND_RULES[v.checkupKind];
  if (v.checkupKind === 'prenatal' && v.sequence === undefined) out.push({ pointer: `${base}/sequence`, message: 'is required for a prenatal voucher (1–14)' });
  else if (v.sequence !== undefined && !rule.sequences)
    out.push({ pointer: `${base}/sequence`, message: `is not given for a ${rule.name} voucher (it has one visit)` });
  else if (v.sequence !== undefined && rule.sequences && v.sequence > rule.sequences)
    out.push({ pointer: `${base}/sequence`, message: `must be from 1 to ${rule.sequences} for a ${rule.name} voucher` });
  if (v.validTo < v.validFrom) out.push({ pointer: `${base}/validTo`, message: 'must not be before validFrom' });
  const voucherNumber = normalizeKey(v.voucherNumber);
  if (!voucherNumber) out.push({ pointer: `${base}/voucherNumber`, message: 'must not be empty' });
  return out.length ? { errors: out } : { voucher: { ...v, voucherNumber } };
}

export type Payment =
  | { payment: 'voucher'; voucherNumber: string; subsidyCap: number }
  | { payment: 'self-paid'; reason: 'no-voucher' | 'unknown-voucher' | VoucherRefusal };

/**
 * What a checkup is paid with: the voucher it names, when that voucher is the person's and pays for
 * this checkup on this day; otherwise the family paid, and the reason says why.
 */
export function paymentFor(
  checkup: { checkupKind: CheckupKind; sequence?: number; date: IsoDate; voucherNumber?: string },
  vouchers: ReadonlyArray<{ voucherNumber: string; checkupKind: CheckupKind; sequence?: number; validFrom: IsoDate; validTo: IsoDate; subsidyCap: number }>,
  ctx: CheckupContext = {},
): Payment {
  if (checkup.voucherNumber === undefined) return { payment: 'self-paid', reason: 'no-voucher' };
  const wanted = normalizeKey(checkup.voucherNumber);
  const voucher = vouchers.find((v) => normalizeKey(v.voucherNumber) === wanted);
  if (!voucher) return { payment: 'self-paid', reason: 'unknown-voucher' };
  const refusal = voucherRefusal(voucher, checkup, ctx);
  if (refusal) return { payment: 'self-paid', reason: refusal };
  return { payment: 'voucher', voucherNumber: voucher.voucherNumber, subsidyCap: voucher.subsidyCap };
}
