import type { MedicalSubsidyProgram } from '@pmh/protocol';
import type { FieldError } from '@pmh/core/http/problem';
import { isValidPayerNumber, legalBasisCode } from '@pmh/core/text/checkdigits';
import { normalizeDigits } from '@pmh/core/text/japanese';
import { containsMyNumber } from '@pmh/core/text/my-number';

/**
 * A programme's (制度マスタ) errors beyond its schema: the payer number's check digit and its 法別番号,
 * and no My Number in any of its words (docs/privacy.md#invariant-1; they are shown to clinics
 * and residents). Messages never repeat a value.
 */
export function programErrors(p: MedicalSubsidyProgram, id?: string): FieldError[] {
  const errors: FieldError[] = [];
  // The programme's ID is shown with every certificate of it, to clinics and residents, as its words are.
  if (id !== undefined && containsMyNumber(id))
    errors.push({
      pointer: '/params/orgSpecificCertificateTypeId',
      message: 'contains what looks like a My Number (個人番号); it must never be written in this field',
    });
  const insurerNumber = normalizeDigits(p.medicalSubsidyInsurerNumber);
  if (!isValidPayerNumber(insurerNumber))
    errors.push({ pointer: '/medicalSubsidyInsurerNumber', message: 'is not a valid payer number (8 digits with a correct check digit)' });
  else if (legalBasisCode(insurerNumber) !== p.legalBasisCode)
    errors.push({ pointer: '/legalBasisCode', message: 'must equal the first two digits (法別番号) of medicalSubsidyInsurerNumber' });
  const words: Array<[string, string]> = [['/certificationName', p.certificationName]];
  (p.additionalConditionCodes ?? []).forEach((c, i) =>
    words.push([`/additionalConditionCodes/${i}/code`, c.code], [`/additionalConditionCodes/${i}/name`, c.name]),
  );
  for (const [pointer, text] of words)
    if (containsMyNumber(text)) errors.push({ pointer, message: 'contains what looks like a My Number (個人番号); it must never be written in this field' });
  return errors;
}
