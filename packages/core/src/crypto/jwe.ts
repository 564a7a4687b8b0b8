import crypto from 'node:crypto';

/**
 * Compact JWEs of exactly one profile — `ECDH-ES+A256KW` key agreement with
 * `A256GCM` content encryption on P-256 (RFC 7516, RFC 7518 §4.6 and §5.3) — with node:crypto's
 * own primitives (ECDH, AES key unwrap, AES-GCM, SHA-256).
 *
 * Why not jose here: the eligibility hot path makes (OQS) and opens (hub) one linkage key per query, and jose goes through
 * WebCrypto, which costs about 1 ms of CPU per key on our machines against about 0.2 ms for the
 * same primitives called directly (bench/eligibility.ts). Nothing here is a new primitive: it is the
 * RFC's composition, and the tests check both directions against jose (the reference) and refuse
 * every alteration.
 */

export const JWE_ALG = 'ECDH-ES+A256KW';
export const JWE_ENC = 'A256GCM';

export class JweError extends Error {}

export interface OpenedJwe {
  header: Record<string, unknown>;
  plaintext: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
const DEFAULT_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex'); // RFC 3394 §2.2.3.1

function part(s: string, what: string): Buffer {
  if (!B64URL.test(s)) throw new JweError(`${what} is not base64url`);
  return Buffer.from(s, 'base64url');
}

// ECDH through node's ECDH objects on raw points: half the cost of KeyObjects made from JWKs, and
// computeSecret refuses a point that is not on the curve (invalid-curve attacks), as createPublicKey does.
const agreements = new WeakMap<crypto.KeyObject, crypto.ECDH>();
const points = new WeakMap<crypto.KeyObject, Buffer>();

function agreementOf(privateKey: crypto.KeyObject): crypto.ECDH {
  let ecdh = agreements.get(privateKey);
  if (!ecdh) {
    const jwk = privateKey.export({ format: 'jwk' });
    if (jwk.crv !== 'P-256' || !jwk.d) throw new JweError('not a P-256 private key');
    ecdh = crypto.createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(jwk.d, 'base64url'));
    agreements.set(privateKey, ecdh);
  }
  return ecdh;
}

/** The uncompressed point (0x04 ‖ x ‖ y) of a P-256 public key. */
function pointOf(x: Buffer, y: Buffer): Buffer {
  if (x.length !== 32 || y.length !== 32) throw new JweError('bad point');
  return Buffer.concat([Buffer.from([4]), x, y]);
}

function recipientPoint(publicKey: crypto.KeyObject): Buffer {
  let p = points.get(publicKey);
  if (!p) {
    const jwk = publicKey.export({ format: 'jwk' });
    if (jwk.crv !== 'P-256') throw new JweError('not a P-256 public key');
    p = pointOf(Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url'));
    points.set(publicKey, p);
  }
  return p;
}

function lengthPrefixed(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** Concat KDF (NIST SP 800-56A §5.8.1, RFC 7518 §4.6.2) for a 256-bit key-wrapping key. */
function concatKdf(z: Buffer, alg: string, apu: Buffer, apv: Buffer): Buffer {
  const keyBits = Buffer.alloc(4);
  keyBits.writeUInt32BE(256);
  const otherInfo = Buffer.concat([lengthPrefixed(Buffer.from(alg, 'ascii')), lengthPrefixed(apu), lengthPrefixed(apv), keyBits]);
  const round = Buffer.alloc(4);
  round.writeUInt32BE(1); // one SHA-256 round yields the 256 bits
  return crypto.createHash('sha256').update(round).update(z).update(otherInfo).digest();
}

/**
 * Opens a compact JWE. `privateKeyFor(kid)` gives the recipient's P-256 private key for the
 * header's `kid`, or undefined (→ `unknown-key`). Throws JweError for anything malformed, of
 * another profile, or failing authentication (a changed byte anywhere).
 */
export function openCompactJwe(compact: string, privateKeyFor: (kid: string | undefined) => crypto.KeyObject | undefined): OpenedJwe | 'unknown-key' {
  const parts = compact.split('.');
  if (parts.length !== 5) throw new JweError('not a compact JWE');
  const [protectedB64, encryptedKeyB64, ivB64, ciphertextB64, tagB64] = parts;
  let header: Record<string, any>;
  try {
    header = JSON.parse(part(protectedB64, 'header').toString('utf8'));
  } catch {
    throw new JweError('the protected header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new JweError('the protected header is not an object');
  if (header.alg !== JWE_ALG || header.enc !== JWE_ENC) throw new JweError('unsupported alg or enc');
  if ('zip' in header || 'crit' in header) throw new JweError('unsupported header parameter');
  const epk = header.epk;
  if (!epk || epk.kty !== 'EC' || epk.crv !== 'P-256' || typeof epk.x !== 'string' || typeof epk.y !== 'string' || 'd' in epk) throw new JweError('bad epk');
  const key = privateKeyFor(typeof header.kid === 'string' ? header.kid : undefined);
  if (!key) return 'unknown-key';

  const encryptedKey = part(encryptedKeyB64, 'encrypted key');
  const iv = part(ivB64, 'iv');
  const ciphertext = part(ciphertextB64, 'ciphertext');
  const tag = part(tagB64, 'tag');
  if (encryptedKey.length !== 40 || iv.length !== 12 || tag.length !== 16) throw new JweError('bad lengths');
  try {
    const z = agreementOf(key).computeSecret(pointOf(part(epk.x, 'epk.x'), part(epk.y, 'epk.y')));
    const apu = typeof header.apu === 'string' ? part(header.apu, 'apu') : Buffer.alloc(0);
    const apv = typeof header.apv === 'string' ? part(header.apv, 'apv') : Buffer.alloc(0);
    const kek = concatKdf(z, JWE_ALG, apu, apv);
    const unwrap = crypto.createDecipheriv('id-aes256-wrap', kek, DEFAULT_IV);
    const cek = Buffer.concat([unwrap.update(encryptedKey), unwrap.final()]);
    const decipher = crypto.createDecipheriv('aes-256-gcm', cek, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(protectedB64, 'ascii'));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return { header, plaintext };
  } catch {
    throw new JweError('decryption failed');
  }
}

/**
 * Makes a compact JWE of the same profile to a recipient's P-256 public key: a fresh ephemeral key
 * per message, the content key wrapped with the agreed key. `header` adds protected parameters
 * (`kid`, `typ`, …). The tests check that jose opens what this makes.
 */
export function sealCompactJwe(plaintext: Buffer | string, recipient: crypto.KeyObject, header: Record<string, unknown> = {}): string {
  const ephemeral = crypto.createECDH('prime256v1');
  const point = ephemeral.generateKeys();
  const epk = { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
  const protectedHeader = { ...header, alg: JWE_ALG, enc: JWE_ENC, epk };
  const protectedB64 = Buffer.from(JSON.stringify(protectedHeader), 'utf8').toString('base64url');
  const z = ephemeral.computeSecret(recipientPoint(recipient));
  const kek = concatKdf(z, JWE_ALG, Buffer.alloc(0), Buffer.alloc(0));
  const cek = crypto.randomBytes(32);
  const wrap = crypto.createCipheriv('id-aes256-wrap', kek, DEFAULT_IV);
  const encryptedKey = Buffer.concat([wrap.update(cek), wrap.final()]);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', cek, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(protectedB64, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return [
    protectedB64,
    encryptedKey.toString('base64url'),
    iv.toString('base64url'),
    ciphertext.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}
