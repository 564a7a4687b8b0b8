/**
 * Japanese age and interval arithmetic for the routine-vaccination schedule. Pure functions over
 * `YYYY-MM-DD` strings (calendar dates, no time zone).
 *
 * The readings follow the Ministry of Health, Labour and Welfare's interpretation of the wording in
 * 予防接種法施行令 / 予防接種実施規則 / 定期接種実施要領, as municipalities publish it (e.g. 神戸市
 * 「定期予防接種における『対象者』と『接種間隔』の考え方」, 名取市「定期予防接種における『対象者』と
 * 『接種間隔』の解釈について」, both citing the Ministry's 事務連絡), and the Ministry's rotavirus Q&A:
 * - a person reaches an age at the end of the day before the birthday (年齢計算ニ関スル法律, 民法 §143),
 *   so 「n歳以上」 starts and 「n歳未満 / n歳に至るまで」 ends on the day before the n-th birthday;
 * - 「生後n月に至る日」 is the day before the same date n months later, or that month's last day when it
 *   has no such date (born 31 July → 生後2月 on 30 September: ロタウイルスワクチンに関するQ&A 問5);
 * - 「出生n週m日後」 counts the day after birth as day 1 (same Q&A): 6週0日後 = birth + 42 days;
 * - 「n日以上の間隔をおく」: the next dose is allowed from the (n+1)-th day after the dose
 *   (27日以上 → the same weekday four weeks later);
 * - 「n月以上の間隔をおく」: n months have passed on the day before the same date n months later (or
 *   that month's last day), so the next dose is allowed from the day after: 4/1 + 3月 → 7/1,
 *   11/30 + 3月 → 3/1 (予防接種基本方針部会 第52回 資料5「定期の予防接種における接種間隔の解釈について」);
 * - 「n月半」: n months, then half of the month that interval ends in (28→14, 29/30→15, 31→16 days):
 *   4/1 + 2月半 → 6/1 + 15 = 6/16 (same 資料).
 */

export type IsoDate = string;

const DAY_MS = 86_400_000;

function parts(iso: IsoDate): [number, number, number] {
  return [Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))];
}

function iso(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  const [ay, am, ad] = parts(a);
  const [by, bm, bd] = parts(b);
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / DAY_MS);
}

export const maxDate = (...ds: Array<IsoDate | null | undefined>): IsoDate | null =>
  ds.reduce<IsoDate | null>((a, b) => (b == null ? a : a == null || b > a ? b : a), null);
export const minDate = (...ds: Array<IsoDate | null | undefined>): IsoDate | null =>
  ds.reduce<IsoDate | null>((a, b) => (b == null ? a : a == null || b < a ? b : a), null);

/**
 * The end of a period of `months` months counted from `date` as the first day: the day before the
 * same date `months` later, or that month's last day when it has none (民法 §143②).
 */
function monthsEnd(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  if (d > daysInMonth(ty, tm)) return iso(ty, tm, daysInMonth(ty, tm));
  return addDays(iso(ty, tm, d), -1);
}

/** 生後n月に至る日: the day the child is n months old. Born 2024-07-31 → 生後2月 on 2024-09-30. */
export function monthsReached(dateOfBirth: IsoDate, months: number): IsoDate {
  return monthsEnd(dateOfBirth, months);
}

/** n歳に達する日 (n歳となる日): the day before the n-th birthday; for 29 February, 28 February. */
export function yearsReached(dateOfBirth: IsoDate, years: number): IsoDate {
  return monthsEnd(dateOfBirth, years * 12);
}

/** 出生n週m日後: birth + 7n + m days (the day after birth is 出生0週1日後). */
export function afterBirth(dateOfBirth: IsoDate, weeks: number, days = 0): IsoDate {
  return addDays(dateOfBirth, weeks * 7 + days);
}

/** 年度 (fiscal and school year, 1 April – 31 March) a date falls in, by its starting calendar year. */
export function fiscalYearOf(date: IsoDate): number {
  const [y, m] = parts(date);
  return m >= 4 ? y : y - 1;
}

export const fiscalYearStart = (fy: number): IsoDate => iso(fy, 4, 1);
export const fiscalYearEnd = (fy: number): IsoDate => iso(fy + 1, 3, 31);

/** 「n歳となる日の属する年度」: the fiscal year of the day one reaches n (born 1 April belongs to the year before). */
export function fiscalYearOfAge(dateOfBirth: IsoDate, years: number): number {
  return fiscalYearOf(yearsReached(dateOfBirth, years));
}

/**
 * 小学校就学の始期: the first 1 April after the day one reaches 6 (学校教育法 §17①: 満六歳に達した日の
 * 翌日以後における最初の学年の初め). Born 2019-04-01 → 2025-04-01; born 2019-04-02 → 2026-04-01.
 */
export function schoolEntry(dateOfBirth: IsoDate): IsoDate {
  return fiscalYearStart(fiscalYearOfAge(dateOfBirth, 6) + 1);
}

/** An interval as the rules write it: 「n日」, 「n週」, 「n月」, 「n月半」 or 「n年」. */
export interface Period {
  days?: number;
  weeks?: number;
  months?: number;
  /** 「n月半」: after the months, half of the month the interval ends in. */
  halfMonth?: boolean;
  years?: number;
}

export const days = (n: number): Period => ({ days: n });
export const months = (n: number, halfMonth = false): Period => ({ months: n, halfMonth });

/**
 * The first day a dose is allowed after a dose on `date` when the rule asks for 「period 以上の
 * 間隔をおく」 — equally, the last day of 「period までの間隔」: 27日 → date + 28; 3月 from 4/1 → 7/1.
 */
export function afterInterval(date: IsoDate, period: Period): IsoDate {
  const whole = (period.months ?? 0) + 12 * (period.years ?? 0);
  let next = date;
  // The dose day counts as the period's first day, as for ages: 4/1 + 3月 has passed on 6/30.
  if (whole > 0) next = addDays(monthsEnd(next, whole), 1);
  if (period.halfMonth) {
    const [y, m] = parts(next);
    next = addDays(next, Math.ceil(daysInMonth(y, m) / 2)); // 28→14, 29→15, 30→15, 31→16
  }
  const plainDays = (period.days ?? 0) + 7 * (period.weeks ?? 0);
  if (plainDays > 0) next = addDays(next, plainDays + (whole > 0 || period.halfMonth ? 0 : 1));
  return next;
}

/** A period in words, for messages: 27日, 6か月, 2か月半. */
export function describePeriod(p: Period): string {
  const out: string[] = [];
  if (p.years) out.push(`${p.years}年`);
  if (p.months) out.push(`${p.months}か月${p.halfMonth ? '半' : ''}`);
  if (p.weeks) out.push(`${p.weeks}週`);
  if (p.days) out.push(`${p.days}日`);
  return out.join('');
}
