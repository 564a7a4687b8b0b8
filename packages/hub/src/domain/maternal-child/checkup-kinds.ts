/**
 * The checkup kinds (健診の種類) of maternal and child health: who each is for, when it is meant to be
 * done (the target window) and how long its voucher (受診券) may be used, each rule with its source.
 *
 * Statutory ones: 1歳6か月児 and 3歳児 (母子保健法 第12条, 施行規則 第2条: 満1歳6か月を超え満2歳に達しない
 * 幼児, 満3歳を超え満4歳に達しない幼児). The others are held under 第13条 as municipalities choose; the
 * windows below are those of the published sources named, and a municipality's own voucher dates
 * (validFrom, validTo) always win over the defaults given here.
 */
import type { CheckupKind } from '@pmh/protocol';
import { addDays, daysBetween, yearsReached, type IsoDate } from '../vaccination/japanese-age.ts';
import { firstDayOfMonthAge, lastDayOfMonthAge } from './child-age.ts';
import { defaultSubsidyCap } from './subsidy-caps.ts';

export type CheckupSubject = 'pregnant' | 'postpartum' | 'child';

export interface CheckupKindRule {
  kind: CheckupKind;
  name: string;
  subject: CheckupSubject;
  /** Vouchers of this kind are numbered 1…n. */
  sequences?: number;
  /** For a child: the completed months the checkup is meant for (inclusive). */
  months?: [number, number];
  /** For a child: days after birth instead of months (the 1-month checkup). */
  days?: [number, number];
  source: string;
}

export const CHECKUP_KIND_RULES: Record<CheckupKind, CheckupKindRule> = {
  prenatal: {
    kind: 'prenatal',
    name: '妊婦健康診査',
    subject: 'pregnant',
    sequences: 14,
    source: '妊婦に対する健康診査についての望ましい基準（平成27年厚生労働省告示第226号）第一: 14回程度',
  },
  postpartum: {
    kind: 'postpartum',
    name: '産婦健康診査',
    subject: 'postpartum',
    sequences: 2,
    source: '産婦健康診査事業: 産後2週間・産後1か月の2回（下田市、高松市、館林市の案内）',
  },
  'infant-1m': {
    kind: 'infant-1m',
    name: '1か月児健康診査',
    subject: 'child',
    days: [28, 41],
    source: '1か月児健康診査: 出生後27日を超え、生後6週に達しない時期（山県市、三島市、吉岡町）',
  },
  'infant-3-4m': {
    kind: 'infant-3-4m',
    name: '3～4か月児健康診査',
    subject: 'child',
    months: [3, 4],
    source: '乳児健康診査（母子保健法第13条）; 「3～4か月児」 read as 3 or 4 completed months (ours)',
  },
  'infant-6-7m': {
    kind: 'infant-6-7m',
    name: '6～7か月児健康診査',
    subject: 'child',
    months: [6, 7],
    source: '乳児一般健康診査（第1回、6～7か月頃: 常陸大宮市）',
  },
  'infant-9-10m': {
    kind: 'infant-9-10m',
    name: '9～10か月児健康診査',
    subject: 'child',
    months: [9, 10],
    source: '乳児一般健康診査（第2回、9～10か月頃: 常陸大宮市）',
  },
  'infant-1y6m': {
    kind: 'infant-1y6m',
    name: '1歳6か月児健康診査',
    subject: 'child',
    months: [18, 23],
    source: '母子保健法第12条第1項第1号、同法施行規則第2条第1項: 満1歳6か月を超え満2歳に達しない幼児',
  },
  'infant-3y': {
    kind: 'infant-3y',
    name: '3歳児健康診査',
    subject: 'child',
    months: [36, 47],
    source: '母子保健法第12条第1項第2号、同法施行規則第2条第2項: 満3歳を超え満4歳に達しない幼児',
  },
};

/**
 * 妊婦健診: the gestational weeks each visit is meant for, after 三島市's published schedule (初回 any
 * week, 2回目 12–15週 … 14回目 39週), which follows 告示第226号's rhythm: every 4 weeks to week 23,
 * every 2 weeks from 24 to 35, every week from 36 to delivery.
 */
export const PRENATAL_WEEKS: ReadonlyArray<[number, number]> = [
  [0, 11],
  [12, 15],
  [16, 19],
  [20, 23],
  [24, 25],
  [26, 27],
  [28, 29],
  [30, 31],
  [32, 33],
  [34, 35],
  [36, 36],
  [37, 37],
  [38, 38],
  [39, 39],
];

/** 産婦健診: days after delivery for 産後2週間 (5–21) and 産後1か月 (22–56), as 下田市 publishes them. */
export const POSTPARTUM_DAYS: ReadonlyArray<[number, number]> = [
  [5, 21],
  [22, 56],
];

/** A 産婦健診 voucher is used within 56 days of delivery, the day of delivery included (高松市). */
export const POSTPARTUM_VOUCHER_DAYS = 56;

/**
 * The last day a prenatal voucher is issued for when the delivery is not yet known: 妊娠42週0日
 * (expected delivery + 14 days), where a pregnancy becomes post-term (過期妊娠). Ours; the voucher ends
 * on the day of delivery in any case.
 */
export const PRENATAL_DAYS_AFTER_DUE_DATE = 14;

/** Completed gestational weeks on `date` for an expected delivery date (妊娠40週0日 = the due date). */
export function gestationalWeeksOn(expectedDeliveryDate: IsoDate, date: IsoDate): number {
  return Math.floor((280 + daysBetween(expectedDeliveryDate, date)) / 7);
}

/** The first day of a gestational week. */
export function gestationalWeekStart(expectedDeliveryDate: IsoDate, week: number): IsoDate {
  return addDays(expectedDeliveryDate, week * 7 - 280);
}

export interface CheckupContext {
  dateOfBirth?: IsoDate;
  expectedDeliveryDate?: IsoDate;
  deliveryDate?: IsoDate;
}

export interface DateWindow {
  from: IsoDate;
  to: IsoDate;
}

/**
 * When the checkup is meant to be done. Undefined when the dates it hangs on are unknown (a child's
 * birth, a pregnancy's due date or delivery).
 */
export function targetWindow(kind: CheckupKind, ctx: CheckupContext, sequence?: number): DateWindow | undefined {
  const rule = CHECKUP_KIND_RULES[kind];
  if (kind === 'prenatal') {
    if (!ctx.expectedDeliveryDate || !sequence || !PRENATAL_WEEKS[sequence - 1]) return undefined;
    const [wFrom, wTo] = PRENATAL_WEEKS[sequence - 1];
    return { from: gestationalWeekStart(ctx.expectedDeliveryDate, wFrom), to: addDays(gestationalWeekStart(ctx.expectedDeliveryDate, wTo + 1), -1) };
  }
  if (kind === 'postpartum') {
    if (!ctx.deliveryDate) return undefined;
    const [dFrom, dTo] = sequence ? (POSTPARTUM_DAYS[sequence - 1] ?? [0, POSTPARTUM_VOUCHER_DAYS - 1]) : [POSTPARTUM_DAYS[0][0], POSTPARTUM_DAYS[1][1]];
    return { from: addDays(ctx.deliveryDate, dFrom), to: addDays(ctx.deliveryDate, dTo) };
  }
  if (!ctx.dateOfBirth) return undefined;
  if (rule.days) return { from: addDays(ctx.dateOfBirth, rule.days[0]), to: addDays(ctx.dateOfBirth, rule.days[1]) };
  const [mFrom, mTo] = rule.months!;
  return { from: firstDayOfMonthAge(ctx.dateOfBirth, mFrom), to: lastDayOfMonthAge(ctx.dateOfBirth, mTo) };
}

/** Whether a date is before, within or after the checkup's target window. */
export function checkupTiming(kind: CheckupKind, ctx: CheckupContext, date: IsoDate, sequence?: number): 'early' | 'on-time' | 'late' | 'unknown' {
  const w = targetWindow(kind, ctx, sequence);
  if (!w) return 'unknown';
  return date < w.from ? 'early' : date > w.to ? 'late' : 'on-time';
}

/** The 1st birthday's eve: an infant (乳児, 児童福祉法第4条: 満1歳に満たない者) is one until the end of it. */
function lastDayAsInfant(dateOfBirth: IsoDate): IsoDate {
  return yearsReached(dateOfBirth, 1);
}

export interface DefaultVoucher {
  validFrom: IsoDate;
  validTo: IsoDate;
  /** Undefined where no published default exists: the municipality states its own. */
  subsidyCap?: number;
}

/**
 * The validity and cap a voucher of this kind gets when the municipality does not say otherwise:
 * - 妊婦健診: from issue to 妊娠42週0日, and in any case not after the day of delivery (矢板市
 *   妊婦健康診査実施要綱 第6条: 交付の日から出産の日まで);
 * - 産婦健診: from issue to 56 days after the latest expected delivery; once the delivery is known,
 *   56 days from it (高松市);
 * - 1か月児: its target window (生後28日–41日);
 * - 3–4, 6–7, 9–10か月児 (乳児健康診査): from the target window's start to the day before the 1st
 *   birthday (北杜市, 常陸大宮市: 満1歳の誕生日の前日まで);
 * - 1歳6か月児, 3歳児: the statutory window.
 */
export function defaultVoucher(kind: CheckupKind, ctx: CheckupContext & { issuedOn: IsoDate }, sequence?: number): DefaultVoucher | undefined {
  const subsidyCap = defaultSubsidyCap(kind, sequence);
  const cap = subsidyCap === undefined ? {} : { subsidyCap };
  if (kind === 'prenatal') {
    if (!ctx.expectedDeliveryDate) return undefined;
    const end = ctx.deliveryDate ?? addDays(ctx.expectedDeliveryDate, PRENATAL_DAYS_AFTER_DUE_DATE);
    return { validFrom: ctx.issuedOn, validTo: end, ...cap };
  }
  if (kind === 'postpartum') {
    const delivered = ctx.deliveryDate ?? (ctx.expectedDeliveryDate ? addDays(ctx.expectedDeliveryDate, PRENATAL_DAYS_AFTER_DUE_DATE) : undefined);
    if (!delivered) return undefined;
    return { validFrom: ctx.deliveryDate ?? ctx.issuedOn, validTo: addDays(delivered, POSTPARTUM_VOUCHER_DAYS - 1), ...cap };
  }
  if (!ctx.dateOfBirth) return undefined;
  const w = targetWindow(kind, ctx)!;
  if (kind === 'infant-3-4m' || kind === 'infant-6-7m' || kind === 'infant-9-10m')
    return { validFrom: w.from, validTo: lastDayAsInfant(ctx.dateOfBirth), ...cap };
  return { validFrom: w.from, validTo: w.to, ...cap };
}

export type VoucherRefusal = 'not-yet-valid' | 'expired' | 'after-delivery' | 'before-delivery' | 'other-checkup';

/**
 * Whether a voucher pays for a checkup on `date`: within its own dates, for the same kind (and
 * sequence, when both name one), and — for a prenatal voucher — not after the delivery, for a
 * postpartum one within 56 days of it. Being unused is the store's to know.
 */
export function voucherRefusal(
  voucher: { checkupKind: CheckupKind; sequence?: number; validFrom: IsoDate; validTo: IsoDate },
  checkup: { checkupKind: CheckupKind; sequence?: number; date: IsoDate },
  ctx: CheckupContext = {},
): VoucherRefusal | undefined {
  if (voucher.checkupKind !== checkup.checkupKind) return 'other-checkup';
  if (voucher.sequence !== undefined && checkup.sequence !== undefined && voucher.sequence !== checkup.sequence) return 'other-checkup';
  if (checkup.date < voucher.validFrom) return 'not-yet-valid';
  if (checkup.date > voucher.validTo) return 'expired';
  if (voucher.checkupKind === 'prenatal' && ctx.deliveryDate && checkup.date > ctx.deliveryDate) return 'after-delivery';
  if (voucher.checkupKind === 'postpartum' && ctx.deliveryDate) {
    if (checkup.date < ctx.deliveryDate) return 'before-delivery';
    if (checkup.date > addDays(ctx.deliveryDate, POSTPARTUM_VOUCHER_DAYS - 1)) return 'expired';
  }
  return undefined;
}
