import { sqlMigration } from '@pmh/core/db/index';

/**
 * Doses recorded by clinics through the portal's relay (seed B⑤), with the consent they were given
 * under.
 *
 * - `vaccination_records` gains what a clinic's record carries (予防接種実施規則 様式第三 予診票・
 *   接種記録: ワクチン名, ロット番号, 有効期限, 接種量, 接種部位, 医師名): product name and code, the lot's
 *   expiry, the volume (in µL, an integer: 0.5 mL is 500), site, route and doctor; the consent id and
 *   the doctor's assessment; the warnings the doctor overrode, with the reasons; the questionnaire
 *   used; the day (Japan time) it was recorded, which is the only day the recording institution may
 *   correct or cancel it; its version (1, then one more per correction or cancellation); the reason
 *   of the last change; and the client's Idempotency-Key (unique per institution).
 * - `vaccination_record_versions`: every earlier version of a record as it stood, kept when a
 *   correction or a cancellation replaces it. The municipal feed shows a record as it now stands
 *   (the hub-009 trigger moves its entry); the versions are the record's history.
 */
export const clinicVaccinationMigration = sqlMigration(
  'hub-011-clinic-vaccination',
  `
  alter table vaccination_records
    add column product_name text,
    add column product_code text,
    add column expiration_date date,
    add column dose_volume_ul integer check (dose_volume_ul > 0),
    add column site text,
    add column route text,
    add column doctor_name text,
    add column consent_id uuid,
    add column assessment jsonb,
    add column overrides jsonb,
    add column questionnaire_id uuid,
    add column recorded_on date,
    add column version integer not null default 1 check (version >= 1),
    add column change_reason text,
    add column idempotency_key text;
  create unique index vaccination_records_idempotency on vaccination_records (institution_code, idempotency_key) where idempotency_key is not null;

  create table vaccination_record_versions (
    record_id uuid not null references vaccination_records (id),
    version integer not null,
    municipality_code text not null,
    snapshot jsonb not null,
    replaced_at timestamptz not null default now(),
    primary key (record_id, version)
  );
  alter table vaccination_record_versions enable row level security;
  create policy vaccination_record_versions_own_municipality on vaccination_record_versions
    using (municipality_code = current_setting('pmh.municipality_code', true))
    with check (municipality_code = current_setting('pmh.municipality_code', true));
  grant select on vaccination_record_versions to pmh_municipal;
  `,
);
