import crypto from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { ClinicDoseToStore, RelaySubject } from '../domain/vaccination/clinic-record.ts';
import { doseOfRow, type ResidentDoseRow } from './residents.ts';
import type { HubDatabase, HubDb, HubTrx } from './schema.ts';

/**
 * All SQL of a clinic's access through the portal's relay (seed B⑤): the person behind a PMH
 * pseudonym with each subject's vaccination registration, and the clinic's records — written,
 * corrected and cancelled with their earlier versions kept. Runs as the hub itself (the system
 * door): the person's registrations in several municipalities are read together. Indexed reads
 * only (the link by pseudonym, subjects by PMH-ID, records by subject).
 */

export interface RelayPersonRow {
  pmhId: string;
  subjects: RelaySubject[];
}

/** The person linked to this PMH pseudonym, each subject with its vaccination registration; undefined when not linked. */
export async function relayPersonByPmhPseudonym(db: HubDb, pmhPseudonym: string): Promise<RelayPersonRow | undefined> {
  const rows = await db
    .selectFrom('pmh_links as l')
    .leftJoin('subjects as s', 's.pmh_id', 'l.pmh_id')
    .leftJoin('vaccination_enrolments as e', 'e.subject_id', 's.id')
    .select(['l.pmh_id', 's.id', 's.municipality_code', 's.name', 's.date_of_birth', 's.sex', 'e.status', 'e.updated_at'])
    .where('l.pmh_pseudonym', '=', pmhPseudonym)
    .orderBy('s.municipality_code')
    .orderBy('s.created_at')
    .execute();
  if (rows.length === 0) return undefined;
  return {
    pmhId: rows[0].pmh_id,
    subjects: rows.flatMap((r) =>
      r.id === null
        ? []
        : [
            {
              id: r.id,
              municipalityCode: r.municipality_code!,
              name: r.name!,
              dateOfBirth: r.date_of_birth!,
              sex: r.sex!,
              enrolment: r.status ?? null,
              enrolmentUpdatedAt: r.updated_at ? new Date(r.updated_at) : null,
            },
          ],
    ),
  };
}

/**
 * Locks the subject's vaccination registration until the transaction ends: one clinic write per
 * person at a time, so two writes of the same dose cannot both pass the duplicate check. False when
 * the registration has ended (or is gone) since it was read.
 */
export async function lockRegistration(trx: HubTrx, subjectId: string): Promise<boolean> {
  const row = await trx.selectFrom('vaccination_enrolments').select('status').where('subject_id', '=', subjectId).forUpdate().executeTakeFirst();
  return row?.status === 'registered';
}

/** A clinic's record as the relay answers it: the dose, and what the clinic added. */
export interface ClinicRecordRow extends ResidentDoseRow {
  subjectId: string;
  municipalityCode: string;
  version: number;
  overrides: Array<{ code: string; reason: string }>;
  recordedOn: string | null;
  consentId: string | null;
}

const CLINIC_COLUMNS = [
  'id',
  'subject_id',
  'municipality_code',
  'vaccine_code',
  'dose_number',
  'series',
  'date',
  'lot_number',
  'institution_code',
  'institution_name',
  'source',
  'status',
  'product_name',
  'product_code',
  'expiration_date',
  'dose_volume_ul',
  'site',
  'route',
  'doctor_name',
  'version',
  'overrides',
  'recorded_on',
  'consent_id',
] as const;

type ClinicRow = Pick<Selectable<HubDatabase['vaccination_records']>, (typeof CLINIC_COLUMNS)[number]>;

function clinicRecordOf(r: ClinicRow): ClinicRecordRow {
  // PGlite and node-postgres both parse jsonb; a driver that answers text is read the same way.
  const overrides = (typeof r.overrides === 'string' ? JSON.parse(r.overrides) : r.overrides) as ClinicRecordRow['overrides'] | null;
  return {
    ...doseOfRow(r),
    subjectId: r.subject_id,
    municipalityCode: r.municipality_code,
    version: r.version,
    overrides: overrides ?? [],
    recordedOn: r.recorded_on,
    consentId: r.consent_id,
  };
}

/** The record an institution wrote under this Idempotency-Key, if any. */
export async function recordByIdempotencyKey(db: HubDb, institutionCode: string, key: string): Promise<ClinicRecordRow | undefined> {
  const r = await db
    .selectFrom('vaccination_records')
    .select(CLINIC_COLUMNS)
    .where('institution_code', '=', institutionCode)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return r && clinicRecordOf(r);
}

export interface NewClinicRecord {
  municipalityCode: string;
  subjectId: string;
  institutionCode: string;
  consentId: string;
  dose: ClinicDoseToStore;
  assessment: { temperatureC: number; fit: boolean; doctorName: string };
  overrides: Array<{ code: string; reason: string }>;
  questionnaireId: string | null;
  recordedOn: string;
  idempotencyKey: string | null;
}

/** Writes a clinic's dose (the hub-009 trigger puts it in the municipality's feed). */
export async function insertClinicRecord(trx: HubTrx, r: NewClinicRecord): Promise<ClinicRecordRow> {
  const d = r.dose;
  const row = await trx
    .insertInto('vaccination_records')
    .values({
      id: crypto.randomUUID(),
      municipality_code: r.municipalityCode,
      subject_id: r.subjectId,
      record_key: null,
      vaccine_code: d.vaccineCode,
      dose_number: d.doseNumber,
      series: d.series,
      date: d.date,
      lot_number: d.lotNumber,
      institution_code: r.institutionCode,
      institution_name: null,
      source: 'clinic',
      product_name: d.productName,
      product_code: d.productCode,
      expiration_date: d.expirationDate,
      dose_volume_ul: d.doseVolumeUl,
      site: d.site,
      route: d.route,
      doctor_name: d.doctorName,
      consent_id: r.consentId,
      assessment: JSON.stringify(r.assessment),
      overrides: JSON.stringify(r.overrides),
      questionnaire_id: r.questionnaireId,
      recorded_on: r.recordedOn,
      change_reason: null,
      idempotency_key: r.idempotencyKey,
    })
    .returning(CLINIC_COLUMNS)
    .executeTakeFirstOrThrow();
  return clinicRecordOf(row);
}

/** A record of these subjects, locked until the transaction ends; undefined when none of theirs has this id. */
export async function lockClinicRecord(trx: HubTrx, recordId: string, subjectIds: string[]): Promise<ClinicRecordRow | undefined> {
  if (subjectIds.length === 0) return undefined;
  const r = await trx
    .selectFrom('vaccination_records')
    .select(CLINIC_COLUMNS)
    .where('id', '=', recordId)
    .where('subject_id', 'in', subjectIds)
    .forUpdate()
    .executeTakeFirst();
  return r && clinicRecordOf(r);
}

/**
 * Replaces a record by its next version: the version as it stood is kept in
 * vaccination_record_versions, the row takes the new content (a correction) or only the status
 * (a cancellation), its version goes up by one, and the trigger moves its feed entry to the end.
 */
export async function replaceClinicRecord(
  trx: HubTrx,
  recordId: string,
  change:
    | { kind: 'corrected'; dose: ClinicDoseToStore; overrides: Array<{ code: string; reason: string }>; reason: string; consentId: string }
    | { kind: 'cancelled'; reason: string; consentId: string },
): Promise<ClinicRecordRow> {
  await sql`
    insert into vaccination_record_versions (record_id, version, municipality_code, snapshot)
    select r.id, r.version, r.municipality_code,
      to_jsonb(r) - 'assessment' - 'idempotency_key'
    from vaccination_records r where r.id = ${recordId}`.execute(trx);
  const common = {
    status: change.kind,
    change_reason: change.reason,
    consent_id: change.consentId,
    version: sql<number>`version + 1`,
    updated_at: sql<Date>`now()`,
  };
  const set =
    change.kind === 'cancelled'
      ? common
      : {
          ...common,
          vaccine_code: change.dose.vaccineCode,
          dose_number: change.dose.doseNumber,
          series: change.dose.series,
          date: change.dose.date,
          lot_number: change.dose.lotNumber,
          product_name: change.dose.productName,
          product_code: change.dose.productCode,
          expiration_date: change.dose.expirationDate,
          dose_volume_ul: change.dose.doseVolumeUl,
          site: change.dose.site,
          route: change.dose.route,
          doctor_name: change.dose.doctorName,
          overrides: JSON.stringify(change.overrides),
        };
  const row = await trx
    .updateTable('vaccination_records')
    .set(set as never)
    .where('id', '=', recordId)
    .returning(CLINIC_COLUMNS)
    .executeTakeFirstOrThrow();
  return clinicRecordOf(row);
}

/** The earlier versions of a record, oldest first (the record's history). */
export async function recordVersions(db: HubDb, recordId: string): Promise<Array<{ version: number; snapshot: Record<string, unknown> }>> {
  const rows = await db
    .selectFrom('vaccination_record_versions')
    .select(['version', 'snapshot'])
    .where('record_id', '=', recordId)
    .orderBy('version')
    .execute();
  return rows.map((r) => ({ version: r.version, snapshot: (typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot) as Record<string, unknown> }));
}
