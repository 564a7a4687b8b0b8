/**
 * Questionnaires (予診票 B, 問診票 C): the templates of each vaccination dose and checkup kind, and the
 * one engine that checks answers against them. Pure.
 */
import type { CheckupKind } from '@pmh/protocol';
import { checkupTemplate } from './maternal-child-templates.ts';
import type { QuestionnaireTemplate } from './template.ts';
import { vaccinationTemplate } from './vaccination-templates.ts';

export * from './template.ts';
export * from './answers.ts';
export { vaccinationTemplate, CHILD_FORM_VACCINES, ADULT_FORM_VACCINES, FEVER_THRESHOLD_C } from './vaccination-templates.ts';
export { checkupTemplate } from './maternal-child-templates.ts';

export type TemplateRequest =
  | { process: 'vaccination'; vaccineCode: string; doseNumber: number }
  | { process: 'maternal-child'; checkupKind: CheckupKind; sequence?: number };

/** The template a new questionnaire is drafted from (for POST /portal/v1/me/questionnaires), if there is one. */
export function questionnaireTemplate(req: TemplateRequest): QuestionnaireTemplate | undefined {
  return req.process === 'vaccination' ? vaccinationTemplate(req.vaccineCode, req.doseNumber) : checkupTemplate(req.checkupKind, req.sequence);
}
export { chooseTemplate, templateOf, changeQuestionnaire, useQuestionnaire, type TemplateChoice, type QuestionnaireState } from './lifecycle.ts';
