import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { HubDb } from './schema.ts';

/**
 * A dose recorded at a clinic (`source` "clinic"), written as the clinic relay writes one: to the
 * subject of the municipality that registered the person. Until the relay (portal → hub, with the
 * person's consent) is in place, this is how tests put clinic doses in front of the claims, the
 * reminders and the purge; the feed's trigger notes each write as it would the relay's.
 */
export interface ClinicDose {
  municipalityCode: string;
  municipalityIdentityKey: string;
  vaccineCode: string;
  doseNumber: number;
  series?: string;
  date: string;
  institutionCode: string;
  lotNumber?: string;
}

/** Writes the dose; its record id, or undefined when the municipality has no such subject. */
export async function recordClinicDose(db: HubDb, d: ClinicDose): Promise<string | undefined> {
  const id = crypto.randomUUID();
  const { rows } = await sql<{ id: string }>`
    insert into vaccination_records (id, municipality_code, subject_id, vaccine_code, dose_number, series, date, lot_number, institution_code, source)
    select ${id}, s.municipality_code, s.id, ${d.vaccineCode}, ${d.doseNumber}, ${d.series ?? null}, ${d.date}, ${d.lotNumber ?? null}, ${d.institutionCode}, 'clinic'
    from subjects s where s.municipality_code = ${d.municipalityCode} and s.municipality_identity_key = ${d.municipalityIdentityKey}
    returning id`.execute(db);
  return rows[0]?.id;
}

/** A same-day correction (another date or lot) or the cancellation of a clinic's dose. */
export async function changeClinicDose(
  db: HubDb,
  recordId: string,
  change: { status: 'corrected' | 'cancelled'; date?: string; lotNumber?: string },
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    update vaccination_records set status = ${change.status}, date = coalesce(${change.date ?? null}::date, date),
      lot_number = coalesce(${change.lotNumber ?? null}, lot_number), updated_at = now()
    where id = ${recordId} and source = 'clinic'
    returning id`.execute(db);
  return rows.length > 0;
}
