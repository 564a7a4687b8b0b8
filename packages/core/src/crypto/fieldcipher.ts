import crypto from 'node:crypto';

/**
 * Field-level encryption for identifiers at rest (docs/privacy.md#invariant-1): AES-256-GCM with a key id,
 * so keys can rotate (new writes use `current`, old ciphertexts still open with their own key),
 * and a keyed HMAC-SHA256 blind index so equality look-ups never need the plaintext.
 *
 * Every ciphertext is bound to its place, column and row, as associated data (RFC 5116 §2.1): a
 * ciphertext copied into another row (another subject's My Number) or another column does not
 * open. Format `r1.<kid>.<iv>.<ciphertext>.<tag>`. The first format (`<kid>.<iv>.<ct>.<tag>`,
 * bound to its column only) opens only through `decryptLegacy`, for the data migrations that
 * re-seal it; nothing else accepts it.
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

/** Where a sealed value lives: its column (`table.column`) and its row's identity (a primary or natural key). */
export interface FieldRef {
  column: string;
  row: string;
}

const FORMAT = 'r1';

function aadOf(at: FieldRef): Buffer {
  if (!at.column || !at.row) throw new Error('a sealed field needs its column and its row');
  return Buffer.from(`${FORMAT}\0${at.column}\0${at.row}`, 'utf8');
}

export class FieldCipher {
  private readonly keyObjects = new Map<string, crypto.KeyObject>();
  private readonly legacyAad = new Map<string, Buffer>();
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

  /** Seals `plaintext` for its place: it opens only as the same column of the same row. */
  encrypt(plaintext: string, at: FieldRef): string {
    const iv = this.nextIv();
    const c = crypto.createCipheriv('aes-256-gcm', this.keyObjects.get(this.k.current)!, iv);
    c.setAAD(aadOf(at));
    const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    return [FORMAT, this.k.current, iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
  }

  /** Opens a value sealed for `at`; throws for any other place, a tampered value, or the first format. */
  decrypt(sealed: string, at: FieldRef): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== FORMAT) throw new Error('ciphertext is malformed or in the first format (not bound to its row)');
    return this.open(parts.slice(1), aadOf(at));
  }

  /** True for a ciphertext of the first format (bound to its column only), which a data migration must re-seal. */
  static isLegacy(sealed: string): boolean {
    return sealed.split('.').length === 4;
  }

  /** Opens a first-format ciphertext (associated data: its column's context only). For re-sealing migrations only. */
  decryptLegacy(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4) throw new Error('not a first-format ciphertext');
    let aad = this.legacyAad.get(context);
    if (!aad) this.legacyAad.set(context, (aad = Buffer.from(context)));
    return this.open(parts, aad);
  }

  private open([kid, iv, ct, tag]: string[], aad: Buffer): string {
    const key = this.keyObjects.get(kid);
    if (!key || !iv || ct === undefined || !tag) throw new Error('ciphertext is malformed or its key is unknown');
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    d.setAAD(aad);
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  }

  /** Deterministic keyed index: same input → same value; useless without the key. */
  blindIndex(value: string, context: string): string {
    return crypto.createHmac('sha256', this.k.indexKey).update(context).update('\0').update(value).digest('base64url');
  }

  keyIdOf(sealed: string): string {
    const parts = sealed.split('.');
    return parts.length === 5 ? parts[1] : parts[0];
  }
}

export function generateDataKeys(): DataKeys {
  const kid = `k${Date.now().toString(36)}`;
  return { current: kid, keys: { [kid]: crypto.randomBytes(32) }, indexKey: crypto.randomBytes(32) };
}
