import { Type, type Static } from 'typebox';
import { Text } from './text.ts';

/**
 * Questionnaires filled in beforehand on the resident's phone: the 予診票 of a vaccination (seed B) and
 * the 問診票 of a maternal-and-child checkup (seed C). One item shape for both (`{ itemId, text, type, required, options? }`),
 * extended compatibly with what a form needs: answer options as value and label, several answers to
 * one question, bounds, and items that apply only after a given answer to another.
 */

export const QUESTIONNAIRE_PROCESSES = ['vaccination', 'maternal-child'] as const;
export const QuestionnaireProcess = Type.Enum([...QUESTIONNAIRE_PROCESSES]);

export const QUESTIONNAIRE_ITEM_TYPES = ['boolean', 'text', 'number', 'date', 'choice'] as const;
export type QuestionnaireItemType = (typeof QUESTIONNAIRE_ITEM_TYPES)[number];

/** An item id: lower-case letters, digits and hyphens, as the templates name them. */
export const QUESTIONNAIRE_ITEM_ID = '^[a-z0-9][a-z0-9-]{0,63}$';

export const QuestionnaireOption = Type.Object({
  value: Text({ minLength: 1, maxLength: 64, description: 'the answer as stored' }),
  label: Text({ minLength: 1, maxLength: 200, description: 'the answer as shown (Japanese)' }),
  /** In a choice that takes several answers, this one stands alone (「いずれにも該当しない」). */
  exclusive: Type.Optional(Type.Boolean()),
});

export const QuestionnaireItem = Type.Object({
  itemId: Type.String({ pattern: QUESTIONNAIRE_ITEM_ID, maxLength: 64 }),
  text: Text({ minLength: 1, maxLength: 500, description: 'the question as the form asks it (Japanese)' }),
  type: Type.Enum([...QUESTIONNAIRE_ITEM_TYPES]),
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(QuestionnaireOption, { maxItems: 50 })),
  /** A choice that takes several answers (「あてはまるものすべて」): the answer is a list of option values. */
  multiple: Type.Optional(Type.Boolean()),
  unit: Type.Optional(Text({ maxLength: 16, description: 'unit of a number (g, ℃, …)' })),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  /** Decimal places a number may have (0: whole numbers). */
  decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1 })),
  /** The item applies only when another item has one of these answers (a follow-up: 「はい」の場合、病名). */
  enabledWhen: Type.Optional(
    Type.Object({
      itemId: Type.String({ pattern: QUESTIONNAIRE_ITEM_ID, maxLength: 64 }),
      anyOf: Type.Array(Type.Union([Text({ maxLength: 64 }), Type.Boolean()]), { minItems: 1, maxItems: 50 }),
    }),
  ),
  /**
   * `visit`: answered at the venue, not beforehand (the temperature taken before the examination, the
   * guardian's consent after the doctor's explanation); required only when the questionnaire is used.
   */
  answeredAt: Type.Optional(Type.Enum(['beforehand', 'visit'])),
});
export type QuestionnaireItem = Static<typeof QuestionnaireItem>;

/** The longest free-text answer (a symptom, a disease's name, a note). */
export const MAX_ANSWER_TEXT = 500;

/** One answer: yes/no, a number, a text or date or option value, or several option values. */
export const QuestionnaireAnswer = Type.Union([
  Type.Boolean(),
  Type.Number({ minimum: -1_000_000, maximum: 1_000_000, description: 'a number; its item bounds it further' }),
  Text({ maxLength: MAX_ANSWER_TEXT, multiline: true, description: 'text, a date (YYYY-MM-DD) or an option value' }),
  Type.Array(Text({ minLength: 1, maxLength: 64 }), { maxItems: 20, uniqueItems: true, description: 'option values of a choice that takes several' }),
]);
export type QuestionnaireAnswer = Static<typeof QuestionnaireAnswer>;

/** `answers: { itemId: value }`; an answer of `null` clears it. */
export const QuestionnaireAnswers = Type.Record(Type.String({ pattern: QUESTIONNAIRE_ITEM_ID }), Type.Union([QuestionnaireAnswer, Type.Null()]), {
  additionalProperties: false,
  maxProperties: 100,
  description: 'answers by item id (lower-case letters, digits and hyphens)',
});
export type QuestionnaireAnswers = Static<typeof QuestionnaireAnswers>;
