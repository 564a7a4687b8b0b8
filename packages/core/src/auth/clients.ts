import { sql, type Kysely } from 'kysely';
import { calculateJwkThumbprint, type JSONWebKeySet, type JWK } from 'jose';

/** A registered OAuth client: its role and the public keys its client assertions are signed with. */
export interface OAuthClient {
  clientId: string;
  role: string;
  jwks: JSONWebKeySet;
}

export interface ClientStoreOptions {
  /** How long a looked-up client stays cached in memory (default 30 000 ms). */
  cacheTtlMs?: number;
  /** Most clients kept in the cache (default 1000; the oldest entry goes first). */
  cacheMax?: number;
  /** Expired jti rows are deleted on every n-th `rememberJti` call (default 100). */
  purgeEvery?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** Client ids: printable, no spaces, bounded. */
const CLIENT_ID = /^[A-Za-z0-9._:@-]{1,200}$/;
/** Roles: `admin`, `idserver`, `municipality:131016`, … */
const ROLE = /^[a-z][a-z0-9_-]{0,40}(:[A-Za-z0-9_-]{1,64})?$/;
/** JWK members that only a private (or symmetric) key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];

/**
 * Registered OAuth clients over Kysely (`oauth_clients`), with a short in-memory cache, and the
 * replay register of client-assertion `jti`s (`oauth_assertion_jti`).
 */
export class ClientStore {
  private readonly cache = new Map<string, { client: OAuthClient; until: number }>();
  private readonly cacheTtlMs: number;
  private readonly cacheMax: number;
  private readonly purgeEvery: number;
  private readonly now: () => number;
  private jtiCalls = 0;

  constructor(
    private readonly db: Kysely<any>,
    opts: ClientStoreOptions = {},
  ) {
    this.cacheTtlMs = opts.cacheTtlMs ?? 30_000;
    this.cacheMax = opts.cacheMax ?? 1000;
    this.purgeEvery = Math.max(1, opts.purgeEvery ?? 100);
    this.now = opts.now ?? Date.now;
  }

  /**
   * Registers a client or replaces its role and keys. Keys must be public; a key without `kid` gets
   * its RFC 7638 thumbprint as `kid`.
   */
  async register(clientId: string, role: string, jwks: JSONWebKeySet | JWK[]): Promise<OAuthClient> {
    if (!CLIENT_ID.test(clientId)) throw new Error('The client id is not valid.');
    if (!ROLE.test(role)) throw new Error('The role is not valid.');
    const given = Array.isArray(jwks) ? jwks : jwks?.keys;
    if (!Array.isArray(given) || given.length === 0) throw new Error('A client needs at least one public key.');
    const keys: JWK[] = [];
    for (const k of given) {
      if (!k || typeof k !== 'object' || typeof k.kty !== 'string') throw new Error('A client key is not a JWK.');
      if (PRIVATE_MEMBERS.some((m) => m in k)) throw new Error('A client key must be a public key.');
      keys.push(k.kid ? { ...k } : { ...k, kid: await calculateJwkThumbprint(k) });
    }
    const set: JSONWebKeySet = { keys: keys as JSONWebKeySet['keys'] };
    const json = JSON.stringify(set);
    await this.db
      .insertInto('oauth_clients')
      .values({ client_id: clientId, role, jwks: sql`${json}::jsonb` })
      .onConflict((oc) => oc.column('client_id').doUpdateSet({ role, jwks: sql`${json}::jsonb` }))
      .execute();
    this.invalidate(clientId);
    return { clientId, role, jwks: set };
  }

  /** The client, or undefined when none is registered under this id. Cached for a short while. */
  async get(clientId: string): Promise<OAuthClient | undefined> {
    if (!CLIENT_ID.test(clientId)) return undefined;
    const hit = this.cache.get(clientId);
    const now = this.now();
    if (hit && hit.until > now) return hit.client;
    if (hit) this.cache.delete(clientId);
    const row = await this.db.selectFrom('oauth_clients').select(['client_id', 'role', 'jwks']).where('client_id', '=', clientId).executeTakeFirst();
    if (!row) return undefined;
    const jwks = typeof row.jwks === 'string' ? JSON.parse(row.jwks) : row.jwks;
    const client: OAuthClient = { clientId: row.client_id, role: row.role, jwks };
    if (this.cache.size >= this.cacheMax) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(clientId, { client, until: now + this.cacheTtlMs });
    return client;
  }

  /** Drops one client (or every client) from the cache. */
  invalidate(clientId?: string): void {
    if (clientId === undefined) this.cache.clear();
    else this.cache.delete(clientId);
  }

  /**
   * Records a `jti` until `expiresAt`. True when it is new; false when it was seen before (a replay).
   * Now and then also deletes expired rows.
   */
  async rememberJti(jti: string, expiresAt: Date): Promise<boolean> {
    if (++this.jtiCalls % this.purgeEvery === 0) {
      await this.purgeExpiredJtis().catch(() => {});
    }
    const rows = await this.db
      .insertInto('oauth_assertion_jti')
      .values({ jti, expires_at: expiresAt })
      .onConflict((oc) => oc.column('jti').doNothing())
      .returning('jti')
      .execute();
    return rows.length === 1;
  }

  /** Deletes the jti rows whose time has passed; returns how many. */
  async purgeExpiredJtis(): Promise<number> {
    const r = await this.db.deleteFrom('oauth_assertion_jti').where('expires_at', '<', new Date(this.now())).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0);
  }
}
