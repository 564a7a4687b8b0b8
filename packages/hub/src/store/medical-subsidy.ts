import crypto from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { FieldError } from '@pmh/core/http/problem';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { SubsidyRecord } from '../domain/medical-subsidy/record.ts';
import type { CertificateVersion } from '../domain/medical-subsidy/certificate.ts';
import type { HubTrx, SubsidyCertificatesTable } from './schema.ts';
import { loadSubjectStates, sameSubject, writeSubjectStates, type SubjectState } from './subject-states.ts';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'failed';
export interface Applied {
  index: number;
  outcome: Outcome;
  subjectId?: string;
  /** This record made the subject: its PMH-ID is to be requested. */
  createdSubject?: boolean;
  errors?: FieldError[];
}

/** Context of the My Number's blind index, and the column its ciphertext is bound to (with the subject's id). */
export const MY_NUMBER_CONTEXT = 'subjects.my_number';

/** Where a subject's My Number ciphertext lives: bound to the subject, so it opens on no other row. */
export const myNumberAt = (subjectId: string) => ({ column: MY_NUMBER_CONTEXT, row: subjectId });

interface CertState {
  id: string;
  isNew: boolean;
  changed: boolean;
  subjectId: string;
  c: CertificateVersion;
}

function sameCertificate(a: CertificateVersion, b: CertificateVersion): boolean {
  return JSON.stringify(canonicalCert(a)) === JSON.stringify(canonicalCert(b));
}

function canonicalCert(c: CertificateVersion) {
  return [
    c.certificationName,
    c.medicalSubsidyInsurerNumber,
    c.medicalSubsidyRecipientNumber,
    c.segment,
    c.incomeSegment,
    c.additionalConditions,
    c.designatedMedicalInstitutions.map((d) => [d.institutionCode, d.name ?? null]),
    c.isAlwaysReimbursement,
    c.maxCopaymentAmount ? [c.maxCopaymentAmount.monthly, c.maxCopaymentAmount.outpatientMonthly ?? null, c.maxCopaymentAmount.inpatientMonthly ?? null] : null,
    c.validFrom,
    c.validTo,
    c.isDeleted,
    c.certificationDetail.map((d) => [d.label, d.value]),
  ];
}

const certRow = (c: CertState) => ({
  id: c.id,
  subject: c.subjectId,
  type: c.c.orgSpecificCertificateTypeId,
  sub_key: c.c.certificationSubKey,
  history: c.c.historyKey,
  name: c.c.certificationName,
  insurer: c.c.medicalSubsidyInsurerNumber,
  recipient: c.c.medicalSubsidyRecipientNumber,
  segment: c.c.segment,
  income: c.c.incomeSegment,
  conditions: c.c.additionalConditions,
  designated: c.c.designatedMedicalInstitutions,
  always: c.c.isAlwaysReimbursement,
  copay: c.c.maxCopaymentAmount,
  vfrom: c.c.validFrom,
  vto: c.c.validTo,
  deleted: c.c.isDeleted,
  detail: c.c.certificationDetail,
});

const CERT_COLUMNS = sql.raw(`id uuid, subject uuid, type text, sub_key text, history text, name text, insurer text,
  recipient text, segment text, income text, conditions jsonb, designated jsonb, always boolean, copay jsonb,
  vfrom date, vto date, deleted boolean, detail jsonb`);

const certKey = (subjectId: string, c: Pick<CertificateVersion, 'orgSpecificCertificateTypeId' | 'certificationSubKey' | 'historyKey'>) =>
  `${subjectId}\u0000${c.orgSpecificCertificateTypeId}\u0000${c.certificationSubKey}\u0000${c.historyKey}`;

type CertificateRow = Omit<Selectable<SubsidyCertificatesTable>, 'municipality_code' | 'created_at' | 'updated_at'>;

/**
 * Applies validated records set-based: a handful of statements per chunk whatever its size
 * (docs/architecture.md#national-scale). Runs inside the municipality's scope (row-level security entered). Records
 * are applied in index order; a later record for the same person or certificate version sees the
 * earlier one's effect. A record that conflicts with what is stored fails alone.
 *
 * One person, one subject per municipality. A record names its subject by 宛名番号, or — as the
 * published API does, without one — by the person (My Number, through its blind index). A record
 * without a key for a person not registered yet makes a subject without a key; a later record of
 * the same person that names a key gives the subject that key.
 */
export async function applySubsidyRecords(trx: HubTrx, municipalityCode: string, records: SubsidyRecord[], cipher: FieldCipher): Promise<Applied[]> {
  const results: Applied[] = [];
  if (records.length === 0) return results;

  // 1. Subjects: those under these keys, and those of these persons (by blind index).
  const bidxOf = records.map((r) => cipher.blindIndex(r.myNumber, MY_NUMBER_CONTEXT));
  const keys = [...new Set(records.flatMap((r) => (r.municipalityIdentityKey === null ? [] : [r.municipalityIdentityKey])))];
  const { byPerson, byKey } = await loadSubjectStates(trx, municipalityCode, keys, [...new Set(bidxOf)]);

  // 2. Certificates already stored for those subjects.
  const subjectIds = [...byPerson.values()].map((s) => s.id);
  const certs = new Map<string, CertState>();
  if (subjectIds.length) {
    const stored = await sql<CertificateRow>`
      select id, subject_id, org_specific_certificate_type_id, certification_sub_key, history_key, certification_name,
             medical_subsidy_insurer_number, medical_subsidy_recipient_number, segment, income_segment, additional_conditions,
             designated_medical_institutions, is_always_reimbursement, max_copayment_amount, valid_from, valid_to, is_deleted,
             certification_detail
      from subsidy_certificates where subject_id = any(${subjectIds}::uuid[])`.execute(trx);
    for (const c of stored.rows) {
      const cert: CertificateVersion = {
        orgSpecificCertificateTypeId: c.org_specific_certificate_type_id,
        certificationSubKey: c.certification_sub_key,
        historyKey: c.history_key,
        certificationName: c.certification_name,
        medicalSubsidyInsurerNumber: c.medical_subsidy_insurer_number,
        medicalSubsidyRecipientNumber: c.medical_subsidy_recipient_number,
        segment: c.segment,
        incomeSegment: c.income_segment,
        additionalConditions: c.additional_conditions,
        designatedMedicalInstitutions: c.designated_medical_institutions,
        isAlwaysReimbursement: c.is_always_reimbursement,
        maxCopaymentAmount: c.max_copayment_amount,
        validFrom: c.valid_from,
        validTo: c.valid_to,
        isDeleted: c.is_deleted,
        certificationDetail: c.certification_detail,
      };
      certs.set(certKey(c.subject_id, cert), { id: c.id, isNew: false, changed: false, subjectId: c.subject_id, c: cert });
    }
  }

  // 3. Decide, record by record, in order.
  for (const [i, r] of records.entries()) {
    const bidx = bidxOf[i];
    const person = byPerson.get(bidx);
    let s: SubjectState | undefined;
    let created = false;
    let createdSubject = false;
    let changed = false;
    if (r.municipalityIdentityKey === null) s = person;
    else {
      const named = byKey.get(r.municipalityIdentityKey);
      if (named && named.bidx !== bidx) {
        results.push({
          index: r.index,
          outcome: 'failed',
          errors: [{ pointer: `/${r.index}/myNumber`, message: 'differs from the My Number already registered under this municipalityIdentityKey' }],
        });
        continue;
      }
      if (!named && person && person.key !== null) {
        // The key is the municipality's own data, so naming it tells nothing new; the My Number is never named.
        results.push({
          index: r.index,
          outcome: 'failed',
          errors: [
            {
              pointer: `/${r.index}/municipalityIdentityKey`,
              message: `names a new subject, but this person (by My Number) is already registered under municipalityIdentityKey ${JSON.stringify(person.key)}; a person has one subject per municipality`,
            },
          ],
        });
        continue;
      }
      s = named ?? person;
      if (s && s.key === null) {
        // A subject registered without a key gets the one the municipality names now.
        s.key = r.municipalityIdentityKey;
        byKey.set(s.key, s);
        if (!s.isNew) s.changed = true;
        changed = true;
      }
    }
    if (!s) {
      const id = crypto.randomUUID();
      s = { id, bidx, key: r.municipalityIdentityKey, isNew: true, changed: false, enc: cipher.encrypt(r.myNumber, myNumberAt(id)), f: r.subject };
      byPerson.set(bidx, s);
      if (s.key !== null) byKey.set(s.key, s);
      created = true;
      createdSubject = true;
    } else if (!sameSubject(s.f, r.subject)) {
      s.f = r.subject;
      if (!s.isNew) s.changed = true;
      changed = true;
    }
    const k = certKey(s.id, r.certificate);
    const c = certs.get(k);
    if (!c) {
      certs.set(k, { id: crypto.randomUUID(), isNew: true, changed: false, subjectId: s.id, c: r.certificate });
      created = true;
    } else if (!sameCertificate(c.c, r.certificate)) {
      c.c = r.certificate;
      if (!c.isNew) c.changed = true;
      changed = true;
    }
    const outcome: Outcome = r.certificate.isDeleted ? 'deleted' : created ? 'created' : changed ? 'updated' : 'unchanged';
    results.push({ index: r.index, outcome, subjectId: s.id, ...(createdSubject ? { createdSubject } : {}) });
  }

  // 4. Write: one statement per kind of change, each taking its rows as one JSON parameter
  //    (parsed by PostgreSQL in C; no per-value bind parameters or escaped array literals).
  const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;
  await writeSubjectStates(trx, municipalityCode, byPerson.values());

  const newCerts = [...certs.values()].filter((c) => c.isNew);
  if (newCerts.length) {
    await sql`
      insert into subsidy_certificates (id, municipality_code, subject_id, org_specific_certificate_type_id, certification_sub_key,
        history_key, certification_name, medical_subsidy_insurer_number, medical_subsidy_recipient_number, segment, income_segment,
        additional_conditions, designated_medical_institutions, is_always_reimbursement, max_copayment_amount, valid_from, valid_to,
        is_deleted, certification_detail)
      select u.id, ${municipalityCode}, u.subject, u.type, u.sub_key, u.history, u.name, u.insurer, u.recipient, u.segment, u.income,
             u.conditions, u.designated, u.always, u.copay, u.vfrom, u.vto, u.deleted, u.detail
      from json_to_recordset(${json(newCerts.map(certRow))}) as u(${CERT_COLUMNS})`.execute(trx);
  }
  const changedCerts = [...certs.values()].filter((c) => c.changed);
  if (changedCerts.length) {
    await sql`
      update subsidy_certificates t set certification_name = u.name, medical_subsidy_insurer_number = u.insurer,
        medical_subsidy_recipient_number = u.recipient, segment = u.segment, income_segment = u.income,
        additional_conditions = u.conditions, designated_medical_institutions = u.designated,
        is_always_reimbursement = u.always, max_copayment_amount = u.copay, valid_from = u.vfrom, valid_to = u.vto,
        is_deleted = u.deleted, certification_detail = u.detail, updated_at = now()
      from json_to_recordset(${json(changedCerts.map(certRow))}) as u(${CERT_COLUMNS})
      where t.id = u.id and t.municipality_code = ${municipalityCode}`.execute(trx);
  }
  return results;
}

/** Where in a record each column it is stored in came from (a record's pointer, without its index). */
const FIELD_OF_COLUMN: Record<string, string> = {
  municipality_identity_key: '/municipalityIdentityKey',
  my_number_enc: '/myNumber',
  my_number_bidx: '/myNumber',
  name: '/basicFiveInfo/name',
  name_kana: '/basicFiveInfo/nameKana',
  address: '/basicFiveInfo/address',
  date_of_birth: '/basicFiveInfo/dateOfBirth',
  sex: '/basicFiveInfo/sex',
  is_not_disclosed: '/isNotDisclosed',
  org_specific_certificate_type_id: '/orgSpecificCertificateTypeId',
  certification_sub_key: '/certificationSubKey',
  history_key: '/historyKey',
  certification_name: '/certificationName',
  medical_subsidy_insurer_number: '/medicalSubsidyInsurerNumber',
  medical_subsidy_recipient_number: '/medicalSubsidyRecipientNumber',
  segment: '/segment',
  income_segment: '/incomeSegment',
  additional_conditions: '/additionalConditions',
  designated_medical_institutions: '/designatedMedicalInstitutions',
  is_always_reimbursement: '/isAlwaysReimbursement',
  max_copayment_amount: '/maxCopaymentAmount',
  valid_from: '/validFrom',
  valid_to: '/validTo',
  is_deleted: '/isDeleted',
  certification_detail: '/certificationDetail',
};

/** Which field a unique constraint is about. */
const FIELD_OF_CONSTRAINT: Record<string, string> = {
  subjects_municipality_code_municipality_identity_key_key: '/municipalityIdentityKey',
  subjects_one_per_person: '/municipalityIdentityKey',
  subsidy_certificates_one_version: '/historyKey',
};

/**
 * The field a database refusal of one record is about, when the error says (a column, a known
 * constraint); otherwise the record itself. Validation is meant to make this rare: it is reported,
 * never guessed.
 */
export function fieldOfStorageFailure(facts: { column?: string; constraint?: string } | undefined): string {
  return (facts?.column && FIELD_OF_COLUMN[facts.column]) || (facts?.constraint && FIELD_OF_CONSTRAINT[facts.constraint]) || '';
}
