import type { Questionnaire, QuestionnaireItem } from './types.ts';

/** An answer of the 予診票 as the doctor reads it. */
export type AnswerValue = Questionnaire['answers'][string];

/**
 * Questions of the standard 予診票 whose "いいえ" is the answer to look at (the explanation not
 * read); on every other yes/no question of the form it is "はい" that the doctor asks about
 * (定期接種実施要領, 予防接種予診票: each 「はい」 is followed by the doctor's question).
 */
const NO_IS_NOTEWORTHY = new Set(['read-explanation']);

/** Temperature at which the dose is not given that day (予防接種実施規則 第6条: 明らかな発熱 = 37.5 ℃以上, 定期接種実施要領). */
export const FEVER_C = 37.5;

export function answerText(item: QuestionnaireItem, value: AnswerValue | undefined): string {
  if (value === undefined || value === null || value === '') return '未回答';
  if (typeof value === 'boolean') return value ? 'はい' : 'いいえ';
  const label = (v: string) => item.options?.find((o) => o.value === v)?.label ?? v;
  if (Array.isArray(value)) return value.map(label).join('、');
  if (typeof value === 'number') return `${value}${item.unit ?? ''}`;
  return item.type === 'choice' ? label(value) : value;
}

/** True when the answer is one the doctor must ask about before the dose. */
export function isNoteworthy(item: QuestionnaireItem, value: AnswerValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return NO_IS_NOTEWORTHY.has(item.itemId) ? !value : value;
  if (item.itemId === 'temperature' && typeof value === 'number') return value >= FEVER_C;
  if (item.itemId === 'consent') return value === 'decline';
  return false;
}

/** The items that apply (a follow-up only after its answer), each with its answer. */
export function shownItems(q: Questionnaire): Array<{ item: QuestionnaireItem; value: AnswerValue | undefined; noteworthy: boolean }> {
  return q.items
    .filter((item) => {
      const w = item.enabledWhen;
      if (!w) return true;
      const v = q.answers[w.itemId];
      return v !== undefined && v !== null && (w.anyOf as unknown[]).some((a) => (Array.isArray(v) ? v.includes(a as string) : a === v));
    })
    .map((item) => ({ item, value: q.answers[item.itemId], noteworthy: isNoteworthy(item, q.answers[item.itemId]) }));
}
