import { sql } from 'kysely';
import type { InboxItem, PortalNotificationItem } from '@pmh/protocol';
import type { InboxCursor } from '../domain/inbox-cursor.ts';
import type { Db, Trx } from './schema.ts';

/**
 * All SQL of the residents' inboxes (migration portal-003). Set-based: a batch from the hub is one
 * JSON parameter and one insert.
 */

export interface FiledBatch {
  /** The PMH pseudonyms that name an account here. */
  known: Set<string>;
  /** Items filed by this call (not those filed before): account reference and notification. */
  filed: Array<{ accountId: string; notificationId: string }>;
}

/**
 * Files each item in the inbox of the account with its PMH pseudonym, once: an item already filed
 * (a redelivery) is left as it is, read or not. Items for a PMH pseudonym no account has are not filed.
 */
export async function fileNotifications(trx: Trx, items: PortalNotificationItem[]): Promise<FiledBatch> {
  const json = JSON.stringify(
    items.map((i) => ({
      notification_id: i.notificationId,
      pp: i.pmhPseudonym,
      municipality_code: i.municipalityCode,
      category: i.category,
      title: i.title,
      body: i.body,
      url: i.url,
      published_at: i.publishedAt,
    })),
  );
  const { rows: filed } = await sql<{ account_id: string; notification_id: string }>`
    insert into notifications (account_id, notification_id, municipality_code, category, title, body, url, published_at)
    select a.id, x.notification_id, x.municipality_code, x.category, x.title, x.body, x.url, x.published_at
    from json_to_recordset(${json}::json)
      as x(notification_id uuid, pp text, municipality_code text, category text, title text, body text, url text, published_at timestamptz)
    join accounts a on a.pmh_pseudonym = x.pp
    on conflict (account_id, notification_id) do nothing
    returning account_id, notification_id`.execute(trx);
  const known = await trx
    .selectFrom('accounts')
    .select('pmh_pseudonym')
    .where('pmh_pseudonym', '=', sql<string>`any(${[...new Set(items.map((i) => i.pmhPseudonym))]}::text[])`)
    .execute();
  return {
    known: new Set(known.flatMap((r) => (r.pmh_pseudonym ? [r.pmh_pseudonym] : []))),
    filed: filed.map((r) => ({ accountId: r.account_id, notificationId: r.notification_id })),
  };
}

/** One page of an account's inbox, newest first, with its unread count and the next page's cursor. */
export async function inbox(
  db: Db,
  accountId: string,
  limit: number,
  before?: InboxCursor,
): Promise<{ items: InboxItem[]; unread: number; next?: InboxCursor }> {
  let page = db
    .selectFrom('notifications')
    .select(['id', 'municipality_code', 'category', 'title', 'body', 'url', 'published_at', 'read_at'])
    .where('account_id', '=', accountId)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (before) page = page.where(sql<boolean>`(published_at, id) < (${before.publishedAt}::timestamptz, ${before.id}::uuid)`);
  const rows = await page.execute();
  const count = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  const items: InboxItem[] = rows.slice(0, limit).map((r) => ({
    id: r.id,
    municipalityCode: r.municipality_code,
    category: r.category,
    title: r.title,
    body: r.body,
    url: r.url,
    publishedAt: new Date(r.published_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  }));
  const last = items[items.length - 1];
  return { items, unread: Number(count.n), next: rows.length > limit ? { publishedAt: last.publishedAt, id: last.id } : undefined };
}

/** Marks an item of this account read (the first time only); false when the account has no such item. */
export async function markRead(db: Db, accountId: string, id: string): Promise<boolean> {
  const rows = await db
    .updateTable('notifications')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .returning('id')
    .execute();
  return rows.length > 0;
}
