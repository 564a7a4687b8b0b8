/**
 * A stored questionnaire's life (draft → submitted → used), decided without I/O: which template it
 * follows, what a change by the resident makes of it, and whether a clinic may use it. The answers
 * are checked by the one engine (answers.ts) at the stage the new status asks for.
 */
import { containsMyNumber } from '@pmh/core/text/my-number';
import type { FieldError } from '@pmh/core/http/problem';
import { CHECKUP_KINDS, type CheckupKind, type QuestionnaireStatus } from '@pmh/protocol';
import { applyAnswers, type AnswerContext, type Answers } from './answers.ts';
import { checkupTemplate } from './maternal-child-templates.ts';
import type { QuestionnaireTemplate } from './template.ts';
import { ADULT_FORM_VACCINES, CHILD_FORM_VACCINES, vaccinationTemplate } from './vaccination-templates.ts';

/** What chose a questionnaire's template, as stored. */
export interface TemplateChoice {
  process: 'vaccination' | 'maternal-child';
  vaccineCode?: string | null;
  doseNumber?: number | null;
  checkupKind?: string | null;
  sequence?: number | null;
}

/**
 * The template a request for a new questionnaire names, or the field errors (422) that say which of
 * its fields names none: a vaccine or checkup kind without a form, a dose or sequence out of range, a
 * field missing for the process or given for the other one.
 */
export function chooseTemplate(req: TemplateChoice): { template: QuestionnaireTemplate } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const given = (k: keyof TemplateChoice) => req[k] !== undefined && req[k] !== null;
  const other = req.process === 'vaccination' ? (['checkupKind', 'sequence'] as const) : (['vaccineCode', 'doseNumber'] as const);
  for (const k of other) if (given(k)) errors.push({ pointer: `/${k}`, message: `is not a field of process ${req.process}` });
  if (req.process === 'vaccination') {
    if (!given('vaccineCode')) errors.push({ pointer: '/vaccineCode', message: 'is required for process vaccination' });
    else if (![...CHILD_FORM_VACCINES, ...ADULT_FORM_VACCINES].includes(req.vaccineCode!))
      errors.push({ pointer: '/vaccineCode', message: 'is not a routine vaccine with a 予診票' });
    if (!given('doseNumber')) errors.push({ pointer: '/doseNumber', message: 'is required for process vaccination' });
    if (errors.length) return { errors };
    const template = vaccinationTemplate(req.vaccineCode!, req.doseNumber!);
    return template ? { template } : { errors: [{ pointer: '/doseNumber', message: 'is not a dose this vaccine’s 予診票 has' }] };
  }
  if (!given('checkupKind')) errors.push({ pointer: '/checkupKind', message: 'is required for process maternal-child' });
  else if (!(CHECKUP_KINDS as readonly string[]).includes(req.checkupKind!))
    errors.push({ pointer: '/checkupKind', message: `must be one of ${CHECKUP_KINDS.join(', ')}` });
  if (errors.length) return { errors };
  const kind = req.checkupKind as CheckupKind;
  const template = checkupTemplate(kind, given('sequence') ? req.sequence! : undefined);
  if (template) return { template };
  return {
    errors: [
      {
        pointer: '/sequence',
        message:
          kind === 'prenatal' ? 'is required for prenatal, 1 to 14' : kind === 'postpartum' ? 'must be 1 or 2' : `is not a field of checkup kind ${kind}`,
      },
    ],
  };
}

/** The template a stored questionnaire follows (the templates are code: the current version of it). */
export function templateOf(stored: TemplateChoice): QuestionnaireTemplate {
  const r = chooseTemplate(stored);
  if ('errors' in r) throw new Error('a stored questionnaire names no template');
  return r.template;
}

export interface QuestionnaireState {
  status: QuestionnaireStatus;
  answers: Answers;
}

export type ChangeOutcome = { status: QuestionnaireStatus; answers: Answers; submitted: boolean } | { errors: FieldError[] } | { refused: 'used' };

/** Text answers never carry a My Number (docs/privacy.md#invariant-1): the hub would keep it in clear. */
function myNumberErrors(template: QuestionnaireTemplate, answers: Answers, base: string): FieldError[] {
  return template.items
    .filter((i) => i.type === 'text' && typeof answers[i.itemId] === 'string' && containsMyNumber(answers[i.itemId] as string))
    .map((i) => ({ pointer: `${base}/${i.itemId}`, message: 'must not contain a My Number (個人番号)' }));
}

/**
 * The resident changes answers and may submit (`submit: true`) or take back (`false`) a questionnaire.
 * A used one is refused. A questionnaire that is (or becomes) submitted must hold every item required
 * beforehand; a draft may be partial.
 */
export function changeQuestionnaire(
  template: QuestionnaireTemplate,
  current: QuestionnaireState,
  change: unknown,
  submit: boolean | undefined,
  ctx: Omit<AnswerContext, 'stage'>,
): ChangeOutcome {
  if (current.status === 'used') return { refused: 'used' };
  const status: QuestionnaireStatus = submit === true ? 'submitted' : submit === false ? 'draft' : current.status;
  const r = applyAnswers(template, current.answers, change, { ...ctx, stage: status === 'submitted' ? 'submit' : 'draft' });
  if ('errors' in r) return r;
  const leaks = myNumberErrors(template, r.answers, '/answers');
  if (leaks.length) return { errors: leaks };
  return { status, answers: r.answers, submitted: status === 'submitted' && current.status !== 'submitted' };
}

export type UseOutcome = { answers: Answers } | { errors: FieldError[] } | { refused: 'not-submitted' | 'used' };

/**
 * A clinic uses a submitted questionnaire at the visit, adding what is answered there (the
 * temperature, the consent: `visitAnswers`). Every required item must then be answered. Errors point
 * into `base` (the caller's field of the visit answers).
 */
export function useQuestionnaire(
  template: QuestionnaireTemplate,
  current: QuestionnaireState,
  visitAnswers: Answers,
  ctx: Omit<AnswerContext, 'stage'>,
  base = '/answers',
): UseOutcome {
  if (current.status === 'used') return { refused: 'used' };
  if (current.status !== 'submitted') return { refused: 'not-submitted' };
  const r = applyAnswers(template, current.answers, visitAnswers, { ...ctx, stage: 'use' }, base);
  if ('errors' in r) return r;
  const leaks = myNumberErrors(template, r.answers, base);
  return leaks.length ? { errors: leaks } : { answers: r.answers };
}
