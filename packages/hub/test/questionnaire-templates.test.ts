/**
 * Questionnaire templates and the one engine that checks answers against them, for the 予診票 and the
 * 問診票 alike: every template well formed and valid on the wire; the 健やか親子21 questions where the
 * standard asks them and no smoking or drinking question anywhere; each answer rule table by table;
 * required items by stage; follow-ups only after their answer; and a property: answers made from a
 * template validate, and one broken answer fails naming exactly its item.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { CHECKUP_KINDS, QuestionnaireItem, VaccineCode } from '@pmh/protocol';
import {
  applyAnswers,
  questionnaireTemplate,
  templateProblems,
  validateAnswers,
  wireItems,
  type Answers,
  type AnswerContext,
  type QuestionnaireTemplate,
  type TemplateItem,
} from '../src/domain/questionnaires/index.ts';
import { addDays, daysBetween } from '../src/domain/vaccination/index.ts';

const VACCINES = (VaccineCode as unknown as { enum: string[] }).enum;

function allTemplates(): QuestionnaireTemplate[] {
  const out: QuestionnaireTemplate[] = [];
  for (const vaccineCode of VACCINES)
    for (let dose = 1; dose <= 5; dose++) out.push(questionnaireTemplate({ process: 'vaccination', vaccineCode, doseNumber: dose })!);
  for (const checkupKind of CHECKUP_KINDS) {
    if (checkupKind === 'prenatal') for (let s = 1; s <= 14; s++) out.push(questionnaireTemplate({ process: 'maternal-child', checkupKind, sequence: s })!);
    else if (checkupKind === 'postpartum')
      for (const s of [undefined, 1, 2]) out.push(questionnaireTemplate({ process: 'maternal-child', checkupKind, sequence: s })!);
    else out.push(questionnaireTemplate({ process: 'maternal-child', checkupKind })!);
  }
  return out;
}

const ids = (t: QuestionnaireTemplate) => t.items.map((i) => i.itemId);
const tpl = (t: QuestionnaireTemplate | undefined) => {
  assert.ok(t);
  return t;
};

describe('the templates', () => {
  it('exist for every vaccine of the catalogue and every checkup kind, each well formed and valid on the wire', () => {
    const check = Compile(QuestionnaireItem);
    const all = allTemplates();
    assert.equal(all.length, VACCINES.length * 5 + 14 + 3 + 6);
    for (const t of all) {
      assert.deepEqual(templateProblems(t), [], t.templateId);
      for (const item of wireItems(t)) {
        assert.ok(check.Check(item), `${t.templateId}/${item.itemId}`);
        assert.equal('basis' in item || 'source' in item, false);
      }
    }
  });

  it('are refused for what does not exist', () => {
    assert.equal(questionnaireTemplate({ process: 'vaccination', vaccineCode: 'smallpox', doseNumber: 1 }), undefined);
    assert.equal(questionnaireTemplate({ process: 'vaccination', vaccineCode: 'mr', doseNumber: 0 }), undefined);
    assert.equal(questionnaireTemplate({ process: 'maternal-child', checkupKind: 'prenatal' }), undefined);
    assert.equal(questionnaireTemplate({ process: 'maternal-child', checkupKind: 'prenatal', sequence: 15 }), undefined);
    assert.equal(questionnaireTemplate({ process: 'maternal-child', checkupKind: 'postpartum', sequence: 3 }), undefined);
    assert.equal(questionnaireTemplate({ process: 'maternal-child', checkupKind: 'infant-3y', sequence: 1 }), undefined);
  });

  it('ask the 健やか親子21 questions at 3–4 months, 1 year 6 months and 3 years', () => {
    const common = [
      'hs21-community',
      'hs21-economy',
      'hs21-relaxed-time',
      'hs21-difficulty',
      'hs21-difficulty-solution',
      'hs21-father-parenting',
      'hs21-household',
    ];
    const byKind = {
      'infant-3-4m': [...common, 'hs21-postnatal-care', 'hs21-sbs', 'hs21-family-doctor'],
      'infant-1y6m': [...common, 'hs21-tooth-brushing'],
      'infant-3y': [...common, 'hs21-family-doctor', 'hs21-family-dentist'],
    } as const;
    for (const [kind, expected] of Object.entries(byKind)) {
      const t = tpl(questionnaireTemplate({ process: 'maternal-child', checkupKind: kind as 'infant-3y' }));
      for (const id of expected) assert.ok(ids(t).includes(id), `${kind} lacks ${id}`);
    }
  });

  it('never ask about smoking or drinking (left out of electronic records as too sensitive)', () => {
    for (const t of allTemplates())
      for (const item of t.items) assert.doesNotMatch(item.text, /喫煙|たばこ|タバコ|飲酒|お酒/, `${t.templateId}/${item.itemId}`);
  });

  it('ask rotavirus’s previous-dose date and first product from the second dose on, and its contraindications at every dose', () => {
    const first = tpl(questionnaireTemplate({ process: 'vaccination', vaccineCode: 'rota', doseNumber: 1 }));
    const second = tpl(questionnaireTemplate({ process: 'vaccination', vaccineCode: 'rota', doseNumber: 2 }));
    assert.ok(!ids(first).includes('rota-previous-dose-date'));
    const date = second.items.find((i) => i.itemId === 'rota-previous-dose-date')!;
    assert.equal(date.type, 'date');
    assert.equal(date.required, true);
    for (const t of [first, second]) for (const id of ['intussusception', 'gi-malformation', 'scid']) assert.ok(ids(t).includes(id));
    assert.ok(!ids(tpl(questionnaireTemplate({ process: 'vaccination', vaccineCode: 'mr', doseNumber: 1 }))).includes('intussusception'));
  });

  it('end with the temperature and the consent, answered at the visit; a child’s form asks the development questions, an adult’s does not', () => {
    const child = tpl(questionnaireTemplate({ process: 'vaccination', vaccineCode: 'dpt-ipv-hib', doseNumber: 1 }));
    const adult = tpl(questionnaireTemplate({ process: 'vaccination', vaccineCode: 'zoster', doseNumber: 1 }));
    for (const t of [child, adult]) {
      const [temp, consent] = t.items.slice(-2);
      assert.deepEqual([temp.itemId, temp.answeredAt, temp.unit, temp.decimals], ['temperature', 'visit', '℃', 1]);
      assert.deepEqual([consent.itemId, consent.answeredAt, consent.options!.map((o) => o.value)], ['consent', 'visit', ['wish', 'decline']]);
    }
    assert.ok(ids(child).includes('birth-weight') && ids(child).includes('checkup-abnormal'));
    assert.ok(!ids(adult).includes('birth-weight') && !ids(adult).includes('checkup-abnormal'));
  });
});

const rota2 = tpl(questionnaireTemplate({ process: 'vaccination', vaccineCode: 'rota', doseNumber: 2 }));
const threeYear = tpl(questionnaireTemplate({ process: 'maternal-child', checkupKind: 'infant-3y' }));
const ctx = (stage: AnswerContext['stage']): AnswerContext => ({ stage, today: '2026-06-01', dateOfBirth: '2026-02-01' });

/** Every required item of the rota 予診票 answered beforehand, 「いいえ」 throughout. */
function rotaBeforehand(): Answers {
  const a: Answers = {};
  for (const i of rota2.items) if (i.type === 'boolean' && i.required && !i.enabledWhen) a[i.itemId] = false;
  return { ...a, 'rota-previous-dose-date': '2026-04-20', 'rota-first-product': 'rotarix' };
}

function errorsOf(t: QuestionnaireTemplate, change: unknown, stage: AnswerContext['stage'] = 'draft', previous: Answers = {}): Record<string, string> {
  const r = applyAnswers(t, previous, change, ctx(stage));
  return 'errors' in r ? Object.fromEntries(r.errors.map((e) => [e.pointer, e.message])) : {};
}

describe('answers, rule by rule', () => {
  const table: Array<[string, QuestionnaireTemplate, unknown, string, RegExp]> = [
    ['an item the form does not have', rota2, { 'favourite-colour': 'blue' }, '/answers/favourite-colour', /not an item of this questionnaire/],
    ['an id that cannot be an item', rota2, { Temperature: 36.5 }, '/answers/Temperature', /not an item of this questionnaire/],
    ['yes/no as a word', rota2, { 'unwell-today': 'はい' }, '/answers/unwell-today', /true or false/],
    ['a temperature with two decimals', rota2, { temperature: 36.55 }, '/answers/temperature', /at most 1 decimal place/],
    ['a temperature of 43 ℃', rota2, { temperature: 43 }, '/answers/temperature', /at most 42℃/],
    ['a temperature as text', rota2, { temperature: '36.5' }, '/answers/temperature', /must be a number/],
    ['a birth weight in fractions of a gram', rota2, { 'birth-weight': 3000.5 }, '/answers/birth-weight', /whole number/],
    ['a birth weight in kilograms', rota2, { 'birth-weight': 3.1 }, '/answers/birth-weight', /at least 300g/],
    ['a date that does not exist', rota2, { 'rota-previous-dose-date': '2026-02-30' }, '/answers/rota-previous-dose-date', /real date/],
    ['a date in the future', rota2, { 'rota-previous-dose-date': '2026-06-02' }, '/answers/rota-previous-dose-date', /after today/],
    ['a date before birth', rota2, { 'rota-previous-dose-date': '2026-01-31' }, '/answers/rota-previous-dose-date', /before the date of birth/],
    ['an option the item does not have', rota2, { 'rota-first-product': 'rotavac' }, '/answers/rota-first-product', /one of rotarix, rotateq/],
    ['one answer where several are asked', threeYear, { 'hs21-household': 'none' }, '/answers/hs21-household', /a list of/],
    ['the same answer twice', threeYear, { 'hs21-household': ['hit', 'hit'] }, '/answers/hs21-household', /twice/],
    ['「いずれにも該当しない」 with another', threeYear, { 'hs21-household': ['none', 'shouted'] }, '/answers/hs21-household', /stands alone/],
    ['an empty text', threeYear, { worries: '   ' }, '/answers/worries', /must not be empty/],
    ['a text too long', threeYear, { worries: 'あ'.repeat(501) }, '/answers/worries', /at most 500 characters/],
    ['a control character', threeYear, { worries: 'a\u0007b' }, '/answers/worries', /not allowed/],
    [
      'a follow-up without its answer',
      rota2,
      { 'unwell-today': false, 'unwell-today-symptoms': '咳' },
      '/answers/unwell-today-symptoms',
      /only when unwell-today is answered はい/,
    ],
    ['a follow-up of a follow-up', rota2, { convulsion: false, 'convulsion-fever': true }, '/answers/convulsion-fever', /only when convulsion/],
    [
      'a follow-up on a choice',
      threeYear,
      { 'hs21-difficulty': 'never', 'hs21-difficulty-solution': 'yes' },
      '/answers/hs21-difficulty-solution',
      /only when hs21-difficulty is answered いつも感じる or 時々感じる/,
    ],
  ];
  for (const [name, t, change, pointer, message] of table) {
    it(name, () => {
      const errors = errorsOf(t, change);
      assert.ok(pointer in errors, `${pointer} not in ${JSON.stringify(errors)}`);
      assert.match(errors[pointer], message);
    });
  }

  it('answers that are not an object are one error', () => {
    assert.deepEqual(Object.keys(errorsOf(rota2, [true])), ['/answers']);
  });

  it('no message repeats the answer', () => {
    const errors = errorsOf(threeYear, { worries: 'a\u0007983205673214', 'hs21-community': '983205673214' });
    for (const m of Object.values(errors)) assert.doesNotMatch(m, /983205673214/);
  });
});

describe('required items by stage', () => {
  it('a draft requires nothing', () => {
    assert.deepEqual(validateAnswers(rota2, {}, ctx('draft')), []);
  });

  it('submitting requires what is answered beforehand, not the temperature or the consent', () => {
    const missing = validateAnswers(rota2, {}, ctx('submit')).map((e) => e.pointer);
    assert.ok(missing.includes('/answers/read-explanation'));
    assert.ok(missing.includes('/answers/rota-previous-dose-date'));
    assert.ok(!missing.includes('/answers/temperature') && !missing.includes('/answers/consent'));
    assert.ok(!missing.includes('/answers/birth-weight'), 'birth weight is optional');
    assert.deepEqual(validateAnswers(rota2, rotaBeforehand(), ctx('submit')), []);
  });

  it('using it requires the temperature and the consent too', () => {
    assert.deepEqual(
      validateAnswers(rota2, rotaBeforehand(), ctx('use')).map((e) => e.pointer),
      ['/answers/temperature', '/answers/consent'],
    );
    assert.deepEqual(validateAnswers(rota2, { ...rotaBeforehand(), temperature: 36.8, consent: 'wish' }, ctx('use')), []);
  });

  it('a follow-up is required once its answer is given', () => {
    const pointers = validateAnswers(rota2, { ...rotaBeforehand(), 'unwell-today': true }, ctx('submit')).map((e) => e.pointer);
    assert.deepEqual(pointers, ['/answers/unwell-today-symptoms']);
  });

  it('null clears an answer, and text is kept trimmed', () => {
    const r = applyAnswers(rota2, rotaBeforehand(), { 'unwell-today': true, 'unwell-today-symptoms': '  鼻水  ' }, ctx('submit'));
    assert.ok('answers' in r);
    assert.equal(r.answers['unwell-today-symptoms'], '鼻水');
    const cleared = applyAnswers(rota2, r.answers, { 'unwell-today': false, 'unwell-today-symptoms': null }, ctx('submit'));
    assert.ok('answers' in cleared);
    assert.equal(cleared.answers['unwell-today-symptoms'], undefined);
  });
});

// --- Property --------------------------------------------------------------------------------

const TODAY = '2026-06-01';
const DOB = '2021-03-10';

/** A valid answer of an item, from a seed. */
function validAnswer(item: TemplateItem, seed: number): Answers[string] {
  switch (item.type) {
    case 'boolean':
      return seed % 2 === 0;
    case 'number': {
      const f = 10 ** (item.decimals ?? 0);
      const lo = Math.ceil(item.min! * f);
      const hi = Math.floor(item.max! * f);
      return (lo + (seed % (hi - lo + 1))) / f;
    }
    case 'text':
      return ['鼻水', '1歳頃', '特になし'][seed % 3];
    case 'date':
      return addDays(DOB, seed % (daysBetween(DOB, TODAY) + 1));
    case 'choice': {
      const opts = item.options!;
      if (!item.multiple) return opts[seed % opts.length].value;
      const plain = opts.filter((o) => !o.exclusive).map((o) => o.value);
      const exclusive = opts.filter((o) => o.exclusive).map((o) => o.value);
      if (seed % 3 === 0 && exclusive.length) return [exclusive[0]];
      const picked = plain.filter((_, k) => (seed >> k) & 1);
      return picked.length ? picked : [plain[0]];
    }
  }
}

/** The same item given an answer its type cannot take. */
function brokenAnswer(item: TemplateItem): unknown {
  switch (item.type) {
    case 'boolean':
      return 'yes';
    case 'number':
      return item.max! + 1;
    case 'text':
      return '';
    case 'date':
      return '2026-02-30';
    case 'choice':
      return item.multiple ? ['no-such-option'] : 'no-such-option';
  }
}

const answered = (t: QuestionnaireTemplate, seeds: number[]): Answers => {
  const a: Answers = {};
  t.items.forEach((item, k) => {
    if (item.enabledWhen) {
      const parent = a[item.enabledWhen.itemId];
      const given = Array.isArray(parent) ? parent : [parent];
      if (parent === undefined || !given.some((x) => item.enabledWhen!.anyOf.includes(x as string | boolean))) return;
    }
    a[item.itemId] = validAnswer(item, seeds[k % seeds.length] + k);
  });
  return a;
};

describe('answer properties', () => {
  const templates = allTemplates();
  const RUNS = Number(process.env.FC_NUM_RUNS ?? 300);

  it('answers made from any template, each of its item’s type, validate when the questionnaire is used', () => {
    fc.assert(
      fc.property(fc.constantFrom(...templates), fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 8 }), (t, seeds) => {
        const a = answered(t, seeds);
        assert.deepEqual(validateAnswers(t, a, { stage: 'use', today: TODAY, dateOfBirth: DOB }), [], JSON.stringify({ id: t.templateId, a }));
      }),
      { numRuns: RUNS },
    );
  });

  it('one broken answer fails naming exactly its item', () => {
    fc.assert(
      fc.property(fc.constantFrom(...templates), fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 8 }), fc.nat(), (t, seeds, pick) => {
        const a = answered(t, seeds);
        const keys = Object.keys(a);
        const key = keys[pick % keys.length];
        const item = t.items.find((i) => i.itemId === key)!;
        const r = applyAnswers(t, {}, { ...a, [key]: brokenAnswer(item) }, { stage: 'use', today: TODAY, dateOfBirth: DOB });
        assert.ok('errors' in r);
        assert.deepEqual(
          r.errors.map((e) => e.pointer),
          [`/answers/${key}`],
        );
      }),
      { numRuns: RUNS },
    );
  });
});
