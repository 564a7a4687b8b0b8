/**
 * Checkup results as the standard forms have them, refused field by field when they cannot be right:
 * items a kind does not record, values no child of that age measures (a 3-year-old of 300 kg), dates
 * that disagree with the birth or the delivery, findings outside the kind's areas, the detailed-exam
 * date without 要精査 — and the items the national standard leaves out (smoking, STIs) cannot be
 * written at all. No message repeats what was entered.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateCheckupResult, type ResultContext } from '../src/domain/maternal-child/index.ts';

const boy: ResultContext = { subject: { dateOfBirth: '2022-05-10', sex: '1' }, today: '2026-01-31' };
const mother: ResultContext = {
  subject: { dateOfBirth: '1995-01-01', sex: '2' },
  pregnancy: { expectedDeliveryDate: '2026-10-01' },
  today: '2026-12-31',
};

/** A 3歳児健診 of a boy of 36 months, as the standard record has it. */
const threeYear = () => ({
  checkupKind: 'infant-3y',
  date: '2025-06-01',
  institutionCode: '1310000011',
  measurements: { heightCm: 94.2, weightKg: 14.1, headCm: 49.0, chestCm: 51.0 },
  urine: { protein: '-', glucose: '-', occultBlood: '-' },
  findings: [{ area: 'teeth-mouth', finding: 'むし歯 2本' }],
  judgement: 'healthy',
});

/** The 4th 妊婦健診 at 22 weeks. */
const prenatal = () => ({
  checkupKind: 'prenatal',
  sequence: 4,
  date: '2026-06-01',
  institutionCode: '1310000011',
  gestationalWeeks: 22,
  measurements: { heightCm: 158, weightKg: 58.2, systolic: 112, diastolic: 70, fundalHeightCm: 20, abdominalCm: 80 },
  urine: { protein: '-', glucose: '±' },
  edema: '-',
  testsDone: ['ultrasound', 'complete-blood-count'],
  findings: [],
  judgement: 'healthy',
});

const postpartum = () => ({
  checkupKind: 'postpartum',
  sequence: 1,
  date: '2026-10-15',
  institutionCode: '1310000011',
  measurements: { weightKg: 55, systolic: 118, diastolic: 74 },
  urine: { protein: '-', glucose: '-' },
  findings: [{ area: 'uterine-involution', finding: '良好' }],
  judgement: 'healthy',
});

function errorsOf(raw: unknown, ctx: ResultContext): Record<string, string> {
  const r = validateCheckupResult(raw, ctx);
  assert.ok('errors' in r, 'expected errors, got a result');
  return Object.fromEntries(r.errors.map((e) => [e.pointer, e.message]));
}

/** The object with one value set (or removed, for undefined) at a dotted path. */
function set<T extends object>(o: T, path: string, value: unknown): T {
  const keys = path.split('.');
  let x = o as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) x = x[k] as Record<string, unknown>;
  if (value === undefined) delete x[keys[keys.length - 1]];
  else x[keys[keys.length - 1]] = value;
  return o;
}

describe('a valid result', () => {
  it('passes, with the completed months filled in', () => {
    const r = validateCheckupResult(threeYear(), boy);
    assert.ok('result' in r, JSON.stringify(r));
    assert.equal(r.result.ageInMonths, 36);
    assert.deepEqual(r.warnings, []);
  });

  it('passes for a prenatal and a postpartum checkup', () => {
    const p = validateCheckupResult(prenatal(), mother);
    assert.ok('result' in p, JSON.stringify(p));
    assert.deepEqual(p.warnings, []);
    const q = validateCheckupResult(postpartum(), { ...mother, pregnancy: { deliveryDate: '2026-10-01' } });
    assert.ok('result' in q, JSON.stringify(q));
  });

  it('a 要精査 with the date of the detailed exam', () => {
    const r = validateCheckupResult({ ...threeYear(), judgement: 'detailed-exam', detailedExamDate: '2025-07-01' }, boy);
    assert.ok('result' in r, JSON.stringify(r));
  });
});

describe('each rule refuses by field', () => {
  const table: Array<[string, () => unknown, ResultContext, string, RegExp]> = [
    ['a 3-year-old of 300 kg', () => set(threeYear(), 'measurements.weightKg', 300), boy, '/measurements/weightKg', /outside what a child of 36 months/],
    ['grams for kilograms', () => set(threeYear(), 'measurements.weightKg', 14100), boy, '/measurements/weightKg', /at most 350/],
    ['a decimal point one place off', () => set(threeYear(), 'measurements.weightKg', 1.41), boy, '/measurements/weightKg', /check the unit/],
    ['a height of 30 cm at 3', () => set(threeYear(), 'measurements.heightCm', 30), boy, '/measurements/heightCm', /outside/],
    ['a head of 79 cm at 3', () => set(threeYear(), 'measurements.headCm', 79), boy, '/measurements/headCm', /outside/],
    ['a chest of 90 cm at 3', () => set(threeYear(), 'measurements.chestCm', 90), boy, '/measurements/chestCm', /outside/],
    ['blood pressure at a child checkup', () => set(threeYear(), 'measurements.systolic', 100), boy, '/measurements/systolic', /not recorded at an infant/],
    ['a sequence at a child checkup', () => set(threeYear(), 'sequence', 1), boy, '/sequence', /not recorded/],
    ['urine before 3 years', () => set(threeYear(), 'checkupKind', 'infant-1y6m'), boy, '/urine', /3-year checkup only/],
    ['completed months that disagree with the dates', () => set(threeYear(), 'ageInMonths', 30), boy, '/ageInMonths', /36 completed months/],
    ['a date in the future', () => set(threeYear(), 'date', '2026-02-01'), boy, '/date', /after today/],
    ['a date before birth', () => set(threeYear(), 'date', '2022-05-09'), boy, '/date', /before the person’s date of birth/],
    ['a child checkup for a 7-year-old', () => set(threeYear(), 'date', '2029-06-01'), { ...boy, today: '2030-01-01' }, '/checkupKind', /7 years old/],
    [
      'the same area twice',
      () =>
        set(threeYear(), 'findings', [
          { area: 'skin', finding: '湿疹' },
          { area: 'skin', finding: '乾燥' },
        ]),
      boy,
      '/findings/1/area',
      /twice/,
    ],
    ['a postpartum area on a child', () => set(threeYear(), 'findings', [{ area: 'lochia', finding: 'x' }]), boy, '/findings/0/area', /not an area/],
    ['an empty finding', () => set(threeYear(), 'findings', [{ area: 'skin', finding: '' }]), boy, '/findings/0/finding', /empty/],
    ['the detailed-exam date without 要精査', () => set(threeYear(), 'detailedExamDate', '2025-07-01'), boy, '/detailedExamDate', /only when the judgement/],
    [
      'the detailed exam before the checkup',
      () => ({ ...threeYear(), judgement: 'detailed-exam', detailedExamDate: '2025-05-01' }),
      boy,
      '/detailedExamDate',
      /before the checkup/,
    ],
    ['an unknown judgement', () => set(threeYear(), 'judgement', 'fine'), boy, '/judgement', /must be one of/],
    ['prenatal without its sequence', () => set(prenatal(), 'sequence', undefined), mother, '/sequence', /required/],
    ['prenatal without the weeks', () => set(prenatal(), 'gestationalWeeks', undefined), mother, '/gestationalWeeks', /required/],
    ['prenatal at 2 weeks', () => set(prenatal(), 'gestationalWeeks', 2), mother, '/gestationalWeeks', /from 4 to 44/],
    ['a diastolic not below the systolic', () => set(prenatal(), 'measurements.diastolic', 120), mother, '/measurements/diastolic', /lower than the systolic/],
    ['an adult of 12 kg', () => set(prenatal(), 'measurements.weightKg', 12), mother, '/measurements/weightKg', /outside what an adult/],
    [
      'head circumference at a prenatal checkup',
      () => set(prenatal(), 'measurements.headCm', 33),
      mother,
      '/measurements/headCm',
      /not recorded at a prenatal/,
    ],
    ['occult blood at a prenatal checkup', () => set(prenatal(), 'urine.occultBlood', '-'), mother, '/urine/occultBlood', /not recorded/],
    ['a month count at a prenatal checkup', () => set(prenatal(), 'ageInMonths', 3), mother, '/ageInMonths', /not recorded/],
    [
      'a prenatal checkup after the delivery',
      () => prenatal(),
      { ...mother, pregnancy: { expectedDeliveryDate: '2026-10-01', deliveryDate: '2026-05-30' } },
      '/date',
      /after the delivery/,
    ],
    ['a third postpartum checkup', () => set(postpartum(), 'sequence', 3), mother, '/sequence', /1 \(産後2週間\) or 2/],
    ['a postpartum checkup before the delivery', () => postpartum(), { ...mother, pregnancy: { deliveryDate: '2026-10-20' } }, '/date', /before the delivery/],
    [
      'a postpartum checkup more than a year on',
      () => set(postpartum(), 'date', '2027-10-05'),
      { ...mother, today: '2028-01-01', pregnancy: { deliveryDate: '2026-10-01' } },
      '/date',
      /more than a year/,
    ],
    [
      'fundal height after delivery',
      () => set(postpartum(), 'measurements.fundalHeightCm', 10),
      mother,
      '/measurements/fundalHeightCm',
      /not recorded at a postpartum/,
    ],
  ];
  for (const [name, make, ctx, pointer, message] of table) {
    it(name, () => {
      const errors = errorsOf(make(), ctx);
      assert.ok(pointer in errors, `${pointer} not in ${JSON.stringify(errors)}`);
      assert.match(errors[pointer], message);
    });
  }
});

describe('what the national standard leaves out cannot be written', () => {
  it('smoking, drinking, miscarriage: not known fields', () => {
    for (const field of ['smoking', 'drinking', 'miscarriage', 'stillbirth']) {
      const errors = errorsOf({ ...prenatal(), [field]: false }, mother);
      assert.equal(errors[`/${field}`], 'is not a known field');
    }
  });

  it('sexually transmitted infections: not tests a result can name', () => {
    for (const test of ['syphilis', 'hiv', 'chlamydia']) {
      const errors = errorsOf(set(prenatal(), 'testsDone', [test]), mother);
      assert.match(errors['/testsDone/0'], /must be one of/);
    }
  });
});

describe('warnings, not errors', () => {
  it('a 3歳児健診 at 2 years is outside the age it is meant for', () => {
    const r = validateCheckupResult(set(threeYear(), 'date', '2024-06-01'), boy);
    assert.ok('result' in r, JSON.stringify(r));
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.pointer]),
      [['outside-target-window', '/date']],
    );
  });

  it('weeks that differ from the registered due date by more than one', () => {
    const r = validateCheckupResult(set(prenatal(), 'gestationalWeeks', 26), mother);
    assert.ok('result' in r, JSON.stringify(r));
    assert.ok(r.warnings.some((w) => w.code === 'gestational-weeks-differ' && /22 weeks/.test(w.message)));
  });
});

describe('messages', () => {
  it('never repeat the value entered', () => {
    const errors = errorsOf(
      { ...threeYear(), measurements: { heightCm: 123.456, weightKg: 98.765 }, findings: [{ area: 'skin', finding: '983205673214\u0000' }] },
      boy,
    );
    for (const m of Object.values(errors)) {
      assert.doesNotMatch(m, /123\.456|98\.765|983205673214/);
    }
    assert.ok('/findings/0/finding' in errors);
  });

  it('a result that is not an object is one error at its root', () => {
    const r = validateCheckupResult([], boy, '/3');
    assert.ok('errors' in r);
    assert.equal(r.errors[0].pointer, '/3');
  });
});
