import { sqlMigration } from '@pmh/core/db/index';

/**
 * Clinics' consents (seed B⑤). A consent challenge is single use (deleted when used), lives 60 s
 * and is bound to the institution that asked for it. A consent is what the person agreed to at that
 * institution with their card: bound to the institution and the account of the card holder, with
 * the scopes agreed to, for minutes. Expired rows of both tables are purged in the background.
 */
export const consentsMigration = sqlMigration(
  'portal-006-consents',
  `create table consent_challenges (
     challenge text primary key,
     institution_code text not null,
     expires_at timestamptz not null
   );
   create index consent_challenges_expires_at on consent_challenges (expires_at);
   create table consents (
     id uuid primary key default gen_random_uuid(),
     account_id uuid not null references accounts (id),
     institution_code text not null,
     client_id text not null,
     scopes jsonb not null,
     created_at timestamptz not null default now(),
     expires_at timestamptz not null
   );
   create index consents_expires_at on consents (expires_at);
   create index consents_account_id on consents (account_id);`,
);
