import { sqlMigration, type Migration } from '@pmh/core/db/index';
import { serviceMigrations } from '@pmh/core/service';
import { notificationsMigration } from './notifications.ts';
import { consentsMigration } from './consents.ts';

/**
 * The portal's resident accounts (マイナポータル), keyed by the 仮名識別子 (portal pseudonym) that OQS
 * knows the resident by. The pseudonym exists only here and at OQS (docs/privacy.md#invariant-4).
 *
 * - `id`: a random reference to the account for the audit log, which names residents by reference,
 *   never by an identifier.
 * - `pmh_pseudonym`: the PMH仮名識別子, made here at random (never derived from anything) and known
 *   only here and at the hub (invariant 5). Null for an account that has no PMH link yet (resident
 *   sessions will create accounts on their first card login).
 * - `pmh_id`: the PMH-ID, held only until the hub acknowledges the link (pseudonym, PMH-ID); after
 *   that the portal's database holds no PMH-ID (invariant 5). Not null = a link awaits the hub.
 *   Since portal-004 held sealed, as `pmh_id_sealed`, and dropped.
 * - `pmh_linked_at`: when the hub first acknowledged the link.
 */
const accounts = sqlMigration(
  'portal-001-accounts',
  `create table accounts (
     pseudonym text primary key,
     id uuid not null default gen_random_uuid() unique,
     pmh_pseudonym text unique,
     pmh_id text,
     pmh_linked_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   );`,
);

/**
 * Resident sessions (card login). A challenge is single use (deleted when used) and lives 60 s. A
 * session is stored by the SHA-256 of its token only, so the table cannot be used to take one over;
 * it ends at `expires_at` (absolute) or after a spell of idleness past `last_seen_at`. Expired rows
 * of both tables are purged in the background.
 */
const sessions = sqlMigration(
  'portal-002-sessions',
  `create table session_challenges (
     challenge text primary key,
     expires_at timestamptz not null
   );
   create index session_challenges_expires_at on session_challenges (expires_at);
   create table sessions (
     token_hash text primary key,
     account_id uuid not null references accounts (id),
     created_at timestamptz not null default now(),
     expires_at timestamptz not null,
     last_seen_at timestamptz not null default now()
   );
   create index sessions_expires_at on sessions (expires_at);
   create index sessions_last_seen_at on sessions (last_seen_at);
   create index sessions_account_id on sessions (account_id);`,
);

/**
 * The held PMH-ID, sealed (`pmh_id_sealed`, see HELD_PMH_ID): replaces `pmh_id`, which the data
 * migration `sealHeldPmhIds` empties and drops. Indexed by epoch, for the shredding upkeep.
 */
const sealedPmhIds = sqlMigration(
  'portal-004-sealed-pmh-ids',
  `alter table accounts add column pmh_id_sealed text;
   create index accounts_pmh_id_epoch on accounts (split_part(pmh_id_sealed, '.', 2)) where pmh_id_sealed like 's1.%';`,
);

/** The portal's own migrations (buildService adds the common ones). */
export const portalOwnMigrations: Migration[] = [accounts, sessions, notificationsMigration, sealedPmhIds, consentsMigration];

/** Every migration of the portal's database, for tools and tests that open it directly. */
export const portalMigrations: Migration[] = [...serviceMigrations, ...portalOwnMigrations];
