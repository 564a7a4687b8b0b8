import { sql, type Kysely } from 'kysely';
import type { InboxItem, PortalNotificationItem } from '@pmh/protocol';

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
export async function fileNotifications(trx: Kysely<any>, items: PortalNotificationItem[]): Promise<FiledBatch> {
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
  const { rows: known } = await sql<{ pmh_pseudonym: string }>`
    select pmh_pseudonym from accounts where pmh_pseudonym = any(${[...new Set(items.map((i) => i.pmhPseudonym))]}::text[])`.execute(trx);
  return {
    known: new Set(known.map((r) => r.pmh_pseudonym)),
    filed: filed.map((r) => ({ accountId: r.account_id, notificationId: r.notification_id })),
  };
}

/** Keyset position in an inbox: the last item of the previous page. */
export interface InboxCursor {
  publishedAt: string;
  id: string;
}

/** One page of an account's inbox, newest first, with its unread count and the next page's cursor. */
export async function inbox(
  db: Kysely<any>,
  accountId: string,
  limit: number,
  before?: InboxCursor,
): Promise<{ items: InboxItem[]; unread: number; next?: InboxCursor }> {
  const after = before ? sql`and (published_at, id) < (${before.publishedAt}::timestamptz, ${before.id}::uuid)` : sql``;
  const { rows } = await sql<any>`
    select id, municipality_code, category, title, body, url, published_at, read_at
    from notifications where account_id = ${accountId} ${after}
    order by published_at desc, id desc
    limit ${limit + 1}`.execute(db);
  const { rows: count } = await sql<{ n: string }>`
    select count(*) as n from notifications where account_id = ${accountId} and read_at is null`.execute(db);
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
  return { items, unread: Number(count[0].n), next: rows.length > limit ? { publishedAt: last.publishedAt, id: last.id } : undefined };
}

/** Marks an item of this account read (the first time only); false when the account has no such item. */
export async function markRead(db: Kysely<any>, accountId: string, id: string): Promise<boolean> {
  const { rows } = await sql`
    update notifications set read_at = coalesce(read_at, now())
    where id = ${id} and account_id = ${accountId}
    returning id`.execute(db);
  return rows.length > 0;
}
