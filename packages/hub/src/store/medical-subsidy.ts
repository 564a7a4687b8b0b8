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
  errors?: FieldError[];
}

export const MY_NUMBER_CONTEXT = 'subjects.my_number';

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
    c.certificationName, c.insurerNumber, c.recipientNumber, c.segment, c.incomeSegment, c.additionalConditions,
    c.designatedInstitutions.map((d) => [d.institutionCode, d.name ?? null]), c.isAlwaysReimbursement,
    c.maxCopayment ? [c.maxCopayment.monthly, c.maxCopayment.outpatientMonthly ?? null, c.maxCopayment.inpatientMonthly ?? null] : null,
    c.validFrom, c.validTo, c.isDeleted, c.certificationDetail.map((d) => [d.label, d.value]),
  ];
}

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

  // 1. Subjects: what is stored under these keys.
  const keys = [...new Set(records.map((r) => r.municipalityIdentityKey))];
  const existing = await sql<any>`
    select id, municipality_identity_key, my_number_bidx, name, name_kana, address, date_of_birth, sex, is_not_disclosed
    from subjects where municipality_code = ${municipalityCode} and municipality_identity_key = any(${keys}::text[])`.execute(trx);
  const subjects = new Map<string, SubjectState>();
  for (const s of existing.rows) {
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
  for (const r of records) {
    const bidx = cipher.blindIndex(r.myNumber, MY_NUMBER_CONTEXT);
    let s = subjects.get(r.municipalityIdentityKey);
    let created = false;
    let changed = false;
    if (s && s.bidx !== bidx) {
      results.push({
        index: r.index,
        outcome: 'failed',
        errors: [{ pointer: `/${r.index}/myNumber`, message: 'differs from the My Number already registered under this municipalityIdentityKey' }],
      });
      continue;
    }
    if (!s) {
      s = { id: crypto.randomUUID(), bidx, isNew: true, changed: false, enc: cipher.encrypt(r.myNumber, MY_NUMBER_CONTEXT), f: r.subject };
      subjects.set(r.municipalityIdentityKey, s);
      created = true;
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
    results.push({ index: r.index, outcome, subjectId: s.id });
  }

  // 4. Write: one statement per kind of change.
  const newSubjects = [...subjects.entries()].filter(([, s]) => s.isNew);
  if (newSubjects.length) {
    const col = <T>(f: (k: string, s: SubjectState) => T) => newSubjects.map(([k, s]) => f(k, s));
    await sql`
      insert into subjects (id, municipality_code, municipality_identity_key, my_number_enc, my_number_bidx,
                            name, name_kana, address, date_of_birth, sex, is_not_disclosed)
      select u.id, ${municipalityCode}, u.key, u.enc, u.bidx, u.name, u.kana, u.address, u.dob, u.sex, u.nd
      from unnest(${col((_, s) => s.id)}::uuid[], ${col((k) => k)}::text[], ${col((_, s) => s.enc!)}::text[],
                  ${col((_, s) => s.bidx)}::text[], ${col((_, s) => s.f.name)}::text[], ${col((_, s) => s.f.nameKana)}::text[],
                  ${col((_, s) => s.f.address)}::text[], ${col((_, s) => s.f.dateOfBirth)}::date[], ${col((_, s) => s.f.sex)}::text[],
                  ${col((_, s) => s.f.isNotDisclosed)}::boolean[])
        as u(id, key, enc, bidx, name, kana, address, dob, sex, nd)`.execute(trx);
  }
  const changedSubjects = [...subjects.values()].filter((s) => s.changed);
  if (changedSubjects.length) {
    const col = <T>(f: (s: SubjectState) => T) => changedSubjects.map(f);
    await sql`
      update subjects t set name = u.name, name_kana = u.kana, address = u.address, date_of_birth = u.dob,
                            sex = u.sex, is_not_disclosed = u.nd, updated_at = now()
      from unnest(${col((s) => s.id)}::uuid[], ${col((s) => s.f.name)}::text[], ${col((s) => s.f.nameKana)}::text[],
                  ${col((s) => s.f.address)}::text[], ${col((s) => s.f.dateOfBirth)}::date[], ${col((s) => s.f.sex)}::text[],
                  ${col((s) => s.f.isNotDisclosed)}::boolean[])
        as u(id, name, kana, address, dob, sex, nd)
      where t.id = u.id and t.municipality_code = ${municipalityCode}`.execute(trx);
  }

  const certCols = (list: CertState[]) => {
    const col = <T>(f: (c: CertState) => T) => list.map(f);
    return {
      id: col((c) => c.id),
      subject: col((c) => c.subjectId),
      type: col((c) => c.c.certificateTypeId),
      subKey: col((c) => c.c.certificationSubKey),
      history: col((c) => c.c.historyKey),
      name: col((c) => c.c.certificationName),
      insurer: col((c) => c.c.insurerNumber),
      recipient: col((c) => c.c.recipientNumber),
      segment: col((c) => c.c.segment),
      income: col((c) => c.c.incomeSegment),
      conditions: col((c) => JSON.stringify(c.c.additionalConditions)),
      designated: col((c) => JSON.stringify(c.c.designatedInstitutions)),
      always: col((c) => c.c.isAlwaysReimbursement),
      copay: col((c) => (c.c.maxCopayment ? JSON.stringify(c.c.maxCopayment) : null)),
      from: col((c) => c.c.validFrom),
      to: col((c) => c.c.validTo),
      deleted: col((c) => c.c.isDeleted),
      detail: col((c) => JSON.stringify(c.c.certificationDetail)),
    };
  };
  const newCerts = [...certs.values()].filter((c) => c.isNew);
  if (newCerts.length) {
    const v = certCols(newCerts);
    await sql`
      insert into subsidy_certificates (id, municipality_code, subject_id, certificate_type_id, certification_sub_key, history_key,
        certification_name, insurer_number, recipient_number, segment, income_segment, additional_conditions,
        designated_institutions, is_always_reimbursement, max_copayment, valid_from, valid_to, is_deleted, certification_detail)
      select u.id, ${municipalityCode}, u.subject, u.type, u.sub_key, u.history, u.name, u.insurer, u.recipient, u.segment, u.income,
             u.conditions::jsonb, u.designated::jsonb, u.always, u.copay::jsonb, u.vfrom, u.vto, u.deleted, u.detail::jsonb
      from unnest(${v.id}::uuid[], ${v.subject}::uuid[], ${v.type}::text[], ${v.subKey}::text[], ${v.history}::text[],
                  ${v.name}::text[], ${v.insurer}::text[], ${v.recipient}::text[], ${v.segment}::text[], ${v.income}::text[],
                  ${v.conditions}::text[], ${v.designated}::text[], ${v.always}::boolean[], ${v.copay}::text[],
                  ${v.from}::date[], ${v.to}::date[], ${v.deleted}::boolean[], ${v.detail}::text[])
        as u(id, subject, type, sub_key, history, name, insurer, recipient, segment, income, conditions, designated,
             always, copay, vfrom, vto, deleted, detail)`.execute(trx);
  }
  const changedCerts = [...certs.values()].filter((c) => c.changed);
  if (changedCerts.length) {
    const v = certCols(changedCerts);
    await sql`
      update subsidy_certificates t set certification_name = u.name, insurer_number = u.insurer, recipient_number = u.recipient,
        segment = u.segment, income_segment = u.income, additional_conditions = u.conditions::jsonb,
        designated_institutions = u.designated::jsonb, is_always_reimbursement = u.always, max_copayment = u.copay::jsonb,
        valid_from = u.vfrom, valid_to = u.vto, is_deleted = u.deleted, certification_detail = u.detail::jsonb, updated_at = now()
      from unnest(${v.id}::uuid[], ${v.name}::text[], ${v.insurer}::text[], ${v.recipient}::text[], ${v.segment}::text[],
                  ${v.income}::text[], ${v.conditions}::text[], ${v.designated}::text[], ${v.always}::boolean[],
                  ${v.copay}::text[], ${v.from}::date[], ${v.to}::date[], ${v.deleted}::boolean[], ${v.detail}::text[])
        as u(id, name, insurer, recipient, segment, income, conditions, designated, always, copay, vfrom, vto, deleted, detail)
      where t.id = u.id and t.municipality_code = ${municipalityCode}`.execute(trx);
  }
  return results;
}
