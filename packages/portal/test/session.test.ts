/**
 * Resident sessions at the portal (マイナポータル login), through HTTP against the real portal and the
 * real OQS that authenticates the cards (PGlite, and PostgreSQL when PMH_TEST_DATABASE_URL is set):
 * a card signature over the portal's challenge opens a session cookie; wrong cards, reused or
 * expired challenges, idle or worn-out sessions, stolen tokens after logout and cross-site requests
 * are refused. Session lifetimes are shortened for the test (idle 3 s, absolute 7 s).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { World, backends, Rng, myNumber, freePort, databaseText, tempDir, tempKeyStore, type Enrolled, type HttpAnswer } from '../../testkit/src/index.ts';
import { signCardChallenge, generateSigningKey } from '@pmh/core/crypto/index';
import { createLogger, LogCapture } from '@pmh/core/http/logging';
import { freshDatabase } from '@pmh/core/db/index';
import { portalApi } from '@pmh/protocol';
import type { Input } from '@pmh/protocol/contract';
import { callEndpoint } from '../../testkit/src/http.ts';
import { buildPortal, portalMigrations } from '../src/index.ts';

const IDLE_MS = 3000;
const ABSOLUTE_MS = 7000;

for (const backend of backends()) {
  describe(`resident sessions at the portal (${backend})`, () => {
    let w: World;
    let alice: Enrolled;
    let bob: Enrolled;

    /** Raw, for what the contract refuses (text its formats forbid) and for what is no endpoint (`/openapi.json`). */
    const portal = <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> =>
      w.call<T>(null, method, path, body, headers, 'portal');
    /** As the resident's pages call: by the contract, anonymous but for the cookie and the browser's headers. */
    const page = () => ({ url: w.url('portal') });

    async function challenge(): Promise<string> {
      const r = await callEndpoint(page(), null, portalApi.issueSessionChallenge, {});
      assert.equal(r.status, 200, r.text);
      return r.body.challenge;
    }

    /** Logs in as a card holder would: the card signs a fresh challenge of the portal. */
    async function login(p: Enrolled, opts: { challenge?: string; key?: Enrolled['cardKey']; serial?: string; headers?: Record<string, string> } = {}) {
      const c = opts.challenge ?? (await challenge());
      const signature = signCardChallenge((opts.key ?? p.cardKey).privateJwk, c);
      const answer = await callEndpoint(page(), null, portalApi.logIn, {
        body: { cardSerial: opts.serial ?? p.cardSerial, challenge: c, signature },
        headers: opts.headers,
      });
      return { answer, challenge: c, signature };
    }

    /** The `Cookie` header a browser would send back after this answer. */
    function cookieFrom(answer: HttpAnswer): string {
      const set = answer.headers.get('set-cookie');
      assert.ok(set, `a Set-Cookie header: ${answer.status} ${answer.text}`);
      return set.split(';')[0];
    }

    async function loggedIn(p: Enrolled): Promise<string> {
      const { answer } = await login(p);
      assert.equal(answer.status, 201, answer.text);
      return cookieFrom(answer);
    }

    type MyView = typeof portalApi.me | typeof portalApi.mySubsidies | typeof portalApi.myAccessLog;
    const me = <E extends MyView = typeof portalApi.me>(cookie?: string, view?: E) =>
      callEndpoint(page(), null, view ?? portalApi.me, { headers: cookie ? { cookie } : {} } as Input<E>);

    function assertProblem(r: HttpAnswer, status: number, code: string): void {
      assert.equal(r.status, status, r.text);
      assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(r.body.type, `urn:pmh:problem:${code}`, r.text);
    }

    const portalDb = () => w.service('portal').database.db;

    const demoDir = tempDir('pmh-demo-cards-');
    const cardsFile = path.join(demoDir, 'cards.json');

    before(async () => {
      w = await World.start({
        backend,
        services: ['oqs', 'portal'],
        persistent: true,
        portal: { session: { idleMs: IDLE_MS, absoluteMs: ABSOLUTE_MS }, demo: { cardsFile } },
      });
      const rng = new Rng(5150);
      [alice, bob] = await w.enrol([myNumber(rng), myNumber(rng)], { idserver: false });
    });
    after(async () => {
      await w.stop();
      fs.rmSync(demoDir, { recursive: true, force: true });
    });

    it('logs in with a card signature; the cookie opens the resident’s own views', async () => {
      const c = await callEndpoint(page(), null, portalApi.issueSessionChallenge, {});
      assert.equal(c.status, 200, c.text);
      assert.match(c.body.challenge, /^[A-Za-z0-9_-]{43}$/);
      const ttl = Date.parse(c.body.expiresAt) - Date.now();
      assert.ok(ttl > 50_000 && ttl <= 61_000, `the challenge lives 60 s (${ttl} ms left)`);

      const started = Date.now();
      const { answer } = await login(alice, { challenge: c.body.challenge });
      assert.equal(answer.status, 201, answer.text);
      assert.deepEqual(Object.keys(answer.body), ['expiresAt']);
      const ends = Date.parse(answer.body.expiresAt);
      assert.ok(
        ends >= started + ABSOLUTE_MS - 500 && ends <= Date.now() + ABSOLUTE_MS + 500,
        `the absolute lifetime is the configured one (ends ${ends - started} ms after the login began)`,
      );

      // The cookie: HttpOnly, SameSite=Strict, Path=/, no Secure over plain http, a session cookie (no Max-Age).
      const set = answer.headers.get('set-cookie')!;
      const [pair, ...attributes] = set.split(';').map((s) => s.trim());
      assert.match(pair, /^pmh_session=[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(attributes.sort(), ['HttpOnly', 'Path=/', 'SameSite=Strict']);
      // Nothing of the card or the 仮名識別子 in the answer.
      for (const secret of [alice.cardSerial, alice.pseudonym]) assert.equal(answer.text.includes(secret) || set.includes(secret), false);

      const cookie = cookieFrom(answer);
      const whoami = await me(cookie);
      assert.equal(whoami.status, 200, whoami.text);
      assert.deepEqual(whoami.body, { linked: false }, 'a first login makes an account not yet linked to PMH');
      // Not linked: empty views, without asking the hub (there is none in this world).
      assert.deepEqual((await me(cookie, portalApi.mySubsidies)).body, { subjects: [], certificates: [], linked: false });
      assert.deepEqual((await me(cookie, portalApi.myAccessLog)).body, { items: [], linked: false });

      // Without a cookie, or with a made-up one: 401 session-required.
      assertProblem(await me(), 401, 'session-required');
      assertProblem(await me(`pmh_session=${crypto.randomBytes(32).toString('base64url')}`), 401, 'session-required');
      assertProblem(await me('pmh_session=not-a-token'), 401, 'session-required');
      assertProblem(await me(undefined, portalApi.mySubsidies), 401, 'session-required');

      // The database holds the token's hash, never the token; one account per card holder, however often they log in.
      const token = cookie.split('=')[1];
      const hash = crypto.createHash('sha256').update(token).digest('hex');
      const stored = await sql<{ token_hash: string; pseudonym: string }>`
        select s.token_hash, a.pseudonym from sessions s join accounts a on a.id = s.account_id`.execute(portalDb());
      assert.ok(stored.rows.some((r) => r.token_hash === hash && r.pseudonym === alice.pseudonym));
      const text = await databaseText(portalDb());
      assert.equal(text.includes(token), false, 'the session token is not stored');
      assert.equal(text.includes(alice.cardSerial), false, 'the card serial is not stored');
      await loggedIn(alice);
      const accounts = await sql<{ n: string }>`select count(*) as n from accounts where pseudonym = ${alice.pseudonym}`.execute(portalDb());
      assert.equal(Number(accounts.rows[0].n), 1);

      // The audit trail names the account by its reference; no log line names the card or the pseudonym.
      const audit = await sql<{ subject_ref: string; outcome: string }>`
        select subject_ref, outcome from audit_log where action = 'session.create'`.execute(portalDb());
      const { rows: ids } = await sql<{ id: string }>`select id from accounts where pseudonym = ${alice.pseudonym}`.execute(portalDb());
      assert.ok(audit.rows.some((r) => r.subject_ref === ids[0].id && r.outcome === 'ok'));
      const auditText = JSON.stringify((await sql`select * from audit_log`.execute(portalDb())).rows);
      for (const p of [alice, bob]) {
        assert.equal(auditText.includes(p.pseudonym) || auditText.includes(p.cardSerial), false, 'no pseudonym or card serial in an audit row');
        assert.equal(w.logs.text().includes(p.pseudonym) || w.logs.text().includes(p.cardSerial), false, 'no pseudonym or card serial in a log line');
      }
    });

    it('refuses a wrong signature, an unknown card, and a reused, unknown or expired challenge', async () => {
      // Bob's card serial signed with Alice's key; a serial no card has.
      const wrongKey = await login(bob, { key: alice.cardKey });
      assertProblem(wrongKey.answer, 401, 'card-authentication-failed');
      const unknownSerial = await login(bob, { serial: crypto.randomBytes(8).toString('hex').toUpperCase() });
      assertProblem(unknownSerial.answer, 401, 'card-authentication-failed');
      const stranger = await generateSigningKey();
      assertProblem((await login(bob, { key: { privateJwk: stranger.privateJwk, publicJwk: stranger.publicJwk } })).answer, 401, 'card-authentication-failed');
      // A challenge is used up by a failed login too: the right signature cannot follow on it.
      assertProblem((await login(bob, { challenge: wrongKey.challenge })).answer, 401, 'challenge-invalid');

      // Reused after a successful login.
      const ok = await login(bob);
      assert.equal(ok.answer.status, 201, ok.answer.text);
      const replay = await callEndpoint(page(), null, portalApi.logIn, {
        body: { cardSerial: bob.cardSerial, challenge: ok.challenge, signature: ok.signature },
      });
      assertProblem(replay, 401, 'challenge-invalid');
      // Never issued.
      assertProblem((await login(bob, { challenge: crypto.randomBytes(32).toString('base64url') })).answer, 401, 'challenge-invalid');
      // Expired (aged in the database rather than waiting a minute).
      const old = await challenge();
      await sql`update session_challenges set expires_at = now() - interval '1 second' where challenge = ${old}`.execute(portalDb());
      assertProblem((await login(bob, { challenge: old })).answer, 401, 'challenge-invalid');

      // Malformed input is a 400 naming the field, not a 500.
      const bad = await callEndpoint(page(), null, portalApi.logIn, { body: { cardSerial: 'abc', challenge: await challenge(), signature: 'x' } });
      assert.equal(bad.status, 400, bad.text);
      assert.ok(
        bad.body.errors?.some((e) => e.pointer === '/cardSerial'),
        bad.text,
      );

      for (const r of [wrongKey.answer, unknownSerial.answer, replay]) assert.equal(r.headers.get('set-cookie'), null, 'no cookie for a refused login');
    });

    it('refuses text PostgreSQL cannot hold (U+0000, lone surrogates) and controls with 400 naming the field, before any lookup: no 500', async () => {
      const c = await challenge();
      const signature = signCardChallenge(bob.cardKey.privateJwk, c);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ cardSerial: bob.cardSerial, challenge: `${c}\u0000`, signature }, '/challenge'],
        [{ cardSerial: bob.cardSerial, challenge: `${c}\ud800`, signature }, '/challenge'],
        [{ cardSerial: bob.cardSerial, challenge: c, signature: `${signature}\u0000` }, '/signature'],
        [{ cardSerial: bob.cardSerial, challenge: c, signature: `\udc00${signature}` }, '/signature'],
        [{ cardSerial: `${bob.cardSerial}\u0000`, challenge: c, signature }, '/cardSerial'],
        [{ cardSerial: bob.cardSerial, challenge: `${c}\u202e`, signature }, '/challenge'],
      ];
      for (const [body, pointer] of cases) {
        const r = await portal('POST', '/portal/v1/sessions', body);
        assertProblem(r, 400, 'validation');
        assert.ok(
          r.body.errors.some((e: { pointer: string }) => e.pointer === pointer),
          r.text,
        );
        assert.equal(r.headers.get('set-cookie'), null);
      }
      // The challenge was not used up by the refused requests: the real login still works on it.
      const { answer } = await login(bob, { challenge: c });
      assert.equal(answer.status, 201, answer.text);
      assert.deepEqual(
        w.logs.lines.filter((l) => /"statusCode":5\d\d/.test(l)),
        [],
        'no request ended in a server error',
      );
    });

    it('ends a session idle too long, and one past its absolute lifetime even when in use', async () => {
      const hashOf = (cookie: string) => crypto.createHash('sha256').update(cookie.split('=')[1]).digest('hex');
      /**
       * Lets `ms` pass for these sessions without waiting: the portal reads session times on the
       * database's clock (`now()`), so the sessions' stored times move back by as much instead.
       */
      const pass = async (ms: number, ...cookies: string[]) => {
        const by = sql`make_interval(secs => ${ms / 1000}::float8)`;
        await sql`update sessions set created_at = created_at - ${by}, last_seen_at = last_seen_at - ${by}, expires_at = expires_at - ${by}
                  where token_hash = any(${cookies.map(hashOf)}::text[])`.execute(portalDb());
      };
      const idle = await loggedIn(alice);
      assert.equal((await me(idle)).status, 200);
      await pass(IDLE_MS + 500, idle);
      assertProblem(await me(idle), 401, 'session-required');

      // This one is used every 400 ms: well past the idle timeout it still works…
      const busy = await loggedIn(alice);
      let passed = 0;
      while (passed < ABSOLUTE_MS - 1500) {
        const r = await me(busy);
        assert.equal(r.status, 200, `still live after ${passed} ms: ${r.text}`);
        await pass(400, busy);
        passed += 400;
      }
      // … until its absolute end.
      while (passed < ABSOLUTE_MS + 500) {
        await pass(400, busy);
        passed += 400;
        await me(busy);
      }
      assertProblem(await me(busy), 401, 'session-required');
      // Ended sessions are gone from the database.
      const hashes = [idle, busy].map(hashOf);
      const left = await sql<{ n: string }>`select count(*) as n from sessions where token_hash = any(${hashes}::text[])`.execute(portalDb());
      assert.equal(Number(left.rows[0].n), 0);
    });

    it('refuses a stolen token once its owner logged out; other sessions live on', async () => {
      const cookie = await loggedIn(bob);
      const other = await loggedIn(bob);
      const stolen = cookie; // copied by someone else
      assert.equal((await me(stolen)).status, 200);

      const out = await callEndpoint(page(), null, portalApi.logOut, { headers: { cookie, origin: w.url('portal'), 'sec-fetch-site': 'same-origin' } });
      assert.equal(out.status, 204, out.text);
      const cleared = out.headers.get('set-cookie') ?? '';
      assert.match(cleared, /^pmh_session=;/);
      assert.match(cleared, /Max-Age=0/);
      assert.match(cleared, /HttpOnly/);

      assertProblem(await me(stolen), 401, 'session-required');
      assert.equal((await callEndpoint(page(), null, portalApi.logOut, { headers: { cookie: stolen } })).status, 204, 'logging out twice is harmless');
      assert.equal((await me(other)).status, 200, 'the owner’s other session is not affected');
    });

    it('refuses a cross-site logout or login', async () => {
      const cookie = await loggedIn(alice);
      const crossSite: Array<Record<string, string>> = [
        { origin: 'http://evil.example' },
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
      ];
      for (const headers of crossSite) {
        const r = await callEndpoint(page(), null, portalApi.logOut, { headers: { cookie, ...headers } });
        assertProblem(r, 403, 'cross-site-request');
        assert.equal(r.headers.get('set-cookie'), null);
      }
      assert.equal((await me(cookie)).status, 200, 'the session survived every cross-site attempt');

      const { answer, challenge: c, signature } = await login(alice, { headers: { origin: 'https://evil.example' } });
      assertProblem(answer, 403, 'cross-site-request');
      // The refused request did not use up the challenge.
      const same = await callEndpoint(page(), null, portalApi.logIn, {
        body: { cardSerial: alice.cardSerial, challenge: c, signature },
        headers: { origin: w.url('portal') },
      });
      assert.equal(same.status, 201, same.text);
      const out = await callEndpoint(page(), null, portalApi.logOut, {
        headers: { cookie: cookieFrom(same), origin: w.url('portal'), 'sec-fetch-site': 'same-origin' },
      });
      assert.equal(out.status, 204, out.text);
    });

    it('answers 503 when OQS cannot be reached, without using a session', async () => {
      await w.stopService('oqs');
      try {
        const { answer } = await login(alice);
        assertProblem(answer, 503, 'card-verification-unavailable');
        assert.equal(answer.headers.get('set-cookie'), null);
      } finally {
        await w.startService('oqs');
      }
      assert.equal((await login(alice)).answer.status, 201);
    });

    it('hands the demo’s simulated cards to its pages, and they log in', async () => {
      assertProblem(await callEndpoint(page(), null, portalApi.demoCards, {}), 404, 'not-found'); // no cards made yet
      fs.writeFileSync(
        cardsFile,
        JSON.stringify([alice, bob].map((p, i) => ({ cardSerial: p.cardSerial, privateJwk: p.cardKey.privateJwk, name: `デモ　住民${i + 1}` }))),
      );
      const r = await callEndpoint(page(), null, portalApi.demoCards, {});
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        r.body.cards.map((c) => [c.cardSerial, c.name]),
        [
          [alice.cardSerial, 'デモ　住民1'],
          [bob.cardSerial, 'デモ　住民2'],
        ],
      );
      const card = r.body.cards[1];
      const { answer } = await login(bob, { key: { privateJwk: card.privateJwk, publicJwk: card.privateJwk }, serial: card.cardSerial });
      assert.equal(answer.status, 201, answer.text);
      // The OpenAPI document says it is the demo's only.
      const doc = await portal('GET', '/openapi.json');
      assert.match(doc.body.paths['/portal/v1/demo/cards'].get.description, /only in the demo/);
      fs.writeFileSync(cardsFile, '{ not json');
      assertProblem(await callEndpoint(page(), null, portalApi.demoCards, {}), 503, 'demo-cards-unavailable');
    });

    it('marks the cookie Secure when the portal is served over https', async () => {
      const port = await freePort();
      const db = await freshDatabase('portal', portalMigrations, { adminUrl: backend === 'postgres' ? process.env.PMH_TEST_DATABASE_URL : undefined });
      // The same client identity towards OQS as the world's portal, published as https.
      const service = await buildPortal({
        database: db.options,
        keys: w.service('portal').base.config.keys,
        ephemeralKeys: tempKeyStore(),
        publicUrl: 'https://portal.example.jp',
        logger: createLogger({ service: 'portal', destination: new LogCapture(), level: 'warn' }),
        peers: { oqs: w.url('oqs') },
      });
      try {
        await service.app.listen({ port, host: '127.0.0.1' });
        const url = `http://127.0.0.1:${port}`;
        const c = await callEndpoint({ url }, null, portalApi.issueSessionChallenge, {});
        assert.equal(c.status, 200, c.text);
        const res = await callEndpoint({ url }, null, portalApi.logIn, {
          body: { cardSerial: bob.cardSerial, challenge: c.body.challenge, signature: signCardChallenge(bob.cardKey.privateJwk, c.body.challenge) },
          headers: { origin: 'https://portal.example.jp' },
        });
        assert.equal(res.status, 201, res.text);
        const attributes = (res.headers.get('set-cookie') ?? '')
          .split(';')
          .slice(1)
          .map((s) => s.trim())
          .sort();
        assert.deepEqual(attributes, ['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure']);
        // Without a demo cards file (any deployment but the demo) there is no such endpoint.
        const demo = await callEndpoint({ url }, null, portalApi.demoCards, {});
        assert.equal(demo.status, 404);
        assert.equal((await (await fetch(`${url}/openapi.json`)).json()).paths['/portal/v1/demo/cards'], undefined);
      } finally {
        await service.close();
        await db.drop();
      }
    });
  });
}
