import { Type, type Static } from 'typebox';
import { Text, Uuid } from './text.ts';
import { VaccineCode } from './vaccination.ts';

/**
 * Claims (請求, seed B①): what a municipality pays the medical institutions for the routine
 * vaccinations they gave its subjects, wherever they were given — per month, institution and
 * vaccine, count × the municipality's unit price in force on the day of each dose. And the
 * municipality's reminder opt-in (勧奨通知) per vaccine.
 */

/** YYYY-MM, a month from 2000-01 to 2199-12. */
export const CLAIM_MONTH = /^(20\d\d|21\d\d)-(0[1-9]|1[0-2])$/;

const Month = (description: string) => Type.String({ pattern: CLAIM_MONTH.source, maxLength: 7, description });

/** `GET /municipal/v1/vaccination/claims`: the month (checked by the hub, which names `/query/month`). */
export const VaccinationClaimsQuery = Type.Object(
  {
    month: Type.Optional(
      Type.String({ maxLength: 40, pattern: '^[\\x21-\\x7E]*$', description: '請求月: the month of the doses, YYYY-MM (required; checked by the hub)' }),
    ),
    charset: Type.Optional(Type.Enum(['utf-8', 'shift_jis'], { description: 'CSV only: the encoding (default utf-8); shift_jis for legacy systems' })),
  },
  { additionalProperties: false },
);

export const ClaimStatus = Type.Enum(['draft', 'confirmed', 'paid', 'rejected'], {
  description:
    'draft: counted now from the doses not yet confirmed (changes as clinics record); confirmed: a snapshot the municipality fixed; paid / rejected: its decision',
});

/** One claim line. */
export const VaccinationClaimLine = Type.Object({
  claimId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'null for a draft line (it is not stored)' }),
  month: Type.String({ description: 'YYYY-MM' }),
  institutionCode: Type.String({ description: '医療機関コード of the institution that gave the doses' }),
  vaccineCode: VaccineCode,
  count: Type.Integer({ minimum: 1, description: 'doses (a cancelled one is not counted; a corrected one once)' }),
  unitPrice: Type.Union([Type.Integer(), Type.Null()], { description: 'yen per dose, the price in force on the day of the doses; null when none was' }),
  amount: Type.Union([Type.Integer(), Type.Null()], { description: 'count × unitPrice in yen; null when there is no price' }),
  status: ClaimStatus,
  missingPrice: Type.Boolean({ description: 'true: no unit price was in force on the day of these doses (set one with PUT …/prices/{vaccineCode})' }),
  priceValidFrom: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'the price version (its validFrom) the unit price is from' }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'why it was rejected (or a note on payment)' }),
  confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when it was marked paid or rejected' }),
});
export type VaccinationClaimLine = Static<typeof VaccinationClaimLine>;

export const VaccinationClaims = Type.Object({
  month: Type.String(),
  claims: Type.Array(VaccinationClaimLine, {
    description: 'confirmed, paid and rejected lines first (oldest first), then the draft lines; by institution and vaccine',
  }),
});
export type VaccinationClaims = Static<typeof VaccinationClaims>;

/** The columns of the claims CSV, in order. */
export const VACCINATION_CLAIMS_CSV_COLUMNS = [
  'claimId',
  'month',
  'institutionCode',
  'vaccineCode',
  'count',
  'unitPrice',
  'amount',
  'status',
  'missingPrice',
  'priceValidFrom',
  'reason',
  'confirmedAt',
  'decidedAt',
] as const satisfies ReadonlyArray<keyof VaccinationClaimLine>;

/** `POST /municipal/v1/vaccination/claims/confirmations`: confirm a month's draft lines. */
export const VaccinationClaimConfirmation = Type.Object(
  { month: Month('請求月 to confirm, YYYY-MM') },
  { additionalProperties: false, examples: [{ month: '2026-05' }] },
);

export const VaccinationClaimConfirmed = Type.Object({
  month: Type.String(),
  confirmed: Type.Array(VaccinationClaimLine, { description: 'the lines this request confirmed (empty: nothing was left to confirm)' }),
  claims: VaccinationClaims.properties.claims,
});

export const VaccinationClaimParams = Type.Object({ claimId: Uuid('a confirmed claim line') });

/** `PUT /municipal/v1/vaccination/claims/{claimId}/status`: mark a confirmed line paid or rejected. */
export const VaccinationClaimDecision = Type.Object(
  {
    status: Type.Enum(['paid', 'rejected'], { description: 'confirmed → paid or rejected; the same again changes nothing' }),
    reason: Type.Optional(Text({ minLength: 1, maxLength: 500, description: 'why (required in practice for a rejection; kept with the line)' })),
  },
  { additionalProperties: false, examples: [{ status: 'paid' }, { status: 'rejected', reason: '接種券番号の記載誤り' }] },
);

// --- Reminders (勧奨通知) --------------------------------------------------------------------

export const VaccinationReminderParams = Type.Object({ vaccineCode: VaccineCode });

export const VaccinationReminderSetting = Type.Object(
  { enabled: Type.Boolean({ description: 'true: remind this municipality’s linked subjects when a dose of this vaccine falls due' }) },
  { additionalProperties: false, examples: [{ enabled: true }] },
);

export const VaccinationReminderView = Type.Object({
  vaccineCode: VaccineCode,
  enabled: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const VaccinationReminderList = Type.Object({
  reminders: Type.Array(VaccinationReminderView, { description: 'every vaccine this municipality set, by code; a vaccine not listed is not reminded' }),
});
