import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { FieldError } from '@pmh/core/http/problem';
import type { CheckupResultBody, CheckupVoucher, MaternalChildEnrolmentView, MaternalChildPregnancy } from '@pmh/protocol';
import type { MaternalChildRegistrationInput, MunicipalResult } from '../domain/maternal-child/registration.ts';
import { paymentFor, type Payment } from '../domain/maternal-child/vouchers.ts';
import { endEnrolment, enrol, loadEnrolments, writeEnrolments } from './enrolments.ts';
import { MY_NUMBER_CONTEXT, type Applied } from './medical-subsidy.ts';
import type { HubDb, HubTrx } from './schema.ts';
import { findSubject, loadSubjectStates, takeSubject, writeSubjectStates } from './subject-states.ts';
import { feedPage, type FeedPosition } from './feeds.ts';
import { monthRange } from './vaccination-claims.ts';

/**
 * Maternal and child health registration (seed C①), applied set-based in the municipality's scope, as
 * vaccination's is (store/vaccination.ts): a chunk's records decided in index order against what is
 * stored, a record that conflicts failing alone before any of its changes is taken, then a handful of
 * statements. Subjects and their registration are the shared code's (subject-states.ts, enrolments.ts).
 *
 * A result is paid with the voucher it names when that voucher is the person's and pays for that
 * checkup on that day (domain/maternal-child/vouchers.ts `paymentFor`); otherwise it is self-paid,
 * with the reason. A voucher pays once: a result naming a voucher another result was paid with fails,
 * naming its voucherNumber (and the database's partial unique index says the same).
 */

interface PregnancyState {
  p: MaternalChildPregnancy;
  isNew: boolean;
  changed: boolean;
}

interface VoucherState {
  id: string;
  subjectId: string;
  isNew: boolean;
  changed: boolean;
  v: CheckupVoucher;
}

/** A result with how it is paid (the stored form, as compared and written). */
interface PaidResult {
  body: CheckupResultBody;
  payment: 'voucher' | 'self-paid';
  selfPaidReason: string | null;
}

interface ResultState {
  id: string;
  subjectId: string;
  isNew: boolean;
  changed: boolean;
  r: PaidResult;
}

const resultKey = (subjectId: string, key: string) => `${subjectId}\u0000${key}`;

const sameVoucher = (a: CheckupVoucher, b: CheckupVoucher) =>
  a.checkupKind === b.checkupKind && a.sequence === b.sequence && a.validFrom === b.validFrom && a.validTo === b.validTo && a.subsidyCap === b.subsidyCap;

/** Key order does not matter: the body as JSON with sorted keys. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
const sameResult = (a: PaidResult, b: PaidResult) => canonical(a) === canonical(b);

export interface ResultRow {
  id: string;
  subject_id: string;
  result_key: string | null;
  checkup_kind: string;
  sequence: number | null;
  voucher_number: string | null;
  payment: 'voucher' | 'self-paid';
  self_paid_reason: string | null;
  date: string;
  institution_code: string;
  age_in_months: number | null;
  gestational_weeks: number | null;
  measurements: CheckupResultBody['measurements'] | string;
  urine: CheckupResultBody['urine'] | string | null;
  edema: string | null;
  tests_done: CheckupResultBody['testsDone'] | string | null;
  findings: CheckupResultBody['findings'] | string;
  judgement: CheckupResultBody['judgement'];
  detailed_exam_date: string | null;
  source: 'municipal' | 'venue';
}

export const RESULT_COLUMNS = sql.raw(`id, subject_id, result_key, checkup_kind, sequence, voucher_number, payment, self_paid_reason, date,
  institution_code, age_in_months, gestational_weeks, measurements, urine, edema, tests_done, findings, judgement, detailed_exam_date, source`);

const parsed = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** A stored row as the wire's result body (absent fields left out, as they came). */
export function bodyOf(r: ResultRow): CheckupResultBody {
  const urine = r.urine === null ? undefined : parsed(r.urine);
  const testsDone = r.tests_done === null ? undefined : parsed(r.tests_done);
  return {
    checkupKind: r.checkup_kind as CheckupResultBody['checkupKind'],
    ...(r.sequence !== null ? { sequence: r.sequence } : {}),
    ...(r.voucher_number !== null ? { voucherNumber: r.voucher_number } : {}),
    date: r.date,
    institutionCode: r.institution_code,
    ...(r.age_in_months !== null ? { ageInMonths: r.age_in_months } : {}),
    ...(r.gestational_weeks !== null ? { gestationalWeeks: r.gestational_weeks } : {}),
    measurements: parsed(r.measurements),
    ...(urine ? { urine } : {}),
    ...(r.edema !== null ? { edema: r.edema as CheckupResultBody['edema'] } : {}),
    ...(testsDone ? { testsDone } : {}),
    findings: parsed(r.findings),
    judgement: r.judgement,
    ...(r.detailed_exam_date !== null ? { detailedExamDate: r.detailed_exam_date } : {}),
  };
}

export async function applyMaternalChildRecords(
  trx: HubTrx,
  municipalityCode: string,
  records: MaternalChildRegistrationInput[],
  cipher: FieldCipher,
): Promise<Applied[]> {
  const results: Applied[] = [];
  if (records.length === 0) return results;

  // 1. The subjects these records may be about: by 宛名番号, and by person (blind index of the My Number).
  const bidxOf = records.map((r) => (r.kind === 'register' ? cipher.blindIndex(r.myNumber, MY_NUMBER_CONTEXT) : null));
  const keys = [...new Set(records.map((r) => r.municipalityIdentityKey))];
  const bidxs = [...new Set(bidxOf.filter((b): b is string => b !== null))];
  const states = await loadSubjectStates(trx, municipalityCode, keys, bidxs);

  // 2. Their registrations, pregnancies, vouchers and results, and the vouchers of these numbers (whoever holds them).
  const subjectIds = [...states.byPerson.values()].map((s) => s.id);
  const numbers = [
    ...new Set(
      records.flatMap((r) =>
        r.kind === 'register'
          ? [...r.vouchers.map((v) => v.voucherNumber), ...r.results.flatMap((x) => (x.result.voucherNumber ? [x.result.voucherNumber] : []))]
          : [],
      ),
    ),
  ];
  const enrolments = await loadEnrolments(trx, 'maternal_child_enrolments', subjectIds);
  const pregnancies = new Map<string, PregnancyState>();
  const vouchers = new Map<string, VoucherState>();
  const stored = new Map<string, ResultState>();
  /** Voucher number → the id of the result it paid for. */
  const paidBy = new Map<string, string>();
  if (subjectIds.length) {
    const p = await sql<{ subject_id: string; expected_delivery_date: string; delivery_date: string | null }>`
      select subject_id, expected_delivery_date, delivery_date from maternal_child_pregnancies where subject_id = any(${subjectIds}::uuid[])`.execute(trx);
    for (const r of p.rows)
      pregnancies.set(r.subject_id, {
        p: { expectedDeliveryDate: r.expected_delivery_date, ...(r.delivery_date ? { deliveryDate: r.delivery_date } : {}) },
        isNew: false,
        changed: false,
      });
    const x = await sql<ResultRow>`
      select ${RESULT_COLUMNS} from maternal_child_results where subject_id = any(${subjectIds}::uuid[]) and result_key is not null`.execute(trx);
    for (const r of x.rows)
      stored.set(resultKey(r.subject_id, r.result_key!), {
        id: r.id,
        subjectId: r.subject_id,
        isNew: false,
        changed: false,
        r: { body: bodyOf(r), payment: r.payment, selfPaidReason: r.self_paid_reason },
      });
  }
  const voucherSubjects = subjectIds;
  if (numbers.length || voucherSubjects.length) {
    const v = await sql<{
      id: string;
      subject_id: string;
      voucher_number: string;
      checkup_kind: string;
      sequence: number | null;
      valid_from: string;
      valid_to: string;
      subsidy_cap: number;
    }>`
      select id, subject_id, voucher_number, checkup_kind, sequence, valid_from, valid_to, subsidy_cap from maternal_child_vouchers
      where municipality_code = ${municipalityCode} and (voucher_number = any(${numbers}::text[]) or subject_id = any(${voucherSubjects}::uuid[]))`.execute(
      trx,
    );
    for (const r of v.rows)
      vouchers.set(r.voucher_number, {
        id: r.id,
        subjectId: r.subject_id,
        isNew: false,
        changed: false,
        v: {
          voucherNumber: r.voucher_number,
          checkupKind: r.checkup_kind as CheckupVoucher['checkupKind'],
          ...(r.sequence !== null ? { sequence: r.sequence } : {}),
          validFrom: r.valid_from,
          validTo: r.valid_to,
          subsidyCap: r.subsidy_cap,
        },
      });
    const used = [...vouchers.keys()];
    if (used.length) {
      const u = await sql<{ id: string; voucher_number: string }>`
        select id, voucher_number from maternal_child_results
        where municipality_code = ${municipalityCode} and payment = 'voucher' and voucher_number = any(${used}::text[])`.execute(trx);
      for (const r of u.rows) paidBy.set(r.voucher_number, r.id);
    }
  }

  // 3. Decide, record by record, in order. Every refusal comes before the record changes any state.
  for (const [i, r] of records.entries()) {
    if (r.kind === 'end') {
      results.push(endEnrolment('maternal_child_enrolments', enrolments, states, r));
      continue;
    }
    const bidx = bidxOf[i]!;
    const found = findSubject(states, r, bidx);
    if ('errors' in found) {
      results.push({ index: r.index, outcome: 'failed', errors: found.errors });
      continue;
    }
    const existingId = found.existing?.id;
    const errors: FieldError[] = r.vouchers.flatMap((v, j) => {
      const held = vouchers.get(v.voucherNumber);
      return held && held.subjectId !== existingId
        ? [{ pointer: `/${r.index}/vouchers/${j}/voucherNumber`, message: 'was issued to another subject of this municipality' }]
        : [];
    });
    // The person's vouchers as they will stand after this record, and the pregnancy the results are paid against.
    const own = new Map<string, CheckupVoucher>();
    for (const s of vouchers.values()) if (existingId !== undefined && s.subjectId === existingId) own.set(s.v.voucherNumber, s.v);
    for (const v of r.vouchers) own.set(v.voucherNumber, v);
    const pregnancy = r.pregnancy ?? (existingId ? pregnancies.get(existingId)?.p : undefined);
    const paid: Array<{ x: MunicipalResult; r: PaidResult; heldId?: string }> = [];
    const payingNow = new Set<string>();
    r.results.forEach((x, j) => {
      const held = existingId ? stored.get(resultKey(existingId, x.resultKey)) : undefined;
      const payment: Payment = paymentFor(x.result, [...own.values()], pregnancy ?? {});
      if (payment.payment === 'voucher') {
        const other = paidBy.get(payment.voucherNumber);
        if ((other !== undefined && other !== held?.id) || payingNow.has(payment.voucherNumber)) {
          errors.push({
            pointer: `/${r.index}/checkupResults/${j}/voucherNumber`,
            message: 'was already used for another checkup; a voucher pays for one checkup',
          });
          return;
        }
        payingNow.add(payment.voucherNumber);
      }
      paid.push({
        x,
        heldId: held?.id,
        r: {
          body: x.result,
          payment: payment.payment,
          selfPaidReason: payment.payment === 'self-paid' ? payment.reason : null,
        },
      });
    });
    if (errors.length) {
      results.push({ index: r.index, outcome: 'failed', errors });
      continue;
    }

    const taken = takeSubject(states, found.existing, r, bidx, cipher);
    const subjectId = taken.state.id;
    const enrolment = enrol(enrolments, subjectId);
    const created = taken.createdSubject || enrolment === 'created';
    let changed = taken.changed || enrolment === 'updated';

    if (r.pregnancy) {
      const held = pregnancies.get(subjectId);
      if (!held) {
        pregnancies.set(subjectId, { p: r.pregnancy, isNew: true, changed: false });
        changed = true;
      } else if (held.p.expectedDeliveryDate !== r.pregnancy.expectedDeliveryDate || held.p.deliveryDate !== r.pregnancy.deliveryDate) {
        held.p = r.pregnancy;
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
    for (const p of paid) {
      const k = resultKey(subjectId, p.x.resultKey);
      const held = stored.get(k);
      if (held && held.r.payment === 'voucher' && held.r.body.voucherNumber && paidBy.get(held.r.body.voucherNumber) === held.id)
        paidBy.delete(held.r.body.voucherNumber);
      const id = held?.id ?? crypto.randomUUID();
      if (p.r.payment === 'voucher') paidBy.set(p.r.body.voucherNumber!, id);
      if (!held) {
        stored.set(k, { id, subjectId, isNew: true, changed: false, r: p.r });
        changed = true;
      } else if (!sameResult(held.r, p.r)) {
        held.r = p.r;
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
  await writeSubjectStates(trx, municipalityCode, states.byPerson.values());
  await writeEnrolments(trx, 'maternal_child_enrolments', municipalityCode, enrolments);

  const pregnancyRow = ([subject, s]: [string, PregnancyState]) => ({ subject, due: s.p.expectedDeliveryDate, delivered: s.p.deliveryDate ?? null });
  const changedPregnancies = [...pregnancies].filter(([, s]) => s.isNew || s.changed);
  if (changedPregnancies.length)
    await sql`
      insert into maternal_child_pregnancies (subject_id, municipality_code, expected_delivery_date, delivery_date)
      select u.subject, ${municipalityCode}, u.due, u.delivered
      from json_to_recordset(${json(changedPregnancies.map(pregnancyRow))}) as u(subject uuid, due date, delivered date)
      on conflict (subject_id) do update set expected_delivery_date = excluded.expected_delivery_date,
        delivery_date = excluded.delivery_date, updated_at = now()`.execute(trx);

  const voucherRow = (v: VoucherState) => ({
    id: v.id,
    subject: v.subjectId,
    number: v.v.voucherNumber,
    kind: v.v.checkupKind,
    seq: v.v.sequence ?? null,
    valid_from: v.v.validFrom,
    valid_to: v.v.validTo,
    cap: v.v.subsidyCap,
  });
  const VOUCHER_COLUMNS = sql.raw('id uuid, subject uuid, number text, kind text, seq integer, valid_from date, valid_to date, cap integer');
  const newVouchers = [...vouchers.values()].filter((v) => v.isNew);
  if (newVouchers.length)
    await sql`
      insert into maternal_child_vouchers (id, municipality_code, subject_id, voucher_number, checkup_kind, sequence, valid_from, valid_to, subsidy_cap)
      select u.id, ${municipalityCode}, u.subject, u.number, u.kind, u.seq, u.valid_from, u.valid_to, u.cap
      from json_to_recordset(${json(newVouchers.map(voucherRow))}) as u(${VOUCHER_COLUMNS})`.execute(trx);
  const changedVouchers = [...vouchers.values()].filter((v) => v.changed);
  if (changedVouchers.length)
    await sql`
      update maternal_child_vouchers t set checkup_kind = u.kind, sequence = u.seq, valid_from = u.valid_from, valid_to = u.valid_to,
        subsidy_cap = u.cap, updated_at = now()
      from json_to_recordset(${json(changedVouchers.map(voucherRow))}) as u(${VOUCHER_COLUMNS})
      where t.id = u.id and t.municipality_code = ${municipalityCode}`.execute(trx);

  const resultRow = ([k, s]: [string, ResultState]) => {
    const b = s.r.body;
    return {
      id: s.id,
      subject: s.subjectId,
      key: k.slice(k.indexOf('\u0000') + 1),
      kind: b.checkupKind,
      seq: b.sequence ?? null,
      voucher: b.voucherNumber ?? null,
      payment: s.r.payment,
      reason: s.r.selfPaidReason,
      date: b.date,
      inst: b.institutionCode,
      age: b.ageInMonths ?? null,
      weeks: b.gestationalWeeks ?? null,
      m: b.measurements,
      urine: b.urine ?? null,
      edema: b.edema ?? null,
      tests: b.testsDone ?? null,
      findings: b.findings,
      judgement: b.judgement,
      exam: b.detailedExamDate ?? null,
    };
  };
  const RESULT_INPUT = sql.raw(`id uuid, subject uuid, key text, kind text, seq integer, voucher text, payment text, reason text, date date,
    inst text, age integer, weeks integer, m jsonb, urine jsonb, edema text, tests jsonb, findings jsonb, judgement text, exam date`);
  const changedResults = [...stored].filter(([, s]) => s.changed);
  // Changed first: a voucher moved from one result to another is released before it is taken.
  if (changedResults.length)
    await sql`
      update maternal_child_results t set checkup_kind = u.kind, sequence = u.seq, voucher_number = u.voucher, payment = u.payment,
        self_paid_reason = u.reason, date = u.date, institution_code = u.inst, age_in_months = u.age, gestational_weeks = u.weeks,
        measurements = u.m, urine = u.urine, edema = u.edema, tests_done = u.tests, findings = u.findings, judgement = u.judgement,
        detailed_exam_date = u.exam, updated_at = now()
      from json_to_recordset(${json(changedResults.map(resultRow))}) as u(${RESULT_INPUT})
      where t.id = u.id and t.municipality_code = ${municipalityCode}`.execute(trx);
  const newResults = [...stored].filter(([, s]) => s.isNew);
  if (newResults.length)
    await sql`
      insert into maternal_child_results (id, municipality_code, subject_id, result_key, checkup_kind, sequence, voucher_number, payment,
        self_paid_reason, date, institution_code, age_in_months, gestational_weeks, measurements, urine, edema, tests_done, findings,
        judgement, detailed_exam_date, source)
      select u.id, ${municipalityCode}, u.subject, u.key, u.kind, u.seq, u.voucher, u.payment, u.reason, u.date, u.inst, u.age, u.weeks,
        u.m, u.urine, u.edema, u.tests, u.findings, u.judgement, u.exam, 'municipal'
      from json_to_recordset(${json(newResults.map(resultRow))}) as u(${RESULT_INPUT})`.execute(trx);
  return results;
}

/** Which field of a record a unique constraint is about (a record's pointer, without its index). */
const FIELD_OF_CONSTRAINT: Record<string, string> = {
  subjects_municipality_code_municipality_identity_key_key: '/municipalityIdentityKey',
  subjects_one_per_person: '/municipalityIdentityKey',
  maternal_child_vouchers_one_number: '/vouchers',
  maternal_child_results_one_per_key: '/checkupResults',
  maternal_child_results_voucher_once: '/checkupResults',
};

/** The field a database refusal of one record is about, when the error says; otherwise the record itself. */
export function fieldOfMaternalChildStorageFailure(facts: { column?: string; constraint?: string } | undefined): string {
  return (facts?.constraint && FIELD_OF_CONSTRAINT[facts.constraint]) || '';
}

/** Each subject's maternal and child health registration and counts; subjects never registered are absent. */
export async function maternalChildEnrolments(trx: HubTrx, municipalityCode: string, subjectIds: string[]): Promise<Map<string, MaternalChildEnrolmentView>> {
  const out = new Map<string, MaternalChildEnrolmentView>();
  if (subjectIds.length === 0) return out;
  const { rows } = await sql<{
    subject_id: string;
    status: 'registered' | 'ended';
    ended_reason: MaternalChildEnrolmentView['endedReason'];
    ended_on: string | null;
    vouchers: number;
    results: number;
  }>`
    select e.subject_id, e.status, e.ended_reason, e.ended_on,
      (select count(*)::int from maternal_child_vouchers v where v.subject_id = e.subject_id) as vouchers,
      (select count(*)::int from maternal_child_results r where r.subject_id = e.subject_id) as results
    from maternal_child_enrolments e where e.municipality_code = ${municipalityCode} and e.subject_id = any(${subjectIds}::uuid[])`.execute(trx);
  for (const r of rows) out.set(r.subject_id, { status: r.status, endedReason: r.ended_reason, endedOn: r.ended_on, vouchers: r.vouchers, results: r.results });
  return out;
}

// --- The resident's own view (the system door: across municipalities) ----------------------------

export interface ResidentVoucherRow extends CheckupVoucher {
  municipalityCode: string;
  used: boolean;
}

export interface ResidentResultRow {
  resultId: string;
  body: CheckupResultBody;
  source: 'municipal' | 'venue';
}

/** Every voucher of these subjects, whether a result was paid with it. */
export async function checkupVouchersOf(db: HubDb, subjectIds: string[]): Promise<ResidentVoucherRow[]> {
  if (subjectIds.length === 0) return [];
  const { rows } = await sql<{
    municipality_code: string;
    voucher_number: string;
    checkup_kind: string;
    sequence: number | null;
    valid_from: string;
    valid_to: string;
    subsidy_cap: number;
    used: boolean;
  }>`
    select v.municipality_code, v.voucher_number, v.checkup_kind, v.sequence, v.valid_from, v.valid_to, v.subsidy_cap,
      exists (select 1 from maternal_child_results r where r.municipality_code = v.municipality_code and r.payment = 'voucher'
              and r.voucher_number = v.voucher_number) as used
    from maternal_child_vouchers v where v.subject_id = any(${subjectIds}::uuid[])
    order by v.valid_to, v.voucher_number`.execute(db);
  return rows.map((r) => ({
    municipalityCode: r.municipality_code,
    voucherNumber: r.voucher_number,
    checkupKind: r.checkup_kind as CheckupVoucher['checkupKind'],
    ...(r.sequence !== null ? { sequence: r.sequence } : {}),
    validFrom: r.valid_from,
    validTo: r.valid_to,
    subsidyCap: r.subsidy_cap,
    used: r.used,
  }));
}

/** Every checkup result of these subjects, newest first. */
export async function checkupResultsOf(db: HubDb, subjectIds: string[]): Promise<ResidentResultRow[]> {
  if (subjectIds.length === 0) return [];
  const { rows } = await sql<ResultRow>`
    select ${RESULT_COLUMNS} from maternal_child_results where subject_id = any(${subjectIds}::uuid[])
    order by date desc, created_at desc, id`.execute(db);
  return rows.map((r) => ({ resultId: r.id, body: bodyOf(r), source: r.source }));
}

// --- The municipality's reads: the results feed, the follow-up list, the claims ------------------

export interface MaternalChildFeedRow {
  position: FeedPosition;
  municipalityIdentityKey: string;
  resultId: string;
  resultKey: string | null;
  body: CheckupResultBody;
  payment: 'voucher' | 'self-paid';
  selfPaidReason: string | null;
  source: 'municipal' | 'venue';
  updatedAt: Date;
}

/**
 * The results feed after `after`, oldest first (store/feeds.ts `feedPage`): a result has one entry,
 * at its latest write (the trigger of migration hub-013 moves it), so a result changed twice shows
 * as it now stands.
 */
export async function maternalChildFeed(trx: HubTrx, municipalityCode: string, after: FeedPosition, limit: number): Promise<MaternalChildFeedRow[]> {
  const page = await feedPage(trx, 'maternal_child_feed', 'result_id', municipalityCode, after, limit);
  const { rows } = await sql<ResultRow & { seq: string; xid: string; municipality_identity_key: string; updated_at: Date }>`
    select p.seq::text as seq, p.xid::text as xid, s.municipality_identity_key, r.*
    from ${page} p
      join maternal_child_results r on r.id = p.entry_id
      join subjects s on s.id = r.subject_id
    order by p.xid, p.seq`.execute(trx);
  return rows.map((r) => ({
    position: { xid: r.xid, seq: r.seq },
    municipalityIdentityKey: r.municipality_identity_key,
    resultId: r.id,
    resultKey: r.result_key,
    body: bodyOf(r),
    payment: r.payment,
    selfPaidReason: r.self_paid_reason,
    source: r.source,
    updatedAt: r.updated_at,
  }));
}

export interface FollowUpRow {
  municipalityIdentityKey: string;
  resultId: string;
  checkupKind: CheckupResultBody['checkupKind'];
  date: string;
  ageInMonths: number | null;
  institutionCode: string;
  source: 'municipal' | 'venue';
  findings: CheckupResultBody['findings'];
  daysSince: number;
}

/**
 * Children judged 要精査 whose detailed exam is not recorded: a child's result (an infant checkup)
 * judged `detailed-exam` with no 精密検査受診日, and no result of the same child on or after that day
 * stating one; the child still registered (an ended registration is not followed up here).
 */
export async function maternalChildFollowUps(trx: HubTrx, municipalityCode: string, today: string): Promise<FollowUpRow[]> {
  const { rows } = await sql<{
    municipality_identity_key: string;
    id: string;
    checkup_kind: CheckupResultBody['checkupKind'];
    date: string;
    age_in_months: number | null;
    institution_code: string;
    source: 'municipal' | 'venue';
    findings: CheckupResultBody['findings'] | string;
    days_since: number;
  }>`
    select s.municipality_identity_key, r.id, r.checkup_kind, r.date, r.age_in_months, r.institution_code, r.source, r.findings,
           greatest(${today}::date - r.date, 0) as days_since
    from maternal_child_results r
      join subjects s on s.id = r.subject_id
      join maternal_child_enrolments e on e.subject_id = r.subject_id
    where r.municipality_code = ${municipalityCode} and r.judgement = 'detailed-exam' and r.checkup_kind like 'infant-%'
      and r.detailed_exam_date is null and e.status = 'registered'
      and not exists (
        select 1 from maternal_child_results l
        where l.subject_id = r.subject_id and l.id <> r.id and l.date >= r.date and l.detailed_exam_date is not null)
    order by r.date, s.municipality_identity_key, r.id`.execute(trx);
  return rows.map((r) => ({
    municipalityIdentityKey: r.municipality_identity_key,
    resultId: r.id,
    checkupKind: r.checkup_kind,
    date: r.date,
    ageInMonths: r.age_in_months,
    institutionCode: r.institution_code,
    source: r.source,
    findings: parsed(r.findings),
    daysSince: r.days_since,
  }));
}

export interface CheckupClaimRow {
  institutionCode: string;
  checkupKind: CheckupResultBody['checkupKind'];
  sequence: number | null;
  subsidyCap: number;
  count: number;
  amount: number;
}

/**
 * A month's checkup claims: the results of that month paid with one of this municipality's vouchers,
 * per venue, kind, sequence and cap; each use paid the voucher's cap. Self-paid results are not claimed.
 */
export async function maternalChildClaims(trx: HubTrx, municipalityCode: string, month: string): Promise<CheckupClaimRow[]> {
  const { from, to } = monthRange(month);
  const { rows } = await sql<{
    institution_code: string;
    checkup_kind: CheckupResultBody['checkupKind'];
    sequence: number | null;
    subsidy_cap: number;
    count: number;
    amount: string;
  }>`
    select r.institution_code, r.checkup_kind, v.sequence, v.subsidy_cap, count(*)::int as count, (count(*) * v.subsidy_cap)::bigint as amount
    from maternal_child_results r
      join maternal_child_vouchers v on v.municipality_code = r.municipality_code and v.voucher_number = r.voucher_number
    where r.municipality_code = ${municipalityCode} and r.payment = 'voucher'
      and r.date >= ${from}::date and r.date < ${to}::date
    group by r.institution_code, r.checkup_kind, v.sequence, v.subsidy_cap
    order by r.institution_code, r.checkup_kind, v.sequence nulls first, v.subsidy_cap`.execute(trx);
  return rows.map((r) => ({
    institutionCode: r.institution_code,
    checkupKind: r.checkup_kind,
    sequence: r.sequence,
    subsidyCap: r.subsidy_cap,
    count: r.count,
    amount: Number(r.amount),
  }));
}
