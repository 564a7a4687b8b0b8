import { isValidMyNumber } from '@pmh/core/text/checkdigits';
import type { FieldError } from '@pmh/core/http/problem';
import type { NotificationRequest } from '@pmh/protocol';

/**
 * What a notification may say. The text goes to the portal and is shown to the resident, so it must
 * never carry a My Number (ARCHITECTURE.md §3, invariant 1). A My Number is taken to be a run of
 * exactly 12 digits, half- or full-width, also written 4-4-4 as on the card, whose last digit is the
 * 個人番号 check digit: a reference number or a phone number is not refused for being long.
 */
const TWELVE_DIGITS = /(?<![0-9０-９])(?:[0-9０-９]{12}|[0-9０-９]{4}[-‐－ 　][0-9０-９]{4}[-‐－ 　][0-9０-９]{4})(?![0-9０-９])/g;

export function containsMyNumber(text: string): boolean {
  for (const m of text.matchAll(TWELVE_DIGITS)) {
    const digits = m[0].replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[^0-9]/g, '');
    if (isValidMyNumber(digits)) return true;
  }
  return false;
}

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
