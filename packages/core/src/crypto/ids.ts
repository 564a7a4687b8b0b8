import crypto from 'node:crypto';

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32 (lower case, no padding). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The shapes of the identifiers made here, wherever they appear (the log scrubber looks for them):
 * PMH-ID `pmh…`, 仮名識別子 `ps…`, PMH仮名識別子 `pp…` (26 base32 characters each), 紐付番号 `LN…`.
 */
export const IDENTIFIER_SHAPES = [/(?:pmh|ps|pp)[a-z2-7]{26}/, /LN[A-Z2-7]{16}/] as const;

/** A random identifier: `prefix` + 26 base32 characters (128 bits). Never derived from anything. */
export function randomIdentifier(prefix: 'pmh' | 'ps' | 'pp'): string {
  return prefix + base32(crypto.randomBytes(16));
}

/** A random 紐付番号 for demo and test enrolments: `LN` + 16 upper-case base32 characters (80 bits). */
export function randomLinkageNumber(): string {
  return 'LN' + base32(crypto.randomBytes(10)).toUpperCase();
}
