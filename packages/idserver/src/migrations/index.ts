import { sqlMigration, type Migration } from '@pmh/core/db/index';
import { serviceMigrations } from '@pmh/core/service';

/**
 * The ID server's people (医療保険者等向け中間サーバー): My Number ↔ 紐付番号 (from insurers'
 * enrolments) and My Number → PMH-ID. The My Number is held only encrypted (AES-256-GCM, key id
 * inside) with a keyed HMAC blind index for look-ups; no column holds it in clear.
 */
const persons = sqlMigration(
  'idserver-001-persons',
  `create table persons (
     id uuid primary key default gen_random_uuid(),
     my_number_bidx text not null unique,
     my_number_enc text not null,
     linkage_number text unique,
     pmh_id text unique,
     pmh_id_issued_at timestamptz,
     created_at timestamptz not null default now()
   );`,
);

/** The ID server's own migrations (buildService adds the common ones). */
export const idserverOwnMigrations: Migration[] = [persons];

/** Every migration of the ID server's database, for tools and tests that open it directly. */
export const idserverMigrations: Migration[] = [...serviceMigrations, ...idserverOwnMigrations];
