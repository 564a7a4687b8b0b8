import { sql } from 'kysely';
import type { CertificateVersion } from '../domain/medical-subsidy/eligibility.ts';

export interface PersonCertificates {
  subjectIds: string[];
  versions: CertificateVersion[];
}

/** One row per (subject, certificate version) of these people; a subject without certificates has nulls. */
export interface CertificateRow {
  pmh_id: string;
  subject_id: string;
  municipality_code: string;
  certification_name: string | null;
  insurer_number: string | null;
  recipient_number: string | null;
  segment: string | null;
  income_segment: string | null;
  additional_conditions: string[] | null;
  designated_institutions: Array<{ institutionCode: string; name?: string | null }> | null;
  is_always_reimbursement: boolean | null;
  max_copayment: CertificateVersion['maxCopayment'];
  valid_from: string | null;
  valid_to: string | null;
}

/**
 * Every certificate version, not withdrawn, of each person (by PMH-ID), in every municipality,
 * with the subjects they belong to: one statement for a whole batch of queries, on the indexes
 * subjects(pmh_id) and subsidy_certificates(subject_id, …). Runs as the hub itself: this is the
 * national view across municipalities, never a municipal one. A statement of its own or a part of a
 * larger one; `groupCertificates` makes people of its rows.
 */
export function certificateRows(pmhIds: string[]) {
  return sql<CertificateRow>`
    select s.pmh_id, s.id as subject_id, s.municipality_code, c.certification_name, c.insurer_number, c.recipient_number,
           c.segment, c.income_segment, c.additional_conditions, c.designated_institutions, c.is_always_reimbursement,
           c.max_copayment, to_char(c.valid_from, 'YYYY-MM-DD') as valid_from, to_char(c.valid_to, 'YYYY-MM-DD') as valid_to
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
      insurerNumber: r.insurer_number!,
      recipientNumber: r.recipient_number,
      segment: r.segment,
      incomeSegment: r.income_segment,
      additionalConditions: r.additional_conditions ?? [],
      designatedInstitutions: r.designated_institutions ?? [],
      isAlwaysReimbursement: r.is_always_reimbursement!,
      maxCopayment: r.max_copayment,
      validFrom: r.valid_from!,
      validTo: r.valid_to!,
    });
  }
  return people;
}
