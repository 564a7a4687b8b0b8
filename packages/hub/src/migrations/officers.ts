import { sqlMigration } from '@pmh/core/db/index';

/**
 * The municipal console's officers and their sessions. Both carry the municipality's code and sit
 * under row-level security like every municipal table (hub-003): sign-in, the session check and
 * officer management all run in the municipality's scope, so one municipality's officer can never
 * be read, changed or signed in as by another's. A password is kept only as its scrypt hash
 * (parameters inside), the TOTP secret only sealed with the data key, bound to its row; a session
 * only as its token's SHA-256.
 */
export const officersMigration = sqlMigration(
  'hub-015-officers',
  `
  create table officers (
    municipality_code text not null,
    login_id text not null,
    role text not null check (role in ('read', 'register', 'notify', 'admin')),
    password_hash text not null,
    totp_secret_enc text not null,
    /** the last TOTP time step accepted: a code is good once (RFC 6238 §5.2) */
    totp_last_step bigint not null default 0,
    failed_attempts integer not null default 0,
    locked_until timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (municipality_code, login_id)
  );

  create table officer_sessions (
    token_hash text primary key,
    municipality_code text not null,
    login_id text not null,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null,
    foreign key (municipality_code, login_id) references officers (municipality_code, login_id)
  );
  create index officer_sessions_officer on officer_sessions (municipality_code, login_id);

  alter table officers enable row level security;
  create policy officers_own_municipality on officers
    using (municipality_code = current_setting('pmh.municipality_code', true))
    with check (municipality_code = current_setting('pmh.municipality_code', true));
  grant select, insert, update on officers to pmh_municipal;

  alter table officer_sessions enable row level security;
  create policy officer_sessions_own_municipality on officer_sessions
    using (municipality_code = current_setting('pmh.municipality_code', true))
    with check (municipality_code = current_setting('pmh.municipality_code', true));
  grant select, insert, update, delete on officer_sessions to pmh_municipal;
  `,
);
