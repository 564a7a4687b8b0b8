/**
 * A checkup result (健診結果) checked completely before anything is stored: its shape and the wire's
 * rules (the protocol schema), then its meaning — which items the kind records, plausible values for
 * the person's age, dates that agree with the birth or the delivery. All errors are reported together,
 * at most one per field, each naming its field; no message repeats what was entered.
 *
 * What a kind records follows the standard forms: the infant checkups' 標準的な電子的記録様式 (身長,
 * 体重, 頭囲, 胸囲, findings by area, 判定 with the date of the detailed exam, urine at 3 years) and the
 * 妊婦健診's items of 告示第226号 (子宮底長, 腹囲, 血圧, 浮腫, 尿 (糖及びたん白), 体重) with the tests
 * done. Smoking and drinking, sexually transmitted infections, miscarriage and stillbirth are not
 * recorded at all: the national standard leaves them out of electronic records as too sensitive.
 */
import { Compile } from 'typebox/compile';
import { CheckupResultBody, type CheckupKind, type FindingArea } from '@pmh/protocol';
import type { FieldError } from '@pmh/core/http/problem';
import { toFieldErrors } from '@pmh/core/http/validate';
import { addDays, type IsoDate } from '../vaccination/japanese-age.ts';
import { ageInMonthsExact, completedMonths } from './child-age.ts';
import { CHECKUP_KIND_RULES, checkupTiming, gestationalWeeksOn, type CheckupSubject } from './checkup-kinds.ts';
import type { Sex } from './growth-chart.ts';
import { ADULT_RANGES, CHILD_CHEST_CM, GESTATIONAL_WEEKS, childRange, type Range } from './plausible-ranges.ts';

export interface ResultContext {
  /** The person the result is for, as the hub knows them (the child, or the mother). */
  subject: { dateOfBirth: IsoDate; sex: Sex };
  /** The pregnancy a prenatal or postpartum result belongs to, as far as it is known. */
  pregnancy?: { expectedDeliveryDate?: IsoDate; deliveryDate?: IsoDate };
  /** Today in Japan: no result is dated later. */
  today: IsoDate;
}

export interface ResultWarning {
  code: 'outside-target-window' | 'gestational-weeks-differ';
  pointer: string;
  message: string;
}

type Measurements = CheckupResultBody['measurements'];
type MeasurementKey = keyof Measurements;

/** What each subject's checkups record; anything else is refused by name. */
const RECORDS: Record<
  CheckupSubject,
  { measurements: MeasurementKey[]; urine: Array<'protein' | 'glucose' | 'occultBlood'>; fields: Array<keyof CheckupResultBody>; areas: FindingArea[] }
> = {
  child: {
    measurements: ['heightCm', 'weightKg', 'headCm', 'chestCm'],
    urine: ['protein', 'glucose', 'occultBlood'],
    fields: ['ageInMonths', 'urine'],
    areas: [
      'growth',
      'nutrition',
      'spine-chest',
      'skin',
      'eyes',
      'ear-nose-throat',
      'teeth-mouth',
      'limbs-motor',
      'mental-development',
      'speech',
      'parenting',
      'other',
    ],
  },
  pregnant: {
    measurements: ['heightCm', 'weightKg', 'systolic', 'diastolic', 'fundalHeightCm', 'abdominalCm'],
    urine: ['protein', 'glucose'],
    fields: ['sequence', 'gestationalWeeks', 'urine', 'edema', 'testsDone'],
    areas: ['hypertensive-disorder', 'gestational-diabetes', 'other'],
  },
  postpartum: {
    measurements: ['weightKg', 'systolic', 'diastolic'],
    urine: ['protein', 'glucose'],
    fields: ['sequence', 'urine'],
    areas: ['uterine-involution', 'lochia', 'breasts', 'hypertensive-disorder', 'other'],
  },
};

const OPTIONAL_FIELDS: Array<keyof CheckupResultBody> = ['sequence', 'ageInMonths', 'gestationalWeeks', 'urine', 'edema', 'testsDone'];

const SUBJECT_WORDS: Record<CheckupSubject, string> = {
  child: 'an infant or child checkup',
  pregnant: 'a prenatal checkup (妊婦健診)',
  postpartum: 'a postpartum checkup (産婦健診)',
};

const check = Compile(CheckupResultBody);

/** The child checkups are for young children: none is held at 6 or later (5歳児健診 is not one of these kinds). */
const CHILD_CHECKUP_MAX_MONTHS = 72;

/** 妊産婦: pregnant, or within a year of delivery (母子保健法第6条第1項). */
const POSTPARTUM_MAX_DAYS = 365;

export function validateCheckupResult(
  raw: unknown,
  ctx: ResultContext,
  base = '',
): { result: CheckupResultBody; warnings: ResultWarning[] } | { errors: FieldError[] } {
  const found = new Map<string, string>();
  const wrong = new Set<string>();
  for (const e of toFieldErrors(check.Errors(raw), base)) {
    if (!found.has(e.pointer)) found.set(e.pointer, e.message);
    wrong.add(e.pointer);
  }
  const at = (p: string) => base + p;
  const shapeOk = (p: string) => ![...wrong].some((k) => at(p) === k || at(p).startsWith(k + '/') || k === base);
  const fail = (p: string, message: string) => {
    if (!found.has(at(p))) found.set(at(p), message);
    wrong.add(at(p));
  };
  const errors = () => ({ errors: [...found].map(([pointer, message]) => ({ pointer, message })) });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !shapeOk('/checkupKind') || !shapeOk('/date')) return errors();
  const r = raw as CheckupResultBody;
  const kind: CheckupKind = r.checkupKind;
  const subject = CHECKUP_KIND_RULES[kind].subject;
  const records = RECORDS[subject];
  const warnings: ResultWarning[] = [];

  // What this kind does not record.
  for (const f of OPTIONAL_FIELDS) {
    if (r[f] !== undefined && !records.fields.includes(f)) fail(`/${f}`, `is not recorded at ${SUBJECT_WORDS[subject]}`);
  }
  const m = (r.measurements ?? {}) as Measurements;
  for (const k of Object.keys(m) as MeasurementKey[]) {
    if (!records.measurements.includes(k)) fail(`/measurements/${k}`, `is not recorded at ${SUBJECT_WORDS[subject]}`);
  }
  if (r.urine && records.fields.includes('urine')) {
    if (subject === 'child' && kind !== 'infant-3y') fail('/urine', 'is recorded at the 3-year checkup only (検尿, 3歳児健診)');
    else
      for (const k of Object.keys(r.urine) as Array<keyof NonNullable<CheckupResultBody['urine']>>) {
        if (!records.urine.includes(k)) fail(`/urine/${k}`, `is not recorded at ${SUBJECT_WORDS[subject]}`);
      }
  }

  // Dates.
  const date = r.date;
  if (date > ctx.today) fail('/date', 'must not be after today');
  const dob = ctx.subject.dateOfBirth;
  if (date < dob) fail('/date', 'is before the person’s date of birth');

  // The findings: one per area, of the areas this kind records.
  if (Array.isArray(r.findings)) {
    const seen = new Set<string>();
    r.findings.forEach((f, i) => {
      if (!shapeOk(`/findings/${i}`)) return;
      if (!records.areas.includes(f.area)) fail(`/findings/${i}/area`, `is not an area of ${SUBJECT_WORDS[subject]}; allowed: ${records.areas.join(', ')}`);
      else if (seen.has(f.area)) fail(`/findings/${i}/area`, 'appears twice; write one finding per area');
      seen.add(f.area);
    });
  }

  // 判定 and the date of the detailed exam (要精査 (精密検査受診日)).
  if (r.detailedExamDate !== undefined && shapeOk('/detailedExamDate')) {
    if (r.judgement !== 'detailed-exam') fail('/detailedExamDate', 'is given only when the judgement is detailed-exam (要精査)');
    else if (r.detailedExamDate < date) fail('/detailedExamDate', 'must not be before the checkup date');
  }

  const rangeCheck = (key: MeasurementKey, range: Range, what: string) => {
    const v = m[key];
    if (typeof v !== 'number' || !shapeOk(`/measurements/${key}`) || !records.measurements.includes(key)) return;
    if (v < range.min || v > range.max)
      fail(`/measurements/${key}`, `is outside what ${what} can measure (${range.min}–${range.max}); check the unit and the decimal point`);
  };

  if (subject === 'child' && date >= dob) {
    const months = completedMonths(dob, date);
    if (months >= CHILD_CHECKUP_MAX_MONTHS)
      fail('/checkupKind', `is a checkup of young children, and the person is ${Math.floor(months / 12)} years old on that date`);
    if (r.ageInMonths !== undefined && shapeOk('/ageInMonths') && r.ageInMonths !== months)
      fail('/ageInMonths', `does not agree with the date of birth and the checkup date (${months} completed months)`);
    const age = ageInMonthsExact(dob, date);
    const who = `a child of ${months} months`;
    rangeCheck('weightKg', childRange('weight', ctx.subject.sex, age), `${who} (kg)`);
    rangeCheck('heightCm', childRange('height', ctx.subject.sex, age), `${who} (cm)`);
    rangeCheck('headCm', childRange('head', ctx.subject.sex, age), `${who} (cm)`);
    rangeCheck('chestCm', CHILD_CHEST_CM, `${who} (cm)`);
    if (!found.size && checkupTiming(kind, { dateOfBirth: dob }, date) !== 'on-time')
      warnings.push({ code: 'outside-target-window', pointer: at('/date'), message: `is outside the age the ${CHECKUP_KIND_RULES[kind].name} is meant for` });
  } else if (subject !== 'child') {
    for (const key of Object.keys(ADULT_RANGES) as Array<keyof typeof ADULT_RANGES>) rangeCheck(key, ADULT_RANGES[key], 'an adult (妊産婦)');
    if (typeof m.systolic === 'number' && typeof m.diastolic === 'number' && m.diastolic >= m.systolic && shapeOk('/measurements/diastolic'))
      fail('/measurements/diastolic', 'must be lower than the systolic pressure');
    const p = ctx.pregnancy ?? {};
    if (subject === 'pregnant') {
      if (r.sequence === undefined && shapeOk('/sequence')) fail('/sequence', 'is required for a prenatal checkup (1–14)');
      if (r.gestationalWeeks === undefined && shapeOk('/gestationalWeeks')) fail('/gestationalWeeks', 'is required for a prenatal checkup (妊娠週数)');
      else if (r.gestationalWeeks !== undefined && shapeOk('/gestationalWeeks')) {
        if (r.gestationalWeeks < GESTATIONAL_WEEKS.min || r.gestationalWeeks > GESTATIONAL_WEEKS.max)
          fail('/gestationalWeeks', `must be from ${GESTATIONAL_WEEKS.min} to ${GESTATIONAL_WEEKS.max} weeks`);
        else if (p.expectedDeliveryDate && Math.abs(gestationalWeeksOn(p.expectedDeliveryDate, date) - r.gestationalWeeks) > 1)
          warnings.push({
            code: 'gestational-weeks-differ',
            pointer: at('/gestationalWeeks'),
            message: `differs from the ${gestationalWeeksOn(p.expectedDeliveryDate, date)} weeks the registered due date gives`,
          });
      }
      if (p.deliveryDate && date > p.deliveryDate) fail('/date', 'is after the delivery; a prenatal checkup is before it');
      if (!found.size && p.expectedDeliveryDate && r.sequence && checkupTiming(kind, p, date, r.sequence) !== 'on-time')
        warnings.push({
          code: 'outside-target-window',
          pointer: at('/date'),
          message: `is outside the weeks the ${r.sequence}th prenatal checkup is meant for`,
        });
    } else {
      if (r.sequence !== undefined && r.sequence > 2 && shapeOk('/sequence'))
        fail('/sequence', 'must be 1 (産後2週間) or 2 (産後1か月) for a postpartum checkup');
      if (p.deliveryDate && date < p.deliveryDate) fail('/date', 'is before the delivery; a postpartum checkup is after it');
      else if (p.deliveryDate && date > addDays(p.deliveryDate, POSTPARTUM_MAX_DAYS))
        fail('/date', 'is more than a year after the delivery (産婦: within a year of delivery, 母子保健法第6条)');
    }
  }

  if (found.size) return errors();
  const result: CheckupResultBody = { ...r, measurements: { ...m }, findings: r.findings.map((f) => ({ area: f.area, finding: f.finding.trim() })) };
  if (subject === 'child') result.ageInMonths = completedMonths(dob, date);
  return { result, warnings };
}
