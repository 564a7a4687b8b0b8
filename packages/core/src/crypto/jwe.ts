import crypto from 'node:crypto';

/**
 * Decryption of compact JWEs of exactly one profile — `ECDH-ES+A256KW` key agreement with
 * `A256GCM` content encryption on P-256 (RFC 7516, RFC 7518 §4.6 and §5.3) — with node:crypto's
 * own primitives (ECDH, AES key unwrap, AES-GCM, SHA-256).
 *
 * Why not jose here: the eligibility hot path opens one linkage key per query, and jose goes through
 * WebCrypto, which costs about 1 ms of CPU per key on our machines against about 0.2 ms for the
 * same primitives called directly (bench/eligibility.ts). Nothing here is a new primitive: it is the
 * RFC's composition, and the tests decrypt jose's output and refuse every alteration of it. jose
 * still makes the keys (OQS) and is the reference in the tests.
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
    // createPublicKey refuses a point that is not on the curve (invalid-curve attacks).
    const ephemeral = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: epk.x, y: epk.y }, format: 'jwk' });
    const z = crypto.diffieHellman({ privateKey: key, publicKey: ephemeral });
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
