import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { HubTrx } from './schema.ts';

/**
 * All SQL of claims (請求) and reminder settings (migration hub-012), in the municipality's scope.
 *
 * A claim line counts a municipality's clinic doses of one month, per institution, vaccine and unit
 * price (the price version in force on the day of the dose). Draft lines are counted when asked from
 * the doses no confirmed line holds; confirming a month stores each draft line with the very doses it
 * counted (one statement reads both, so a dose committed meanwhile is in neither), under a lock per
 * municipality and month so two confirmations cannot claim one dose twice.
 */

export interface StoredClaimLine {
  claimId: string | null;
  month: string;
  institutionCode: string;
  vaccineCode: string;
  count: number;
  unitPrice: number | null;
  amount: number | null;
  status: 'draft' | 'confirmed' | 'paid' | 'rejected';
  priceValidFrom: string | null;
  reason: string | null;
  confirmedAt: Date | null;
  decidedAt: Date | null;
}

interface DraftRow {
  institution_code: string;
  vaccine_code: string;
  unit_price: number | null;
  price_valid_from: string | null;
  count: number;
  ids: string[];
}

/** The first day of a month (YYYY-MM) and of the next, as dates. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, to: `${next}-01` };
}

/** The month's draft lines with the ids of the doses each counts. */
async function draftRows(trx: HubTrx, municipalityCode: string, month: string): Promise<DraftRow[]> {
  const { from, to } = monthRange(month);
  const { rows } = await sql<DraftRow>`
    select r.institution_code, r.vaccine_code, p.unit_price, p.valid_from as price_valid_from,
           count(*)::int as count, json_agg(r.id order by r.id) as ids
    from vaccination_records r
    left join lateral (
      select vp.unit_price, vp.valid_from from vaccination_prices vp
      where vp.municipality_code = r.municipality_code and vp.vaccine_code = r.vaccine_code and vp.valid_from <= r.date
      order by vp.valid_from desc limit 1
    ) p on true
    where r.municipality_code = ${municipalityCode} and r.source = 'clinic' and r.status <> 'cancelled'
      and r.institution_code is not null
      and r.date >= ${from}::date and r.date < ${to}::date
      and not exists (select 1 from vaccination_claim_doses d where d.record_id = r.id)
    group by r.institution_code, r.vaccine_code, p.unit_price, p.valid_from
    order by r.institution_code, r.vaccine_code, p.valid_from nulls first`.execute(trx);
  return rows.map((r) => ({ ...r, ids: typeof r.ids === 'string' ? JSON.parse(r.ids) : r.ids }));
}

const draftLine = (month: string, r: DraftRow): StoredClaimLine => ({
  claimId: null,
  month,
  institutionCode: r.institution_code,
  vaccineCode: r.vaccine_code,
  count: r.count,
  unitPrice: r.unit_price,
  amount: r.unit_price === null ? null : r.unit_price * r.count,
  status: 'draft',
  priceValidFrom: r.price_valid_from,
  reason: null,
  confirmedAt: null,
  decidedAt: null,
});

type StoredRow = {
  id: string;
  month: string;
  institution_code: string;
  vaccine_code: string;
  unit_price: number;
  price_valid_from: string;
  count: number;
  amount: string;
  status: 'confirmed' | 'paid' | 'rejected';
  reason: string | null;
  confirmed_at: Date;
  decided_at: Date | null;
};

const storedLine = (r: StoredRow): StoredClaimLine => ({
  claimId: r.id,
  month: r.month,
  institutionCode: r.institution_code,
  vaccineCode: r.vaccine_code,
  count: r.count,
  unitPrice: r.unit_price,
  amount: Number(r.amount),
  status: r.status,
  priceValidFrom: r.price_valid_from,
  reason: r.reason,
  confirmedAt: r.confirmed_at,
  decidedAt: r.decided_at,
});

const STORED_COLUMNS = sql.raw(
  'id, month, institution_code, vaccine_code, unit_price, price_valid_from, count, amount, status, reason, confirmed_at, decided_at',
);

async function storedLines(trx: HubTrx, municipalityCode: string, month: string): Promise<StoredClaimLine[]> {
  const { rows } = await sql<StoredRow>`
    select ${STORED_COLUMNS} from vaccination_claims
    where municipality_code = ${municipalityCode} and month = ${month}
    order by confirmed_at, institution_code, vaccine_code, price_valid_from, id`.execute(trx);
  return rows.map(storedLine);
}

/** A month's claim lines: the confirmed (paid, rejected) ones, then the drafts. */
export async function claimLines(trx: HubTrx, municipalityCode: string, month: string): Promise<StoredClaimLine[]> {
  const stored = await storedLines(trx, municipalityCode, month);
  const drafts = await draftRows(trx, municipalityCode, month);
  return [...stored, ...drafts.map((r) => draftLine(month, r))];
}

export type ConfirmOutcome =
  | { kind: 'confirmed'; confirmed: StoredClaimLine[]; doses: number; claims: StoredClaimLine[] }
  | { kind: 'missing-price'; vaccineCodes: string[] };

/** Confirms every draft line of the month, or none when one has no price. */
export async function confirmClaims(trx: HubTrx, municipalityCode: string, month: string, actor: string): Promise<ConfirmOutcome> {
  // One confirmation of a month at a time: the second waits, then finds nothing left (or only newer doses).
  await sql`select pg_advisory_xact_lock(hashtextextended(${`vaccination-claims:${municipalityCode}:${month}`}, 0))`.execute(trx);
  const drafts = await draftRows(trx, municipalityCode, month);
  const missing = [...new Set(drafts.filter((d) => d.unit_price === null).map((d) => d.vaccine_code))];
  if (missing.length) return { kind: 'missing-price', vaccineCodes: missing };
  const lines = drafts.map((d) => ({ id: crypto.randomUUID(), d }));
  if (lines.length) {
    const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;
    await sql`
      insert into vaccination_claims (id, municipality_code, month, institution_code, vaccine_code, unit_price, price_valid_from, count, amount, confirmed_by)
      select u.id, ${municipalityCode}, ${month}, u.inst, u.vaccine, u.price, u.valid_from, u.count, u.amount, ${actor}
      from json_to_recordset(${json(
        lines.map(({ id, d }) => ({
          id,
          inst: d.institution_code,
          vaccine: d.vaccine_code,
          price: d.unit_price,
          valid_from: d.price_valid_from,
          count: d.count,
          amount: d.unit_price! * d.count,
        })),
      )}) as u(id uuid, inst text, vaccine text, price integer, valid_from date, count integer, amount bigint)`.execute(trx);
    await sql`
      insert into vaccination_claim_doses (record_id, claim_id, municipality_code)
      select u.record, u.claim, ${municipalityCode}
      from json_to_recordset(${json(lines.flatMap(({ id, d }) => d.ids.map((record) => ({ record, claim: id }))))}) as u(record uuid, claim uuid)`.execute(trx);
  }
  const claims = await storedLines(trx, municipalityCode, month);
  const made = new Set<string>(lines.map((l) => l.id));
  return {
    kind: 'confirmed',
    confirmed: claims.filter((c) => c.claimId !== null && made.has(c.claimId)),
    doses: drafts.reduce((n, d) => n + d.count, 0),
    claims,
  };
}

export type DecideOutcome =
  | { kind: 'not-found' }
  | { kind: 'conflict'; line: StoredClaimLine }
  | { kind: 'unchanged'; line: StoredClaimLine }
  | { kind: 'decided'; line: StoredClaimLine; from: string };

/** confirmed → paid | rejected; the same decision again is unchanged; anything else a conflict. */
export async function decideClaim(
  trx: HubTrx,
  municipalityCode: string,
  claimId: string,
  decision: { status: 'paid' | 'rejected'; reason?: string },
  actor: string,
): Promise<DecideOutcome> {
  const { rows } = await sql<StoredRow>`
    select ${STORED_COLUMNS} from vaccination_claims
    where municipality_code = ${municipalityCode} and id = ${claimId} for update`.execute(trx);
  if (!rows[0]) return { kind: 'not-found' };
  const line = storedLine(rows[0]);
  if (line.status === decision.status) return { kind: 'unchanged', line };
  if (line.status !== 'confirmed') return { kind: 'conflict', line };
  const { rows: updated } = await sql<StoredRow>`
    update vaccination_claims set status = ${decision.status}, reason = ${decision.reason ?? null}, decided_at = now(), decided_by = ${actor}
    where municipality_code = ${municipalityCode} and id = ${claimId}
    returning ${STORED_COLUMNS}`.execute(trx);
  return { kind: 'decided', line: storedLine(updated[0]), from: line.status };
}

// --- Reminder settings ------------------------------------------------------------------------

export interface StoredReminderSetting {
  vaccineCode: string;
  enabled: boolean;
  updatedAt: Date;
}

/** Sets the opt-in of one vaccine; `created` when the vaccine had none. */
export async function putReminderSetting(
  trx: HubTrx,
  municipalityCode: string,
  vaccineCode: string,
  enabled: boolean,
): Promise<{ created: boolean; setting: StoredReminderSetting }> {
  const { rows } = await sql<{ created: boolean; vaccine_code: string; enabled: boolean; updated_at: Date }>`
    insert into vaccination_reminder_settings (municipality_code, vaccine_code, enabled)
    values (${municipalityCode}, ${vaccineCode}, ${enabled})
    on conflict (municipality_code, vaccine_code) do update set enabled = excluded.enabled, updated_at = now()
    returning (xmax = 0) as created, vaccine_code, enabled, updated_at`.execute(trx);
  const r = rows[0];
  return { created: r.created, setting: { vaccineCode: r.vaccine_code, enabled: r.enabled, updatedAt: r.updated_at } };
}

export async function reminderSettings(trx: HubTrx, municipalityCode: string): Promise<StoredReminderSetting[]> {
  const { rows } = await sql<{ vaccine_code: string; enabled: boolean; updated_at: Date }>`
    select vaccine_code, enabled, updated_at from vaccination_reminder_settings
    where municipality_code = ${municipalityCode} order by vaccine_code`.execute(trx);
  return rows.map((r) => ({ vaccineCode: r.vaccine_code, enabled: r.enabled, updatedAt: r.updated_at }));
}
