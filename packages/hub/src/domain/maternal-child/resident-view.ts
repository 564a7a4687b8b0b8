/**
 * The resident's checkups (seed C③): the vouchers (受診券) issued to them by every municipality and the
 * results recorded, and — for a child — the growth chart of height and weight over the national
 * percentile curves (growth-chart.ts). Pure: the store reads, this orders and draws.
 */
import type { CheckupResult, CheckupResultBody, CheckupVoucher, ResidentCheckupVoucher, ResidentCheckups } from '@pmh/protocol';
import { completedMonths } from './child-age.ts';
import { CHECKUP_KIND_RULES } from './checkup-kinds.ts';
import { growthChart, type Sex } from './growth-chart.ts';
import type { IsoDate } from '../vaccination/japanese-age.ts';

export interface ResidentVoucherFacts extends CheckupVoucher {
  municipalityCode: string;
  used: boolean;
}

export interface ResidentResultFacts {
  resultId: string;
  body: CheckupResultBody;
  source: 'municipal' | 'venue';
}

/** A growth chart is drawn for a child under 6, the age the infant checkups end (child-checkup window; checkup-result.ts). */
const GROWTH_CHART_MONTHS = 72;

const STATUS_ORDER: Record<ResidentCheckupVoucher['status'], number> = { unused: 0, used: 1, expired: 2 };

export function residentCheckups(
  person: { dateOfBirth: IsoDate; sex: string } | undefined,
  vouchers: readonly ResidentVoucherFacts[],
  results: readonly ResidentResultFacts[],
  today: IsoDate,
): ResidentCheckups {
  const shownVouchers = vouchers
    .map(({ used, ...v }): ResidentCheckupVoucher => ({ ...v, status: used ? 'used' : v.validTo < today ? 'expired' : 'unused' }))
    // Unused first, the soonest to end first; then used and expired, the latest first.
    .sort((a, b) =>
      a.status !== b.status
        ? STATUS_ORDER[a.status] - STATUS_ORDER[b.status]
        : a.status === 'unused'
          ? a.validTo.localeCompare(b.validTo) || (a.sequence ?? 0) - (b.sequence ?? 0)
          : b.validTo.localeCompare(a.validTo) || (b.sequence ?? 0) - (a.sequence ?? 0),
    );
  const shownResults: CheckupResult[] = [...results]
    .sort((a, b) => b.body.date.localeCompare(a.body.date))
    .map((r) => ({ resultId: r.resultId, ...r.body, source: r.source }));
  const answer: ResidentCheckups = { vouchers: shownVouchers, results: shownResults };
  if (!person) return answer;
  const childResults = results.filter((r) => CHECKUP_KIND_RULES[r.body.checkupKind].subject === 'child');
  const young = person.dateOfBirth <= today && completedMonths(person.dateOfBirth, today) < GROWTH_CHART_MONTHS;
  if (!young && childResults.length === 0) return answer;
  const sex = person.sex as Sex;
  const points = (key: 'heightCm' | 'weightKg') =>
    childResults.flatMap((r) => (typeof r.body.measurements[key] === 'number' ? [{ date: r.body.date, value: r.body.measurements[key] }] : []));
  return {
    ...answer,
    growth: {
      height: growthChart({ measure: 'height', sex, dateOfBirth: person.dateOfBirth, measurements: points('heightCm') }),
      weight: growthChart({ measure: 'weight', sex, dateOfBirth: person.dateOfBirth, measurements: points('weightKg') }),
    },
  };
}
