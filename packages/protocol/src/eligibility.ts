import { Type, type Static } from 'typebox';
import { CardSerial } from './federation.ts';
import { CertificationDetailItems, MaxCopaymentAmount } from './municipal.ts';
import { DateIn } from './text.ts';

/**
 * Eligibility at medical institutions (seed A④): clinic → OQS (card authentication and consent) →
 * hub (with a one-time PMH linkage key) → OQS → clinic.
 */

const IsoDate = (description: string) => DateIn('service', description);

/** 医療機関コード: 10 digits (都道府県 2 + 点数表 1 + 機関 7). */
export const InstitutionCode = Type.String({ maxLength: 10, pattern: '^[0-9]{10}$', description: '医療機関コード (10 digits)' });

/** Why an answer carries no eligibility. Each is distinct, so a clinic never mistakes a refusal for a lapse. */
export const NO_ELIGIBILITY_REASONS = ['not-consented', 'not-linked', 'no-eligibility', 'expired', 'hub-unavailable', 'hub-refused'] as const;
export type NoEligibilityReason = (typeof NO_ELIGIBILITY_REASONS)[number];

export const EligibilityReason = Type.Enum([...NO_ELIGIBILITY_REASONS], {
  description:
    '`not-consented`: the patient declined (the hub was not asked); `not-linked`: the card holder has no PMH link yet; ' +
    '`no-eligibility`: no certificate valid at asOf; `expired`: certificates exist but all have ended before asOf; ' +
    '`hub-unavailable`: PMH could not be reached, try again; `hub-refused`: PMH refused the query (an error on our side, try again).',
});

/** One certificate (受給者証) as a receptionist needs it, named as the municipality registered it. Never a PMH-ID or a My Number. */
export const EligibleCertificate = Type.Object({
  municipalityCode: Type.String({ description: '地方公共団体コード of the municipality that issued it' }),
  certificationName: Type.String({ description: '受給者証名 (the certificate’s name)' }),
  medicalSubsidyInsurerNumber: Type.String({ description: '公費負担者番号' }),
  medicalSubsidyRecipientNumber: Type.Union([Type.String(), Type.Null()], { description: '公費受給者番号' }),
  validFrom: IsoDate('有効開始日'),
  validTo: IsoDate('有効終了日'),
  maxCopaymentAmount: Type.Union([MaxCopaymentAmount, Type.Null()]),
  segment: Type.Union([Type.String(), Type.Null()], { description: '区分' }),
  incomeSegment: Type.Union([Type.String(), Type.Null()], { description: '所得区分' }),
  additionalConditions: Type.Array(Type.String(), { description: '追加条件 (対象疾病など) codes' }),
  isAlwaysReimbursement: Type.Boolean({ description: '常に償還払い' }),
  designatedInstitution: Type.Union([Type.Literal('designated'), Type.Literal('not-designated'), Type.Literal('not-restricted')], {
    description: 'Whether the asking institution is among the certificate’s 指定医療機関 (designatedMedicalInstitutions); `not-restricted` when it names none.',
  }),
  certificationDetail: Type.Optional(CertificationDetailItems),
});
export type EligibleCertificate = Static<typeof EligibleCertificate>;

/** The hub's answer to OQS, relayed to the clinic. */
export const EligibilityAnswer = Type.Object({
  status: Type.Union([Type.Literal('eligible'), Type.Literal('not-eligible')]),
  reason: Type.Optional(EligibilityReason),
  asOf: IsoDate('基準日'),
  institutionCode: InstitutionCode,
  certificates: Type.Array(EligibleCertificate),
});
export type EligibilityAnswer = Static<typeof EligibilityAnswer>;

/** `POST /hub/v1/eligibility/queries` (role oqs). */
export const HubEligibilityQuery = Type.Object(
  {
    linkageKey: Type.String({
      minLength: 1,
      maxLength: 4096,
      pattern: '^[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*){4}$',
      description: 'PMH連携キー: compact JWE (ECDH-ES+A256KW, A256GCM) to the hub’s key',
    }),
    institutionCode: InstitutionCode,
    asOf: IsoDate('基準日'),
  },
  { additionalProperties: false },
);

/** base64url (RFC 4648 §5) without padding: challenges and card signatures. */
export const Base64url = (o: { description: string }) => Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: o.description });

export const CardAuthentication = Type.Object(
  {
    cardSerial: CardSerial,
    challenge: Base64url({ description: 'from POST /oqs/v1/card-challenges' }),
    signature: Base64url({ description: 'ES256 over the challenge (UTF-8), r‖s base64url' }),
  },
  { additionalProperties: false },
);
export type CardAuthentication = Static<typeof CardAuthentication>;

/** `POST /oqs/v1/eligibility-checks` (role clinic). */
export const EligibilityCheck = Type.Object(
  {
    institutionCode: InstitutionCode,
    cardAuthentication: CardAuthentication,
    consent: Type.Object({ medicalSubsidy: Type.Boolean({ description: '公費医療費助成の情報提供への同意' }) }, { additionalProperties: false }),
    asOf: Type.Optional(IsoDate('基準日; today (Japan time) when absent')),
  },
  { additionalProperties: false },
);
export type EligibilityCheck = Static<typeof EligibilityCheck>;

export const CardChallenge = Type.Object({ challenge: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });

/** `POST /oqs/v1/card-verifications` (role portal): whose card is this (the portal's login). */
export const CardVerification = CardAuthentication;
export type CardVerification = Static<typeof CardVerification>;
export const CardVerified = Type.Object({ pseudonym: Type.String({ description: '仮名識別子' }) });
