import { sqlMigration, type Migration } from '@pmh/core/db/index';
import { serviceMigrations } from '@pmh/core/service';

/**
 * The portal's resident accounts (マイナポータル), keyed by the 仮名識別子 (portal pseudonym) that OQS
 * knows the resident by. The pseudonym exists only here and at OQS (ARCHITECTURE.md §3, invariant 4).
 *
 * - `id`: a random reference to the account for the audit log, which names residents by reference,
 *   never by an identifier.
 * - `pmh_pseudonym`: the PMH仮名識別子, made here at random (never derived from anything) and known
 *   only here and at the hub (invariant 5). Null for an account that has no PMH link yet (resident
 *   sessions will create accounts on their first card login).
 * - `pmh_id`: the PMH-ID, held only until the hub acknowledges the link (pseudonym, PMH-ID); after
 *   that the portal's database holds no PMH-ID (invariant 5). Not null = a link awaits the hub.
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

/** The portal's own migrations (buildService adds the common ones). */
export const portalOwnMigrations: Migration[] = [accounts];

/** Every migration of the portal's database, for tools and tests that open it directly. */
export const portalMigrations: Migration[] = [...serviceMigrations, ...portalOwnMigrations];
