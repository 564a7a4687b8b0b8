import { Type, type Static } from 'typebox';
import { PmhId } from './federation.ts';
import { Text } from './text.ts';

/**
 * The PMH linkage key (PMH連携キー, seed A④): OQS mints one for each eligibility query — the
 * PMH-ID encrypted to one of the hub's published keys — and the hub opens it. Both ends read the
 * format from here; core `crypto/linkage-key.ts` mints and opens it.
 *
 * A compact JWE (RFC 7516) with `alg` ECDH-ES+A256KW and `enc` A256GCM (RFC 7518 §4.6, §5.3) to a
 * P-256 key of `GET /hub/v1/jwks.json`, named by `kid` in the protected header (`typ`
 * `pmh-linkage-key+jwt`). Its plaintext is a JSON object of the claims below: `iss` the OQS client
 * id, `aud` the hub's URL, a unique `jti`, and `exp` at most 60 s after `iat` (an expiry of
 * seconds). It is good for one query and never stored.
 */
export const LINKAGE_KEY_ALG = 'ECDH-ES+A256KW';
export const LINKAGE_KEY_ENC = 'A256GCM';
export const LINKAGE_KEY_TYP = 'pmh-linkage-key+jwt';
/** A linkage key lives at most this long (`exp - iat`). */
export const LINKAGE_KEY_MAX_LIFETIME_SECONDS = 60;
/** Clock difference allowed between OQS and the hub. */
export const LINKAGE_KEY_CLOCK_SKEW_SECONDS = 5;

/** The claims of a linkage key (RFC 7519 names where there is one). Other members are ignored. */
export const LinkageKeyClaims = Type.Object(
  {
    pmhId: PmhId,
    iss: Type.String({ minLength: 1, maxLength: 200, description: 'the minting OQS client id; the hub checks it against its caller' }),
    aud: Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 10 })], {
      description: "the hub's public URL",
    }),
    // The jti is stored (the hub's replay register): held to the wire's text rule like anything that reaches SQL.
    jti: Text({ minLength: 1, maxLength: 200, description: 'unique per key: the hub accepts each once' }),
    iat: Type.Number({ description: 'issued at, seconds since the epoch' }),
    exp: Type.Number({ description: `expires at, seconds since the epoch; at most ${LINKAGE_KEY_MAX_LIFETIME_SECONDS} s after iat` }),
  },
  { additionalProperties: true },
);
export type LinkageKeyClaims = Static<typeof LinkageKeyClaims>;

/** Why the hub refuses a linkage key: its answer's `reason` (403 `linkage-key-refused`). */
export const LINKAGE_KEY_REFUSALS = ['invalid', 'unknown-key', 'expired', 'wrong-audience', 'wrong-issuer', 'replayed'] as const;
export type LinkageKeyRefusal = (typeof LINKAGE_KEY_REFUSALS)[number];
