import crypto from 'node:crypto';
import { Compile } from 'typebox/compile';
import {
  LINKAGE_KEY_CLOCK_SKEW_SECONDS,
  LINKAGE_KEY_MAX_LIFETIME_SECONDS,
  LINKAGE_KEY_TYP,
  LinkageKeyClaims,
  type LinkageKeyRefusal,
} from '@pmh/protocol/linkage-key';
import { JweError, openCompactJwe, sealCompactJwe } from './jwe.ts';

/**
 * The PMH linkage key's two ends (format: protocol `linkage-key.ts`): OQS mints, the hub opens.
 * One pair, so the claims one side writes are the claims the other reads.
 */

/** A recipient key of the hub, as its JWKS publishes it. */
export interface LinkageKeyRecipient {
  kid: string;
  key: crypto.KeyObject;
}

export interface MintOptions {
  pmhId: string;
  /** The minting client's id at the hub: the hub checks it against its caller. */
  issuer: string;
  /** The hub's public URL. */
  audience: string;
  /** At most LINKAGE_KEY_MAX_LIFETIME_SECONDS. */
  ttlSeconds?: number;
  /** Milliseconds since the epoch; default now (tests mint stale keys). */
  now?: number;
}

/** Mints a one-time linkage key for `pmhId`, to the hub's key `recipient`. */
export function mintLinkageKey(recipient: LinkageKeyRecipient, o: MintOptions): string {
  const now = Math.floor((o.now ?? Date.now()) / 1000);
  const claims: LinkageKeyClaims = {
    pmhId: o.pmhId,
    iss: o.issuer,
    aud: o.audience,
    jti: crypto.randomBytes(16).toString('base64url'),
    iat: now,
    exp: now + Math.min(o.ttlSeconds ?? LINKAGE_KEY_MAX_LIFETIME_SECONDS, LINKAGE_KEY_MAX_LIFETIME_SECONDS),
  };
  return sealCompactJwe(JSON.stringify(claims), recipient.key, { kid: recipient.kid, typ: LINKAGE_KEY_TYP });
}

/** A hub key from its JWKS entry (P-256, `use: enc`). */
export function linkageKeyRecipient(jwk: { kid?: string; x?: string; y?: string }): LinkageKeyRecipient {
  return { kid: jwk.kid!, key: crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as crypto.JsonWebKey, format: 'jwk' }) };
}

/** The `kid` of a linkage key's protected header, if it can be read at all (to find or reload the key first). */
export function linkageKeyKid(token: string): string | undefined {
  try {
    const kid = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')).kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

const claimsCheck = Compile(LinkageKeyClaims);

export type OpenedLinkageKey = { ok: true; claims: LinkageKeyClaims } | { ok: false; reason: Exclude<LinkageKeyRefusal, 'replayed'> };

/**
 * Opens a linkage key with the hub's private key for its `kid` (`keyFor` answers undefined for a kid
 * the hub does not hold), and checks its claims: their form, the lifetime (`exp` at most 60 s after
 * `iat`, not past, `iat` not ahead, with 5 s of clock skew), the audience and the issuer. Whether
 * its `jti` was used before is the opener's to check (it keeps the replay register).
 */
export function openLinkageKey(
  token: string,
  keyFor: (kid: string | undefined) => crypto.KeyObject | undefined,
  expect: { issuer: string; audience: string; now?: number },
): OpenedLinkageKey {
  let opened: ReturnType<typeof openCompactJwe>;
  try {
    opened = openCompactJwe(token, keyFor);
  } catch (e) {
    if (e instanceof JweError) return { ok: false, reason: 'invalid' };
    throw e;
  }
  if (opened === 'unknown-key') return { ok: false, reason: 'unknown-key' };
  let claims: unknown;
  try {
    claims = JSON.parse(opened.plaintext.toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!claimsCheck.Check(claims)) return { ok: false, reason: 'invalid' };
  const { exp, iat, aud, iss } = claims;
  const now = (expect.now ?? Date.now()) / 1000;
  if (exp + LINKAGE_KEY_CLOCK_SKEW_SECONDS <= now || exp - iat > LINKAGE_KEY_MAX_LIFETIME_SECONDS || iat > now + LINKAGE_KEY_CLOCK_SKEW_SECONDS)
    return { ok: false, reason: 'expired' };
  if (!(aud === expect.audience || (Array.isArray(aud) && aud.includes(expect.audience)))) return { ok: false, reason: 'wrong-audience' };
  if (iss !== expect.issuer) return { ok: false, reason: 'wrong-issuer' };
  return { ok: true, claims };
}
