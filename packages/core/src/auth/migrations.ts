import { sqlMigration, type Migration } from '../db/migrate.ts';

/** Tables of the OAuth 2.0 client-credentials server (RFC 7523 private_key_jwt). PostgreSQL 15 SQL. */
export const authMigrations: Migration[] = [
  sqlMigration(
    'core-auth-001-oauth-clients',
    `create table if not exists oauth_clients (
       client_id text primary key,
       role text not null,
       jwks jsonb not null,
       created_at timestamptz default now()
     );
     create table if not exists oauth_assertion_jti (
       jti text primary key,
       expires_at timestamptz not null
     );
     create index if not exists oauth_assertion_jti_expires_at_idx on oauth_assertion_jti (expires_at);`,
  ),
];
