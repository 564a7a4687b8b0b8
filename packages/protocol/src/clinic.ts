import { Type, type Static } from 'typebox';
import { CardAuthentication, InstitutionCode } from './eligibility.ts';
import { DateIn } from './text.ts';

/**
 * The medical-institution system's own JSON API (医療機関システム, `/clinic/v1`): what the reception
 * page and the clinic's own systems on its network call. It holds nothing about residents; it
 * relays card authentication and the patient's consent to OQS as the institution.
 */

/** `GET /clinic/v1/institution`: this medical institution. */
export const Institution = Type.Object({ institutionCode: InstitutionCode, name: Type.String() });
export type Institution = Static<typeof Institution>;

/** `GET /clinic/v1/card-reader/cards`: the demo cards the simulated reader holds (private keys included: demo only). */
export const ReaderCards = Type.Object({
  cards: Type.Array(Type.Object({ cardSerial: Type.String(), name: Type.String(), privateJwk: Type.Record(Type.String(), Type.Unknown()) })),
});
export type ReaderCards = Static<typeof ReaderCards>;

/**
 * `POST /clinic/v1/eligibility-checks`: as OQS's `EligibilityCheck`, without `institutionCode` —
 * the clinic asks as itself.
 */
export const ClinicEligibilityCheck = Type.Object(
  {
    cardAuthentication: CardAuthentication,
    consent: Type.Object(
      { medicalSubsidy: Type.Boolean({ description: '公費医療費助成の情報提供への同意 (the patient’s choice on the reader)' }) },
      { additionalProperties: false },
    ),
    asOf: Type.Optional(DateIn('service', '基準日; today when absent')),
  },
  { additionalProperties: false },
);
export type ClinicEligibilityCheck = Static<typeof ClinicEligibilityCheck>;
