/**
 * The ID server through HTTP, against the real service (PGlite, and PostgreSQL when
 * PMH_TEST_DATABASE_URL is set), with a small fake OQS that records what reaches it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { FakePeer, World, backends, waitFor, type Backend, type Caller } from '../../testkit/src/index.ts';
import { call, callEndpoint, assertProblem, type Credential } from '../../testkit/src/http.ts';
import { sql } from 'kysely';
import type { Service } from '@pmh/core/service';
import type { ServiceKeys } from '@pmh/core/crypto/index';
import { randomLinkageNumber } from '@pmh/core/crypto/ids';
import type { LogCapture } from '@pmh/core/http/logging';
import { verifyAudit } from '@pmh/core/audit/index';
import { myNumberCheckDigit } from '@pmh/core/text/checkdigits';
import { MY_NUMBER_CONTEXT, myNumberAt } from '../src/store/persons.ts';
import { MAX_LINKAGE_REPEATS as MAX_ROUNDS, idserverApi } from '@pmh/protocol';

const ISSUE = idserverApi.issuePmhIds.path;
const IMPORT = idserverApi.importLinkageNumbers.path;
const PIPELINE = 'oqs-pmh-link';
const PMH_ID = /^pmh[a-z2-7]{26}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// --- helpers -------------------------------------------------------------------------------

/** Every My Number this file sent anywhere: none may be found at rest, in a message or a log line. */
const usedMyNumbers = new Set<string>();

function myNumber(): string {
  const body = Array.from(crypto.randomBytes(11), (b) => String(b % 10)).join('');
  const n = body + String(myNumberCheckDigit(body));
  usedMyNumbers.add(n);
  return n;
}

function withWrongCheckDigit(n: string): string {
  const wrong = n.slice(0, -1) + String((Number(n[11]) + 1) % 10);
  usedMyNumbers.add(wrong);
  return wrong;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A stand-in for OQS: `POST /oqs/v1/pmh-links`, recording every attempt (see FakePeer). */
class FakeOqs extends FakePeer<{ linkageNumber: string; pmhId: string }> {
  constructor() {
    super('/oqs/v1/pmh-links');
  }

  deliveriesOf(linkageNumber: string) {
    return this.delivered.filter((l) => l.linkageNumber === linkageNumber);
  }
}

interface Running {
  world: World;
  service: Service;
  url: string;
  keys: ServiceKeys;
  logs: LogCapture;
  hub: Credential;
  operator: Credential;
  municipality: Credential;
}

/**
 * The ID server alone in a test world (a fresh database from the migrated template), its peer OQS
 * stood in for at `oqsUrl`, with the callers it admits: the hub, an operator and a municipality.
 */
async function startIdServer(backend: Backend, oqsUrl: string, keys?: ServiceKeys): Promise<Running> {
  const world = await World.start({
    backend,
    services: ['idserver'],
    standIns: { oqs: oqsUrl },
    // A municipality is admitted here only to be refused by role (403, not an unknown client's 401).
    admit: { idserver: ['municipality-131016'] },
    keys: keys ? { idserver: keys } : undefined,
    outbox: { pollMs: 20, baseBackoffMs: 50, maxBackoffMs: 200 },
  });
  const as = (caller: Caller): Credential => ({ authorization: () => world.authorization(caller, 'idserver') });
  return {
    world,
    service: world.service('idserver'),
    url: world.url('idserver'),
    keys: world.keys('idserver'),
    logs: world.logs,
    hub: as(world.peerCaller('hub')),
    operator: as(world.operator),
    municipality: as(world.municipality('131016')),
  };
}

/** No 12-digit window of any digit run (half- or full-width) in `text` is a My Number this file used. */
function assertNoMyNumber(text: string, where: string): void {
  for (const [run] of text.matchAll(/[0-9０-９]{12,}/g)) {
    const half = run.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    for (let i = 0; i + 12 <= half.length; i++) assert.equal(usedMyNumbers.has(half.slice(i, i + 12)), false, `a My Number appears in ${where}`);
  }
}

function issue(s: Running, myNumbers: string[]) {
  return callEndpoint(s, s.hub, idserverApi.issuePmhIds, { body: { requests: myNumbers.map((myNumber, i) => ({ requestId: `r${i}`, myNumber })) } });
}

/** Issues and returns the PMH-IDs, in order. */
async function issued(s: Running, myNumbers: string[]): Promise<string[]> {
  const res = await issue(s, myNumbers);
  assert.equal(res.status, 200, res.text);
  return res.body.results.map((r, i) => {
    assert.equal(r.requestId, `r${i}`);
    assert.ok('pmhId' in r, JSON.stringify(r));
    assert.match(r.pmhId, PMH_ID, JSON.stringify(r));
    return r.pmhId;
  });
}

function importLinks(s: Running, entries: Array<{ myNumber: string; linkageNumber: string }>) {
  return callEndpoint(s, s.operator, idserverApi.importLinkageNumbers, { body: { entries } });
}

async function pipeline(
  s: Running,
): Promise<{ name: string; pending: number; retrying: number; dead: number; inFlight: number; stuck: number; lastError: string | null }> {
  const res = await call(s, s.operator, 'GET', '/admin/v1/status');
  assert.equal(res.status, 200, res.text);
  const p = res.body.pipelines.find((x: { name: string }) => x.name === PIPELINE);
  assert.ok(p, `status lists ${PIPELINE}: ${res.text}`);
  return p;
}

async function outboxIdle(s: Running): Promise<void> {
  await waitFor('the OQS pipeline to drain', async () => {
    const p = await pipeline(s);
    return p.pending === 0 && p.retrying === 0 && p.dead === 0;
  });
}

// --- the suite, per backend ----------------------------------------------------------------

for (const backend of backends()) {
  describe(`idserver (${backend})`, () => {
    let s: Running;
    let oqs: FakeOqs;

    before(async () => {
      oqs = new FakeOqs();
      await oqs.start();
      s = await startIdServer(backend, oqs.url);
    });

    after(async () => {
      await s?.world.stop();
      await oqs?.stop();
    });

    it('documents its routes, with their bodies, answers and security, in /openapi.json', async () => {
      const doc = await call(s, null, 'GET', '/openapi.json');
      assert.equal(doc.status, 200);
      for (const [p, role] of [
        [ISSUE, 'hub'],
        [IMPORT, 'admin'],
      ] as const) {
        const op = doc.body.paths[p]?.post;
        assert.ok(op, `documents ${p}`);
        // The bearer scheme, with the role the route admits (OpenAPI 3.1: role names for a non-OAuth scheme).
        assert.deepEqual(op.security, [{ bearer: [role] }]);
        assert.ok(op.requestBody?.content?.['application/json']?.schema, `${p} has a body schema`);
        assert.ok(op.responses['200'], `${p} documents its answer`);
        assert.ok(op.responses['403'], `${p} documents 403`);
      }
      const text = JSON.stringify(doc.body.paths[IMPORT]);
      assert.ok(text.includes('conflicts') && text.includes('linksQueued'));
    });

    it('issues one PMH-ID per person: the same My Number gets the same PMH-ID in a batch and across batches', async () => {
      const [a, b, c] = [myNumber(), myNumber(), myNumber()];
      const first = await issued(s, [a, b, a, c]);
      assert.equal(first[0], first[2], 'the same person twice in one batch');
      assert.equal(new Set(first).size, 3, 'different people, different PMH-IDs');
      const again = await issued(s, [c, a, b]);
      assert.deepEqual(again, [first[3], first[0], first[1]], 'a later batch answers the same PMH-IDs');
      const { rows } = await sql<{ n: string }>`select count(*) as n from persons where pmh_id = any(${first}::text[])`.execute(s.service.database.db);
      assert.equal(Number(rows[0].n), 3, 'one row per person');
    });

    it('issues random PMH-IDs, not derived from the My Number (another database with the same keys issues others)', async () => {
      const numbers = Array.from({ length: 20 }, () => myNumber());
      const ids = await issued(s, numbers);
      assert.equal(new Set(ids).size, numbers.length);
      numbers.forEach((n, i) => {
        for (let k = 0; k + 6 <= n.length; k++) assert.equal(ids[i].includes(n.slice(k, k + 6)), false, 'a PMH-ID carries digits of the My Number');
      });
      // Same service keys (same cipher, same blind-index key), fresh database: a derived ID would repeat.
      const other = await startIdServer(backend, oqs.url, s.keys);
      try {
        const otherIds = await issued(other, numbers);
        numbers.forEach((_, i) => assert.notEqual(otherIds[i], ids[i], 'two databases issued the same PMH-ID for one My Number'));
        assert.deepEqual(await issued(other, numbers.slice(0, 3)), otherIds.slice(0, 3));
      } finally {
        await other.world.stop();
      }
    });

    it('refuses a request id that holds a My Number (it would be answered back as it came): 400 naming it, nothing issued (found by the fuzz suite)', async () => {
      const n = myNumber();
      const before = await sql<{ n: string }>`select count(*) as n from persons`.execute(s.service.database.db);
      for (const requestId of [n, `受給者 ${n}`, `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`]) {
        const res = await callEndpoint(s, s.hub, idserverApi.issuePmhIds, {
          body: {
            requests: [
              { requestId: 'ok-1', myNumber: myNumber() },
              { requestId, myNumber: myNumber() },
            ],
          },
        });
        assert.equal(res.status, 400, res.text);
        assert.deepEqual(
          res.body.errors?.map((e) => e.pointer),
          ['/requests/1/requestId'],
        );
        assert.equal(res.text.includes(n.slice(0, 4)), false, res.text);
      }
      const after = await sql<{ n: string }>`select count(*) as n from persons`.execute(s.service.database.db);
      assert.equal(after.rows[0].n, before.rows[0].n);
      // The hub's own ids (UUIDs, whose last group may be 12 digits) are references as before.
      const uuid = '0b7e5c2a-1f3d-4c8e-9a6b-123456789018';
      const ok = await callEndpoint(s, s.hub, idserverApi.issuePmhIds, { body: { requests: [{ requestId: uuid, myNumber: myNumber() }] } });
      assert.equal(ok.status, 200, ok.text);
    });

    it('answers a per-request error for an invalid My Number without failing the batch', async () => {
      const good = myNumber();
      const bad = withWrongCheckDigit(myNumber());
      const res = await issue(s, [good, bad, good]);
      assert.equal(res.status, 200, res.text);
      const [r0, r1, r2] = res.body.results;
      assert.ok('pmhId' in r0 && 'pmhId' in r2);
      assert.match(r0.pmhId, PMH_ID);
      assert.equal(r2.pmhId, r0.pmhId);
      assert.equal(r1.requestId, 'r1');
      assert.ok(!('pmhId' in r1) && 'error' in r1, JSON.stringify(r1));
      assert.equal(r1.error.code, 'invalid-my-number');
      assert.equal(typeof r1.error.message, 'string');
      assertNoMyNumber(res.text, 'the answer');
      const { rows } = await sql<{
        n: string;
      }>`select count(*) as n from persons where my_number_bidx = ${s.service.base.cipher.blindIndex(bad, MY_NUMBER_CONTEXT)}`.execute(s.service.database.db);
      assert.equal(Number(rows[0].n), 0, 'an invalid My Number is not stored');
    });

    it('refuses more than 1,000 requests, and a malformed My Number, with 400 problem+json', async () => {
      const n = myNumber();
      const tooMany = await callEndpoint(s, s.hub, idserverApi.issuePmhIds, {
        body: { requests: Array.from({ length: 1001 }, (_, i) => ({ requestId: `r${i}`, myNumber: n })) },
      });
      assertProblem(tooMany, 400);
      assertNoMyNumber(tooMany.text, 'a 400 answer');
      const short = n.slice(0, 11);
      const malformed = await callEndpoint(s, s.hub, idserverApi.issuePmhIds, { body: { requests: [{ requestId: 'x', myNumber: short }] } });
      assertProblem(malformed, 400);
      assert.ok(
        malformed.body.errors?.some((e) => e.pointer === '/requests/0/myNumber'),
        malformed.text,
      );
      assert.equal(malformed.text.includes(short), false, 'the 400 answer quotes the number');
      const empty = await callEndpoint(s, s.hub, idserverApi.issuePmhIds, { body: { requests: [] } });
      assertProblem(empty, 400);
      const tooManyEntries = await importLinks(
        s,
        Array.from({ length: 10_001 }, () => ({ myNumber: n, linkageNumber: randomLinkageNumber() })),
      );
      assertProblem(tooManyEntries, 400);
    });

    it('admits only the hub to issue and only an operator to import: 401 without a token, 403 for another role', async () => {
      const body = { requests: [{ requestId: 'r0', myNumber: myNumber() }] };
      assertProblem(await callEndpoint(s, null, idserverApi.issuePmhIds, { body }), 401);
      assertProblem(await callEndpoint(s, s.operator, idserverApi.issuePmhIds, { body }), 403);
      assertProblem(await callEndpoint(s, s.municipality, idserverApi.issuePmhIds, { body }), 403);
      const entries = { entries: [{ myNumber: myNumber(), linkageNumber: randomLinkageNumber() }] };
      assertProblem(await callEndpoint(s, null, idserverApi.importLinkageNumbers, { body: entries }), 401);
      assertProblem(await callEndpoint(s, s.hub, idserverApi.importLinkageNumbers, { body: entries }), 403);
      assertProblem(await callEndpoint(s, s.municipality, idserverApi.importLinkageNumbers, { body: entries }), 403);
      assertProblem(await call(s, s.hub, 'GET', '/admin/v1/status'), 403);
    });

    it('answers the same PMH-ID to concurrent requests for the same new person', async () => {
      const n = myNumber();
      const answers = await Promise.all(Array.from({ length: 6 }, () => issued(s, [myNumber(), n, myNumber()])));
      const ids = new Set(answers.map((a) => a[1]));
      assert.equal(ids.size, 1, `concurrent issuance answered ${ids.size} PMH-IDs for one person`);
      const { rows } = await sql<{
        n: string;
      }>`select count(*) as n from persons where my_number_bidx = ${s.service.base.cipher.blindIndex(n, MY_NUMBER_CONTEXT)}`.execute(s.service.database.db);
      assert.equal(Number(rows[0].n), 1);
      // Overlapping batches in different orders: one PMH-ID per person, no request fails.
      const shared = Array.from({ length: 50 }, () => myNumber());
      const shuffled = () => [...shared].sort(() => Math.random() - 0.5);
      const batches = Array.from({ length: 8 }, () => shuffled());
      const results = await Promise.all(batches.map((b) => issued(s, b)));
      const idOf = new Map<string, string>();
      batches.forEach((b, i) =>
        b.forEach((n, j) => {
          if (!idOf.has(n)) idOf.set(n, results[i][j]);
          assert.equal(results[i][j], idOf.get(n));
        }),
      );
      assert.equal(new Set(idOf.values()).size, shared.length);
    });

    it('linkage import, then issuance: exactly one link reaches OQS, with the right pair', async () => {
      const [n, other] = [myNumber(), myNumber()];
      const ln = randomLinkageNumber();
      const imported = await importLinks(s, [
        { myNumber: n, linkageNumber: ln },
        { myNumber: other, linkageNumber: randomLinkageNumber() },
      ]);
      assert.equal(imported.status, 200, imported.text);
      assert.deepEqual(imported.body, { imported: 2, unchanged: 0, linksQueued: 0, conflicts: [], rejected: [] });
      await sleep(100);
      assert.equal(oqs.deliveriesOf(ln).length, 0, 'nothing to link before a PMH-ID exists');
      const [pmhId] = await issued(s, [n]);
      await waitFor('the link at OQS', () => oqs.deliveriesOf(ln).length > 0);
      assert.deepEqual(oqs.deliveriesOf(ln), [{ linkageNumber: ln, pmhId }]);
      assert.ok(
        oqs.authorizations.every((a) => /^Bearer fake\./.test(a)),
        'the ID server calls OQS with the token OQS issued',
      );
      // Issuing again, importing again: no second link.
      assert.deepEqual(await issued(s, [n, n]), [pmhId, pmhId]);
      const again = await importLinks(s, [{ myNumber: n, linkageNumber: ln }]);
      assert.deepEqual(again.body, { imported: 0, unchanged: 1, linksQueued: 0, conflicts: [], rejected: [] });
      await sleep(200);
      await outboxIdle(s);
      assert.equal(oqs.deliveriesOf(ln).length, 1, 'exactly one link delivered');
    });

    it('issuance, then linkage import: the link follows', async () => {
      const numbers = [myNumber(), myNumber(), myNumber()];
      const ids = await issued(s, numbers);
      const lns = numbers.map(() => randomLinkageNumber());
      const res = await importLinks(
        s,
        numbers.map((myNumber, i) => ({ myNumber, linkageNumber: lns[i] })),
      );
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { imported: 3, unchanged: 0, linksQueued: 3, conflicts: [], rejected: [] });
      await waitFor('the links at OQS', () => lns.every((ln) => oqs.deliveriesOf(ln).length === 1));
      lns.forEach((ln, i) => assert.deepEqual(oqs.deliveriesOf(ln), [{ linkageNumber: ln, pmhId: ids[i] }]));
      await outboxIdle(s);
    });

    it('retries a link while OQS is down (status shows it retrying, with the last error) and delivers it once OQS answers', async () => {
      const n = myNumber();
      const ln = randomLinkageNumber();
      oqs.mode = 'down';
      try {
        await importLinks(s, [{ myNumber: n, linkageNumber: ln }]);
        const attemptsBefore = oqs.attempts.length;
        const [pmhId] = await issued(s, [n]);
        const p = await waitFor('the link to be retrying', async () => {
          const p = await pipeline(s);
          return p.retrying >= 1 && oqs.attempts.length >= attemptsBefore + 2 ? p : undefined;
        });
        assert.match(p.lastError ?? '', /503/);
        assertNoMyNumber(p.lastError ?? '', 'the last error');
        assert.equal((p.lastError ?? '').includes(ln), false, 'the last error names the linkage number');
        assert.equal(oqs.deliveriesOf(ln).length, 0);
        oqs.mode = 'ok';
        await waitFor('the link delivered after OQS recovered', () => oqs.deliveriesOf(ln).length > 0);
        assert.deepEqual(oqs.deliveriesOf(ln), [{ linkageNumber: ln, pmhId }]);
      } finally {
        oqs.mode = 'ok';
      }
      await outboxIdle(s);
      await sleep(150);
      assert.equal(oqs.deliveriesOf(ln).length, 1, 'delivered once');
      assert.equal((await pipeline(s)).lastError, null);
    });

    it("comes back when OQS says (503 with Retry-After: its database is away), without using up the link's attempts", async () => {
      const n = myNumber();
      const ln = randomLinkageNumber();
      oqs.mode = 'down';
      oqs.retryAfter = '1';
      try {
        await importLinks(s, [{ myNumber: n, linkageNumber: ln }]);
        const attemptsBefore = oqs.attempts.length;
        await issued(s, [n]);
        await waitFor('OQS asked twice', () => oqs.attempts.length >= attemptsBefore + 2);
        const p = await pipeline(s);
        assert.match(p.lastError ?? '', /oqs answered 503/);
        assert.equal(p.retrying, 0, 'an answer that says "come back then" is no attempt of the link');
        assert.ok(p.pending >= 1);
        oqs.mode = 'ok';
        await waitFor('the link delivered after OQS recovered', () => oqs.deliveriesOf(ln).length > 0);
      } finally {
        oqs.mode = 'ok';
        oqs.retryAfter = undefined;
      }
      await outboxIdle(s);
    });

    it('counts a lease left by a process that stopped as stuck, and frees it on retry so the link goes now', async () => {
      const n = myNumber();
      const ln = randomLinkageNumber();
      oqs.mode = 'down';
      try {
        await importLinks(s, [{ myNumber: n, linkageNumber: ln }]);
        await issued(s, [n]);
        await waitFor('the link retrying', async () => (await pipeline(s)).retrying >= 1);
        // The outbox is held still while the lease is planted, so no delivery of its own holds the
        // message at that moment (one in flight is, rightly, not stuck).
        await s.service.outbox.stop();
        // As a process killed mid-delivery leaves it: leased 10 s ago, for a minute.
        await sql`update outbox set locked_until = now() + interval '50 seconds', attempts = 0, next_attempt_at = now() where kind = ${PIPELINE}`.execute(
          s.service.database.db,
        );
        oqs.mode = 'ok';
        const p = await pipeline(s);
        assert.equal(p.stuck, 1, JSON.stringify(p));
        assert.equal(p.inFlight, 0);
        s.service.outbox.start();
        await sleep(200);
        assert.equal(oqs.deliveriesOf(ln).length, 0, 'a leased link waits for its lease');
        const retry = await call(s, s.operator, 'POST', '/admin/v1/retry');
        assert.equal(retry.status, 200, retry.text);
        assert.equal(retry.body.redriven, 1);
        await waitFor('the freed link at OQS', () => oqs.deliveriesOf(ln).length > 0);
      } finally {
        oqs.mode = 'ok';
      }
      await outboxIdle(s);
      assert.equal((await pipeline(s)).stuck, 0);
    });

    it('parks a batch OQS refuses (4xx) with its status and title only, until an operator re-drives it', async () => {
      const n = myNumber();
      const ln = randomLinkageNumber();
      oqs.mode = 'refuse';
      try {
        const [pmhId] = await issued(s, [n]);
        const res = await importLinks(s, [{ myNumber: n, linkageNumber: ln }]);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.linksQueued, 1);
        const p = await waitFor('the link to be parked', async () => {
          const p = await pipeline(s);
          return p.dead >= 1 ? p : undefined;
        });
        assert.equal(p.lastError, 'oqs refused the batch (400 Bad Request)');
        const attempts = oqs.attempts.length;
        await sleep(200);
        assert.equal(oqs.attempts.length, attempts, 'a refused batch is not retried by itself');
        oqs.mode = 'ok';
        const retry = await call(s, s.operator, 'POST', `/admin/v1/retry?pipeline=${PIPELINE}`);
        assert.equal(retry.status, 200, retry.text);
        assert.ok(retry.body.redriven >= 1);
        await waitFor('the re-driven link at OQS', () => oqs.deliveriesOf(ln).length > 0);
        assert.deepEqual(oqs.deliveriesOf(ln), [{ linkageNumber: ln, pmhId }]);
      } finally {
        oqs.mode = 'ok';
      }
      await outboxIdle(s);
    });

    it('reports import conflicts and invalid entries by index, applies the rest, and echoes no My Number', async () => {
      const [a, b, c, d, e] = [myNumber(), myNumber(), myNumber(), myNumber(), myNumber()];
      const [la, lb, lc, ld, lx] = Array.from({ length: 5 }, () => randomLinkageNumber());
      const [pa] = await issued(s, [a]);
      const first = await importLinks(s, [
        { myNumber: a, linkageNumber: la },
        { myNumber: b, linkageNumber: lb },
      ]);
      assert.deepEqual(first.body, { imported: 2, unchanged: 0, linksQueued: 1, conflicts: [], rejected: [] });
      const bad = withWrongCheckDigit(myNumber());
      const res = await importLinks(s, [
        { myNumber: a, linkageNumber: lx }, // 0: a already holds la
        { myNumber: c, linkageNumber: lb }, // 1: lb is b's
        { myNumber: b, linkageNumber: lb }, // 2: unchanged
        { myNumber: bad, linkageNumber: lc }, // 3: check digit
        { myNumber: d, linkageNumber: ld }, // 4: imported
        { myNumber: d, linkageNumber: ld }, // 5: a repeated row: unchanged
        { myNumber: d, linkageNumber: lc }, // 6: d holds ld since entry 4
        { myNumber: e, linkageNumber: ld }, // 7: ld is d's since entry 4
        { myNumber: c, linkageNumber: lc }, // 8: imported (entries 1 and 6 did not apply)
      ]);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, {
        imported: 2,
        unchanged: 2,
        linksQueued: 0,
        conflicts: [
          { index: 0, reason: 'linkage-number-differs' },
          { index: 1, reason: 'linkage-number-taken' },
          { index: 6, reason: 'linkage-number-differs' },
          { index: 7, reason: 'linkage-number-taken' },
        ],
        rejected: [{ index: 3, reason: 'invalid-my-number' }],
      });
      assertNoMyNumber(res.text, 'the import answer');
      // Nothing of a conflicting entry was applied.
      const cipher = s.service.base.cipher;
      const { rows } = await sql<{ bidx: string; linkage_number: string | null }>`
        select my_number_bidx as bidx, linkage_number from persons
        where my_number_bidx = any(${[a, b, c, d, e].map((n) => cipher.blindIndex(n, MY_NUMBER_CONTEXT))}::text[])`.execute(s.service.database.db);
      const lnOf = new Map(rows.map((r) => [r.bidx, r.linkage_number]));
      assert.deepEqual(
        [a, b, c, d, e].map((n) => lnOf.get(cipher.blindIndex(n, MY_NUMBER_CONTEXT)) ?? null),
        [la, lb, lc, ld, null],
      );
      await waitFor('the link of a', () => oqs.deliveriesOf(la).length > 0);
      assert.deepEqual(oqs.deliveriesOf(la), [{ linkageNumber: la, pmhId: pa }]);
      await outboxIdle(s);
    });

    it('applies a person named many times in one batch in order, up to a bound', async () => {
      const f = myNumber();
      const lf = randomLinkageNumber();
      const res = await importLinks(
        s,
        Array.from({ length: MAX_ROUNDS + 2 }, () => ({ myNumber: f, linkageNumber: lf })),
      );
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, {
        imported: 1,
        unchanged: MAX_ROUNDS - 1,
        linksQueued: 0,
        conflicts: [
          { index: MAX_ROUNDS, reason: 'duplicate-in-batch' },
          { index: MAX_ROUNDS + 1, reason: 'duplicate-in-batch' },
        ],
        rejected: [],
      });
    });

    it('imports 10,000 entries in one call', async () => {
      const entries = Array.from({ length: 10_000 }, () => ({ myNumber: myNumber(), linkageNumber: randomLinkageNumber() }));
      const res = await importLinks(s, entries);
      assert.equal(res.status, 200, res.text.slice(0, 500));
      assert.deepEqual(res.body, { imported: 10_000, unchanged: 0, linksQueued: 0, conflicts: [], rejected: [] });
      const ids = await issued(
        s,
        entries.slice(0, 1000).map((e) => e.myNumber),
      );
      assert.equal(new Set(ids).size, 1000);
      await waitFor('1,000 links at OQS', () => entries.slice(0, 1000).every((e) => oqs.deliveriesOf(e.linkageNumber).length === 1), 30_000);
      await outboxIdle(s);
    });

    it('audits every issuance and import by reference (the person row id), never by My Number', async () => {
      const db = s.service.database.db;
      const { rows } = await sql<{ actor: string; action: string; subject_ref: string | null; outcome: string }>`
        select actor, action, subject_ref, outcome from audit_log where action in ('pmh-id.issue', 'linkage-number.import')`.execute(db);
      const issues = rows.filter((r) => r.action === 'pmh-id.issue');
      assert.ok(issues.length > 0);
      for (const r of issues) {
        assert.equal(r.actor, 'hub');
        assert.ok(r.outcome === 'ok' ? UUID.test(r.subject_ref ?? '') : r.outcome === 'rejected' && r.subject_ref === null, JSON.stringify(r));
      }
      assert.ok(issues.some((r) => r.outcome === 'rejected'));
      const imports = rows.filter((r) => r.action === 'linkage-number.import');
      assert.ok(imports.length >= 10_000);
      for (const r of imports) {
        assert.equal(r.actor, 'admin:operator');
        if (r.subject_ref !== null) assert.match(r.subject_ref, UUID);
      }
      assert.deepEqual(new Set(imports.map((r) => r.outcome)), new Set(['ok', 'unchanged', 'conflict', 'rejected']));
      const { rows: persons } = await sql<{ id: string }>`select id from persons`.execute(db);
      const personIds = new Set(persons.map((p) => p.id));
      for (const r of rows) if (r.subject_ref) assert.ok(personIds.has(r.subject_ref), 'subjectRef names a person row');
      const verified = await verifyAudit(db);
      assert.equal(verified.ok, true, JSON.stringify(verified.problems.slice(0, 3)));
    });

    it('holds no My Number in clear in any column of any table, and sent none to OQS', async () => {
      const db = s.service.database.db;
      const { rows: tables } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
      assert.ok(tables.some((t) => t.name === 'persons'));
      let text = '';
      for (const t of tables) {
        const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(t.name)} t`.execute(db);
        text += rows.map((r) => r.row).join('\n') + '\n';
      }
      assert.ok(text.length > 10_000, 'the database holds the people this file made');
      const { rows } = await sql<{ enc: string; bidx: string }>`select my_number_enc as enc, my_number_bidx as bidx from persons order by id limit 2`.execute(
        db,
      );
      assert.match(rows[0].enc, /^r1\.[^.]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'stored encrypted, in the row-bound form');
      // Bound to its person's row (by blind index): another person's row does not open it.
      const cipher = s.service.base.cipher;
      assert.equal(cipher.blindIndex(cipher.decrypt(rows[0].enc, myNumberAt(rows[0].bidx)), MY_NUMBER_CONTEXT), rows[0].bidx);
      assert.throws(() => cipher.decrypt(rows[0].enc, myNumberAt(rows[1].bidx)), 'a ciphertext copied to another person does not open');
      const known = [...usedMyNumbers][0];
      assert.throws(() => assertNoMyNumber(`x${known}y`, 'a probe'), 'the check finds a My Number');
      assert.throws(() => assertNoMyNumber(`7${known.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}`, 'a probe'));
      assertNoMyNumber(text, 'the database');
      assert.ok(oqs.attempts.length > 0);
      const sent = oqs.attempts.join('\n');
      assertNoMyNumber(sent, 'a message to OQS');
      for (const body of oqs.attempts) {
        for (const l of JSON.parse(body).links) assert.deepEqual(Object.keys(l).sort(), ['linkageNumber', 'pmhId']);
      }
    });

    it('logs no My Number, and no request ended in a server error', async () => {
      const text = s.logs.text();
      assert.ok(s.logs.lines.length > 20, 'the log capture saw requests');
      assertNoMyNumber(text, 'a log line');
      assert.deepEqual(
        s.logs.lines.filter((l) => /"statusCode":5\d\d/.test(l)),
        [],
      );
    });
  });
}
