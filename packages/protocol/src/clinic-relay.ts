import { Type, type Static } from 'typebox';
import { ProblemSchema } from './common.ts';
import { Base64url, InstitutionCode } from './eligibility.ts';
import { CardSerial } from './federation.ts';
import { CheckupResult, CheckupResultBody } from './maternal-child.ts';
import { ResidentCheckups } from './maternal-child-registration.ts';
import { Questionnaire } from './questionnaire.ts';
import { DateIn, Text, Uuid } from './text.ts';
import { VaccinationForecast, VaccinationRecord, VaccinationRoute, VaccinationWarning, VaccinationWarningCode, VaccineCode } from './vaccination.ts';

/**
 * The clinic relay (医療機関用アプリ, seed B⑤): a medical institution's app, a client of the portal
 * (role `clinic:<institutionCode>`), reads and writes a person's vaccination data through the
 * portal after the person presented their card and agreed to scopes on the app's screen. The portal
 * grants a consent of minutes bound to the institution and the card holder, and relays each call to
 * the hub by the person's PMH pseudonym with a consent assertion it signs (`Consent-Assertion`). The
 * app never sees a PMH-ID, a PMH pseudonym or a My Number.
 */

// --- Consent (portal) --------------------------------------------------------------------------

/** What a person can agree to show or let a clinic write (the contract's five scopes). */
export const CONSENT_SCOPES = ['vaccination.read', 'vaccination.write', 'questionnaire.read', 'checkup.read', 'checkup.write'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export const ConsentScopeSchema = Type.Enum([...CONSENT_SCOPES], {
  description:
    'vaccination.read: 接種履歴・スケジュール; vaccination.write: 接種記録の登録・当日の訂正; questionnaire.read: 予診票・問診票; checkup.read / checkup.write: 健診',
});

/** `POST /portal/v1/consent-challenges` (role clinic:*): a challenge for the card, for this institution only. */
export const ConsentChallenge = Type.Object({
  challenge: Type.String({ description: 'sign this string (UTF-8) with the card: ES256, r ‖ s, base64url; single use, 60 s, this institution only' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

/** `POST /portal/v1/consents` (role clinic:*). */
export const ConsentRequest = Type.Object(
  {
    cardAuthentication: Type.Object(
      {
        cardSerial: CardSerial,
        challenge: Base64url({ description: 'from POST /portal/v1/consent-challenges, by this institution; single use' }),
        signature: Base64url({ description: 'ES256 over the challenge (UTF-8), r ‖ s, base64url' }),
      },
      { additionalProperties: false },
    ),
    scopes: Type.Array(ConsentScopeSchema, { minItems: 1, maxItems: 5, uniqueItems: true, description: 'what the person agreed to on the app’s screen' }),
  },
  { additionalProperties: false },
);
export type ConsentRequest = Static<typeof ConsentRequest>;

export const ConsentGranted = Type.Object({
  consentId: Uuid('the consent: the path of every relay call'),
  scopes: Type.Array(ConsentScopeSchema),
  expiresAt: Type.String({ format: 'date-time', description: 'minutes from now; afterwards the relay answers 403 consent-expired' }),
});
export type ConsentGranted = Static<typeof ConsentGranted>;

export const RelayParams = Type.Object({ consentId: Uuid('from POST /portal/v1/consents') });
export const RelayRecordParams = Type.Object({ consentId: Uuid('from POST /portal/v1/consents'), recordId: Uuid('the vaccination record') });

// --- The person and their vaccinations, as a clinic sees them --------------------------------------

/** The person as the clinic needs to recognise them: never an identifier. */
export const RelayPerson = Type.Object({
  displayName: Type.String({ description: '氏名, as the municipality registered it' }),
  dateOfBirth: Type.String({ format: 'date', description: '生年月日' }),
  sex: Type.String({ description: 'ISO 5218: "1" male, "2" female, "0" unknown, "9" not applicable' }),
});

/** `GET /portal/v1/relay/{consentId}/vaccinations` (and the hub's relay answer). */
export const RelayVaccinations = Type.Object({
  person: RelayPerson,
  records: Type.Array(VaccinationRecord, { description: 'oldest first; a registration the municipality ended (modificationSeg "2") is not shown' }),
  forecast: VaccinationForecast,
});
export type RelayVaccinations = Static<typeof RelayVaccinations>;

const ServiceDate = (description: string) => DateIn('service', description);

/** `POST …/vaccinations/checks`: the dose the doctor plans, checked against the schedule and the history. */
export const DoseCheck = Type.Object(
  {
    vaccineCode: VaccineCode,
    doseNumber: Type.Integer({ minimum: 1, maximum: 20 }),
    series: Type.Optional(Text({ minLength: 1, maxLength: 32, description: 'the schedule or product (see the catalogue), when the vaccine has several' })),
    date: ServiceDate('接種日 (planned)'),
    lotNumber: Type.Optional(Text({ minLength: 1, maxLength: 20, description: 'ロット番号 (GS1 AI 10)' })),
    expirationDate: Type.Optional(ServiceDate('有効期限 of the lot (GS1 AI 17)')),
  },
  { additionalProperties: false },
);
export type DoseCheck = Static<typeof DoseCheck>;

/** A record as the clinic enters it: the contract's record without recordId, source and status. */
export const ClinicVaccinationRecord = Type.Object(
  {
    vaccineCode: VaccineCode,
    doseNumber: Type.Integer({ minimum: 1, maximum: 20 }),
    series: Type.Optional(Text({ minLength: 1, maxLength: 32, description: 'the schedule or product (see the catalogue)' })),
    date: ServiceDate('接種日: today or earlier'),
    productName: Type.Optional(Text({ minLength: 1, maxLength: 200, description: 'ワクチン名 (product)' })),
    productCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{9,14}$', maxLength: 14, description: 'HOT13 / YJ / GTIN (GS1 AI 01) of the product' })),
    lotNumber: Text({ minLength: 1, maxLength: 20, description: 'ロット番号 (GS1 AI 10)' }),
    expirationDate: Type.Optional(ServiceDate('有効期限 of the lot (GS1 AI 17)')),
    doseVolumeMl: Type.Optional(Type.Number({ minimum: 0.001, maximum: 10, description: '接種量 (mL), in whole microlitres' })),
    site: Type.Optional(Text({ minLength: 1, maxLength: 100, description: '接種部位 (e.g. 左上腕)' })),
    route: Type.Optional(VaccinationRoute),
    institutionCode: Type.Optional(InstitutionCode),
    doctorName: Type.Optional(Text({ minLength: 1, maxLength: 100, description: '医師名; the assessment’s doctor when absent' })),
  },
  { additionalProperties: false },
);
export type ClinicVaccinationRecord = Static<typeof ClinicVaccinationRecord>;

/** The doctor's examination before the dose (予診): a fever or "unfit" records no dose. */
export const Assessment = Type.Object(
  {
    temperatureC: Type.Number({ minimum: 30, maximum: 45, description: '体温 (℃); 37.5 or more: 明らかな発熱, no dose (予防接種実施規則 第6条)' }),
    fit: Type.Boolean({ description: '医師の判断: 接種可 (true) / 見合わせる (false)' }),
    doctorName: Text({ minLength: 1, maxLength: 100, description: '予診を行った医師名' }),
  },
  { additionalProperties: false },
);

/** A warning the doctor saw and decided to go ahead despite, with why. */
export const WarningOverride = Type.Object(
  {
    code: VaccinationWarningCode,
    reason: Text({ minLength: 1, maxLength: 500, description: 'why the dose is given despite the warning (required, not blank)' }),
  },
  { additionalProperties: false },
);

/** `POST /portal/v1/relay/{consentId}/vaccinations`. */
export const RecordVaccination = Type.Object(
  {
    questionnaireId: Type.Optional(Uuid('the person’s submitted 予診票 for this dose: marked used with the record')),
    assessment: Assessment,
    record: ClinicVaccinationRecord,
    overrides: Type.Optional(Type.Array(WarningOverride, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type RecordVaccination = Static<typeof RecordVaccination>;

/** `PUT …/vaccinations/{recordId}`: a same-day correction by the institution that recorded the dose. */
export const CorrectVaccination = Type.Object(
  {
    record: ClinicVaccinationRecord,
    reason: Text({ minLength: 1, maxLength: 500, description: '訂正の理由' }),
    overrides: Type.Optional(Type.Array(WarningOverride, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type CorrectVaccination = Static<typeof CorrectVaccination>;

/** `DELETE …/vaccinations/{recordId}`: a same-day cancellation (the dose was not given, or entered for the wrong person). */
export const CancelVaccination = Type.Object({ reason: Text({ minLength: 1, maxLength: 500, description: '取消の理由' }) }, { additionalProperties: false });
export type CancelVaccination = Static<typeof CancelVaccination>;

/** A record written by a clinic: the contract's record, with its version and what was overridden. */
export const RecordedVaccination = Type.Object({
  ...VaccinationRecord.properties,
  recorded: Type.Literal(true, { description: 'a dose was recorded' }),
  version: Type.Integer({ minimum: 1, description: '1 when recorded; each same-day correction or the cancellation adds one (the earlier versions are kept)' }),
  overrides: Type.Array(WarningOverride, { description: 'the warnings the doctor overrode, with the reasons' }),
});
export type RecordedVaccination = Static<typeof RecordedVaccination>;

/** `fit: false` or a fever: no dose is recorded (200, not 201). */
export const NoDoseRecorded = Type.Object({
  recorded: Type.Literal(false),
  reason: Type.Enum(['fever', 'unfit'], { description: 'fever: 37.5 ℃ or more; unfit: the doctor decided not to vaccinate today' }),
  message: Type.String({ description: 'plain Japanese for the screen' }),
});
export type NoDoseRecorded = Static<typeof NoDoseRecorded>;

/**
 * 409 `warnings-not-overridden`: a warning is not overridden (with a non-empty reason); nothing was
 * written. The other 409s of a write (`correction-closed`, `record-cancelled`) carry no warnings.
 */
export const WarningsNotOverridden = Type.Object(
  {
    ...ProblemSchema.properties,
    warnings: Type.Optional(
      Type.Array(VaccinationWarning, { description: 'every warning (`warnings-not-overridden`); each must be overridden to record. Absent on the other 409s' }),
    ),
  },
  { additionalProperties: true },
);

/** `GET /portal/v1/relay/{consentId}/questionnaires`: the person's submitted and used questionnaires (drafts are the person's own), as the resident sees them. */
export const RelayQuestionnaire = Questionnaire;
export const RelayQuestionnaires = Type.Array(Questionnaire, { description: 'newest first; submitted and used ones only' });

/**
 * `GET /portal/v1/relay/{consentId}/checkups`: the person (as a venue recognises them), their vouchers,
 * results and — for a child — the growth chart, as the person sees them (`GET /portal/v1/me/checkups`).
 */
export const RelayCheckups = Type.Object({
  person: Type.Optional({ ...RelayPerson, description: 'the person the checkups are of; absent when no municipality registered them' }),
  ...ResidentCheckups.properties,
});
export type RelayCheckups = Static<typeof RelayCheckups>;

// --- A checkup result entered at a venue (seed C⑤) -----------------------------------------------

/**
 * `POST /portal/v1/relay/{consentId}/checkup-results`: a checkup result as the venue enters it — the
 * contract's result without resultId and source. `institutionCode` is the consent's (when given, it
 * must be); `questionnaireId` names the person's submitted 問診票 for this checkup, marked used with
 * the result.
 */
export const RecordCheckupResult = Type.Object(
  {
    ...CheckupResultBody.properties,
    institutionCode: Type.Optional(InstitutionCode),
    questionnaireId: Type.Optional(Uuid('the person’s submitted 問診票 for this checkup kind: marked used with the result')),
  },
  { additionalProperties: false },
);
export type RecordCheckupResult = Static<typeof RecordCheckupResult>;

/** Why a checkup was not paid with a voucher (the family pays: 自費). */
export const SELF_PAID_REASONS = ['no-voucher', 'unknown-voucher', 'other-checkup', 'not-yet-valid', 'expired', 'after-delivery', 'before-delivery'] as const;

/** The result as stored (`source` "venue"), with how it was paid and the warnings the venue should see. */
export const RecordedCheckupResult = Type.Object({
  ...CheckupResult.properties,
  payment: Type.Enum(['voucher', 'self-paid'], { description: 'voucher: the voucher named paid (used now); self-paid: no valid voucher, the family pays' }),
  selfPaidReason: Type.Optional(
    Type.Enum([...SELF_PAID_REASONS], {
      description:
        'no-voucher (none named), unknown-voucher (not this person’s), other-checkup (another kind or sequence), not-yet-valid, expired, after-delivery, before-delivery',
    }),
  ),
  subsidyCap: Type.Optional(Type.Integer({ minimum: 0, description: '助成上限額 of the voucher used' })),
  warnings: Type.Array(
    Type.Object({
      code: Type.Enum(['outside-target-window', 'gestational-weeks-differ']),
      pointer: Type.String(),
      message: Type.String(),
    }),
    { description: 'stored anyway: a checkup outside its target window, gestational weeks off the due date' },
  ),
});
export type RecordedCheckupResult = Static<typeof RecordedCheckupResult>;

// --- The hub's side: the consent assertion ------------------------------------------------------

/** The header the portal adds when it acts for a clinic. */
export const CONSENT_ASSERTION_HEADER = 'consent-assertion';

/**
 * The consent assertion's claims (a JWT, ES256, signed with the portal's client key registered at the
 * hub; header `typ: consent+jwt`): `iss` = the portal's client id, `aud` = the hub's public URL,
 * `sub` = the person's PMH pseudonym (the path's), `jti` unique, `iat`, `exp` at most 10 minutes
 * after `iat` and never after the consent ends, and these.
 */
export interface ConsentAssertionClaims {
  /** 医療機関コード of the institution the consent is bound to. */
  institution: string;
  /** The process (事務): `vaccination` or `maternal-child`. */
  process: 'vaccination' | 'maternal-child';
  /** The scopes granted, space-separated (RFC 8693 style). */
  scope: string;
  /** The portal's consent id (audited with every access). */
  consent_id: string;
}
export const CONSENT_ASSERTION_TYP = 'consent+jwt';
/** The longest an assertion may live (`exp` − `iat`). */
export const MAX_CONSENT_ASSERTION_SECONDS = 600;

export const ConsentAssertionHeaders = Type.Object(
  {
    'consent-assertion': Type.String({
      minLength: 1,
      maxLength: 4096,
      pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
      description: 'the portal’s consent assertion (JWT, ES256): institution, process, scope, consent_id, a short exp',
    }),
    'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x20-\\x7E]+$' })),
  },
  { additionalProperties: true },
);

/** 403 of the hub's relay: the assertion refused, expired, or without the scope. */
export const ConsentRefused = Type.Object(
  {
    ...ProblemSchema.properties,
    reason: Type.Optional(
      Type.Enum(['invalid', 'expired', 'scope', 'subject', 'institution'], {
        description:
          'invalid: not a consent assertion of the portal; expired; scope: not granted for this call; subject: another person; institution: another institution’s record',
      }),
    ),
  },
  { additionalProperties: true },
);
