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

// --- Stored questionnaires (the portal's /me/questionnaires, the hub's resident counterpart) ---

export const QUESTIONNAIRE_STATUSES = ['draft', 'submitted', 'used'] as const;
export type QuestionnaireStatus = (typeof QUESTIONNAIRE_STATUSES)[number];

/** The answers as stored (no `null`: a cleared answer is absent). */
export const StoredQuestionnaireAnswers = Type.Record(Type.String({ pattern: QUESTIONNAIRE_ITEM_ID }), QuestionnaireAnswer, {
  description: 'answers by item id',
});

/** One questionnaire as the resident (and, through the relay, a clinic) sees it. */
export const Questionnaire = Type.Object({
  questionnaireId: Type.String({ format: 'uuid', maxLength: 36 }),
  process: QuestionnaireProcess,
  title: Text({ maxLength: 200, description: 'the form’s title, e.g. 「ロタウイルス感染症 予防接種予診票（2回目）」' }),
  vaccineCode: Type.Optional(Type.String({ description: 'process vaccination: the vaccine' })),
  doseNumber: Type.Optional(Type.Integer({ minimum: 1, description: 'process vaccination: the dose (接種回)' })),
  checkupKind: Type.Optional(Type.String({ description: 'process maternal-child: the checkup kind' })),
  sequence: Type.Optional(Type.Integer({ minimum: 1, description: 'process maternal-child: 妊婦健診 1–14, 産婦健診 1–2' })),
  status: Type.Enum([...QUESTIONNAIRE_STATUSES], {
    description: 'draft → submitted → used; a submitted one can be changed until a clinic uses it, a used one cannot',
  }),
  items: Type.Array(QuestionnaireItem),
  answers: StoredQuestionnaireAnswers,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  submittedAt: Type.Optional(Type.String({ format: 'date-time' })),
  usedAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type Questionnaire = Static<typeof Questionnaire>;

export const QuestionnaireList = Type.Array(Questionnaire, { description: 'newest first' });

/**
 * `POST …/questionnaires`: `{ process: "vaccination", vaccineCode, doseNumber }` or `{ process:
 * "maternal-child", checkupKind, sequence? }`. One object rather than a union, so that a wrong field
 * is named: a vaccine, checkup kind or dose no template exists for is a 422 naming it.
 */
export const QuestionnaireCreate = Type.Object(
  {
    process: QuestionnaireProcess,
    vaccineCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z0-9-]+$', description: 'process vaccination (required there)' })),
    doseNumber: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'process vaccination (required there)' })),
    checkupKind: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z0-9-]+$', description: 'process maternal-child (required there)' })),
    sequence: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'process maternal-child: 妊婦健診 (required), 産婦健診 (optional)' })),
  },
  { additionalProperties: false },
);
export type QuestionnaireCreate = Static<typeof QuestionnaireCreate>;

/**
 * `PUT …/questionnaires/{questionnaireId}`: answers to change (`null` clears one) and, with `submit:
 * true`, submit it — every required item answered beforehand must then be answered. `submit: false`
 * takes a submitted one back to draft. Absent: the status stays (a submitted one stays complete).
 */
export const QuestionnaireUpdate = Type.Object(
  {
    answers: QuestionnaireAnswers,
    submit: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type QuestionnaireUpdate = Static<typeof QuestionnaireUpdate>;

export const QuestionnaireParams = Type.Object({ questionnaireId: Type.String({ format: 'uuid', maxLength: 36 }) });

/**
 * The header the portal sends the hub when a guardian (代理人) acts for a dependant: the guardian's PMH
 * pseudonym, or `unlinked` when the guardian's own account has no PMH link. The hub then records the
 * read or write as the guardian's, so the dependant's access log shows it; it never learns more of the
 * guardian than that pseudonym (never a 仮名識別子).
 */
export const ACTING_GUARDIAN_HEADER = 'acting-guardian';
export const ActingGuardianHeaders = Type.Object({
  [ACTING_GUARDIAN_HEADER]: Type.Optional(
    Type.String({
      maxLength: 28,
      pattern: '^(pp[a-z2-7]{26}|unlinked)$',
      description: 'a guardian (代理人) acts: their PMH pseudonym, or `unlinked`; the access log of the person shows it as the guardian’s',
    }),
  ),
});
