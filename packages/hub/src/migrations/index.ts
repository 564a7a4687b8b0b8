import { venueCheckupsMigration } from './venue-checkups.ts';
import { sqlMigration, type Migration } from '@pmh/core/db/index';
import { serviceMigrations } from '@pmh/core/service';
import { maternalChildMigration } from './maternal-child.ts';
import { notificationsMigration } from './notifications.ts';
import { oneNamePerConcept } from './one-name-per-concept.ts';
import { clinicVaccinationMigration } from './clinic-vaccination.ts';
import { vaccinationMigration } from './vaccination.ts';
import { questionnairesMigration } from './questionnaires.ts';
import { claimsRemindersMigration } from './claims-reminders.ts';
import { officersMigration } from './officers.ts';
import { consolePagesMigration } from './console-pages.ts';
import { institutionNamesMigration } from './institution-names.ts';
import { scheduledJobsMigration } from './scheduled-jobs.ts';

/** Tables that hold one municipality's data carry its code, and row-level security keys on it. */
export const MUNICIPAL_TABLES = ['subjects', 'subsidy_programs', 'subsidy_certificates', 'registration_tasks', 'registration_task_chunks'] as const;

/**
 * The role a municipal request runs as (`SET LOCAL ROLE`), so PostgreSQL itself refuses rows of
 * another municipality even where the application forgot its filter. Roles are cluster-wide:
 * creating it must tolerate another database (or a concurrent migration) having made it.
 */
const municipalRole = sqlMigration(
  'hub-001-municipal-role',
  `DO $$ BEGIN
     CREATE ROLE pmh_municipal NOLOGIN;
   EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
   END $$;`,
);

const schema = sqlMigration(
  'hub-002-medical-subsidy',
  `
  create table subjects (
    id uuid primary key default gen_random_uuid(),
    municipality_code text not null,
    /** 宛名番号 */
    municipality_identity_key text not null,
    /** AES-256-GCM, key id inside; never stored in clear */
    my_number_enc text not null,
    /** keyed HMAC of the My Number, for look-ups */
    my_number_bidx text not null,
    name text not null,
    name_kana text,
    address text,
    date_of_birth date not null,
    sex text not null,
    is_not_disclosed boolean not null default false,
    pmh_id text,
    pmh_id_status text not null default 'pending',
    portal_linked boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (municipality_code, municipality_identity_key)
  );
  create index subjects_my_number_bidx on subjects (my_number_bidx);
  create index subjects_pmh_id on subjects (pmh_id) where pmh_id is not null;
  create index subjects_pmh_id_pending on subjects (created_at) where pmh_id_status = 'pending';

  create table subsidy_programs (
    municipality_code text not null,
    certificate_type_id text not null,
    certification_name text not null,
    insurer_number text not null,
    legal_basis_code text not null,
    additional_condition_codes jsonb not null default '[]',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (municipality_code, certificate_type_id)
  );

  create table subsidy_certificates (
    id uuid primary key default gen_random_uuid(),
    municipality_code text not null,
    subject_id uuid not null references subjects (id),
    certificate_type_id text not null,
    certification_sub_key text not null default '',
    history_key text not null,
    certification_name text not null,
    insurer_number text not null,
    recipient_number text,
    segment text,
    income_segment text,
    additional_conditions jsonb not null default '[]',
    designated_institutions jsonb not null default '[]',
    is_always_reimbursement boolean not null,
    max_copayment jsonb,
    valid_from date not null,
    valid_to date not null,
    is_deleted boolean not null default false,
    certification_detail jsonb not null default '[]',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (subject_id, certificate_type_id, certification_sub_key, history_key)
  );
  create index subsidy_certificates_validity on subsidy_certificates (subject_id, valid_from, valid_to) where not is_deleted;

  create table registration_tasks (
    id uuid primary key,
    municipality_code text not null,
    process text not null,
    status text not null default 'queued',
    total integer not null,
    succeeded integer not null default 0,
    failed integer not null default 0,
    chunks integer not null,
    chunks_done integer not null default 0,
    client_id text not null,
    idempotency_key text,
    request_hash text not null,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz,
    unique (municipality_code, idempotency_key)
  );

  create table registration_task_chunks (
    id bigserial primary key,
    task_id uuid not null references registration_tasks (id),
    municipality_code text not null,
    chunk_no integer not null,
    first_index integer not null,
    record_count integer not null,
    /** the records, encrypted (they carry My Numbers); cleared once applied */
    payload text,
    done boolean not null default false,
    attempts integer not null default 0,
    next_attempt_at timestamptz,
    last_error text,
    results jsonb,
    unique (task_id, chunk_no)
  );
  create index registration_task_chunks_todo on registration_task_chunks (id) where not done;
  `,
);

const rowLevelSecurity = sqlMigration(
  'hub-003-row-level-security',
  [
    ...MUNICIPAL_TABLES.flatMap((t) => [
      `alter table ${t} enable row level security;`,
      `create policy ${t}_own_municipality on ${t}
         using (municipality_code = current_setting('pmh.municipality_code', true))
         with check (municipality_code = current_setting('pmh.municipality_code', true));`,
      `grant select, insert, update on ${t} to pmh_municipal;`,
    ]),
    `grant usage on sequence registration_task_chunks_id_seq to pmh_municipal;`,
    `grant insert, select on audit_log to pmh_municipal;`,
    `grant insert, select, update on audit_heads to pmh_municipal;`,
  ].join('\n'),
);

/**
 * PMH pseudonym links (seed A③): one per person (PMH-ID), made by the portal. The hub never
 * learns the 仮名識別子 behind it. Municipal roles may see whether a link exists, not read it.
 */
const portalLinks = sqlMigration(
  'hub-004-portal-links',
  `create table pmh_links (
     pmh_id text primary key,
     pmh_pseudonym text not null unique,
     linked_at timestamptz not null default now()
   );
   alter table subjects drop column portal_linked;
   grant select (pmh_id) on pmh_links to pmh_municipal;`,
);

/**
 * Eligibility at medical institutions (seed A④). `encryption_keys`: the hub's key pairs for PMH
 * linkage keys, shared by every hub process through the database; the private key is sealed with
 * the data key. A rotated-out key stays usable until `retires_at` (the overlap). `linkage_key_uses`:
 * the replay register — every linkage key id seen, kept until the key itself has expired.
 */
const linkageKeys = sqlMigration(
  'hub-005-linkage-keys',
  `create table encryption_keys (
     kid text primary key,
     private_jwk_enc text not null,
     public_jwk jsonb not null,
     created_at timestamptz not null default now(),
     retires_at timestamptz
   );
   create table linkage_key_uses (
     jti text primary key,
     expires_at timestamptz not null
   );
   create index linkage_key_uses_expires_at on linkage_key_uses (expires_at);`,
);

/**
 * One person, one subject per municipality: a second 宛名番号 for the same My Number in the same
 * municipality would show clinics both subjects' certificates. The registration worker refuses it
 * with a field error; the index makes PostgreSQL refuse it too. Should an older database hold such a
 * pair, the migration stops and says so: which subject stays is the municipality's decision.
 */
const oneSubjectPerPerson = sqlMigration(
  'hub-007-one-subject-per-person',
  `DO $$ BEGIN
     IF EXISTS (select 1 from subjects group by municipality_code, my_number_bidx having count(*) > 1) THEN
       RAISE EXCEPTION 'hub-007: some municipality registered one person (My Number) under two municipalityIdentityKeys; merge those subjects, then start again';
     END IF;
   END $$;
   create unique index subjects_one_per_person on subjects (municipality_code, my_number_bidx);`,
);

/** The hub's own migrations (buildService adds the common ones). */
export const hubOwnMigrations: Migration[] = [
  municipalRole,
  schema,
  rowLevelSecurity,
  portalLinks,
  linkageKeys,
  notificationsMigration,
  oneSubjectPerPerson,
  oneNamePerConcept,
  vaccinationMigration,
  questionnairesMigration,
  maternalChildMigration,
  clinicVaccinationMigration,
  claimsRemindersMigration,
  officersMigration,
  consolePagesMigration,
  institutionNamesMigration,
  scheduledJobsMigration,
  venueCheckupsMigration,
];

/** Every migration of the hub's database, for tools and tests that open it directly. */
export const hubMigrations: Migration[] = [...serviceMigrations, ...hubOwnMigrations];
