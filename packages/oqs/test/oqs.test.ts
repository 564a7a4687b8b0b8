/**
 * OQS through HTTP, against the real service (PGlite, and PostgreSQL when PMH_TEST_DATABASE_URL is
 * set), with a small fake portal that records what reaches it and can be told to be down.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { FakePeer, World, backends, waitFor, type Backend, type Caller } from '../../testkit/src/index.ts';
import { call, callEndpoint, assertProblem, assertNames, type Credential } from '../../testkit/src/http.ts';
import { sql, type RawBuilder } from 'kysely';
import type { Service } from '@pmh/core/service';
import { generateSigningKey, randomIdentifier, randomLinkageNumber } from '@pmh/core/crypto/index';
import type { LogCapture } from '@pmh/core/http/logging';
import { verifyAudit } from '@pmh/core/audit/index';
import { IDENTIFIER_PATTERNS, oqsApi, type InsuredImport } from '@pmh/protocol';
import { PORTAL_PMH_LINK } from '../src/index.ts';

const INSURED = oqsApi.importInsured.path;
const LINKS = oqsApi.receivePmhLinks.path;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// --- helpers -------------------------------------------------------------------------------

/** Every identifier this file made: none may leak where it does not belong. */
const used = { linkageNumbers: new Set<string>(), pseudonyms: new Set<string>(), pmhIds: new Set<string>(), cardSerials: new Set<string>() };

function linkageNumber(): string {
  const ln = randomLinkageNumber();
  used.linkageNumbers.add(ln);
  return ln;
}
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
function cardSerial(): string {
  const s = crypto.randomBytes(8).toString('hex').toUpperCase();
  used.cardSerials.add(s);
  return s;
}

type CardJwk = InsuredImport['entries'][number]['cards'][number]['publicJwk'];
interface Card {
  cardSerial: string;
  publicJwk: CardJwk;
}
interface Entry {
  linkageNumber: string;
  pseudonym: string;
  cards: Card[];
}

/** A few card key pairs, reused (generating one per person would only slow the suite). */
let cardKeys: CardJwk[] = [];
const cardKey = () => cardKeys[crypto.randomInt(cardKeys.length)];

function card(publicJwk = cardKey()): Card {
  return { cardSerial: cardSerial(), publicJwk };
}

/** An insured person as the insurer's enrolment names them: linkage number, pseudonym, one card. */
function person(cards = 1): Entry {
  return { linkageNumber: linkageNumber(), pseudonym: pseudonym(), cards: Array.from({ length: cards }, () => card()) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A stand-in for the portal: `POST /portal/v1/pmh-links`, recording every attempt (see FakePeer). */
class FakePortal extends FakePeer<{ pseudonym: string; pmhId: string }> {
  constructor() {
    super('/portal/v1/pmh-links');
  }

  deliveriesOf(ps: string) {
    return this.delivered.filter((l) => l.pseudonym === ps);
  }
}

interface Running {
  world: World;
  service: Service;
  url: string;
  logs: LogCapture;
  idserver: Credential;
  operator: Credential;
}

/** OQS alone in a test world (a fresh database from the migrated template), its peer the portal stood in for at `portalUrl`. */
async function startOqs(backend: Backend, portalUrl: string): Promise<Running> {
  const world = await World.start({
    backend,
    services: ['oqs'],
    standIns: { portal: portalUrl },
    outbox: { pollMs: 20, baseBackoffMs: 50, maxBackoffMs: 200 },
  });
  const as = (caller: Caller): Credential => ({ authorization: () => world.authorization(caller, 'oqs') });
  return {
    world,
    service: world.service('oqs'),
    url: world.url('oqs'),
    logs: world.logs,
    idserver: as(world.peerCaller('idserver')),
    operator: as(world.operator),
  };
}

/** Which of this file's identifiers of each kind appear in `text`. */
function identifiersIn(text: string): Record<keyof typeof used, string[]> {
  const found = (set: Set<string>, re: RegExp) => [...new Set(text.match(re) ?? [])].filter((m) => set.has(m));
  return {
    linkageNumbers: found(used.linkageNumbers, IDENTIFIER_PATTERNS.linkageNumber),
    pseudonyms: found(used.pseudonyms, IDENTIFIER_PATTERNS.pseudonym),
    pmhIds: found(used.pmhIds, IDENTIFIER_PATTERNS.pmhId),
    cardSerials: found(used.cardSerials, /[0-9A-F]{16}/g),
  };
}

// --- the suite, per backend ----------------------------------------------------------------

before(async () => {
  cardKeys = await Promise.all(Array.from({ length: 8 }, async () => (await generateSigningKey()).publicJwk as CardJwk));
});

for (const backend of backends()) {
  describe(`oqs (${backend})`, () => {
    let s: Running;
    let portal: FakePortal;

    const importInsured = (entries: Entry[]) => callEndpoint(s, s.operator, oqsApi.importInsured, { body: { entries } });
    const link = (links: Array<{ linkageNumber: string; pmhId: string }>) => callEndpoint(s, s.idserver, oqsApi.receivePmhLinks, { body: { links } });
    /** Sends what the contract's types refuse (a missing field, another key type): raw, to see the service refuse it too. */
    const importRaw = (entries: unknown[]) => call(s, s.operator, 'POST', INSURED, { entries });

    async function imported(entries: Entry[]) {
      const res = await importInsured(entries);
      assert.equal(res.status, 200, res.text.slice(0, 500));
      return res.body;
    }
    async function linked(links: Array<{ linkageNumber: string; pmhId: string }>): Promise<void> {
      const res = await link(links);
      assert.equal(res.status, 200, res.text.slice(0, 500));
      assert.deepEqual(res.body, { accepted: links.length });
    }
    async function pipeline(): Promise<{ name: string; pending: number; retrying: number; dead: number; lastError: string | null }> {
      const res = await call(s, s.operator, 'GET', '/admin/v1/status');
      assert.equal(res.status, 200, res.text);
      const p = res.body.pipelines.find((x: { name: string }) => x.name === PORTAL_PMH_LINK);
      assert.ok(p, `status lists ${PORTAL_PMH_LINK}: ${res.text}`);
      return p;
    }
    async function outboxIdle(): Promise<void> {
      await waitFor('the portal pipeline to drain', async () => {
        const p = await pipeline();
        return p.pending === 0 && p.retrying === 0 && p.dead === 0;
      });
    }
    async function countOf(query: RawBuilder<{ n: string }>): Promise<number> {
      const { rows } = await query.execute(s.service.database.db);
      return Number(rows[0].n);
    }

    before(async () => {
      portal = new FakePortal();
      await portal.start();
      s = await startOqs(backend, portal.url);
    });

    after(async () => {
      await s?.world.stop();
      await portal?.stop();
    });

    it('documents its routes, with their bodies, answers and security, in /openapi.json', async () => {
      const doc = await call(s, null, 'GET', '/openapi.json');
      assert.equal(doc.status, 200);
      for (const [p, role] of [
        [INSURED, 'admin'],
        [LINKS, 'idserver'],
      ] as const) {
        const op = doc.body.paths[p]?.post;
        assert.ok(op, `documents ${p}`);
        // The bearer scheme, with the role the route admits (OpenAPI 3.1: role names for a non-OAuth scheme).
        assert.deepEqual(op.security, [{ bearer: [role] }]);
        assert.ok(op.requestBody?.content?.['application/json']?.schema, `${p} has a body schema`);
        for (const code of ['200', '400', '401', '403']) assert.ok(op.responses[code], `${p} documents ${code}`);
      }
      const text = JSON.stringify(doc.body.paths[INSURED]);
      assert.ok(text.includes('conflicts') && text.includes('pseudonym-taken') && text.includes('linksQueued'));
    });

    it('import, then link: exactly one { pseudonym, pmhId } reaches the portal', async () => {
      const p = person();
      assert.deepEqual(await imported([p]), { accepted: 1, linksQueued: 0, conflicts: [] });
      await sleep(100);
      assert.equal(portal.deliveriesOf(p.pseudonym).length, 0, 'nothing to tell the portal before a PMH-ID');
      const id = pmhId();
      await linked([{ linkageNumber: p.linkageNumber, pmhId: id }]);
      await waitFor('the link at the portal', () => portal.deliveriesOf(p.pseudonym).length > 0);
      assert.deepEqual(portal.deliveriesOf(p.pseudonym), [{ pseudonym: p.pseudonym, pmhId: id }]);
      assert.ok(
        portal.authorizations.every((a) => /^Bearer fake\./.test(a)),
        'OQS calls the portal with the token the portal issued',
      );
      await outboxIdle();
      await sleep(100);
      assert.equal(portal.deliveriesOf(p.pseudonym).length, 1, 'exactly one');
    });

    it('link, then import: the linkage number is kept without a pseudonym, and the link follows the import', async () => {
      const p = person();
      const id = pmhId();
      await linked([{ linkageNumber: p.linkageNumber, pmhId: id }]);
      const { rows } = await sql<{
        pseudonym: string | null;
        pmh_id: string;
      }>`select pseudonym, pmh_id from insured where linkage_number = ${p.linkageNumber}`.execute(s.service.database.db);
      assert.deepEqual(rows, [{ pseudonym: null, pmh_id: id }]);
      await sleep(100);
      assert.equal(portal.deliveriesOf(p.pseudonym).length, 0);
      assert.deepEqual(await imported([p]), { accepted: 1, linksQueued: 1, conflicts: [] });
      await waitFor('the link at the portal', () => portal.deliveriesOf(p.pseudonym).length > 0);
      assert.deepEqual(portal.deliveriesOf(p.pseudonym), [{ pseudonym: p.pseudonym, pmhId: id }]);
      // The same enrolment again: nothing new, nothing queued.
      assert.deepEqual(await imported([p]), { accepted: 1, linksQueued: 0, conflicts: [] });
      await outboxIdle();
      await sleep(100);
      assert.equal(portal.deliveriesOf(p.pseudonym).length, 1);
    });

    it('a link delivered twice (and twice in one batch) changes nothing and is passed on once', async () => {
      const [a, b] = [person(), person()];
      await imported([a, b]);
      const [ia, ib] = [pmhId(), pmhId()];
      await linked([
        { linkageNumber: a.linkageNumber, pmhId: ia },
        { linkageNumber: a.linkageNumber, pmhId: ia },
        { linkageNumber: b.linkageNumber, pmhId: ib },
      ]);
      await waitFor('both links at the portal', () => portal.deliveriesOf(a.pseudonym).length > 0 && portal.deliveriesOf(b.pseudonym).length > 0);
      await outboxIdle();
      const stamps = sql<{
        t: string;
      }>`select pmh_linked_at::text || ' ' || updated_at::text as t from insured where linkage_number = any(${[a.linkageNumber, b.linkageNumber]}::text[]) order by linkage_number`;
      const { rows: stamp } = await stamps.execute(s.service.database.db);
      // Re-delivery by the ID server (its outbox delivers at least once).
      await linked([
        { linkageNumber: a.linkageNumber, pmhId: ia },
        { linkageNumber: b.linkageNumber, pmhId: ib },
      ]);
      await linked([{ linkageNumber: a.linkageNumber, pmhId: ia }]);
      assert.equal(
        await countOf(sql<{ n: string }>`select count(*) as n from outbox where dedupe_key = any(${[a.pseudonym, b.pseudonym]}::text[])`),
        0,
        'nothing queued',
      );
      const { rows: stampAfter } = await stamps.execute(s.service.database.db);
      assert.deepEqual(stampAfter, stamp, 'the stored links are untouched');
      await sleep(150);
      assert.deepEqual(portal.deliveriesOf(a.pseudonym), [{ pseudonym: a.pseudonym, pmhId: ia }]);
      assert.deepEqual(portal.deliveriesOf(b.pseudonym), [{ pseudonym: b.pseudonym, pmhId: ib }]);
    });

    it('a changed PMH-ID is passed on, and a linkage number named twice in a batch takes its last PMH-ID', async () => {
      const p = person();
      await imported([p]);
      const [first, second, third] = [pmhId(), pmhId(), pmhId()];
      await linked([{ linkageNumber: p.linkageNumber, pmhId: first }]);
      await waitFor('the first link', () => portal.deliveriesOf(p.pseudonym).length === 1);
      await linked([
        { linkageNumber: p.linkageNumber, pmhId: second },
        { linkageNumber: p.linkageNumber, pmhId: third },
      ]);
      await waitFor('the changed link', () => portal.deliveriesOf(p.pseudonym).length === 2);
      assert.deepEqual(portal.deliveriesOf(p.pseudonym), [
        { pseudonym: p.pseudonym, pmhId: first },
        { pseudonym: p.pseudonym, pmhId: third },
      ]);
      await outboxIdle();
    });

    it('retries while the portal is down (status shows it retrying, with the last error) and delivers once it answers', async () => {
      const p = person();
      await imported([p]);
      const id = pmhId();
      portal.mode = 'down';
      try {
        const attemptsBefore = portal.attempts.length;
        await linked([{ linkageNumber: p.linkageNumber, pmhId: id }]);
        const status = await waitFor('the link to be retrying', async () => {
          const q = await pipeline();
          return q.retrying >= 1 && portal.attempts.length >= attemptsBefore + 2 ? q : undefined;
        });
        assert.match(status.lastError ?? '', /503/);
        assert.deepEqual(identifiersIn(status.lastError ?? ''), { linkageNumbers: [], pseudonyms: [], pmhIds: [], cardSerials: [] });
        assert.equal(portal.deliveriesOf(p.pseudonym).length, 0);
        portal.mode = 'ok';
        await waitFor('the link delivered after the portal recovered', () => portal.deliveriesOf(p.pseudonym).length > 0);
        assert.deepEqual(portal.deliveriesOf(p.pseudonym), [{ pseudonym: p.pseudonym, pmhId: id }]);
      } finally {
        portal.mode = 'ok';
      }
      await outboxIdle();
      await sleep(150);
      assert.equal(portal.deliveriesOf(p.pseudonym).length, 1, 'delivered once');
      assert.equal((await pipeline()).lastError, null);
    });

    it('parks a batch the portal refuses (4xx) with its status and title only, until an operator re-drives it', async () => {
      const p = person();
      await imported([p]);
      const id = pmhId();
      portal.mode = 'refuse';
      try {
        await linked([{ linkageNumber: p.linkageNumber, pmhId: id }]);
        const status = await waitFor('the link to be parked', async () => {
          const q = await pipeline();
          return q.dead >= 1 ? q : undefined;
        });
        assert.equal(status.lastError, 'portal refused the batch (400 Bad Request)');
        const attempts = portal.attempts.length;
        await sleep(200);
        assert.equal(portal.attempts.length, attempts, 'a refused batch is not retried by itself');
        portal.mode = 'ok';
        assertProblem(await call(s, s.operator, 'POST', '/admin/v1/retry?pipeline=no-such-pipeline'), 404);
        const retry = await call(s, s.operator, 'POST', `/admin/v1/retry?pipeline=${PORTAL_PMH_LINK}`);
        assert.equal(retry.status, 200, retry.text);
        assert.equal(retry.body.service, 'oqs');
        assert.ok(retry.body.redriven >= 1);
        await waitFor('the re-driven link at the portal', () => portal.deliveriesOf(p.pseudonym).length > 0);
        assert.deepEqual(portal.deliveriesOf(p.pseudonym), [{ pseudonym: p.pseudonym, pmhId: id }]);
      } finally {
        portal.mode = 'ok';
      }
      await outboxIdle();
    });

    it('admits only the ID server to link and only an operator to import: 401 without a token, 403 for another role', async () => {
      const p = person();
      const links = { links: [{ linkageNumber: p.linkageNumber, pmhId: pmhId() }] };
      assertProblem(await callEndpoint(s, null, oqsApi.receivePmhLinks, { body: links }), 401);
      assertProblem(await callEndpoint(s, s.operator, oqsApi.receivePmhLinks, { body: links }), 403);
      assertProblem(await callEndpoint(s, null, oqsApi.importInsured, { body: { entries: [p] } }), 401);
      assertProblem(await callEndpoint(s, s.idserver, oqsApi.importInsured, { body: { entries: [p] } }), 403);
      assertProblem(await call(s, s.idserver, 'GET', '/admin/v1/status'), 403);
      assertProblem(await call(s, s.idserver, 'POST', '/admin/v1/retry'), 403);
      assert.equal(await countOf(sql<{ n: string }>`select count(*) as n from insured where linkage_number = ${p.linkageNumber}`), 0, 'nothing stored');
    });

    it('refuses malformed bodies with 400 problem+json naming the field, without echoing the value', async () => {
      const p = person();
      const badLn = 'LN' + 'a'.repeat(16);
      const bad = await link([{ linkageNumber: badLn, pmhId: pmhId() }]);
      assertNames(bad, '/links/0/linkageNumber');
      assert.equal(bad.text.includes(badLn), false, 'the answer quotes the value');
      assertNames(await call(s, s.idserver, 'POST', LINKS, { links: [{ linkageNumber: p.linkageNumber }] }), '/links/0/pmhId');
      assertNames(
        await call(s, s.idserver, 'POST', LINKS, { links: [{ linkageNumber: p.linkageNumber, pmhId: pmhId(), pseudonym: p.pseudonym }] }),
        '/links/0/pseudonym',
      );
      assertNames(await call(s, s.idserver, 'POST', LINKS, { links: [{ linkageNumber: p.linkageNumber, pmhId: 'pmh' + 'A'.repeat(26) }] }), '/links/0/pmhId');
      assertProblem(await link([]), 400);
      assertNames(await call(s, s.idserver, 'POST', LINKS, {}), '/links');
      const malformedJson = await fetch(s.url + LINKS, {
        method: 'POST',
        headers: { authorization: await s.idserver.authorization(), 'content-type': 'application/json' },
        body: '{"links": [',
      });
      assert.equal(malformedJson.status, 400);
      assert.match(malformedJson.headers.get('content-type') ?? '', /^application\/problem\+json/);

      const lowerSerial = { ...p, cards: [{ ...p.cards[0], cardSerial: p.cards[0].cardSerial.toLowerCase() }] };
      assertNames(await importInsured([lowerSerial]), '/entries/0/cards/0/cardSerial');
      assertNames(await importInsured([p, { ...p, pseudonym: 'pp' + p.pseudonym.slice(2) }]), '/entries/1/pseudonym');
      assertNames(await importRaw([{ linkageNumber: p.linkageNumber, pseudonym: p.pseudonym }]), '/entries/0/cards');
      assertNames(
        await importRaw([{ ...p, cards: [{ cardSerial: p.cards[0].cardSerial, publicJwk: { kty: 'RSA', n: 'x', e: 'AQAB' } }] }]),
        '/entries/0/cards/0/publicJwk/kty',
      );
      const offCurve = { ...p.cards[0].publicJwk, x: Buffer.alloc(32, 1).toString('base64url') };
      assertNames(
        await importInsured([person(), { ...p, cards: [{ cardSerial: p.cards[0].cardSerial, publicJwk: offCurve }] }]),
        '/entries/1/cards/0/publicJwk',
      );
      assertProblem(await importInsured([{ ...p, cards: Array.from({ length: 6 }, () => card()) }]), 400);
      assertProblem(await importInsured([]), 400);
      assert.equal(
        await countOf(sql<{ n: string }>`select count(*) as n from insured where linkage_number = ${p.linkageNumber}`),
        0,
        'nothing of a refused body is stored',
      );
    });

    it('refuses more than 1,000 links, and more than 10,000 entries, applying none of them', async () => {
      const links = Array.from({ length: 1001 }, () => ({ linkageNumber: linkageNumber(), pmhId: pmhId() }));
      assertNames(await link(links), '/links');
      assert.equal(
        await countOf(sql<{ n: string }>`select count(*) as n from insured where linkage_number = any(${links.map((l) => l.linkageNumber)}::text[])`),
        0,
      );
      const p = person(0);
      assertNames(await importInsured(Array.from({ length: 10_001 }, () => p)), '/entries');
    });

    it('reports conflicts by entry index, applies every other entry, and never rebinds a pseudonym or a card', async () => {
      const a = person();
      const [b, c, d, e] = [person(0), person(0), person(), person(0)];
      const other = person();
      await imported([a, other]);
      const ia = pmhId();
      await linked([{ linkageNumber: a.linkageNumber, pmhId: ia }]);
      await waitFor('the link of a', () => portal.deliveriesOf(a.pseudonym).length === 1);
      const otherKey = cardKeys.find((k) => k.x !== a.cards[0].publicJwk.x && k.x !== other.cards[0].publicJwk.x)!;
      const a2 = card();
      const res = await importInsured([
        { linkageNumber: a.linkageNumber, pseudonym: pseudonym(), cards: [] }, // 0: a has another pseudonym
        { linkageNumber: b.linkageNumber, pseudonym: a.pseudonym, cards: [] }, // 1: a's pseudonym
        { linkageNumber: c.linkageNumber, pseudonym: c.pseudonym, cards: [a.cards[0]] }, // 2: a's card
        { linkageNumber: a.linkageNumber, pseudonym: a.pseudonym, cards: [{ cardSerial: a.cards[0].cardSerial, publicJwk: otherKey }] }, // 3: another key
        d, // 4: new
        { linkageNumber: e.linkageNumber, pseudonym: d.pseudonym, cards: [] }, // 5: d's pseudonym since entry 4
        d, // 6: a repeated row
        { linkageNumber: a.linkageNumber, pseudonym: a.pseudonym, cards: [a.cards[0], a2] }, // 7: a's card again, and a new one
        c, // 8: c (entry 2 did not apply)
        { linkageNumber: e.linkageNumber, pseudonym: e.pseudonym, cards: [d.cards[0]] }, // 9: d's card since entry 4
        { linkageNumber: other.linkageNumber, pseudonym: other.pseudonym, cards: [card(), { cardSerial: other.cards[0].cardSerial, publicJwk: otherKey }] }, // 10: whole or nothing
      ]);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, {
        accepted: 4,
        linksQueued: 0,
        conflicts: [
          { index: 0, reason: 'pseudonym-differs' },
          { index: 1, reason: 'pseudonym-taken' },
          { index: 2, reason: 'card-taken' },
          { index: 3, reason: 'card-key-differs' },
          { index: 5, reason: 'pseudonym-taken' },
          { index: 9, reason: 'card-taken' },
          { index: 10, reason: 'card-key-differs' },
        ],
      });
      assert.deepEqual(identifiersIn(res.text), { linkageNumbers: [], pseudonyms: [], pmhIds: [], cardSerials: [] }, 'the answer names entries by index only');
      const dbh = s.service.database.db;
      const { rows: people } = await sql<{ linkage_number: string; pseudonym: string | null }>`
        select linkage_number, pseudonym from insured where linkage_number = any(${[a, b, c, d, e].map((x) => x.linkageNumber)}::text[])`.execute(dbh);
      assert.deepEqual(
        new Map(people.map((r) => [r.linkage_number, r.pseudonym])),
        new Map([
          [a.linkageNumber, a.pseudonym],
          [c.linkageNumber, c.pseudonym],
          [d.linkageNumber, d.pseudonym],
        ]),
      );
      const { rows: cards } = await sql<{ card_serial: string; linkage_number: string; public_jwk: Record<string, unknown> }>`
        select card_serial, linkage_number, public_jwk from cards where linkage_number = any(${[a, c, d, other].map((x) => x.linkageNumber)}::text[])`.execute(
        dbh,
      );
      const owner = new Map(cards.map((r) => [r.card_serial, r.linkage_number]));
      assert.deepEqual(
        owner,
        new Map([
          [a.cards[0].cardSerial, a.linkageNumber],
          [a2.cardSerial, a.linkageNumber],
          [d.cards[0].cardSerial, d.linkageNumber],
          [other.cards[0].cardSerial, other.linkageNumber],
        ]),
      );
      const stored = cards.find((r) => r.card_serial === a.cards[0].cardSerial)!.public_jwk;
      assert.deepEqual(stored, { kty: 'EC', crv: 'P-256', x: a.cards[0].publicJwk.x, y: a.cards[0].publicJwk.y }, 'only the public key is kept');
      await sleep(100);
      assert.equal(portal.deliveriesOf(a.pseudonym).length, 1, 'a conflict passes nothing on');
    });

    it('a person linked before their enrolment, whose pseudonym conflicts, is not passed on', async () => {
      const [p, q] = [person(), person()];
      await imported([q]);
      const id = pmhId();
      await linked([{ linkageNumber: p.linkageNumber, pmhId: id }]);
      const res = await imported([{ ...p, pseudonym: q.pseudonym }]);
      assert.deepEqual(res, { accepted: 0, linksQueued: 0, conflicts: [{ index: 0, reason: 'pseudonym-taken' }] });
      await sleep(100);
      assert.equal(portal.deliveriesOf(q.pseudonym).length, 0, "q has no PMH-ID; p's is not sent under q's pseudonym");
      assert.deepEqual(await imported([p]), { accepted: 1, linksQueued: 1, conflicts: [] });
      await waitFor('p at the portal', () => portal.deliveriesOf(p.pseudonym).length === 1);
      assert.deepEqual(portal.deliveriesOf(p.pseudonym), [{ pseudonym: p.pseudonym, pmhId: id }]);
      await outboxIdle();
    });

    it('passes on each link exactly once when imports and links for the same people race', async () => {
      const people = Array.from({ length: 40 }, () => person());
      const ids = people.map(() => pmhId());
      const links = people.map((p, i) => ({ linkageNumber: p.linkageNumber, pmhId: ids[i] }));
      const half = (xs: any[], k: number) => xs.filter((_, i) => i % 2 === k);
      const answers = await Promise.all([
        importInsured(people),
        link(links),
        link([...links].reverse()),
        importInsured(half(people, 0)),
        link(half(links, 1)),
        importInsured([...people].reverse()),
      ]);
      for (const a of answers) assert.equal(a.status, 200, a.text.slice(0, 300));
      await waitFor('every link at the portal', () => people.every((p) => portal.deliveriesOf(p.pseudonym).length > 0));
      await outboxIdle();
      await sleep(150);
      people.forEach((p, i) => assert.deepEqual(portal.deliveriesOf(p.pseudonym), [{ pseudonym: p.pseudonym, pmhId: ids[i] }]));
    });

    it('binds a new pseudonym or card once when concurrent imports contradict each other: one applies, the other conflicts', async () => {
      for (let round = 0; round < 5; round++) {
        const ln = linkageNumber();
        const [ps1, ps2] = [pseudonym(), pseudonym()];
        const shared = card();
        const [x, y] = [person(0), person(0)];
        const answers = await Promise.all([
          imported([
            { linkageNumber: ln, pseudonym: ps1, cards: [] },
            { ...x, cards: [shared] },
          ]),
          imported([
            { linkageNumber: ln, pseudonym: ps2, cards: [] },
            { ...y, cards: [shared] },
          ]),
        ]);
        const reasons = answers.map((a) => a.conflicts.map((c: { index: number; reason: string }) => `${c.index}:${c.reason}`).sort());
        assert.deepEqual(reasons.flat().sort(), ['0:pseudonym-differs', '1:card-taken'], JSON.stringify(answers));
        const { rows } = await sql<{ pseudonym: string }>`select pseudonym from insured where linkage_number = ${ln}`.execute(s.service.database.db);
        const { rows: owner } = await sql<{ linkage_number: string }>`select linkage_number from cards where card_serial = ${shared.cardSerial}`.execute(
          s.service.database.db,
        );
        assert.equal(rows.length, 1);
        assert.ok([ps1, ps2].includes(rows[0].pseudonym));
        assert.ok([x.linkageNumber, y.linkageNumber].includes(owner[0].linkage_number));
        assert.equal(
          answers.reduce((n, a) => n + a.accepted, 0),
          2,
        );
      }
    });

    it('imports 10,000 people in one call and passes 1,000 links on in batches of at most 1,000', async () => {
      const entries = Array.from({ length: 10_000 }, (_, i) => person(i % 10 === 0 ? 2 : 1));
      assert.deepEqual(await imported(entries), { accepted: 10_000, linksQueued: 0, conflicts: [] });
      const links = entries.slice(0, 1000).map((p) => ({ linkageNumber: p.linkageNumber, pmhId: pmhId() }));
      const attemptsBefore = portal.attempts.length;
      await linked(links);
      await waitFor('1,000 links at the portal', () => entries.slice(0, 1000).every((p) => portal.deliveriesOf(p.pseudonym).length === 1), 30_000);
      const requests = portal.attempts.slice(attemptsBefore);
      assert.ok(requests.length <= 3, `${requests.length} requests for 1,000 links`);
      for (const r of portal.attempts) assert.ok(JSON.parse(r).links.length <= 1000);
      await outboxIdle();
      assert.equal(
        await countOf(sql<{ n: string }>`select count(*) as n from cards where linkage_number = any(${entries.map((e) => e.linkageNumber)}::text[])`),
        11_000,
      );
    });

    it('audits every import entry and every link received, by reference, never by an identifier', async () => {
      const dbh = s.service.database.db;
      const { rows } = await sql<{ actor: string; action: string; subject_ref: string | null; outcome: string; purpose: string; detail: unknown }>`
        select actor, action, subject_ref, outcome, purpose, detail from audit_log where action in ('insured.import', 'pmh-link.receive')`.execute(dbh);
      const imports = rows.filter((r) => r.action === 'insured.import');
      const links = rows.filter((r) => r.action === 'pmh-link.receive');
      assert.ok(imports.length >= 10_000 && links.length >= 1000);
      for (const r of imports) assert.equal(r.actor, 'admin:operator');
      for (const r of links) assert.equal(r.actor, 'idserver');
      assert.deepEqual(new Set(imports.map((r) => r.outcome)), new Set(['ok', 'unchanged', 'conflict']));
      assert.deepEqual(new Set(links.map((r) => r.outcome)), new Set(['ok', 'unchanged', 'superseded']));
      const { rows: insured } = await sql<{ id: string }>`select id from insured`.execute(dbh);
      const ids = new Set(insured.map((p) => p.id));
      for (const r of rows) {
        if (r.subject_ref === null) assert.ok(r.action === 'insured.import' && r.outcome === 'conflict', JSON.stringify(r));
        else {
          assert.match(r.subject_ref, UUID);
          assert.ok(ids.has(r.subject_ref), 'subjectRef names an insured row');
        }
      }
      const { rows: all } = await sql<{ row: string }>`select t::text as row from audit_log t`.execute(dbh);
      assert.deepEqual(identifiersIn(all.map((r) => r.row).join('\n')), { linkageNumbers: [], pseudonyms: [], pmhIds: [], cardSerials: [] });
      const verified = await verifyAudit(dbh);
      assert.equal(verified.ok, true, JSON.stringify(verified.problems.slice(0, 3)));
    });

    it('sends the portal pseudonyms and PMH-IDs only: never a linkage number or a card serial', async () => {
      assert.ok(portal.attempts.length > 0);
      for (const body of portal.attempts) {
        const parsed = JSON.parse(body);
        assert.deepEqual(Object.keys(parsed), ['links']);
        for (const l of parsed.links) {
          assert.deepEqual(Object.keys(l).sort(), ['pmhId', 'pseudonym']);
          assert.ok(used.pseudonyms.has(l.pseudonym) && used.pmhIds.has(l.pmhId));
        }
      }
      const sent = identifiersIn(portal.attempts.join('\n'));
      assert.ok(sent.pseudonyms.length > 1000 && sent.pmhIds.length > 1000, 'the check sees what was sent');
      assert.deepEqual(sent.linkageNumbers, []);
      assert.deepEqual(sent.cardSerials, []);
      assert.equal(/LN[A-Z2-7]{16}/.test(portal.attempts.join('\n')), false, 'nothing shaped like a linkage number');
    });

    it('logs no identifier (linkage number, pseudonym, PMH-ID, card serial), and no request ended in a server error', async () => {
      assert.ok(s.logs.lines.length > 50, 'the log capture saw requests');
      assert.deepEqual(identifiersIn(s.logs.text()), { linkageNumbers: [], pseudonyms: [], pmhIds: [], cardSerials: [] });
      assert.deepEqual(
        s.logs.lines.filter((l) => /"statusCode":5\d\d/.test(l)),
        [],
      );
    });
  });
}
