/**
 * A child's age in months, the way the checkup forms count it (健診受診時月齢: completed months) and the
 * way a growth chart places a point (completed months plus the part of the month under way).
 *
 * The count follows the Japanese reading of age the vaccination rules use (年齢計算ニ関スル法律,
 * 民法 §143): the n-th month is complete at the end of 生後n月に至る日, the day before the same date n
 * months later (or that month's last day when it has none). So a child born on 15 January is 3 months
 * old from 15 April, and one born on 31 July is 2 months old from 1 October (生後2月 ends on 30 September).
 */
import { addDays, daysBetween, monthsReached, type IsoDate } from '../vaccination/japanese-age.ts';

/** Completed months on `date` (0 on the day of birth); -1 before birth. */
export function completedMonths(dateOfBirth: IsoDate, date: IsoDate): number {
  if (date < dateOfBirth) return -1;
  const [by, bm] = [Number(dateOfBirth.slice(0, 4)), Number(dateOfBirth.slice(5, 7))];
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  let n = Math.max(0, (y - by) * 12 + (m - bm));
  while (n > 0 && monthsReached(dateOfBirth, n) >= date) n--;
  while (monthsReached(dateOfBirth, n + 1) < date) n++;
  return n;
}

/** The first day the child is `n` completed months old. */
export function firstDayOfMonthAge(dateOfBirth: IsoDate, n: number): IsoDate {
  return n === 0 ? dateOfBirth : addDays(monthsReached(dateOfBirth, n), 1);
}

/** The last day the child is still `n` completed months old. */
export function lastDayOfMonthAge(dateOfBirth: IsoDate, n: number): IsoDate {
  return monthsReached(dateOfBirth, n + 1);
}

/**
 * Age in months as a number for a chart: completed months plus the fraction of the current month
 * that has passed (days since the month began over the days that month of age has).
 */
export function ageInMonthsExact(dateOfBirth: IsoDate, date: IsoDate): number {
  const n = completedMonths(dateOfBirth, date);
  if (n < 0) return Number.NaN;
  const from = firstDayOfMonthAge(dateOfBirth, n);
  const to = firstDayOfMonthAge(dateOfBirth, n + 1);
  return n + daysBetween(from, date) / daysBetween(from, to);
}

/** Days since birth (the day after birth is day 1, as 生後n日 counts). */
export function ageInDays(dateOfBirth: IsoDate, date: IsoDate): number {
  return daysBetween(dateOfBirth, date);
}
