import crypto from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Logger } from 'pino';
import type { FieldCipher } from '@pmh/core/crypto/index';
import { LINKAGE_KEY_ALG } from '@pmh/protocol';
import type { SystemStore } from '../store/index.ts';

/** A private key is sealed for its own row (its kid): it opens as no other key. */
export const privateKeyAt = (kid: string) => ({ column: 'encryption_keys.private_jwk', row: kid });

interface Loaded {
  key: crypto.KeyObject;
  retiresAt: Date | null;
}

/**
 * The hub's encryption keys for PMH linkage keys (docs/privacy.md#invariant-7), held in the
 * database so that every hub process shares them. Published as JWKS (current key first); a rotation
 * adds a key and keeps the previous ones usable for an overlap. A rotation made by any process (or
 * `pmh keys rotate`) holds in every other at once (docs/architecture.md#several-processes):
 * - the JWKS is read from the database on every request (read-through: it is asked rarely);
 * - a linkage key naming a key id this process does not know reloads the ring first;
 * - a key retired elsewhere is refused by the statement that spends the linkage key
 *   (`LinkageKeyLedger`), which checks the key's retirement in the database;
 * and each process reloads its private keys every `refreshMs` besides (they are decrypted once per load).
 */
export class KeyRing {
  private keys = new Map<string, Loaded>();
  private loadedAt = 0;
  private loading?: Promise<void>;

  constructor(
    private readonly system: SystemStore,
    private readonly cipher: FieldCipher,
    private readonly log: Logger,
    private readonly refreshMs = 10_000,
  ) {}

  /** Makes the first key if there is none, and loads the ring. */
  async init(): Promise<void> {
    const made = await this.system.addKey(await this.newKey());
    if (made.added) this.log.info('made the first linkage-key encryption key');
    await this.reload();
  }

  /** Adds a new current key; the current ones stay usable for `overlapSeconds`. */
  async rotate(overlapSeconds: number): Promise<{ kid: string; retired: Array<{ kid: string; retiresAt: Date }> }> {
    const key = await this.newKey();
    const { retired } = await this.system.addKey(key, overlapSeconds);
    await this.reload();
    this.log.info({ kid: key.kid, retired: retired.map((r) => r.kid) }, 'rotated the linkage-key encryption key');
    return { kid: key.kid, retired };
  }

  /** The public keys, current first, each with its `kid`, `use: enc` and `alg`. */
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.system.usableKeys()).map((r) => r.publicJwk) };
  }

  /**
   * The private keys usable now, by kid, for opening linkage keys. Reloads when stale, or when
   * `kid` is not among them (a rotation made elsewhere), at most once a second.
   */
  async usable(kid?: string): Promise<(kid: string | undefined) => crypto.KeyObject | undefined> {
    await this.fresh();
    if (kid !== undefined && !this.keys.has(kid) && Date.now() - this.loadedAt > 1_000) await this.reload();
    const keys = this.keys;
    const now = Date.now();
    return (k) => {
      const found = k === undefined ? undefined : keys.get(k);
      return found && (!found.retiresAt || found.retiresAt.getTime() > now) ? found.key : undefined;
    };
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt > this.refreshMs) await this.reload();
  }

  private reload(): Promise<void> {
    this.loading ??= (async () => {
      const rows = await this.system.usableKeys();
      const keys = new Map<string, Loaded>();
      for (const r of rows) {
        const jwk = JSON.parse(this.cipher.decrypt(r.privateJwkEnc, privateKeyAt(r.kid))) as JWK;
        keys.set(r.kid, { key: crypto.createPrivateKey({ key: jwk as crypto.JsonWebKey, format: 'jwk' }), retiresAt: r.retiresAt });
      }
      this.keys = keys;
      this.loadedAt = Date.now();
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async newKey(): Promise<{ kid: string; privateJwkEnc: string; publicJwk: JWK }> {
    const { privateKey, publicKey } = await generateKeyPair(LINKAGE_KEY_ALG, { crv: 'P-256', extractable: true });
    const pub = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(pub);
    const meta = { kid, use: 'enc', alg: LINKAGE_KEY_ALG };
    return {
      kid,
      privateJwkEnc: this.cipher.encrypt(JSON.stringify({ ...(await exportJWK(privateKey)), ...meta }), privateKeyAt(kid)),
      publicJwk: { ...pub, ...meta },
    };
  }
}
