/**
 * The one engine that checks answers against a template, for the 予診票 and the 問診票 alike: known
 * items only, each answer of its item's type (yes/no, a number within bounds and decimals, a text of
 * bounded length, a real past date, one of the options or several), follow-ups only when the question
 * they follow was answered so, and the required items by stage:
 * - `draft`: nothing is required yet (the resident fills it in over time);
 * - `submit`: every required item the resident answers beforehand;
 * - `use`: every required item, including those answered at the visit (the temperature, the consent).
 * Errors name the item (`/answers/<itemId>`) and never repeat the answer.
 */
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { MAX_ANSWER_TEXT, QUESTIONNAIRE_ITEM_ID, type QuestionnaireAnswer } from '@pmh/protocol';
import { isMultiLineText, isSingleLineText } from '@pmh/protocol/text';
import type { FieldError } from '@pmh/core/http/problem';
import { toFieldErrors } from '@pmh/core/http/validate';
import type { QuestionnaireTemplate, TemplateItem } from './template.ts';

export type AnswerStage = 'draft' | 'submit' | 'use';

export type Answers = Record<string, QuestionnaireAnswer>;

export interface AnswerContext {
  stage: AnswerStage;
  /** Today in Japan: no date answered is later. */
  today: string;
  /** The person the questionnaire is about: no date answered is earlier (a previous dose, an illness). */
  dateOfBirth?: string;
}

/**
 * The shape of a change: an object of item ids (as QuestionnaireAnswers on the wire). Each value is
 * checked here against its own item, so a wrong answer gets its item's message, not a union's.
 */
const checkShape = Compile(Type.Record(Type.String({ pattern: QUESTIONNAIRE_ITEM_ID }), Type.Unknown(), { additionalProperties: false, maxProperties: 100 }));
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function decimalsOf(v: number): number {
  const s = String(v);
  if (s.includes('e')) return Number.POSITIVE_INFINITY;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Why an answer does not fit its item, or undefined when it does. */
function answerError(item: TemplateItem, v: unknown, ctx: AnswerContext): string | undefined {
  switch (item.type) {
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      if (item.min !== undefined && v < item.min) return `must be at least ${item.min}${item.unit ?? ''}`;
      if (item.max !== undefined && v > item.max) return `must be at most ${item.max}${item.unit ?? ''}`;
      const places = item.decimals ?? 0;
      if (decimalsOf(v) > places) return places === 0 ? 'must be a whole number' : `must have at most ${places} decimal place${places > 1 ? 's' : ''}`;
      return undefined;
    }
    case 'text': {
      if (typeof v !== 'string') return 'must be a text';
      const max = item.maxLength ?? MAX_ANSWER_TEXT;
      if (v.trim() === '') return 'must not be empty (leave it out, or send null to clear it)';
      if ([...v].length > max) return `must have at most ${max} characters`;
      if (!isMultiLineText(v)) return 'contains a character that is not allowed';
      return undefined;
    }
    case 'date': {
      if (typeof v !== 'string' || !isRealDate(v)) return 'must be a real date written YYYY-MM-DD';
      if (v > ctx.today) return 'must not be after today';
      if (ctx.dateOfBirth && v < ctx.dateOfBirth) return 'must not be before the date of birth';
      return undefined;
    }
    case 'choice': {
      const values = new Map((item.options ?? []).map((o) => [o.value, o]));
      const allowed = `one of ${[...values.keys()].join(', ')}`;
      if (!item.multiple) return typeof v === 'string' && values.has(v) ? undefined : `must be ${allowed}`;
      if (!Array.isArray(v) || v.length === 0) return `must be a list of ${allowed}`;
      if (v.some((x) => !values.has(x))) return `must list only ${allowed}`;
      if (new Set(v).size !== v.length) return 'must not list an answer twice';
      if (v.length > 1 && v.some((x) => values.get(x)!.exclusive)) return 'has an answer that stands alone combined with others';
      return undefined;
    }
  }
}

/** Whether an item applies, given the answers to the items it follows. */
function enabled(item: TemplateItem, answers: Answers, byId: Map<string, TemplateItem>): boolean {
  if (!item.enabledWhen) return true;
  const parent = byId.get(item.enabledWhen.itemId);
  if (parent && !enabled(parent, answers, byId)) return false;
  const a = answers[item.enabledWhen.itemId];
  if (a === undefined) return false;
  const given = Array.isArray(a) ? a : [a];
  return given.some((x) => item.enabledWhen!.anyOf.includes(x as string | boolean));
}

function describeCondition(item: TemplateItem, byId: Map<string, TemplateItem>): string {
  const c = item.enabledWhen!;
  const parent = byId.get(c.itemId);
  const labels = c.anyOf.map((v) => (typeof v === 'boolean' ? (v ? 'はい' : 'いいえ') : (parent?.options?.find((o) => o.value === v)?.label ?? v)));
  return `applies only when ${c.itemId} is answered ${labels.join(' or ')}`;
}

/**
 * Applies a change (`{ itemId: value }`, `null` clearing an answer) to the answers so far and checks
 * the result against the template at a stage. Returns the answers to keep, or every error at once.
 */
export function applyAnswers(
  template: QuestionnaireTemplate,
  previous: Answers,
  change: unknown,
  ctx: AnswerContext,
  base = '/answers',
): { answers: Answers } | { errors: FieldError[] } {
  const shape = toFieldErrors(checkShape.Errors(change), base).map((e) =>
    e.message === 'is not a known field' ? { ...e, message: 'is not an item of this questionnaire' } : e,
  );
  if (shape.length) return { errors: shape };
  const byId = new Map(template.items.map((i) => [i.itemId, i]));
  const found = new Map<string, string>();
  const fail = (itemId: string, message: string) => {
    const p = `${base}/${itemId}`;
    if (!found.has(p)) found.set(p, message);
  };

  const merged: Answers = { ...previous };
  for (const [itemId, v] of Object.entries(change as Record<string, unknown>)) {
    const item = byId.get(itemId);
    if (!item) {
      fail(itemId, 'is not an item of this questionnaire');
      continue;
    }
    if (v === null) {
      delete merged[itemId];
      continue;
    }
    const err = answerError(item, v, ctx);
    if (err) fail(itemId, err);
    else merged[itemId] = (typeof v === 'string' && item.type === 'text' ? v.trim() : v) as QuestionnaireAnswer;
  }
  if (found.size) return { errors: [...found].map(([pointer, message]) => ({ pointer, message })) };

  for (const item of template.items) {
    const on = enabled(item, merged, byId);
    if (!on && merged[item.itemId] !== undefined) fail(item.itemId, describeCondition(item, byId));
    const due = ctx.stage === 'use' || (ctx.stage === 'submit' && item.answeredAt !== 'visit');
    if (on && item.required && due && merged[item.itemId] === undefined) fail(item.itemId, 'is required');
  }
  if (found.size) return { errors: [...found].map(([pointer, message]) => ({ pointer, message })) };
  return { answers: merged };
}

/** Checks a set of answers as it stands (no change), at a stage. */
export function validateAnswers(template: QuestionnaireTemplate, answers: Answers, ctx: AnswerContext): FieldError[] {
  const r = applyAnswers(template, {}, answers, ctx);
  return 'errors' in r ? r.errors : [];
}

/**
 * Problems of a template itself, for the tests that keep the templates right: ids unique and well
 * formed, choices with options, follow-ups after the item they follow and naming its answers, single-
 * line question texts, bounds in order.
 */
export function templateProblems(t: QuestionnaireTemplate): string[] {
  const problems: string[] = [];
  const seen = new Map<string, TemplateItem>();
  for (const item of t.items) {
    const where = `${t.templateId}/${item.itemId}`;
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(item.itemId)) problems.push(`${where}: malformed id`);
    if (seen.has(item.itemId)) problems.push(`${where}: duplicate id`);
    if (!isSingleLineText(item.text) || item.text.trim() === '') problems.push(`${where}: question text`);
    if (item.type === 'choice') {
      const values = (item.options ?? []).map((o) => o.value);
      if (values.length < 2) problems.push(`${where}: a choice needs at least two options`);
      if (new Set(values).size !== values.length) problems.push(`${where}: duplicate option values`);
      if (!item.multiple && item.options?.some((o) => o.exclusive)) problems.push(`${where}: exclusive option in a single choice`);
    } else if (item.options) problems.push(`${where}: options on a ${item.type} item`);
    if (item.min !== undefined && item.max !== undefined && item.min > item.max) problems.push(`${where}: min above max`);
    if (item.enabledWhen) {
      const parent = seen.get(item.enabledWhen.itemId);
      if (!parent) problems.push(`${where}: follows an item that does not come before it`);
      else
        for (const v of item.enabledWhen.anyOf) {
          const ok = parent.type === 'boolean' ? typeof v === 'boolean' : parent.options?.some((o) => o.value === v);
          if (!ok) problems.push(`${where}: follows an answer its item cannot have`);
        }
    }
    seen.set(item.itemId, item);
  }
  return problems;
}
