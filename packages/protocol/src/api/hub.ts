import { Type } from 'typebox';
import { IdempotencyHeaders, ProblemSchema, errorResponses } from '../common.ts';
import { endpoint } from '../contract.ts';
import { EligibilityAnswer, HubEligibilityQuery, InstitutionCode } from '../eligibility.ts';
import { Accepted, HubPmhIds, HubPortalLinks, HubPortalLinksAck } from '../federation.ts';
import { LINKAGE_KEY_REFUSALS } from '../linkage-key.ts';
import {
  MAX_SEARCH_RESULTS,
  MAX_TASK_RECORDS,
  MedicalSubsidyProgram,
  MedicalSubsidyProgramView,
  MedicalSubsidyTask,
  OrgSpecificCertificateTypeIdParam,
  SubjectParams,
  SubjectQuery,
  SubjectSearch,
  SubjectSearchResult,
  SubjectView,
  TaskAccepted,
  TaskParams,
  TaskView,
} from '../municipal.ts';
import { MAX_SUBSIDY_CAP, MaternalChildTask, ResidentCheckups } from '../maternal-child-registration.ts';
import {
  MaternalChildClaims,
  MaternalChildClaimsQuery,
  MaternalChildFeed,
  MaternalChildFollowUps,
  MaternalChildListQuery,
} from '../maternal-child-municipal.ts';
import { NotificationAccepted, NotificationRequest, NotificationStatusView } from '../notifications.ts';
import {
  MunicipalAccessLog,
  MunicipalAccessLogQuery,
  NotificationList,
  NotificationListQuery,
  ProgramList,
  SubjectList,
  SubjectListQuery,
} from '../console.ts';
import { AccessLogQuery, ResidentAccessLog, ResidentParams, ResidentSubsidies, ResidentSubsidiesQuery } from '../resident.ts';
import {
  RegistrationFileAccepted,
  RegistrationFileCheck,
  RegistrationFileParams,
  RegistrationFileQuery,
  RegistrationFileRefused,
  RegistrationFileTemplateQuery,
} from '../registration-files.ts';
import { Text, Uuid } from '../text.ts';
import { ActingGuardianHeaders, Questionnaire, QuestionnaireCreate, QuestionnaireList, QuestionnaireParams, QuestionnaireUpdate } from '../questionnaire.ts';
import {
  CancelVaccination,
  ConsentAssertionHeaders,
  ConsentRefused,
  CorrectVaccination,
  DoseCheck,
  RecordVaccination,
  RecordedVaccination,
  NoDoseRecorded,
  RelayCheckups,
  RecordCheckupResult,
  RecordedCheckupResult,
  RelayQuestionnaires,
  RelayVaccinations,
  WarningsNotOverridden,
} from '../clinic-relay.ts';
import { PmhPseudonym } from '../federation.ts';
import { ResidentVaccinations, VaccinationCatalogue, VaccinationCatalogueQuery, VaccinationWarnings } from '../vaccination.ts';
import { ConsoleDashboard, ConsoleMe, ConsoleSignIn, NewOfficer, OfficerChange, OfficerIssued, OfficerList, OfficerParams } from '../console.ts';
import {
  MAX_VACCINATION_UNIT_PRICE,
  VaccinationPrice,
  VaccinationPriceList,
  VaccinationPriceParams,
  VaccinationPriceView,
  VaccinationPricesQuery,
  VaccinationFeed,
  FeedQuery,
  VaccinationRecordsQuery,
  VaccinationTask,
} from '../vaccination-registration.ts';
import {
  VaccinationClaimConfirmation,
  VaccinationClaimConfirmed,
  VaccinationClaimDecision,
  VaccinationClaimLine,
  VaccinationClaimParams,
  VaccinationClaims,
  VaccinationClaimsQuery,
  VaccinationReminderList,
  VaccinationReminderParams,
  VaccinationReminderSetting,
  VaccinationReminderView,
} from '../vaccination-claims.ts';

/**
 * The hub's API (PMH), as its callers and the hub itself both read it: one endpoint object per route
 * (see contract.ts), grouped by surface — who calls it.
 */

/** A refused linkage key: 403 `linkage-key-refused` with its `reason`. The role check's 403 has none. */
export const LinkageKeyRefused = Type.Object(
  {
    ...ProblemSchema.properties,
    reason: Type.Optional(Type.Enum([...LINKAGE_KEY_REFUSALS], { description: 'why the linkage key was refused' })),
  },
  { additionalProperties: true },
);

/** `GET /hub/v1/residents/{pmhPseudonym}/profile`. */
export const ResidentProfile = Type.Object({
  displayName: Text({ maxLength: 200, description: 'the name as registered (氏名)' }),
  dateOfBirth: Type.String({ format: 'date' }),
});

/** The hub's public encryption keys for linkage keys (RFC 7517 JWKS), the current key first. */
export const HubJwks = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) });

export const EncryptionKeyRotation = Type.Optional(
  Type.Object(
    { overlapSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86400, description: 'how long the current keys stay usable; default 3,600' })) },
    { additionalProperties: false },
  ),
);
/** `POST /admin/v1/medical-institutions`: names of medical institutions, for the resident's access log. */
export const MedicalInstitutionNames = Type.Object(
  {
    institutions: Type.Array(
      Type.Object(
        {
          institutionCode: InstitutionCode,
          // Not blank: a name of spaces alone would show as nothing at all.
          name: Type.String({
            ...Text({ minLength: 1, maxLength: 200, description: '医療機関名 (the institution’s name as residents know it)' }),
            pattern: '\\S',
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10_000, description: 'added, or renamed when the code is already held; a code twice: the last wins' },
    ),
  },
  { additionalProperties: false },
);
export const MedicalInstitutionNamesStored = Type.Object({ stored: Type.Integer({ description: 'institutions added or renamed' }) });

export const EncryptionKeyRotated = Type.Object({
  kid: Type.String(),
  retired: Type.Array(Type.Object({ kid: Type.String(), retiresAt: Type.String({ format: 'date-time' }) })),
});

// --- Municipal (`/municipal/v1`, role municipality:<code>) --------------------------------

export const hubMunicipalApi = {
  putProgram: endpoint({
    method: 'PUT',
    path: '/municipal/v1/medical-subsidy/programs/:orgSpecificCertificateTypeId',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'Define or update a subsidy programme (制度マスタ)',
    description:
      'The payer number’s check digit is verified and its first two digits must be the 法別番号 (legalBasisCode); no word of it may hold a ' +
      'My Number (422 naming the field). 201 when created, 200 when updated.',
    params: OrgSpecificCertificateTypeIdParam,
    body: MedicalSubsidyProgram,
    responses: { 200: MedicalSubsidyProgramView, 201: MedicalSubsidyProgramView, ...errorResponses, 422: ProblemSchema },
  }),
  listPrograms: endpoint({
    method: 'GET',
    path: '/municipal/v1/medical-subsidy/programs',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'This municipality’s subsidy programmes (制度マスタ)',
    responses: { 200: ProgramList, ...errorResponses },
  }),
  getProgram: endpoint({
    method: 'GET',
    path: '/municipal/v1/medical-subsidy/programs/:orgSpecificCertificateTypeId',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'Read a subsidy programme',
    params: OrgSpecificCertificateTypeIdParam,
    responses: { 200: MedicalSubsidyProgramView, ...errorResponses },
  }),
  registerMedicalSubsidy: endpoint({
    method: 'POST',
    path: '/municipal/v1/medical-subsidy/registration-tasks',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'Register medical-subsidy recipients and their certificates (a task, applied asynchronously)',
    description:
      `An array of 1 to ${MAX_TASK_RECORDS.toLocaleString('en-US')} records of the published PMH 医療費助成対象者情報登録API (v0.1.1); more answer 413. ` +
      'The task is accepted whole (202, with its Location) and applied in the background: each record is validated in full — its shape and ' +
      'its meaning (check digits, the programme, the dates) together — and applied whole or not at all, so a bad record fails alone. ' +
      'GET /municipal/v1/registration-tasks/{taskId} reports each record’s outcome and errors. A record without `municipalityIdentityKey` ' +
      '(as published) is applied to the subject of the same My Number in this municipality, or makes a new subject without a key. ' +
      '`Idempotency-Key`: the same key and body answer the first task; the same key with another body is a 409.',
    headers: IdempotencyHeaders,
    body: MedicalSubsidyTask,
    responses: { 202: TaskAccepted, ...errorResponses, 409: ProblemSchema, 413: ProblemSchema },
  }),
  registerVaccination: endpoint({
    method: 'POST',
    path: '/municipal/v1/vaccination/registration-tasks',
    callers: ['municipality:*'],
    tags: ['municipal', 'vaccination'],
    summary: 'Register vaccination subjects, their past doses and vouchers, or end a registration (a task, applied asynchronously)',
    description:
      `An array of 1 to ${MAX_TASK_RECORDS.toLocaleString('en-US')} records, shaped like the published PMH municipal checkup-subject API; more answer 413. ` +
      'A record with `modificationSeg` "1" registers the person (one subject per person per municipality, found by 宛名番号 or My Number) for ' +
      'vaccination, or updates them, with the doses the municipality already knows (`vaccinationRecords`, by `recordKey`) and the vouchers it ' +
      'issued (`vouchers`, by `voucherNumber`; its 市町村コード digits must be this municipality’s). A record with `modificationSeg` "2" ends the ' +
      'registration: what was entered is kept for the retention period and no longer shown to clinics. Each record is validated in full and ' +
      'applied whole or not at all; GET /municipal/v1/registration-tasks/{taskId} reports each one’s outcome and errors (JSON pointers into the ' +
      'task). A new subject gets its PMH-ID from the ID server. Re-sending a record changes nothing. `Idempotency-Key`: the same key and body ' +
      'answer the first task; the same key with another body is a 409.',
    headers: IdempotencyHeaders,
    body: VaccinationTask,
    responses: { 202: TaskAccepted, ...errorResponses, 409: ProblemSchema, 413: ProblemSchema },
  }),
  registerMaternalChild: endpoint({
    method: 'POST',
    path: '/municipal/v1/maternal-child/registration-tasks',
    callers: ['municipality:*'],
    tags: ['municipal', 'maternal-child'],
    summary:
      'Register pregnant women and children for maternal and child health, their vouchers (受診券) and the results the municipality holds, or end a registration (a task)',
    description:
      `An array of 1 to ${MAX_TASK_RECORDS.toLocaleString('en-US')} records, shaped like the published PMH municipal checkup-subject API; more answer 413. ` +
      'A record with `modificationSeg` "1" registers the person (one subject per person per municipality, found by 宛名番号 or My Number) or ' +
      'updates them, with the pregnancy (`pregnancy`: the due date, and the delivery once known), the vouchers issued (`vouchers`, by ' +
      '`voucherNumber`: a prenatal voucher names its `sequence` 1–14, a postpartum one may name 1–2, a child’s none; `subsidyCap` in yen, at ' +
      `most ${MAX_SUBSIDY_CAP.toLocaleString('en-US')}) and the results the municipality holds itself (\`checkupResults\`, by \`resultKey\`): each checked as ` +
      'the standard forms have it — what the checkup kind records, measurements plausible for the age, dates agreeing with the birth or ' +
      'the delivery. Items the national standard leaves out of electronic records as too sensitive (smoking, drinking, sexually ' +
      'transmitted infections, miscarriage, stillbirth) have no field and are refused by name. A result naming a voucher of the person is ' +
      'paid with it (a voucher pays once: a second use fails, naming the field); otherwise it is recorded as self-paid. A record with ' +
      '`modificationSeg` "2" ends the registration; what was entered is kept for the retention period. Each record is validated in full ' +
      'and applied whole or not at all; GET /municipal/v1/registration-tasks/{taskId} reports each one’s outcome and errors. A new ' +
      'subject gets its PMH-ID from the ID server. `Idempotency-Key` as for the other registration tasks.',
    headers: IdempotencyHeaders,
    body: MaternalChildTask,
    responses: { 202: TaskAccepted, ...errorResponses, 409: ProblemSchema, 413: ProblemSchema },
  }),
  maternalChildResults: endpoint({
    method: 'GET',
    path: '/municipal/v1/maternal-child/results',
    callers: ['municipality:*'],
    tags: ['municipal', 'maternal-child'],
    summary: 'Every checkup result entered for this municipality’s subjects (by venues and by the municipality), oldest first, each once: a cursor feed',
    description:
      'The same feed as GET /municipal/v1/vaccination/records: start with no `since` (or "0") and pass each answer’s `nextCursor` as the ' +
      'next `since`; an empty `items` with the same cursor means nothing new yet; a result appears once its transaction has committed and ' +
      'every transaction begun before it has ended, so the feed never skips nor repeats an entry; a result changed later appears again, ' +
      'as it then stands. Each item says how the checkup was paid (`payment`: voucher or self-paid, with the reason). `Accept: text/csv` ' +
      'answers the same page as CSV (measurements and urine a column each; `Next-Cursor` in a response header), in UTF-8 or, with ' +
      '`charset=shift_jis`, in Shift_JIS (Windows-31J).',
    querystring: FeedQuery,
    responses: { 200: MaternalChildFeed, ...errorResponses },
  }),
  maternalChildFollowUps: endpoint({
    method: 'GET',
    path: '/municipal/v1/maternal-child/follow-ups',
    callers: ['municipality:*'],
    tags: ['municipal', 'maternal-child'],
    summary: 'Children judged 要精査 (detailed-exam) whose detailed exam is not yet recorded: the follow-up list',
    description:
      'A child’s checkup result judged `detailed-exam` is listed until the detailed exam is recorded: its 精密検査受診日 (`detailedExamDate`) ' +
      'on that result (the municipality re-registers the result with it, or the venue enters it), or on a later result of the same child ' +
      '(a checkup on or after the day of the one that asked for it, stating the exam’s date). Children only (the infant checkups); a ' +
      'child whose maternal-child registration has ended (moved out, deceased) is not listed. Oldest checkup first. `Accept: text/csv` ' +
      'answers CSV (`charset=shift_jis` for legacy systems). Audited.',
    querystring: MaternalChildListQuery,
    responses: { 200: MaternalChildFollowUps, ...errorResponses },
  }),
  maternalChildClaims: endpoint({
    method: 'GET',
    path: '/municipal/v1/maternal-child/claims',
    callers: ['municipality:*'],
    tags: ['municipal', 'maternal-child'],
    summary: 'Checkup claims of a month: the checkups paid with this municipality’s vouchers, per venue and voucher kind, each capped by its voucher’s subsidy',
    description:
      '`month` (YYYY-MM, required; anything else is a 400 naming `/query/month`). Every checkup result of that month paid with a voucher ' +
      '(`payment` voucher) this municipality issued, wherever it was held; a self-paid checkup is not claimed. A line per venue ' +
      '(`institutionCode`), checkup kind, sequence and subsidy cap; each use of a voucher is paid its cap (`subsidyCap`), the most the ' +
      'voucher pays — the hub holds no fee charged. Counted when asked (a read; not confirmed or stored as vaccination claims are). ' +
      '`Accept: text/csv` answers CSV (`charset=shift_jis` for legacy systems). Audited.',
    querystring: MaternalChildClaimsQuery,
    responses: { 200: MaternalChildClaims, ...errorResponses },
  }),
  putVaccinationPrice: endpoint({
    method: 'PUT',
    path: '/municipal/v1/vaccination/prices/:vaccineCode',
    callers: ['municipality:*'],
    tags: ['municipal', 'vaccination'],
    summary: 'Set the unit price (委託料単価) of a vaccine from a day on, for claims',
    description:
      `Integer yen, at most ${MAX_VACCINATION_UNIT_PRICE.toLocaleString('en-US')}. Prices are versioned by \`validFrom\`: a new day adds a version ` +
      '(201), the same day replaces that version’s price (200). A claim uses the version in force on the day of the dose.',
    params: VaccinationPriceParams,
    body: VaccinationPrice,
    responses: { 200: VaccinationPriceView, 201: VaccinationPriceView, ...errorResponses },
  }),
  listVaccinationPrices: endpoint({
    method: 'GET',
    path: '/municipal/v1/vaccination/prices',
    callers: ['municipality:*'],
    tags: ['municipal', 'vaccination'],
    summary: 'This municipality’s unit prices per vaccine, every version (or the one in force on asOf)',
    querystring: VaccinationPricesQuery,
    responses: { 200: VaccinationPriceList, ...errorResponses },
  }),
  vaccinationRecords: endpoint({
    method: 'GET',
    path: '/municipal/v1/vaccination/records',
    callers: ['municipality:*'],
    tags: ['municipal', 'vaccination'],
    summary: 'Every dose entered for this municipality’s subjects (by clinics and by the municipality), oldest first, each once: a cursor feed',
    description:
      'Start with no `since` (or "0") and pass each answer’s `nextCursor` as the next `since`; an empty `items` with the same cursor means ' +
      'nothing new yet. A dose written while the feed is read appears once its transaction has committed and every transaction begun before ' +
      'it has ended, so the feed never skips nor repeats an entry; a dose changed later (a correction) appears again, as it then stands. ' +
      '`Accept: text/csv` answers the same page as CSV (RFC 4180, a header row; `Next-Cursor` in a response header), in UTF-8 or, with ' +
      '`charset=shift_jis`, in Shift_JIS (Windows-31J), where a character it has no code for becomes "?".',
    querystring: VaccinationRecordsQuery,
    responses: { 200: VaccinationFeed, ...errorResponses },
  }),
  registerFile: endpoint({
    method: 'POST',
    path: '/municipal/v1/:process/registration-files',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'Register from a CSV file exported from the municipality’s own system (one task), or check it with dryRun=true',
    description:
      'The body is the file (`Content-Type: text/csv`, with `charset=Shift_JIS` or `utf-8`, or no charset: a BOM or valid UTF-8 is read as ' +
      'UTF-8, anything else as Shift_JIS / Windows-31J). The first line holds the headings, as in the template ' +
      '(GET …/registration-files/template): Japanese headings or the column ids, in any order. Dates may be Western (2025-04-01, 2025/4/1, ' +
      '20250401) or Japanese-era (令和7年4月1日, R7.4.1, 5070401); full-width digits, letters and half-width kana are read as the JSON task ' +
      'reads them. The file is read as it streams, never whole. Every row is checked (schema and meaning together, as the task’s records are): ' +
      '`dryRun=true` answers 200 with every error, by line and column, and writes nothing; otherwise a file with any error is refused whole ' +
      '(422, the same list, nothing written) and a clean one becomes one registration task (202; follow it at ' +
      'GET /municipal/v1/registration-tasks/{taskId}, whose record indexes count the file’s records from 0). With `Accept: text/csv`, the ' +
      'errors of a dry run come as CSV (line, column, message), in Shift_JIS with `charset=shift_jis`. Characters outside JIS (外字 in the ' +
      'private-use area) and bytes that are not text in the file’s encoding are errors of their cell. `Idempotency-Key` as for tasks.',
    params: RegistrationFileParams,
    querystring: RegistrationFileQuery,
    headers: IdempotencyHeaders,
    consumes: ['text/csv'],
    responses: {
      200: RegistrationFileCheck,
      202: RegistrationFileAccepted,
      ...errorResponses,
      409: ProblemSchema,
      413: ProblemSchema,
      415: ProblemSchema,
      422: RegistrationFileRefused,
    },
  }),
  registrationFileTemplate: endpoint({
    method: 'GET',
    path: '/municipal/v1/:process/registration-files/template',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'The CSV template of a registration file: the headings (Japanese), optionally an example row',
    description: 'UTF-8 with a BOM (Excel opens it as UTF-8) by default, or Shift_JIS with `charset=shift_jis`.',
    params: RegistrationFileParams,
    querystring: RegistrationFileTemplateQuery,
    responses: { 200: Type.String({ description: 'text/csv' }), ...errorResponses },
  }),
  vaccinationClaims: endpoint({
    method: 'GET',
    path: '/municipal/v1/vaccination/claims',
    callers: ['municipality:*'],
    tags: ['municipal', 'vaccination'],
    summary: 'Claims of a month: the doses clinics gave this municipality’s subjects, per institution and vaccine, × the unit price',
    description:
      '`month` (YYYY-MM, required; anything else is a 400 naming `/query/month`). Every dose a clinic recorded for a subject of this ' +
      'municipality in that month, wherever it was given: a cancelled dose is not counted, a corrected one once. A line per institution, ' +
      'vaccine and unit price (the price version in force on the day of each dose: a price change within the month makes two lines). ' +
      'A dose with no price in force counts in a line with `unitPrice` and `amount` null and `missingPrice` true. Lines are `draft` until ' +
      'the month is confirmed (POST …/claims/confirmations), which fixes them as `confirmed` lines (a snapshot); doses recorded later for ' +
      'that month make new draft lines. `Accept: text/csv` answers CSV (`charset=shift_jis` for legacy systems), as the records feed does.',
    querystring: VaccinationClaimsQuery,
    responses: { 200: VaccinationClaims, ...errorResponses },
  }),
  confirmVaccinationClaims: endpoint({
    method: 'POST',
    path: '/municipal/v1/vaccination/claims/confirmations',
    callers: ['municipality:*'],
    tags: ['municipal', 'vaccination'],
    summary: 'Confirm a month’s draft claim lines: each becomes a confirmed line that never changes',
    description:
      'Every draft line of the month becomes a confirmed line holding exactly the doses counted now (201). Nothing left to confirm: 200 ' +
      'with `confirmed` empty — confirming again is harmless. A draft line without a unit price (`missingPrice`) refuses the whole ' +
      'confirmation (409 `missing-price` naming the vaccines; nothing is confirmed): set the price first. Audited.',
    body: VaccinationClaimConfirmation,
    responses: { 200: VaccinationClaimConfirmed, 201: VaccinationClaimConfirmed, ...errorResponses, 409: ProblemSchema },
  }),
  decideVaccinationClaim: endpoint({
    method: 'PUT',
    path: '/municipal/v1/vaccination/claims/:claimId/status',
    callers: ['municipality:*'],
    tags: ['municipal', 'vaccination'],
    summary: 'Mark a confirmed claim line paid or rejected',
    description:
      'confirmed → paid or confirmed → rejected (200 with the line). The same decision again answers the line unchanged; any other ' +
      'transition (paid → rejected, rejected → paid) is a 409 `claim-transition`. 404 for a line that is not this municipality’s. Audited.',
    params: VaccinationClaimParams,
    body: VaccinationClaimDecision,
    responses: { 200: VaccinationClaimLine, ...errorResponses, 409: ProblemSchema },
  }),
  putVaccinationReminder: endpoint({
    method: 'PUT',
    path: '/municipal/v1/vaccination/reminders/:vaccineCode',
    callers: ['municipality:*'],
    tags: ['municipal', 'vaccination'],
    summary: 'Opt in (or out) of reminders for a vaccine: a notification to the portal when a dose falls due',
    description:
      'When enabled, the hub’s daily job sends each linked subject of this municipality one notification per dose of this vaccine that ' +
      'has become due (forecast status `due`), through the notification outbox; never twice for the same dose. 201 when the vaccine is ' +
      'set for the first time, 200 after. Audited.',
    params: VaccinationReminderParams,
    body: VaccinationReminderSetting,
    responses: { 200: VaccinationReminderView, 201: VaccinationReminderView, ...errorResponses },
  }),
  listVaccinationReminders: endpoint({
    method: 'GET',
    path: '/municipal/v1/vaccination/reminders',
    callers: ['municipality:*'],
    tags: ['municipal', 'vaccination'],
    summary: 'This municipality’s reminder settings per vaccine',
    responses: { 200: VaccinationReminderList, ...errorResponses },
  }),
  getTask: endpoint({
    method: 'GET',
    path: '/municipal/v1/registration-tasks/:taskId',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'A registration task of any process (medical-subsidy, vaccination): status, counts and per-record results',
    description:
      '`Accept: text/csv` answers the errors of the records that failed as CSV (index, outcome, pointer, message), in Shift_JIS with ' + '`charset=shift_jis`.',
    params: TaskParams,
    querystring: Type.Object(
      { charset: Type.Optional(Type.Enum(['utf-8', 'shift_jis'], { description: 'CSV only: the encoding (default utf-8)' })) },
      { additionalProperties: false },
    ),
    responses: { 200: TaskView, ...errorResponses },
  }),
  listSubjects: endpoint({
    method: 'GET',
    path: '/municipal/v1/subjects',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'This municipality’s subjects (対象者一覧), filtered by 宛名番号, kana name, birth date, status and process, a page at a time',
    description:
      'Ordered by 宛名番号; `nextCursor` leads to the next page. `kana` matches the start of the name in kana, whatever its width and ' +
      'whether written in hiragana or katakana, spaces ignored. Never a My Number nor a PMH-ID. Audited (one row per page, naming ' +
      'the subjects listed).',
    querystring: SubjectListQuery,
    responses: { 200: SubjectList, ...errorResponses },
  }),
  getSubject: endpoint({
    method: 'GET',
    path: '/municipal/v1/subjects/:municipalityIdentityKey',
    callers: ['municipality:*', 'admin'],
    tags: ['municipal'],
    summary: 'One subject with its PMH-ID issuance and portal-link status',
    description:
      'The PMH-ID itself is shown to admin callers only. An admin caller is never shown the address of a subject under DV support measures (isNotDisclosed). ' +
      'Every read is audited.',
    params: SubjectParams,
    querystring: SubjectQuery,
    responses: { 200: SubjectView, ...errorResponses },
  }),
  searchSubjects: endpoint({
    method: 'POST',
    path: '/municipal/v1/subjects/search',
    callers: ['municipality:*', 'admin'],
    tags: ['municipal'],
    summary: 'Find subjects of this municipality by My Number, 宛名番号, or name in katakana (and date of birth)',
    description:
      'The question travels in the body, so a My Number is never in a URL (nor in a log line). By My Number: the subject of that person in ' +
      `this municipality, through the blind index (a subject registered without a 宛名番号 is found so). By name: at most ${MAX_SEARCH_RESULTS} ` +
      'subjects, oldest first. Views as GET /municipal/v1/subjects/{municipalityIdentityKey}; every search is audited, for each subject found.',
    querystring: SubjectQuery,
    body: SubjectSearch,
    responses: { 200: SubjectSearchResult, ...errorResponses, 422: ProblemSchema },
  }),
  sendNotification: endpoint({
    method: 'POST',
    path: '/municipal/v1/notifications',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'Send a notification (お知らせ) to subjects of this municipality, through the portal',
    description:
      'Each target must be a subject this municipality registered (422 naming every one that is not; nothing is stored). ' +
      'The hub delivers it to the portal once per target: at `publishAt` (now when absent), or later, when the person ' +
      'is linked to the portal. A title, body or URL that contains a My Number is refused. `Idempotency-Key`: the ' +
      'same key and body answer the first notification; the same key with another body is a 409.',
    headers: IdempotencyHeaders,
    body: NotificationRequest,
    responses: { 202: NotificationAccepted, ...errorResponses, 409: ProblemSchema, 422: ProblemSchema },
  }),
  listNotifications: endpoint({
    method: 'GET',
    path: '/municipal/v1/notifications',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'This municipality’s notifications, newest first, with their targets counted by state',
    querystring: NotificationListQuery,
    responses: { 200: NotificationList, ...errorResponses },
  }),
  cancelNotification: endpoint({
    method: 'POST',
    path: '/municipal/v1/notifications/:notificationId/cancel',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'Cancel a scheduled notification before its publishAt: none of its targets is delivered',
    description:
      'Only while the notification is still scheduled (publishAt ahead): 200 with its status, every target `cancelled`. Cancelling it ' +
      'again answers the same. Once published (publishAt reached) it cannot be cancelled: 409 `already-published`. Audited.',
    params: Type.Object({ notificationId: Uuid('the notification') }),
    responses: { 200: NotificationStatusView, ...errorResponses, 409: ProblemSchema },
  }),
  accessLog: endpoint({
    method: 'GET',
    path: '/municipal/v1/access-log',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: 'Who looked at our residents’ data: the audit trail of this municipality’s subjects, newest first',
    description:
      'Every audited read or write that names a subject of this municipality: which institution, municipality, officer or operator, ' +
      'what, when and for which 宛名番号. Filter by day (`from`, `to`, Japan time), `actorKind` and `subjectKey`; page with `before`. ' +
      '`Accept: text/csv` answers the page as CSV (`charset=shift_jis` for legacy systems). For console officers, 閲覧 and 管理 only. ' +
      'Each read is itself audited.',
    querystring: MunicipalAccessLogQuery,
    responses: { 200: MunicipalAccessLog, ...errorResponses },
  }),
  getNotification: endpoint({
    method: 'GET',
    path: '/municipal/v1/notifications/:notificationId',
    callers: ['municipality:*'],
    tags: ['municipal'],
    summary: "A notification's delivery status, per target",
    description: 'Only the municipality that sent it may read it.',
    params: Type.Object({ notificationId: Uuid('the notification') }),
    responses: { 200: NotificationStatusView, ...errorResponses },
  }),
} as const;

// --- Counterparts (`/hub/v1`, roles idserver, portal, oqs) ----------------------------------

export const hubCounterpartApi = {
  receivePortalLinks: endpoint({
    method: 'POST',
    path: '/hub/v1/portal-links',
    callers: ['portal'],
    tags: ['counterparts'],
    summary: 'PMH pseudonym links from the portal (seed A③); each is acknowledged',
    description:
      'A link is `linked` when stored or already stored with the same pair, `conflict` when the PMH-ID or the PMH pseudonym is bound to another. The portal deletes the PMH-ID only after `linked`.',
    body: HubPortalLinks,
    responses: { 200: HubPortalLinksAck, ...errorResponses },
  }),
  receivePmhIds: endpoint({
    method: 'POST',
    path: '/hub/v1/pmh-ids',
    callers: ['idserver'],
    tags: ['counterparts'],
    summary: 'PMH-IDs issued asynchronously by the ID server',
    body: HubPmhIds,
    responses: { 200: Accepted, ...errorResponses },
  }),
  queryEligibility: endpoint({
    method: 'POST',
    path: '/hub/v1/eligibility/queries',
    callers: ['oqs'],
    tags: ['counterparts'],
    summary: 'Medical-subsidy eligibility of the person behind a one-time PMH linkage key (seed A④)',
    description:
      'The linkage key is a compact JWE (ECDH-ES+A256KW, A256GCM) to one of the keys of `/hub/v1/jwks.json`, with `iss` = the calling ' +
      'client, `aud` = this hub, a unique `jti` and `exp` at most 60 s after `iat`; its payload carries `pmhId`. A key is good for one ' +
      `query. A refused key answers 403 with \`reason\` one of ${LINKAGE_KEY_REFUSALS.map((r) => `\`${r}\``).join(', ')}. ` +
      'The answer lists every certificate valid at `asOf` across all municipalities, never a PMH-ID or a My Number.',
    body: HubEligibilityQuery,
    responses: { 200: EligibilityAnswer, ...errorResponses, 403: LinkageKeyRefused },
  }),
} as const;

// --- Residents, through the portal (`/hub/v1/residents/{pmhPseudonym}/…`, role portal) -----

export const hubResidentApi = {
  subsidies: endpoint({
    method: 'GET',
    path: '/hub/v1/residents/:pmhPseudonym/subsidies',
    callers: ['portal'],
    tags: ['counterparts'],
    summary: "A resident's medical-subsidy certificates (受給者証) from every municipality, as in force at asOf",
    description:
      'One entry per certificate (programme + 受給者証サブキー of one municipality): the version in force at `asOf` (`current`), or else the ' +
      'latest one (`future` or `expired`), with every version as `history`. Withdrawn versions never count as in force. `subjects` lists ' +
      'the person as each municipality registered them; `address` is null for a subject under DV support measures. 404 `not-linked` ' +
      'when no person is linked to the PMH pseudonym.',
    params: ResidentParams,
    querystring: ResidentSubsidiesQuery,
    headers: ActingGuardianHeaders,
    responses: { 200: ResidentSubsidies, ...errorResponses },
  }),
  vaccinations: endpoint({
    method: 'GET',
    path: '/hub/v1/residents/:pmhPseudonym/vaccinations',
    callers: ['portal'],
    tags: ['counterparts'],
    summary: "A resident's vaccination records from every municipality, and their routine schedule (forecast) today",
    description:
      "Every dose recorded for any of the person's subjects (in every municipality, an ended registration's too: the resident always sees " +
      'their own), oldest first, cancelled ones marked. The forecast is computed at today (Japan time) from the date of birth and the ' +
      'doses not cancelled, by the routine schedule (予防接種実施規則 / 定期接種実施要領). 404 `not-linked` when no person is linked to the ' +
      'PMH pseudonym.',
    params: ResidentParams,
    headers: ActingGuardianHeaders,
    responses: { 200: ResidentVaccinations, ...errorResponses },
  }),
  checkups: endpoint({
    method: 'GET',
    path: '/hub/v1/residents/:pmhPseudonym/checkups',
    callers: ['portal'],
    tags: ['counterparts', 'maternal-child'],
    summary: "A resident's checkup vouchers (受診券) and results from every municipality, and a child's growth chart",
    description:
      "Every voucher issued to any of the person's subjects (in every municipality, an ended registration's too), unused ones first " +
      '(soonest to end first), then used, then expired (as of today in Japan); every checkup result, newest first. For a child under 6, ' +
      'or one with measurements, `growth` holds the height and weight charts: the national percentile curves (令和5年乳幼児身体発育調査) ' +
      'and each measurement with its age and band. 404 `not-linked` when no person is linked to the PMH pseudonym.',
    params: ResidentParams,
    headers: ActingGuardianHeaders,
    responses: { 200: ResidentCheckups, ...errorResponses },
  }),
  accessLog: endpoint({
    method: 'GET',
    path: '/hub/v1/residents/:pmhPseudonym/access-log',
    callers: ['portal'],
    tags: ['counterparts'],
    summary: "Who accessed a resident's data at the hub: each read or write, newest first",
    description:
      "From the hub's audit log: every entry about any of the person's subjects (in every municipality) or their PMH-ID, except the " +
      "resident's own views. The actor is named by kind and, for a medical institution or a municipality, its code; details are never " +
      'shown. Page with `before` = the previous answer’s `nextBefore`.',
    params: ResidentParams,
    querystring: AccessLogQuery,
    headers: ActingGuardianHeaders,
    responses: { 200: ResidentAccessLog, ...errorResponses },
  }),
  profile: endpoint({
    method: 'GET',
    path: '/hub/v1/residents/:pmhPseudonym/profile',
    callers: ['portal'],
    tags: ['counterparts'],
    summary: "The name a resident is shown by (to a guardian's person switcher) and their date of birth",
    description:
      'The name and date of birth as the municipality that registered the person first has them. Audited like every resident read. ' +
      '404 `not-linked` when no person is linked to the PMH pseudonym.',
    params: ResidentParams,
    headers: ActingGuardianHeaders,
    responses: { 200: ResidentProfile, ...errorResponses },
  }),
  questionnaires: endpoint({
    method: 'GET',
    path: '/hub/v1/residents/:pmhPseudonym/questionnaires',
    callers: ['portal'],
    tags: ['counterparts', 'questionnaires'],
    summary: "A resident's questionnaires (予診票, 問診票), newest first, with their items and answers",
    description: '404 `not-linked` when no person is linked to the PMH pseudonym.',
    params: ResidentParams,
    headers: ActingGuardianHeaders,
    responses: { 200: QuestionnaireList, ...errorResponses },
  }),
  createQuestionnaire: endpoint({
    method: 'POST',
    path: '/hub/v1/residents/:pmhPseudonym/questionnaires',
    callers: ['portal'],
    tags: ['counterparts', 'questionnaires'],
    summary: 'A draft questionnaire from the template of a vaccine’s dose or a checkup kind',
    description:
      '201 with a new draft; 200 with the open (draft or submitted) questionnaire of the same template when the person has one. A vaccine, ' +
      'checkup kind, dose or sequence no template exists for is a 422 naming the field. 404 `not-linked` when no person is linked.',
    params: ResidentParams,
    headers: ActingGuardianHeaders,
    body: QuestionnaireCreate,
    responses: { 200: Questionnaire, 201: Questionnaire, ...errorResponses, 422: ProblemSchema },
  }),
  updateQuestionnaire: endpoint({
    method: 'PUT',
    path: '/hub/v1/residents/:pmhPseudonym/questionnaires/:questionnaireId',
    callers: ['portal'],
    tags: ['counterparts', 'questionnaires'],
    summary: 'Change the answers of a questionnaire, and submit it',
    description:
      'Each answer is checked against its item (type, bounds, options, a follow-up only after its answer); errors name `/answers/<itemId>` ' +
      '(422) and nothing is stored. `submit: true` submits it: every item required beforehand must be answered. A submitted one can be ' +
      'changed until it is used (it stays complete); a used one cannot (409 `questionnaire-used`). Another person’s questionnaire is not found (404).',
    params: Type.Object({ ...ResidentParams.properties, ...QuestionnaireParams.properties }),
    headers: ActingGuardianHeaders,
    body: QuestionnaireUpdate,
    responses: { 200: Questionnaire, ...errorResponses, 409: ProblemSchema, 422: ProblemSchema },
  }),
} as const;

// --- A clinic's access, relayed by the portal (`/hub/v1/residents/{pmhPseudonym}/relay/…`, role portal + Consent-Assertion) ---

const RelayRecordParams = Type.Object({ pmhPseudonym: PmhPseudonym, recordId: Uuid('the vaccination record') });

const ASSERTION =
  'Needs `Consent-Assertion`: a JWT (ES256, `typ` consent+jwt) signed with a key the calling portal client registered, with `iss` = that ' +
  'client, `aud` = this hub, `sub` = the path’s PMH pseudonym, `exp` at most 10 minutes after `iat`, and `institution`, `process`, `scope` ' +
  '(space-separated) and `consent_id`. Verified on every call: 403 `consent-assertion-refused` with `reason` invalid | subject | scope | ' +
  'institution, or 403 `consent-expired`. Audited with the institution as actor (`institution:<code>`) and the consent id, so the ' +
  'person’s access log shows the institution. 404 `not-linked` when no person is linked to the PMH pseudonym.';

export const hubRelayApi = {
  vaccinations: endpoint({
    method: 'GET',
    path: '/hub/v1/residents/:pmhPseudonym/relay/vaccinations',
    callers: ['portal'],
    tags: ['counterparts', 'vaccination'],
    summary: 'For a clinic with consent (scope vaccination.read): the person, their doses and their schedule today',
    description: 'Doses of registrations the municipality ended (modificationSeg "2") are not shown to clinics, nor counted in the forecast. ' + ASSERTION,
    params: ResidentParams,
    headers: ConsentAssertionHeaders,
    responses: { 200: RelayVaccinations, ...errorResponses, 403: ConsentRefused },
  }),
  checkDose: endpoint({
    method: 'POST',
    path: '/hub/v1/residents/:pmhPseudonym/relay/vaccinations/checks',
    callers: ['portal'],
    tags: ['counterparts', 'vaccination'],
    summary: 'For a clinic with consent (scope vaccination.read or vaccination.write): the warnings of a planned dose',
    description: ASSERTION,
    params: ResidentParams,
    headers: ConsentAssertionHeaders,
    body: DoseCheck,
    responses: { 200: VaccinationWarnings, ...errorResponses, 403: ConsentRefused },
  }),
  recordVaccination: endpoint({
    method: 'POST',
    path: '/hub/v1/residents/:pmhPseudonym/relay/vaccinations',
    callers: ['portal'],
    tags: ['counterparts', 'vaccination'],
    summary: 'For a clinic with consent (scope vaccination.write): record a dose given (201), or no dose (200), or 409 { warnings }',
    description:
      'As POST /portal/v1/relay/{consentId}/vaccinations. The record, the questionnaire marked used and the audit row commit together; a 409 ' +
      'or 422 writes nothing. `Idempotency-Key` (per institution): a retry answers the first record. ' +
      ASSERTION,
    params: ResidentParams,
    headers: ConsentAssertionHeaders,
    body: RecordVaccination,
    responses: { 200: NoDoseRecorded, 201: RecordedVaccination, ...errorResponses, 403: ConsentRefused, 409: WarningsNotOverridden, 422: ProblemSchema },
  }),
  correctVaccination: endpoint({
    method: 'PUT',
    path: '/hub/v1/residents/:pmhPseudonym/relay/vaccinations/:recordId',
    callers: ['portal'],
    tags: ['counterparts', 'vaccination'],
    summary: 'For a clinic with consent (scope vaccination.write): a same-day correction of a dose it recorded',
    description: 'The earlier version is kept; 409 `correction-closed` after the day of recording (Japan time). ' + ASSERTION,
    params: RelayRecordParams,
    headers: ConsentAssertionHeaders,
    body: CorrectVaccination,
    responses: { 200: RecordedVaccination, ...errorResponses, 403: ConsentRefused, 409: WarningsNotOverridden, 422: ProblemSchema },
  }),
  cancelVaccination: endpoint({
    method: 'DELETE',
    path: '/hub/v1/residents/:pmhPseudonym/relay/vaccinations/:recordId',
    callers: ['portal'],
    tags: ['counterparts', 'vaccination'],
    summary: 'For a clinic with consent (scope vaccination.write): a same-day cancellation of a dose it recorded',
    description: 'The earlier version is kept; 409 `correction-closed` after the day of recording (Japan time). ' + ASSERTION,
    params: RelayRecordParams,
    headers: ConsentAssertionHeaders,
    body: CancelVaccination,
    responses: { 200: RecordedVaccination, ...errorResponses, 403: ConsentRefused, 409: ProblemSchema },
  }),
  questionnaires: endpoint({
    method: 'GET',
    path: '/hub/v1/residents/:pmhPseudonym/relay/questionnaires',
    callers: ['portal'],
    tags: ['counterparts'],
    summary: 'For a clinic with consent (scope questionnaire.read): the person’s submitted and used questionnaires',
    description: ASSERTION,
    params: ResidentParams,
    headers: ConsentAssertionHeaders,
    responses: { 200: RelayQuestionnaires, ...errorResponses, 403: ConsentRefused },
  }),
  checkups: endpoint({
    method: 'GET',
    path: '/hub/v1/residents/:pmhPseudonym/relay/checkups',
    callers: ['portal'],
    tags: ['counterparts'],
    summary: 'For a clinic with consent (scope checkup.read): the person, their checkup vouchers, results and a child’s growth chart',
    description: ASSERTION,
    params: ResidentParams,
    headers: ConsentAssertionHeaders,
    responses: { 200: RelayCheckups, ...errorResponses, 403: ConsentRefused },
  }),
  recordCheckupResult: endpoint({
    method: 'POST',
    path: '/hub/v1/residents/:pmhPseudonym/relay/checkup-results',
    callers: ['portal'],
    tags: ['counterparts'],
    summary: 'For a venue with consent (scope checkup.write): record a checkup result (201), paid with its voucher or self-paid',
    description:
      'As POST /portal/v1/relay/{consentId}/checkup-results. Checked as the municipal registration checks a result (422 naming the field); ' +
      'paid with the voucher it names when that voucher is the person’s and pays for this checkup on this day, else self-paid with the ' +
      'reason; a voucher already used is 409 `voucher-used`. The result, the questionnaire marked used and the audit row commit together. ' +
      '`Idempotency-Key` (per institution): a retry answers the first result. ' +
      ASSERTION,
    params: ResidentParams,
    headers: ConsentAssertionHeaders,
    body: RecordCheckupResult,
    responses: { 201: RecordedCheckupResult, ...errorResponses, 403: ConsentRefused, 409: ProblemSchema, 422: ProblemSchema },
  }),
} as const;

// --- Public (no token) ---------------------------------------------------------------------

export const hubPublicApi = {
  jwks: endpoint({
    method: 'GET',
    path: '/hub/v1/jwks.json',
    callers: 'public',
    tags: ['counterparts'],
    summary: "The hub's public encryption keys for PMH linkage keys (JWKS); the current key comes first",
    description: 'Keys being rotated out stay listed (and usable) until their overlap ends. Public; cacheable for a minute.',
    responses: { 200: HubJwks },
  }),
  vaccinationCatalogue: endpoint({
    method: 'GET',
    path: '/hub/v1/vaccination/catalogue',
    callers: 'public',
    tags: ['vaccination'],
    summary: 'Routine vaccines (定期接種) and their schedules',
    description:
      'Every routine vaccine in force on `asOf` (default: today in Japan), and those whose start is announced for later, with each schedule ' +
      '(series) and its number of doses. `live`/`route` of a vaccine are those of its first schedule (live: any schedule live); each schedule ' +
      'carries its own. Public: no token.',
    querystring: VaccinationCatalogueQuery,
    responses: { 200: VaccinationCatalogue, 400: ProblemSchema },
  }),
} as const;

// --- Operators (`/admin/v1`, role admin) ----------------------------------------------------

export const hubAdminApi = {
  rotateEncryptionKey: endpoint({
    method: 'POST',
    path: '/admin/v1/encryption-keys/rotate',
    callers: ['admin'],
    tags: ['operators'],
    summary: 'Adds a new linkage-key encryption key; the current ones stay usable for the overlap',
    body: EncryptionKeyRotation,
    responses: { 200: EncryptionKeyRotated, ...errorResponses },
  }),
  putMedicalInstitutions: endpoint({
    method: 'POST',
    path: '/admin/v1/medical-institutions',
    callers: ['admin'],
    tags: ['operators'],
    summary: 'Names medical institutions (医療機関コード → name), so a resident’s access log shows names',
    description:
      'Adds each institution, or renames one already held; the list is stored whole or not at all. An institution the hub has no name for ' +
      'is shown by its code. `pmh institutions load <file>` calls this with a JSON file of the same shape (or the demo’s clinics.json).',
    body: MedicalInstitutionNames,
    responses: { 200: MedicalInstitutionNamesStored, ...errorResponses },
  }),
} as const;

// --- The municipal console (`/console/v1`, an officer's session cookie) ----------------------------

const CONSOLE_WRITE = 'Refused (403 `csrf`) without the `X-Requested-With` header, which a cross-site form cannot send.';

export const hubConsoleApi = {
  signIn: endpoint({
    method: 'POST',
    path: '/console/v1/sessions',
    callers: 'public',
    tags: ['console'],
    summary: 'An officer signs in with password and TOTP code: a session cookie',
    description:
      'A wrong login id, password or code answers the same 401 `sign-in-failed`, saying nothing of which was wrong. After 5 failures in a ' +
      'row the account is locked for 15 minutes: 429 `try-later`, whatever is sent. The session is the `pmh_console` cookie (HttpOnly, ' +
      'SameSite=Strict, Path=/); it ends after 30 minutes idle or 8 hours at most, and at sign-out. A code is good once.',
    body: ConsoleSignIn,
    responses: { 201: ConsoleMe, ...errorResponses, 429: ProblemSchema },
  }),
  signOut: endpoint({
    method: 'DELETE',
    path: '/console/v1/sessions/current',
    callers: 'public',
    tags: ['console'],
    summary: 'Sign out: the session ends and its cookie is cleared',
    description: `Answers 204 also when there was no live session. ${CONSOLE_WRITE}`,
    responses: { 204: Type.Null({ description: 'signed out' }), 403: ProblemSchema },
  }),
  me: endpoint({
    method: 'GET',
    path: '/console/v1/me',
    callers: 'public',
    tags: ['console'],
    summary: 'The signed-in officer: municipality, login id and role',
    responses: { 200: ConsoleMe, ...errorResponses },
  }),
  dashboard: endpoint({
    method: 'GET',
    path: '/console/v1/dashboard',
    callers: 'public',
    tags: ['console'],
    summary: 'The municipality’s figures: subjects per process, PMH-IDs, portal links, tasks',
    responses: { 200: ConsoleDashboard, ...errorResponses },
  }),
  listOfficers: endpoint({
    method: 'GET',
    path: '/console/v1/officers',
    callers: 'public',
    tags: ['console'],
    summary: 'The municipality’s officers (管理 only)',
    responses: { 200: OfficerList, ...errorResponses },
  }),
  createOfficer: endpoint({
    method: 'POST',
    path: '/console/v1/officers',
    callers: 'public',
    tags: ['console'],
    summary: 'Adds an officer (管理 only); the TOTP secret is answered once',
    description: `409 when the login id is taken. ${CONSOLE_WRITE}`,
    body: NewOfficer,
    responses: { 201: OfficerIssued, ...errorResponses, 409: ProblemSchema },
  }),
  updateOfficer: endpoint({
    method: 'PUT',
    path: '/console/v1/officers/:loginId',
    callers: 'public',
    tags: ['console'],
    summary: 'Changes an officer’s role, resets the password or TOTP secret, lifts a lock-out, or disables / enables the officer (管理 only)',
    description:
      'A password or TOTP reset, a role change or disabling ends the officer’s sessions; a disabled officer’s sign-in answers as a wrong ' +
      `factor would. An officer cannot disable their own account (409 \`own-account\`). ${CONSOLE_WRITE}`,
    params: OfficerParams,
    body: OfficerChange,
    responses: { 200: OfficerIssued, ...errorResponses, 409: ProblemSchema },
  }),
} as const;

/** Every endpoint of the hub, by surface. */
export const hubApi = {
  municipal: hubMunicipalApi,
  counterpart: hubCounterpartApi,
  residents: hubResidentApi,
  relay: hubRelayApi,
  public: hubPublicApi,
  admin: hubAdminApi,
  console: hubConsoleApi,
} as const;
