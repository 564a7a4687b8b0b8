import type { ClinicVaccinationRecord, RelayVaccinations, VaccinationRecordBody } from '@pmh/protocol';
import type { FieldError } from '@pmh/core/http/problem';
import type { IsoDate } from './japanese-age.ts';
import { givenDoses, recordOf, type ResidentDose } from './resident-view.ts';
import { checkDose, forecast, type DoseWarning } from './schedule.ts';

/**
 * A clinic's side of vaccination (seed B⑤), without I/O: what a clinic may see of a person, whether
 * a dose may be given today, what is wrong with a record before it is written, and which warnings
 * the doctor has not overridden.
 */

/** A subject of the person with their vaccination registration, as the relay needs it. */
export interface RelaySubject {
  id: string;
  municipalityCode: string;
  name: string;
  dateOfBirth: IsoDate;
  /** ISO 5218. */
  sex: string;
  /** The subject's vaccination registration: null when the municipality never registered them for vaccination. */
  enrolment: 'registered' | 'ended' | null;
  /** When the registration last changed (the newest registered one is where the person lives now). */
  enrolmentUpdatedAt: Date | null;
}

/**
 * The subjects a clinic may see: those a municipality registered for vaccination and has not ended.
 * A registration ended with modificationSeg "2" (moved out, deceased, mistaken) keeps its records for
 * the retention period, but they are not shown to clinics.
 */
export function visibleSubjects(subjects: readonly RelaySubject[]): RelaySubject[] {
  return subjects.filter((s) => s.enrolment === 'registered');
}

/**
 * The subject a clinic's dose is recorded under: the newest live registration (the municipality the
 * person lives in now pays for it, and reads it in its feed). Undefined: nobody registered the person.
 */
export function recordingSubject(subjects: readonly RelaySubject[]): RelaySubject | undefined {
  return [...visibleSubjects(subjects)].sort((a, b) => (b.enrolmentUpdatedAt?.getTime() ?? 0) - (a.enrolmentUpdatedAt?.getTime() ?? 0))[0];
}

/** The person as a clinic sees them: a live registration's name, date of birth and sex. */
export function relayPerson(subjects: readonly RelaySubject[]): RelayVaccinations['person'] | undefined {
  const s = recordingSubject(subjects) ?? subjects[0];
  return s && { displayName: s.name, dateOfBirth: s.dateOfBirth, sex: s.sex };
}

/** What a clinic is shown: the doses of live registrations, and the schedule today from those doses. */
export function relayVaccinations(subjects: readonly RelaySubject[], doses: readonly ResidentDose[], today: IsoDate): Omit<RelayVaccinations, 'person'> {
  const person = recordingSubject(subjects);
  const records = doses.map(recordOf);
  if (!person) return { records, forecast: [] };
  const entries = forecast({ dateOfBirth: person.dateOfBirth, sex: person.sex }, givenDoses(doses), today);
  return { records, forecast: entries as RelayVaccinations['forecast'] };
}

/** The warnings of a planned dose against the doses of live registrations (`except`: the record being corrected). */
export function doseWarnings(
  person: { dateOfBirth: IsoDate; sex: string },
  doses: readonly ResidentDose[],
  planned: { vaccineCode: string; doseNumber: number; series?: string; date: IsoDate; expirationDate?: IsoDate },
  except?: string,
): DoseWarning[] {
  return checkDose(person, givenDoses(doses.filter((d) => d.id !== except)), {
    vaccineCode: planned.vaccineCode,
    doseNumber: planned.doseNumber,
    date: planned.date,
    ...(planned.series ? { series: planned.series } : {}),
    ...(planned.expirationDate ? { lotExpiry: planned.expirationDate } : {}),
  });
}

/**
 * 明らかな発熱 makes a person unfit for vaccination that day (予防接種実施規則 第6条 第1号, 予防接種を
 * 行ってはならない者); the 定期接種実施要領 (第1 総論, 予診並びに予防接種不適当者及び予防接種要注意者)
 * reads it as 37.5 ℃ or more. So does the doctor's judgement (同条 第5号, その他予防接種を行うことが
 * 不適当な状態にある者).
 * Either way no dose is recorded.
 */
export const FEVER_C = 37.5;

export function noDoseReason(a: { temperatureC: number; fit: boolean }): 'fever' | 'unfit' | null {
  if (a.temperatureC >= FEVER_C) return 'fever';
  return a.fit ? null : 'unfit';
}

export const NO_DOSE_MESSAGE = {
  fever: `体温が${FEVER_C}℃以上のため、本日は接種できません（予防接種実施規則第6条）`,
  unfit: '医師の判断により、本日は接種を見合わせました',
} as const;

/** The warnings not overridden with a reason (a reason of blanks is none). */
export function unoverridden(warnings: readonly DoseWarning[], overrides: ReadonlyArray<{ code: string; reason: string }>): DoseWarning[] {
  const given = new Set(overrides.filter((o) => o.reason.trim() !== '').map((o) => o.code));
  return warnings.filter((w) => !given.has(w.code));
}

/**
 * What is wrong with a record before it is checked against the schedule, each error naming its field
 * (`base`: the record's pointer, `/record`): a dose in the future or before birth, another
 * institution's code, a volume finer than a microlitre, a blank override reason. (An expired lot is a
 * warning of the schedule check, overridable like the others.)
 */
export function recordErrors(
  r: ClinicVaccinationRecord,
  o: { base: string; institutionCode: string; today: IsoDate; dateOfBirth: IsoDate; overrides?: ReadonlyArray<{ reason: string }> },
): FieldError[] {
  const errors: FieldError[] = [];
  if (r.date > o.today) errors.push({ pointer: `${o.base}/date`, message: 'must not be after today (Japan time): record a dose once it is given' });
  if (r.date < o.dateOfBirth) errors.push({ pointer: `${o.base}/date`, message: 'must not be before the person’s date of birth' });
  if (r.institutionCode !== undefined && r.institutionCode !== o.institutionCode)
    errors.push({ pointer: `${o.base}/institutionCode`, message: 'must be the institution the consent was given to (or left out)' });
  if (r.doseVolumeMl !== undefined && Math.abs(r.doseVolumeMl * 1000 - Math.round(r.doseVolumeMl * 1000)) > 1e-6)
    errors.push({ pointer: `${o.base}/doseVolumeMl`, message: 'must be in whole microlitres (at most 3 decimals)' });
  for (const [i, ov] of (o.overrides ?? []).entries())
    if (ov.reason.trim() === '') errors.push({ pointer: `/overrides/${i}/reason`, message: 'must say why the warning is overridden (not blank)' });
  return errors;
}

/** The record as stored, from what the clinic sent. */
export interface ClinicDoseToStore {
  vaccineCode: string;
  doseNumber: number;
  series: string | null;
  date: IsoDate;
  productName: string | null;
  productCode: string | null;
  lotNumber: string;
  expirationDate: IsoDate | null;
  doseVolumeUl: number | null;
  site: string | null;
  route: string | null;
  doctorName: string | null;
}

export function doseToStore(r: ClinicVaccinationRecord, doctorName: string): ClinicDoseToStore {
  return {
    vaccineCode: r.vaccineCode,
    doseNumber: r.doseNumber,
    series: r.series ?? null,
    date: r.date,
    productName: r.productName ?? null,
    productCode: r.productCode ?? null,
    lotNumber: r.lotNumber,
    expirationDate: r.expirationDate ?? null,
    doseVolumeUl: r.doseVolumeMl === undefined ? null : Math.round(r.doseVolumeMl * 1000),
    site: r.site ?? null,
    route: r.route ?? null,
    doctorName: r.doctorName ?? doctorName,
  };
}

export type { VaccinationRecordBody };
