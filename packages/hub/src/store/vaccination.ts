import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { FieldError } from '@pmh/core/http/problem';
import type { VaccinationEnrolmentView } from '@pmh/protocol';
import type { MunicipalDose, VaccinationRegistrationInput, Voucher } from '../domain/vaccination/registration.ts';
import { MY_NUMBER_CONTEXT, myNumberAt, type Applied } from './medical-subsidy.ts';
import type { HubTrx } from './schema.ts';
import { loadSubjectStates, sameSubject, writeSubjectStates } from './subject-states.ts';

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

interface EnrolmentState {
  status: 'registered' | 'ended';
  endedReason: 'moved-out' | 'deceased' | 'mistaken' | null;
  endedOn: string | null;
  isNew: boolean;
  changed: boolean;
}

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
  const { byPerson, byKey } = await loadSubjectStates(trx, municipalityCode, keys, bidxs);

  // 2. Their enrolments, doses and vouchers, and the vouchers of these numbers (whoever holds them).
  const subjectIds = [...byPerson.values()].map((s) => s.id);
  const numbers = [...new Set(records.flatMap((r) => (r.kind === 'register' ? r.vouchers.map((v) => v.voucherNumber) : [])))];
  const enrolments = new Map<string, EnrolmentState>();
  const doses = new Map<string, DoseState>();
  const vouchers = new Map<string, VoucherState>();
  if (subjectIds.length) {
    const e = await sql<{ subject_id: string; status: 'registered' | 'ended'; ended_reason: EnrolmentState['endedReason']; ended_on: string | null }>`
      select subject_id, status, ended_reason, ended_on from vaccination_enrolments where subject_id = any(${subjectIds}::uuid[])`.execute(trx);
    for (const r of e.rows) enrolments.set(r.subject_id, { status: r.status, endedReason: r.ended_reason, endedOn: r.ended_on, isNew: false, changed: false });
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
      const s = byKey.get(r.municipalityIdentityKey);
      const e = s ? enrolments.get(s.id) : undefined;
      if (!s || !e) {
        fail(r.index, [{ pointer: `/${r.index}/municipalityIdentityKey`, message: 'names no subject of this municipality registered for vaccination' }]);
        continue;
      }
      if (e.status === 'ended' && e.endedReason === r.reason && e.endedOn === r.date) {
        results.push({ index: r.index, outcome: 'unchanged', subjectId: s.id });
        continue;
      }
      const wasRegistered = e.status === 'registered';
      Object.assign(e, { status: 'ended', endedReason: r.reason, endedOn: r.date });
      if (!e.isNew) e.changed = true;
      results.push({ index: r.index, outcome: wasRegistered ? 'deleted' : 'updated', subjectId: s.id });
      continue;
    }

    const bidx = bidxOf[i]!;
    const person = byPerson.get(bidx);
    const named = byKey.get(r.municipalityIdentityKey);
    if (named && named.bidx !== bidx) {
      fail(r.index, [{ pointer: `/${r.index}/myNumber`, message: 'differs from the My Number already registered under this municipalityIdentityKey' }]);
      continue;
    }
    if (!named && person && person.key !== null) {
      fail(r.index, [
        {
          pointer: `/${r.index}/municipalityIdentityKey`,
          message: `names a new subject, but this person (by My Number) is already registered under municipalityIdentityKey ${JSON.stringify(person.key)}; a person has one subject per municipality`,
        },
      ]);
      continue;
    }
    const existingSubject = named ?? person;
    const voucherConflicts = r.vouchers.flatMap((v, j) => {
      const held = vouchers.get(v.voucherNumber);
      return held && held.subjectId !== existingSubject?.id
        ? [{ pointer: `/${r.index}/vouchers/${j}/voucherNumber`, message: 'was issued to another subject of this municipality' }]
        : [];
    });
    if (voucherConflicts.length) {
      fail(r.index, voucherConflicts);
      continue;
    }

    let created = false;
    let changed = false;
    let createdSubject = false;
    let s = existingSubject;
    if (!s) {
      const id = crypto.randomUUID();
      s = { id, bidx, key: r.municipalityIdentityKey, isNew: true, changed: false, enc: cipher.encrypt(r.myNumber, myNumberAt(id)), f: r.subject };
      byPerson.set(bidx, s);
      byKey.set(r.municipalityIdentityKey, s);
      created = createdSubject = true;
    } else {
      if (s.key === null) {
        s.key = r.municipalityIdentityKey;
        byKey.set(s.key, s);
        if (!s.isNew) s.changed = true;
        changed = true;
      }
      if (!sameSubject(s.f, r.subject)) {
        s.f = r.subject;
        if (!s.isNew) s.changed = true;
        changed = true;
      }
    }
    const subjectId = s.id;

    const e = enrolments.get(subjectId);
    if (!e) {
      enrolments.set(subjectId, { status: 'registered', endedReason: null, endedOn: null, isNew: true, changed: false });
      created = true;
    } else if (e.status === 'ended') {
      // Registered again (back in the municipality, or the end was a mistake).
      Object.assign(e, { status: 'registered', endedReason: null, endedOn: null });
      if (!e.isNew) e.changed = true;
      changed = true;
    }

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
      ...(createdSubject ? { createdSubject } : {}),
    });
  }

  // 4. Write: one statement per kind of change, each taking its rows as one JSON parameter.
  const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;
  await writeSubjectStates(trx, municipalityCode, byPerson.values());

  const enrolmentRow = ([subjectId, e]: [string, EnrolmentState]) => ({ subject: subjectId, status: e.status, reason: e.endedReason, ended: e.endedOn });
  const newEnrolments = [...enrolments].filter(([, e]) => e.isNew);
  if (newEnrolments.length)
    await sql`
      insert into vaccination_enrolments (subject_id, municipality_code, status, ended_reason, ended_on)
      select u.subject, ${municipalityCode}, u.status, u.reason, u.ended
      from json_to_recordset(${json(newEnrolments.map(enrolmentRow))}) as u(subject uuid, status text, reason text, ended date)`.execute(trx);
  const changedEnrolments = [...enrolments].filter(([, e]) => e.changed);
  if (changedEnrolments.length)
    await sql`
      update vaccination_enrolments t set status = u.status, ended_reason = u.reason, ended_on = u.ended, updated_at = now()
      from json_to_recordset(${json(changedEnrolments.map(enrolmentRow))}) as u(subject uuid, status text, reason text, ended date)
      where t.subject_id = u.subject and t.municipality_code = ${municipalityCode}`.execute(trx);

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

/** A position in the feed: the writing transaction and the entry. `{ xid: 0, seq: 0 }` is the beginning. */
export interface FeedPosition {
  xid: string;
  seq: string;
}

/**
 * The feed's horizon: the oldest transaction that may still write an entry, from a snapshot taken
 * before the page's — every transaction below it had ended then, so the page's (newer) snapshot sees
 * all of their entries. A constant, so the page is an index range.
 *
 * Transaction ids are the whole server's, not one database's: `pg_snapshot_xmin` alone would let a
 * transaction left open in another database on the same server (another service, a report, a test)
 * hold every feed back. So the horizon is the oldest id the snapshot lists as running that is not
 * known to be another database's (`pg_stat_activity.backend_xid`, shown to every role), or the
 * snapshot's `xmax` when none is. Only ids positively seen in another database are passed over — a
 * transaction of another database cannot write this one's tables — so a race (one ends between the
 * snapshot and the read of `pg_stat_activity`) only holds the horizon back for one more read, never
 * lets it pass a transaction of ours. `backend_xid` is 32 bits; the snapshot's ids are 64 (xid8):
 * compared modulo 2^32.
 */
async function feedHorizon(trx: HubTrx): Promise<string> {
  const { rows } = await sql<{ horizon: string }>`
    with s as (select pg_current_snapshot() as snap),
         elsewhere as (
           select backend_xid::text::bigint as xid from pg_stat_activity
           where backend_xid is not null and datname is distinct from current_database()
         )
    select coalesce(
      (select min(x::text::bigint) from s, pg_snapshot_xip(s.snap) as x
        where (x::text::bigint % 4294967296) not in (select xid from elsewhere)),
      (select pg_snapshot_xmax(snap)::text::bigint from s)
    )::text as horizon`.execute(trx);
  return rows[0].horizon;
}

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
 * The feed after `after`, oldest first: entries of transactions older than every transaction of this
 * database still running (see `feedHorizon`), ordered by (transaction, entry). A transaction still
 * running (or one begun later) has a larger id than every entry served, so no entry can ever commit
 * behind a position already handed out. A record has one entry, at its latest write (the trigger of
 * migration hub-009 moves it): a record changed twice shows as it now stands.
 */
export async function vaccinationFeed(trx: HubTrx, municipalityCode: string, after: FeedPosition, limit: number): Promise<FeedRow[]> {
  const horizon = await feedHorizon(trx);
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
    from (
      -- (xid, seq) > (after), spelt with plain bigint comparisons: row-level security lets the index use them.
      select f.seq, f.xid, f.record_id from vaccination_feed f
      where f.municipality_code = ${municipalityCode}
        and f.xid < ${horizon}::bigint
        and f.xid >= ${after.xid}::bigint and (f.xid > ${after.xid}::bigint or f.seq > ${after.seq}::bigint)
      order by f.xid, f.seq
      limit ${limit}
    ) p
      join vaccination_records r on r.id = p.record_id
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
