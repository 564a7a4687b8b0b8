import { sqlMigration } from '@pmh/core/db/index';

/**
 * Notifications to residents (seed B③ C③). `notifications`: what a municipality says, once.
 * `notification_targets`: one row per subject it goes to, walking through
 *   scheduled → (publishAt reached) → queued (linked: in the outbox) or waiting (not linked yet)
 *   waiting → (the link arrives) → queued → (the portal stored it) → delivered.
 * A refusal for good leaves the target `queued` with its outbox message parked (`dead`): the status
 * reads it from there, and an operator's retry can still deliver it.
 *
 * Both tables are one municipality's data, under row-level security like those of hub-003 (whose
 * list must not change: a migration is never edited once applied).
 */
export const notificationsMigration = sqlMigration(
  'hub-006-notifications',
  `
  create table notifications (
    id uuid primary key,
    municipality_code text not null,
    category text not null,
    title text not null,
    body text not null,
    url text,
    publish_at timestamptz not null,
    target_count integer not null,
    client_id text not null,
    idempotency_key text,
    request_hash text not null,
    created_at timestamptz not null default now(),
    unique (municipality_code, idempotency_key)
  );

  create table notification_targets (
    id uuid primary key default gen_random_uuid(),
    notification_id uuid not null references notifications (id),
    municipality_code text not null,
    subject_id uuid not null references subjects (id),
    position integer not null,
    /** the notification's, copied so that the due scan reads one index */
    publish_at timestamptz not null,
    state text not null default 'scheduled' check (state in ('scheduled', 'waiting', 'queued', 'delivered')),
    delivered_at timestamptz,
    unique (notification_id, position),
    unique (notification_id, subject_id)
  );
  -- The release worker's question: which scheduled targets are due now.
  create index notification_targets_due on notification_targets (publish_at) where state = 'scheduled';
  -- A link's question: which due targets of this subject wait for it.
  create index notification_targets_waiting on notification_targets (subject_id) where state = 'waiting';

  ${['notifications', 'notification_targets']
    .map(
      (t) => `
  alter table ${t} enable row level security;
  create policy ${t}_own_municipality on ${t}
    using (municipality_code = current_setting('pmh.municipality_code', true))
    with check (municipality_code = current_setting('pmh.municipality_code', true));
  grant select, insert, update on ${t} to pmh_municipal;`,
    )
    .join('\n')}
  `,
);
