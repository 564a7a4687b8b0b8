import { sqlMigration } from '@pmh/core/db/index';

/**
 * The residents' inboxes (お知らせ, seed B③ C③): notifications from municipalities, delivered by the
 * hub by PMH pseudonym and filed under the account. One row per (account, notification): the hub
 * delivers at least once, the resident sees it once. Nothing here names the person but the account
 * reference; the PMH pseudonym stays on the account.
 */
export const notificationsMigration = sqlMigration(
  'portal-003-notifications',
  `create table notifications (
     id uuid primary key default gen_random_uuid(),
     account_id uuid not null references accounts (id),
     notification_id uuid not null,
     municipality_code text not null,
     category text not null,
     title text not null,
     body text not null,
     url text,
     published_at timestamptz not null,
     received_at timestamptz not null default now(),
     read_at timestamptz,
     unique (account_id, notification_id)
   );
   -- The inbox, newest first, a page at a time; and its unread count.
   create index notifications_inbox on notifications (account_id, published_at desc, id desc);
   create index notifications_unread on notifications (account_id) where read_at is null;`,
);
