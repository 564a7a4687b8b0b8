import { containsMyNumber } from '@pmh/core/text/my-number';
import type { FieldError } from '@pmh/core/http/problem';
import type { NotificationRequest } from '@pmh/protocol';

/**
 * What a notification may say. The text goes to the portal and is shown to the resident, so it must
 * never carry a My Number (docs/privacy.md#invariant-1): `containsMyNumber` (core) — 12 digits in
 * any width or grouping whose last digit is the 個人番号 check digit, so a reference or a telephone
 * number is not refused for being long.
 */
/**
 * The request's errors beyond its schema: a My Number in the text (named by field, never quoted),
 * and a subject named twice (each target is delivered once, so a repeat is a mistake to report).
 */
export function notificationErrors(n: NotificationRequest): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['title', 'body', 'url'] as const) {
    const text = n[field];
    if (text !== undefined && containsMyNumber(text))
      errors.push({ pointer: `/${field}`, message: 'contains what looks like a My Number (個人番号); a notification must never carry one' });
  }
  const first = new Map<string, number>();
  n.targets.forEach((t, i) => {
    const j = first.get(t.municipalityIdentityKey);
    if (j === undefined) first.set(t.municipalityIdentityKey, i);
    else errors.push({ pointer: `/targets/${i}/municipalityIdentityKey`, message: `names the same subject as /targets/${j}` });
  });
  return errors;
}
