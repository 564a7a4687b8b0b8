import { sqlMigration } from '@pmh/core/db/index';

/** The tables of this migration that hold one municipality's data, under row-level security like those of hub-003. */
export const CLAIMS_REMINDERS_TABLES = ['vaccination_claims', 'vaccination_claim_doses', 'vaccination_reminder_settings', 'vaccination_reminders'] as const;

/**
 * Vaccination claims, reminders and the retention purge (seed B①③).
 *
 * - `vaccination_claims`: a confirmed claim line (請求明細) of a month, one per institution, vaccine
 *   and unit price: a snapshot, never changed but for its state (confirmed → paid | rejected). Draft
 *   lines are not stored: they are the month's clinic doses not yet in a confirmed line, counted when
 *   asked (store/vaccination-claims.ts).
 * - `vaccination_claim_doses`: which dose a confirmed line counted; a dose is in one line at most
 *   (its primary key), so a dose recorded after a month was confirmed goes into a new line.
 * - `vaccination_reminder_settings`: the municipality's opt-in per vaccine (`PUT …/reminders/{vaccineCode}`).
 * - `vaccination_reminders`: each reminder sent, once per (subject, vaccine, dose, occasion — the
 *   年度 of a seasonal vaccine, else empty): the primary key is what makes "never twice" hold across
 *   restarts and concurrent runs. Its notification is inserted in the same transaction (the foreign
 *   key is checked at commit, so the reminder row can claim the key first).
 * - `vaccination_enrolments.purged_on`: the day the retention purge removed an ended subject's records.
 */
export const claimsRemindersMigration = sqlMigration(
  'hub-012-claims-reminders',
  `
  alter table vaccination_enrolments add column purged_on date;

  create table vaccination_claims (
    id uuid primary key,
    municipality_code text not null,
    /** YYYY-MM: the month of the doses */
    month text not null,
    institution_code text not null,
    vaccine_code text not null,
    unit_price integer not null check (unit_price >= 0),
    /** the price version (validFrom) the unit price is from */
    price_valid_from date not null,
    count integer not null check (count > 0),
    amount bigint not null check (amount >= 0),
    status text not null default 'confirmed' check (status in ('confirmed', 'paid', 'rejected')),
    reason text,
    confirmed_at timestamptz not null default now(),
    confirmed_by text not null,
    decided_at timestamptz,
    decided_by text
  );
  create index vaccination_claims_month on vaccination_claims (municipality_code, month);

  create table vaccination_claim_doses (
    record_id uuid primary key references vaccination_records (id),
    claim_id uuid not null references vaccination_claims (id),
    municipality_code text not null
  );
  create index vaccination_claim_doses_claim on vaccination_claim_doses (claim_id);
  -- The claims' question: a municipality's clinic doses of a month.
  create index vaccination_records_clinic_by_date on vaccination_records (municipality_code, date) where source = 'clinic';

  create table vaccination_reminder_settings (
    municipality_code text not null,
    vaccine_code text not null,
    enabled boolean not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (municipality_code, vaccine_code)
  );

  create table vaccination_reminders (
    subject_id uuid not null references subjects (id),
    municipality_code text not null,
    vaccine_code text not null,
    dose_number integer not null,
    occasion text not null default '',
    series text,
    notification_id uuid not null references notifications (id) deferrable initially deferred,
    /** the day the job found the dose due */
    due_on date not null,
    created_at timestamptz not null default now(),
    primary key (subject_id, vaccine_code, dose_number, occasion)
  );

  ${CLAIMS_REMINDERS_TABLES.map(
    (t) => `
  alter table ${t} enable row level security;
  create policy ${t}_own_municipality on ${t}
    using (municipality_code = current_setting('pmh.municipality_code', true))
    with check (municipality_code = current_setting('pmh.municipality_code', true));
  grant select, insert, update on ${t} to pmh_municipal;`,
  ).join('\n')}
  `,
);
