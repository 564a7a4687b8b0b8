import { sql } from 'kysely';
import { parkedDedupeKeys } from '@pmh/core/outbox/index';
import type { DeliveryStatus, NotificationCategory } from '@pmh/protocol';
import type { HubDb, HubTrx } from './schema.ts';
import { enterMunicipality, leaveMunicipality } from './scope.ts';

/**
 * All SQL of notifications (migration hub-006). Set-based: a notification's targets travel as one
 * JSON parameter, never a round trip per target. Requests run in the municipality's scope
 * (row-level security entered); the release worker, the links and the outbox run as the hub itself.
 */

export interface NewNotification {
  id: string;
  municipalityCode: string;
  category: NotificationCategory;
  title: string;
  body: string;
  url: string | null;
  /** null: now */
  publishAt: string | null;
  clientId: string;
  idempotencyKey: string | null;
  requestHash: string;
  /** Subject ids, in the order of the request. */
  subjectIds: string[];
}

export interface AcceptedNotification {
  notificationId: string;
  targets: number;
  publishAt: string;
}

/** A notification an Idempotency-Key already made, with the hash of the request that made it. */
export async function findByIdempotencyKey(
  trx: HubTrx,
  municipalityCode: string,
  key: string,
): Promise<(AcceptedNotification & { requestHash: string }) | undefined> {
  const r = await trx
    .selectFrom('notifications')
    .select(['id', 'target_count', 'publish_at', 'request_hash'])
    .where('municipality_code', '=', municipalityCode)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return r && { notificationId: r.id, targets: r.target_count, publishAt: iso(r.publish_at), requestHash: r.request_hash };
}

/** Each 宛名番号 as this municipality's subject id, or null where it registered none (by index). */
export async function resolveTargets(trx: HubTrx, municipalityCode: string, keys: string[]): Promise<Array<string | null>> {
  const json = JSON.stringify(keys.map((key, i) => ({ i, key })));
  const { rows } = await sql<{ i: number; id: string | null }>`
    select x.i, s.id from json_to_recordset(${json}::json) as x(i int, key text)
    left join subjects s on s.municipality_code = ${municipalityCode} and s.municipality_identity_key = x.key`.execute(trx);
  const ids: Array<string | null> = keys.map(() => null);
  for (const r of rows) ids[r.i] = r.id;
  return ids;
}

/** The notification and one target per subject, all `scheduled`: the release worker takes them from there. */
export async function insertNotification(trx: HubTrx, n: NewNotification): Promise<AcceptedNotification> {
  const { rows } = await sql<{ publish_at: Date }>`
    insert into notifications (id, municipality_code, category, title, body, url, publish_at, target_count, client_id, idempotency_key, request_hash)
    values (${n.id}, ${n.municipalityCode}, ${n.category}, ${n.title}, ${n.body}, ${n.url}, coalesce(${n.publishAt}::timestamptz, now()),
            ${n.subjectIds.length}, ${n.clientId}, ${n.idempotencyKey}, ${n.requestHash})
    returning publish_at`.execute(trx);
  const publishAt = rows[0].publish_at;
  await sql`
    insert into notification_targets (notification_id, municipality_code, subject_id, position, publish_at)
    select ${n.id}, ${n.municipalityCode}, x.subject_id, x.position, ${iso(publishAt)}::timestamptz
    from json_to_recordset(${JSON.stringify(n.subjectIds.map((subject_id, position) => ({ subject_id, position })))}::json) as x(subject_id uuid, position int)`.execute(
    trx,
  );
  return { notificationId: n.id, targets: n.subjectIds.length, publishAt: iso(publishAt) };
}

export interface NotificationStatus {
  notificationId: string;
  category: NotificationCategory;
  title: string;
  publishAt: string;
  createdAt: string;
  cancelledAt?: string;
  body: string;
  url: string | null;
  counts: Record<Exclude<DeliveryStatus, 'cancelled'>, number> & { cancelled?: number };
  targets: Array<{ municipalityIdentityKey: string; status: DeliveryStatus; deliveredAt: string | null }>;
}

/**
 * A notification of the municipality in scope, with each target's delivery status. A target on its
 * way whose outbox message is parked (`dead`) is `failed`: the outbox is the service's own table,
 * so that one question is asked as the service (core's `parkedDedupeKeys`), about these targets
 * only, and the municipality's scope entered again before anything else is read.
 */
export async function notificationStatus(
  trx: HubTrx,
  municipalityCode: string,
  notificationId: string,
  outboxKind: string,
): Promise<NotificationStatus | undefined> {
  const n = await trx
    .selectFrom('notifications')
    .select(['id', 'category', 'title', 'body', 'url', 'publish_at', 'created_at', 'cancelled_at'])
    .select(sql<boolean>`publish_at <= now()`.as('due'))
    .where('id', '=', notificationId)
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
  if (!n) return undefined;
  const targets = await trx
    .selectFrom('notification_targets as t')
    .innerJoin('subjects as s', 's.id', 't.subject_id')
    .select(['t.id', 's.municipality_identity_key as key', 't.state', 't.delivered_at'])
    .where('t.notification_id', '=', notificationId)
    .orderBy('t.position')
    .execute();
  const queued = targets.filter((t) => t.state === 'queued').map((t) => t.id);
  let parked = new Set<string>();
  if (queued.length) {
    await leaveMunicipality(trx);
    parked = await parkedDedupeKeys(trx, outboxKind, queued);
    await enterMunicipality(trx, municipalityCode);
  }
  const counts: Record<DeliveryStatus, number> = { delivered: 0, waiting: 0, scheduled: 0, failed: 0, cancelled: 0 };
  const list = targets.map((t) => {
    const status: DeliveryStatus =
      t.state === 'delivered' ? 'delivered' : t.state === 'cancelled' ? 'cancelled' : parked.has(t.id) ? 'failed' : n.due ? 'waiting' : 'scheduled';
    counts[status] += 1;
    // A target is a subject the municipality named by its key when it sent the notification.
    return { municipalityIdentityKey: t.key ?? '', status, deliveredAt: t.delivered_at ? iso(t.delivered_at) : null };
  });
  return {
    notificationId: n.id,
    category: n.category as NotificationCategory,
    title: n.title,
    publishAt: iso(n.publish_at),
    createdAt: iso(n.created_at),
    ...(n.cancelled_at ? { cancelledAt: iso(n.cancelled_at) } : {}),
    body: n.body,
    url: n.url,
    // `cancelled` is counted only for a cancelled notification: the others answer as they always did.
    counts: n.cancelled_at ? counts : { delivered: counts.delivered, waiting: counts.waiting, scheduled: counts.scheduled, failed: counts.failed },
    targets: list,
  };
}

export interface ReleasedTarget {
  targetId: string;
  notificationId: string;
}

/**
 * The release worker's step: up to `limit` scheduled targets that are due move on, the linked ones
 * to `queued` (returned, for the outbox) and the others to `waiting`. Targets are claimed with SKIP
 * LOCKED (several workers share the work); their subjects are then locked FOR SHARE, so a link being
 * stored for one of them (which locks the subject, see `releaseWaiting`) either commits first and is
 * seen here, or waits and then finds the target `waiting`. Without it, a link committing between
 * this read and this commit would leave its target waiting for good.
 */
export async function releaseDue(trx: HubTrx, limit: number): Promise<{ claimed: number; queued: ReleasedTarget[] }> {
  const claimed = await sql<{ id: string; subject_id: string }>`
    select id, subject_id from notification_targets
    where state = 'scheduled' and publish_at <= now()
    order by publish_at limit ${limit}
    for update skip locked`.execute(trx);
  if (claimed.rows.length === 0) return { claimed: 0, queued: [] };
  const subjects = [...new Set(claimed.rows.map((r) => r.subject_id))];
  await sql`select 1 from subjects where id = any(${subjects}::uuid[]) order by id for share`.execute(trx);
  const { rows } = await sql<{ id: string; notification_id: string; state: string }>`
    update notification_targets t
      set state = case when exists (select 1 from subjects s join pmh_links l on l.pmh_id = s.pmh_id where s.id = t.subject_id)
                       then 'queued' else 'waiting' end
    where t.id = any(${claimed.rows.map((r) => r.id)}::uuid[])
    returning t.id, t.notification_id, t.state`.execute(trx);
  return {
    claimed: claimed.rows.length,
    queued: rows.filter((r) => r.state === 'queued').map((r) => ({ targetId: r.id, notificationId: r.notification_id })),
  };
}

/**
 * The persons of these PMH-IDs are linked now (their link arrived, or their subject got a PMH-ID
 * whose link was already there): their waiting targets become `queued` (returned, for the outbox).
 * Runs in the transaction that stored the link; it locks the subjects first (see `releaseDue`), and
 * reads the targets in a later statement, so as to see what a release that held them committed.
 */
export async function releaseWaiting(trx: HubDb, pmhIds: string[]): Promise<ReleasedTarget[]> {
  if (pmhIds.length === 0) return [];
  await sql`select 1 from subjects where pmh_id = any(${pmhIds}::text[]) order by id for no key update`.execute(trx);
  const { rows } = await sql<{ id: string; notification_id: string }>`
    update notification_targets t set state = 'queued'
    from subjects s join pmh_links l on l.pmh_id = s.pmh_id
    where s.pmh_id = any(${pmhIds}::text[]) and t.subject_id = s.id and t.state = 'waiting'
    returning t.id, t.notification_id`.execute(trx);
  return rows.map((r) => ({ targetId: r.id, notificationId: r.notification_id }));
}

export interface TargetToSend {
  targetId: string;
  notificationId: string;
  municipalityCode: string;
  category: NotificationCategory;
  title: string;
  body: string;
  url: string | null;
  publishedAt: string;
  /** null when the person has (no longer) a link: nothing to send it to. */
  pmhPseudonym: string | null;
}

/** What the outbox sends for these targets, read at sending time (the queue holds no text). */
export async function targetsToSend(db: HubDb, targetIds: string[]): Promise<Map<string, TargetToSend>> {
  if (targetIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('notification_targets as t')
    .innerJoin('notifications as n', 'n.id', 't.notification_id')
    .innerJoin('subjects as s', 's.id', 't.subject_id')
    .leftJoin('pmh_links as l', 'l.pmh_id', 's.pmh_id')
    .select(['t.id', 't.notification_id', 'n.municipality_code', 'n.category', 'n.title', 'n.body', 'n.url', 'n.publish_at', 'l.pmh_pseudonym'])
    .where('t.id', 'in', targetIds)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        targetId: r.id,
        notificationId: r.notification_id,
        municipalityCode: r.municipality_code,
        category: r.category as NotificationCategory,
        title: r.title,
        body: r.body,
        url: r.url,
        publishedAt: iso(r.publish_at),
        pmhPseudonym: r.pmh_pseudonym,
      },
    ]),
  );
}

/** The portal stored these: in the transaction that deletes their outbox messages. */
export async function markDelivered(trx: HubDb, targetIds: string[]): Promise<void> {
  if (targetIds.length === 0) return;
  await trx
    .updateTable('notification_targets')
    .set({ state: 'delivered', delivered_at: sql`now()` })
    .where('id', 'in', targetIds)
    .where('state', '=', 'queued')
    .execute();
}

const iso = (d: Date | string): string => new Date(d).toISOString();
