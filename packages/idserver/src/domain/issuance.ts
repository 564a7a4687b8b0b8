import { isValidMyNumber } from '@pmh/core/text/checkdigits';

/**
 * The rules of PMH-ID issuance (seed ②), without I/O: which requests name which person, and what a
 * request whose My Number fails its check digit answers. A person is their My Number's blind index;
 * the same person named twice in a batch gets one PMH-ID.
 */

export const INVALID_MY_NUMBER = {
  code: 'invalid-my-number',
  message: 'The My Number is not valid: its check digit does not match.',
} as const;

export interface IssuePlan {
  /** Per request, in order: its person's blind index, or null when its My Number fails its check digit. */
  personOf: Array<string | null>;
  /** Each person once: blind index → the My Number (to be encrypted, then forgotten). */
  people: Map<string, string>;
}

export function planIssue(myNumbers: string[], blindIndex: (myNumber: string) => string): IssuePlan {
  const personOf = myNumbers.map((n) => (isValidMyNumber(n) ? blindIndex(n) : null));
  const people = new Map<string, string>();
  myNumbers.forEach((n, i) => {
    const b = personOf[i];
    if (b !== null && !people.has(b)) people.set(b, n);
  });
  return { personOf, people };
}
