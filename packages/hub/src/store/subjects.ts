import { sql } from 'kysely';
import type { SubjectView } from '@pmh/protocol';
import type { HubDb, HubTrx } from './schema.ts';

/** A subject as the municipal API shows it, with its row id (for audit rows) and its PMH-ID (shown to admin only). */
export type StoredSubject = SubjectView & { id: string; pmhId?: string };

/** What a municipal search asks: a person (by the blind index of their My Number), a 宛名番号, or a name. */
export type SubjectLookup = { myNumberBidx: string } | { municipalityIdentityKey: string } | { nameKana: string; dateOfBirth?: string };

/**
 * Subjects of the municipality in scope (row-level security entered), with their certificate
 * versions, never their My Number: by 宛名番号, by person, or by name (oldest first, at most `limit`).
 */
export async function findSubjects(trx: HubTrx, municipalityCode: string, lookup: SubjectLookup, limit: number): Promise<StoredSubject[]> {
  let q = trx
    .selectFrom('subjects as s')
    .select([
      's.id',
      's.municipality_code',
      's.municipality_identity_key',
      's.name',
      's.name_kana',
      's.address',
      's.date_of_birth',
      's.sex',
      's.is_not_disclosed',
      's.pmh_id',
      's.pmh_id_status',
      's.created_at',
      's.updated_at',
    ])
    .select((eb) => eb.exists(eb.selectFrom('pmh_links as l').select(sql.lit(1).as('one')).whereRef('l.pmh_id', '=', 's.pmh_id')).as('portal_linked'))
    .where('s.municipality_code', '=', municipalityCode);
  if ('myNumberBidx' in lookup) q = q.where('s.my_number_bidx', '=', lookup.myNumberBidx);
  else if ('municipalityIdentityKey' in lookup) q = q.where('s.municipality_identity_key', '=', lookup.municipalityIdentityKey);
  else {
    q = q.where('s.name_kana', '=', lookup.nameKana);
    if (lookup.dateOfBirth !== undefined) q = q.where('s.date_of_birth', '=', lookup.dateOfBirth);
  }
  const rows = await q.orderBy('s.created_at').orderBy('s.id').limit(limit).execute();
  if (rows.length === 0) return [];
  const certs = await trx
    .selectFrom('subsidy_certificates')
    .select([
      'subject_id',
      'org_specific_certificate_type_id',
      'certification_name',
      'certification_sub_key',
      'history_key',
      'medical_subsidy_insurer_number',
      'medical_subsidy_recipient_number',
      'valid_from',
      'valid_to',
      'is_deleted',
      'segment',
      'income_segment',
      'additional_conditions',
      'designated_medical_institutions',
      'is_always_reimbursement',
      'max_copayment_amount',
      'certification_detail',
      'created_at',
      'updated_at',
    ])
    .where(
      'subject_id',
      'in',
      rows.map((s) => s.id),
    )
    .orderBy('org_specific_certificate_type_id')
    .orderBy('certification_sub_key')
    .orderBy('valid_from')
    .orderBy('history_key')
    .execute();
  return rows.map((s) => ({
    id: s.id,
    municipalityCode: s.municipality_code,
    municipalityIdentityKey: s.municipality_identity_key,
    basicFiveInfo: { name: s.name, nameKana: s.name_kana, address: s.address, dateOfBirth: s.date_of_birth, sex: s.sex },
    isNotDisclosed: s.is_not_disclosed,
    pmhIdStatus: s.pmh_id_status,
    portalLinkStatus: s.portal_linked ? 'linked' : 'unlinked',
    ...(s.pmh_id ? { pmhId: s.pmh_id } : {}),
    medicalSubsidyCertificates: certs
      .filter((c) => c.subject_id === s.id)
      .map((c) => ({
        orgSpecificCertificateTypeId: c.org_specific_certificate_type_id,
        certificationName: c.certification_name,
        certificationSubKey: c.certification_sub_key,
        historyKey: c.history_key,
        medicalSubsidyInsurerNumber: c.medical_subsidy_insurer_number,
        medicalSubsidyRecipientNumber: c.medical_subsidy_recipient_number,
        validFrom: c.valid_from,
        validTo: c.valid_to,
        isDeleted: c.is_deleted,
        segment: c.segment,
        incomeSegment: c.income_segment,
        additionalConditions: c.additional_conditions,
        designatedMedicalInstitutions: c.designated_medical_institutions,
        isAlwaysReimbursement: c.is_always_reimbursement,
        maxCopaymentAmount: c.max_copayment_amount,
        certificationDetail: c.certification_detail,
        registeredAt: new Date(c.created_at).toISOString(),
        changedAt: new Date(c.updated_at).toISOString(),
      })),
    createdAt: new Date(s.created_at).toISOString(),
    updatedAt: new Date(s.updated_at).toISOString(),
  }));
}

// --- The hub as itself: PMH-ID issuance (seed A②) --------------------------------------------

/** What issuance reads of each subject: its sealed My Number and the blind index to check it against. */
export async function sealedMyNumbers(db: HubDb, subjectIds: string[]): Promise<Array<{ id: string; myNumberEnc: string; myNumberBidx: string }>> {
  if (subjectIds.length === 0) return [];
  const rows = await db.selectFrom('subjects').select(['id', 'my_number_enc', 'my_number_bidx']).where('id', 'in', subjectIds).execute();
  return rows.map((r) => ({ id: r.id, myNumberEnc: r.my_number_enc, myNumberBidx: r.my_number_bidx }));
}

/** These subjects' PMH-IDs could not be issued (refused, or their sealed My Number failed its check). */
export async function markIssuanceFailed(db: HubDb, subjectIds: string[]): Promise<void> {
  if (subjectIds.length === 0) return;
  await db.updateTable('subjects').set({ pmh_id_status: 'failed' }).where('id', 'in', subjectIds).execute();
}

/**
 * Stores issued PMH-IDs on their subjects: the one place a subject gets its PMH-ID, whether the ID
 * server answered the hub's request or reported later (`POST /hub/v1/pmh-ids`). A subject keeps the
 * PMH-ID it has (the ID server gives one person one PMH-ID, so another one is a mistake to ignore).
 * Set-based: the pairs travel as one JSON parameter. Answers how many subjects were set.
 */
export async function setPmhIds(db: HubDb, issued: Array<{ subjectId: string; pmhId: string }>): Promise<number> {
  if (issued.length === 0) return 0;
  const rows = JSON.stringify(issued.map((r) => ({ id: r.subjectId, pmh_id: r.pmhId })));
  const { numAffectedRows } = await sql`
    update subjects s set pmh_id = x.pmh_id, pmh_id_status = 'issued', updated_at = now()
    from json_to_recordset(${rows}::json) as x(id uuid, pmh_id text)
    where s.id = x.id and (s.pmh_id is null or s.pmh_id = x.pmh_id)`.execute(db);
  return Number(numAffectedRows ?? 0);
}
