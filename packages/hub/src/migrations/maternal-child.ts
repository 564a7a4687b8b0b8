import { sqlMigration } from '@pmh/core/db/index';

/** The maternal and child health tables: each is one municipality's data, under row-level security like vaccination's. */
export const MATERNAL_CHILD_TABLES = [
  'maternal_child_enrolments',
  'maternal_child_pregnancies',
  'maternal_child_vouchers',
  'maternal_child_results',
  'maternal_child_feed',
] as const;

/**
 * Maternal and child health (母子保健, seed C), the municipality's side.
 *
 * - `maternal_child_enrolments`: a subject (a pregnant woman or a child) registered (modificationSeg
 *   "1") or ended ("2"); the same shape as vaccination's, read and written by store/enrolments.ts.
 * - `maternal_child_pregnancies`: the pregnancy a prenatal or postpartum voucher and result belong to
 *   (due date, delivery once known), one per subject: the current or latest.
 * - `maternal_child_vouchers`: 受診券 issued, one number once per municipality, with its kind,
 *   sequence, validity and subsidy cap.
 * - `maternal_child_results`: checkup results, from the municipality (`source` "municipal", keyed by
 *   its `result_key`) and, later, from venues ("venue", no key). How each was paid: with the voucher it
 *   names (`payment` "voucher"; a voucher pays once — the partial unique index) or self-paid, with the
 *   reason. The measurements, urine, findings and tests are the wire's objects as JSON.
 * - `maternal_child_feed`: one entry per result at its latest write, for the municipal results feed,
 *   filled by a trigger as vaccination_feed is (see migrations/vaccination.ts for why it carries the
 *   writing transaction).
 */
export const maternalChildMigration = sqlMigration(
  'hub-013-maternal-child',
  `
  create table maternal_child_enrolments (
    subject_id uuid primary key references subjects (id),
    municipality_code text not null,
    status text not null default 'registered' check (status in ('registered', 'ended')),
    ended_reason text check (ended_reason in ('moved-out', 'deceased', 'mistaken')),
    ended_on date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  );

  create table maternal_child_pregnancies (
    subject_id uuid primary key references subjects (id),
    municipality_code text not null,
    expected_delivery_date date not null,
    delivery_date date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  );

  create table maternal_child_vouchers (
    id uuid primary key,
    municipality_code text not null,
    subject_id uuid not null references subjects (id),
    voucher_number text not null,
    checkup_kind text not null,
    sequence integer check (sequence between 1 and 14),
    valid_from date not null,
    valid_to date not null check (valid_to >= valid_from),
    subsidy_cap integer not null check (subsidy_cap >= 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint maternal_child_vouchers_one_number unique (municipality_code, voucher_number)
  );
  create index maternal_child_vouchers_subject on maternal_child_vouchers (subject_id);

  create table maternal_child_results (
    id uuid primary key,
    municipality_code text not null,
    subject_id uuid not null references subjects (id),
    /** the municipality's own key of a result it registered; null for a venue's */
    result_key text,
    checkup_kind text not null,
    sequence integer,
    voucher_number text,
    payment text not null check (payment in ('voucher', 'self-paid')),
    self_paid_reason text,
    date date not null,
    institution_code text not null,
    age_in_months integer,
    gestational_weeks integer,
    measurements jsonb not null,
    urine jsonb,
    edema text,
    tests_done jsonb,
    findings jsonb not null,
    judgement text not null check (judgement in ('healthy', 'observe', 'detailed-exam', 'guidance')),
    detailed_exam_date date,
    source text not null check (source in ('municipal', 'venue')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint maternal_child_results_one_per_key unique (subject_id, result_key),
    constraint maternal_child_results_paid check ((payment = 'voucher') = (voucher_number is not null and self_paid_reason is null))
  );
  create index maternal_child_results_subject on maternal_child_results (subject_id, date);
  -- A voucher pays for one checkup.
  create unique index maternal_child_results_voucher_once on maternal_child_results (municipality_code, voucher_number) where payment = 'voucher';

  create table maternal_child_feed (
    seq bigserial primary key,
    municipality_code text not null,
    result_id uuid not null references maternal_child_results (id),
    /** the writing transaction (xid8 as a number) */
    xid bigint not null default (pg_current_xact_id()::text::bigint),
    created_at timestamptz not null default now()
  );
  create index maternal_child_feed_order on maternal_child_feed (municipality_code, xid, seq);
  create index maternal_child_feed_result on maternal_child_feed (result_id);

  create function maternal_child_feed_note() returns trigger language plpgsql as $$
  begin
    if tg_op = 'UPDATE' then
      delete from maternal_child_feed where result_id = new.id;
    end if;
    insert into maternal_child_feed (municipality_code, result_id) values (new.municipality_code, new.id);
    return null;
  end $$;
  create trigger maternal_child_results_feed after insert or update on maternal_child_results
    for each row execute function maternal_child_feed_note();

  ${MATERNAL_CHILD_TABLES.map(
    (t) => `
  alter table ${t} enable row level security;
  create policy ${t}_own_municipality on ${t}
    using (municipality_code = current_setting('pmh.municipality_code', true))
    with check (municipality_code = current_setting('pmh.municipality_code', true));
  grant select, insert, update${t === 'maternal_child_feed' ? ', delete' : ''} on ${t} to pmh_municipal;`,
  ).join('\n')}
  grant usage on sequence maternal_child_feed_seq_seq to pmh_municipal;
  `,
);
