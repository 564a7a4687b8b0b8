import { sql, type Selectable } from 'kysely';
import type { EligibilityFacts } from '../domain/medical-subsidy/eligibility.ts';
import type { SubjectsTable, SubsidyCertificatesTable } from './schema.ts';

export interface PersonCertificates {
  subjectIds: string[];
  versions: EligibilityFacts[];
}

type Certificate = Selectable<SubsidyCertificatesTable>;

/** One row per (subject, certificate version) of these people; a subject without certificates has nulls. */
export interface CertificateRow {
  pmh_id: NonNullable<Selectable<SubjectsTable>['pmh_id']>;
  subject_id: Selectable<SubjectsTable>['id'];
  municipality_code: Selectable<SubjectsTable>['municipality_code'];
  certification_name: Certificate['certification_name'] | null;
  medical_subsidy_insurer_number: Certificate['medical_subsidy_insurer_number'] | null;
  medical_subsidy_recipient_number: Certificate['medical_subsidy_recipient_number'];
  segment: Certificate['segment'];
  income_segment: Certificate['income_segment'];
  additional_conditions: Certificate['additional_conditions'] | null;
  designated_medical_institutions: Certificate['designated_medical_institutions'] | null;
  is_always_reimbursement: Certificate['is_always_reimbursement'] | null;
  max_copayment_amount: Certificate['max_copayment_amount'];
  valid_from: Certificate['valid_from'] | null;
  valid_to: Certificate['valid_to'] | null;
  certification_detail: Certificate['certification_detail'] | null;
}

/**
 * Every certificate version, not withdrawn, of each person (by PMH-ID), in every municipality,
 * with the subjects they belong to: one statement for a whole batch of queries, on the indexes
 * subjects(pmh_id) and subsidy_certificates(subject_id, …). Runs as the hub itself: this is the
 * national view across municipalities, never a municipal one. A part of the ledger's one statement
 * (raw SQL: it is aggregated with json_agg there); `groupCertificates` makes people of its rows.
 */
export function certificateRows(pmhIds: string[]) {
  return sql<CertificateRow>`
    select s.pmh_id, s.id as subject_id, s.municipality_code, c.certification_name, c.medical_subsidy_insurer_number,
           c.medical_subsidy_recipient_number, c.segment, c.income_segment, c.additional_conditions,
           c.designated_medical_institutions, c.is_always_reimbursement, c.max_copayment_amount,
           to_char(c.valid_from, 'YYYY-MM-DD') as valid_from, to_char(c.valid_to, 'YYYY-MM-DD') as valid_to,
           c.certification_detail
    from subjects s
    left join subsidy_certificates c on c.subject_id = s.id and not c.is_deleted
    where s.pmh_id = any(${[...new Set(pmhIds)]}::text[])`;
}

/** Each person's subjects and certificate versions, from `certificateRows`. */
export function groupCertificates(pmhIds: string[], rows: CertificateRow[]): Map<string, PersonCertificates> {
  const people = new Map<string, PersonCertificates>(pmhIds.map((p) => [p, { subjectIds: [], versions: [] }]));
  for (const r of rows) {
    const person = people.get(r.pmh_id)!;
    if (!person.subjectIds.includes(r.subject_id)) person.subjectIds.push(r.subject_id);
    if (r.valid_from === null) continue;
    person.versions.push({
      municipalityCode: r.municipality_code,
      certificationName: r.certification_name!,
      medicalSubsidyInsurerNumber: r.medical_subsidy_insurer_number!,
      medicalSubsidyRecipientNumber: r.medical_subsidy_recipient_number,
      segment: r.segment,
      incomeSegment: r.income_segment,
      additionalConditions: r.additional_conditions ?? [],
      designatedMedicalInstitutions: r.designated_medical_institutions ?? [],
      isAlwaysReimbursement: r.is_always_reimbursement!,
      maxCopaymentAmount: r.max_copayment_amount,
      validFrom: r.valid_from!,
      validTo: r.valid_to!,
      certificationDetail: r.certification_detail ?? [],
    });
  }
  return people;
}
