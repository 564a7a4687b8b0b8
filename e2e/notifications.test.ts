import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hubApi, oqsApi, portalApi } from '@pmh/protocol';
import type { Input } from '@pmh/protocol/contract';
import { assertStatus, callAs } from '../packages/testkit/src/http.ts';
import { sql } from 'kysely';
import {
  World,
  backends,
  Rng,
  childRecord,
  CHILD_PROGRAM,
  myNumber,
  databaseText,
  identifiersIn,
  exchangesText,
  type Enrolled,
  type ServiceName,
} from '../packages/testkit/src/index.ts';

/**
 * Notifications end to end (issue 5, seed B③ C③): a municipality sends a notification to three of
 * its subjects, one of whom is not linked to the portal yet (OQS learns of their insurance only
 * later). The hub delivers to the two linked ones at once and to the third once their link has come
 * through ID server → OQS → portal → hub; each reads it, once, in their portal inbox after a card
 * login, and nobody else receives it. The municipality follows it per target: waiting, delivered.
 */
const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
const TOKYO = '131016';

async function count(w: World, service: ServiceName, query: ReturnType<typeof sql>): Promise<number> {
  return Number(((await query.execute(w.service(service).database.db)).rows[0] as { n: string }).n);
}

for (const backend of backends()) {
  describe(`notifications end to end (${backend})`, () => {
    let w: World;
    const rng = new Rng(4242);
    let alice: Enrolled;
    let bob: Enrolled;
    let carol: Enrolled; // insured, but OQS learns of it only later: not linked when the notification is sent
    let dave: Enrolled; // a subject too, not a target
    let notificationId: string;
    const key = (p: Enrolled) =>
      ({ [alice.myNumber]: 'E-N-alice', [bob.myNumber]: 'E-N-bob', [carol.myNumber]: 'E-N-carol', [dave.myNumber]: 'E-N-dave' })[p.myNumber];

    const status = async (id: string) => {
      const r = await callAs(w, w.municipality(TOKYO), hubApi.municipal.getNotification, { params: { notificationId: id } });
      assertStatus(r, 200);
      return r.body;
    };

    const login = (p: Enrolled): Promise<string> => w.loginResident(p);
    type InboxQuery = NonNullable<Input<typeof portalApi.myNotifications>['query']>;
    /** The resident's inbox, as the portal's page reads it (200 asserted). */
    const inbox = async (cookie: string, query: InboxQuery = {}) => {
      const r = await w.asResident(cookie, portalApi.myNotifications, { query });
      assertStatus(r, 200);
      return r.body;
    };
    const markRead = async (cookie: string, id: string) => (await w.asResident(cookie, portalApi.markNotificationRead, { params: { id } })).status;

    /** The PMH pseudonyms the portal received notifications for, per notification id. */
    function deliveredTo(id: string): string[] {
      return w.exchanges
        .filter((e) => e.service === 'portal' && e.url === '/portal/v1/notifications' && e.status === 200)
        .flatMap((e) => (e.request as { items: Array<{ notificationId: string; pmhPseudonym: string }> }).items)
        .filter((i) => i.notificationId === id)
        .map((i) => i.pmhPseudonym);
    }

    async function pmhPseudonymOf(p: Enrolled): Promise<string | undefined> {
      const { rows } = await sql<{ pmh_pseudonym: string }>`
        select l.pmh_pseudonym from subjects s join pmh_links l on l.pmh_id = s.pmh_id
        where s.municipality_code = ${TOKYO} and s.municipality_identity_key = ${key(p)}`.execute(w.hub.database.db);
      return rows[0]?.pmh_pseudonym;
    }

    before(async () => {
      w = await World.start({ backend, services: SERVICES });
      const { certificateTypeId, ...program } = CHILD_PROGRAM;
      const r = await callAs(w, w.municipality(TOKYO), hubApi.municipal.putProgram, {
        params: { orgSpecificCertificateTypeId: certificateTypeId },
        body: program,
      });
      assert.ok(r.status === 200 || r.status === 201, r.text);
      [alice, bob, dave] = await w.enrol([myNumber(rng), myNumber(rng), myNumber(rng)]);
      [carol] = await w.enrol([myNumber(rng)], { oqs: false });
      const people = [alice, bob, carol, dave];
      const t = await w.register(
        w.municipality(TOKYO),
        'medical-subsidy',
        people.map((p) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: key(p) })),
      );
      assert.equal(t.succeeded, 4, JSON.stringify(t.results));
      await w.until(
        'alice, bob and dave linked, carol with a PMH-ID',
        async () =>
          (await count(w, 'hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) === 3 &&
          (await count(w, 'hub', sql`select count(*) as n from subjects where pmh_id is not null`)) === 4,
      );
    });
    after(() => w.stop());

    it('reaches the linked targets at once and waits for the one not linked yet', async () => {
      const sent = await callAs(w, w.municipality(TOKYO), hubApi.municipal.sendNotification, {
        body: {
          targets: [alice, bob, carol].map((p) => ({ municipalityIdentityKey: key(p) })),
          category: 'medical-subsidy',
          title: '子ども医療費助成 受給者証の更新',
          body: '新しい受給者証の内容をマイナポータルでご確認ください。',
          url: 'https://www.city.example.jp/kodomo',
        },
      });
      assertStatus(sent, 202);
      notificationId = sent.body.notificationId;
      assert.equal(sent.body.targets, 3);

      await w.until('alice and bob delivered', async () => (await status(notificationId)).counts.delivered === 2);
      await new Promise((r) => setTimeout(r, 500));
      const s = await status(notificationId);
      assert.deepEqual(s.counts, { delivered: 2, waiting: 1, scheduled: 0, failed: 0 });
      assert.deepEqual(
        s.targets.map((t: { municipalityIdentityKey: string; status: string }) => [t.municipalityIdentityKey, t.status]),
        [
          ['E-N-alice', 'delivered'],
          ['E-N-bob', 'delivered'],
          ['E-N-carol', 'waiting'],
        ],
      );
      assert.equal(s.targets[2].deliveredAt, null);
      assert.deepEqual(deliveredTo(notificationId).sort(), [await pmhPseudonymOf(alice), await pmhPseudonymOf(bob)].sort(), 'only the linked targets so far');
    });

    it('each target reads it once in their portal inbox; nobody else has it', async () => {
      const cookie = await login(alice);
      const mine = await inbox(cookie);
      assert.equal(mine.unread, 1);
      assert.equal(mine.items.length, 1);
      const item = mine.items[0];
      assert.deepEqual(
        { ...item, id: undefined, publishedAt: undefined },
        {
          id: undefined,
          municipalityCode: TOKYO,
          category: 'medical-subsidy',
          title: '子ども医療費助成 受給者証の更新',
          body: '新しい受給者証の内容をマイナポータルでご確認ください。',
          url: 'https://www.city.example.jp/kodomo',
          publishedAt: undefined,
          readAt: null,
        },
      );
      assert.equal(item.publishedAt, (await status(notificationId)).publishAt);

      // Read: 204, again 204 (no change); another resident cannot mark it.
      const bobCookie = await login(bob);
      assert.equal(await markRead(bobCookie, item.id), 404);
      assert.equal(await markRead(cookie, item.id), 204);
      const readAt = (await inbox(cookie)).items[0].readAt;
      assert.ok(readAt && !Number.isNaN(Date.parse(readAt)));
      assert.equal(await markRead(cookie, item.id), 204);
      const after = await inbox(cookie);
      assert.equal(after.unread, 0);
      assert.equal(after.items[0].readAt, readAt, 'marking it read again changes nothing');
      assert.equal(await markRead(cookie, '00000000-0000-4000-8000-000000000000'), 404);
      assert.equal((await w.call(null, 'GET', '/portal/v1/me/notifications', undefined, {}, 'portal')).status, 401);

      // Bob has his own copy, unread; dave, a subject but not a target, has none.
      const bobs = await inbox(bobCookie);
      assert.equal(bobs.items.length, 1);
      assert.notEqual(bobs.items[0].id, item.id);
      assert.equal(bobs.unread, 1);
      assert.deepEqual(await inbox(await login(dave)), { items: [], unread: 0 });
    });

    it('reaches the waiting target once its link comes through, and only once', async () => {
      // OQS learns of carol's insurance now (the insurer's data arrives): the link runs on to the portal and the hub.
      const imported = await callAs(w, w.operator, oqsApi.importInsured, {
        body: {
          entries: [
            {
              linkageNumber: carol.linkageNumber,
              pseudonym: carol.pseudonym,
              cards: [
                {
                  cardSerial: carol.cardSerial,
                  publicJwk: { kty: 'EC', crv: 'P-256', x: carol.cardKey.publicJwk.x as string, y: carol.cardKey.publicJwk.y as string },
                },
              ],
            },
          ],
        },
      });
      assertStatus(imported, 200);
      await w.until('carol delivered', async () => (await status(notificationId)).counts.delivered === 3);
      const s = await status(notificationId);
      assert.deepEqual(s.counts, { delivered: 3, waiting: 0, scheduled: 0, failed: 0 });
      assert.ok(Date.parse(s.targets[2].deliveredAt ?? '') >= Date.parse(s.targets[0].deliveredAt ?? ''));

      const carols = await inbox(await login(carol));
      assert.equal(carols.items.length, 1);
      assert.equal(carols.items[0].title, '子ども医療費助成 受給者証の更新');

      // Exactly its three targets, once each: in the portal's inboxes and in what the hub sent.
      const targets = await Promise.all([alice, bob, carol].map(pmhPseudonymOf));
      assert.deepEqual(deliveredTo(notificationId).sort(), [...targets].sort());
      const { rows } = await sql<{ pseudonym: string; n: string }>`
        select a.pseudonym, count(*) as n from notifications n join accounts a on a.id = n.account_id
        where n.notification_id = ${notificationId} group by a.pseudonym`.execute(w.service('portal').database.db);
      assert.deepEqual(rows.map((r) => [r.pseudonym, Number(r.n)]).sort(), [alice, bob, carol].map((p) => [p.pseudonym, 1]).sort());
      assert.equal(await count(w, 'hub', sql`select count(*) as n from outbox`), 0);
    });

    it('shows the inbox newest first, a page at a time', async () => {
      const second = await callAs(w, w.municipality(TOKYO), hubApi.municipal.sendNotification, {
        body: { targets: [{ municipalityIdentityKey: key(alice) }], category: 'general', title: '窓口の休業日', body: '年末年始は窓口を休業します。' },
      });
      assertStatus(second, 202);
      await w.until('the second delivered', async () => (await status(second.body.notificationId)).counts.delivered === 1);
      const cookie = await login(alice);
      const all = await inbox(cookie);
      assert.deepEqual(
        all.items.map((i) => i.title),
        ['窓口の休業日', '子ども医療費助成 受給者証の更新'],
      );
      assert.equal(all.unread, 1);
      assert.equal(all.items[1].url, 'https://www.city.example.jp/kodomo');
      assert.equal(all.items[0].url, null);
      const first = await inbox(cookie, { limit: '1' });
      assert.deepEqual(
        first.items.map((i) => i.title),
        ['窓口の休業日'],
      );
      assert.ok(first.nextBefore);
      const next = await inbox(cookie, { limit: '1', before: first.nextBefore });
      assert.deepEqual(
        next.items.map((i) => i.title),
        ['子ども医療費助成 受給者証の更新'],
      );
      assert.equal(next.nextBefore, undefined);
      const refused = async (before: string) => (await w.asResident(cookie, portalApi.myNotifications, { query: { before } })).status;
      assert.equal(await refused('bm90LWEtY3Vyc29y'), 400);
      // A cursor the inbox decodes into a time PostgreSQL would not read ('2026' passes Date.parse) was a 500.
      const id = '00000000-0000-4000-8000-000000000000';
      for (const at of ['2026', 'Tue, 01 Jan 2026 00:00:00 GMT', '0001-01-01T00:00:00Z', '2026-01-01T00:00:00Z\u0000'])
        assert.equal(await refused(Buffer.from(`${at} ${id}`, 'utf8').toString('base64url')), 400, at);
    });

    it('keeps every identifier where it may be', async () => {
      const people = [alice, bob, carol, dave];
      const known = { myNumbers: people.map((p) => p.myNumber), cardSerials: people.map((p) => p.cardSerial) };
      const portalHolds = identifiersIn(await databaseText(w.service('portal').database.db), known);
      assert.equal(portalHolds.myNumber.size + portalHolds.pmhId.size, 0, 'the portal holds no My Number and no PMH-ID');
      const toPortal = identifiersIn(
        exchangesText(w.exchanges, (e) => e.service === 'portal' && e.url === '/portal/v1/notifications'),
        known,
      );
      assert.equal(
        toPortal.myNumber.size + toPortal.pmhId.size + toPortal.pseudonym.size + toPortal.cardSerial.size,
        0,
        'a notification carries only the PMH pseudonym',
      );
      const hubHolds = identifiersIn(await databaseText(w.hub.database.db), known);
      assert.equal(hubHolds.pseudonym.size + hubHolds.cardSerial.size, 0);
      assert.equal(known.myNumbers.filter((n) => w.logs.text().includes(n)).length, 0, 'no My Number in any log line');
    });
  });
}
