import { sql } from 'kysely';
import type { CheckupResultBody } from '@pmh/protocol';
import { RESULT_COLUMNS, bodyOf, type ResultRow } from './maternal-child.ts';
import type { HubDb, HubTrx } from './schema.ts';

/**
 * All SQL of a checkup result entered at a venue through the portal's relay (seed C⑤): the person's
 * maternal and child health registrations, the lock that makes one venue write per person at a time
 * (so a voucher cannot pay twice between its check and its insert), and the result written as the
 * municipality's results are (the feed's trigger notes it), with `source` "venue". Runs as the hub
 * itself (the system door), as the vaccination relay does; indexed reads only.
 */

/** A subject's maternal and child health registration, and the pregnancy a prenatal or postpartum checkup is paid against. */
export interface CheckupSubjectRow {
  subjectId: string;
  municipalityCode: string;
  status: 'registered' | 'ended';
  pregnancy: { expectedDeliveryDate?: string; deliveryDate?: string };
}

/** The maternal and child health registrations of these subjects (subjects never registered are absent). */
export async function checkupSubjects(db: HubDb, subjectIds: string[]): Promise<CheckupSubjectRow[]> {
  if (subjectIds.length === 0) return [];
  const { rows } = await sql<{
    subject_id: string;
    municipality_code: string;
    status: 'registered' | 'ended';
    expected_delivery_date: string | null;
    delivery_date: string | null;
  }>`
    select e.subject_id, e.municipality_code, e.status, p.expected_delivery_date, p.delivery_date
    from maternal_child_enrolments e left join maternal_child_pregnancies p on p.subject_id = e.subject_id
    where e.subject_id = any(${subjectIds}::uuid[])`.execute(db);
  return rows.map((r) => ({
    subjectId: r.subject_id,
    municipalityCode: r.municipality_code,
    status: r.status,
    pregnancy: {
      ...(r.expected_delivery_date ? { expectedDeliveryDate: r.expected_delivery_date } : {}),
      ...(r.delivery_date ? { deliveryDate: r.delivery_date } : {}),
    },
  }));
}

/** Locks the subject's maternal and child health registration until the transaction ends; false when it has ended. */
export async function lockCheckupRegistration(trx: HubTrx, subjectId: string): Promise<boolean> {
  const row = await trx.selectFrom('maternal_child_enrolments').select('status').where('subject_id', '=', subjectId).forUpdate().executeTakeFirst();
  return row?.status === 'registered';
}

/** A venue's result as stored, with how it was paid. */
export interface VenueResultRow {
  resultId: string;
  subjectId: string;
  body: CheckupResultBody;
  payment: 'voucher' | 'self-paid';
  selfPaidReason: string | null;
  subsidyCap: number | null;
}

const venueRow = (r: ResultRow & { subsidy_cap: number | null }): VenueResultRow => ({
  resultId: r.id,
  subjectId: r.subject_id,
  body: bodyOf(r),
  payment: r.payment,
  selfPaidReason: r.self_paid_reason,
  subsidyCap: r.subsidy_cap,
});

async function venueResult(db: HubDb, where: ReturnType<typeof sql>): Promise<VenueResultRow | undefined> {
  const { rows } = await sql<ResultRow & { subsidy_cap: number | null }>`
    select ${RESULT_COLUMNS}, (select v.subsidy_cap from maternal_child_vouchers v
      where v.municipality_code = r.municipality_code and v.voucher_number = r.voucher_number and r.payment = 'voucher') as subsidy_cap
    from maternal_child_results r where ${where}`.execute(db);
  return rows[0] && venueRow(rows[0]);
}

/** The result an institution wrote under this Idempotency-Key, if any. */
export function venueResultByIdempotencyKey(db: HubDb, institutionCode: string, key: string): Promise<VenueResultRow | undefined> {
  return venueResult(db, sql`r.institution_code = ${institutionCode} and r.idempotency_key = ${key} and r.source = 'venue'`);
}

/** Whether a result was already paid with this voucher of the municipality. */
export async function voucherUsed(db: HubDb, municipalityCode: string, voucherNumber: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    select 1 as one from maternal_child_results
    where municipality_code = ${municipalityCode} and payment = 'voucher' and voucher_number = ${voucherNumber} limit 1`.execute(db);
  return rows.length > 0;
}

export interface NewVenueResult {
  id: string;
  municipalityCode: string;
  subjectId: string;
  body: CheckupResultBody;
  payment: 'voucher' | 'self-paid';
  selfPaidReason: string | null;
  consentId: string;
  questionnaireId: string | null;
  idempotencyKey: string | null;
}

/** Writes a venue's result (the partial unique index refuses a voucher paying twice, should two writes race past the lock). */
export async function insertVenueResult(trx: HubTrx, r: NewVenueResult): Promise<VenueResultRow> {
  const b = r.body;
  await sql`
    insert into maternal_child_results (id, municipality_code, subject_id, result_key, checkup_kind, sequence, voucher_number, payment,
      self_paid_reason, date, institution_code, age_in_months, gestational_weeks, measurements, urine, edema, tests_done, findings,
      judgement, detailed_exam_date, source, consent_id, questionnaire_id, idempotency_key)
    values (${r.id}, ${r.municipalityCode}, ${r.subjectId}, null, ${b.checkupKind}, ${b.sequence ?? null}, ${b.voucherNumber ?? null}, ${r.payment},
      ${r.selfPaidReason}, ${b.date}, ${b.institutionCode}, ${b.ageInMonths ?? null}, ${b.gestationalWeeks ?? null},
      ${JSON.stringify(b.measurements)}::jsonb, ${b.urine ? JSON.stringify(b.urine) : null}::jsonb, ${b.edema ?? null},
      ${b.testsDone ? JSON.stringify(b.testsDone) : null}::jsonb, ${JSON.stringify(b.findings)}::jsonb, ${b.judgement},
      ${b.detailedExamDate ?? null}, 'venue', ${r.consentId}, ${r.questionnaireId}, ${r.idempotencyKey})`.execute(trx);
  return (await venueResult(trx, sql`r.id = ${r.id}`))!;
}
