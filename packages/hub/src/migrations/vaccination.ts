import { sqlMigration } from '@pmh/core/db/index';

/** The vaccination tables: each is one municipality's data, under row-level security like those of hub-003. */
export const VACCINATION_TABLES = ['vaccination_enrolments', 'vaccination_records', 'vaccination_vouchers', 'vaccination_prices', 'vaccination_feed'] as const;

/**
 * Vaccination (予防接種, seed B), the municipality's side.
 *
 * - `vaccination_enrolments`: a subject registered for vaccination (modificationSeg "1"), or ended
 *   ("2": moved out, deceased, mistaken). An ended subject's data stays for the retention period
 *   (its purge is a scheduled job still to come) and is not shown to clinics.
 * - `vaccination_records`: doses, from the municipality (`source` "municipal", keyed by its
 *   `record_key`) and, later, from clinics (`source` "clinic", no key).
 * - `vaccination_vouchers`: 接種券 issued, one number once per municipality.
 * - `vaccination_prices`: the unit price per vaccine for claims, versioned by the day it applies from.
 * - `vaccination_feed`: one entry per dose, at its latest write, in the order the municipal feed
 *   (`GET /municipal/v1/vaccination/records`) serves them. Filled by a trigger, so no writer (the
 *   registration worker, the clinic relay) can forget it. Each entry carries the id of the
 *   transaction that wrote it: the feed serves only entries of transactions older than every one
 *   of this database still running (store/vaccination.ts `feedHorizon`), ordered by (transaction, entry), so an entry committed late
 *   can never fall behind a cursor already handed out — sequence numbers alone could (a transaction
 *   holding number 7 may commit after one holding number 8 was served).
 */
export const vaccinationMigration = sqlMigration(
  'hub-009-vaccination-registration',
  `
  create table vaccination_enrolments (
    subject_id uuid primary key references subjects (id),
    municipality_code text not null,
    status text not null default 'registered' check (status in ('registered', 'ended')),
    ended_reason text check (ended_reason in ('moved-out', 'deceased', 'mistaken')),
    ended_on date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  );

  create table vaccination_records (
    id uuid primary key,
    municipality_code text not null,
    subject_id uuid not null references subjects (id),
    /** the municipality's own key of a dose it registered; null for a clinic's */
    record_key text,
    vaccine_code text not null,
    dose_number integer not null check (dose_number >= 1),
    series text,
    date date not null,
    lot_number text,
    institution_code text,
    institution_name text,
    source text not null check (source in ('municipal', 'clinic')),
    status text not null default 'recorded' check (status in ('recorded', 'corrected', 'cancelled')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint vaccination_records_one_per_key unique (subject_id, record_key)
  );
  create index vaccination_records_subject on vaccination_records (subject_id, date);

  create table vaccination_vouchers (
    id uuid primary key,
    municipality_code text not null,
    subject_id uuid not null references subjects (id),
    voucher_number text not null,
    vaccine_code text not null,
    dose_number integer not null check (dose_number >= 1),
    valid_to date not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint vaccination_vouchers_one_number unique (municipality_code, voucher_number)
  );
  create index vaccination_vouchers_subject on vaccination_vouchers (subject_id);

  create table vaccination_prices (
    municipality_code text not null,
    vaccine_code text not null,
    valid_from date not null,
    unit_price integer not null check (unit_price >= 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (municipality_code, vaccine_code, valid_from)
  );

  create table vaccination_feed (
    seq bigserial primary key,
    municipality_code text not null,
    record_id uuid not null references vaccination_records (id),
    /** the writing transaction (xid8 as a number) */
    xid bigint not null default (pg_current_xact_id()::text::bigint),
    created_at timestamptz not null default now()
  );
  create index vaccination_feed_order on vaccination_feed (municipality_code, xid, seq);
  create index vaccination_feed_record on vaccination_feed (record_id);

  -- A record has one entry, at its latest write: a change moves it to the end (an entry already
  -- served has done its work; one not yet served is served at its new place instead).
  create function vaccination_feed_note() returns trigger language plpgsql as $$
  begin
    if tg_op = 'UPDATE' then
      delete from vaccination_feed where record_id = new.id;
    end if;
    insert into vaccination_feed (municipality_code, record_id) values (new.municipality_code, new.id);
    return null;
  end $$;
  create trigger vaccination_records_feed after insert or update on vaccination_records
    for each row execute function vaccination_feed_note();

  ${VACCINATION_TABLES.map(
    (t) => `
  alter table ${t} enable row level security;
  create policy ${t}_own_municipality on ${t}
    using (municipality_code = current_setting('pmh.municipality_code', true))
    with check (municipality_code = current_setting('pmh.municipality_code', true));
  grant select, insert, update${t === 'vaccination_feed' ? ', delete' : ''} on ${t} to pmh_municipal;`,
  ).join('\n')}
  grant usage on sequence vaccination_feed_seq_seq to pmh_municipal;
  `,
);
