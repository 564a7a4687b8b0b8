import { Type, type Static } from 'typebox';
import { CardSerial, PmhPseudonym } from './federation.ts';
import { Base64url } from './eligibility.ts';
import { CertificationDetailItems, MaxCopaymentAmount } from './municipal.ts';
import { DateIn } from './text.ts';

/**
 * The resident's own view (seed A③ B③ C③): what the hub holds about a person, merged across every
 * municipality that registered them, and who looked at it. The hub answers the portal by PMH pseudonym
 * (`/hub/v1/residents/{pmhPseudonym}/…`, role portal); the portal relays to the logged-in resident
 * (`/portal/v1/me/…`). Never a PMH-ID or a My Number in any of these.
 */

const IsoDate = (description: string) => Type.String({ format: 'date', description });
const NullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

// --- Hub: /hub/v1/residents/{pmhPseudonym}/… (role portal) ---------------------------------

export const ResidentParams = Type.Object({ pmhPseudonym: PmhPseudonym });

export const ResidentSubsidiesQuery = Type.Object(
  { asOf: Type.Optional(DateIn('service', '基準日: the certificates are shown as in force on this day; today (Japan time) when absent')) },
  { additionalProperties: false },
);

/** The person as one municipality registered them (基本4情報). */
export const ResidentSubject = Type.Object({
  municipalityCode: Type.String({ description: '地方公共団体コード of the registering municipality' }),
  name: Type.String({ description: '氏名' }),
  nameKana: NullableString('氏名カナ'),
  dateOfBirth: IsoDate('生年月日'),
  address: NullableString('住所; null when the municipality registered none, or when the person is under DV support measures (isNotDisclosed)'),
});

/** One stored version (履歴) of a certificate. */
export const ResidentCertificateVersion = Type.Object({
  historyKey: Type.String({ description: '履歴キー' }),
  validFrom: IsoDate('有効開始日'),
  validTo: IsoDate('有効終了日'),
  isDeleted: Type.Boolean({ description: 'withdrawn by the municipality (削除): never counts as valid' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** A digital 受給者証: one certificate (programme + 資格サブキー) of one municipality, as in force at asOf. */
export const ResidentCertificate = Type.Object({
  id: Type.String({ format: 'uuid', description: 'stable reference of the certificate (its first version)' }),
  municipalityCode: Type.String({ description: '地方公共団体コード of the issuing municipality' }),
  certificationName: Type.String({ description: '受給者証名 (the certificate’s name)' }),
  medicalSubsidyInsurerNumber: Type.String({ description: '公費負担者番号' }),
  medicalSubsidyRecipientNumber: NullableString('公費受給者番号'),
  validFrom: IsoDate('有効開始日 of the version shown'),
  validTo: IsoDate('有効終了日 of the version shown'),
  maxCopaymentAmount: Type.Union([MaxCopaymentAmount, Type.Null()], { description: '自己負担上限額' }),
  segment: NullableString('区分'),
  incomeSegment: NullableString('所得区分'),
  additionalConditions: Type.Array(Type.String(), { description: '追加条件 (対象疾病など) codes' }),
  isAlwaysReimbursement: Type.Boolean({ description: '常に償還払い' }),
  certificationDetail: Type.Optional(CertificationDetailItems),
  status: Type.Union([Type.Literal('current'), Type.Literal('expired'), Type.Literal('future')], {
    description: '`current`: a version is in force at asOf (the one shown); otherwise the latest version is shown, `expired` or `future`',
  }),
  history: Type.Array(ResidentCertificateVersion, { description: 'every version, newest validity first (withdrawn ones included, marked)' }),
});
export type ResidentCertificate = Static<typeof ResidentCertificate>;

export const ResidentSubsidies = Type.Object({
  subjects: Type.Array(ResidentSubject),
  certificates: Type.Array(ResidentCertificate),
});
export type ResidentSubsidies = Static<typeof ResidentSubsidies>;

export const ACCESS_LOG_ACTOR_KINDS = ['medical-institution', 'municipality', 'operator', 'guardian', 'system'] as const;
export type AccessLogActorKind = (typeof ACCESS_LOG_ACTOR_KINDS)[number];

export const AccessLogQuery = Type.Object(
  {
    // A query string is text (types are not coerced): a number 1–200 written in digits.
    limit: Type.Optional(Type.String({ maxLength: 3, pattern: '^(?:[1-9][0-9]?|1[0-9]{2}|200)$', description: 'entries per page, 1–200; 50 when absent' })),
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: '`nextBefore` of the previous page' })),
  },
  { additionalProperties: false },
);

/** One access to the person's data at the hub (from its audit log): who, when, what, why. */
export const AccessLogEntry = Type.Object({
  at: Type.String({ format: 'date-time' }),
  actorKind: Type.Enum([...ACCESS_LOG_ACTOR_KINDS], {
    description: 'who: a medical institution, a municipality, an operator of PMH, a guardian (代理人) acting for the person, or the system itself',
  }),
  actorCode: NullableString('医療機関コード (10 digits) or 地方公共団体コード (6 digits); null for operators and the system'),
  actorName: Type.Optional(
    NullableString(
      'the name of `actorCode` where the hub knows it: a medical institution from the operator’s registry (POST /admin/v1/medical-institutions), ' +
        'a municipality from the national list of local public bodies (東京都千代田区); null when unknown — show the code then',
    ),
  ),
  action: Type.String({ description: 'e.g. `eligibility.query`, `medical-subsidy.register`, `subject.read`' }),
  purpose: NullableString('the process (事務) or reason, e.g. `medical-subsidy`'),
  outcome: Type.String({ description: '`ok`, or why not' }),
});
export type AccessLogEntry = Static<typeof AccessLogEntry>;

export const ResidentAccessLog = Type.Object({
  items: Type.Array(AccessLogEntry, { description: 'newest first; the resident’s own views are not listed' }),
  nextBefore: Type.Optional(Type.String({ description: 'pass as `before` for the next (older) page; absent on the last page' })),
});
export type ResidentAccessLog = Static<typeof ResidentAccessLog>;

// --- Portal: resident sessions and views ---------------------------------------------------

/** `POST /portal/v1/session-challenges` (anonymous). */
export const SessionChallenge = Type.Object({
  challenge: Type.String({ description: 'sign this string (UTF-8) with the card: ES256, r ‖ s, base64url' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

/** `POST /portal/v1/sessions` (anonymous): card authentication over the portal's challenge. */
export const SessionLogin = Type.Object(
  {
    cardSerial: CardSerial,
    challenge: Base64url({ description: 'from POST /portal/v1/session-challenges; single use' }),
    signature: Base64url({ description: 'ES256 over the challenge (UTF-8), r ‖ s, base64url' }),
  },
  { additionalProperties: false },
);
export type SessionLogin = Static<typeof SessionLogin>;

export const SessionCreated = Type.Object({
  expiresAt: Type.String({ format: 'date-time', description: 'the latest the session lasts; it ends sooner after 30 minutes idle' }),
});

export const PortalMe = Type.Object({ linked: Type.Boolean({ description: 'whether the account is linked to PMH yet (has a PMH pseudonym)' }) });

export const PortalSubsidies = Type.Object({
  ...ResidentSubsidies.properties,
  linked: Type.Boolean({ description: 'false: not linked to PMH yet, so nothing to show' }),
});

export const PortalAccessLog = Type.Object({
  ...ResidentAccessLog.properties,
  linked: Type.Boolean({ description: 'false: not linked to PMH yet, so nothing to show' }),
});

/** `GET /portal/v1/demo/cards`: the demo's simulated My Number Cards (never in production). */
export const DemoCards = Type.Object({
  cards: Type.Array(
    Type.Object({
      cardSerial: Type.String(),
      name: Type.String(),
      privateJwk: Type.Object({ kty: Type.String(), crv: Type.String(), x: Type.String(), y: Type.String(), d: Type.String() }),
    }),
  ),
});
export type DemoCards = Static<typeof DemoCards>;
