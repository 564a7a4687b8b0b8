/**
 * The national growth table (令和5年乳幼児身体発育調査) as stored, and the chart made from it: every row
 * ordered from the 3rd to the 97th percentile and every curve rising with age; values of the published
 * tables at known places; the band of a measurement at its edges; the span, curves and points of a
 * child's chart.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  HEAD_CM,
  HEIGHT_CM,
  WEIGHT_KG,
  bandOf,
  chartPolyline,
  growthChart,
  percentileBand,
  percentilesAt,
  type PercentileRow,
  type ReferenceRow,
} from '../src/domain/maternal-child/index.ts';

const TABLES: Array<[string, readonly ReferenceRow[]]> = [
  ['weight', WEIGHT_KG],
  ['height', HEIGHT_CM],
  ['head', HEAD_CM],
];

describe('the stored table', () => {
  it('has the published rows: birth, 30 days, eleven months, then half years (head to 3 years)', () => {
    assert.equal(WEIGHT_KG.length, 24);
    assert.equal(HEIGHT_CM.length, 24);
    assert.equal(HEAD_CM.length, 17);
    assert.equal(WEIGHT_KG[0].label, '出生時');
    assert.equal(WEIGHT_KG[23].label, '6年0～6月未満');
    assert.equal(HEAD_CM[16].label, '2年6～12月未満');
  });

  it('orders every row from the 3rd to the 97th percentile, and every curve rises with age', () => {
    for (const [name, rows] of TABLES) {
      for (const sex of ['boys', 'girls'] as const) {
        rows.forEach((r, i) => {
          for (let k = 1; k < 7; k++) assert.ok(r[sex][k] > r[sex][k - 1], `${name} ${sex} ${r.label} p${k}`);
          if (i > 0) for (let k = 0; k < 7; k++) assert.ok(r[sex][k] > rows[i - 1][sex][k], `${name} ${sex} ${r.label} rises (p index ${k})`);
        });
      }
    }
  });

  it('holds the published values at known places (表1 体重, 表2 身長, 表3 頭囲)', () => {
    assert.deepEqual(WEIGHT_KG[0].boys, [2.32, 2.58, 2.8, 3.06, 3.31, 3.56, 3.81]);
    assert.deepEqual(WEIGHT_KG[0].girls, [2.22, 2.46, 2.7, 2.95, 3.21, 3.44, 3.66]);
    assert.equal(HEIGHT_CM[23].girls[6], 123.2);
    assert.equal(HEAD_CM[1].boys[3], 36.8);
  });
});

describe('percentiles at an age', () => {
  it('are the row’s own values at a row’s age, and read linearly between rows', () => {
    assert.deepEqual(percentilesAt('weight', '1', 0), WEIGHT_KG[0].boys);
    assert.deepEqual(percentilesAt('height', '2', 15), HEIGHT_CM[13].girls);
    const mid = percentilesAt('height', '1', 18)!; // halfway between 15 and 21 months
    assert.ok(Math.abs(mid[3] - (76.5 + 82.1) / 2) < 1e-9);
  });

  it('are unknown before birth, after the table, and for a sex the table has no curves for', () => {
    assert.equal(percentilesAt('weight', '1', -0.1), undefined);
    assert.equal(percentilesAt('head', '1', 34), undefined);
    assert.equal(percentilesAt('weight', '0', 6), undefined);
    assert.equal(percentilesAt('weight', '9', 6), undefined);
  });
});

describe('the band of a measurement', () => {
  const row: PercentileRow = [10, 20, 30, 40, 50, 60, 70];
  const table: Array<[number, string]> = [
    [9.99, 'below-3'],
    [10, '3-10'],
    [19.99, '3-10'],
    [20, '10-25'],
    [40, '50-75'],
    [60, '90-97'],
    [70, '90-97'], // on the 97th: still inside the shaded band
    [70.01, 'above-97'],
  ];
  for (const [value, band] of table) it(`${value} → ${band}`, () => assert.equal(bandOf(row, value), band));

  it('of a boy at the median at 6 months is 50–75', () => {
    assert.equal(percentileBand('weight', '1', 6.5, 7.91), '50-75');
    assert.equal(percentileBand('weight', '1', 6.5, 6.3), 'below-3');
    assert.equal(percentileBand('weight', '1', 100, 20), undefined);
  });
});

describe('a child’s chart', () => {
  it('spans the first year for a baby, with seven curves and each point’s band', () => {
    const c = growthChart({
      measure: 'weight',
      sex: '1',
      dateOfBirth: '2025-01-10',
      measurements: [
        { date: '2025-07-10', value: 7.9 }, // 6 months
        { date: '2025-02-10', value: 4.0 }, // 1 month: between the 25th (3.84) and the 50th (4.17) there
        { date: '2025-01-01', value: 3.0 }, // before birth: left out
      ],
    });
    assert.equal(c.unit, 'kg');
    assert.deepEqual([c.range.fromMonths, c.range.toMonths], [0, 12]);
    assert.deepEqual(
      c.curves.map((x) => x.percentile),
      [3, 10, 25, 50, 75, 90, 97],
    );
    for (const curve of c.curves) {
      assert.equal(curve.points[0].ageMonths, 0);
      assert.equal(curve.points[curve.points.length - 1].ageMonths, 12);
    }
    assert.deepEqual(
      c.child.map((p) => [p.date, p.ageMonths, p.band]),
      [
        ['2025-02-10', 1, '25-50'],
        ['2025-07-10', 6, '50-75'],
      ],
    );
    assert.ok(c.range.minValue <= 2.32 && c.range.maxValue >= 10.66);
    assert.match(c.source, /令和5年乳幼児身体発育調査/);
  });

  it('widens to two years for a child of 20 months, and stops the head curves where the table ends', () => {
    const c = growthChart({ measure: 'height', sex: '2', dateOfBirth: '2024-01-10', measurements: [{ date: '2025-09-10', value: 80 }] });
    assert.equal(c.range.toMonths, 24);
    const head = growthChart({ measure: 'head', sex: '1', dateOfBirth: '2022-01-10', measurements: [{ date: '2025-05-10', value: 50 }] });
    assert.equal(head.range.toMonths, 48);
    assert.equal(head.curves[0].points[head.curves[0].points.length - 1].ageMonths, 33);
    assert.equal(head.child[0].band, undefined);
  });

  it('reaches the last measurement even past the table, with the curves ending where the table does', () => {
    const c = growthChart({ measure: 'weight', sex: '2', dateOfBirth: '2018-01-10', measurements: [{ date: '2024-09-10', value: 22 }] });
    assert.equal(c.range.toMonths, 80);
    assert.equal(c.child[0].ageMonths, 80);
    assert.equal(c.child[0].band, undefined);
    assert.equal(c.curves[3].points[c.curves[3].points.length - 1].ageMonths, 75);
  });

  it('draws no curves and no bands for a sex the table has none for', () => {
    const c = growthChart({ measure: 'weight', sex: '9', dateOfBirth: '2025-01-10', measurements: [{ date: '2025-07-10', value: 7.9 }] });
    assert.deepEqual(c.curves, []);
    assert.equal(c.child[0].band, undefined);
  });

  it('places points in an SVG box: age left to right, values bottom to top', () => {
    const range = { fromMonths: 0, toMonths: 12, minValue: 0, maxValue: 10 };
    assert.equal(
      chartPolyline(
        [
          { ageMonths: 0, value: 0 },
          { ageMonths: 6, value: 5 },
          { ageMonths: 12, value: 10 },
        ],
        { width: 120, height: 100 },
        range,
      ),
      '0,100 60,50 120,0',
    );
  });
});
