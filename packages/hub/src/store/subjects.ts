import { sql } from 'kysely';
import type { SubjectView } from '@pmh/protocol';
import type { Trx } from './scope.ts';

export type StoredSubject = SubjectView & { id: string; pmhId?: string };

/** One subject of the municipality in scope, with its certificate versions (never its My Number). */
export async function getSubjectByKey(trx: Trx, municipalityCode: string, key: string): Promise<StoredSubject | undefined> {
  const { rows } = await sql<any>`
    select id, municipality_code, municipality_identity_key, name, name_kana, address, date_of_birth, sex,
           is_not_disclosed, pmh_id, pmh_id_status, created_at, updated_at,
           exists (select 1 from pmh_links l where l.pmh_id = s.pmh_id) as portal_linked
    from subjects s where municipality_code = ${municipalityCode} and municipality_identity_key = ${key}`.execute(trx);
  const s = rows[0];
  if (!s) return undefined;
  const certs = await sql<any>`
    select certificate_type_id, certification_name, certification_sub_key, history_key, insurer_number, recipient_number,
           valid_from, valid_to, is_deleted
    from subsidy_certificates where subject_id = ${s.id}
    order by certificate_type_id, certification_sub_key, valid_from, history_key`.execute(trx);
  return {
    id: s.id,
    municipalityCode: s.municipality_code,
    municipalityIdentityKey: s.municipality_identity_key,
    basicFiveInfo: { name: s.name, nameKana: s.name_kana, address: s.address, dateOfBirth: s.date_of_birth, sex: s.sex },
    isNotDisclosed: s.is_not_disclosed,
    pmhIdStatus: s.pmh_id_status,
    portalLinkStatus: s.portal_linked ? 'linked' : 'unlinked',
    ...(s.pmh_id ? { pmhId: s.pmh_id } : {}),
    medicalSubsidyCertificates: certs.rows.map((c) => ({
      orgSpecificCertificateTypeId: c.certificate_type_id,
      certificationName: c.certification_name,
      certificationSubKey: c.certification_sub_key,
      historyKey: c.history_key,
      medicalSubsidyInsurerNumber: c.insurer_number,
      medicalSubsidyRecipientNumber: c.recipient_number,
      validFrom: c.valid_from,
      validTo: c.valid_to,
      isDeleted: c.is_deleted,
    })),
    createdAt: new Date(s.created_at).toISOString(),
    updatedAt: new Date(s.updated_at).toISOString(),
  };
}
