import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { FieldError } from '@pmh/core/http/problem';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { SubsidyRecord } from '../domain/medical-subsidy/record.ts';
import type { Trx } from './scope.ts';

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

interface SubjectState {
  id: string;
  bidx: string;
  isNew: boolean;
  changed: boolean;
  enc?: string;
  f: SubsidyRecord['subject'];
}

interface CertState {
  id: string;
  isNew: boolean;
  changed: boolean;
  subjectId: string;
  c: SubsidyRecord['certificate'];
}

const SUBJECT_FIELDS = ['name', 'nameKana', 'address', 'dateOfBirth', 'sex', 'isNotDisclosed'] as const;

function sameSubject(a: SubsidyRecord['subject'], b: SubsidyRecord['subject']): boolean {
  return SUBJECT_FIELDS.every((k) => a[k] === b[k]);
}

function sameCertificate(a: SubsidyRecord['certificate'], b: SubsidyRecord['certificate']): boolean {
  return JSON.stringify(canonicalCert(a)) === JSON.stringify(canonicalCert(b));
}

function canonicalCert(c: SubsidyRecord['certificate']) {
  return [
    c.certificationName,
    c.insurerNumber,
    c.recipientNumber,
    c.segment,
    c.incomeSegment,
    c.additionalConditions,
    c.designatedInstitutions.map((d) => [d.institutionCode, d.name ?? null]),
    c.isAlwaysReimbursement,
    c.maxCopayment ? [c.maxCopayment.monthly, c.maxCopayment.outpatientMonthly ?? null, c.maxCopayment.inpatientMonthly ?? null] : null,
    c.validFrom,
    c.validTo,
    c.isDeleted,
    c.certificationDetail.map((d) => [d.label, d.value]),
  ];
}

const subjectRow = (s: SubjectState) => ({
  name: s.f.name,
  kana: s.f.nameKana,
  address: s.f.address,
  dob: s.f.dateOfBirth,
  sex: s.f.sex,
  nd: s.f.isNotDisclosed,
});

const certRow = (c: CertState) => ({
  id: c.id,
  subject: c.subjectId,
  type: c.c.certificateTypeId,
  sub_key: c.c.certificationSubKey,
  history: c.c.historyKey,
  name: c.c.certificationName,
  insurer: c.c.insurerNumber,
  recipient: c.c.recipientNumber,
  segment: c.c.segment,
  income: c.c.incomeSegment,
  conditions: c.c.additionalConditions,
  designated: c.c.designatedInstitutions,
  always: c.c.isAlwaysReimbursement,
  copay: c.c.maxCopayment,
  vfrom: c.c.validFrom,
  vto: c.c.validTo,
  deleted: c.c.isDeleted,
  detail: c.c.certificationDetail,
});

const CERT_COLUMNS = sql.raw(`id uuid, subject uuid, type text, sub_key text, history text, name text, insurer text,
  recipient text, segment text, income text, conditions jsonb, designated jsonb, always boolean, copay jsonb,
  vfrom date, vto date, deleted boolean, detail jsonb`);

const certKey = (subjectId: string, c: { certificateTypeId: string; certificationSubKey: string; historyKey: string }) =>
  `${subjectId}\u0000${c.certificateTypeId}\u0000${c.certificationSubKey}\u0000${c.historyKey}`;

/**
 * Applies validated records set-based: a handful of statements per chunk whatever its size
 * (ARCHITECTURE.md §6). Must run inside the municipality's scope (`inMunicipality`). Records are
 * applied in index order; a later record for the same person or certificate version sees the
 * earlier one's effect. A record that conflicts with what is stored fails alone.
 */
export async function applySubsidyRecords(trx: Trx, municipalityCode: string, records: SubsidyRecord[], cipher: FieldCipher): Promise<Applied[]> {
  const results: Applied[] = [];
  if (records.length === 0) return results;

  // 1. Subjects: what is stored under these keys, and under any key for these persons (My Numbers).
  const bidxOf = records.map((r) => cipher.blindIndex(r.myNumber, MY_NUMBER_CONTEXT));
  const keySet = new Set(records.map((r) => r.municipalityIdentityKey));
  const keys = [...keySet];
  const existing = await sql<any>`
    select id, municipality_identity_key, my_number_bidx, name, name_kana, address, date_of_birth, sex, is_not_disclosed
    from subjects where municipality_code = ${municipalityCode}
      and (municipality_identity_key = any(${keys}::text[]) or my_number_bidx = any(${[...new Set(bidxOf)]}::text[]))`.execute(trx);
  const subjects = new Map<string, SubjectState>();
  /** One person, one subject per municipality: the key each person (by blind index) is registered under. */
  const keyOfPerson = new Map<string, string>();
  for (const s of existing.rows) {
    keyOfPerson.set(s.my_number_bidx, s.municipality_identity_key);
    if (!keySet.has(s.municipality_identity_key)) continue;
    subjects.set(s.municipality_identity_key, {
      id: s.id,
      bidx: s.my_number_bidx,
      isNew: false,
      changed: false,
      f: { name: s.name, nameKana: s.name_kana, address: s.address, dateOfBirth: s.date_of_birth, sex: s.sex, isNotDisclosed: s.is_not_disclosed },
    });
  }

  // 2. Certificates already stored for those subjects.
  const subjectIds = [...subjects.values()].map((s) => s.id);
  const certs = new Map<string, CertState>();
  if (subjectIds.length) {
    const stored = await sql<any>`
      select id, subject_id, certificate_type_id, certification_sub_key, history_key, certification_name, insurer_number,
             recipient_number, segment, income_segment, additional_conditions, designated_institutions,
             is_always_reimbursement, max_copayment, valid_from, valid_to, is_deleted, certification_detail
      from subsidy_certificates where subject_id = any(${subjectIds}::uuid[])`.execute(trx);
    for (const c of stored.rows) {
      const cert: SubsidyRecord['certificate'] = {
        certificateTypeId: c.certificate_type_id,
        certificationSubKey: c.certification_sub_key,
        historyKey: c.history_key,
        certificationName: c.certification_name,
        insurerNumber: c.insurer_number,
        recipientNumber: c.recipient_number,
        segment: c.segment,
        incomeSegment: c.income_segment,
        additionalConditions: c.additional_conditions,
        designatedInstitutions: c.designated_institutions,
        isAlwaysReimbursement: c.is_always_reimbursement,
        maxCopayment: c.max_copayment,
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
    let s = subjects.get(r.municipalityIdentityKey);
    let created = false;
    let createdSubject = false;
    let changed = false;
    if (s && s.bidx !== bidx) {
      results.push({
        index: r.index,
        outcome: 'failed',
        errors: [{ pointer: `/${r.index}/myNumber`, message: 'differs from the My Number already registered under this municipalityIdentityKey' }],
      });
      continue;
    }
    const registeredAs = keyOfPerson.get(bidx);
    if (!s && registeredAs !== undefined) {
      // The key is the municipality's own data, so naming it tells nothing new; the My Number is never named.
      results.push({
        index: r.index,
        outcome: 'failed',
        errors: [
          {
            pointer: `/${r.index}/municipalityIdentityKey`,
            message: `names a new subject, but this person (by My Number) is already registered under municipalityIdentityKey ${JSON.stringify(registeredAs)}; a person has one subject per municipality`,
          },
        ],
      });
      continue;
    }
    if (!s) {
      const id = crypto.randomUUID();
      s = { id, bidx, isNew: true, changed: false, enc: cipher.encrypt(r.myNumber, myNumberAt(id)), f: r.subject };
      subjects.set(r.municipalityIdentityKey, s);
      keyOfPerson.set(bidx, r.municipalityIdentityKey);
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
  const newSubjects = [...subjects.entries()].filter(([, s]) => s.isNew);
  if (newSubjects.length) {
    await sql`
      insert into subjects (id, municipality_code, municipality_identity_key, my_number_enc, my_number_bidx,
                            name, name_kana, address, date_of_birth, sex, is_not_disclosed)
      select u.id, ${municipalityCode}, u.key, u.enc, u.bidx, u.name, u.kana, u.address, u.dob, u.sex, u.nd
      from json_to_recordset(${json(newSubjects.map(([key, s]) => ({ id: s.id, key, enc: s.enc, bidx: s.bidx, ...subjectRow(s) })))})
        as u(id uuid, key text, enc text, bidx text, name text, kana text, address text, dob date, sex text, nd boolean)`.execute(trx);
  }
  const changedSubjects = [...subjects.values()].filter((s) => s.changed);
  if (changedSubjects.length) {
    await sql`
      update subjects t set name = u.name, name_kana = u.kana, address = u.address, date_of_birth = u.dob,
                            sex = u.sex, is_not_disclosed = u.nd, updated_at = now()
      from json_to_recordset(${json(changedSubjects.map((s) => ({ id: s.id, ...subjectRow(s) })))})
        as u(id uuid, name text, kana text, address text, dob date, sex text, nd boolean)
      where t.id = u.id and t.municipality_code = ${municipalityCode}`.execute(trx);
  }

  const newCerts = [...certs.values()].filter((c) => c.isNew);
  if (newCerts.length) {
    await sql`
      insert into subsidy_certificates (id, municipality_code, subject_id, certificate_type_id, certification_sub_key, history_key,
        certification_name, insurer_number, recipient_number, segment, income_segment, additional_conditions,
        designated_institutions, is_always_reimbursement, max_copayment, valid_from, valid_to, is_deleted, certification_detail)
      select u.id, ${municipalityCode}, u.subject, u.type, u.sub_key, u.history, u.name, u.insurer, u.recipient, u.segment, u.income,
             u.conditions, u.designated, u.always, u.copay, u.vfrom, u.vto, u.deleted, u.detail
      from json_to_recordset(${json(newCerts.map(certRow))}) as u(${CERT_COLUMNS})`.execute(trx);
  }
  const changedCerts = [...certs.values()].filter((c) => c.changed);
  if (changedCerts.length) {
    await sql`
      update subsidy_certificates t set certification_name = u.name, insurer_number = u.insurer, recipient_number = u.recipient,
        segment = u.segment, income_segment = u.income, additional_conditions = u.conditions,
        designated_institutions = u.designated, is_always_reimbursement = u.always, max_copayment = u.copay,
        valid_from = u.vfrom, valid_to = u.vto, is_deleted = u.deleted, certification_detail = u.detail, updated_at = now()
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
  certificate_type_id: '/orgSpecificCertificateTypeId',
  certification_sub_key: '/certificationSubKey',
  history_key: '/historyKey',
  certification_name: '/certificationName',
  insurer_number: '/medicalSubsidyInsurerNumber',
  recipient_number: '/medicalSubsidyRecipientNumber',
  segment: '/segment',
  income_segment: '/incomeSegment',
  additional_conditions: '/additionalConditions',
  designated_institutions: '/designatedMedicalInstitutions',
  is_always_reimbursement: '/isAlwaysReimbursement',
  max_copayment: '/maxCopaymentAmount',
  valid_from: '/validFrom',
  valid_to: '/validTo',
  is_deleted: '/isDeleted',
  certification_detail: '/certificationDetail',
};

/** Which field a unique constraint is about. */
const FIELD_OF_CONSTRAINT: Record<string, string> = {
  subjects_municipality_code_municipality_identity_key_key: '/municipalityIdentityKey',
  subjects_one_per_person: '/municipalityIdentityKey',
  subsidy_certificates_subject_id_certificate_type_id_certification_sub_key_history_key_key: '/historyKey',
};

/**
 * The field a database refusal of one record is about, when the error says (a column, a known
 * constraint); otherwise the record itself. Validation is meant to make this rare: it is reported,
 * never guessed.
 */
export function fieldOfStorageFailure(facts: { column?: string; constraint?: string } | undefined): string {
  return (facts?.column && FIELD_OF_COLUMN[facts.column]) || (facts?.constraint && FIELD_OF_CONSTRAINT[facts.constraint]) || '';
}
