import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Text } from '@pmh/protocol/text';
import { SignJWT, createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWK, type JWTPayload, type JWTVerifyOptions, type JWTVerifyGetKey } from 'jose';
import { ajvToFieldErrors, type App } from '../http/app.ts';
import type { Guard } from '../http/access.ts';
import { ProblemError } from '../http/problem.ts';
import type { ClientStore, OAuthClient } from './clients.ts';
import { CLIENT_ASSERTION_TYPE } from './client.ts';

/** Who called, as established by a verified access token. */
export interface Principal {
  clientId: string;
  role: string;
  /** Set when the role is `municipality:<code>`. */
  municipalityCode?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface SigningKey {
  privateJwk: JWK;
  publicJwk: JWK;
  kid: string;
}

export interface OAuthOptions {
  /** This service's public base URL, e.g. `http://127.0.0.1:7100`. Access tokens carry it as `iss` and `aud`. */
  issuer: string;
  /** Token-endpoint URLs accepted as a client assertion's `aud`; default `[issuer + '/oauth/token']`. */
  audiences?: string[];
  clients: ClientStore;
  /** ES256 key that signs access tokens. */
  signingKey: SigningKey;
  /** Lifetime of an access token; default 600 s. */
  tokenTtlSeconds?: number;
}

export type RoleGuard = Guard;

export interface OAuthServer {
  /**
   * A route's guard (`config: { access: auth.requireRole('admin') }`) admitting a valid bearer token
   * whose role matches one of the patterns (`admin`, `municipality:*`, …); 401 without one, 403 for
   * another role. It runs in onRequest, before the body is read.
   */
  requireRole(...patterns: string[]): RoleGuard;
  /** Verifies an access token of this service; throws a 401 ProblemError when it is not valid. */
  verifyAccessToken(token: string): Promise<Principal>;
  /** The public JWKS of this service's token-signing key. */
  jwks(): JSONWebKeySet;
}

/**
 * A client assertion lives at most this long: `exp` at most this far ahead, `exp − iat` at most
 * this, and `iat` no older (RFC 7523 §3 lets the server limit both; we allow 5 minutes).
 */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Clock skew allowed between us and a client. */
export const CLOCK_SKEW_SECONDS = 30;

const FORM = 'application/x-www-form-urlencoded';
const ACCESS_TOKEN_TYP = 'at+jwt';

const TokenRequest = Type.Object(
  {
    grant_type: Text({ maxLength: 100, description: 'Always `client_credentials`.' }),
    client_id: Text({ minLength: 1, maxLength: 200, description: 'The client id.' }),
    client_assertion_type: Text({ maxLength: 200, description: `Always \`${CLIENT_ASSERTION_TYPE}\`.` }),
    client_assertion: Text({
      minLength: 1,
      maxLength: 8192,
      description:
        "A JWT signed (ES256) with one of the client's registered keys: `iss` = `sub` = client id, " +
        "`aud` = this token endpoint's URL, a unique `jti`, `exp` at most 5 minutes ahead.",
    }),
    scope: Type.Optional(Text({ maxLength: 1000, description: 'Ignored: the role of the client decides.' })),
  },
  { additionalProperties: false },
);

const TokenResponse = Type.Object({
  access_token: Type.String({ description: 'A JWT (ES256) for `Authorization: Bearer`.' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the access token expires.' }),
});

const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    error: Type.Optional(Type.String({ description: 'The OAuth 2.0 error code (RFC 6749 §5.2).' })),
  },
  { additionalProperties: true },
);

function invalidClient(detail: string): ProblemError {
  return new ProblemError(401, 'invalid-client', detail, { extra: { error: 'invalid_client' } });
}

/** Plain words for a failed check of a client assertion; never quotes the token. */
function assertionFailure(err: unknown): ProblemError {
  const e = err as { code?: string; claim?: string; reason?: string };
  switch (e?.code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return invalidClient('The client assertion must be signed with ES256.');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return invalidClient('No key registered for this client matches the client assertion.');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return invalidClient('The client assertion is not signed by a key registered for this client.');
    case 'ERR_JWT_EXPIRED':
      if (e.claim === 'iat') return invalidClient('The client assertion was issued ("iat") more than 5 minutes ago.');
      return invalidClient('The client assertion has expired.');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = e.claim;
      if (e.reason === 'missing') return invalidClient(`The client assertion has no "${claim}" claim.`);
      if (claim === 'iss') return invalidClient('The client assertion\'s "iss" is not the client id.');
      if (claim === 'sub') return invalidClient('The client assertion\'s "sub" is not the client id.');
      if (claim === 'aud') return invalidClient('The client assertion\'s "aud" is not this token endpoint.');
      if (claim === 'nbf') return invalidClient('The client assertion is not valid yet ("nbf").');
      if (claim === 'iat') return invalidClient('The client assertion\'s "iat" is in the future.');
      if (claim === 'exp') return invalidClient('The client assertion\'s "exp" is not valid.');
      return invalidClient('A claim of the client assertion is not valid.');
    }
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return invalidClient('The client assertion is not a well-formed signed JWT.');
    case 'ERR_JWKS_INVALID':
      return invalidClient('The keys registered for this client are not usable.');
    default:
      return invalidClient('The client assertion could not be verified.');
  }
}

/** Verifies against a JWKS; when several keys could match (no `kid`), tries each of them. */
async function verifyWithKeySet(jwt: string, keySet: JWTVerifyGetKey, options: JWTVerifyOptions) {
  try {
    return await jwtVerify(jwt, keySet, options);
  } catch (err) {
    if ((err as { code?: string })?.code !== 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw err;
    let last: unknown = err;
    for await (const key of err as AsyncIterable<CryptoKey>) {
      try {
        return await jwtVerify(jwt, key, options);
      } catch (e) {
        last = e;
        if ((e as { code?: string })?.code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw e;
      }
    }
    throw last;
  }
}

function roleMatches(role: string, pattern: string): boolean {
  if (pattern.endsWith(':*')) {
    const prefix = pattern.slice(0, -1);
    return role.startsWith(prefix) && role.length > prefix.length;
  }
  return role === pattern;
}

export function principalOf(clientId: string, role: string): Principal {
  const m = /^municipality:(.+)$/.exec(role);
  return m ? { clientId, role, municipalityCode: m[1] } : { clientId, role };
}

function importKey(jwk: JWK, kind: 'private' | 'public'): crypto.KeyObject {
  if (jwk?.kty !== 'EC' || jwk.crv !== 'P-256') throw new Error(`The signing key must be an EC P-256 (ES256) ${kind} JWK.`);
  const input = { key: jwk as crypto.JsonWebKey, format: 'jwk' as const };
  return kind === 'private' ? crypto.createPrivateKey(input) : crypto.createPublicKey(input);
}

/**
 * OAuth 2.0 client credentials with private_key_jwt (RFC 7523) at `POST /oauth/token`, and the
 * bearer-token guard for this service's routes.
 */
export function registerOAuth(app: App, opts: OAuthOptions): OAuthServer {
  const issuer = opts.issuer.replace(/\/+$/, '');
  const audiences = opts.audiences?.length ? [...opts.audiences] : [issuer + '/oauth/token'];
  const ttl = opts.tokenTtlSeconds ?? 600;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('tokenTtlSeconds must be a positive integer.');
  const { kid } = opts.signingKey;
  const privateKey = importKey(opts.signingKey.privateJwk, 'private');
  const publicKey = importKey(opts.signingKey.publicJwk, 'public');
  const publicJwk: JWK = { ...publicOnly(opts.signingKey.publicJwk), kid, alg: 'ES256', use: 'sig' };
  const keySets = new WeakMap<OAuthClient, JWTVerifyGetKey>();

  if (!app.hasContentTypeParser(FORM)) {
    app.addContentTypeParser(FORM, { parseAs: 'string' }, (_req, body, done) => {
      const out: Record<string, string | string[]> = Object.create(null);
      for (const [k, v] of new URLSearchParams(body as string)) {
        const prev = out[k];
        // A repeated parameter (RFC 6749 §3.2 forbids it) becomes a list, which the schema rejects.
        out[k] = prev === undefined ? v : ([] as string[]).concat(prev, v);
      }
      done(null, out);
    });
  }
  if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', undefined);

  app.post(
    '/oauth/token',
    {
      bodyLimit: 16 * 1024,
      attachValidation: true,
      // Anyone may ask (the assertion is the credential); every problem carries OAuth's error code (RFC 6749 §5.2).
      config: { access: 'public', problemMembers: { error: 'invalid_request' } },
      schema: {
        summary: 'Obtain an access token (client credentials, private_key_jwt)',
        description:
          'OAuth 2.0 client credentials grant with a signed JWT client assertion (RFC 7523). The form body ' +
          `is \`grant_type=client_credentials\`, \`client_id\`, \`client_assertion_type=${CLIENT_ASSERTION_TYPE}\` ` +
          "and `client_assertion`. The access token carries the client's role.",
        tags: ['oauth'],
        consumes: [FORM],
        body: TokenRequest,
        response: { 200: TokenResponse, 400: ProblemSchema, 401: ProblemSchema, 415: ProblemSchema },
      },
    },
    async (req, reply) => {
      const mediaType = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      if (mediaType !== FORM) {
        throw new ProblemError(415, 'unsupported-media-type', `The token request must be sent as ${FORM}.`, {
          extra: { error: 'invalid_request' },
        });
      }
      if (req.validationError) {
        const v = req.validationError as { validation?: any[]; validationContext?: string };
        throw new ProblemError(400, 'validation', 'The token request does not match the schema.', {
          errors: ajvToFieldErrors(v.validation ?? [], v.validationContext),
          extra: { error: 'invalid_request' },
        });
      }
      const body = req.body as { grant_type: string; client_id: string; client_assertion_type: string; client_assertion: string };
      if (body.grant_type !== 'client_credentials') {
        throw new ProblemError(400, 'unsupported-grant-type', 'Only the client_credentials grant is supported.', {
          extra: { error: 'unsupported_grant_type' },
        });
      }
      if (body.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
        throw invalidClient(`The client_assertion_type must be ${CLIENT_ASSERTION_TYPE}.`);
      }
      const client = await opts.clients.get(body.client_id);
      if (!client) throw invalidClient('The client is not registered.');

      let keySet = keySets.get(client);
      if (!keySet) {
        try {
          keySet = createLocalJWKSet(client.jwks);
        } catch {
          throw invalidClient('The keys registered for this client are not usable.');
        }
        keySets.set(client, keySet);
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await verifyWithKeySet(body.client_assertion, keySet, {
          algorithms: ['ES256'],
          issuer: client.clientId,
          subject: client.clientId,
          audience: audiences,
          requiredClaims: ['exp', 'jti', 'iat'],
          // Also refuses an `iat` in the future (beyond the skew): such an assertion could be kept and used later.
          maxTokenAge: MAX_ASSERTION_LIFETIME_SECONDS,
          clockTolerance: CLOCK_SKEW_SECONDS,
        }));
      } catch (err) {
        throw assertionFailure(err);
      }
      const now = Math.floor(Date.now() / 1000);
      const exp = payload.exp!;
      if (exp - now > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
        throw invalidClient('The client assertion\'s "exp" is more than 5 minutes ahead.');
      }
      if (exp - payload.iat! > MAX_ASSERTION_LIFETIME_SECONDS) {
        throw invalidClient('The client assertion lives longer than 5 minutes ("exp" − "iat").');
      }
      const jti = payload.jti;
      if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
        throw invalidClient('The client assertion\'s "jti" is not valid.');
      }
      // Scoped per client; kept until the assertion can no longer pass the exp check.
      const fresh = await opts.clients.rememberJti(`${client.clientId} ${jti}`, new Date((exp + CLOCK_SKEW_SECONDS) * 1000));
      if (!fresh) throw invalidClient('The client assertion\'s "jti" has been used before.');

      const accessToken = await new SignJWT({ role: client.role, client_id: client.clientId })
        .setProtectedHeader({ alg: 'ES256', kid, typ: ACCESS_TOKEN_TYP })
        .setIssuer(issuer)
        .setAudience(issuer)
        .setSubject(client.clientId)
        .setJti(crypto.randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + ttl)
        .sign(privateKey);
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return { access_token: accessToken, token_type: 'Bearer' as const, expires_in: ttl };
    },
  );

  // Verified tokens, until they expire: a signature check per request is the dearest part of a
  // hot path's authentication, and the same token string verifies the same way until its expiry.
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();

  async function verifyAccessToken(token: string): Promise<Principal> {
    const hit = verified.get(token);
    if (hit && hit.expiresAt > Date.now()) return hit.principal;
    const { expiresAt, ...principal } = await verifySignedAccessToken(token);
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, { principal, expiresAt });
    return principal;
  }

  async function verifySignedAccessToken(token: string): Promise<Principal & { expiresAt: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, publicKey, {
        algorithms: ['ES256'],
        issuer,
        audience: issuer,
        typ: ACCESS_TOKEN_TYP,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_SKEW_SECONDS,
      }));
    } catch (err) {
      const code = (err as { code?: string })?.code;
      throw unauthorized(code === 'ERR_JWT_EXPIRED' ? 'The access token has expired.' : 'The access token is not valid for this service.', 'invalid_token');
    }
    if (typeof payload.sub !== 'string' || typeof payload.role !== 'string' || !payload.role) {
      throw unauthorized('The access token is not valid for this service.', 'invalid_token');
    }
    return { ...principalOf(payload.sub, payload.role), expiresAt: (payload.exp! - CLOCK_SKEW_SECONDS) * 1000 };
  }

  function requireRole(...patterns: string[]): RoleGuard {
    if (patterns.length === 0) throw new Error('requireRole needs at least one role pattern.');
    const guard = async (req: FastifyRequest) => {
      const header = req.headers.authorization;
      if (!header) throw unauthorized('This endpoint needs an access token (Authorization: Bearer).');
      const m = header.length <= 8192 ? /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(header) : null;
      if (!m) {
        throw unauthorized('The Authorization header is not a bearer token.', 'invalid_request');
      }
      const principal = await verifyAccessToken(m[1]);
      if (!patterns.some((p) => roleMatches(principal.role, p))) {
        throw new ProblemError(403, 'forbidden', 'The role of this client may not use this endpoint.', {
          headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' },
        });
      }
      req.principal = principal;
      req.caller = `client:${principal.clientId}`;
    };
    // OpenAPI 3.1 §4.8.30: for a scheme other than OAuth 2.0 the list names the roles required.
    return Object.assign(guard, { security: [{ bearer: patterns }] });
  }

  return {
    requireRole,
    verifyAccessToken,
    jwks: () => ({ keys: [{ ...publicJwk }] }) as JSONWebKeySet,
  };
}

function unauthorized(detail: string, error?: 'invalid_request' | 'invalid_token'): ProblemError {
  return new ProblemError(401, 'unauthorized', detail, {
    headers: { 'www-authenticate': error ? `Bearer error="${error}"` : 'Bearer' },
  });
}

function publicOnly(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, y };
}
