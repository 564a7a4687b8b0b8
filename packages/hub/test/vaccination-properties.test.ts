/**
 * Properties of the schedule over random people and histories (fast-check): no forecast date lies
 * before the first allowed day; no dose is accepted before a forecast's earliest day (so none inside a
 * minimum interval, an age limit or the 27-day rule); a dose on `earliest` and on `latest` passes
 * the check, the day before `earliest` and the day after `latest` do not.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, checkDose, daysBetween, forecast, type ForecastEntry, type GivenDose, type Person } from '../src/domain/vaccination/index.ts';

/** Warnings that mean "not on this day" for the rules the forecast's dates encode. */
const BLOCKING = new Set(['too-early', 'interval', 'live-vaccine-interval', 'not-eligible', 'too-late']);

const BASE = '1925-01-01';
const dateArb = (from: string, to: string) => fc.integer({ min: 0, max: daysBetween(from, to) }).map((n) => addDays(from, n));

/**
 * A person and a history made the way a real one is: at each step, the next dose of some vaccine the
 * forecast offers is given on a day within its window (sometimes late, so schedules branch: doses left
 * out, series chosen by the age at the first dose).
 */
const scenarioArb = fc
  .record({
    dateOfBirth: fc.oneof(dateArb('2019-01-01', '2027-12-31'), dateArb('2005-01-01', '2018-12-31'), dateArb(BASE, '1966-12-31')),
    sex: fc.constantFrom('1', '2'),
    pregnant: fc.boolean(),
    disability60to64: fc.boolean(),
    steps: fc.array(fc.record({ pick: fc.nat(), delay: fc.nat({ max: 400 }), offset: fc.nat({ max: 90 }) }), { maxLength: 14 }),
    tail: fc.nat({ max: 500 }),
  })
  .map((s) => {
    const person: Person = { dateOfBirth: s.dateOfBirth, sex: s.sex, disability60to64: s.disability60to64 };
    let asOf = addDays(s.dateOfBirth, 30);
    if (asOf < '2015-01-01') asOf = addDays('2015-01-01', s.tail);
    if (s.pregnant && s.sex === '2') person.expectedDeliveryDate = addDays(asOf, 60 + (s.tail % 200));
    const history: GivenDose[] = [];
    for (const step of s.steps) {
      asOf = addDays(asOf, step.delay);
      const open = nextToGive(forecast(person, history, asOf));
      if (!open.length) continue;
      const e = open[step.pick % open.length];
      const from = e.earliest! > asOf ? e.earliest! : asOf;
      if (from > e.latest!) continue;
      const date = addDays(from, Math.min(step.offset, daysBetween(from, e.latest!)));
      history.push({ vaccineCode: e.vaccineCode, doseNumber: e.doseNumber, date, ...(e.series ? { series: e.series } : {}) });
      asOf = date;
    }
    return { person, history, asOf: addDays(asOf, s.tail % 120) };
  });

/** Entries whose earlier doses are all settled (given or left out): the next one to give of their vaccine. */
function nextToGive(f: ForecastEntry[]): ForecastEntry[] {
  return f.filter(
    (e) =>
      (e.status === 'due' || e.status === 'overdue' || e.status === 'upcoming') &&
      f.filter((o) => o.vaccineCode === e.vaccineCode && o.doseNumber < e.doseNumber).every((o) => o.status === 'complete' || o.status === 'not-eligible'),
  );
}

const blocking = (person: Person, history: GivenDose[], e: ForecastEntry, date: string) =>
  checkDose(person, history, { vaccineCode: e.vaccineCode, doseNumber: e.doseNumber, series: e.series, date })
    .map((w) => w.code)
    .filter((c) => BLOCKING.has(c));

/** More runs on demand (e.g. FC_NUM_RUNS=5000) for a deeper search than the suite's default. */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 400);

describe('schedule properties', () => {
  it('no forecast date before the earliest allowed day, none after the last', () => {
    fc.assert(
      fc.property(scenarioArb, ({ person, history, asOf }) => {
        for (const e of forecast(person, history, asOf, { includeNotEligible: true })) {
          if (e.status === 'complete') assert.equal(e.earliest, undefined);
          if (e.earliest === undefined) continue;
          assert.ok(e.latest !== undefined && e.earliest <= e.latest, JSON.stringify(e));
          assert.ok(e.recommended !== undefined && e.earliest <= e.recommended && e.recommended <= e.latest, JSON.stringify(e));
          if (e.status === 'upcoming') assert.ok(asOf < e.earliest, JSON.stringify(e));
          else assert.ok(e.earliest <= asOf && asOf <= e.latest, JSON.stringify({ asOf, e }));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("a dose on the forecast's earliest or latest day passes; the day before earliest and after latest do not", () => {
    fc.assert(
      fc.property(scenarioArb, ({ person, history, asOf }) => {
        for (const e of nextToGive(forecast(person, history, asOf))) {
          assert.deepEqual(blocking(person, history, e, e.earliest!), [], `on earliest: ${JSON.stringify({ person, history, asOf, e })}`);
          assert.deepEqual(blocking(person, history, e, e.latest!), [], `on latest: ${JSON.stringify({ person, history, asOf, e })}`);
          if (e.earliest! > asOf)
            assert.notDeepEqual(
              blocking(person, history, e, addDays(e.earliest!, -1)),
              [],
              `the day before earliest: ${JSON.stringify({ person, history, asOf, e })}`,
            );
          // The day after: out of the window, or (when another vaccine's interval closed its last days) held back.
          assert.notDeepEqual(blocking(person, history, e, addDays(e.latest!, 1)), [], `the day after latest: ${JSON.stringify({ person, history, asOf, e })}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('no dose is accepted from today until the earliest day: not inside a minimum interval, an age limit or the 27-day rule', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ person, history, asOf }, pick) => {
        const upcoming = nextToGive(forecast(person, history, asOf)).filter((e) => e.earliest! > asOf);
        if (!upcoming.length) return;
        const e = upcoming[pick % upcoming.length];
        const day = addDays(asOf, pick % daysBetween(asOf, e.earliest!));
        assert.notDeepEqual(blocking(person, history, e, day), [], JSON.stringify({ person, history, asOf, e, day }));
      }),
      { numRuns: RUNS },
    );
  });

  it('a dose given inside its minimum interval after the previous one is always flagged', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ person, history }, pick) => {
        // Take a recorded dose that followed an earlier one of its vaccine; move it to a day between the
        // previous dose and the day the rules allowed it from.
        const hasAllBefore = (d: GivenDose) =>
          Array.from({ length: d.doseNumber - 1 }, (_, i) => i + 1).every((n) => history.some((o) => o.vaccineCode === d.vaccineCode && o.doseNumber === n));
        const candidates = history.filter((d) => d.doseNumber > 1 && hasAllBefore(d));
        if (!candidates.length) return;
        const d = candidates[pick % candidates.length];
        const prior = history.filter((o) => (o.vaccineCode === d.vaccineCode ? o.doseNumber < d.doseNumber : o.date < d.date));
        const previous = prior.find((o) => o.vaccineCode === d.vaccineCode && o.doseNumber === d.doseNumber - 1)!;
        const entry = forecast(person, prior, previous.date).find((e) => e.vaccineCode === d.vaccineCode && e.doseNumber === d.doseNumber);
        if (!entry?.earliest || entry.earliest <= addDays(previous.date, 1)) return;
        const day = addDays(previous.date, 1 + (pick % daysBetween(addDays(previous.date, 1), entry.earliest)));
        assert.notDeepEqual(blocking(person, prior, entry, day), [], JSON.stringify({ person, prior, entry, day }));
      }),
      { numRuns: RUNS },
    );
  });
});
