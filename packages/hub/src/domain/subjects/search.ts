import type { SubjectSearch } from '@pmh/protocol';
import type { FieldError } from '@pmh/core/http/problem';
import { isValidMyNumber } from '@pmh/core/text/checkdigits';
import { isKatakanaName, normalizeDigits, normalizeKanaName, normalizeKey } from '@pmh/core/text/japanese';

/** What a subject search asks, normalised as registration stores it. */
export type SubjectQuestion = { myNumber: string } | { municipalityIdentityKey: string } | { nameKana: string; dateOfBirth?: string };

/**
 * Reads a search (`POST /municipal/v1/subjects/search`): exactly one of a My Number, a 宛名番号 or a
 * name in katakana (with an optional date of birth). A question of the wrong form is a 400; a My
 * Number whose check digit fails, or a name not in katakana, a 422 — named by field, never quoted.
 */
export function subjectQuestion(q: SubjectSearch): { question: SubjectQuestion } | { status: 400 | 422; errors: FieldError[] } {
  const given = (['myNumber', 'municipalityIdentityKey', 'nameKana'] as const).filter((k) => q[k] !== undefined);
  if (given.length !== 1)
    return {
      status: 400,
      errors: (given.length === 0 ? ['myNumber', 'municipalityIdentityKey', 'nameKana'] : given.slice(1)).map((k) => ({
        pointer: `/${k}`,
        message: given.length === 0 ? 'one of myNumber, municipalityIdentityKey or nameKana is required' : `cannot be asked together with ${given[0]}`,
      })),
    };
  if (q.dateOfBirth !== undefined && q.nameKana === undefined)
    return { status: 400, errors: [{ pointer: '/dateOfBirth', message: 'may be given only with nameKana' }] };
  if (q.myNumber !== undefined) {
    const myNumber = normalizeDigits(q.myNumber);
    if (!isValidMyNumber(myNumber))
      return { status: 422, errors: [{ pointer: '/myNumber', message: 'is not a valid My Number (12 digits with a correct check digit)' }] };
    return { question: { myNumber } };
  }
  if (q.municipalityIdentityKey !== undefined) {
    const key = normalizeKey(q.municipalityIdentityKey);
    if (!key) return { status: 422, errors: [{ pointer: '/municipalityIdentityKey', message: 'must not be empty' }] };
    return { question: { municipalityIdentityKey: key } };
  }
  const nameKana = normalizeKanaName(q.nameKana!);
  if (!nameKana || !isKatakanaName(nameKana)) return { status: 422, errors: [{ pointer: '/nameKana', message: 'must be written in katakana' }] };
  return { question: q.dateOfBirth === undefined ? { nameKana } : { nameKana, dateOfBirth: q.dateOfBirth } };
}
