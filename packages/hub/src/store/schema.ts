import type { ColumnType, Generated, JSONColumnType, Kysely, SelectType, Transaction } from 'kysely';
import type { JWK } from 'jose';
import type { CheckupResultBody, MaxCopaymentAmount, QuestionnaireAnswer, RecordResult } from '@pmh/protocol';

/**
 * The hub's tables as TypeScript types (Kysely), written by hand from the migrations and checked
 * against the migrated schema by `test/schema.test.ts` on both backends: a column added, renamed or
 * retyped in a migration and not here (or here and not there) fails that test. `HUB_COLUMNS` below
 * says the same at run time; the compiler holds it to these interfaces.
 *
 * The common tables every service has (outbox, audit log, OAuth clients, migrations, epoch keys) are
 * core's, reached only through core's functions.
 */

/** `date`: read as YYYY-MM-DD (core sets the parser), written as the same text. */
type DateText = string;
/** `timestamptz`: read as a Date, written as a Date or RFC 3339 text. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `jsonb`: read parsed, written as JSON text. */
type Json<T extends object | null> = JSONColumnType<T, string, string>;
type DefaultJson<T extends object> = ColumnType<T, string | undefined, string>;

/** A subject: one person as one municipality registered them (seed A①). */
export interface SubjectsTable {
  id: Generated<string>;
  municipality_code: string;
  /** 宛名番号; null for a subject registered without one (the published API has none). */
  municipality_identity_key: string | null;
  /** AES-256-GCM, bound to the row; never stored in clear. */
  my_number_enc: string;
  /** Keyed HMAC of the My Number, for look-ups. */
  my_number_bidx: string;
  name: string;
  name_kana: string | null;
  address: string | null;
  date_of_birth: DateText;
  sex: string;
  is_not_disclosed: Generated<boolean>;
  pmh_id: string | null;
  pmh_id_status: Generated<'pending' | 'issued' | 'failed'>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** 制度マスタ: a subsidy programme of one municipality. */
export interface SubsidyProgramsTable {
  municipality_code: string;
  org_specific_certificate_type_id: string;
  certification_name: string;
  medical_subsidy_insurer_number: string;
  legal_basis_code: string;
  additional_condition_codes: DefaultJson<Array<{ code: string; name: string }>>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** One version (履歴) of a certificate (受給者証). */
export interface SubsidyCertificatesTable {
  id: Generated<string>;
  municipality_code: string;
  subject_id: string;
  org_specific_certificate_type_id: string;
  certification_sub_key: Generated<string>;
  history_key: string;
  certification_name: string;
  medical_subsidy_insurer_number: string;
  medical_subsidy_recipient_number: string | null;
  segment: string | null;
  income_segment: string | null;
  additional_conditions: DefaultJson<string[]>;
  designated_medical_institutions: DefaultJson<Array<{ institutionCode: string; name?: string | null }>>;
  is_always_reimbursement: boolean;
  max_copayment_amount: Json<MaxCopaymentAmount | null> | null;
  valid_from: DateText;
  valid_to: DateText;
  is_deleted: Generated<boolean>;
  certification_detail: DefaultJson<Array<{ label: string; value: string }>>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface RegistrationTasksTable {
  id: string;
  municipality_code: string;
  process: string;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  total: number;
  succeeded: Generated<number>;
  failed: Generated<number>;
  chunks: number;
  chunks_done: Generated<number>;
  client_id: string;
  idempotency_key: string | null;
  request_hash: string;
  created_at: DefaultTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface RegistrationTaskChunksTable {
  /** bigserial: read as text (core keeps int8 exact). */
  id: Generated<string>;
  task_id: string;
  municipality_code: string;
  chunk_no: number;
  first_index: number;
  record_count: number;
  /** The records, encrypted (they carry My Numbers); cleared once applied. */
  payload: string | null;
  done: Generated<boolean>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_error: string | null;
  results: Json<RecordResult[]> | null;
}

/** PMH pseudonym links (seed A③): one per person, made by the portal. */
export interface PmhLinksTable {
  pmh_id: string;
  pmh_pseudonym: string;
  linked_at: DefaultTimestamp;
}

/** The hub's key pairs for linkage keys; the private key sealed with the data key. */
export interface EncryptionKeysTable {
  kid: string;
  private_jwk_enc: string;
  public_jwk: Json<JWK>;
  created_at: DefaultTimestamp;
  retires_at: Timestamp | null;
}

/** The replay register: every linkage key id seen, until the key itself has expired. */
export interface LinkageKeyUsesTable {
  jti: string;
  expires_at: Timestamp;
}

export interface NotificationsTable {
  id: string;
  municipality_code: string;
  category: string;
  title: string;
  body: string;
  url: string | null;
  publish_at: Timestamp;
  target_count: number;
  client_id: string;
  idempotency_key: string | null;
  request_hash: string;
  created_at: DefaultTimestamp;
  /** set when the municipality cancelled it before publishAt (hub-016) */
  cancelled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface NotificationTargetsTable {
  id: Generated<string>;
  notification_id: string;
  municipality_code: string;
  subject_id: string;
  position: number;
  publish_at: Timestamp;
  state: Generated<'scheduled' | 'waiting' | 'queued' | 'delivered' | 'cancelled'>;
  delivered_at: Timestamp | null;
}

/** A subject registered for vaccination (modificationSeg "1"), or ended ("2"). */
export interface VaccinationEnrolmentsTable {
  subject_id: string;
  municipality_code: string;
  status: Generated<'registered' | 'ended'>;
  ended_reason: 'moved-out' | 'deceased' | 'mistaken' | null;
  ended_on: DateText | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  /** The day the retention purge removed the subject's records (migration hub-012). */
  purged_on: DateText | null;
}

/** A dose: the municipality's (keyed) or a clinic's. */
export interface VaccinationRecordsTable {
  id: string;
  municipality_code: string;
  subject_id: string;
  record_key: string | null;
  vaccine_code: string;
  dose_number: number;
  series: string | null;
  date: DateText;
  lot_number: string | null;
  institution_code: string | null;
  institution_name: string | null;
  source: 'municipal' | 'clinic';
  status: Generated<'recorded' | 'corrected' | 'cancelled'>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  product_name: string | null;
  product_code: string | null;
  expiration_date: DateText | null;
  /** 接種量 in µL (0.5 mL = 500). */
  dose_volume_ul: number | null;
  site: string | null;
  route: string | null;
  doctor_name: string | null;
  consent_id: string | null;
  assessment: Json<{ temperatureC: number; fit: boolean; doctorName: string }> | null;
  overrides: Json<Array<{ code: string; reason: string }>> | null;
  questionnaire_id: string | null;
  /** The day (Japan time) a clinic recorded it: the only day it may correct or cancel it. */
  recorded_on: DateText | null;
  version: Generated<number>;
  change_reason: string | null;
  idempotency_key: string | null;
}

/** An earlier version of a record, as it stood before a correction or cancellation replaced it. */
export interface VaccinationRecordVersionsTable {
  record_id: string;
  version: number;
  municipality_code: string;
  snapshot: Json<Record<string, unknown>>;
  replaced_at: DefaultTimestamp;
}

/** A voucher (接種券) issued. */
export interface VaccinationVouchersTable {
  id: string;
  municipality_code: string;
  subject_id: string;
  voucher_number: string;
  vaccine_code: string;
  dose_number: number;
  valid_to: DateText;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** A unit price per vaccine, from a day on. */
export interface VaccinationPricesTable {
  municipality_code: string;
  vaccine_code: string;
  valid_from: DateText;
  unit_price: number;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** The municipal records feed: one entry per dose written, with its writing transaction. */
export interface VaccinationFeedTable {
  seq: Generated<string>;
  municipality_code: string;
  record_id: string;
  xid: Generated<string>;
  created_at: DefaultTimestamp;
}

/** A questionnaire (予診票, 問診票) of one person, filled in beforehand. */
export interface QuestionnairesTable {
  id: string;
  pmh_id: string;
  process: 'vaccination' | 'maternal-child';
  template_id: string;
  vaccine_code: string | null;
  dose_number: number | null;
  checkup_kind: string | null;
  sequence: number | null;
  status: Generated<'draft' | 'submitted' | 'used'>;
  answers: DefaultJson<Record<string, QuestionnaireAnswer>>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  submitted_at: Timestamp | null;
  used_at: Timestamp | null;
  used_by: string | null;
}

/** A subject registered for maternal and child health (modificationSeg "1"), or ended ("2"). */
export interface MaternalChildEnrolmentsTable {
  subject_id: string;
  municipality_code: string;
  status: Generated<'registered' | 'ended'>;
  ended_reason: 'moved-out' | 'deceased' | 'mistaken' | null;
  ended_on: DateText | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** The pregnancy a subject's prenatal and postpartum checkups belong to. */
export interface MaternalChildPregnanciesTable {
  subject_id: string;
  municipality_code: string;
  expected_delivery_date: DateText;
  delivery_date: DateText | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** A checkup voucher (受診券) issued. */
export interface MaternalChildVouchersTable {
  id: string;
  municipality_code: string;
  subject_id: string;
  voucher_number: string;
  checkup_kind: string;
  sequence: number | null;
  valid_from: DateText;
  valid_to: DateText;
  subsidy_cap: number;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** A checkup result: the municipality's (keyed) or a venue's; how it was paid. */
export interface MaternalChildResultsTable {
  id: string;
  municipality_code: string;
  subject_id: string;
  result_key: string | null;
  checkup_kind: string;
  sequence: number | null;
  voucher_number: string | null;
  payment: 'voucher' | 'self-paid';
  self_paid_reason: string | null;
  date: DateText;
  institution_code: string;
  age_in_months: number | null;
  gestational_weeks: number | null;
  measurements: Json<CheckupResultBody['measurements']>;
  urine: Json<NonNullable<CheckupResultBody['urine']>> | null;
  edema: string | null;
  tests_done: Json<NonNullable<CheckupResultBody['testsDone']>> | null;
  findings: Json<CheckupResultBody['findings']>;
  judgement: 'healthy' | 'observe' | 'detailed-exam' | 'guidance';
  detailed_exam_date: DateText | null;
  source: 'municipal' | 'venue';
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  /** a venue's result (hub-019): the consent it was entered under, the 問診票 used, the client's Idempotency-Key */
  consent_id: string | null;
  questionnaire_id: string | null;
  idempotency_key: string | null;
}

/** The municipal results feed: one entry per result written, with its writing transaction. */
export interface MaternalChildFeedTable {
  seq: Generated<string>;
  municipality_code: string;
  result_id: string;
  xid: Generated<string>;
  created_at: DefaultTimestamp;
}

export interface HubDatabase {
  subjects: SubjectsTable;
  subsidy_programs: SubsidyProgramsTable;
  subsidy_certificates: SubsidyCertificatesTable;
  registration_tasks: RegistrationTasksTable;
  registration_task_chunks: RegistrationTaskChunksTable;
  pmh_links: PmhLinksTable;
  encryption_keys: EncryptionKeysTable;
  linkage_key_uses: LinkageKeyUsesTable;
  notifications: NotificationsTable;
  notification_targets: NotificationTargetsTable;
  vaccination_enrolments: VaccinationEnrolmentsTable;
  vaccination_records: VaccinationRecordsTable;
  vaccination_vouchers: VaccinationVouchersTable;
  vaccination_prices: VaccinationPricesTable;
  vaccination_feed: VaccinationFeedTable;
  vaccination_record_versions: VaccinationRecordVersionsTable;
  questionnaires: QuestionnairesTable;
  maternal_child_enrolments: MaternalChildEnrolmentsTable;
  maternal_child_pregnancies: MaternalChildPregnanciesTable;
  maternal_child_vouchers: MaternalChildVouchersTable;
  maternal_child_results: MaternalChildResultsTable;
  maternal_child_feed: MaternalChildFeedTable;
  vaccination_claims: VaccinationClaimsTable;
  vaccination_claim_doses: VaccinationClaimDosesTable;
  vaccination_reminder_settings: VaccinationReminderSettingsTable;
  vaccination_reminders: VaccinationRemindersTable;
  officers: OfficersTable;
  officer_sessions: OfficerSessionsTable;
  medical_institutions: MedicalInstitutionsTable;
  scheduled_jobs: ScheduledJobsTable;
}

/** A medical institution's name, loaded by the operator (migration hub-017). */
export interface MedicalInstitutionsTable {
  /** 医療機関コード */
  institution_code: string;
  name: string;
  updated_at: DefaultTimestamp;
}

/** A scheduled job's last run across hub processes (migration hub-018). */
export interface ScheduledJobsTable {
  name: string;
  started_at: Timestamp;
  started_by: string;
  runs: Generated<string>;
}

/** A municipal console officer (migration hub-015). */
export interface OfficersTable {
  municipality_code: string;
  login_id: string;
  role: 'read' | 'register' | 'notify' | 'admin';
  /** scrypt, parameters inside */
  password_hash: string;
  /** sealed with the data key, bound to the row */
  totp_secret_enc: string;
  /** bigint, read as text */
  totp_last_step: ColumnType<string, string | number | undefined, string | number>;
  failed_attempts: Generated<number>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** set while the officer is disabled (hub-016): no sign-in */
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** A console session, by its token's hash. */
export interface OfficerSessionsTable {
  token_hash: string;
  municipality_code: string;
  login_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

/** The hub's database, typed. */
export type HubDb = Kysely<HubDatabase>;
export type HubTrx = Transaction<HubDatabase>;

/** PostgreSQL's name of a column type, as information_schema.columns.data_type gives it. */
export type PgType = 'uuid' | 'text' | 'date' | 'timestamp with time zone' | 'jsonb' | 'boolean' | 'integer' | 'bigint';

/** What a column reads as in TypeScript, by its PostgreSQL type (core's parsers: date and bigint as text). */
type ReadAs<P extends PgType> = P extends 'boolean'
  ? boolean
  : P extends 'integer'
    ? number
    : P extends 'timestamp with time zone'
      ? Date
      : P extends 'jsonb'
        ? unknown
        : string;

/** A confirmed claim line (migration hub-012). */
export interface VaccinationClaimsTable {
  id: string;
  municipality_code: string;
  month: string;
  institution_code: string;
  vaccine_code: string;
  unit_price: number;
  price_valid_from: DateText;
  count: number;
  amount: string;
  status: Generated<'confirmed' | 'paid' | 'rejected'>;
  reason: string | null;
  confirmed_at: DefaultTimestamp;
  confirmed_by: string;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

/** The doses a confirmed claim line counted. */
export interface VaccinationClaimDosesTable {
  record_id: string;
  claim_id: string;
  municipality_code: string;
}

/** A municipality's reminder opt-in per vaccine. */
export interface VaccinationReminderSettingsTable {
  municipality_code: string;
  vaccine_code: string;
  enabled: boolean;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** A reminder sent, once per subject, vaccine, dose and occasion. */
export interface VaccinationRemindersTable {
  subject_id: string;
  municipality_code: string;
  vaccine_code: string;
  dose_number: number;
  occasion: Generated<string>;
  series: string | null;
  notification_id: string;
  due_on: DateText;
  created_at: DefaultTimestamp;
}

/**
 * One column at run time: its type, and whether it may be null. The compiler checks it against the
 * interface above: nullable exactly where the type admits null, and a type that reads as the
 * interface's type.
 */
type ColumnSpec<C> = (null extends SelectType<C> ? { nullable: true } : { nullable?: false }) & {
  type: { [P in PgType]: Exclude<SelectType<C>, null> extends ReadAs<P> ? P : never }[PgType];
};

/** Every table and column of `HubDatabase`, at run time (for the schema test). */
export type HubColumns = { [T in keyof HubDatabase]: { [C in keyof HubDatabase[T]]-?: ColumnSpec<HubDatabase[T][C]> } };

export const HUB_COLUMNS = {
  subjects: {
    id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    municipality_identity_key: { type: 'text', nullable: true },
    my_number_enc: { type: 'text' },
    my_number_bidx: { type: 'text' },
    name: { type: 'text' },
    name_kana: { type: 'text', nullable: true },
    address: { type: 'text', nullable: true },
    date_of_birth: { type: 'date' },
    sex: { type: 'text' },
    is_not_disclosed: { type: 'boolean' },
    pmh_id: { type: 'text', nullable: true },
    pmh_id_status: { type: 'text' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
  },
  subsidy_programs: {
    municipality_code: { type: 'text' },
    org_specific_certificate_type_id: { type: 'text' },
    certification_name: { type: 'text' },
    medical_subsidy_insurer_number: { type: 'text' },
    legal_basis_code: { type: 'text' },
    additional_condition_codes: { type: 'jsonb' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
  },
  subsidy_certificates: {
    id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    subject_id: { type: 'uuid' },
    org_specific_certificate_type_id: { type: 'text' },
    certification_sub_key: { type: 'text' },
    history_key: { type: 'text' },
    certification_name: { type: 'text' },
    medical_subsidy_insurer_number: { type: 'text' },
    medical_subsidy_recipient_number: { type: 'text', nullable: true },
    segment: { type: 'text', nullable: true },
    income_segment: { type: 'text', nullable: true },
    additional_conditions: { type: 'jsonb' },
    designated_medical_institutions: { type: 'jsonb' },
    is_always_reimbursement: { type: 'boolean' },
    max_copayment_amount: { type: 'jsonb', nullable: true },
    valid_from: { type: 'date' },
    valid_to: { type: 'date' },
    is_deleted: { type: 'boolean' },
    certification_detail: { type: 'jsonb' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
  },
  registration_tasks: {
    id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    process: { type: 'text' },
    status: { type: 'text' },
    total: { type: 'integer' },
    succeeded: { type: 'integer' },
    failed: { type: 'integer' },
    chunks: { type: 'integer' },
    chunks_done: { type: 'integer' },
    client_id: { type: 'text' },
    idempotency_key: { type: 'text', nullable: true },
    request_hash: { type: 'text' },
    created_at: { type: 'timestamp with time zone' },
    started_at: { type: 'timestamp with time zone', nullable: true },
    finished_at: { type: 'timestamp with time zone', nullable: true },
  },
  registration_task_chunks: {
    id: { type: 'bigint' },
    task_id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    chunk_no: { type: 'integer' },
    first_index: { type: 'integer' },
    record_count: { type: 'integer' },
    payload: { type: 'text', nullable: true },
    done: { type: 'boolean' },
    attempts: { type: 'integer' },
    next_attempt_at: { type: 'timestamp with time zone', nullable: true },
    last_error: { type: 'text', nullable: true },
    results: { type: 'jsonb', nullable: true },
  },
  pmh_links: {
    pmh_id: { type: 'text' },
    pmh_pseudonym: { type: 'text' },
    linked_at: { type: 'timestamp with time zone' },
  },
  encryption_keys: {
    kid: { type: 'text' },
    private_jwk_enc: { type: 'text' },
    public_jwk: { type: 'jsonb' },
    created_at: { type: 'timestamp with time zone' },
    retires_at: { type: 'timestamp with time zone', nullable: true },
  },
  linkage_key_uses: {
    jti: { type: 'text' },
    expires_at: { type: 'timestamp with time zone' },
  },
  notifications: {
    id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    category: { type: 'text' },
    title: { type: 'text' },
    body: { type: 'text' },
    url: { type: 'text', nullable: true },
    publish_at: { type: 'timestamp with time zone' },
    target_count: { type: 'integer' },
    client_id: { type: 'text' },
    idempotency_key: { type: 'text', nullable: true },
    request_hash: { type: 'text' },
    created_at: { type: 'timestamp with time zone' },
    cancelled_at: { type: 'timestamp with time zone', nullable: true },
  },
  notification_targets: {
    id: { type: 'uuid' },
    notification_id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    subject_id: { type: 'uuid' },
    position: { type: 'integer' },
    publish_at: { type: 'timestamp with time zone' },
    state: { type: 'text' },
    delivered_at: { type: 'timestamp with time zone', nullable: true },
  },
  vaccination_enrolments: {
    subject_id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    status: { type: 'text' },
    ended_reason: { type: 'text', nullable: true },
    ended_on: { type: 'date', nullable: true },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
    purged_on: { type: 'date', nullable: true },
  },
  vaccination_records: {
    id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    subject_id: { type: 'uuid' },
    record_key: { type: 'text', nullable: true },
    vaccine_code: { type: 'text' },
    dose_number: { type: 'integer' },
    series: { type: 'text', nullable: true },
    date: { type: 'date' },
    lot_number: { type: 'text', nullable: true },
    institution_code: { type: 'text', nullable: true },
    institution_name: { type: 'text', nullable: true },
    source: { type: 'text' },
    status: { type: 'text' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
    product_name: { type: 'text', nullable: true },
    product_code: { type: 'text', nullable: true },
    expiration_date: { type: 'date', nullable: true },
    dose_volume_ul: { type: 'integer', nullable: true },
    site: { type: 'text', nullable: true },
    route: { type: 'text', nullable: true },
    doctor_name: { type: 'text', nullable: true },
    consent_id: { type: 'uuid', nullable: true },
    assessment: { type: 'jsonb', nullable: true },
    overrides: { type: 'jsonb', nullable: true },
    questionnaire_id: { type: 'uuid', nullable: true },
    recorded_on: { type: 'date', nullable: true },
    version: { type: 'integer' },
    change_reason: { type: 'text', nullable: true },
    idempotency_key: { type: 'text', nullable: true },
  },
  vaccination_vouchers: {
    id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    subject_id: { type: 'uuid' },
    voucher_number: { type: 'text' },
    vaccine_code: { type: 'text' },
    dose_number: { type: 'integer' },
    valid_to: { type: 'date' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
  },
  vaccination_prices: {
    municipality_code: { type: 'text' },
    vaccine_code: { type: 'text' },
    valid_from: { type: 'date' },
    unit_price: { type: 'integer' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
  },
  vaccination_feed: {
    seq: { type: 'bigint' },
    municipality_code: { type: 'text' },
    record_id: { type: 'uuid' },
    xid: { type: 'bigint' },
    created_at: { type: 'timestamp with time zone' },
  },
  vaccination_record_versions: {
    record_id: { type: 'uuid' },
    version: { type: 'integer' },
    municipality_code: { type: 'text' },
    snapshot: { type: 'jsonb' },
    replaced_at: { type: 'timestamp with time zone' },
  },
  questionnaires: {
    id: { type: 'uuid' },
    pmh_id: { type: 'text' },
    process: { type: 'text' },
    template_id: { type: 'text' },
    vaccine_code: { type: 'text', nullable: true },
    dose_number: { type: 'integer', nullable: true },
    checkup_kind: { type: 'text', nullable: true },
    sequence: { type: 'integer', nullable: true },
    status: { type: 'text' },
    answers: { type: 'jsonb' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
    submitted_at: { type: 'timestamp with time zone', nullable: true },
    used_at: { type: 'timestamp with time zone', nullable: true },
    used_by: { type: 'text', nullable: true },
  },
  maternal_child_enrolments: {
    subject_id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    status: { type: 'text' },
    ended_reason: { type: 'text', nullable: true },
    ended_on: { type: 'date', nullable: true },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
  },
  maternal_child_pregnancies: {
    subject_id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    expected_delivery_date: { type: 'date' },
    delivery_date: { type: 'date', nullable: true },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
  },
  maternal_child_vouchers: {
    id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    subject_id: { type: 'uuid' },
    voucher_number: { type: 'text' },
    checkup_kind: { type: 'text' },
    sequence: { type: 'integer', nullable: true },
    valid_from: { type: 'date' },
    valid_to: { type: 'date' },
    subsidy_cap: { type: 'integer' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
  },
  maternal_child_results: {
    id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    subject_id: { type: 'uuid' },
    result_key: { type: 'text', nullable: true },
    checkup_kind: { type: 'text' },
    sequence: { type: 'integer', nullable: true },
    voucher_number: { type: 'text', nullable: true },
    payment: { type: 'text' },
    self_paid_reason: { type: 'text', nullable: true },
    date: { type: 'date' },
    institution_code: { type: 'text' },
    age_in_months: { type: 'integer', nullable: true },
    gestational_weeks: { type: 'integer', nullable: true },
    measurements: { type: 'jsonb' },
    urine: { type: 'jsonb', nullable: true },
    edema: { type: 'text', nullable: true },
    tests_done: { type: 'jsonb', nullable: true },
    findings: { type: 'jsonb' },
    judgement: { type: 'text' },
    detailed_exam_date: { type: 'date', nullable: true },
    source: { type: 'text' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
    consent_id: { type: 'uuid', nullable: true },
    questionnaire_id: { type: 'uuid', nullable: true },
    idempotency_key: { type: 'text', nullable: true },
  },
  maternal_child_feed: {
    seq: { type: 'bigint' },
    municipality_code: { type: 'text' },
    result_id: { type: 'uuid' },
    xid: { type: 'bigint' },
    created_at: { type: 'timestamp with time zone' },
  },
  vaccination_claims: {
    id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    month: { type: 'text' },
    institution_code: { type: 'text' },
    vaccine_code: { type: 'text' },
    unit_price: { type: 'integer' },
    price_valid_from: { type: 'date' },
    count: { type: 'integer' },
    amount: { type: 'bigint' },
    status: { type: 'text' },
    reason: { type: 'text', nullable: true },
    confirmed_at: { type: 'timestamp with time zone' },
    confirmed_by: { type: 'text' },
    decided_at: { type: 'timestamp with time zone', nullable: true },
    decided_by: { type: 'text', nullable: true },
  },
  vaccination_claim_doses: {
    record_id: { type: 'uuid' },
    claim_id: { type: 'uuid' },
    municipality_code: { type: 'text' },
  },
  vaccination_reminder_settings: {
    municipality_code: { type: 'text' },
    vaccine_code: { type: 'text' },
    enabled: { type: 'boolean' },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
  },
  vaccination_reminders: {
    subject_id: { type: 'uuid' },
    municipality_code: { type: 'text' },
    vaccine_code: { type: 'text' },
    dose_number: { type: 'integer' },
    occasion: { type: 'text' },
    series: { type: 'text', nullable: true },
    notification_id: { type: 'uuid' },
    due_on: { type: 'date' },
    created_at: { type: 'timestamp with time zone' },
  },
  officers: {
    municipality_code: { type: 'text' },
    login_id: { type: 'text' },
    role: { type: 'text' },
    password_hash: { type: 'text' },
    totp_secret_enc: { type: 'text' },
    totp_last_step: { type: 'bigint' },
    failed_attempts: { type: 'integer' },
    locked_until: { type: 'timestamp with time zone', nullable: true },
    created_at: { type: 'timestamp with time zone' },
    updated_at: { type: 'timestamp with time zone' },
    disabled_at: { type: 'timestamp with time zone', nullable: true },
  },
  officer_sessions: {
    token_hash: { type: 'text' },
    municipality_code: { type: 'text' },
    login_id: { type: 'text' },
    created_at: { type: 'timestamp with time zone' },
    last_seen_at: { type: 'timestamp with time zone' },
    expires_at: { type: 'timestamp with time zone' },
  },
  medical_institutions: {
    institution_code: { type: 'text' },
    name: { type: 'text' },
    updated_at: { type: 'timestamp with time zone' },
  },
  scheduled_jobs: {
    name: { type: 'text' },
    started_at: { type: 'timestamp with time zone' },
    started_by: { type: 'text' },
    runs: { type: 'bigint' },
  },
} as const satisfies HubColumns;
