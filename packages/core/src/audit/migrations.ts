import { sqlMigration, type Migration } from '../db/migrate.ts';

/**
 * The append-only, hash-chained audit log (docs/privacy.md#invariant-10; docs/architecture.md#national-scale).
 *
 * One chain per stream (not one global chain): `audit_heads` holds the last (seq, hash) of each
 * stream and is the only row a writer locks, so writers on different streams never wait on each
 * other. PostgreSQL 15 and PGlite compatible.
 */
export const auditMigrations: Migration[] = [
  sqlMigration(
    'core-audit-001-tables',
    `
create table audit_log (
  stream      text        not null,
  seq         bigint      not null,
  at          timestamptz not null,
  actor       text        not null,
  action      text        not null,
  subject_ref text,
  purpose     text,
  outcome     text        not null,
  detail      jsonb       not null default '{}',
  prev_hash   text        not null,
  hash        text        not null,
  primary key (stream, seq),
  constraint audit_log_seq_positive check (seq > 0)
);
-- "Who looked at my data": a resident's reads by subject, newest first.
create index audit_log_subject_at_idx on audit_log (subject_ref, at) where subject_ref is not null;
create index audit_log_at_idx on audit_log (at);

create table audit_heads (
  stream text   primary key,
  seq    bigint not null,
  hash   text   not null
);
`,
  ),
  sqlMigration(
    'core-audit-002-append-only',
    `
create function audit_append_only() returns trigger language plpgsql as $fn$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end
$fn$;

create trigger audit_log_no_update_delete
  before update or delete on audit_log
  for each row execute function audit_append_only();
create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_append_only();

-- A head only moves forward: it may not be deleted, truncated, renamed or moved back.
create trigger audit_heads_no_delete
  before delete on audit_heads
  for each row execute function audit_append_only();
create trigger audit_heads_no_truncate
  before truncate on audit_heads
  for each statement execute function audit_append_only();
create trigger audit_heads_forward_only
  before update on audit_heads
  for each row when (new.stream is distinct from old.stream or new.seq <= old.seq)
  execute function audit_append_only();
`,
  ),
];
