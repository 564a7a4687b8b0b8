import { sql, type Kysely } from 'kysely';
import type { StoredCertificateVersion } from '../domain/medical-subsidy/resident-view.ts';

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
  /** Null for a subject under DV support measures (is_not_disclosed): it never leaves the database. */
  address: string | null;
}

export interface ResidentPerson {
  pmhId: string;
  subjects: ResidentSubjectRow[];
}

/** The person linked to this PMH pseudonym with their subjects, or undefined when there is no link. */
export async function personByPmhPseudonym(db: Kysely<any>, pmhPseudonym: string): Promise<ResidentPerson | undefined> {
  const { rows } = await sql<{
    pmh_id: string;
    id: string | null;
    municipality_code: string;
    name: string;
    name_kana: string | null;
    date_of_birth: string;
    address: string | null;
  }>`
    select l.pmh_id, s.id, s.municipality_code, s.name, s.name_kana, to_char(s.date_of_birth, 'YYYY-MM-DD') as date_of_birth,
           case when s.is_not_disclosed then null else s.address end as address
    from pmh_links l
    left join subjects s on s.pmh_id = l.pmh_id
    where l.pmh_pseudonym = ${pmhPseudonym}
    order by s.municipality_code, s.created_at`.execute(db);
  if (rows.length === 0) return undefined;
  return {
    pmhId: rows[0].pmh_id,
    subjects: rows
      .filter((r) => r.id !== null)
      .map((r) => ({
        id: r.id!,
        municipalityCode: r.municipality_code,
        name: r.name,
        nameKana: r.name_kana,
        dateOfBirth: r.date_of_birth,
        address: r.address,
      })),
  };
}

/** Every stored certificate version of these subjects, withdrawn ones included (the history shows them). */
export async function certificateVersionsOf(db: Kysely<any>, subjectIds: string[]): Promise<StoredCertificateVersion[]> {
  if (subjectIds.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    subject_id: string;
    municipality_code: string;
    certificate_type_id: string;
    certification_sub_key: string;
    history_key: string;
    certification_name: string;
    insurer_number: string;
    recipient_number: string | null;
    segment: string | null;
    income_segment: string | null;
    additional_conditions: string[] | null;
    is_always_reimbursement: boolean;
    max_copayment: StoredCertificateVersion['maxCopayment'];
    valid_from: string;
    valid_to: string;
    is_deleted: boolean;
    created_at: Date | string;
    updated_at: Date | string;
  }>`
    select id, subject_id, municipality_code, certificate_type_id, certification_sub_key, history_key, certification_name,
           insurer_number, recipient_number, segment, income_segment, additional_conditions, is_always_reimbursement,
           max_copayment, to_char(valid_from, 'YYYY-MM-DD') as valid_from, to_char(valid_to, 'YYYY-MM-DD') as valid_to,
           is_deleted, created_at, updated_at
    from subsidy_certificates where subject_id = any(${subjectIds}::uuid[])`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    subjectId: r.subject_id,
    municipalityCode: r.municipality_code,
    certificateTypeId: r.certificate_type_id,
    certificationSubKey: r.certification_sub_key,
    historyKey: r.history_key,
    certificationName: r.certification_name,
    insurerNumber: r.insurer_number,
    recipientNumber: r.recipient_number,
    segment: r.segment,
    incomeSegment: r.income_segment,
    additionalConditions: r.additional_conditions ?? [],
    isAlwaysReimbursement: r.is_always_reimbursement,
    maxCopayment: r.max_copayment,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    isDeleted: r.is_deleted,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}
