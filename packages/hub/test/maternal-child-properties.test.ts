/**
 * Properties over random children and measurements (fast-check): any child checkup whose values lie
 * within the plausible ranges of the child's age validates, with no error; push any one value outside
 * its range and the result fails naming exactly that field; a child's age in months never goes back and
 * its whole part is the completed months; a larger measurement never falls in a lower band.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, daysBetween } from '../src/domain/vaccination/index.ts';
import {
  CHILD_CHEST_CM,
  ageInMonthsExact,
  childRange,
  completedMonths,
  percentileBand,
  targetWindow,
  validateCheckupResult,
  type Sex,
} from '../src/domain/maternal-child/index.ts';
import { PERCENTILE_BANDS } from '@pmh/protocol';

const RUNS = Number(process.env.FC_NUM_RUNS ?? 300);
const CHILD_KINDS = ['infant-1m', 'infant-3-4m', 'infant-6-7m', 'infant-9-10m', 'infant-1y6m', 'infant-3y'] as const;
const dateArb = (from: string, to: string) => fc.integer({ min: 0, max: daysBetween(from, to) }).map((n) => addDays(from, n));
/** A fraction in [0, 1] in steps of a thousandth. */
const unit = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
const within = (r: { min: number; max: number }, t: number) => Math.round((r.min + (r.max - r.min) * t) * 100) / 100;

const checkupArb = fc
  .record({
    sex: fc.constantFrom<Sex>('1', '2', '0'),
    dateOfBirth: dateArb('2019-01-01', '2025-06-30'),
    kind: fc.constantFrom(...CHILD_KINDS),
    at: unit,
    h: unit,
    w: unit,
    hd: unit,
    ch: unit,
  })
  .map((s) => {
    const window = targetWindow(s.kind, { dateOfBirth: s.dateOfBirth })!;
    const date = addDays(window.from, Math.round(daysBetween(window.from, window.to) * s.at));
    const age = ageInMonthsExact(s.dateOfBirth, date);
    const result = {
      checkupKind: s.kind,
      date,
      institutionCode: '1310000011',
      measurements: {
        heightCm: within(childRange('height', s.sex, age), s.h),
        weightKg: within(childRange('weight', s.sex, age), s.w),
        headCm: within(childRange('head', s.sex, age), s.hd),
        chestCm: within(CHILD_CHEST_CM, s.ch),
      },
      findings: [],
      judgement: 'healthy',
    };
    return { ctx: { subject: { dateOfBirth: s.dateOfBirth, sex: s.sex }, today: '2031-12-31' }, result, age };
  });

describe('checkup result properties', () => {
  it('any child checkup with every value within its plausible range validates, on time and without warnings', () => {
    fc.assert(
      fc.property(checkupArb, ({ ctx, result }) => {
        const r = validateCheckupResult(result, ctx);
        assert.ok('result' in r, JSON.stringify({ result, r }));
        assert.deepEqual(r.warnings, []);
      }),
      { numRuns: RUNS },
    );
  });

  it('one value outside its range fails naming exactly that field', () => {
    const FIELDS = ['heightCm', 'weightKg', 'headCm', 'chestCm'] as const;
    fc.assert(
      fc.property(checkupArb, fc.constantFrom(...FIELDS), fc.boolean(), fc.integer({ min: 1, max: 50 }), ({ ctx, result, age }, field, above, pct) => {
        const measure = { heightCm: 'height', weightKg: 'weight', headCm: 'head' } as const;
        const range = field === 'chestCm' ? CHILD_CHEST_CM : childRange(measure[field], ctx.subject.sex, age);
        // Out by 1–50 % of the bound, and still within what the wire accepts for the field.
        const value = above ? range.max * (1 + pct / 100) : range.min * (1 - pct / 100);
        const wire = { heightCm: [20, 250], weightKg: [0.2, 350], headCm: [15, 80], chestCm: [15, 200] }[field];
        fc.pre(value > range.max || value < range.min);
        fc.pre(value >= wire[0] && value <= wire[1]);
        const broken = { ...result, measurements: { ...result.measurements, [field]: value } };
        const r = validateCheckupResult(broken, ctx);
        assert.ok('errors' in r, JSON.stringify({ broken }));
        assert.deepEqual(
          r.errors.map((e) => e.pointer),
          [`/measurements/${field}`],
        );
      }),
      { numRuns: RUNS },
    );
  });
});

describe('age and band properties', () => {
  it('age in months never goes back, and its whole part is the completed months', () => {
    fc.assert(
      fc.property(dateArb('2015-01-01', '2025-12-31'), fc.integer({ min: 0, max: 2500 }), fc.integer({ min: 0, max: 40 }), (dob, d, step) => {
        const a = addDays(dob, d);
        const b = addDays(a, step);
        assert.ok(ageInMonthsExact(dob, b) >= ageInMonthsExact(dob, a));
        assert.equal(Math.floor(ageInMonthsExact(dob, a)), completedMonths(dob, a));
      }),
      { numRuns: RUNS },
    );
  });

  it('a larger measurement never falls in a lower band', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('height', 'weight', 'head' as const),
        fc.constantFrom<Sex>('1', '2'),
        fc.integer({ min: 0, max: 330 }).map((n) => n / 10),
        fc.float({ min: 1, max: 130, noNaN: true }),
        fc.float({ min: 0, max: 10, noNaN: true }),
        (measure, sex, age, v, dv) => {
          const a = percentileBand(measure, sex, age, v)!;
          const b = percentileBand(measure, sex, age, v + dv)!;
          assert.ok(PERCENTILE_BANDS.indexOf(b) >= PERCENTILE_BANDS.indexOf(a), `${measure} ${sex} ${age}: ${v}→${a}, ${v + dv}→${b}`);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
