import crypto from 'node:crypto';
import type { JWK } from 'jose';
import { sealCompactJwe } from '@pmh/core/crypto/index';

/**
 * The PMH linkage key (PMH連携キー, ARCHITECTURE.md §3 invariant 7): the PMH-ID encrypted to the
 * hub's public key as a compact JWE (ECDH-ES+A256KW, A256GCM), with issuer, audience, a unique id
 * and an expiry of seconds. Minted for one query and never stored.
 */

export const LINKAGE_KEY_ALG = 'ECDH-ES+A256KW';
export const LINKAGE_KEY_ENC = 'A256GCM';
export const LINKAGE_KEY_TYP = 'pmh-linkage-key+jwt';
export const LINKAGE_KEY_TTL_SECONDS = 60;

export interface HubKey {
  kid: string;
  key: crypto.KeyObject;
}

export interface MintOptions {
  pmhId: string;
  /** Our client id at the hub: the hub checks it against the caller. */
  issuer: string;
  /** The hub's public URL. */
  audience: string;
  ttlSeconds?: number;
  /** For tests that need a stale key; default now. */
  now?: number;
}

export async function mintLinkageKey(hubKey: HubKey, o: MintOptions): Promise<string> {
  const now = Math.floor((o.now ?? Date.now()) / 1000);
  const claims = {
    pmhId: o.pmhId,
    iss: o.issuer,
    aud: o.audience,
    jti: crypto.randomBytes(16).toString('base64url'),
    iat: now,
    exp: now + Math.min(o.ttlSeconds ?? LINKAGE_KEY_TTL_SECONDS, LINKAGE_KEY_TTL_SECONDS),
  };
  return sealCompactJwe(JSON.stringify(claims), hubKey.key, { kid: hubKey.kid, typ: LINKAGE_KEY_TYP });
}

/** A hub public key from its JWKS entry. */
export function hubKeyFromJwk(jwk: JWK): HubKey {
  return { kid: jwk.kid!, key: crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as crypto.JsonWebKey, format: 'jwk' }) };
}

/**
 * The hub's current encryption key, from its published JWKS (`GET /hub/v1/jwks.json`; the first
 * `enc` key is the current one). Cached for `refreshMs`, so a rotation at the hub reaches us without
 * a restart; `refresh()` forces a fetch when the hub says it does not know the key we used.
 */
export class HubKeys {
  private cached?: { at: number; key: HubKey };
  private inflight?: Promise<HubKey>;

  constructor(
    private readonly hubUrl: string,
    private readonly refreshMs = 300_000,
  ) {}

  async current(): Promise<HubKey> {
    if (this.cached && Date.now() - this.cached.at < this.refreshMs) return this.cached.key;
    return this.refresh();
  }

  refresh(): Promise<HubKey> {
    this.inflight ??= this.fetchKey().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetchKey(): Promise<HubKey> {
    const res = await fetch(`${this.hubUrl}/hub/v1/jwks.json`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`hub JWKS answered ${res.status}`);
    const jwks = (await res.json()) as { keys: JWK[] };
    const jwk = jwks.keys.find((k) => k.use === 'enc' && k.kty === 'EC' && k.crv === 'P-256' && k.kid);
    if (!jwk) throw new Error('hub JWKS has no P-256 encryption key');
    const key = hubKeyFromJwk(jwk);
    this.cached = { at: Date.now(), key };
    return key;
  }
}
