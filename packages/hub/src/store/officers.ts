import { sql } from 'kysely';
import type { OfficerRole } from '@pmh/protocol';
import type { HubTrx } from './schema.ts';

/**
 * All SQL of console officers and their sessions, always inside a municipality's scope (row-level
 * security entered). Times are the caller's clock (the route's injected `now`), so tests can move it.
 */

export interface StoredOfficer {
  municipalityCode: string;
  loginId: string;
  role: OfficerRole;
  passwordHash: string;
  totpSecretEnc: string;
  totpLastStep: number;
  failedAttempts: number;
  lockedUntil: Date | null;
  /** disabled by a 管理 officer: no sign-in until enabled again */
  disabled: boolean;
}

const officerColumns = [
  'municipality_code',
  'login_id',
  'role',
  'password_hash',
  'totp_secret_enc',
  'totp_last_step',
  'failed_attempts',
  'locked_until',
  'disabled_at',
] as const;

function toOfficer(r: {
  municipality_code: string;
  login_id: string;
  role: OfficerRole;
  password_hash: string;
  totp_secret_enc: string;
  totp_last_step: string;
  failed_attempts: number;
  locked_until: Date | null;
  disabled_at: Date | null;
}): StoredOfficer {
  return {
    municipalityCode: r.municipality_code,
    loginId: r.login_id,
    role: r.role,
    passwordHash: r.password_hash,
    totpSecretEnc: r.totp_secret_enc,
    totpLastStep: Number(r.totp_last_step),
    failedAttempts: r.failed_attempts,
    lockedUntil: r.locked_until ? new Date(r.locked_until) : null,
    disabled: r.disabled_at !== null,
  };
}

/** One officer; `forUpdate` locks the row (concurrent sign-ins count their failures one after the other). */
export async function getOfficer(trx: HubTrx, code: string, loginId: string, forUpdate = false): Promise<StoredOfficer | undefined> {
  let q = trx.selectFrom('officers').select(officerColumns).where('municipality_code', '=', code).where('login_id', '=', loginId);
  if (forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toOfficer(r);
}

export async function listOfficers(trx: HubTrx, code: string): Promise<StoredOfficer[]> {
  const rows = await trx.selectFrom('officers').select(officerColumns).where('municipality_code', '=', code).orderBy('login_id').execute();
  return rows.map(toOfficer);
}

/** Inserts an officer; false when the login id is taken. */
export async function insertOfficer(
  trx: HubTrx,
  o: { municipalityCode: string; loginId: string; role: OfficerRole; passwordHash: string; totpSecretEnc: string },
): Promise<boolean> {
  const r = await trx
    .insertInto('officers')
    .values({ municipality_code: o.municipalityCode, login_id: o.loginId, role: o.role, password_hash: o.passwordHash, totp_secret_enc: o.totpSecretEnc })
    .onConflict((c) => c.columns(['municipality_code', 'login_id']).doNothing())
    .returning('login_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function updateOfficer(
  trx: HubTrx,
  code: string,
  loginId: string,
  set: Partial<{
    role: OfficerRole;
    passwordHash: string;
    totpSecretEnc: string;
    totpLastStep: number;
    failedAttempts: number;
    lockedUntil: Date | null;
    disabled: boolean;
  }>,
): Promise<void> {
  await trx
    .updateTable('officers')
    .set({
      ...(set.role !== undefined ? { role: set.role } : {}),
      ...(set.passwordHash !== undefined ? { password_hash: set.passwordHash } : {}),
      ...(set.totpSecretEnc !== undefined ? { totp_secret_enc: set.totpSecretEnc } : {}),
      ...(set.totpLastStep !== undefined ? { totp_last_step: set.totpLastStep } : {}),
      ...(set.failedAttempts !== undefined ? { failed_attempts: set.failedAttempts } : {}),
      ...(set.lockedUntil !== undefined ? { locked_until: set.lockedUntil } : {}),
      ...(set.disabled !== undefined ? { disabled_at: set.disabled ? sql<Date>`now()` : null } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('municipality_code', '=', code)
    .where('login_id', '=', loginId)
    .execute();
}

export async function insertSession(
  trx: HubTrx,
  s: { tokenHash: string; municipalityCode: string; loginId: string; now: Date; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('officer_sessions')
    .values({
      token_hash: s.tokenHash,
      municipality_code: s.municipalityCode,
      login_id: s.loginId,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
    })
    .execute();
}

export interface StoredSession {
  loginId: string;
  role: OfficerRole;
  lastSeenAt: Date;
  expiresAt: Date;
}

export async function getSession(trx: HubTrx, code: string, tokenHash: string): Promise<StoredSession | undefined> {
  const r = await trx
    .selectFrom('officer_sessions as s')
    .innerJoin('officers as o', (j) => j.onRef('o.municipality_code', '=', 's.municipality_code').onRef('o.login_id', '=', 's.login_id'))
    .select(['s.login_id', 'o.role', 's.last_seen_at', 's.expires_at'])
    .where('s.municipality_code', '=', code)
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r && { loginId: r.login_id, role: r.role, lastSeenAt: new Date(r.last_seen_at), expiresAt: new Date(r.expires_at) };
}

export async function touchSession(trx: HubTrx, code: string, tokenHash: string, now: Date): Promise<void> {
  await trx.updateTable('officer_sessions').set({ last_seen_at: now }).where('municipality_code', '=', code).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(trx: HubTrx, code: string, tokenHash: string): Promise<string | undefined> {
  const r = await trx
    .deleteFrom('officer_sessions')
    .where('municipality_code', '=', code)
    .where('token_hash', '=', tokenHash)
    .returning('login_id')
    .executeTakeFirst();
  return r?.login_id;
}

/** Ends every session of an officer (a password or role change, a reset). */
export async function deleteSessionsOf(trx: HubTrx, code: string, loginId: string): Promise<void> {
  await trx.deleteFrom('officer_sessions').where('municipality_code', '=', code).where('login_id', '=', loginId).execute();
}

/** The municipality's figures for the console's dashboard. */
export async function dashboardCounts(trx: HubTrx, code: string) {
  const s = await sql<{ total: number; subsidy: number; vaccination: number; issued: number; pending: number; linked: number }>`
    select count(*)::int as total,
      count(*) filter (where exists (select 1 from subsidy_certificates c where c.subject_id = s.id))::int as subsidy,
      count(*) filter (where exists (select 1 from vaccination_enrolments v where v.subject_id = s.id))::int as vaccination,
      count(*) filter (where s.pmh_id_status = 'issued')::int as issued,
      count(*) filter (where s.pmh_id_status = 'pending')::int as pending,
      count(*) filter (where s.pmh_id is not null and exists (select 1 from pmh_links l where l.pmh_id = s.pmh_id))::int as linked
    from subjects s where s.municipality_code = ${code}`.execute(trx);
  const t = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from registration_tasks where municipality_code = ${code} group by status`.execute(trx);
  const tasks = { queued: 0, running: 0, failed: 0, done: 0 };
  for (const r of t.rows) if (r.status in tasks) tasks[r.status as keyof typeof tasks] = r.n;
  return { ...s.rows[0], tasks };
}
