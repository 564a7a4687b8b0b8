/**
 * A vaccination registration record (`POST /municipal/v1/vaccination/registration-tasks`), validated
 * and normalised in full before anything is stored: its shape and the wire's text rule (schema), and
 * its meaning — check digits, the catalogue (vaccine, schedule, dose number), the dates (not in the
 * future, not before birth) and the voucher numbers — all reported together, at most one error per
 * field. Messages name the field and never repeat the value (it may be a My Number).
 */
import { Compile } from 'typebox/compile';
import { VaccinationSubjectEnd, VaccinationSubjectRecord } from '@pmh/protocol';
import type { FieldError } from '@pmh/core/http/problem';
import { isValidMedicalInstitutionCode } from '@pmh/core/text/checkdigits';
import { normalizeDigits, normalizeKey, normalizeName, todayInJapan } from '@pmh/core/text/japanese';
import { isObject, isString, refuseMyNumberInText, startSubjectRecord, type SubjectEnd, type SubjectRegistration } from '../subject-record.ts';
import type { IsoDate } from './japanese-age.ts';
import { ROUTINE_VACCINES } from './routine-schedule.ts';

/** A past dose as the municipality registers it (source "municipal"), normalised. */
export interface MunicipalDose {
  recordKey: string;
  vaccineCode: string;
  doseNumber: number;
  series: string | null;
  date: IsoDate;
  lotNumber: string | null;
  institutionCode: string | null;
  institutionName: string | null;
}

/** A voucher (接種券), its number as 18 ASCII digits. */
export interface Voucher {
  voucherNumber: string;
  vaccineCode: string;
  doseNumber: number;
  validTo: IsoDate;
}

/** modificationSeg "1": the person registered (or updated) for vaccination, with what the municipality knows. */
export interface VaccinationRegistration extends SubjectRegistration {
  doses: MunicipalDose[];
  vouchers: Voucher[];
}

/** modificationSeg "2": the end of the subject's registration for vaccination. */
export type VaccinationEnd = SubjectEnd;

export type VaccinationRegistrationInput = VaccinationRegistration | VaccinationEnd;

const checkRegister = Compile(VaccinationSubjectRecord);
const checkEnd = Compile(VaccinationSubjectEnd);

/**
 * 接種券番号 (the OCR line of a voucher): 券種 (1 digit) + 回数 (1) + 市町村コード (6) + 券番号 (10,
 * fixed length) — 厚生労働省「新型コロナウイルス感染症に係る予防接種の実施に関する手引き」(13.1版),
 * 接種券の様式 item 7 "OCR ライン"; the routine vaccinations' vouchers follow the same layout where a
 * municipality prints one. No check digit of the 18 digits is published, so none is checked; the
 * 市町村コード part carries the 地方公共団体コード's own check digit, and must be the issuing
 * (calling) municipality's. Which digits 券種 takes is not published either: any digit is accepted.
 */
export function voucherNumberProblem(voucherNumber: string, doseNumber: number | undefined, municipalityCode: string): string | null {
  if (!/^\d{18}$/.test(voucherNumber)) return 'must be 18 digits: kind (1) + dose (1) + municipality code (6) + number (10)';
  if (voucherNumber.slice(2, 8) !== municipalityCode)
    return `names municipality ${voucherNumber.slice(2, 8)} in digits 3–8, but the voucher is this municipality’s (${municipalityCode})`;
  if (doseNumber !== undefined && doseNumber <= 9 && voucherNumber[1] !== String(doseNumber))
    return `has dose digit ${voucherNumber[1]} (the 2nd digit), but doseNumber is ${doseNumber}`;
  return null;
}

/** The schedules of a vaccine in every version of its rules, as a record's `series` may name them (schedule id or product). */
function schedulesOf(vaccineCode: string): Array<{ series: string; product?: string; doses: number }> {
  return ROUTINE_VACCINES.filter((v) => v.vaccineCode === vaccineCode).flatMap((v) =>
    v.series.map((s) => ({ series: s.series, product: s.product, doses: s.doses.length })),
  );
}

/**
 * What is wrong with a dose's vaccine, schedule and dose number, by the catalogue: the schedule (when
 * named) must be one of the vaccine's, and the dose number within the doses of the schedules it can be.
 */
export function doseProblem(
  vaccineCode: string,
  doseNumber: number,
  series: string | undefined,
): { pointer: '/series' | '/doseNumber'; message: string } | null {
  const all = schedulesOf(vaccineCode);
  if (all.length === 0) return null; // the schema refuses an unknown code
  const named = series === undefined ? all : all.filter((s) => s.series === series || s.product === series);
  if (named.length === 0)
    return {
      pointer: '/series',
      message: `is not a schedule or product of ${vaccineCode}; one of ${[...new Set(all.flatMap((s) => [s.series, ...(s.product ? [s.product] : [])]))].join(', ')}`,
    };
  const most = Math.max(...named.map((s) => s.doses));
  if (doseNumber > most)
    return {
      pointer: '/doseNumber',
      message: `must be from 1 to ${most}: ${series === undefined ? vaccineCode : `this schedule of ${vaccineCode}`} has ${most} dose(s)`,
    };
  return null;
}

/** Validates one record of a vaccination registration task (`index` in the task) for the calling municipality. */
export function validateVaccinationRecord(
  raw: unknown,
  index: number,
  municipalityCode: string,
  today: IsoDate = todayInJapan(),
): { record: VaccinationRegistrationInput } | { errors: FieldError[] } {
  const start = startSubjectRecord(raw, index, { register: checkRegister, end: checkEnd }, today);
  if ('errors' in start) return start;
  if (start.kind === 'end') return start.end ? { record: start.end } : { errors: start.check.errors() };
  const { check, raw: r, dateOfBirth } = start;
  const fail = (p: string, message: string) => check.fail(p, message);
  const shapeOk = (p: string) => check.shapeOk(p);

  const doses: MunicipalDose[] = [];
  const recordKeys = new Set<string>();
  (Array.isArray(r.vaccinationRecords) ? r.vaccinationRecords : []).forEach((d: unknown, i) => {
    const p = `/vaccinationRecords/${i}`;
    if (!isObject(d)) return;
    const recordKey = isString(d.recordKey) ? normalizeKey(d.recordKey) : undefined;
    if (recordKey !== undefined && shapeOk(`${p}/recordKey`)) {
      if (!recordKey) fail(`${p}/recordKey`, 'must not be empty');
      else if (recordKeys.has(recordKey)) fail(`${p}/recordKey`, 'appears twice in this record; each dose has its own recordKey');
      recordKeys.add(recordKey);
    }
    if (isString(d.vaccineCode) && typeof d.doseNumber === 'number' && shapeOk(`${p}/vaccineCode`) && shapeOk(`${p}/doseNumber`) && shapeOk(`${p}/series`)) {
      const problem = doseProblem(d.vaccineCode, d.doseNumber, isString(d.series) ? d.series : undefined);
      if (problem) fail(`${p}${problem.pointer}`, problem.message);
    }
    if (isString(d.date) && shapeOk(`${p}/date`)) {
      if (d.date > today) fail(`${p}/date`, 'must not be in the future');
      else if (dateOfBirth !== undefined && d.date < dateOfBirth) fail(`${p}/date`, 'must not be before the date of birth (basicFiveInfo/dateOfBirth)');
    }
    let institutionCode: string | null = null;
    if (isString(d.institutionCode) && shapeOk(`${p}/institutionCode`)) {
      institutionCode = normalizeDigits(d.institutionCode);
      if (!isValidMedicalInstitutionCode(institutionCode))
        fail(`${p}/institutionCode`, 'is not a medical-institution code (10 digits: prefecture, 点数表, district, number, check digit)');
    }
    doses.push({
      recordKey: recordKey ?? '',
      vaccineCode: d.vaccineCode as string,
      doseNumber: d.doseNumber as number,
      series: isString(d.series) ? d.series : null,
      date: d.date as string,
      lotNumber: isString(d.lotNumber) ? d.lotNumber.trim() : null,
      institutionCode,
      institutionName: isString(d.institutionName) ? normalizeName(d.institutionName) : null,
    });
  });

  const vouchers: Voucher[] = [];
  const voucherNumbers = new Set<string>();
  (Array.isArray(r.vouchers) ? r.vouchers : []).forEach((v: unknown, i) => {
    const p = `/vouchers/${i}`;
    if (!isObject(v) || !isString(v.voucherNumber) || !shapeOk(`${p}/voucherNumber`)) return;
    const voucherNumber = normalizeDigits(v.voucherNumber);
    const problem = voucherNumberProblem(
      voucherNumber,
      typeof v.doseNumber === 'number' && shapeOk(`${p}/doseNumber`) ? v.doseNumber : undefined,
      municipalityCode,
    );
    if (problem) fail(`${p}/voucherNumber`, problem);
    else if (voucherNumbers.has(voucherNumber)) fail(`${p}/voucherNumber`, 'appears twice in this record');
    voucherNumbers.add(voucherNumber);
    if (isString(v.vaccineCode) && typeof v.doseNumber === 'number' && shapeOk(`${p}/vaccineCode`) && shapeOk(`${p}/doseNumber`)) {
      const dose = doseProblem(v.vaccineCode, v.doseNumber, undefined);
      if (dose) fail(`${p}${dose.pointer}`, dose.message);
    }
    vouchers.push({ voucherNumber, vaccineCode: v.vaccineCode as string, doseNumber: v.doseNumber as number, validTo: v.validTo as string });
  });

  refuseMyNumberInText(check, doseTexts(r));

  if (check.failed || !start.person) return { errors: check.errors() };
  return { record: { ...start.person, doses, vouchers } };
}

/** Every free-text field of a record's doses (pointer within the record, text): where a My Number must never be. */
function doseTexts(r: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  if (Array.isArray(r.vaccinationRecords))
    r.vaccinationRecords.forEach((d, i) => {
      if (!isObject(d)) return;
      for (const f of ['recordKey', 'series', 'lotNumber', 'institutionName'] as const) out.push([`/vaccinationRecords/${i}/${f}`, d[f]]);
    });
  return out;
}
