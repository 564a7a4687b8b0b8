import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { FieldError } from '@pmh/core/http/problem';
import type { VaccinationEnrolmentView } from '@pmh/protocol';
import type { MunicipalDose, VaccinationRegistrationInput, Voucher } from '../domain/vaccination/registration.ts';
import { endEnrolment, enrol, loadEnrolments, writeEnrolments } from './enrolments.ts';
import { MY_NUMBER_CONTEXT, type Applied } from './medical-subsidy.ts';
import type { HubTrx } from './schema.ts';
import { findSubject, loadSubjectStates, takeSubject, writeSubjectStates } from './subject-states.ts';
import { feedPage, type FeedPosition } from './feeds.ts';

export type { FeedPosition };

/**
 * Vaccination registration (seed B①), applied set-based in the municipality's scope: the records of
 * a chunk are decided in index order against what is stored (a later record sees an earlier one's
 * effect), then written with a handful of statements. A record that conflicts with what is stored
 * fails alone, before any of its changes is taken into the state to write.
 *
 * The subject model is the medical subsidies': one subject per person per municipality, named by
 * 宛名番号 and checked against the person's My Number (its blind index); a subject registered for a
 * subsidy without a key gets the key the vaccination record names.
 */

interface DoseState {
  id: string;
  subjectId: string;
  isNew: boolean;
  changed: boolean;
  d: MunicipalDose;
}

interface VoucherState {
  id: string;
  subjectId: string;
  isNew: boolean;
  changed: boolean;
  v: Voucher;
}

const DOSE_FIELDS = ['vaccineCode', 'doseNumber', 'series', 'date', 'lotNumber', 'institutionCode', 'institutionName'] as const;
const sameDose = (a: MunicipalDose, b: MunicipalDose) => DOSE_FIELDS.every((k) => a[k] === b[k]);
const sameVoucher = (a: Voucher, b: Voucher) => a.vaccineCode === b.vaccineCode && a.doseNumber === b.doseNumber && a.validTo === b.validTo;
const doseKey = (subjectId: string, recordKey: string) => `${subjectId}\u0000${recordKey}`;

export async function applyVaccinationRecords(
  trx: HubTrx,
  municipalityCode: string,
  records: VaccinationRegistrationInput[],
  cipher: FieldCipher,
): Promise<Applied[]> {
  const results: Applied[] = [];
  if (records.length === 0) return results;

  // 1. The subjects these records may be about: by 宛名番号, and by person (blind index of the My Number).
  const bidxOf = records.map((r) => (r.kind === 'register' ? cipher.blindIndex(r.myNumber, MY_NUMBER_CONTEXT) : null));
  const keys = [...new Set(records.map((r) => r.municipalityIdentityKey))];
  const bidxs = [...new Set(bidxOf.filter((b): b is string => b !== null))];
  const states = await loadSubjectStates(trx, municipalityCode, keys, bidxs);
  const { byPerson } = states;

  // 2. Their enrolments, doses and vouchers, and the vouchers of these numbers (whoever holds them).
  const subjectIds = [...byPerson.values()].map((s) => s.id);
  const numbers = [...new Set(records.flatMap((r) => (r.kind === 'register' ? r.vouchers.map((v) => v.voucherNumber) : [])))];
  const enrolments = await loadEnrolments(trx, 'vaccination_enrolments', subjectIds);
  const doses = new Map<string, DoseState>();
  const vouchers = new Map<string, VoucherState>();
  if (subjectIds.length) {
    const d = await sql<{
      id: string;
      subject_id: string;
      record_key: string;
      vaccine_code: string;
      dose_number: number;
      series: string | null;
      date: string;
      lot_number: string | null;
      institution_code: string | null;
      institution_name: string | null;
    }>`
      select id, subject_id, record_key, vaccine_code, dose_number, series, date, lot_number, institution_code, institution_name
      from vaccination_records where subject_id = any(${subjectIds}::uuid[]) and record_key is not null`.execute(trx);
    for (const r of d.rows)
      doses.set(doseKey(r.subject_id, r.record_key), {
        id: r.id,
        subjectId: r.subject_id,
        isNew: false,
        changed: false,
        d: {
          recordKey: r.record_key,
          vaccineCode: r.vaccine_code,
          doseNumber: r.dose_number,
          series: r.series,
          date: r.date,
          lotNumber: r.lot_number,
          institutionCode: r.institution_code,
          institutionName: r.institution_name,
        },
      });
  }
  if (numbers.length) {
    const v = await sql<{ id: string; subject_id: string; voucher_number: string; vaccine_code: string; dose_number: number; valid_to: string }>`
      select id, subject_id, voucher_number, vaccine_code, dose_number, valid_to from vaccination_vouchers
      where municipality_code = ${municipalityCode} and voucher_number = any(${numbers}::text[])`.execute(trx);
    for (const r of v.rows)
      vouchers.set(r.voucher_number, {
        id: r.id,
        subjectId: r.subject_id,
        isNew: false,
        changed: false,
        v: { voucherNumber: r.voucher_number, vaccineCode: r.vaccine_code, doseNumber: r.dose_number, validTo: r.valid_to },
      });
  }

  // 3. Decide, record by record, in order. Every refusal comes before the record changes any state.
  const fail = (index: number, errors: FieldError[]) => results.push({ index, outcome: 'failed', errors });
  for (const [i, r] of records.entries()) {
    if (r.kind === 'end') {
      results.push(endEnrolment('vaccination_enrolments', enrolments, states, r));
      continue;
    }

    const bidx = bidxOf[i]!;
    const found = findSubject(states, r, bidx);
    if ('errors' in found) {
      fail(r.index, found.errors);
      continue;
    }
    const voucherConflicts = r.vouchers.flatMap((v, j) => {
      const held = vouchers.get(v.voucherNumber);
      return held && held.subjectId !== found.existing?.id
        ? [{ pointer: `/${r.index}/vouchers/${j}/voucherNumber`, message: 'was issued to another subject of this municipality' }]
        : [];
    });
    if (voucherConflicts.length) {
      fail(r.index, voucherConflicts);
      continue;
    }

    const taken = takeSubject(states, found.existing, r, bidx, cipher);
    const subjectId = taken.state.id;
    const enrolment = enrol(enrolments, subjectId);
    const created = taken.createdSubject || enrolment === 'created';
    let changed = taken.changed || enrolment === 'updated';

    for (const d of r.doses) {
      const k = doseKey(subjectId, d.recordKey);
      const held = doses.get(k);
      if (!held) {
        doses.set(k, { id: crypto.randomUUID(), subjectId, isNew: true, changed: false, d });
        changed = true;
      } else if (!sameDose(held.d, d)) {
        held.d = d;
        if (!held.isNew) held.changed = true;
        changed = true;
      }
    }
    for (const v of r.vouchers) {
      const held = vouchers.get(v.voucherNumber);
      if (!held) {
        vouchers.set(v.voucherNumber, { id: crypto.randomUUID(), subjectId, isNew: true, changed: false, v });
        changed = true;
      } else if (!sameVoucher(held.v, v)) {
        held.v = v;
        if (!held.isNew) held.changed = true;
        changed = true;
      }
    }
    results.push({
      index: r.index,
      outcome: created ? 'created' : changed ? 'updated' : 'unchanged',
      subjectId,
      ...(taken.createdSubject ? { createdSubject: true } : {}),
    });
  }

  // 4. Write: one statement per kind of change, each taking its rows as one JSON parameter.
  const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;
  await writeSubjectStates(trx, municipalityCode, byPerson.values());

  await writeEnrolments(trx, 'vaccination_enrolments', municipalityCode, enrolments);

  const doseRow = (d: DoseState) => ({
    id: d.id,
    subject: d.subjectId,
    key: d.d.recordKey,
    vaccine: d.d.vaccineCode,
    dose: d.d.doseNumber,
    series: d.d.series,
    date: d.d.date,
    lot: d.d.lotNumber,
    inst: d.d.institutionCode,
    inst_name: d.d.institutionName,
  });
  const DOSE_COLUMNS = sql.raw('id uuid, subject uuid, key text, vaccine text, dose integer, series text, date date, lot text, inst text, inst_name text');
  const newDoses = [...doses.values()].filter((d) => d.isNew);
  if (newDoses.length)
    await sql`
      insert into vaccination_records (id, municipality_code, subject_id, record_key, vaccine_code, dose_number, series, date,
                                       lot_number, institution_code, institution_name, source)
      select u.id, ${municipalityCode}, u.subject, u.key, u.vaccine, u.dose, u.series, u.date, u.lot, u.inst, u.inst_name, 'municipal'
      from json_to_recordset(${json(newDoses.map(doseRow))}) as u(${DOSE_COLUMNS})`.execute(trx);
  const changedDoses = [...doses.values()].filter((d) => d.changed);
  if (changedDoses.length)
    await sql`
      update vaccination_records t set vaccine_code = u.vaccine, dose_number = u.dose, series = u.series, date = u.date,
        lot_number = u.lot, institution_code = u.inst, institution_name = u.inst_name, updated_at = now()
      from json_to_recordset(${json(changedDoses.map(doseRow))}) as u(${DOSE_COLUMNS})
      where t.id = u.id and t.municipality_code = ${municipalityCode}`.execute(trx);

  const voucherRow = (v: VoucherState) => ({
    id: v.id,
    subject: v.subjectId,
    number: v.v.voucherNumber,
    vaccine: v.v.vaccineCode,
    dose: v.v.doseNumber,
    valid_to: v.v.validTo,
  });
  const VOUCHER_COLUMNS = sql.raw('id uuid, subject uuid, number text, vaccine text, dose integer, valid_to date');
  const newVouchers = [...vouchers.values()].filter((v) => v.isNew);
  if (newVouchers.length)
    await sql`
      insert into vaccination_vouchers (id, municipality_code, subject_id, voucher_number, vaccine_code, dose_number, valid_to)
      select u.id, ${municipalityCode}, u.subject, u.number, u.vaccine, u.dose, u.valid_to
      from json_to_recordset(${json(newVouchers.map(voucherRow))}) as u(${VOUCHER_COLUMNS})`.execute(trx);
  const changedVouchers = [...vouchers.values()].filter((v) => v.changed);
  if (changedVouchers.length)
    await sql`
      update vaccination_vouchers t set vaccine_code = u.vaccine, dose_number = u.dose, valid_to = u.valid_to, updated_at = now()
      from json_to_recordset(${json(changedVouchers.map(voucherRow))}) as u(${VOUCHER_COLUMNS})
      where t.id = u.id and t.municipality_code = ${municipalityCode}`.execute(trx);
  return results;
}

/** Which field of a record a unique constraint is about (a record's pointer, without its index). */
const FIELD_OF_CONSTRAINT: Record<string, string> = {
  subjects_municipality_code_municipality_identity_key_key: '/municipalityIdentityKey',
  subjects_one_per_person: '/municipalityIdentityKey',
  vaccination_records_one_per_key: '/vaccinationRecords',
  vaccination_vouchers_one_number: '/vouchers',
};

/** The field a database refusal of one vaccination record is about, when the error says; otherwise the record itself. */
export function fieldOfVaccinationStorageFailure(facts: { column?: string; constraint?: string } | undefined): string {
  return (facts?.constraint && FIELD_OF_CONSTRAINT[facts.constraint]) || '';
}

// --- The subject's vaccination, as the municipality sees it -----------------------------------

/** Each subject's vaccination registration and counts; subjects never registered for vaccination are absent. */
export async function vaccinationEnrolments(trx: HubTrx, municipalityCode: string, subjectIds: string[]): Promise<Map<string, VaccinationEnrolmentView>> {
  const out = new Map<string, VaccinationEnrolmentView>();
  if (subjectIds.length === 0) return out;
  const { rows } = await sql<{
    subject_id: string;
    status: 'registered' | 'ended';
    ended_reason: VaccinationEnrolmentView['endedReason'];
    ended_on: string | null;
    records: number;
    vouchers: number;
  }>`
    select e.subject_id, e.status, e.ended_reason, e.ended_on,
      (select count(*)::int from vaccination_records r where r.subject_id = e.subject_id) as records,
      (select count(*)::int from vaccination_vouchers v where v.subject_id = e.subject_id) as vouchers
    from vaccination_enrolments e where e.municipality_code = ${municipalityCode} and e.subject_id = any(${subjectIds}::uuid[])`.execute(trx);
  for (const r of rows) out.set(r.subject_id, { status: r.status, endedReason: r.ended_reason, endedOn: r.ended_on, records: r.records, vouchers: r.vouchers });
  return out;
}

// --- Unit prices ---------------------------------------------------------------------------------

export interface StoredPrice {
  vaccineCode: string;
  unitPrice: number;
  validFrom: string;
  validTo: string | null;
  updatedAt: Date;
}

/** Sets the price of one version (vaccine and validFrom): created when that version is new. */
export async function upsertPrice(trx: HubTrx, municipalityCode: string, vaccineCode: string, p: { unitPrice: number; validFrom: string }): Promise<boolean> {
  const { rows } = await sql<{ created: boolean }>`
    insert into vaccination_prices (municipality_code, vaccine_code, valid_from, unit_price)
    values (${municipalityCode}, ${vaccineCode}, ${p.validFrom}, ${p.unitPrice})
    on conflict (municipality_code, vaccine_code, valid_from)
      do update set unit_price = excluded.unit_price, updated_at = now()
    returning (xmax = 0) as created`.execute(trx);
  return rows[0].created;
}

/** The municipality's prices: every version by vaccine and day, each with the day before the next (or those in force on asOf). */
export async function listPrices(trx: HubTrx, municipalityCode: string, q: { vaccineCode?: string; asOf?: string }): Promise<StoredPrice[]> {
  const { rows } = await sql<{ vaccine_code: string; unit_price: number; valid_from: string; valid_to: string | null; updated_at: Date }>`
    select vaccine_code, unit_price, valid_from, valid_to, updated_at from (
      select vaccine_code, unit_price, valid_from, updated_at,
        (lead(valid_from) over (partition by vaccine_code order by valid_from) - 1) as valid_to
      from vaccination_prices
      where municipality_code = ${municipalityCode} and (${q.vaccineCode ?? null}::text is null or vaccine_code = ${q.vaccineCode ?? null})
    ) p
    where ${q.asOf ?? null}::date is null or (valid_from <= ${q.asOf ?? null}::date and (valid_to is null or valid_to >= ${q.asOf ?? null}::date))
    order by vaccine_code, valid_from`.execute(trx);
  return rows.map((r) => ({ vaccineCode: r.vaccine_code, unitPrice: r.unit_price, validFrom: r.valid_from, validTo: r.valid_to, updatedAt: r.updated_at }));
}

// --- The municipal records feed ----------------------------------------------------------------

export interface FeedRow {
  position: FeedPosition;
  municipalityIdentityKey: string | null;
  recordId: string;
  recordKey: string | null;
  vaccineCode: string;
  doseNumber: number;
  series: string | null;
  date: string;
  lotNumber: string | null;
  institutionCode: string | null;
  institutionName: string | null;
  source: 'municipal' | 'clinic';
  status: 'recorded' | 'corrected' | 'cancelled';
  updatedAt: Date;
}

/**
 * The records feed after `after`, oldest first (store/feeds.ts `feedPage` says why it never skips nor
 * repeats an entry). A record has one entry, at its latest write (the trigger of
 * migration hub-009 moves it): a record changed twice shows as it now stands.
 */
export async function vaccinationFeed(trx: HubTrx, municipalityCode: string, after: FeedPosition, limit: number): Promise<FeedRow[]> {
  const page = await feedPage(trx, 'vaccination_feed', 'record_id', municipalityCode, after, limit);
  const { rows } = await sql<{
    seq: string;
    xid: string;
    municipality_identity_key: string | null;
    id: string;
    record_key: string | null;
    vaccine_code: string;
    dose_number: number;
    series: string | null;
    date: string;
    lot_number: string | null;
    institution_code: string | null;
    institution_name: string | null;
    source: 'municipal' | 'clinic';
    status: 'recorded' | 'corrected' | 'cancelled';
    updated_at: Date;
  }>`
    select p.seq::text as seq, p.xid::text as xid, s.municipality_identity_key, r.id, r.record_key, r.vaccine_code, r.dose_number,
           r.series, r.date, r.lot_number, r.institution_code, r.institution_name, r.source, r.status, r.updated_at
    from ${page} p
      join vaccination_records r on r.id = p.entry_id
      join subjects s on s.id = r.subject_id
    order by p.xid, p.seq`.execute(trx);
  return rows.map((r) => ({
    position: { xid: r.xid, seq: r.seq },
    municipalityIdentityKey: r.municipality_identity_key,
    recordId: r.id,
    recordKey: r.record_key,
    vaccineCode: r.vaccine_code,
    doseNumber: r.dose_number,
    series: r.series,
    date: r.date,
    lotNumber: r.lot_number,
    institutionCode: r.institution_code,
    institutionName: r.institution_name,
    source: r.source,
    status: r.status,
    updatedAt: r.updated_at,
  }));
}
