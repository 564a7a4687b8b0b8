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
}

/**
 * The resident's vaccinations (seed B③): every dose any municipality or clinic recorded for them,
 * and their routine schedule at `today` from the date of birth and the doses given. A cancelled
 * record is shown (marked) but is no dose; the same dose registered by two municipalities (a move)
 * counts once. One person, one date of birth: the first registration's (subjects come in a stable
 * order); a person with no registration has no schedule to show.
 */
export function residentVaccinations(subjects: readonly ResidentSubjectFacts[], doses: readonly ResidentDose[], today: IsoDate): ResidentVaccinationsBody {
  const records = doses.map(
    (d): VaccinationRecordBody => ({
      recordId: d.id,
      vaccineCode: d.vaccineCode as VaccinationRecordBody['vaccineCode'],
      doseNumber: d.doseNumber,
      ...(d.series === null ? {} : { series: d.series }),
      date: d.date,
      lotNumber: d.lotNumber,
      institutionCode: d.institutionCode,
      ...(d.institutionName === null ? {} : { institutionName: d.institutionName }),
      source: d.source,
      status: d.status,
    }),
  );
  const first = subjects[0];
  if (!first) return { records, forecast: [] };
  const given = new Map<string, GivenDose>();
  for (const d of doses) {
    if (d.status === 'cancelled') continue;
    const dose: GivenDose = { vaccineCode: d.vaccineCode, doseNumber: d.doseNumber, date: d.date, ...(d.series === null ? {} : { series: d.series }) };
    given.set(`${d.vaccineCode}\u0000${d.doseNumber}\u0000${d.series ?? ''}\u0000${d.date}`, dose);
  }
  const entries = forecast({ dateOfBirth: first.dateOfBirth, sex: first.sex }, [...given.values()], today);
  return { records, forecast: entries as ResidentVaccinationsBody['forecast'] };
}
