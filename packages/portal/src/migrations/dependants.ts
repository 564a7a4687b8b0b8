import { sqlMigration } from '@pmh/core/db/index';

/**
 * Guardians (代理人): a resident (the guardian) acts for a dependant — a child — after presenting the
 * child's card once. One row per (guardian, dependant), between two accounts; `id` is the dependantId
 * the guardian's pages name the child by (`?for=`), meaningful only together with the guardian's
 * session. `display_name`: how the guardian's person switcher names the child.
 */
export const dependantsMigration = sqlMigration(
  'portal-005-dependants',
  `create table dependants (
     id uuid primary key default gen_random_uuid(),
     guardian_account_id uuid not null references accounts (id),
     dependant_account_id uuid not null references accounts (id),
     display_name text not null,
     created_at timestamptz not null default now(),
     unique (guardian_account_id, dependant_account_id),
     check (guardian_account_id <> dependant_account_id)
   );`,
);
