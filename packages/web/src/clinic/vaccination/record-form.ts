import { parseGs1 } from '@pmh/protocol/gs1';
import { FEVER_C } from './questionnaire.ts';
import type { ClinicRecord, RecordBody, Route, Warning } from './types.ts';

/**
 * The doctor's form before a dose, as typed: checked here so each error is shown at its field, and
 * checked again by the portal and the hub (which name a field by JSON pointer when they refuse one).
 */
export interface AssessmentForm {
  temperatureC: string;
  fit: '' | 'fit' | 'unfit';
  doctorName: string;
}

export interface RecordForm {
  productName: string;
  productCode: string;
  lotNumber: string;
  expirationDate: string;
  doseVolumeMl: string;
  site: string;
  route: '' | Route;
  doctorName: string;
  date: string;
}

export type Overrides = Record<string, { checked: boolean; reason: string }>;

export type FieldErrors = Record<string, string>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The temperature as a number with at most one decimal, or undefined when it is not one. */
export function temperature(text: string): number | undefined {
  const t = text.trim().replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return /^\d{2}(\.\d)?$/.test(t) ? Number(t) : undefined;
}

/** Why no dose is given today, or undefined: a fever of 37.5 ℃ or more, or the doctor's 接種不可. */
export function noDoseReason(a: AssessmentForm): 'fever' | 'unfit' | undefined {
  const t = temperature(a.temperatureC);
  if (t !== undefined && t >= FEVER_C) return 'fever';
  if (a.fit === 'unfit') return 'unfit';
  return undefined;
}

export function validateAssessment(a: AssessmentForm): FieldErrors {
  const e: FieldErrors = {};
  const t = temperature(a.temperatureC);
  if (a.temperatureC.trim() === '') e.temperatureC = '体温を入力してください。';
  else if (t === undefined || t < 30 || t > 45) e.temperatureC = '体温は 36.5 のように、小数点以下1桁までの数で入力してください（30〜45℃）。';
  if (a.fit === '') e.fit = '接種の可否を選んでください。';
  if (a.doctorName.trim() === '') e.doctorName = '予診を行った医師の氏名を入力してください。';
  else if (a.doctorName.trim().length > 100) e.doctorName = '医師の氏名は100文字以内で入力してください。';
  return e;
}

export function validateRecord(r: RecordForm, today: string): FieldErrors {
  const e: FieldErrors = {};
  const lot = r.lotNumber.trim();
  if (lot === '') e.lotNumber = 'ロット番号を入力するか、バーコードを読み取ってください。';
  else if (lot.length > 20) e.lotNumber = 'ロット番号は20文字以内です。';
  if (r.expirationDate !== '' && !DATE.test(r.expirationDate)) e.expirationDate = '有効期限を日付で入力してください。';
  const code = r.productCode.trim();
  if (code !== '' && !/^[0-9A-Z]{9,14}$/.test(code)) e.productCode = '製品コードは英大文字・数字の9〜14桁です（GTIN は14桁）。';
  if (r.productName.trim().length > 200) e.productName = 'ワクチン名は200文字以内です。';
  if (r.doseVolumeMl.trim() !== '') {
    const v = Number(r.doseVolumeMl);
    if (!/^\d+(\.\d{1,2})?$/.test(r.doseVolumeMl.trim()) || !(v > 0) || v > 10)
      e.doseVolumeMl = '接種量は 0.5 のように mL で入力してください（0より大きく10以下）。';
  }
  if (r.site.trim().length > 100) e.site = '接種部位は100文字以内です。';
  if (r.doctorName.trim() === '') e.doctorName = '接種した医師の氏名を入力してください。';
  if (!DATE.test(r.date)) e.date = '接種日を入力してください。';
  else if (r.date > today) e.date = '接種日に未来の日付は入力できません。';
  return e;
}

/** Every warning needs its box ticked and a reason that is not blank. */
export function validateOverrides(warnings: Warning[], overrides: Overrides): FieldErrors {
  const e: FieldErrors = {};
  for (const w of warnings) {
    const o = overrides[w.code];
    if (!o?.checked) e[`override-${w.code}`] = 'この警告を確認し、理由を入力して上書きしてください。';
    else if (o.reason.trim() === '') e[`override-${w.code}`] = '上書きする理由を入力してください。';
  }
  return e;
}

export function toRecord(r: RecordForm, dose: { vaccineCode: ClinicRecord['vaccineCode']; doseNumber: number; series?: string }): ClinicRecord {
  const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
  const record: ClinicRecord = {
    vaccineCode: dose.vaccineCode,
    doseNumber: dose.doseNumber,
    date: r.date,
    lotNumber: r.lotNumber.trim(),
  };
  if (dose.series) record.series = dose.series;
  if (opt(r.productName)) record.productName = opt(r.productName);
  if (opt(r.productCode)) record.productCode = opt(r.productCode);
  if (r.expirationDate) record.expirationDate = r.expirationDate;
  if (opt(r.doseVolumeMl)) record.doseVolumeMl = Number(r.doseVolumeMl);
  if (opt(r.site)) record.site = opt(r.site);
  if (r.route) record.route = r.route;
  if (opt(r.doctorName)) record.doctorName = opt(r.doctorName);
  return record;
}

export function toOverrides(warnings: Warning[], overrides: Overrides): NonNullable<RecordBody['overrides']> {
  return warnings.map((w) => ({ code: w.code, reason: overrides[w.code]!.reason.trim() }));
}

/**
 * What a scanned GS1 string fills in: lot, expiry and the GTIN as the product code; or the problem,
 * in Japanese, for the scan field. A lot or expiry missing from the string is a problem too: both are
 * printed on every vaccine package (特定生物由来製品).
 */
export function fromScan(
  text: string,
  today: string,
): { ok: true; lotNumber: string; expirationDate: string; productCode?: string } | { ok: false; message: string } {
  const r = parseGs1(text, today);
  if (!r.ok) return { ok: false, message: r.problem.message };
  const { lotNumber, expirationDate, gtin } = r.element;
  if (!lotNumber || !expirationDate)
    return { ok: false, message: 'バーコードに製造番号（10）と有効期限（17）の両方が見つかりません。外箱の GS1 データマトリックスを読み取ってください。' };
  return { ok: true, lotNumber, expirationDate, ...(gtin ? { productCode: gtin } : {}) };
}
