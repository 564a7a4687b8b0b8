import crypto from 'node:crypto';

/**
 * Field-level encryption for identifiers at rest (ARCHITECTURE.md §3.1): AES-256-GCM with a key id,
 * so keys can rotate (new writes use `current`, old ciphertexts still open with their own key),
 * and a keyed HMAC-SHA256 blind index so equality look-ups never need the plaintext.
 */
export interface DataKeys {
  /** Key id used for new encryptions. */
  current: string;
  /** Key id → 32-byte key. */
  keys: Record<string, Buffer>;
  /** 32-byte HMAC key for blind indexes. Not rotated by `current`: rotating it means re-indexing. */
  indexKey: Buffer;
}

/** IVs are drawn from a pooled random buffer: one `randomBytes` call per 4,096 encryptions, not one each. */
const IV_BYTES = 12;
const IV_POOL = 4096;

export class FieldCipher {
  private readonly keyObjects = new Map<string, crypto.KeyObject>();
  private readonly aad = new Map<string, Buffer>();
  private ivPool = Buffer.alloc(0);
  private ivAt = 0;

  constructor(private readonly k: DataKeys) {
    for (const [kid, key] of Object.entries(k.keys)) {
      if (key.length !== 32) throw new Error(`data key ${kid} must be 32 bytes`);
      if (kid.includes('.')) throw new Error(`data key id ${kid} must not contain '.'`);
    }
    if (!k.keys[k.current]) throw new Error(`current data key ${k.current} is missing`);
    if (k.indexKey.length !== 32) throw new Error('index key must be 32 bytes');
    for (const [kid, key] of Object.entries(k.keys)) this.keyObjects.set(kid, crypto.createSecretKey(key));
  }

  private nextIv(): Buffer {
    if (this.ivAt >= this.ivPool.length) {
      this.ivPool = crypto.randomBytes(IV_BYTES * IV_POOL);
      this.ivAt = 0;
    }
    const iv = this.ivPool.subarray(this.ivAt, this.ivAt + IV_BYTES);
    this.ivAt += IV_BYTES;
    return iv;
  }

  private aadOf(context: string): Buffer {
    let b = this.aad.get(context);
    if (!b) {
      b = Buffer.from(context);
      if (this.aad.size < 1000) this.aad.set(context, b);
    }
    return b;
  }

  /** `context` is bound as associated data: a ciphertext moved to another column will not open. */
  encrypt(plaintext: string, context: string): string {
    const iv = this.nextIv();
    const c = crypto.createCipheriv('aes-256-gcm', this.keyObjects.get(this.k.current)!, iv);
    c.setAAD(this.aadOf(context));
    const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    return [this.k.current, iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
  }

  decrypt(sealed: string, context: string): string {
    const [kid, iv, ct, tag] = sealed.split('.');
    const key = this.keyObjects.get(kid);
    if (!key || !iv || ct === undefined || !tag) throw new Error('ciphertext is malformed or its key is unknown');
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    d.setAAD(this.aadOf(context));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  }

  encryptBytes(plaintext: Buffer, context: string): Buffer {
    return Buffer.from(this.encrypt(plaintext.toString('base64'), context), 'utf8');
  }

  decryptBytes(sealed: Buffer, context: string): Buffer {
    return Buffer.from(this.decrypt(sealed.toString('utf8'), context), 'base64');
  }

  /** Deterministic keyed index: same input → same value; useless without the key. */
  blindIndex(value: string, context: string): string {
    return crypto.createHmac('sha256', this.k.indexKey).update(context).update('\0').update(value).digest('base64url');
  }

  keyIdOf(sealed: string): string {
    return sealed.split('.')[0];
  }
}

export function generateDataKeys(): DataKeys {
  const kid = `k${Date.now().toString(36)}`;
  return { current: kid, keys: { [kid]: crypto.randomBytes(32) }, indexKey: crypto.randomBytes(32) };
}
