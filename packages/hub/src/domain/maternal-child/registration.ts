/**
 * A maternal and child health registration record (`POST /municipal/v1/maternal-child/registration-tasks`),
 * validated and normalised in full before anything is stored: the person (as every checkup-subject
 * registration checks them, ../subject-record.ts), the pregnancy, each voucher (受診券, vouchers.ts:
 * sequence by kind, dates in order, a cap no higher than MAX_SUBSIDY_CAP) and each result the
 * municipality holds (checkup-result.ts: what the kind records, plausible values for the age, dates
 * agreeing with the birth and the delivery; the items the national standard leaves out as too
 * sensitive have no field and are refused by name). All errors of a record together, at most one per
 * field; messages never repeat a value.
 */
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import {
  MAX_SUBSIDY_CAP,
  MaternalChildSubjectEnd,
  MaternalChildSubjectRecord,
  MunicipalCheckupResult,
  type CheckupResultBody,
  type CheckupVoucher,
  type MaternalChildPregnancy,
} from '@pmh/protocol';
import type { FieldError } from '@pmh/core/http/problem';
import { toFieldErrors } from '@pmh/core/http/validate';
import { isValidMedicalInstitutionCode } from '@pmh/core/text/checkdigits';
import { normalizeKey, todayInJapan } from '@pmh/core/text/japanese';
import { isObject, isString, refuseMyNumberInText, startSubjectRecord, type SubjectEnd, type SubjectRegistration } from '../subject-record.ts';
import { addDays, type IsoDate } from '../vaccination/japanese-age.ts';
import { CHECKUP_KIND_RULES, gestationalWeekStart } from './checkup-kinds.ts';
import { completedMonths } from './child-age.ts';
import { validateCheckupResult } from './checkup-result.ts';
import type { Sex } from './growth-chart.ts';
import { validateVoucher } from './vouchers.ts';

/** A result the municipality holds, by its own key. */
export interface MunicipalResult {
  resultKey: string;
  result: CheckupResultBody;
}

/** modificationSeg "1": the person registered (or updated) for maternal and child health, with what the municipality holds. */
export interface MaternalChildRegistration extends SubjectRegistration {
  pregnancy: MaternalChildPregnancy | null;
  vouchers: CheckupVoucher[];
  results: MunicipalResult[];
}

export type MaternalChildRegistrationInput = MaternalChildRegistration | SubjectEnd;

/**
 * The record's envelope and person, checked here; its vouchers and results are checked one by one by
 * the domain (each with every error of its fields), not twice by this schema.
 */
const Shell = Type.Object(
  {
    ...MaternalChildSubjectRecord.properties,
    vouchers: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100 })),
    checkupResults: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
const checkRegister = Compile(Shell);
/** The municipality's key of a result: the wire's text rule for keys (no control character, no lone surrogate, 1–64). */
const checkResultKey = Compile(MunicipalCheckupResult.properties.resultKey);
const checkEnd = Compile(MaternalChildSubjectEnd);

/**
 * 妊娠22週: a pregnancy that ends before it ends in 流産 (miscarriage), not a delivery (分娩) — the line
 * 母体保護法第2条第2項 draws (胎児が母体外において生命を保続することのできない時期, set at 満22週未満 by
 * 平成2年3月20日厚生省発健医第55号). The national standard keeps miscarriage out of electronic records
 * as too sensitive, so a "delivery" before it is refused rather than stored.
 */
const FIRST_DELIVERY_WEEK = 22;

/** A due date further ahead than a pregnancy lasts (妊娠42週, past term) is a typing mistake (ours). */
const MAX_DAYS_TO_DUE_DATE = 42 * 7;

/** The checkups of young children end before 6 (CHILD_CHECKUP_MAX_MONTHS in checkup-result.ts). */
const CHILD_YEARS = 6;

/** Validates one record of a maternal and child health registration task (`index` in the task). */
export function validateMaternalChildRecord(
  raw: unknown,
  index: number,
  today: IsoDate = todayInJapan(),
): { record: MaternalChildRegistrationInput } | { errors: FieldError[] } {
  const start = startSubjectRecord(raw, index, { register: checkRegister, end: checkEnd }, today);
  if ('errors' in start) return start;
  if (start.kind === 'end') return start.end ? { record: start.end } : { errors: start.check.errors() };
  const { check, raw: r, dateOfBirth } = start;
  const info = isObject(r.basicFiveInfo) ? r.basicFiveInfo : {};
  const sex = isString(info.sex) && check.shapeOk('/basicFiveInfo/sex') ? (info.sex as Sex) : undefined;
  const male = sex === '1';

  // The pregnancy.
  let pregnancy: MaternalChildPregnancy | null = null;
  if (isObject(r.pregnancy) && check.shapeOk('/pregnancy')) {
    const p = r.pregnancy;
    const due = isString(p.expectedDeliveryDate) && check.shapeOk('/pregnancy/expectedDeliveryDate') ? p.expectedDeliveryDate : undefined;
    const delivered = isString(p.deliveryDate) && check.shapeOk('/pregnancy/deliveryDate') ? p.deliveryDate : undefined;
    if (male) check.fail('/pregnancy', 'is given for a person registered as male (basicFiveInfo/sex "1")');
    if (due && due > addDays(today, MAX_DAYS_TO_DUE_DATE)) check.fail('/pregnancy/expectedDeliveryDate', 'is further ahead than a pregnancy lasts (42 weeks)');
    else if (due && dateOfBirth && due <= dateOfBirth) check.fail('/pregnancy/expectedDeliveryDate', 'is not after the date of birth');
    if (delivered) {
      if (delivered > today) check.fail('/pregnancy/deliveryDate', 'must not be in the future');
      else if (due && delivered < gestationalWeekStart(due, FIRST_DELIVERY_WEEK))
        check.fail(
          '/pregnancy/deliveryDate',
          `is before week ${FIRST_DELIVERY_WEEK} of the pregnancy by its due date; an earlier end is not a delivery (分娩) and is not recorded here`,
        );
    }
    if (due) pregnancy = { expectedDeliveryDate: due, ...(delivered ? { deliveryDate: delivered } : {}) };
  }

  /** A checkup kind that cannot be this person's: a pregnancy's for a man, a young child's for a person of 6 or more. */
  const kindProblem = (kind: string, from: IsoDate | undefined): string | undefined => {
    const rule = CHECKUP_KIND_RULES[kind as keyof typeof CHECKUP_KIND_RULES];
    if (!rule) return undefined;
    if (rule.subject !== 'child' && male) return `is a checkup of a pregnancy or a delivery, and the person is registered as male (basicFiveInfo/sex "1")`;
    if (rule.subject === 'child' && dateOfBirth && from && completedMonths(dateOfBirth, from) >= CHILD_YEARS * 12)
      return `is a checkup of young children, and the person is ${CHILD_YEARS} or older on that date`;
    return undefined;
  };

  // The vouchers (受診券).
  const vouchers: CheckupVoucher[] = [];
  const numbers = new Set<string>();
  (Array.isArray(r.vouchers) ? r.vouchers : []).forEach((v: unknown, i) => {
    const p = `/vouchers/${i}`;
    const checked = validateVoucher(v, check.at(p));
    if ('errors' in checked) return check.addAll(checked.errors);
    const voucher = checked.voucher;
    if (numbers.has(voucher.voucherNumber)) check.fail(`${p}/voucherNumber`, 'appears twice in this record');
    numbers.add(voucher.voucherNumber);
    if (voucher.subsidyCap > MAX_SUBSIDY_CAP)
      check.fail(`${p}/subsidyCap`, `must be at most ${MAX_SUBSIDY_CAP.toLocaleString('en-US')} yen (a checkup voucher’s cap; check the digits)`);
    const kind = kindProblem(voucher.checkupKind, voucher.validFrom);
    if (kind) check.fail(`${p}/checkupKind`, kind);
    else if (CHECKUP_KIND_RULES[voucher.checkupKind].subject === 'child' && dateOfBirth && voucher.validTo < dateOfBirth)
      check.fail(`${p}/validTo`, 'is before the child’s date of birth');
    vouchers.push(voucher);
  });

  // The results the municipality holds (集団健診).
  const results: MunicipalResult[] = [];
  const keys = new Set<string>();
  (Array.isArray(r.checkupResults) ? r.checkupResults : []).forEach((x: unknown, i) => {
    const p = `/checkupResults/${i}`;
    if (!isObject(x)) return check.fail(p, 'must be an object (a checkup result)');
    const { resultKey, ...body } = x;
    const key = isString(resultKey) ? normalizeKey(resultKey) : undefined;
    if (resultKey === undefined) check.fail(`${p}/resultKey`, 'is required: the municipality’s own key of this result');
    else if (!checkResultKey.Check(resultKey)) check.addAll(toFieldErrors(checkResultKey.Errors(resultKey), check.at(`${p}/resultKey`)));
    else if (!key) check.fail(`${p}/resultKey`, 'must not be empty');
    else if (keys.has(key)) check.fail(`${p}/resultKey`, 'appears twice in this record; each result has its own resultKey');
    if (key) keys.add(key);
    if (!dateOfBirth || !sex) return; // the person's own errors are reported; a result cannot be judged without them
    const checked = validateCheckupResult(body, { subject: { dateOfBirth, sex }, pregnancy: pregnancy ?? undefined, today }, check.at(p));
    if ('errors' in checked) return check.addAll(checked.errors);
    const result = checked.result;
    if (!isValidMedicalInstitutionCode(result.institutionCode))
      check.fail(`${p}/institutionCode`, 'is not a medical-institution code (10 digits: prefecture, 点数表, district, number, check digit)');
    const kind = kindProblem(result.checkupKind, undefined);
    if (kind) check.fail(`${p}/checkupKind`, kind);
    refuseMyNumberInText(check, [
      [`${p}/resultKey`, resultKey],
      ...result.findings.map((f, j): [string, unknown] => [`${p}/findings/${j}/finding`, f.finding]),
    ]);
    results.push({
      resultKey: key ?? '',
      result: { ...result, ...(result.voucherNumber !== undefined ? { voucherNumber: normalizeKey(result.voucherNumber) } : {}) },
    });
  });
  refuseMyNumberInText(
    check,
    vouchers.map((v, i): [string, unknown] => [`/vouchers/${i}/voucherNumber`, v.voucherNumber]),
  );

  if (check.failed || !start.person) return { errors: check.errors() };
  return { record: { ...start.person, pregnancy, vouchers, results } };
}
