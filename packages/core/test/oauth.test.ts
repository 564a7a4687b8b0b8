import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, importJWK, type JWK } from 'jose';
import { createApp, type App } from '../src/http/app.ts';
import { createLogger, LogCapture } from '../src/http/logging.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { generateSigningKey } from '../src/crypto/keyfile.ts';
import {
  authMigrations,
  ClientStore,
  registerOAuth,
  generateClientKey,
  signClientAssertion,
  TokenClient,
  CLIENT_ASSERTION_TYPE,
  type ClientKey,
  type OAuthServer,
} from '../src/auth/index.ts';

/** The public URL of the service (as behind a proxy); the test server listens elsewhere. */
const ISSUER = 'https://hub.pmh.test';
const AUDIENCE = ISSUER + '/oauth/token';
const CITY = 'city-131016';
const ADMIN = 'admin-ops';

let database: Database;
let app: App;
let auth: OAuthServer;
let baseUrl: string;
let clients: ClientStore;
let cityKey: ClientKey;
let adminKey: ClientKey;
let otherKey: ClientKey;
let signing: Awaited<ReturnType<typeof generateSigningKey>>;
const logs = new LogCapture();
/** Every assertion sent in this file: none may come back in an answer or a log line. */
const sentAssertions: string[] = [];

const now = () => Math.floor(Date.now() / 1000);

async function postToken(form: Record<string, string>): Promise<Response> {
  if (form.client_assertion) sentAssertions.push(form.client_assertion);
  return fetch(baseUrl + '/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

function tokenForm(clientId: string, assertion: string, extra: Record<string, string> = {}) {
  return {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: assertion,
    ...extra,
  };
}

/** A client assertion with the given claims, signed ES256 with `jwk`. */
async function customAssertion(jwk: JWK, claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: jwk.kid, ...header }).sign(await importJWK(jwk, 'ES256'));
}

function baseClaims(clientId = CITY) {
  const t = now();
  return { iss: clientId, sub: clientId, aud: AUDIENCE, jti: crypto.randomUUID(), iat: t, exp: t + 60 };
}

async function expectProblem(res: Response, status: number, assertion?: string) {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const text = await res.text();
  if (assertion) assert.ok(!text.includes(assertion), 'the answer must not echo the assertion');
  for (const a of sentAssertions) assert.ok(!text.includes(a), 'the answer must not echo any assertion');
  const body = JSON.parse(text);
  assert.equal(body.status, status);
  assert.equal(typeof body.type, 'string');
  assert.equal(typeof body.title, 'string');
  return body as { type: string; title: string; status: number; detail?: string; error?: string };
}

async function expectInvalidClient(res: Response, assertion: string, detail: RegExp) {
  const body = await expectProblem(res, 401, assertion);
  assert.equal(body.error, 'invalid_client');
  assert.equal(body.type, 'urn:pmh:problem:invalid-client');
  assert.match(body.detail ?? '', detail);
}

async function tokenFor(clientId: string, key: ClientKey): Promise<string> {
  return new TokenClient({ baseUrl, clientId, privateJwk: key.privateJwk, audience: AUDIENCE }).token();
}

function get(path: string, authorization?: string) {
  return fetch(baseUrl + path, { headers: authorization ? { authorization } : {} });
}

before(async () => {
  database = await openDatabase({ dataDir: 'memory://', migrations: authMigrations });
  clients = new ClientStore(database.db);
  [cityKey, adminKey, otherKey, signing] = await Promise.all([generateClientKey(), generateClientKey(), generateClientKey(), generateSigningKey()]);
  await clients.register(CITY, 'municipality:131016', { keys: [cityKey.publicJwk] });
  await clients.register(ADMIN, 'admin', { keys: [adminKey.publicJwk] });

  app = await createApp({ service: 'oauth-test', logger: createLogger({ service: 'oauth-test', destination: logs }) });
  auth = registerOAuth(app, { issuer: ISSUER, clients, signingKey: signing });
  app.get('/whoami', { config: { access: auth.requireRole('municipality:*') } }, async (req) => req.principal);
  app.get('/admin-only', { config: { access: auth.requireRole('admin') } }, async (req) => ({ ok: true, role: req.principal?.role }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  assert.ok(addr && typeof addr === 'object');
  baseUrl = `http://127.0.0.1:${addr.port}`;
});

after(async () => {
  await app?.close();
  await database?.close();
});

describe('token endpoint: happy path', () => {
  it('issues a Bearer token with TokenClient, and /whoami answers the principal', async () => {
    const tc = new TokenClient({ baseUrl, clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE });
    const auth1 = await tc.authorization();
    assert.match(auth1, /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const res = await get('/whoami', auth1);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { clientId: CITY, role: 'municipality:131016', municipalityCode: '131016' });
  });

  it('answers access_token, token_type Bearer, expires_in with cache-control no-store; token claims are right', async () => {
    const assertion = await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE });
    const res = await postToken(tokenForm(CITY, assertion));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 600);
    const [h, p] = body.access_token
      .split('.')
      .slice(0, 2)
      .map((s: string) => JSON.parse(Buffer.from(s, 'base64url').toString()));
    assert.equal(h.alg, 'ES256');
    assert.equal(h.kid, signing.kid);
    assert.equal(p.iss, ISSUER);
    assert.equal(p.aud, ISSUER);
    assert.equal(p.sub, CITY);
    assert.equal(p.role, 'municipality:131016');
    assert.equal(typeof p.jti, 'string');
    assert.equal(p.exp - p.iat, 600);
  });

  it('accepts a scope parameter but no other unknown field', async () => {
    const ok = await postToken(
      tokenForm(CITY, await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE }), {
        scope: 'anything',
      }),
    );
    assert.equal(ok.status, 200);
    const a = await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE });
    const bad = await postToken(tokenForm(CITY, a, { client_secret: 'x' }));
    const body = await expectProblem(bad, 400, a);
    assert.equal(body.error, 'invalid_request');
  });

  it('TokenClient caches the token and shares one request between concurrent callers', async () => {
    let calls = 0;
    const tc = new TokenClient({
      baseUrl,
      clientId: ADMIN,
      privateJwk: adminKey.privateJwk,
      audience: AUDIENCE,
      fetch: (async (...args: Parameters<typeof fetch>) => {
        calls++;
        return fetch(...args);
      }) as typeof fetch,
    });
    const [a, b, c] = await Promise.all([tc.token(), tc.token(), tc.token()]);
    assert.equal(calls, 1);
    assert.equal(a, b);
    assert.equal(b, c);
    assert.equal(await tc.token(), a);
    assert.equal(calls, 1);
    tc.invalidate();
    assert.notEqual(await tc.token(), a);
    assert.equal(calls, 2);
  });

  it('TokenClient reports a refusal with status and problem text, never the assertion', async () => {
    const tc = new TokenClient({ baseUrl, clientId: 'nobody', privateJwk: otherKey.privateJwk, audience: AUDIENCE });
    await assert.rejects(tc.token(), (e: Error) => {
      assert.match(e.message, /401/);
      assert.match(e.message, /Unauthorized/);
      assert.match(e.message, /not registered/);
      assert.ok(!/eyJ/.test(e.message), 'no JWT in the message');
      return true;
    });
  });

  it('documents POST /oauth/token in OpenAPI as a form body', async () => {
    const doc = await (await fetch(baseUrl + '/openapi.json')).json();
    const op = doc.paths['/oauth/token'].post;
    const form = op.requestBody.content['application/x-www-form-urlencoded'];
    assert.ok(form, 'form media type documented');
    assert.deepEqual(Object.keys(form.schema.properties).sort(), ['client_assertion', 'client_assertion_type', 'client_id', 'grant_type', 'scope']);
    assert.ok(op.responses['200']);
  });

  it('jwks() exposes the public signing key only', () => {
    const set = auth.jwks();
    assert.equal(set.keys.length, 1);
    assert.equal(set.keys[0].kid, signing.kid);
    assert.equal(set.keys[0].alg, 'ES256');
    assert.equal((set.keys[0] as JWK).d, undefined);
  });
});

describe('bearer guard', () => {
  it('wrong role → 403 problem', async () => {
    const cityToken = await tokenFor(CITY, cityKey);
    const body = await expectProblem(await get('/admin-only', `Bearer ${cityToken}`), 403);
    assert.equal(body.type, 'urn:pmh:problem:forbidden');
    const adminToken = await tokenFor(ADMIN, adminKey);
    await expectProblem(await get('/whoami', `Bearer ${adminToken}`), 403);
    const ok = await get('/admin-only', `Bearer ${adminToken}`);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { ok: true, role: 'admin' });
  });

  async function expect401(authorization: string | undefined) {
    const res = await get('/whoami', authorization);
    const body = await expectProblem(res, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer\b/);
    assert.ok(!JSON.stringify(body).includes('eyJ'), 'no token echoed');
    return body;
  }

  it('no bearer → 401 with WWW-Authenticate', async () => {
    await expect401(undefined);
  });

  it('garbage bearer / other scheme → 401', async () => {
    await expect401('Bearer not-a-jwt');
    await expect401('Bearer aaa.bbb.ccc');
    await expect401('Basic dXNlcjpwYXNz');
    await expect401('Bearer');
  });

  it('expired access token → 401', async () => {
    const t = now();
    const token = await new SignJWT({ role: 'municipality:131016' })
      .setProtectedHeader({ alg: 'ES256', kid: signing.kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(ISSUER)
      .setSubject(CITY)
      .setJti(crypto.randomUUID())
      .setIssuedAt(t - 1200)
      .setExpirationTime(t - 600)
      .sign(await importJWK(signing.privateJwk, 'ES256'));
    const body = await expect401(`Bearer ${token}`);
    assert.match(body.detail ?? '', /expired/);
  });

  it('access token signed by a foreign key → 401', async () => {
    const foreign = await generateSigningKey();
    const t = now();
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'ES256', kid: signing.kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(ISSUER)
      .setSubject(ADMIN)
      .setJti(crypto.randomUUID())
      .setIssuedAt(t)
      .setExpirationTime(t + 300)
      .sign(await importJWK(foreign.privateJwk, 'ES256'));
    await expect401(`Bearer ${token}`);
  });

  it('a client assertion is not accepted as an access token', async () => {
    const a = await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: ISSUER });
    await expect401(`Bearer ${a}`);
  });
});

describe('token endpoint: refusals', () => {
  it('forged assertion (key not registered for the client) → 401', async () => {
    // Signed by another key that carries the registered kid: the signature check must fail.
    const forged = await customAssertion({ ...otherKey.privateJwk, kid: cityKey.kid }, baseClaims());
    await expectInvalidClient(await postToken(tokenForm(CITY, forged)), forged, /not signed by a key registered/);
    // Signed by another client's registered key.
    const other = await signClientAssertion({ clientId: CITY, privateJwk: adminKey.privateJwk, audience: AUDIENCE });
    await expectInvalidClient(await postToken(tokenForm(CITY, other)), other, /No key registered/);
  });

  it('expired assertion → 401', async () => {
    const t = now();
    const a = await customAssertion(cityKey.privateJwk, { ...baseClaims(), iat: t - 600, exp: t - 300 });
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /expired/);
  });

  it('exp 10 minutes ahead → 401', async () => {
    const a = await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE, ttlSeconds: 600 });
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /more than 5 minutes ahead/);
  });

  it('exp missing → 401', async () => {
    const { exp: _exp, ...claims } = baseClaims();
    const a = await customAssertion(cityKey.privateJwk, claims);
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /no "exp"/);
  });

  it('iat missing → 401', async () => {
    const { iat: _iat, ...claims } = baseClaims();
    const a = await customAssertion(cityKey.privateJwk, claims);
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /no "iat"/);
  });

  it('iat in the future beyond the clock skew (a year, or a minute) → 401; within the skew it is accepted', async () => {
    const t = now();
    const year = await customAssertion(cityKey.privateJwk, { ...baseClaims(), iat: t + 365 * 86400, exp: t + 60 });
    await expectInvalidClient(await postToken(tokenForm(CITY, year)), year, /"iat" is in the future/);
    const minute = await customAssertion(cityKey.privateJwk, { ...baseClaims(), iat: t + 60, exp: t + 120 });
    await expectInvalidClient(await postToken(tokenForm(CITY, minute)), minute, /"iat" is in the future/);
    const skewed = await customAssertion(cityKey.privateJwk, { ...baseClaims(), iat: t + 10, exp: t + 60 });
    assert.equal((await postToken(tokenForm(CITY, skewed))).status, 200);
  });

  it('issued more than 5 minutes ago, or living longer than 5 minutes (exp − iat) → 401', async () => {
    const t = now();
    const old = await customAssertion(cityKey.privateJwk, { ...baseClaims(), iat: t - 400, exp: t + 60 });
    await expectInvalidClient(await postToken(tokenForm(CITY, old)), old, /issued \("iat"\) more than 5 minutes ago/);
    // Each bound alone holds (iat 4 minutes ago, exp 4 minutes ahead); together it lives 8 minutes.
    const long = await customAssertion(cityKey.privateJwk, { ...baseClaims(), iat: t - 240, exp: t + 240 });
    await expectInvalidClient(await postToken(tokenForm(CITY, long)), long, /lives longer than 5 minutes/);
  });

  it('wrong aud → 401', async () => {
    const a = await signClientAssertion({
      clientId: CITY,
      privateJwk: cityKey.privateJwk,
      audience: 'https://other.pmh.test/oauth/token',
    });
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /"aud"/);
  });

  it('iss ≠ client_id → 401 (also sub ≠ client_id)', async () => {
    const a = await customAssertion(cityKey.privateJwk, { ...baseClaims(), iss: ADMIN });
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /"iss"/);
    const b = await customAssertion(cityKey.privateJwk, { ...baseClaims(), sub: ADMIN });
    await expectInvalidClient(await postToken(tokenForm(CITY, b)), b, /"sub"/);
  });

  it('reused jti → 401', async () => {
    const jti = crypto.randomUUID();
    const a = await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE, jti });
    assert.equal((await postToken(tokenForm(CITY, a))).status, 200);
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /used before/);
    const b = await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE, jti });
    await expectInvalidClient(await postToken(tokenForm(CITY, b)), b, /used before/);
  });

  it('missing jti → 401', async () => {
    const { jti: _jti, ...claims } = baseClaims();
    const a = await customAssertion(cityKey.privateJwk, claims);
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /no "jti"/);
  });

  it('unknown client → 401', async () => {
    const a = await signClientAssertion({ clientId: 'ghost', privateJwk: otherKey.privateJwk, audience: AUDIENCE });
    await expectInvalidClient(await postToken(tokenForm('ghost', a)), a, /not registered/);
  });

  it('wrong grant_type → 400 unsupported_grant_type', async () => {
    const a = await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE });
    const body = await expectProblem(await postToken(tokenForm(CITY, a, { grant_type: 'password' })), 400, a);
    assert.equal(body.error, 'unsupported_grant_type');
  });

  it('wrong client_assertion_type → 401', async () => {
    const a = await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE });
    await expectInvalidClient(
      await postToken(tokenForm(CITY, a, { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' })),
      a,
      /client_assertion_type/,
    );
  });

  it('assertion signed with HS256 → 401', async () => {
    const a = await new SignJWT(baseClaims())
      .setProtectedHeader({ alg: 'HS256', kid: cityKey.kid })
      .sign(new TextEncoder().encode('a shared secret that nobody registered here'));
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /ES256/);
  });

  it('assertion with alg none → 401', async () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const a = `${enc({ alg: 'none', typ: 'JWT' })}.${enc(baseClaims())}.`;
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /ES256|well-formed/);
  });

  it('malformed assertion → 401', async () => {
    const a = 'this.is-not.a-jwt-at-all';
    await expectInvalidClient(await postToken(tokenForm(CITY, a)), a, /well-formed/);
  });

  it('missing fields / repeated fields → 400 invalid_request; JSON body → 415 problem', async () => {
    const a = await signClientAssertion({ clientId: CITY, privateJwk: cityKey.privateJwk, audience: AUDIENCE });
    const { client_assertion: _ca, ...rest } = tokenForm(CITY, a);
    const b1 = await expectProblem(await postToken(rest), 400);
    assert.equal(b1.error, 'invalid_request');
    sentAssertions.push(a);
    const repeated = new URLSearchParams(tokenForm(CITY, a));
    repeated.append('client_id', ADMIN);
    const res = await fetch(baseUrl + '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: repeated.toString(),
    });
    assert.equal((await expectProblem(res, 400, a)).error, 'invalid_request');
    const json = await fetch(baseUrl + '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tokenForm(CITY, a)),
    });
    // JSON is not the OAuth form encoding (RFC 6749 §4.4.2).
    const b3 = await expectProblem(json, 415, a);
    assert.equal(b3.error, 'invalid_request');
  });

  it('no assertion appears in any log line', () => {
    const text = logs.text();
    assert.ok(text.length > 0);
    for (const a of sentAssertions) assert.ok(!text.includes(a), 'an assertion was logged');
  });
});

describe('ClientStore', () => {
  it('rememberJti: true the first time, false after; purges expired rows', async () => {
    const jti = 'test-' + crypto.randomUUID();
    assert.equal(await clients.rememberJti(jti, new Date(Date.now() + 60_000)), true);
    assert.equal(await clients.rememberJti(jti, new Date(Date.now() + 60_000)), false);
    await clients.rememberJti('old-' + crypto.randomUUID(), new Date(Date.now() - 60_000));
    assert.ok((await clients.purgeExpiredJtis()) >= 1);
  });

  it('register upserts, refuses private keys, and get() sees the change after invalidate', async () => {
    const k = await generateClientKey();
    await clients.register('portal-1', 'portal', { keys: [k.publicJwk] });
    assert.equal((await clients.get('portal-1'))?.role, 'portal');
    await clients.register('portal-1', 'oqs', [k.publicJwk]);
    assert.equal((await clients.get('portal-1'))?.role, 'oqs');
    await assert.rejects(clients.register('portal-2', 'portal', { keys: [k.privateJwk] }), /public key/);
    assert.equal(await clients.get('nope'), undefined);
  });
});
