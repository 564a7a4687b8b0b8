import { sql } from 'kysely';
import type { StoredCertificateVersion } from '../domain/medical-subsidy/certificate.ts';
import type { HubDb } from './schema.ts';
import type { ResidentDose } from '../domain/vaccination/resident-view.ts';

/**
 * All SQL of the resident's own view (seed A③ B③): the person behind a PMH pseudonym, as every
 * municipality registered them, and their certificates. Runs as the hub itself — the one place where
 * one person's registrations in several municipalities are read together, by PMH-ID — never in a
 * municipality's scope. Indexed reads only: the link by pseudonym, subjects by PMH-ID, certificates
 * by subject.
 */

export interface ResidentSubjectRow {
  /** The subject's row id: the reference audit rows use. */
  id: string;
  municipalityCode: string;
  name: string;
  nameKana: string | null;
  dateOfBirth: string;
  /** ISO 5218 (the vaccination schedule needs it: HPV); not part of the subsidies view. */
  sex: string;
  /** Null for a subject under DV support measures (is_not_disclosed): it never leaves the database. */
  address: string | null;
}

export interface ResidentPerson {
  pmhId: string;
  subjects: ResidentSubjectRow[];
}

/** The person linked to this PMH pseudonym with their subjects, or undefined when there is no link. */
export async function personByPmhPseudonym(db: HubDb, pmhPseudonym: string): Promise<ResidentPerson | undefined> {
  const rows = await db
    .selectFrom('pmh_links as l')
    .leftJoin('subjects as s', 's.pmh_id', 'l.pmh_id')
    .select(['l.pmh_id', 's.id', 's.municipality_code', 's.name', 's.name_kana', 's.date_of_birth', 's.sex'])
    // The address of a subject under DV support measures never leaves the database.
    .select(sql<string | null>`case when s.is_not_disclosed then null else s.address end`.as('address'))
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
              nameKana: r.name_kana,
              dateOfBirth: r.date_of_birth!,
              sex: r.sex!,
              address: r.address,
            },
          ],
    ),
  };
}

/** Every stored certificate version of these subjects, withdrawn ones included (the history shows them). */
export async function certificateVersionsOf(db: HubDb, subjectIds: string[]): Promise<StoredCertificateVersion[]> {
  if (subjectIds.length === 0) return [];
  const rows = await db.selectFrom('subsidy_certificates').selectAll().where('subject_id', 'in', subjectIds).execute();
  return rows.map((r) => ({
    id: r.id,
    subjectId: r.subject_id,
    municipalityCode: r.municipality_code,
    orgSpecificCertificateTypeId: r.org_specific_certificate_type_id,
    certificationSubKey: r.certification_sub_key,
    historyKey: r.history_key,
    certificationName: r.certification_name,
    medicalSubsidyInsurerNumber: r.medical_subsidy_insurer_number,
    medicalSubsidyRecipientNumber: r.medical_subsidy_recipient_number,
    segment: r.segment,
    incomeSegment: r.income_segment,
    additionalConditions: r.additional_conditions ?? [],
    designatedMedicalInstitutions: r.designated_medical_institutions ?? [],
    isAlwaysReimbursement: r.is_always_reimbursement,
    maxCopaymentAmount: r.max_copayment_amount,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    isDeleted: r.is_deleted,
    certificationDetail: r.certification_detail ?? [],
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** A stored dose as the resident's view takes it (the domain's shape, read here). */
export type ResidentDoseRow = ResidentDose;

/** Every vaccination record of these subjects, in every municipality and whatever their enrolment's state, oldest first. */
export async function vaccinationRecordsOf(db: HubDb, subjectIds: string[]): Promise<ResidentDoseRow[]> {
  if (subjectIds.length === 0) return [];
  const rows = await db
    .selectFrom('vaccination_records')
    .select([
      'id',
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
    ])
    .where('subject_id', 'in', subjectIds)
    .orderBy('date')
    .orderBy('vaccine_code')
    .orderBy('dose_number')
    .orderBy('id')
    .execute();
  return rows.map(doseOfRow);
}

/** A stored record's row as the domain's dose. */
export function doseOfRow(r: {
  id: string;
  vaccine_code: string;
  dose_number: number;
  series: string | null;
  date: string;
  lot_number: string | null;
  institution_code: string | null;
  institution_name: string | null;
  source: 'municipal' | 'clinic';
  status: 'recorded' | 'corrected' | 'cancelled';
  product_name: string | null;
  product_code: string | null;
  expiration_date: string | null;
  dose_volume_ul: number | null;
  site: string | null;
  route: string | null;
  doctor_name: string | null;
}): ResidentDoseRow {
  return {
    id: r.id,
    vaccineCode: r.vaccine_code,
    doseNumber: r.dose_number,
    series: r.series,
    date: r.date,
    lotNumber: r.lot_number,
    institutionCode: r.institution_code,
    institutionName: r.institution_name,
    source: r.source,
    status: r.status,
    productName: r.product_name,
    productCode: r.product_code,
    expirationDate: r.expiration_date,
    doseVolumeUl: r.dose_volume_ul,
    site: r.site,
    route: r.route,
    doctorName: r.doctor_name,
  };
}
