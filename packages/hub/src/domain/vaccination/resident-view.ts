import type { ResidentVaccinationsBody, VaccinationRecordBody } from '@pmh/protocol';
import type { IsoDate } from './japanese-age.ts';
import type { GivenDose } from './rule-types.ts';
import { forecast } from './schedule.ts';

/** A subject of the person, as far as the schedule needs it. */
export interface ResidentSubjectFacts {
  dateOfBirth: IsoDate;
  /** ISO 5218. */
  sex: string;
}

/** A stored dose of any of the person's subjects. */
export interface ResidentDose {
  id: string;
  vaccineCode: string;
  doseNumber: number;
  series: string | null;
  date: IsoDate;
  lotNumber: string | null;
  institutionCode: string | null;
  institutionName: string | null;
  source: 'municipal' | 'clinic';
  status: 'recorded' | 'corrected' | 'cancelled';
  /** What a clinic's record carries besides (null on the municipality's past doses). */
  productName?: string | null;
  productCode?: string | null;
  expirationDate?: IsoDate | null;
  /** 接種量 in µL. */
  doseVolumeUl?: number | null;
  site?: string | null;
  route?: string | null;
  doctorName?: string | null;
}

/** A stored dose in the contract's record shape (optional fields only where stored). */
export function recordOf(d: ResidentDose): VaccinationRecordBody {
  return {
    recordId: d.id,
    vaccineCode: d.vaccineCode as VaccinationRecordBody['vaccineCode'],
    doseNumber: d.doseNumber,
    ...(d.series == null ? {} : { series: d.series }),
    date: d.date,
    ...(d.productName == null ? {} : { productName: d.productName }),
    ...(d.productCode == null ? {} : { productCode: d.productCode }),
    lotNumber: d.lotNumber,
    ...(d.expirationDate == null ? {} : { expirationDate: d.expirationDate }),
    ...(d.doseVolumeUl == null ? {} : { doseVolumeMl: d.doseVolumeUl / 1000 }),
    ...(d.site == null ? {} : { site: d.site }),
    ...(d.route == null ? {} : { route: d.route as NonNullable<VaccinationRecordBody['route']> }),
    institutionCode: d.institutionCode,
    ...(d.institutionName == null ? {} : { institutionName: d.institutionName }),
    ...(d.doctorName == null ? {} : { doctorName: d.doctorName }),
    source: d.source,
    status: d.status,
  };
}

/** The doses that count for the schedule: not cancelled, and the same dose registered twice (a move) once. */
export function givenDoses(doses: readonly ResidentDose[]): GivenDose[] {
  const given = new Map<string, GivenDose>();
  for (const d of doses) {
    if (d.status === 'cancelled') continue;
    const dose: GivenDose = { vaccineCode: d.vaccineCode, doseNumber: d.doseNumber, date: d.date, ...(d.series === null ? {} : { series: d.series }) };
    given.set(`${d.vaccineCode}\u0000${d.doseNumber}\u0000${d.series ?? ''}\u0000${d.date}`, dose);
  }
  return [...given.values()];
}

/**
 * The resident's vaccinations (seed B③): every dose any municipality or clinic recorded for them,
 * and their routine schedule at `today` from the date of birth and the doses given. A cancelled
 * record is shown (marked) but is no dose; the same dose registered by two municipalities (a move)
 * counts once. One person, one date of birth: the first registration's (subjects come in a stable
 * order); a person with no registration has no schedule to show.
 */
export function residentVaccinations(subjects: readonly ResidentSubjectFacts[], doses: readonly ResidentDose[], today: IsoDate): ResidentVaccinationsBody {
  const records = doses.map(recordOf);
  const first = subjects[0];
  if (!first) return { records, forecast: [] };
  const entries = forecast({ dateOfBirth: first.dateOfBirth, sex: first.sex }, givenDoses(doses), today);
  return { records, forecast: entries as ResidentVaccinationsBody['forecast'] };
}
