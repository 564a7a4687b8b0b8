import { CardChallenge, CardVerification, CardVerified, errorResponses } from '@pmh/protocol';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import { newChallenge, verifyCardSignature } from '@pmh/core/crypto/index';
import { ProblemError } from '@pmh/core/http/problem';
import type { ServiceBase } from '@pmh/core/service';
import type { Static } from 'typebox';
import { cardHolder, storeChallenge, type CardHolder } from '../store/cards.ts';

/** Who may authenticate cards here: medical institutions at reception, and the portal at login. */
export const CARD_READERS = ['clinic:*', 'portal'];

export const cardAuthenticationFailed = () =>
  new ProblemError(401, 'card-authentication-failed', 'The card could not be authenticated: the signature does not match a registered card.');

/**
 * Checks a card signature against the registered key of that serial. An unknown serial and a wrong
 * signature answer alike, so the endpoint does not tell which serials exist.
 */
export async function authenticateCard(base: ServiceBase, auth: Static<typeof CardVerification>): Promise<CardHolder> {
  return checkSignature(await cardHolder(base.db, auth.cardSerial), auth);
}

/** The holder when the signature is theirs; otherwise card-authentication-failed. */
export function checkSignature(holder: CardHolder | undefined, auth: Static<typeof CardVerification>): CardHolder {
  if (!holder || !verifyCardSignature(holder.publicJwk, auth.challenge, auth.signature)) throw cardAuthenticationFailed();
  return holder;
}

export const challengeInvalid = () =>
  new ProblemError(401, 'challenge-invalid', 'The challenge is unknown, was already used, was issued to another client or has expired. Ask for a new one.');

/** Card authentication (seed A④): challenges for card readers, and verification for the portal's login. */
export async function cardRoutes(base: ServiceBase): Promise<void> {
  base.app.post(
    '/oqs/v1/card-challenges',
    {
      config: { access: base.auth.requireRole(...CARD_READERS) },
      schema: {
        tags: ['card authentication'],
        summary: 'A fresh challenge for card authentication: single use, valid 60 s, for the asking client only',
        description: 'The card signs the challenge string (UTF-8) with ES256; the signature is sent base64url-encoded in the JOSE form (r ‖ s, 64 bytes).',
        response: { 200: CardChallenge, ...errorResponses },
      },
    },
    async (req) => {
      const challenge = newChallenge();
      const expiresAt = await storeChallenge(base.db, challenge, req.principal!.clientId);
      return { challenge, expiresAt: expiresAt.toISOString() };
    },
  );

  base.app.post(
    '/oqs/v1/card-verifications',
    {
      config: { access: base.auth.requireRole('portal') },
      schema: {
        tags: ['card authentication'],
        summary: "Whose card is this: the portal's resident login",
        description:
          'Checks the signature against the registered key of the card serial and answers the card holder’s 仮名識別子. ' +
          'The portal issues and uses up its own challenges; this endpoint checks only the signature. 401 when the card cannot be authenticated.',
        body: CardVerification,
        response: { 200: CardVerified, ...errorResponses },
      },
    },
    async (req) => {
      const holder = await authenticateCard(base, req.body).catch(async (e) => {
        await audit(base, 'portal', null, 'card-authentication-failed');
        throw e;
      });
      if (!holder.pseudonym)
        throw new ProblemError(404, 'no-portal-account', 'The card holder has no portal account yet (their insurer enrolment has not reached OQS).');
      await audit(base, 'portal', holder.id, 'ok');
      return { pseudonym: holder.pseudonym };
    },
  );
}

async function audit(base: ServiceBase, actor: string, subjectRef: string | null, outcome: string): Promise<void> {
  await base.db
    .transaction()
    .execute((trx) =>
      appendAudit(trx, [{ stream: auditStream(actor, subjectRef ?? undefined), actor, action: 'card.verify', subjectRef, purpose: 'portal-login', outcome }]),
    );
}
