/**
 * The portal's part in the identifier federation, through HTTP against the real service (PGlite, and
 * PostgreSQL when PMH_TEST_DATABASE_URL is set), with a small fake hub that records what reaches it,
 * binds links as the hub does, and can be told to be down, to refuse, or to answer `conflict`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { FakePeer, freePort, waitFor, tempKeyStore } from '../../testkit/src/index.ts';
import { call, callEndpoint, assertProblem, assertNames } from '../../testkit/src/http.ts';
import { sql, type RawBuilder } from 'kysely';
import type { Service } from '@pmh/core/service';
import { generateServiceKeys, randomIdentifier } from '@pmh/core/crypto/index';
import { TokenClient, generateClientKey } from '@pmh/core/auth/index';
import { LogCapture, createLogger } from '@pmh/core/http/logging';
import { freshDatabase, type FreshDatabase } from '@pmh/core/db/index';
import { verifyAudit } from '@pmh/core/audit/index';
import { IDENTIFIER_PATTERNS, portalApi } from '@pmh/protocol';
import { buildPortal, portalMigrations, HUB_PORTAL_LINK, CONFLICT_ERROR } from '../src/index.ts';
import { HELD_PMH_ID } from '../src/store/accounts.ts';

const LINKS = portalApi.receivePmhLinks.path;
const PMH_PSEUDONYM = /^pp[a-z2-7]{26}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// --- helpers -------------------------------------------------------------------------------

/** Every identifier this file made: none may leak where it does not belong. */
const used = { pseudonyms: new Set<string>(), pmhIds: new Set<string>() };

function pseudonym(): string {
  const ps = randomIdentifier('ps');
  used.pseudonyms.add(ps);
  return ps;
}
function pmhId(): string {
  const id = randomIdentifier('pmh');
  used.pmhIds.add(id);
  return id;
}

type Link = { pseudonym: string; pmhId: string };
type HubLink = { pmhPseudonym: string; pmhId: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A stand-in for the hub: `POST /hub/v1/portal-links` (see FakePeer) that, like the hub, binds each
 * PMH pseudonym to one PMH-ID (`linked` for a new or the same pair, `conflict` when either is bound
 * to another), and can be told to answer `conflict` for chosen PMH-IDs.
 */
class FakeHub extends FakePeer<HubLink> {
  /** PMH-IDs answered `conflict` whatever is bound. */
  readonly conflicting = new Set<string>();
  /** Links answered `linked`, in order. */
  readonly linked: HubLink[] = [];
  readonly byPmhPseudonym = new Map<string, string>();
  readonly byPmhId = new Map<string, string>();

  constructor() {
    super('/hub/v1/portal-links');
  }

  protected override answer(links: HubLink[]): unknown {
    const results = links.map((l) => {
      const boundId = this.byPmhPseudonym.get(l.pmhPseudonym);
      const boundPp = this.byPmhId.get(l.pmhId);
      const conflict = this.conflicting.has(l.pmhId) || (boundId !== undefined && boundId !== l.pmhId) || (boundPp !== undefined && boundPp !== l.pmhPseudonym);
      if (conflict) return { pmhPseudonym: l.pmhPseudonym, status: 'conflict' };
      this.byPmhPseudonym.set(l.pmhPseudonym, l.pmhId);
      this.byPmhId.set(l.pmhId, l.pmhPseudonym);
      this.linked.push(l);
      return { pmhPseudonym: l.pmhPseudonym, status: 'linked' };
    });
    return { results };
  }

  /** Every link sent (whatever the answer), as parsed pairs. */
  sent(): HubLink[] {
    return this.attempts.flatMap((a) => (JSON.parse(a) as { links: HubLink[] }).links);
  }

  linksOf(pmhId: string): HubLink[] {
    return this.linked.filter((l) => l.pmhId === pmhId);
  }

  linksOfPmhPseudonym(pp: string): HubLink[] {
    return this.linked.filter((l) => l.pmhPseudonym === pp);
  }

  /** Forgets a binding, as an operator resolving a conflict at the hub would. */
  unbind(pp: string): void {
    const id = this.byPmhPseudonym.get(pp);
    this.byPmhPseudonym.delete(pp);
    if (id) this.byPmhId.delete(id);
  }
}

interface Running {
  service: Service;
  url: string;
  logs: LogCapture;
  oqs: TokenClient;
  operator: TokenClient;
}

/** Starts the portal on a free port (publicUrl = its address: the token audience) with its callers. */
async function startPortal(database: FreshDatabase['options'], hubUrl: string): Promise<Running> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logs = new LogCapture();
  const [oqsKey, operatorKey] = await Promise.all([generateClientKey(), generateClientKey()]);
  const service = await buildPortal({
    database,
    keys: await generateServiceKeys(),
    ephemeralKeys: tempKeyStore(),
    publicUrl: url,
    logger: createLogger({ service: 'portal', destination: logs, level: 'info' }),
    clients: [
      { clientId: 'oqs', role: 'oqs', jwks: { keys: [oqsKey.publicJwk] } },
      { clientId: 'operator', role: 'admin', jwks: { keys: [operatorKey.publicJwk] } },
    ],
    peers: { hub: hubUrl },
    outbox: { pollMs: 20, baseBackoffMs: 50, maxBackoffMs: 200 },
  });
  await service.app.listen({ port, host: '127.0.0.1' });
  const client = (clientId: string, k: { privateJwk: any }) => new TokenClient({ baseUrl: url, clientId, privateJwk: k.privateJwk });
  return { service, url, logs, oqs: client('oqs', oqsKey), operator: client('operator', operatorKey) };
}

/** Which of the given identifiers appear in `text`. */
function found(text: string, set: Iterable<string>, re: RegExp): string[] {
  const known = new Set(set);
  return [...new Set(text.match(re) ?? [])].filter((m) => known.has(m));
}

// --- the suite, per backend ----------------------------------------------------------------

const backends: Array<{ name: string; adminUrl?: string }> = [
  { name: 'pglite' },
  ...(process.env.PMH_TEST_DATABASE_URL ? [{ name: 'postgres', adminUrl: process.env.PMH_TEST_DATABASE_URL }] : []),
];

for (const backend of backends) {
  describe(`portal (${backend.name})`, () => {
    let s: Running;
    let hub: FakeHub;
    let db: FreshDatabase | undefined;

    const link = (links: Link[]) => callEndpoint(s, s.oqs, portalApi.receivePmhLinks, { body: { links } });
    /** Sends what the contract's types refuse (a missing or extra field): raw, to see the service refuse it too. */
    const linkRaw = (links: unknown[]) => call(s, s.oqs, 'POST', LINKS, { links });
    async function linked(links: Link[]): Promise<void> {
      const res = await link(links);
      assert.equal(res.status, 200, res.text.slice(0, 500));
      assert.deepEqual(res.body, { accepted: links.length });
    }
    async function pipeline(): Promise<{ name: string; pending: number; retrying: number; dead: number; lastError: string | null }> {
      const res = await call(s, s.operator, 'GET', '/admin/v1/status');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.service, 'portal');
      const p = res.body.pipelines.find((x: { name: string }) => x.name === HUB_PORTAL_LINK);
      assert.ok(p, `status lists ${HUB_PORTAL_LINK}: ${res.text}`);
      return p;
    }
    async function outboxIdle(): Promise<void> {
      await waitFor('the hub pipeline to drain', async () => {
        const p = await pipeline();
        return p.pending === 0 && p.retrying === 0 && p.dead === 0;
      });
    }
    async function countOf(query: RawBuilder<{ n: string }>): Promise<number> {
      const { rows } = await query.execute(s.service.database.db);
      return Number(rows[0].n);
    }
    /** An account, with the PMH-ID it holds opened (it is stored only sealed, `pmh_id_sealed`). */
    async function account(ps: string): Promise<{ id: string; pmh_pseudonym: string | null; pmh_id: string | null; pmh_linked_at: string | null } | undefined> {
      const { rows } =
        await sql<any>`select id, pmh_pseudonym, pmh_id_sealed, pmh_linked_at::text as pmh_linked_at from accounts where pseudonym = ${ps}`.execute(
          s.service.database.db,
        );
      if (!rows[0]) return undefined;
      const { pmh_id_sealed, ...a } = rows[0];
      return { ...a, pmh_id: pmh_id_sealed === null ? null : s.service.base.shredding.open(pmh_id_sealed, HELD_PMH_ID.field, ps) };
    }
    /** Every row of every table of the portal's database, as text (tables listed by information_schema). */
    async function everyRow(): Promise<{ tables: string[]; text: string }> {
      const dbh = s.service.database.db;
      const { rows: tables } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(dbh);
      const parts: string[] = [];
      for (const { table_name } of tables) {
        const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(dbh);
        parts.push(...rows.map((r) => r.row));
      }
      return { tables: tables.map((t) => t.table_name), text: parts.join('\n') };
    }
    async function pmhIdsStored(ids: string[]): Promise<string[]> {
      return found((await everyRow()).text, ids, IDENTIFIER_PATTERNS.pmhId);
    }

    before(async () => {
      hub = new FakeHub();
      await hub.start();
      db = backend.adminUrl ? await freshDatabase('portal', portalMigrations, { adminUrl: backend.adminUrl }) : undefined;
      s = await startPortal(db?.options ?? { dataDir: 'memory://' }, hub.url);
    });

    after(async () => {
      await s?.service.close();
      await hub?.stop();
      await db?.drop();
    });

    it('documents its route, with its body, answers and security, in /openapi.json', async () => {
      const doc = await call(s, null, 'GET', '/openapi.json');
      assert.equal(doc.status, 200);
      const op = doc.body.paths[LINKS]?.post;
      assert.ok(op, `documents ${LINKS}`);
      // The bearer scheme, with the role the route admits (OpenAPI 3.1: role names for a non-OAuth scheme).
      assert.deepEqual(op.security, [{ bearer: ['oqs'] }]);
      assert.ok(op.requestBody?.content?.['application/json']?.schema, 'has a body schema');
      for (const code of ['200', '400', '401', '403']) assert.ok(op.responses[code], `documents ${code}`);
    });

    it('a link makes an account with a PMH pseudonym and sends exactly { pmhPseudonym, pmhId } to the hub; after the ack no table holds the PMH-ID', async () => {
      const ps = pseudonym();
      const id = pmhId();
      await linked([{ pseudonym: ps, pmhId: id }]);
      await waitFor('the link at the hub', () => hub.linksOf(id).length > 0);
      const acc = await account(ps);
      assert.ok(acc);
      assert.match(acc.pmh_pseudonym ?? '', PMH_PSEUDONYM);
      assert.match(acc.id, UUID);
      assert.deepEqual(hub.linksOf(id), [{ pmhPseudonym: acc.pmh_pseudonym, pmhId: id }]);
      const request = JSON.parse(hub.attempts.find((a) => a.includes(id))!);
      assert.deepEqual(request, { links: [{ pmhPseudonym: acc.pmh_pseudonym, pmhId: id }] }, 'exactly the pair, nothing else');
      assert.ok(
        hub.authorizations.every((a) => /^Bearer fake\./.test(a)),
        'the portal calls the hub with the token the hub issued',
      );
      await outboxIdle();
      const after = await account(ps);
      assert.equal(after?.pmh_id, null);
      assert.ok(after?.pmh_linked_at, 'the link time is noted');
      assert.equal(after?.pmh_pseudonym, acc.pmh_pseudonym);
      const { tables, text } = await everyRow();
      for (const t of ['accounts', 'outbox', 'audit_log']) assert.ok(tables.includes(t), `searched ${t} (of ${tables.join(', ')})`);
      assert.ok(text.includes(acc.pmh_pseudonym!), 'the search sees the account');
      assert.deepEqual(found(text, [id], IDENTIFIER_PATTERNS.pmhId), [], 'no row of any table holds the PMH-ID');
      await sleep(100);
      assert.equal(hub.linksOf(id).length, 1, 'sent once');
    });

    it('holds the PMH-ID while the hub is down (status shows it retrying, with the last error), and forgets it once the hub acknowledges', async () => {
      const ps = pseudonym();
      const id = pmhId();
      hub.mode = 'down';
      try {
        const attemptsBefore = hub.attempts.length;
        await linked([{ pseudonym: ps, pmhId: id }]);
        const status = await waitFor('the link to be retrying', async () => {
          const q = await pipeline();
          return q.retrying >= 1 && hub.attempts.length >= attemptsBefore + 2 ? q : undefined;
        });
        assert.match(status.lastError ?? '', /503/);
        assert.deepEqual(found(status.lastError ?? '', used.pmhIds, IDENTIFIER_PATTERNS.pmhId), []);
        assert.equal(hub.linksOf(id).length, 0);
        const acc = await account(ps);
        assert.equal(acc?.pmh_id, id, 'the account holds the PMH-ID until the ack: nothing is lost');
        assert.deepEqual(await pmhIdsStored([id]), [], 'held only sealed (the account and the message): no table holds it in clear');
        assert.equal(acc?.pmh_linked_at, null);
        assert.equal(
          await countOf(sql<{ n: string }>`select count(*) as n from outbox where kind = ${HUB_PORTAL_LINK} and dedupe_key = ${acc?.pmh_pseudonym}`),
          1,
        );
        hub.mode = 'ok';
        await waitFor('the link delivered after the hub recovered', () => hub.linksOf(id).length > 0);
        assert.deepEqual(hub.linksOf(id), [{ pmhPseudonym: acc?.pmh_pseudonym, pmhId: id }]);
      } finally {
        hub.mode = 'ok';
      }
      await outboxIdle();
      assert.equal((await pipeline()).lastError, null);
      assert.equal((await account(ps))?.pmh_id, null);
      assert.deepEqual(await pmhIdsStored([id]), [], 'the PMH-ID is gone from every table');
    });

    it('a link delivered again (and twice in one batch) keeps the account and its PMH pseudonym, and is acknowledged again by the hub', async () => {
      const ps = pseudonym();
      const id = pmhId();
      await linked([
        { pseudonym: ps, pmhId: id },
        { pseudonym: ps, pmhId: id },
      ]);
      await waitFor('the link at the hub', () => hub.linksOf(id).length === 1);
      await outboxIdle();
      const first = await account(ps);
      assert.match(first?.pmh_pseudonym ?? '', PMH_PSEUDONYM);
      // Re-delivery by OQS (its outbox delivers at least once, e.g. after a crash before its ack).
      await linked([{ pseudonym: ps, pmhId: id }]);
      await waitFor('the same pair at the hub again', () => hub.linksOf(id).length === 2);
      await outboxIdle();
      assert.deepEqual(hub.linksOf(id), [
        { pmhPseudonym: first?.pmh_pseudonym, pmhId: id },
        { pmhPseudonym: first?.pmh_pseudonym, pmhId: id },
      ]);
      const again = await account(ps);
      assert.deepEqual(again, first, 'the same account, PMH pseudonym and link time; no PMH-ID kept');
      assert.equal(await countOf(sql<{ n: string }>`select count(*) as n from accounts where pseudonym = ${ps}`), 1);
      assert.deepEqual(await pmhIdsStored([id]), []);
    });

    it('two accounts get different PMH pseudonyms, and concurrent links for the same people make one each', async () => {
      const people = Array.from({ length: 30 }, () => ({ pseudonym: pseudonym(), pmhId: pmhId() }));
      const answers = await Promise.all([link(people), link([...people].reverse()), link(people.slice(0, 15)), link(people.slice(10))]);
      for (const a of answers) assert.equal(a.status, 200, a.text.slice(0, 300));
      const { rows } = await sql<{ pseudonym: string; pmh_pseudonym: string }>`
        select pseudonym, pmh_pseudonym from accounts where pseudonym = any(${people.map((p) => p.pseudonym)}::text[])`.execute(s.service.database.db);
      assert.equal(rows.length, people.length, 'one account per pseudonym');
      assert.equal(new Set(rows.map((r) => r.pmh_pseudonym)).size, people.length, 'distinct PMH pseudonyms');
      for (const r of rows) assert.match(r.pmh_pseudonym, PMH_PSEUDONYM);
      await waitFor('every link at the hub', () => people.every((p) => hub.linksOf(p.pmhId).length > 0));
      await outboxIdle();
      const pp = new Map(rows.map((r) => [r.pseudonym, r.pmh_pseudonym]));
      for (const p of people) {
        const sent = hub.linksOf(p.pmhId);
        assert.ok(
          sent.every((l) => l.pmhPseudonym === pp.get(p.pseudonym)),
          "only ever the account's one PMH pseudonym",
        );
      }
      assert.deepEqual(await pmhIdsStored(people.map((p) => p.pmhId)), []);
    });

    it('a conflict at the hub parks the link for an operator (the PMH-ID is kept), and /admin/v1/retry re-drives it', async () => {
      const [ok, bad] = [
        { pseudonym: pseudonym(), pmhId: pmhId() },
        { pseudonym: pseudonym(), pmhId: pmhId() },
      ];
      hub.conflicting.add(bad.pmhId);
      try {
        await linked([ok, bad]);
        const status = await waitFor('the conflicting link to be parked', async () => {
          const q = await pipeline();
          return q.dead >= 1 ? q : undefined;
        });
        assert.equal(status.lastError, CONFLICT_ERROR);
        assert.equal(hub.linksOf(ok.pmhId).length, 1, 'the other link of the batch is delivered');
        assert.equal((await account(ok.pseudonym))?.pmh_id, null);
        assert.equal((await account(bad.pseudonym))?.pmh_id, bad.pmhId, 'the PMH-ID of a parked link is kept');
        const attempts = hub.attempts.length;
        await sleep(200);
        assert.equal(hub.attempts.length, attempts, 'a parked link is not retried by itself');
        hub.conflicting.delete(bad.pmhId);
        assertProblem(await call(s, s.operator, 'POST', '/admin/v1/retry?pipeline=no-such-pipeline'), 404);
        const retry = await call(s, s.operator, 'POST', `/admin/v1/retry?pipeline=${HUB_PORTAL_LINK}`);
        assert.equal(retry.status, 200, retry.text);
        assert.deepEqual(retry.body, { service: 'portal', redriven: 1 });
        await waitFor('the re-driven link at the hub', () => hub.linksOf(bad.pmhId).length > 0);
        const acc = await account(bad.pseudonym);
        assert.deepEqual(hub.linksOf(bad.pmhId), [{ pmhPseudonym: acc?.pmh_pseudonym, pmhId: bad.pmhId }]);
      } finally {
        hub.conflicting.delete(bad.pmhId);
      }
      await outboxIdle();
      assert.deepEqual(await pmhIdsStored([ok.pmhId, bad.pmhId]), []);
    });

    it('parks a batch the hub refuses (4xx) with its status and title only, until an operator re-drives it', async () => {
      const l = { pseudonym: pseudonym(), pmhId: pmhId() };
      hub.mode = 'refuse';
      try {
        await linked([l]);
        const status = await waitFor('the link to be parked', async () => {
          const q = await pipeline();
          return q.dead >= 1 ? q : undefined;
        });
        assert.equal(status.lastError, 'hub refused the batch (400 Bad Request)');
        assert.equal((await account(l.pseudonym))?.pmh_id, l.pmhId);
        hub.mode = 'ok';
        const retry = await call(s, s.operator, 'POST', '/admin/v1/retry');
        assert.equal(retry.status, 200, retry.text);
        await waitFor('the re-driven link at the hub', () => hub.linksOf(l.pmhId).length > 0);
      } finally {
        hub.mode = 'ok';
      }
      await outboxIdle();
      assert.deepEqual(await pmhIdsStored([l.pmhId]), []);
    });

    it('a PMH-ID changed while the link waits is sent as the latest; one changed after the link is parked as a conflict', async () => {
      const ps = pseudonym();
      const [first, second, third] = [pmhId(), pmhId(), pmhId()];
      hub.mode = 'down';
      try {
        await linked([{ pseudonym: ps, pmhId: first }]);
        await waitFor('the link to be retrying', async () => (await pipeline()).retrying >= 1);
        await linked([{ pseudonym: ps, pmhId: second }]);
        assert.equal((await account(ps))?.pmh_id, second);
        hub.mode = 'ok';
        await waitFor('the latest link at the hub', () => hub.linksOf(second).length > 0);
      } finally {
        hub.mode = 'ok';
      }
      await outboxIdle();
      const acc = await account(ps);
      assert.deepEqual(
        hub.linksOfPmhPseudonym(acc!.pmh_pseudonym!),
        [{ pmhPseudonym: acc!.pmh_pseudonym, pmhId: second }],
        'the superseded PMH-ID was never linked',
      );
      assert.equal(acc?.pmh_id, null);
      // The hub holds (PMH pseudonym, second): another PMH-ID for the same account is its conflict.
      await linked([{ pseudonym: ps, pmhId: third }]);
      const status = await waitFor('the changed link to be parked', async () => {
        const q = await pipeline();
        return q.dead >= 1 ? q : undefined;
      });
      assert.equal(status.lastError, CONFLICT_ERROR);
      const parked = await account(ps);
      assert.equal(parked?.pmh_pseudonym, acc?.pmh_pseudonym, 'no second PMH pseudonym for one account');
      assert.equal(parked?.pmh_id, third, 'kept for the operator');
      // The operator resolves it at the hub and re-drives.
      hub.unbind(acc!.pmh_pseudonym!);
      assert.equal((await call(s, s.operator, 'POST', `/admin/v1/retry?pipeline=${HUB_PORTAL_LINK}`)).status, 200);
      await waitFor('the changed link at the hub', () => hub.linksOf(third).length > 0);
      await outboxIdle();
      assert.deepEqual(await pmhIdsStored([first, second, third]), []);
    });

    it('a PMH-ID that arrives while the previous one is on its way to the hub is not left behind on the account', async () => {
      const ps = pseudonym();
      const [first, second] = [pmhId(), pmhId()];
      hub.mode = 'hold';
      try {
        const attempts = hub.attempts.length;
        await linked([{ pseudonym: ps, pmhId: first }]);
        await waitFor('the first link in flight', () => hub.attempts.length > attempts);
        await linked([{ pseudonym: ps, pmhId: second }]);
        assert.equal((await account(ps))?.pmh_id, second);
      } finally {
        hub.release();
      }
      await waitFor('the first link at the hub', () => hub.linksOf(first).length > 0);
      // The hub holds (PMH pseudonym, first): the second PMH-ID is sent after it, and is its conflict.
      const status = await waitFor('the later link to be parked', async () => {
        const q = await pipeline();
        return q.dead >= 1 ? q : undefined;
      });
      assert.equal(status.lastError, CONFLICT_ERROR);
      const acc = await account(ps);
      assert.equal(acc?.pmh_id, second, 'kept for the operator');
      assert.ok(acc?.pmh_linked_at);
      assert.deepEqual(await pmhIdsStored([first]), [], 'the acknowledged PMH-ID is gone');
      hub.unbind(acc!.pmh_pseudonym!);
      assert.equal((await call(s, s.operator, 'POST', `/admin/v1/retry?pipeline=${HUB_PORTAL_LINK}`)).status, 200);
      await waitFor('the later link at the hub', () => hub.linksOf(second).length > 0);
      await outboxIdle();
      assert.deepEqual(
        hub.linksOfPmhPseudonym(acc!.pmh_pseudonym!).map((l) => l.pmhId),
        [first, second],
      );
      assert.deepEqual(await pmhIdsStored([first, second]), []);
    });

    it('admits only OQS to link and only an operator to the status: 401 without a token, 403 for another role', async () => {
      const l = { pseudonym: pseudonym(), pmhId: pmhId() };
      assertProblem(await callEndpoint(s, null, portalApi.receivePmhLinks, { body: { links: [l] } }), 401);
      assertProblem(await callEndpoint(s, s.operator, portalApi.receivePmhLinks, { body: { links: [l] } }), 403);
      assertProblem(await call(s, null, 'GET', '/admin/v1/status'), 401);
      assertProblem(await call(s, s.oqs, 'GET', '/admin/v1/status'), 403);
      assertProblem(await call(s, s.oqs, 'POST', '/admin/v1/retry'), 403);
      assert.equal(await countOf(sql<{ n: string }>`select count(*) as n from accounts where pseudonym = ${l.pseudonym}`), 0, 'nothing stored');
    });

    it('refuses malformed bodies with 400 problem+json naming the field, without echoing the value, storing nothing', async () => {
      const ps = pseudonym();
      const badPs = 'ps' + 'A'.repeat(26);
      const bad = await link([{ pseudonym: badPs, pmhId: pmhId() }]);
      assertNames(bad, '/links/0/pseudonym');
      assert.equal(bad.text.includes(badPs), false, 'the answer quotes the value');
      assertNames(await linkRaw([{ pseudonym: ps }]), '/links/0/pmhId');
      assertNames(await linkRaw([{ pmhId: pmhId() }]), '/links/0/pseudonym');
      assertNames(await link([{ pseudonym: ps, pmhId: 'pmh' + 'A'.repeat(26) }]), '/links/0/pmhId');
      assertNames(await link([{ pseudonym: 'pp' + ps.slice(2), pmhId: pmhId() }]), '/links/0/pseudonym');
      assertNames(
        await linkRaw([
          { pseudonym: ps, pmhId: pmhId() },
          { pseudonym: ps, pmhId: pmhId(), pmhPseudonym: randomIdentifier('pp') },
        ]),
        '/links/1/pmhPseudonym',
      );
      assertProblem(await link([]), 400);
      assertNames(await call(s, s.oqs, 'POST', LINKS, {}), '/links');
      assertNames(await call(s, s.oqs, 'POST', LINKS, { links: [{ pseudonym: ps, pmhId: pmhId() }], extra: 1 }), '/extra');
      const tooMany = Array.from({ length: 1001 }, () => ({ pseudonym: pseudonym(), pmhId: pmhId() }));
      assertNames(await link(tooMany), '/links');
      const malformedJson = await fetch(s.url + LINKS, {
        method: 'POST',
        headers: { authorization: await s.oqs.authorization(), 'content-type': 'application/json' },
        body: '{"links": [',
      });
      assert.equal(malformedJson.status, 400);
      assert.match(malformedJson.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const all = [ps, ...tooMany.map((l) => l.pseudonym)];
      assert.equal(
        await countOf(sql<{ n: string }>`select count(*) as n from accounts where pseudonym = any(${all}::text[])`),
        0,
        'nothing of a refused body is stored',
      );
    });

    it('takes 1,000 links in one call and passes them on in batches of at most 1,000; none of their PMH-IDs stays', async () => {
      const links = Array.from({ length: 1000 }, () => ({ pseudonym: pseudonym(), pmhId: pmhId() }));
      const attemptsBefore = hub.attempts.length;
      await linked(links);
      await waitFor('1,000 links at the hub', () => links.every((l) => hub.linksOf(l.pmhId).length === 1), 30_000);
      const requests = hub.attempts.slice(attemptsBefore);
      assert.ok(requests.length <= 3, `${requests.length} requests for 1,000 links`);
      for (const r of hub.attempts) assert.ok(JSON.parse(r).links.length <= 1000);
      await outboxIdle();
      assert.equal(
        await countOf(
          sql<{
            n: string;
          }>`select count(*) as n from accounts where pseudonym = any(${links.map((l) => l.pseudonym)}::text[]) and pmh_id_sealed is null and pmh_linked_at is not null`,
        ),
        1000,
      );
    });

    it('after every acknowledgement, no table of the portal holds any PMH-ID', async () => {
      await outboxIdle();
      const { text } = await everyRow();
      const acknowledged = hub.linked.map((l) => l.pmhId);
      assert.ok(acknowledged.length > 1000);
      assert.deepEqual(found(text, acknowledged, IDENTIFIER_PATTERNS.pmhId), []);
      assert.deepEqual(found(text, used.pmhIds, IDENTIFIER_PATTERNS.pmhId), [], 'nor any PMH-ID this file sent');
      assert.equal(await countOf(sql<{ n: string }>`select count(*) as n from accounts where pmh_id_sealed is not null`), 0);
    });

    it('audits every link received and acknowledged by the account reference, never by an identifier', async () => {
      const dbh = s.service.database.db;
      const { rows } = await sql<{ actor: string; action: string; subject_ref: string | null; outcome: string; purpose: string }>`
        select actor, action, subject_ref, outcome, purpose from audit_log where action in ('pmh-link.receive', 'pmh-link.acknowledged')`.execute(dbh);
      const received = rows.filter((r) => r.action === 'pmh-link.receive');
      const acknowledged = rows.filter((r) => r.action === 'pmh-link.acknowledged');
      assert.ok(received.length >= 1000 && acknowledged.length >= 1000);
      for (const r of received) assert.equal(r.actor, 'oqs');
      for (const r of acknowledged) assert.equal(r.actor, 'portal');
      assert.deepEqual(new Set(received.map((r) => r.outcome)), new Set(['ok', 'superseded']));
      const { rows: accounts } = await sql<{ id: string }>`select id from accounts`.execute(dbh);
      const ids = new Set(accounts.map((a) => a.id));
      for (const r of rows) assert.ok(r.subject_ref && ids.has(r.subject_ref), 'subjectRef names an account');
      const { rows: all } = await sql<{ row: string }>`select t::text as row from audit_log t`.execute(dbh);
      const text = all.map((r) => r.row).join('\n');
      assert.deepEqual(found(text, used.pmhIds, IDENTIFIER_PATTERNS.pmhId), []);
      assert.deepEqual(found(text, used.pseudonyms, IDENTIFIER_PATTERNS.pseudonym), []);
      assert.deepEqual(
        found(
          text,
          hub.linked.map((l) => l.pmhPseudonym),
          IDENTIFIER_PATTERNS.pmhPseudonym,
        ),
        [],
      );
      const verified = await verifyAudit(dbh);
      assert.equal(verified.ok, true, JSON.stringify(verified.problems.slice(0, 3)));
    });

    it('sends the hub PMH pseudonyms and PMH-IDs only: never a 仮名識別子', async () => {
      assert.ok(hub.attempts.length > 0);
      for (const body of hub.attempts) {
        const parsed = JSON.parse(body);
        assert.deepEqual(Object.keys(parsed), ['links']);
        for (const l of parsed.links) {
          assert.deepEqual(Object.keys(l).sort(), ['pmhId', 'pmhPseudonym']);
          assert.match(l.pmhPseudonym, PMH_PSEUDONYM);
          assert.ok(used.pmhIds.has(l.pmhId));
        }
      }
      const text = hub.attempts.join('\n');
      assert.ok(found(text, used.pmhIds, IDENTIFIER_PATTERNS.pmhId).length > 1000, 'the check sees what was sent');
      assert.deepEqual(found(text, used.pseudonyms, IDENTIFIER_PATTERNS.pseudonym), []);
      assert.equal(
        /ps[a-z2-7]{26}/.test(text.replace(/"pmhPseudonym":"pp[a-z2-7]{26}"/g, '').replace(/pmh[a-z2-7]{26}/g, '')),
        false,
        'nothing shaped like a 仮名識別子',
      );
      const pps = new Set(hub.sent().map((l) => l.pmhPseudonym));
      assert.ok([...pps].every((pp) => !used.pseudonyms.has(pp)));
    });

    it('logs no identifier (pseudonym, PMH pseudonym, PMH-ID), and no request ended in a server error', async () => {
      assert.ok(s.logs.lines.length > 20, 'the log capture saw requests');
      const text = s.logs.text();
      assert.deepEqual(found(text, used.pseudonyms, IDENTIFIER_PATTERNS.pseudonym), []);
      assert.deepEqual(found(text, used.pmhIds, IDENTIFIER_PATTERNS.pmhId), []);
      assert.deepEqual(
        found(
          text,
          hub.sent().map((l) => l.pmhPseudonym),
          IDENTIFIER_PATTERNS.pmhPseudonym,
        ),
        [],
      );
      assert.deepEqual(
        s.logs.lines.filter((l) => /"statusCode":5\d\d/.test(l)),
        [],
      );
    });
  });
}
