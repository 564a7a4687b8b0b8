import { sql } from 'kysely';
import type { SubjectSummary } from '@pmh/protocol';
import type { HubTrx } from './schema.ts';

/**
 * What the municipal console's pages list: subjects a page at a time, the audit trail of the
 * municipality's subjects, its notifications. Every query runs in the municipality's scope (row-level
 * security entered) and names the municipality too.
 */

export interface SubjectFilter {
  municipalityIdentityKey?: string;
  /** normalised katakana, spaces removed: matched against the start of the stored kana (spaces removed) */
  kanaPrefix?: string;
  dateOfBirth?: string;
  status?: 'pmh-id-pending' | 'pmh-id-issued' | 'pmh-id-failed' | 'portal-linked' | 'portal-unlinked';
  process?: 'medical-subsidy' | 'vaccination' | 'maternal-child';
  /** the last row of the previous page: its 宛名番号 ('' for none) and id */
  after?: { key: string; id: string };
  limit: number;
}

export type ListedSubject = SubjectSummary & { id: string; sortKey: string };

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The subjects of the filter, by 宛名番号 then id (subjects without a 宛名番号 first), `limit` at most. */
export async function listSubjects(trx: HubTrx, municipalityCode: string, f: SubjectFilter): Promise<ListedSubject[]> {
  let q = trx
    .selectFrom('subjects as s')
    .select([
      's.id',
      's.municipality_identity_key',
      's.name',
      's.name_kana',
      's.date_of_birth',
      's.sex',
      's.is_not_disclosed',
      's.pmh_id_status',
      's.updated_at',
      sql<string>`coalesce(s.municipality_identity_key, '')`.as('sort_key'),
    ])
    .select((eb) => [
      eb.exists(eb.selectFrom('pmh_links as l').select(sql.lit(1).as('one')).whereRef('l.pmh_id', '=', 's.pmh_id')).as('linked'),
      eb.exists(eb.selectFrom('subsidy_certificates as c').select(sql.lit(1).as('one')).whereRef('c.subject_id', '=', 's.id')).as('subsidy'),
      eb.exists(eb.selectFrom('vaccination_enrolments as v').select(sql.lit(1).as('one')).whereRef('v.subject_id', '=', 's.id')).as('vaccination'),
      eb.exists(eb.selectFrom('maternal_child_enrolments as m').select(sql.lit(1).as('one')).whereRef('m.subject_id', '=', 's.id')).as('maternal_child'),
    ])
    .where('s.municipality_code', '=', municipalityCode);
  if (f.municipalityIdentityKey !== undefined) q = q.where('s.municipality_identity_key', '=', f.municipalityIdentityKey);
  if (f.kanaPrefix !== undefined) q = q.where(sql<boolean>`replace(coalesce(s.name_kana, ''), '\u3000', '') like ${likePrefix(f.kanaPrefix)}`);
  if (f.dateOfBirth !== undefined) q = q.where('s.date_of_birth', '=', f.dateOfBirth);
  const linked = (eb: any) => eb.exists(eb.selectFrom('pmh_links as l').select(sql.lit(1).as('one')).whereRef('l.pmh_id', '=', 's.pmh_id'));
  switch (f.status) {
    case 'pmh-id-pending':
      q = q.where('s.pmh_id_status', '=', 'pending');
      break;
    case 'pmh-id-issued':
      q = q.where('s.pmh_id_status', '=', 'issued');
      break;
    case 'pmh-id-failed':
      q = q.where('s.pmh_id_status', '=', 'failed');
      break;
    case 'portal-linked':
      q = q.where((eb) => linked(eb));
      break;
    case 'portal-unlinked':
      q = q.where((eb) => eb.not(linked(eb)));
      break;
  }
  if (f.process === 'medical-subsidy')
    q = q.where((eb) => eb.exists(eb.selectFrom('subsidy_certificates as c').select(sql.lit(1).as('one')).whereRef('c.subject_id', '=', 's.id')));
  if (f.process === 'vaccination')
    q = q.where((eb) => eb.exists(eb.selectFrom('vaccination_enrolments as v').select(sql.lit(1).as('one')).whereRef('v.subject_id', '=', 's.id')));
  if (f.process === 'maternal-child')
    q = q.where((eb) => eb.exists(eb.selectFrom('maternal_child_enrolments as m').select(sql.lit(1).as('one')).whereRef('m.subject_id', '=', 's.id')));
  if (f.after) q = q.where(sql<boolean>`(coalesce(s.municipality_identity_key, ''), s.id) > (${f.after.key}::text, ${f.after.id}::uuid)`);
  const rows = await q.orderBy(sql`coalesce(s.municipality_identity_key, '')`).orderBy('s.id').limit(f.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    sortKey: r.sort_key,
    municipalityIdentityKey: r.municipality_identity_key,
    name: r.name,
    nameKana: r.name_kana,
    dateOfBirth: r.date_of_birth,
    sex: r.sex,
    isNotDisclosed: r.is_not_disclosed,
    pmhIdStatus: r.pmh_id_status,
    portalLinkStatus: r.linked ? 'linked' : 'unlinked',
    processes: [
      ...(r.subsidy ? (['medical-subsidy'] as const) : []),
      ...(r.vaccination ? (['vaccination'] as const) : []),
      ...(r.maternal_child ? (['maternal-child'] as const) : []),
    ],
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

export interface AccessLogFilter {
  /** inclusive bounds, as instants */
  from?: string;
  to?: string;
  /** an SQL-free description of the actors: a prefix of `actor`, or an exact actor */
  actor?: { prefix: string } | { exact: string } | { other: string[] };
  municipalityIdentityKey?: string;
  before?: { at: string; stream: string; seq: number };
  limit: number;
}

export interface AccessLogRow {
  at: string;
  stream: string;
  seq: number;
  actor: string;
  action: string;
  purpose: string | null;
  outcome: string;
  municipalityIdentityKey: string | null;
}

/**
 * The audit rows that name a subject of this municipality, newest first. The subjects are read
 * under row-level security, so another municipality's subjects (and their rows) never join.
 */
export async function accessLog(trx: HubTrx, municipalityCode: string, f: AccessLogFilter): Promise<AccessLogRow[]> {
  const conds = [sql`s.municipality_code = ${municipalityCode}`];
  if (f.municipalityIdentityKey !== undefined) conds.push(sql`s.municipality_identity_key = ${f.municipalityIdentityKey}`);
  if (f.from !== undefined) conds.push(sql`a.at >= ${f.from}::timestamptz`);
  if (f.to !== undefined) conds.push(sql`a.at < ${f.to}::timestamptz`);
  if (f.actor && 'prefix' in f.actor) conds.push(sql`a.actor like ${likePrefix(f.actor.prefix)}`);
  if (f.actor && 'exact' in f.actor) conds.push(sql`a.actor = ${f.actor.exact}`);
  if (f.actor && 'other' in f.actor) for (const p of f.actor.other) conds.push(p.endsWith(':') ? sql`a.actor not like ${likePrefix(p)}` : sql`a.actor <> ${p}`);
  if (f.before)
    conds.push(
      sql`a.at <= ${f.before.at}::timestamptz and (a.at, a.stream, a.seq) < (${f.before.at}::timestamptz, ${f.before.stream}::text, ${f.before.seq}::bigint)`,
    );
  const res = await sql<{
    at: Date | string;
    stream: string;
    seq: string | number;
    actor: string;
    action: string;
    purpose: string | null;
    outcome: string;
    key: string | null;
  }>`select a.at, a.stream, a.seq, a.actor, a.action, a.purpose, a.outcome, s.municipality_identity_key as key
     from subjects s join audit_log a on a.subject_ref = s.id::text
     where ${sql.join(conds, sql` and `)}
     order by a.at desc, a.stream desc, a.seq desc
     limit ${f.limit}`.execute(trx);
  return res.rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    stream: r.stream,
    seq: Number(r.seq),
    actor: r.actor,
    action: r.action,
    purpose: r.purpose,
    outcome: r.outcome,
    municipalityIdentityKey: r.key,
  }));
}

export interface NotificationRow {
  notificationId: string;
  category: string;
  title: string;
  publishAt: string;
  createdAt: string;
  cancelledAt: string | null;
  targets: number;
  counts: { delivered: number; waiting: number; scheduled: number; cancelled: number };
}

/** The municipality's notifications, newest first, with their targets counted by state. */
export async function listNotifications(
  trx: HubTrx,
  municipalityCode: string,
  o: { limit: number; before?: { createdAt: string; id: string } },
): Promise<NotificationRow[]> {
  const before = o.before ? sql`and (n.created_at, n.id) < (${o.before.createdAt}::timestamptz, ${o.before.id}::uuid)` : sql``;
  const res = await sql<{
    id: string;
    category: string;
    title: string;
    publish_at: Date | string;
    created_at: Date | string;
    cancelled_at: Date | string | null;
    target_count: number;
    delivered: string | number;
    waiting: string | number;
    scheduled: string | number;
    cancelled: string | number;
  }>`select n.id, n.category, n.title, n.publish_at, n.created_at, n.cancelled_at, n.target_count,
            (select count(*) from notification_targets t where t.notification_id = n.id and t.state = 'delivered') as delivered,
            (select count(*) from notification_targets t where t.notification_id = n.id and t.state in ('waiting', 'queued')) as waiting,
            (select count(*) from notification_targets t where t.notification_id = n.id and t.state = 'scheduled') as scheduled,
            (select count(*) from notification_targets t where t.notification_id = n.id and t.state = 'cancelled') as cancelled
     from notifications n
     where n.municipality_code = ${municipalityCode} ${before}
     order by n.created_at desc, n.id desc
     limit ${o.limit}`.execute(trx);
  const iso = (d: Date | string) => new Date(d).toISOString();
  return res.rows.map((r) => ({
    notificationId: r.id,
    category: r.category,
    title: r.title,
    publishAt: iso(r.publish_at),
    createdAt: iso(r.created_at),
    cancelledAt: r.cancelled_at ? iso(r.cancelled_at) : null,
    targets: r.target_count,
    counts: { delivered: Number(r.delivered), waiting: Number(r.waiting), scheduled: Number(r.scheduled), cancelled: Number(r.cancelled) },
  }));
}

/**
 * Cancels a notification whose publishAt is still ahead: its targets still `scheduled` become
 * `cancelled`. The notification row is locked first, and the release worker claims only
 * `scheduled` targets that are due (SKIP LOCKED), so a target is either released or cancelled,
 * never both. Answers 'not-found', 'published' (too late: the caller must roll back), or the subject ids cancelled.
 */
export async function cancelNotification(
  trx: HubTrx,
  municipalityCode: string,
  id: string,
): Promise<{ outcome: 'not-found' } | { outcome: 'published' } | { outcome: 'cancelled'; subjectIds: string[] }> {
  const n = await sql<{ due: boolean; cancelled: boolean }>`
    select publish_at <= now() as due, cancelled_at is not null as cancelled from notifications
    where id = ${id} and municipality_code = ${municipalityCode} for update`.execute(trx);
  const row = n.rows[0];
  if (!row) return { outcome: 'not-found' };
  if (row.cancelled) return { outcome: 'cancelled', subjectIds: [] };
  if (row.due) return { outcome: 'published' };
  await sql`update notifications set cancelled_at = now() where id = ${id}`.execute(trx);
  const { rows } = await sql<{ subject_id: string }>`
    update notification_targets set state = 'cancelled' where notification_id = ${id} and state = 'scheduled'
    returning subject_id`.execute(trx);
  // A release that claimed targets as publishAt came (between the check and the update) wins: the caller rolls back.
  const left = await sql<{ n: string | number }>`
    select count(*) as n from notification_targets where notification_id = ${id} and state <> 'cancelled'`.execute(trx);
  if (Number(left.rows[0].n) > 0) return { outcome: 'published' };
  return { outcome: 'cancelled', subjectIds: rows.map((r) => r.subject_id) };
}
