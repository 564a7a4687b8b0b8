import crypto from 'node:crypto';
import { SignJWT, importJWK, type JWK } from 'jose';
import { CONSENT_ASSERTION_TYP, MAX_CONSENT_ASSERTION_SECONDS, type ConsentAssertionClaims } from '@pmh/protocol/clinic-relay';

/**
 * Signs a consent assertion (seed B⑤): the portal's statement to the hub that a person consented at
 * an institution, for a process and scopes, until a time. A JWT (ES256, `typ` consent+jwt) with the
 * portal's client key — the key the hub already holds for the portal's client assertions — so the
 * hub verifies it with the portal client's registered JWKS. It lives at most as long as the consent
 * and never longer than `MAX_CONSENT_ASSERTION_SECONDS`.
 */
export class ConsentAssertionSigner {
  private key?: Promise<CryptoKey | Uint8Array>;

  constructor(
    /** The portal's client id at the hub (`iss`). */
    private readonly clientId: string,
    private readonly privateJwk: JWK,
    /** The hub's public URL (`aud`). */
    private readonly audience: string,
  ) {}

  async sign(o: { pmhPseudonym: string; consentEnds: Date; ttlSeconds?: number } & ConsentAssertionClaims): Promise<string> {
    this.key ??= importJWK(this.privateJwk, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const exp = Math.min(now + (o.ttlSeconds ?? 120), Math.floor(o.consentEnds.getTime() / 1000), now + MAX_CONSENT_ASSERTION_SECONDS);
    const kid = typeof this.privateJwk.kid === 'string' ? { kid: this.privateJwk.kid } : {};
    const claims: ConsentAssertionClaims = { institution: o.institution, process: o.process, scope: o.scope, consent_id: o.consent_id };
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: CONSENT_ASSERTION_TYP, ...kid })
      .setIssuer(this.clientId)
      .setSubject(o.pmhPseudonym)
      .setAudience(this.audience)
      .setJti(crypto.randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(Math.max(exp, now))
      .sign(await this.key);
  }
}
