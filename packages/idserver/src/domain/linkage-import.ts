import { MAX_LINKAGE_REPEATS } from '@pmh/protocol';
import { isValidMyNumber } from '@pmh/core/text/checkdigits';

/**
 * The rules of a 紐付番号 import, without I/O. Entries apply as if one by one, in order: an entry goes
 * in the round after the last earlier entry naming the same person or the same 紐付番号, so entries
 * of one round share neither and each round is one set-based statement. Real files need one round,
 * a repeated row two; a person or number named more than MAX_LINKAGE_REPEATS times is not applied.
 */

export interface PlannedEntry {
  index: number;
  /** The person: their My Number's blind index. */
  bidx: string;
  myNumber: string;
  linkageNumber: string;
}

export interface ImportPlan {
  rounds: PlannedEntry[][];
  /** Entries whose My Number fails its check digit. */
  rejected: Array<{ index: number; reason: 'invalid-my-number' }>;
  /** Entries past the bound of repeats. */
  duplicates: number[];
}

export function planLinkageImport(entries: Array<{ myNumber: string; linkageNumber: string }>, blindIndex: (myNumber: string) => string): ImportPlan {
  const plan: ImportPlan = { rounds: [], rejected: [], duplicates: [] };
  const roundOfPerson = new Map<string, number>();
  const roundOfNumber = new Map<string, number>();
  entries.forEach((e, index) => {
    if (!isValidMyNumber(e.myNumber)) {
      plan.rejected.push({ index, reason: 'invalid-my-number' });
      return;
    }
    const bidx = blindIndex(e.myNumber);
    const round = Math.max(roundOfPerson.get(bidx) ?? -1, roundOfNumber.get(e.linkageNumber) ?? -1) + 1;
    if (round >= MAX_LINKAGE_REPEATS) {
      plan.duplicates.push(index);
      return;
    }
    roundOfPerson.set(bidx, round);
    roundOfNumber.set(e.linkageNumber, round);
    (plan.rounds[round] ??= []).push({ index, bidx, myNumber: e.myNumber, linkageNumber: e.linkageNumber });
  });
  return plan;
}
