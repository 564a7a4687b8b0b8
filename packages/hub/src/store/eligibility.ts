import { sql, type Kysely } from 'kysely';
import type { CertificateVersion } from '../domain/medical-subsidy/eligibility.ts';

/**
 * Every certificate version, not withdrawn, of the person with this PMH-ID, in every municipality,
 * with the subjects they belong to. Two indexed reads (subjects by PMH-ID, certificates by subject).
 * Runs as the hub itself: this is the national view across municipalities, never a municipal one.
 */
export async function certificatesOfPerson(db: Kysely<any>, pmhId: string): Promise<{ subjectIds: string[]; versions: CertificateVersion[] }> {
  const { rows } = await sql<{
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
  }>`
    select s.id as subject_id, s.municipality_code, c.certification_name, c.insurer_number, c.recipient_number,
           c.segment, c.income_segment, c.additional_conditions, c.designated_institutions, c.is_always_reimbursement,
           c.max_copayment, to_char(c.valid_from, 'YYYY-MM-DD') as valid_from, to_char(c.valid_to, 'YYYY-MM-DD') as valid_to
    from subjects s
    left join subsidy_certificates c on c.subject_id = s.id and not c.is_deleted
    where s.pmh_id = ${pmhId}`.execute(db);
  const subjectIds = [...new Set(rows.map((r) => r.subject_id))];
  const versions = rows
    .filter((r) => r.valid_from !== null)
    .map((r) => ({
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
    }));
  return { subjectIds, versions };
}
