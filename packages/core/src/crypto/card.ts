import crypto from 'node:crypto';
import type { JWK } from 'jose';

/**
 * The simulated My Number Card (docs/architecture.md#services): a P-256 key pair and a certificate serial.
 * Card authentication is a signature over a fresh challenge (the challenge string as UTF-8, ES256,
 * JOSE form r ‖ s, base64url), checked against the public key registered for that serial — the way
 * the real 利用者証明用電子証明書 is used. Browsers make the same signature with WebCrypto
 * (`ECDSA` / `SHA-256`, which also yields r ‖ s).
 */

/** A fresh challenge: 32 random bytes, base64url. */
export function newChallenge(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Signs a challenge as the card does. For tests, the demo and tools standing in for a card reader. */
export function signCardChallenge(privateJwk: JWK, challenge: string): string {
  const key = crypto.createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y, d: privateJwk.d } as crypto.JsonWebKey,
    format: 'jwk',
  });
  return crypto.sign('sha256', Buffer.from(challenge, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

const publicKeys = new Map<string, crypto.KeyObject>();

/** True when `signature` is the card's signature of `challenge`; false for any malformed input. */
export function verifyCardSignature(publicJwk: JWK, challenge: string, signature: string): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false; // 64 bytes, base64url without padding
  const cacheKey = `${publicJwk.x}.${publicJwk.y}`;
  let key = publicKeys.get(cacheKey);
  try {
    if (!key) {
      key = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y } as crypto.JsonWebKey, format: 'jwk' });
      if (publicKeys.size > 10_000) publicKeys.clear();
      publicKeys.set(cacheKey, key);
    }
    return crypto.verify('sha256', Buffer.from(challenge, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
