import { verifyCardSignature } from '@pmh/core/crypto/index';
import { ProblemError } from '@pmh/core/http/problem';
import type { CardVerification } from '@pmh/protocol';
import type { CardPublicKey } from './insured.ts';

/**
 * The rules of card authentication (seed A④), without I/O: a card is its holder's when the
 * signature over the challenge verifies with the card's registered public key. An unknown serial
 * and a wrong signature answer alike, so no answer tells which serials exist.
 */

export const cardAuthenticationFailed = () =>
  new ProblemError(401, 'card-authentication-failed', 'The card could not be authenticated: the signature does not match a registered card.');

export const challengeInvalid = () =>
  new ProblemError(401, 'challenge-invalid', 'The challenge is unknown, was already used, was issued to another client or has expired. Ask for a new one.');

/** The holder when the signature is theirs; otherwise card-authentication-failed. */
export function checkSignature<H extends { publicJwk: CardPublicKey }>(holder: H | undefined, auth: CardVerification): H {
  if (!holder || !verifyCardSignature(holder.publicJwk, auth.challenge, auth.signature)) throw cardAuthenticationFailed();
  return holder;
}
