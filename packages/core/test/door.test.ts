import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createApp } from '../src/http/app.ts';
import { createLogger, LogCapture } from '../src/http/logging.ts';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../src/http/json-body.ts';
import { DEFAULT_RATE_LIMITS, rateLimitsFromEnv, resolveRateLimits } from '../src/http/rate-limit.ts';

/**
 * The parts of the door every service shares (packages/core/src/http): what each service's routes
 * do with them is tested through the services themselves (e2e/door.test.ts).
 */
describe('the door: every route declares who may call it', () => {
  it('a route without config.access cannot be added, so the service does not start', async () => {
    const app = await createApp({ service: 't', logger: createLogger({ service: 't', destination: new LogCapture() }), rateLimit: { enabled: false } });
    assert.throws(() => app.post('/t/v1/things', async () => ({})), /POST \/t\/v1\/things: every route declares who may call it/);
    assert.throws(() => app.get('/t/v1/things', { config: {} }, async () => ({})), /GET \/t\/v1\/things/);
    app.get('/t/v1/open', { config: { access: 'public' } }, async () => ({ ok: true }));
    await app.ready();
    assert.equal((await app.inject({ method: 'GET', url: '/t/v1/open' })).statusCode, 200);
    await app.close();
  });

  it("a guard's security requirement documents its route", async () => {
    const app = await createApp({ service: 't', logger: createLogger({ service: 't', destination: new LogCapture() }), rateLimit: { enabled: false } });
    const guard = Object.assign(async () => {}, { security: [{ bearer: ['admin'] }] });
    app.post('/t/v1/guarded', { config: { access: guard }, schema: { summary: 'guarded' } }, async () => ({}));
    await app.ready();
    const doc = app.swagger() as { paths: Record<string, Record<string, { security?: unknown }>> };
    assert.deepEqual(doc.paths['/t/v1/guarded']!.post!.security, [{ bearer: ['admin'] }]);
    await app.close();
  });
});

describe('the door: JSON nesting is bounded before parsing', () => {
  const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
  it(`allows ${MAX_JSON_DEPTH} levels and refuses one more, however deep`, () => {
    assert.equal(jsonDepthExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH), false);
    assert.equal(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH), true);
    assert.equal(jsonDepthExceeds('['.repeat(1_000_000), MAX_JSON_DEPTH), true);
    assert.equal(jsonDepthExceeds('{"a":'.repeat(40) + '1' + '}'.repeat(40), MAX_JSON_DEPTH), true);
  });

  it('counts brackets in strings (escaped quotes included) as text', () => {
    const inString = JSON.stringify({ s: '['.repeat(100) + '\\"[[[' + '{'.repeat(100) });
    assert.equal(jsonDepthExceeds(inString, 2), false);
    assert.equal(jsonDepthExceeds(JSON.stringify([[['a"]]]]]]']]]), 3), false);
    assert.equal(jsonDepthExceeds(JSON.stringify([[[['a"]']]]]), 3), true);
  });
});

describe('the door: rate limits are configurable', () => {
  it('reads PMH_RATE_LIMIT… and refuses nonsense with the variable named', () => {
    assert.deepEqual(
      rateLimitsFromEnv({
        PMH_RATE_LIMIT: 'on',
        PMH_RATE_LIMIT_PER_IP: '30',
        PMH_RATE_LIMIT_PER_CLIENT: '1200',
        PMH_RATE_LIMIT_PER_SERVICE: '100000',
        PMH_RATE_LIMIT_WINDOW_SECONDS: '10',
        PMH_RATE_LIMIT_ROUTES: 'POST /oauth/token=120, POST /portal/v1/sessions=30',
      }),
      {
        enabled: true,
        perIp: 30,
        perClient: 1200,
        perService: 100_000,
        windowMs: 10_000,
        routes: { 'POST /oauth/token': 120, 'POST /portal/v1/sessions': 30 },
      },
    );
    assert.deepEqual(rateLimitsFromEnv({ PMH_RATE_LIMIT: 'OFF' }), { enabled: false });
    assert.deepEqual(rateLimitsFromEnv({}), {});
    assert.throws(() => rateLimitsFromEnv({ PMH_RATE_LIMIT: 'maybe' }), /PMH_RATE_LIMIT must be/);
    assert.throws(() => rateLimitsFromEnv({ PMH_RATE_LIMIT_PER_IP: '-1' }), /PMH_RATE_LIMIT_PER_IP must be a positive whole number/);
    assert.throws(() => rateLimitsFromEnv({ PMH_RATE_LIMIT_PER_CLIENT: '1.5' }), /PMH_RATE_LIMIT_PER_CLIENT/);
    assert.throws(() => rateLimitsFromEnv({ PMH_RATE_LIMIT_ROUTES: '/oauth/token=5' }), /not "METHOD \/path=number"/);
  });

  it('takes the defaults, then the environment, then the service configuration', () => {
    assert.deepEqual(resolveRateLimits({}, {}), DEFAULT_RATE_LIMITS);
    const r = resolveRateLimits(
      { perIp: 7, routes: { 'POST /a': 1 } },
      { PMH_RATE_LIMIT_PER_IP: '30', PMH_RATE_LIMIT_PER_CLIENT: '99', PMH_RATE_LIMIT_ROUTES: 'POST /b=2' },
    );
    assert.equal(r.perIp, 7);
    assert.equal(r.perClient, 99);
    assert.deepEqual(r.routes, { 'POST /b': 2, 'POST /a': 1 });
    assert.equal(resolveRateLimits({ enabled: false }, { PMH_RATE_LIMIT: 'on' }).enabled, false);
  });
});

describe('the door: per-address limits behind a reverse proxy', () => {
  const app = (trustProxy?: string) =>
    createApp({
      service: 't',
      logger: createLogger({ service: 't', destination: new LogCapture() }),
      trustProxy,
      rateLimit: { enabled: true, perIp: 1, windowMs: 600_000 },
    }).then(async (a) => {
      a.post('/t/v1/login', { config: { access: 'public' } }, async () => ({ ok: true }));
      await a.ready();
      return a;
    });
  const post = (a: Awaited<ReturnType<typeof app>>, forwardedFor: string) =>
    a.inject({ method: 'POST', url: '/t/v1/login', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': forwardedFor } }).then((r) => r.statusCode);

  it('counts the address the trusted proxy names; an untrusted X-Forwarded-For changes nothing', async () => {
    const behind = await app('10.0.0.0/8');
    assert.deepEqual([await post(behind, '203.0.113.5'), await post(behind, '203.0.113.6'), await post(behind, '203.0.113.5')], [200, 200, 429]);
    await behind.close();
    const direct = await app();
    assert.deepEqual([await post(direct, '203.0.113.5'), await post(direct, '203.0.113.6')], [200, 429]);
    await direct.close();
  });
});

describe("the door: what Node's HTTP parser refuses is answered like every other refusal", () => {
  /** Sends raw bytes and reads the whole answer (the service closes the connection after it). */
  const raw = (port: number, bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });

  it('headers over the limit (431) and a broken request line (400): problem+json, the security headers, a request id, no echo, the connection closed', async () => {
    const logs = new LogCapture();
    const app = await createApp({ service: 't', logger: createLogger({ service: 't', destination: logs }), rateLimit: { enabled: false } });
    app.post('/t/v1/things', { config: { access: 'public' } }, async () => ({}));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as net.AddressInfo).port;
    const myNumber = '983205673214';
    try {
      const cases: Array<[string, number, string]> = [
        [`POST /t/v1/things HTTP/1.1\r\nHost: x\r\nIdempotency-Key: ${myNumber}${'x'.repeat(20_000)}\r\n\r\n`, 431, 'urn:pmh:problem:headers-too-large'],
        [`POST /t/v1/${myNumber} HTTP/1.1 junk\r\n\r\n`, 400, 'urn:pmh:problem:bad-request'],
      ];
      for (const [request, status, type] of cases) {
        const answer = await raw(port, request);
        const [head, body] = answer.split('\r\n\r\n');
        assert.match(head, new RegExp(`^HTTP/1.1 ${status} `), answer);
        assert.match(head, /\r\ncontent-type: application\/problem\+json/i);
        for (const h of ['x-content-type-options: nosniff', 'x-frame-options: DENY', 'cache-control: no-store', 'connection: close'])
          assert.ok(head.toLowerCase().includes(h.toLowerCase()), `${status} lacks ${h}`);
        assert.match(head, /\r\nx-request-id: [0-9a-f-]{36}/);
        const problem = JSON.parse(body);
        assert.equal(problem.status, status);
        assert.equal(problem.type, type);
        assert.ok(!answer.includes(myNumber) && !answer.includes('xxxx'), 'the answer echoes the request');
      }
      assert.ok(!logs.text().includes(myNumber));
    } finally {
      await app.close();
    }
  });
});
