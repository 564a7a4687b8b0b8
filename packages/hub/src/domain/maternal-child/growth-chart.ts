/**
 * The growth chart (乳幼児身体発育曲線) of a child: for each measurement, the percentile band it falls in,
 * and the national curves to draw behind it (3rd to 97th percentile, the band the 母子健康手帳 shades).
 * Pure: a page turns the result into SVG (see `chartPolyline`).
 */
import { GROWTH_PERCENTILES, PERCENTILE_BANDS, type GrowthChart, type GrowthMeasure, type PercentileBand } from '@pmh/protocol';
import type { IsoDate } from '../vaccination/japanese-age.ts';
import { ageInMonthsExact } from './child-age.ts';
import { GROWTH_REFERENCE_SOURCE, HEAD_CM, HEIGHT_CM, WEIGHT_KG, type PercentileRow, type ReferenceRow } from './growth-reference.ts';

export const REFERENCE: Record<GrowthMeasure, readonly ReferenceRow[]> = { height: HEIGHT_CM, weight: WEIGHT_KG, head: HEAD_CM };
export const UNIT: Record<GrowthMeasure, 'cm' | 'kg'> = { height: 'cm', weight: 'kg', head: 'cm' };

/** ISO 5218. The table has curves for boys ("1") and girls ("2") only. */
export type Sex = '0' | '1' | '2' | '9';

/** The last age the table covers for a measure, in months. */
export function referenceEnd(measure: GrowthMeasure): number {
  const rows = REFERENCE[measure];
  return rows[rows.length - 1].ageMonths;
}

/**
 * The seven percentile values at an age (months, fractional), read linearly between the table's rows;
 * undefined before birth, after the table's last row, or for a sex the table has no curves for.
 */
export function percentilesAt(measure: GrowthMeasure, sex: Sex, ageMonths: number): PercentileRow | undefined {
  if (sex !== '1' && sex !== '2') return undefined;
  const rows = REFERENCE[measure];
  if (!(ageMonths >= 0) || ageMonths > rows[rows.length - 1].ageMonths) return undefined;
  const pick = (r: ReferenceRow) => (sex === '1' ? r.boys : r.girls);
  let i = 0;
  while (i < rows.length - 1 && rows[i + 1].ageMonths < ageMonths) i++;
  const a = rows[i];
  const b = rows[Math.min(i + 1, rows.length - 1)];
  if (a === b || ageMonths <= a.ageMonths) return pick(a);
  if (ageMonths >= b.ageMonths) return pick(b);
  const t = (ageMonths - a.ageMonths) / (b.ageMonths - a.ageMonths);
  const [pa, pb] = [pick(a), pick(b)];
  return pa.map((v, k) => v + (pb[k] - v) * t) as unknown as PercentileRow;
}

/**
 * The band a value falls in: below the 3rd percentile, between two published percentiles (the lower
 * one included), or above the 97th; a value exactly on the 97th is still inside the shaded band.
 */
export function bandOf(values: PercentileRow, value: number): PercentileBand {
  if (value < values[0]) return 'below-3';
  if (value > values[6]) return 'above-97';
  for (let i = 5; i >= 0; i--) if (value >= values[i]) return PERCENTILE_BANDS[i + 1];
  return PERCENTILE_BANDS[1];
}

/** The band of one measurement of a child, or undefined where the table does not reach. */
export function percentileBand(measure: GrowthMeasure, sex: Sex, ageMonths: number, value: number): PercentileBand | undefined {
  const p = percentilesAt(measure, sex, ageMonths);
  return p ? bandOf(p, value) : undefined;
}

export interface Measurement {
  date: IsoDate;
  value: number;
}

/**
 * The spans a chart is drawn over: the first year (as the 母子健康手帳's 乳児身体発育曲線), then to 2, 3, 4
 * and 6 years; a child measured later than 6 gets a span to the last measurement, with curves only as far
 * as the table goes.
 */
const CHART_SPANS = [12, 24, 36, 48, 72];

/**
 * A child's chart for one measure: the curves of the seven percentiles over a span that holds every
 * measurement (a year for a baby, up to six years), and each measurement with its age and band.
 * Measurements dated before birth are left out; so are curves for a sex the table has none for.
 */
export function growthChart(input: { measure: GrowthMeasure; sex: Sex; dateOfBirth: IsoDate; measurements: Measurement[] }): GrowthChart {
  const { measure, sex, dateOfBirth } = input;
  const child = input.measurements
    .filter((m) => m.date >= dateOfBirth && Number.isFinite(m.value))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((m) => {
      const ageMonths = round(ageInMonthsExact(dateOfBirth, m.date), 3);
      const band = percentileBand(measure, sex, ageMonths, m.value);
      return { date: m.date, ageMonths, value: m.value, ...(band ? { band } : {}) };
    });
  const end = referenceEnd(measure);
  const latest = child.length ? child[child.length - 1].ageMonths : 0;
  const toMonths = CHART_SPANS.find((s) => s >= latest) ?? Math.ceil(latest);
  const curves =
    sex === '1' || sex === '2'
      ? GROWTH_PERCENTILES.map((percentile, k) => ({ percentile, points: curvePoints(measure, sex, k, Math.min(toMonths, end)) }))
      : [];
  const values = [...curves.flatMap((c) => c.points.map((p) => p.value)), ...child.map((c) => c.value)];
  return {
    measure,
    unit: UNIT[measure],
    sex,
    range: {
      fromMonths: 0,
      toMonths,
      minValue: values.length ? Math.floor(Math.min(...values)) : 0,
      maxValue: values.length ? Math.ceil(Math.max(...values)) : 0,
    },
    curves,
    child,
    source: GROWTH_REFERENCE_SOURCE,
  };
}

/** The table's rows up to `toMonths`, and the curve's value at `toMonths` itself when it falls between rows. */
function curvePoints(measure: GrowthMeasure, sex: '1' | '2', k: number, toMonths: number): Array<{ ageMonths: number; value: number }> {
  const rows = REFERENCE[measure].filter((r) => r.ageMonths <= toMonths);
  const points = rows.map((r) => ({ ageMonths: round(r.ageMonths, 3), value: (sex === '1' ? r.boys : r.girls)[k] }));
  if (rows[rows.length - 1].ageMonths < toMonths) points.push({ ageMonths: toMonths, value: round(percentilesAt(measure, sex, toMonths)![k], 2) });
  return points;
}

/**
 * Points as an SVG `points` attribute, in a box of `width` × `height` with the age axis from
 * `range.fromMonths` to `range.toMonths` left to right and values from `minValue` (bottom) to
 * `maxValue` (top).
 */
export function chartPolyline(
  points: Array<{ ageMonths: number; value: number }>,
  box: { width: number; height: number },
  range: { fromMonths: number; toMonths: number; minValue: number; maxValue: number },
): string {
  const sx = box.width / (range.toMonths - range.fromMonths || 1);
  const sy = box.height / (range.maxValue - range.minValue || 1);
  return points.map((p) => `${round((p.ageMonths - range.fromMonths) * sx, 1)},${round(box.height - (p.value - range.minValue) * sy, 1)}`).join(' ');
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
