import crypto from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { retryAfterMs } from '../http/problem.ts';

/** RFC 7523 §2.2. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientKey {
  privateJwk: JWK;
  publicJwk: JWK;
  kid: string;
}

/** A new ES256 key pair for an OAuth client; `kid` is the RFC 7638 thumbprint of the public key. */
export async function generateClientKey(): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' },
    publicJwk: { ...pub, kid, alg: 'ES256', use: 'sig' },
  };
}

type SigningInput = JWK | CryptoKey | crypto.KeyObject;

async function toKey(k: SigningInput): Promise<CryptoKey | crypto.KeyObject | Uint8Array> {
  if (k instanceof crypto.KeyObject) return k;
  if (typeof (k as CryptoKey).algorithm === 'object' && typeof (k as CryptoKey).type === 'string') return k as CryptoKey;
  return importJWK(k as JWK, 'ES256');
}

export interface ClientAssertionOptions {
  clientId: string;
  /** The client's private key (ES256); its `kid`, when present, goes into the JWT header. */
  privateJwk: SigningInput;
  /** The token endpoint's URL. */
  audience: string;
  /** Default 60 s; the server accepts at most 300 s. */
  ttlSeconds?: number;
  /** Default a random UUID. */
  jti?: string;
}

/** A client assertion (RFC 7523 §3): `iss` = `sub` = client id, `aud`, `jti`, `iat`, `exp`; compact JWT. */
export async function signClientAssertion(o: ClientAssertionOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const key = await toKey(o.privateJwk);
  const kid = (o.privateJwk as JWK).kid;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(typeof kid === 'string' ? { kid } : {}) })
    .setIssuer(o.clientId)
    .setSubject(o.clientId)
    .setAudience(o.audience)
    .setJti(o.jti ?? crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (o.ttlSeconds ?? 60))
    .sign(key);
}

export interface TokenClientOptions {
  /** Base URL of the service called, e.g. `http://127.0.0.1:7100`. */
  baseUrl: string;
  clientId: string;
  privateJwk: SigningInput;
  /** Default `/oauth/token`. */
  tokenPath?: string;
  /** The assertion's `aud`; default the token endpoint's URL. */
  audience?: string;
  /** For tests. */
  fetch?: typeof fetch;
}

/**
 * Obtains access tokens with client credentials + private_key_jwt, caches each until 30 s before it
 * expires, and shares one request between concurrent callers.
 */
export class TokenClient {
  readonly tokenUrl: string;
  private readonly audience: string;
  private readonly clientId: string;
  private readonly privateJwk: SigningInput;
  private readonly fetchImpl: typeof fetch;
  private cached?: { token: string; refreshAt: number };
  private inflight?: Promise<string>;

  constructor(o: TokenClientOptions) {
    const path = o.tokenPath ?? '/oauth/token';
    this.tokenUrl = o.baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : '/' + path);
    this.audience = o.audience ?? this.tokenUrl;
    this.clientId = o.clientId;
    this.privateJwk = o.privateJwk;
    this.fetchImpl = o.fetch ?? fetch;
  }

  /** An access token, from the cache while it has more than 30 s left. */
  async token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.refreshAt) return this.cached.token;
    if (!this.inflight) {
      this.inflight = this.fetchToken().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** `Bearer <token>`, for the Authorization header. */
  async authorization(): Promise<string> {
    return `Bearer ${await this.token()}`;
  }

  /** Forgets the cached token (e.g. after the service answered 401). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const assertion = await signClientAssertion({
      clientId: this.clientId,
      privateJwk: this.privateJwk,
      audience: this.audience,
    });
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.clientId,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    });
    const started = Date.now();
    let res: Response;
    try {
      res = await this.fetchImpl(this.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
    } catch (e) {
      throw new Error(`Token request to ${this.tokenUrl} failed: ${(e as Error)?.message ?? 'network error'}`);
    }
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const parts = [json?.title, json?.detail]
        .filter((s): s is string => typeof s === 'string' && s.length > 0)
        .map((s) => s.split(assertion).join('[assertion]'));
      // A 503 with Retry-After (the service's database is away) says when to ask again: kept for the outbox.
      throw Object.assign(new Error(`Token request to ${this.tokenUrl} failed: ${res.status}${parts.length ? ' ' + parts.join(': ') : ''}`), {
        status: res.status,
        retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
      });
    }
    const token = json?.access_token;
    const expiresIn = Number(json?.expires_in);
    if (typeof token !== 'string' || !token || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw new Error(`Token request to ${this.tokenUrl} answered ${res.status} without a usable access token.`);
    }
    this.cached = { token, refreshAt: started + Math.max(0, expiresIn - 30) * 1000 };
    return token;
  }
}
