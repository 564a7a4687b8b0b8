import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { sql } from 'kysely';
import { createLogger } from '@pmh/core/http/logging';
import { randomIdentifier } from '@pmh/core/crypto/index';
import { buildClinic, type Clinic } from '@pmh/clinic';
import {
  World,
  backends,
  freePort,
  myNumber,
  spellings,
  CHILD_PROGRAM,
  INSTITUTION_CODES,
  Rng,
  type Caller,
  type HttpAnswer,
  type ServiceName,
} from '../packages/testkit/src/index.ts';

/**
 * The door of every service (issue 9): who may call is checked before a byte of the body is read;
 * bodies are bounded in size, depth and media type; the router's own refusals look like every other
 * answer; request log lines carry no identifier; writes are rate-limited. Through the real services.
 */
const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
/** Who calls whom (docs/architecture.md#services): the peers admitted at each service. */
const CALLED_BY: Record<ServiceName, ServiceName[]> = { hub: ['oqs', 'portal'], idserver: ['hub'], oqs: ['idserver', 'portal'], portal: ['hub', 'oqs'] };
const UNKNOWN_PP = 'pp' + 'a'.repeat(26);
const MB = 1024 * 1024;

function roleMatches(role: string, pattern: string): boolean {
  return pattern.endsWith(':*') ? role.startsWith(pattern.slice(0, -1)) : role === pattern;
}

function assertProblem(r: { status: number; headers: Headers | http.IncomingHttpHeaders; text: string }, status: number): any {
  assert.equal(r.status, status, r.text);
  const type = r.headers instanceof Headers ? r.headers.get('content-type') : r.headers['content-type'];
  assert.match(String(type ?? ''), /^application\/problem\+json/, r.text);
  const body = JSON.parse(r.text);
  assert.equal(body.status, status);
  return body;
}

/** The headers every answer carries (core/http/app.ts), whichever way it left. */
function assertDoorHeaders(r: HttpAnswer, requestId?: string): void {
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.match(r.headers.get('strict-transport-security') ?? '', /max-age=/);
  if (requestId) assert.equal(r.headers.get('x-request-id'), requestId);
  else assert.match(r.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
}

/**
 * Declares a body of `declared` bytes, sends only `sent` of them, and waits for the answer. A service
 * that reads the body before answering never answers (the rest never comes): the test then fails
 * after `patienceMs` instead of hanging.
 */
function partialBody(url: string, path: string, headers: Record<string, string>, declared: number, sent: number, patienceMs = 30_000) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const u = new URL(path, url);
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers, 'content-length': String(declared) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer while the body was still coming: ${path} waited for the body`));
    }, patienceMs);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, text });
      });
    });
    req.on('error', () => {}); // the service closing the connection under our feet is what we ask for
    req.write(Buffer.alloc(sent, '['));
  });
}

for (const backend of backends()) {
  describe(`the door of every service (${backend})`, () => {
    let w: World;
    let clinic: Clinic;
    let clinicUrl: string;
    const rng = new Rng(9009);

    /** A caller admitted at `service` whose role is none of `roles`. */
    const wrongCaller = (service: ServiceName, roles: string[]): Caller => {
      const candidates = [
        w.operator,
        ...(service === 'hub' ? [w.municipality()] : []),
        ...(service === 'oqs' ? [w.clinic()] : []),
        ...CALLED_BY[service].map((p) => w.peerCaller(p)),
      ];
      const c = candidates.find((c) => !roles.some((r) => roleMatches(c.role, r)));
      assert.ok(c, `a caller at ${service} outside ${roles.join(', ')}`);
      return c;
    };
    /** A caller admitted at `service` whose role is one of `roles`. */
    const rightCaller = (service: ServiceName, roles: string[]): Caller => {
      const candidates = [
        w.operator,
        ...(service === 'hub' ? [w.municipality()] : []),
        ...(service === 'oqs' ? [w.clinic()] : []),
        ...CALLED_BY[service].map((p) => w.peerCaller(p)),
      ];
      return candidates.find((c) => roles.some((r) => roleMatches(c.role, r)))!;
    };

    /** Every route each service's OpenAPI document says needs a bearer token, with the roles it admits. */
    const protectedRoutes = async () => {
      const out: Array<{ service: ServiceName; method: string; path: string; roles: string[] }> = [];
      for (const service of SERVICES) {
        const doc = (await w.call(null, 'GET', '/openapi.json', undefined, {}, service)).body;
        for (const [template, ops] of Object.entries<Record<string, any>>(doc.paths))
          for (const [method, op] of Object.entries<any>(ops)) {
            const roles = op.security?.[0]?.bearer;
            if (roles)
              out.push({
                service,
                method: method.toUpperCase(),
                path: template.replace(/\{[^}]+\}/g, (p) => (p === '{pmhPseudonym}' ? UNKNOWN_PP : 'x')),
                roles,
              });
          }
      }
      return out;
    };

    before(async () => {
      w = await World.start({ backend, services: SERVICES });
      clinic = await buildClinic({
        institutionCode: INSTITUTION_CODES[0],
        name: '千代田こどもクリニック',
        clientId: w.clinic().clientId,
        privateJwk: w.clinic().privateJwk,
        oqsUrl: w.url('oqs'),
        logger: createLogger({ service: 'clinic', destination: w.logs, level: 'info' }),
        rateLimit: { enabled: false },
      });
      const port = await freePort();
      await clinic.app.listen({ port, host: '127.0.0.1' });
      clinicUrl = `http://127.0.0.1:${port}`;
    });
    after(async () => {
      await clinic?.close();
      await w.stop();
    });

    it('every protected route answers 401 without a token and 403 to another role, whatever the body: before the body is parsed or validated', async () => {
      const routes = await protectedRoutes();
      // Each service's own and operator routes at least: a document that lost them would pass vacuously.
      for (const s of SERVICES) assert.ok(routes.filter((r) => r.service === s).length >= 3, `${s} documents its protected routes`);
      assert.ok(routes.some((r) => r.path.startsWith('/admin/v1/')));
      const bodies: Array<[string, string]> = [
        ['application/json', JSON.stringify({ certainly: ['not', 'what', 'this', 'route', 'takes'], depth: [[[[1]]]] })],
        ['application/json', '{"broken": '],
        ['text/plain', 'plain text'],
        ['application/json', '['.repeat(10_000)],
      ];
      for (const r of routes) {
        const label = `${r.service} ${r.method} ${r.path}`;
        const sends = r.method === 'GET' ? [undefined] : bodies;
        for (const b of sends) {
          const headers: Record<string, string> = b ? { 'content-type': b[0] } : {};
          const anon = await w.call(null, r.method, r.path, b?.[1], headers, r.service);
          assertProblem(anon, 401);
          assert.match(anon.headers.get('www-authenticate') ?? '', /^Bearer/, label);
          const garbage = await w.call(null, r.method, r.path, b?.[1], { ...headers, authorization: 'Bearer not.a.token' }, r.service);
          assertProblem(garbage, 401);
          const wrong = await w.call(wrongCaller(r.service, r.roles), r.method, r.path, b?.[1], headers, r.service);
          assert.equal(wrong.status, 403, `${label} as ${wrongCaller(r.service, r.roles).role}: ${wrong.text}`);
          assertProblem(wrong, 403);
        }
      }
    });

    it("the portal's resident routes check the session cookie before the body", async () => {
      for (const [method, path] of [
        ['GET', '/portal/v1/me'],
        ['GET', '/portal/v1/me/subsidies'],
        ['GET', '/portal/v1/me/access-log'],
        ['GET', '/portal/v1/me/notifications'],
        ['POST', '/portal/v1/me/notifications/x/read'],
      ] as const) {
        for (const cookie of [undefined, 'pmh_session=' + 'A'.repeat(43)]) {
          const body = method === 'POST' ? '{"not": "json' : undefined;
          const r = await w.call(null, method, path, body, cookie ? { cookie } : {}, 'portal');
          assert.equal(assertProblem(r, 401).type, 'urn:pmh:problem:session-required', `${method} ${path}`);
        }
      }
    });

    it('a 60 MB body without a token (or with another role, or without a session) is refused before it is read, and the connection closed', async () => {
      const cases: Array<{ service: ServiceName; path: string; headers?: Record<string, string>; status: number }> = [
        { service: 'hub', path: '/municipal/v1/medical-subsidy/registration-tasks', status: 401 },
        { service: 'idserver', path: '/idserver/v1/linkage-numbers', status: 401 },
        { service: 'oqs', path: '/oqs/v1/insured', status: 401 },
        { service: 'portal', path: '/portal/v1/notifications', status: 401 },
        { service: 'portal', path: '/portal/v1/me/notifications/x/read', status: 401 },
        { service: 'hub', path: '/admin/v1/retry', status: 401 },
      ];
      // The portal is a real client of the hub, but not a municipality.
      cases.push({
        service: 'hub',
        path: '/municipal/v1/medical-subsidy/registration-tasks',
        headers: { authorization: await w.authorization(w.peerCaller('portal')) },
        status: 403,
      });
      const seen = w.exchanges.length;
      for (const c of cases) {
        const r = await partialBody(w.url(c.service), c.path, c.headers ?? {}, 60 * MB, 64 * 1024);
        assertProblem(r, c.status);
        assert.equal(r.headers.connection, 'close', `${c.service} ${c.path} closes the connection rather than read the rest`);
      }
      // Nothing of those bodies reached a handler or a parser.
      const refused = w.exchanges.slice(seen).filter((e) => e.status === 401 || e.status === 403);
      assert.equal(refused.length, cases.length);
      for (const e of refused) assert.equal(e.request, undefined, `${e.service} ${e.url} parsed the body`);
    });

    it('a body of a type the route does not take is 415 problem+json, and nothing is written', async () => {
      const program = JSON.stringify({ ...CHILD_PROGRAM, certificateTypeId: undefined });
      const targets: Array<{ service: ServiceName | 'clinic'; caller: Caller | null; path: string }> = [
        { service: 'hub', caller: w.municipality(), path: '/municipal/v1/medical-subsidy/programs/door-415' },
        { service: 'idserver', caller: w.operator, path: '/idserver/v1/linkage-numbers' },
        { service: 'oqs', caller: w.operator, path: '/oqs/v1/insured' },
        { service: 'portal', caller: w.peerCaller('oqs'), path: '/portal/v1/pmh-links' },
        { service: 'clinic', caller: null, path: '/clinic/v1/eligibility-checks' },
      ];
      for (const t of targets) {
        for (const type of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'application/json; charset=utf-16',
          'multipart/form-data; boundary=x',
          undefined,
        ]) {
          const method = t.service === 'hub' ? 'PUT' : 'POST';
          let r: HttpAnswer;
          if (t.service === 'clinic') {
            const res = await fetch(clinicUrl + t.path, {
              method,
              headers: type ? { 'content-type': type } : {},
              body: type ? program : new TextEncoder().encode(program),
            });
            r = { status: res.status, headers: res.headers, text: await res.text(), body: undefined };
          } else if (type === undefined) {
            // A body with no Content-Type at all (fetch adds none for bytes).
            const res = await fetch(w.url(t.service) + t.path, {
              method,
              headers: { authorization: await w.authorization(t.caller!, t.service) },
              body: new TextEncoder().encode(program),
            });
            r = { status: res.status, headers: res.headers, text: await res.text(), body: undefined };
          } else r = await w.call(t.caller, method, t.path, program, { 'content-type': type }, t.service);
          const body = assertProblem(r, 415);
          assert.equal(body.type, 'urn:pmh:problem:unsupported-media-type', `${t.service} ${type}`);
        }
      }
      assertProblem(await w.call(w.municipality(), 'GET', '/municipal/v1/medical-subsidy/programs/door-415'), 404);
    });

    it('a body nested too deeply is a 400 naming the body (not a 500), at every route; no task is stored', async () => {
      const tasks = async () => Number((await sql<{ n: string }>`select count(*) as n from registration_tasks`.execute(w.hub.database.db)).rows[0]!.n);
      const before = await tasks();
      const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
      const deepObject = '{"a":'.repeat(50) + '1' + '}'.repeat(50);
      for (const body of [deepArray, '[' + deepArray + ']', deepObject]) {
        const r = await w.call(w.municipality(), 'POST', '/municipal/v1/medical-subsidy/registration-tasks', body);
        const p = assertProblem(r, 400);
        assert.deepEqual(p.errors, [{ pointer: '', message: 'must not nest arrays and objects more than 32 levels deep' }]);
      }
      assert.equal(await tasks(), before);
      for (const [service, caller, path] of [
        ['hub', w.municipality(), '/municipal/v1/notifications'],
        ['idserver', w.operator, '/idserver/v1/linkage-numbers'],
        ['oqs', w.operator, '/oqs/v1/insured'],
        ['portal', w.peerCaller('hub'), '/portal/v1/notifications'],
      ] as const)
        assert.deepEqual(assertProblem(await w.call(caller, 'POST', path, deepObject, {}, service), 400).errors[0].pointer, '', `${service} ${path}`);
      const res = await fetch(clinicUrl + '/clinic/v1/eligibility-checks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '['.repeat(1000),
      });
      assertProblem({ status: res.status, headers: res.headers, text: await res.text() }, 400);
    });

    it('a body larger than the route takes is 413 problem+json: most routes take kilobytes', async () => {
      const big = (n: number) => JSON.stringify({ certificationName: 'x'.repeat(n) });
      assert.equal(
        assertProblem(await w.call(w.municipality(), 'PUT', '/municipal/v1/medical-subsidy/programs/door-413', big(300 * 1024)), 413).type,
        'urn:pmh:problem:too-large',
      );
      assertProblem(await w.call(w.operator, 'POST', '/admin/v1/encryption-keys/rotate', big(20 * 1024)), 413);
      assertProblem(await w.call(null, 'POST', '/portal/v1/sessions', big(20 * 1024), {}, 'portal'), 413);
      assertProblem(await w.call(w.clinic(), 'POST', '/oqs/v1/eligibility-checks', big(20 * 1024), {}, 'oqs'), 413);
      // A programme of the largest legitimate size is within its limit (the schema then judges it).
      const codes = Array.from({ length: 200 }, (_, i) => ({ code: `C${i}`, name: '追'.repeat(200) }));
      const { certificateTypeId: _id, ...program } = CHILD_PROGRAM;
      const ok = await w.call(w.municipality(), 'PUT', '/municipal/v1/medical-subsidy/programs/door-large', { ...program, additionalConditionCodes: codes });
      assert.ok(ok.status === 201, ok.text);
    });

    it('a malformed URL, an over-long path segment or an unknown route answers problem+json with the same headers and request id, never the URL', async () => {
      const mn = myNumber(rng);
      const urls: Array<{ service: ServiceName | 'clinic'; path: string; status: number; methods: string[] }> = [];
      for (const service of [...SERVICES, 'clinic'] as const) {
        urls.push({ service, path: `/%`, status: 400, methods: ['GET', 'POST'] });
        urls.push({ service, path: `/x/${mn}%E0%A4%A`, status: 400, methods: ['GET', 'POST'] });
        urls.push({ service, path: `/nowhere/${mn}`, status: 404, methods: ['GET', 'POST'] });
        urls.push({ service, path: `/admin/v1/status/${mn}`, status: 404, methods: ['GET', 'POST'] });
      }
      // A path parameter longer than the router takes (100 characters), on a route that has one.
      urls.push({ service: 'hub', path: `/municipal/v1/subjects/${mn}${'9'.repeat(120)}`, status: 414, methods: ['GET'] });
      urls.push({ service: 'hub', path: `/hub/v1/residents/${mn}${'a'.repeat(120)}/subsidies`, status: 414, methods: ['GET'] });
      urls.push({ service: 'portal', path: `/portal/v1/me/notifications/${mn}${'0'.repeat(120)}/read`, status: 414, methods: ['POST'] });
      for (const [i, u] of urls.entries()) {
        const id = `door-test-${String(i).padStart(4, '0')}`;
        const base = u.service === 'clinic' ? clinicUrl : w.url(u.service);
        for (const method of u.methods) {
          const res = await fetch(base + u.path, { method, headers: { 'x-request-id': id } });
          const r: HttpAnswer = { status: res.status, headers: res.headers, text: await res.text(), body: undefined };
          assertProblem(r, u.status);
          assertDoorHeaders(r, id);
          assert.ok(!r.text.includes(mn) && !r.text.includes('nowhere') && !r.text.includes('%'), `${u.service} ${u.path} echoes the URL: ${r.text}`);
        }
      }
      assert.ok(!w.logs.text().includes(mn), 'the URLs reached a log line');
    });

    it('request log lines name the route pattern and the request id; no My Number, PMH-ID or pseudonym reaches a log line in any spelling', async () => {
      const mn = myNumber(rng);
      const ids = [mn, randomIdentifier('pmh'), randomIdentifier('pp'), randomIdentifier('ps')];
      const portal = w.peerCaller('portal');
      // Identifiers in paths and queries as callers might put them there, in every spelling.
      for (const id of ids)
        for (const s of spellings(id)) {
          await w.call(portal, 'GET', `/hub/v1/residents/${s}/subsidies?asOf=${s}`);
          await w.call(portal, 'GET', `/hub/v1/residents/${s}/access-log?before=${s}`);
          await w.call(w.municipality(), 'GET', `/municipal/v1/subjects/${s}?municipalityCode=${s}`);
          await w.call(w.operator, 'GET', `/nowhere/${s}`, undefined, {}, 'oqs');
          await w.call(null, 'GET', `/portal/v1/me/notifications?before=${s}`, undefined, {}, 'portal');
        }
      // A value that is no identifier at all is not in the request lines either: they carry the pattern.
      const key = 'DOOR-KEY-0001';
      const r = await w.call(w.municipality(), 'GET', `/municipal/v1/subjects/${key}`, undefined, { 'x-request-id': 'door-log-line-1' });
      assert.equal(r.status, 404);
      const lines = w.logs.text().split('\n').filter(Boolean);
      const mine = lines.filter((l) => l.includes('"reqId":"door-log-line-1"')).map((l) => JSON.parse(l));
      assert.ok(mine.some((l) => l.msg === 'incoming request' && l.route === '/municipal/v1/subjects/:municipalityIdentityKey' && l.method === 'GET'));
      assert.ok(mine.some((l) => l.msg === 'request completed' && l.route === '/municipal/v1/subjects/:municipalityIdentityKey' && l.status === 404));
      assert.ok(lines.some((l) => l.includes('"route":"/hub/v1/residents/:pmhPseudonym/subsidies"')));
      const text = w.logs.text();
      assert.ok(!text.includes(key), 'a request line carries the URL');
      for (const id of [...ids, UNKNOWN_PP]) for (const s of spellings(id)) assert.ok(!text.includes(s), `a log line holds ${s}`);
      assert.ok(!/"url":/.test(text), 'a log line carries a URL');
    });
  });

  describe(`rate limits (${backend})`, () => {
    let w: World;
    let clinic: Clinic;
    let clinicUrl: string;
    const LIMIT = 5;
    const rateLimit = { enabled: true, perIp: LIMIT, perClient: LIMIT, perService: 10_000, windowMs: 10 * 60_000, routes: { 'POST /portal/v1/sessions': 2 } };

    const assertRateLimited = (r: HttpAnswer) => {
      const p = assertProblem(r, 429);
      assert.equal(p.type, 'urn:pmh:problem:rate-limited');
      const after = Number(r.headers.get('retry-after'));
      assert.ok(Number.isInteger(after) && after >= 1 && after <= 600, `Retry-After ${r.headers.get('retry-after')}`);
      assertDoorHeaders(r);
      return p;
    };

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'oqs', 'portal'], rateLimit });
      clinic = await buildClinic({
        institutionCode: INSTITUTION_CODES[0],
        name: '千代田こどもクリニック',
        clientId: w.clinic().clientId,
        privateJwk: w.clinic().privateJwk,
        oqsUrl: w.url('oqs'),
        logger: createLogger({ service: 'clinic', destination: w.logs, level: 'info' }),
        rateLimit,
      });
      const port = await freePort();
      await clinic.app.listen({ port, host: '127.0.0.1' });
      clinicUrl = `http://127.0.0.1:${port}`;
    });
    after(async () => {
      await clinic?.close();
      await w.stop();
    });

    it("a client's writes past its limit answer 429 problem+json with Retry-After; another client's and reads go on", async () => {
      const { certificateTypeId: _id, ...program } = CHILD_PROGRAM;
      const put = (code?: string) => w.call(w.municipality(code), 'PUT', '/municipal/v1/medical-subsidy/programs/door-rl', program);
      for (let i = 0; i < LIMIT; i++) assert.ok([200, 201].includes((await put()).status));
      assertRateLimited(await put());
      assertRateLimited(await put());
      assert.equal((await put('271004')).status, 201, 'another municipality is counted on its own');
      for (let i = 0; i < LIMIT + 2; i++) assert.equal((await w.call(w.municipality(), 'GET', '/municipal/v1/medical-subsidy/programs/door-rl')).status, 200);
    });

    it('card challenges at OQS are counted per medical institution', async () => {
      const other = w.clinic(INSTITUTION_CODES[1]);
      for (let i = 0; i < LIMIT; i++) assert.equal((await w.call(other, 'POST', '/oqs/v1/card-challenges', undefined, {}, 'oqs')).status, 200);
      assertRateLimited(await w.call(other, 'POST', '/oqs/v1/card-challenges', undefined, {}, 'oqs'));
    });

    it('login challenges and logins at the portal are counted per address; a route may have its own number', async () => {
      for (let i = 0; i < LIMIT; i++) assert.equal((await w.call(null, 'POST', '/portal/v1/session-challenges', undefined, {}, 'portal')).status, 200);
      assertRateLimited(await w.call(null, 'POST', '/portal/v1/session-challenges', undefined, {}, 'portal'));
      const login = { cardSerial: '0123456789ABCDEF', challenge: 'x'.repeat(43), signature: 'y'.repeat(86) };
      for (let i = 0; i < 2; i++) assert.equal((await w.call(null, 'POST', '/portal/v1/sessions', login, {}, 'portal')).status, 401);
      assertRateLimited(await w.call(null, 'POST', '/portal/v1/sessions', login, {}, 'portal'));
    });

    it("the clinic's own API is counted per address", async () => {
      const post = () =>
        fetch(clinicUrl + '/clinic/v1/card-challenges', { method: 'POST' }).then(
          async (res) => ({ status: res.status, headers: res.headers, text: await res.text(), body: undefined }) as HttpAnswer,
        );
      for (let i = 0; i < LIMIT; i++) assert.equal((await post()).status, 200);
      assertRateLimited(await post());
    });

    it('the token endpoint is counted per address, whoever the client: 429 with its OAuth error member', async () => {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'nobody',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: 'a.b.c',
      });
      let limited: HttpAnswer | undefined;
      // Earlier tests fetched tokens from this address too: the limit is reached within LIMIT + 1 requests.
      for (let i = 0; i <= LIMIT && !limited; i++) {
        const r = await w.call(null, 'POST', '/oauth/token', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
        if (r.status === 429) limited = r;
        else assert.equal(r.status, 401, r.text);
      }
      assert.ok(limited, `no 429 after ${LIMIT + 1} token requests`);
      assert.equal(assertRateLimited(limited).error, 'invalid_request');
    });
  });
}
