import { sqlMigration, type Migration } from '@pmh/core/db/index';
import { serviceMigrations } from '@pmh/core/service';

/**
 * OQS's insured people (オンライン資格確認等システム): 紐付番号 (linkage number) ↔ 仮名識別子 (portal
 * pseudonym) ↔ PMH-ID, and their My Number Cards (certificate serial ↔ linkage number, with the
 * card's public key). The linkage number exists only here and at the ID server; the pseudonym only
 * here and at the portal (docs/privacy.md, invariants 3 and 4).
 *
 * `id` is a random reference to the person for the audit log, which names people by reference and
 * never by an identifier. A person may be known by linkage number alone (the ID server linked a
 * PMH-ID before the insurer's enrolment reached us): `pseudonym` is null until it arrives.
 */
const insured = sqlMigration(
  'oqs-001-insured',
  `create table insured (
     linkage_number text primary key,
     id uuid not null default gen_random_uuid() unique,
     pseudonym text unique,
     pmh_id text,
     pmh_linked_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   );
   -- the eligibility path asks "whose PMH-ID is this" and the reverse; several linkage numbers
   -- (successive insurers) may carry one PMH-ID
   create index insured_pmh_id on insured (pmh_id) where pmh_id is not null;

   create table cards (
     card_serial text primary key,
     linkage_number text not null references insured (linkage_number),
     -- the card's public key only ({kty, crv, x, y}); card authentication checks signatures with it
     public_jwk jsonb not null,
     created_at timestamptz not null default now()
   );
   create index cards_linkage_number on cards (linkage_number);`,
);

/**
 * Card-authentication challenges (seed A④): single use, valid 60 s, bound to the client that asked
 * for one. A row is deleted when used; expired rows are purged in the background.
 */
const cardChallenges = sqlMigration(
  'oqs-002-card-challenges',
  `create table card_challenges (
     challenge text primary key,
     client_id text not null,
     expires_at timestamptz not null
   );
   create index card_challenges_expires_at on card_challenges (expires_at);`,
);

/** OQS's own migrations (buildService adds the common ones). */
export const oqsOwnMigrations: Migration[] = [insured, cardChallenges];

/** Every migration of OQS's database, for tools and tests that open it directly. */
export const oqsMigrations: Migration[] = [...serviceMigrations, ...oqsOwnMigrations];
