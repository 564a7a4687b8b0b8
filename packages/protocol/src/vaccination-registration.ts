import { Type, type Static } from 'typebox';
import { Flag, IsoDate } from './common.ts';
import { BasicFiveInfo, MAX_TASK_RECORDS, MunicipalityIdentityKey, MyNumberText, VACCINATION_END_REASONS } from './municipal.ts';
import { DateIn, Key, Text } from './text.ts';
import { VaccineCode } from './vaccination.ts';

/**
 * The municipality's side of vaccination (予防接種, seed B①): its subjects, the doses it already
 * knows, the vouchers it issued, and its unit prices for claims. A registration record is shaped like
 * the published PMH municipal checkup-subject API: `modificationSeg` "1" registers or updates a
 * subject, "2" ends the subject's registration for vaccination.
 */

/** The highest dose number any schedule has (日本脳炎 has 4 doses; a record beyond the catalogue's count is refused by the hub). */
const MAX_DOSE_NUMBER = 10;

/** 接種回: the dose of its schedule (series), from 1. */
export const DoseNumber = Type.Integer({ minimum: 1, maximum: MAX_DOSE_NUMBER, description: '接種回 (the dose of its schedule, from 1)' });

/**
 * 接種券番号 as printed on the voucher's OCR line: 券種 (1 digit) + 回数 (1) + 市町村コード (6, the
 * 地方公共団体コード with its check digit) + 券番号 (10). Full-width digits are accepted.
 */
export const VoucherNumber = Text({
  minLength: 1,
  maxLength: 40,
  description:
    '接種券番号 (voucher number), 18 digits: 券種 (kind, 1) + 回数 (dose, 1) + 市町村コード (the issuing municipality, 6) + 券番号 (10); full-width digits accepted',
});

/** A past dose the municipality knows (paper records, a resident who moved in). */
export const VaccinationRecordInput = Type.Object(
  {
    recordKey: Key({ description: '接種記録キー: the municipality’s own key of this dose record; the same key again updates it' }),
    vaccineCode: VaccineCode,
    doseNumber: DoseNumber,
    series: Type.Optional(
      Text({
        minLength: 1,
        maxLength: 64,
        description: 'the schedule or product (see GET /hub/v1/vaccination/catalogue), e.g. 9-valent for HPV; the hub decides it when absent',
      }),
    ),
    date: DateIn('service', '接種日 (date of the dose); not in the future, not before birth'),
    lotNumber: Type.Optional(Text({ minLength: 1, maxLength: 64, description: 'ロット番号 (lot number)' })),
    institutionCode: Type.Optional(
      Text({
        minLength: 1,
        maxLength: 20,
        description: '医療機関コード (10 digits: prefecture, 点数表, district, number, check digit; full-width digits accepted)',
      }),
    ),
    institutionName: Type.Optional(
      Text({ minLength: 1, maxLength: 200, description: '医療機関名 (where the dose was given, e.g. a clinic in another municipality)' }),
    ),
  },
  {
    additionalProperties: false,
    description: '予防接種記録: a past dose the municipality knows',
    examples: [{ recordKey: 'R-0001', vaccineCode: 'hib', doseNumber: 1, date: '2025-06-02', lotNumber: 'HB123', institutionCode: '1312345674' }],
  },
);
export type VaccinationRecordInput = Static<typeof VaccinationRecordInput>;

/** A voucher (接種券) the municipality issued; optional, since the My Number Card is the voucher. */
export const VaccinationVoucherInput = Type.Object(
  {
    voucherNumber: VoucherNumber,
    vaccineCode: VaccineCode,
    doseNumber: DoseNumber,
    validTo: IsoDate('有効期限 (last day the voucher is valid)'),
  },
  {
    additionalProperties: false,
    description: '接種券 (vaccination voucher)',
    examples: [{ voucherNumber: '111310160000000001', vaccineCode: 'hib', doseNumber: 1, validTo: '2026-03-31' }],
  },
);
export type VaccinationVoucherInput = Static<typeof VaccinationVoucherInput>;

/** modificationSeg "1": register the subject for vaccination, or update it, with its past doses and vouchers. */
export const VaccinationSubjectRecord = Type.Object(
  {
    modificationSeg: Type.Literal('1', { description: '異動区分 "1": register or update' }),
    myNumber: MyNumberText,
    municipalityIdentityKey: MunicipalityIdentityKey,
    basicFiveInfo: BasicFiveInfo,
    isNotDisclosed: Flag('不開示フラグ: the person is under DV support measures (支援措置); the address is never disclosed', 'boolean'),
    vaccinationRecords: Type.Optional(Type.Array(VaccinationRecordInput, { maxItems: 200, description: '予防接種歴: past doses the municipality knows' })),
    vouchers: Type.Optional(Type.Array(VaccinationVoucherInput, { maxItems: 100, description: '接種券: vouchers issued (optional: the card is the voucher)' })),
  },
  {
    additionalProperties: false,
    title: 'VaccinationSubjectRecord',
    description: 'A vaccination subject (予防接種対象者), registered or updated (modificationSeg "1")',
    examples: [
      {
        modificationSeg: '1',
        myNumber: '210987654320',
        municipalityIdentityKey: '1310100001',
        basicFiveInfo: { name: '千代田太郎', nameKana: 'チヨダタロウ', address: '東京都千代田区九段南1-2-1', dateOfBirth: '2025-04-10', sex: '1' },
        isNotDisclosed: false,
        vaccinationRecords: [{ recordKey: 'R-0001', vaccineCode: 'hib', doseNumber: 1, date: '2025-06-10', lotNumber: 'HB123' }],
        vouchers: [{ voucherNumber: '121310160000000002', vaccineCode: 'hib', doseNumber: 2, validTo: '2026-03-31' }],
      },
    ],
  },
);
export type VaccinationSubjectRecord = Static<typeof VaccinationSubjectRecord>;

/** modificationSeg "2": end the subject's registration for vaccination (data kept for the retention period, hidden from clinics). */
export const VaccinationSubjectEnd = Type.Object(
  {
    modificationSeg: Type.Literal('2', { description: '異動区分 "2": end the registration' }),
    municipalityIdentityKey: MunicipalityIdentityKey,
    reason: Type.Enum([...VACCINATION_END_REASONS], { description: '異動事由: 転出 (moved-out), 死亡 (deceased), 誤登録 (mistaken)' }),
    date: DateIn('service', '異動日 (the day the registration ends); not in the future'),
  },
  {
    additionalProperties: false,
    title: 'VaccinationSubjectEnd',
    description: 'The end of a subject’s registration for vaccination (modificationSeg "2")',
    examples: [{ modificationSeg: '2', municipalityIdentityKey: '1310100001', reason: 'moved-out', date: '2026-03-31' }],
  },
);
export type VaccinationSubjectEnd = Static<typeof VaccinationSubjectEnd>;

/** One record of a vaccination registration task. */
export const VaccinationRegistrationRecord = Type.Union([VaccinationSubjectRecord, VaccinationSubjectEnd], {
  description: 'modificationSeg "1" (register or update) or "2" (end)',
});
export type VaccinationRegistrationRecord = Static<typeof VaccinationRegistrationRecord>;

/** `POST /municipal/v1/vaccination/registration-tasks`: the records, each applied whole or not at all. */
export const VaccinationTask = Type.Array(VaccinationRegistrationRecord, {
  minItems: 1,
  maxItems: MAX_TASK_RECORDS,
  description: `1 to ${MAX_TASK_RECORDS.toLocaleString('en-US')} records (more: 413). Each record is validated on its own, in full, when the task is applied: a bad record fails alone, with every error of its fields together in the task's results.`,
});

// --- Unit prices for claims ------------------------------------------------------------------

/** The highest unit price a municipality may set for one dose: far above any routine vaccine's (a few tens of thousands of yen). */
export const MAX_VACCINATION_UNIT_PRICE = 200_000;

export const VaccinationPriceParams = Type.Object({ vaccineCode: VaccineCode });

/** `PUT /municipal/v1/vaccination/prices/{vaccineCode}`: the unit price from a day on (a new validFrom is a new version). */
export const VaccinationPrice = Type.Object(
  {
    unitPrice: Type.Integer({
      minimum: 0,
      maximum: MAX_VACCINATION_UNIT_PRICE,
      description: `委託料単価 (the unit price the municipality pays per dose, yen, 0–${MAX_VACCINATION_UNIT_PRICE.toLocaleString('en-US')})`,
    }),
    validFrom: IsoDate('適用開始日 (the price applies to doses given from this day)'),
  },
  { additionalProperties: false, examples: [{ unitPrice: 9_350, validFrom: '2026-04-01' }] },
);
export type VaccinationPrice = Static<typeof VaccinationPrice>;

export const VaccinationPriceView = Type.Object({
  vaccineCode: VaccineCode,
  unitPrice: Type.Integer(),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'the day before the next version, or null' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type VaccinationPriceView = Static<typeof VaccinationPriceView>;

export const VaccinationPricesQuery = Type.Object(
  {
    asOf: Type.Optional(DateIn('service', 'only the price in force on this day, per vaccine')),
    vaccineCode: Type.Optional(VaccineCode),
  },
  { additionalProperties: false },
);

export const VaccinationPriceList = Type.Object({
  prices: Type.Array(VaccinationPriceView, { description: 'by vaccine, then validFrom' }),
});

// --- The municipal records feed ----------------------------------------------------------------

/** The most records one page of the feed holds. */
export const MAX_FEED_LIMIT = 10_000;

/** A position in the feed: "0" (the beginning) or what a previous page answered as `nextCursor`. */
export const FeedCursor = Type.String({
  maxLength: 41,
  pattern: '^(0|[0-9]{1,20}-[0-9]{1,20})$',
  description: 'a position in the feed: "0" (the beginning, as when absent) or a previous page’s nextCursor; opaque',
});

/** The query of a municipal cursor feed (the vaccination records, the checkup results): where to start, a page's size, the CSV charset. */
export const FeedQuery = Type.Object(
  {
    since: Type.Optional(FeedCursor),
    limit: Type.Optional(
      Type.String({
        maxLength: 5,
        pattern: '^(?:[1-9][0-9]{0,3}|10000)$',
        description: `entries per page, 1–${MAX_FEED_LIMIT.toLocaleString('en-US')}; 1,000 when absent`,
      }),
    ),
    charset: Type.Optional(Type.Enum(['utf-8', 'shift_jis'], { description: 'CSV only: the encoding (default utf-8); shift_jis for legacy systems' })),
  },
  { additionalProperties: false },
);
export const VaccinationRecordsQuery = FeedQuery;

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

/** One dose as the feed gives it: the contract's vaccination record, with the subject's 宛名番号. */
export const VaccinationFeedItem = Type.Object({
  municipalityIdentityKey: Nullable(Type.String({ description: '宛名番号 of the subject' })),
  recordId: Type.String({ format: 'uuid' }),
  recordKey: Nullable(Type.String({ description: 'the municipality’s own key of a dose it registered; null for a clinic’s' })),
  vaccineCode: VaccineCode,
  doseNumber: Type.Integer(),
  series: Nullable(Type.String()),
  date: Type.String({ format: 'date' }),
  lotNumber: Nullable(Type.String()),
  institutionCode: Nullable(Type.String()),
  institutionName: Nullable(Type.String()),
  source: Type.Enum(['municipal', 'clinic']),
  status: Type.Enum(['recorded', 'corrected', 'cancelled']),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type VaccinationFeedItem = Static<typeof VaccinationFeedItem>;

export const VaccinationFeed = Type.Object({
  items: Type.Array(VaccinationFeedItem, { description: 'oldest first; each written or changed dose once' }),
  nextCursor: Type.String({ description: 'where the next page starts; the same cursor with no items means nothing new yet' }),
});
export type VaccinationFeed = Static<typeof VaccinationFeed>;

/** The columns of the feed's CSV, in order (the header row names them). */
export const VACCINATION_FEED_CSV_COLUMNS = [
  'municipalityIdentityKey',
  'recordId',
  'recordKey',
  'vaccineCode',
  'doseNumber',
  'series',
  'date',
  'lotNumber',
  'institutionCode',
  'institutionName',
  'source',
  'status',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof VaccinationFeedItem>;
