import { Type, type Static } from 'typebox';
import { CheckupFinding, CheckupKind, CheckupResultBody } from './maternal-child.ts';

/**
 * The municipality's reads of maternal and child health (母子保健, seed C): the checkup results feed
 * (every result entered for its subjects, by venues and by itself), the follow-up list of children
 * judged 要精査 whose detailed exam is not yet recorded, and the month's checkup claims (受診券の請求)
 * per venue and voucher kind, each use capped by its voucher's subsidy.
 */

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T, description?: string) =>
  Type.Union([t, Type.Null()], description ? { description } : {});

const Charset = Type.Optional(Type.Enum(['utf-8', 'shift_jis'], { description: 'CSV only: the encoding (default utf-8); shift_jis for legacy systems' }));

/** How a checkup was paid: with a voucher (受診券) or self-paid (自費), with the reason when self-paid. */
export const CHECKUP_PAYMENTS = ['voucher', 'self-paid'] as const;

/** One result as the feed gives it: the contract's checkup result, with the subject's 宛名番号 and how it was paid. */
export const MaternalChildFeedItem = Type.Object({
  municipalityIdentityKey: Type.String({ description: '宛名番号 of the subject' }),
  resultId: Type.String({ format: 'uuid' }),
  resultKey: Nullable(Type.String(), 'the municipality’s own key of a result it registered; null for a venue’s'),
  ...CheckupResultBody.properties,
  payment: Type.Enum([...CHECKUP_PAYMENTS], { description: 'voucher: paid with the voucher it names (a claim); self-paid: not subsidised' }),
  selfPaidReason: Nullable(
    Type.String(),
    'why a self-paid result was not paid with a voucher (no-voucher, unknown-voucher, other-checkup, not-yet-valid, expired, after-delivery, before-delivery)',
  ),
  source: Type.Enum(['municipal', 'venue'], { description: 'municipal: registered by the municipality; venue: entered at a clinic or checkup venue' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type MaternalChildFeedItem = Static<typeof MaternalChildFeedItem>;

export const MaternalChildFeed = Type.Object({
  items: Type.Array(MaternalChildFeedItem, { description: 'oldest first; each written or changed result once' }),
  nextCursor: Type.String({ description: 'where the next page starts; the same cursor with no items means nothing new yet' }),
});
export type MaternalChildFeed = Static<typeof MaternalChildFeed>;

/**
 * The columns of the results feed's CSV, in order: the item's fields, with measurements and urine one
 * column each, the tests done separated by spaces and the findings as `area:finding` separated by " / ".
 */
export const MATERNAL_CHILD_FEED_CSV_COLUMNS = [
  'municipalityIdentityKey',
  'resultId',
  'resultKey',
  'checkupKind',
  'sequence',
  'voucherNumber',
  'payment',
  'selfPaidReason',
  'date',
  'institutionCode',
  'ageInMonths',
  'gestationalWeeks',
  'heightCm',
  'weightKg',
  'headCm',
  'chestCm',
  'systolic',
  'diastolic',
  'fundalHeightCm',
  'abdominalCm',
  'urineProtein',
  'urineGlucose',
  'urineOccultBlood',
  'edema',
  'testsDone',
  'findings',
  'judgement',
  'detailedExamDate',
  'source',
  'updatedAt',
] as const;

export const MaternalChildListQuery = Type.Object({ charset: Charset }, { additionalProperties: false });

/** A child judged 要精査 whose detailed exam is not yet recorded (see the endpoint for the rule). */
export const MaternalChildFollowUp = Type.Object({
  municipalityIdentityKey: Type.String({ description: '宛名番号 of the child' }),
  resultId: Type.String({ format: 'uuid', description: 'the result that judged 要精査' }),
  checkupKind: CheckupKind,
  date: Type.String({ format: 'date', description: 'the day of that checkup' }),
  ageInMonths: Nullable(Type.Integer(), '健診受診時月齢'),
  institutionCode: Type.String({ description: 'where the checkup was held' }),
  source: Type.Enum(['municipal', 'venue']),
  findings: Type.Array(CheckupFinding, { description: 'the findings of that checkup (why the detailed exam was asked for)' }),
  daysSince: Type.Integer({ minimum: 0, description: 'days from the checkup to today' }),
});
export type MaternalChildFollowUp = Static<typeof MaternalChildFollowUp>;

export const MaternalChildFollowUps = Type.Object({
  followUps: Type.Array(MaternalChildFollowUp, { description: 'oldest checkup first (the longest waiting first)' }),
});
export type MaternalChildFollowUps = Static<typeof MaternalChildFollowUps>;

/** The follow-up list's CSV columns (findings as `area:finding` separated by " / "). */
export const MATERNAL_CHILD_FOLLOW_UP_CSV_COLUMNS = [
  'municipalityIdentityKey',
  'resultId',
  'checkupKind',
  'date',
  'ageInMonths',
  'institutionCode',
  'source',
  'findings',
  'daysSince',
] as const;

/** `GET /municipal/v1/maternal-child/claims`: the month (checked by the hub, which names `/query/month`). */
export const MaternalChildClaimsQuery = Type.Object(
  {
    month: Type.Optional(
      Type.String({ maxLength: 40, pattern: '^[\\x21-\\x7E]*$', description: '請求月: the month of the checkups, YYYY-MM (required; checked by the hub)' }),
    ),
    charset: Charset,
  },
  { additionalProperties: false },
);

/** One claim line: the checkups a venue held with vouchers of one kind, sequence and cap in the month. */
export const MaternalChildClaimLine = Type.Object({
  month: Type.String({ description: 'YYYY-MM' }),
  institutionCode: Type.String({ description: '医療機関コード of the venue that held the checkups' }),
  checkupKind: CheckupKind,
  sequence: Nullable(Type.Integer(), '回数 of the voucher (妊婦健診 1–14, 産婦健診 1–2); null for a child’s voucher'),
  subsidyCap: Type.Integer({ minimum: 0, description: '助成上限額 of each voucher counted (yen)' }),
  count: Type.Integer({ minimum: 1, description: 'checkups paid with a voucher (self-paid ones are not counted)' }),
  amount: Type.Integer({ minimum: 0, description: 'count × subsidyCap in yen: what the municipality pays the venue' }),
});
export type MaternalChildClaimLine = Static<typeof MaternalChildClaimLine>;

export const MaternalChildClaims = Type.Object({
  month: Type.String(),
  claims: Type.Array(MaternalChildClaimLine, { description: 'by institution, checkup kind, sequence and cap' }),
  total: Type.Integer({ minimum: 0, description: 'the sum of the lines’ amounts (yen)' }),
});
export type MaternalChildClaims = Static<typeof MaternalChildClaims>;

export const MATERNAL_CHILD_CLAIMS_CSV_COLUMNS = [
  'month',
  'institutionCode',
  'checkupKind',
  'sequence',
  'subsidyCap',
  'count',
  'amount',
] as const satisfies ReadonlyArray<keyof MaternalChildClaimLine>;
