import crypto from 'node:crypto';
import { INSURED_CONFLICT_REASONS, type InsuredConflictReason, type InsuredImport } from '@pmh/protocol';

/**
 * The rules of an insured import, without I/O. An import applies as if entry by entry, in order:
 * each entry is checked against what is stored plus the entries applied before it, and is applied
 * whole or not at all. Importing only ever adds (a person, their pseudonym, a card), so "stored plus
 * applied before" is exactly the state entry by entry would have seen.
 */

/** Why an entry is not applied (the contract's `conflicts[].reason`). */
export const IMPORT_CONFLICT_REASONS = INSURED_CONFLICT_REASONS;
export type ImportConflictReason = InsuredConflictReason;

/** The public part of a card key as stored: nothing else of what the caller sent is kept. */
export interface CardPublicKey {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

export interface StoredInsured {
  id: string;
  linkageNumber: string;
  pseudonym: string | null;
}

export interface StoredCard {
  cardSerial: string;
  linkageNumber: string;
  publicJwk: CardPublicKey;
}

export type EntryDecision =
  | { index: number; outcome: 'conflict'; reason: ImportConflictReason }
  /** `changed`: something was added (the person, their pseudonym or a card); else already held. */
  | { index: number; outcome: 'applied'; changed: boolean };

export interface ImportPlan {
  decisions: EntryDecision[];
  /** People to insert, or to give their pseudonym (they had none): one per linkage number. */
  insured: Array<{ linkageNumber: string; pseudonym: string }>;
  /** Cards not stored yet: one per serial. */
  cards: Array<{ cardSerial: string; linkageNumber: string; publicJwk: CardPublicKey }>;
}

export function cardPublicKey(jwk: { x: string; y: string }): CardPublicKey {
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

const sameKey = (a: CardPublicKey, b: CardPublicKey) => a.x === b.x && a.y === b.y;

export function planImport(entries: InsuredImport['entries'], stored: { insured: StoredInsured[]; cards: StoredCard[] }): ImportPlan {
  const pseudonymOf = new Map<string, string | null>(stored.insured.map((p) => [p.linkageNumber, p.pseudonym]));
  const ownerOfPseudonym = new Map<string, string>();
  for (const p of stored.insured) if (p.pseudonym) ownerOfPseudonym.set(p.pseudonym, p.linkageNumber);
  const cardOf = new Map<string, { linkageNumber: string; publicJwk: CardPublicKey }>(stored.cards.map((c) => [c.cardSerial, c]));

  const decisions: EntryDecision[] = [];
  const insured = new Map<string, string>();
  const cards = new Map<string, ImportPlan['cards'][number]>();
  entries.forEach((e, index) => {
    const held = pseudonymOf.get(e.linkageNumber);
    const owner = ownerOfPseudonym.get(e.pseudonym);
    let reason: ImportConflictReason | undefined;
    if (held && held !== e.pseudonym) reason = 'pseudonym-differs';
    else if (owner && owner !== e.linkageNumber) reason = 'pseudonym-taken';
    const named = new Map<string, CardPublicKey>();
    for (const c of e.cards) {
      if (reason) break;
      const key = cardPublicKey(c.publicJwk);
      const known = cardOf.get(c.cardSerial);
      const twice = named.get(c.cardSerial);
      if (known && known.linkageNumber !== e.linkageNumber) reason = 'card-taken';
      else if ((known && !sameKey(known.publicJwk, key)) || (twice && !sameKey(twice, key))) reason = 'card-key-differs';
      named.set(c.cardSerial, key);
    }
    if (reason) {
      decisions.push({ index, outcome: 'conflict', reason });
      return;
    }
    let changed = false;
    if (!held) {
      pseudonymOf.set(e.linkageNumber, e.pseudonym);
      ownerOfPseudonym.set(e.pseudonym, e.linkageNumber);
      insured.set(e.linkageNumber, e.pseudonym);
      changed = true;
    }
    for (const [cardSerial, publicJwk] of named) {
      if (cardOf.has(cardSerial)) continue;
      const card = { cardSerial, linkageNumber: e.linkageNumber, publicJwk };
      cardOf.set(cardSerial, card);
      cards.set(cardSerial, card);
      changed = true;
    }
    decisions.push({ index, outcome: 'applied', changed });
  });
  return {
    decisions,
    insured: [...insured].map(([linkageNumber, pseudonym]) => ({ linkageNumber, pseudonym })),
    cards: [...cards.values()],
  };
}

/**
 * Where the body names a card key that is not a point on P-256 (card authentication could never
 * succeed with it): JSON pointers into the body, at most `limit`.
 */
export function invalidCardKeys(entries: InsuredImport['entries'], limit = 100): string[] {
  const out: string[] = [];
  entries.forEach((e, i) =>
    e.cards.forEach((c, j) => {
      if (out.length >= limit) return;
      try {
        crypto.createPublicKey({ key: { ...cardPublicKey(c.publicJwk) }, format: 'jwk' });
      } catch {
        out.push(`/entries/${i}/cards/${j}/publicJwk`);
      }
    }),
  );
  return out;
}
