/**
 * Plausible ranges of what a checkup measures. These are OURS, not a clinical standard: wide enough
 * that no real measurement, however unusual (a very small preterm baby, a child far above the curves),
 * is refused, and narrow enough to catch the mistakes of typing and units — grams for kilograms,
 * millimetres for centimetres, a decimal point one place off. Judging growth is the doctor's; a value
 * outside the shaded band of the chart is not an error.
 *
 * For a child the range moves with age, anchored on the national table (令和5年乳幼児身体発育調査):
 * weight from a quarter of the 3rd percentile to twice the 97th, height from 0.6 × the 3rd to 1.25 × the
 * 97th, head circumference from 0.7 × the 3rd to 1.3 × the 97th. Chest circumference has no national
 * table by age in the 2023 survey, so it gets a fixed range. An adult's ranges (妊婦, 産婦) are fixed.
 */
import type { GrowthMeasure } from '@pmh/protocol';
import { percentilesAt, referenceEnd, type Sex } from './growth-chart.ts';

export interface Range {
  min: number;
  max: number;
}

const CHILD_FACTORS: Record<GrowthMeasure, [number, number]> = {
  weight: [0.25, 2.0],
  height: [0.6, 1.25],
  head: [0.7, 1.3],
};

/** A child's chest circumference, any age to 6 years (ours). */
export const CHILD_CHEST_CM: Range = { min: 20, max: 80 };

/** A pregnant or recently delivered woman (ours). */
export const ADULT_RANGES = {
  heightCm: { min: 120, max: 210 },
  weightKg: { min: 25, max: 200 },
  systolic: { min: 60, max: 250 },
  diastolic: { min: 30, max: 150 },
  fundalHeightCm: { min: 0, max: 50 },
  abdominalCm: { min: 50, max: 200 },
} as const satisfies Record<string, Range>;

/** 妊娠週数 a checkup can be at: from the first weeks a pregnancy is seen to past term (ours). */
export const GESTATIONAL_WEEKS: Range = { min: 4, max: 44 };

/**
 * The plausible range of a child's measure at an age (months). Beyond the table's last row the last
 * row holds (head circumference ends at 3 years in the table); a sex without curves takes the widest
 * of boys' and girls'.
 */
export function childRange(measure: GrowthMeasure, sex: Sex, ageMonths: number): Range {
  const age = Math.min(Math.max(ageMonths, 0), referenceEnd(measure));
  const rows = sex === '1' || sex === '2' ? [percentilesAt(measure, sex, age)!] : [percentilesAt(measure, '1', age)!, percentilesAt(measure, '2', age)!];
  const [low, high] = CHILD_FACTORS[measure];
  const round = (v: number) => Math.round(v * 100) / 100;
  return { min: round(Math.min(...rows.map((r) => r[0])) * low), max: round(Math.max(...rows.map((r) => r[6])) * high) };
}
