/**
 * Notifications from municipalities to residents (issue 5), through HTTP against the real hub, ID
 * server, OQS and portal (PGlite, and PostgreSQL when PMH_TEST_DATABASE_URL is set): what a
 * notification may say and to whom, its delivery once per target through the hub's outbox, its
 * status per target, scheduled ones held until publishAt, and a portal that is down or does not
 * know the recipient. The databases are read only to check what is stored.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { randomIdentifier } from '@pmh/core/crypto/index';
import { World, backends, Rng, childRecord, myNumber, type Enrolled, type HttpAnswer } from '../../testkit/src/index.ts';
import { inMunicipality } from '../src/store/scope.ts';
import { PORTAL_NOTIFICATION } from '../src/federation/notifications.ts';
import { assertLogsClean, assertProblem, defineProgram, fullWidthDigits, withWrongCheckDigit } from './support.ts';

const NOTIFICATIONS = '/municipal/v1/notifications';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const A = '131016';
const B = '271004';

for (const backend of backends()) {
  describe(`notifications to residents (${backend})`, () => {
    let w: World;
    const rng = new Rng(5005);
    const myNumbers = new Set<string>();
    /** Subjects of A, linked to the portal: key → person. */
    const linked = new Map<string, Enrolled>();
    const keys: string[] = [];
    let keyOfB: string;

    const hubDb = (): Kysely<any> => w.hub.database.db;
    const portalDb = (): Kysely<any> => w.service('portal').database.db;
    const send = (body: unknown, code = A, headers: Record<string, string> = {}) => w.call(w.municipality(code), 'POST', NOTIFICATIONS, body, headers);
    const statusOf = (id: string, code = A) => w.call(w.municipality(code), 'GET', `${NOTIFICATIONS}/${id}`);
    const notice = (targets: string[], extra: Record<string, unknown> = {}) => ({
      targets: targets.map((municipalityIdentityKey) => ({ municipalityIdentityKey })),
      category: 'medical-subsidy',
      title: '受給者証の更新について',
      body: '子ども医療費助成の受給者証を更新しました。内容をご確認ください。',
      ...extra,
    });

    async function accepted(
      body: unknown,
      code = A,
      headers: Record<string, string> = {},
    ): Promise<{ notificationId: string; targets: number; publishAt: string }> {
      const r = await send(body, code, headers);
      assert.equal(r.status, 202, r.text);
      assert.match(r.body.notificationId, UUID);
      assert.equal(r.headers.get('location'), `${NOTIFICATIONS}/${r.body.notificationId}`);
      return r.body;
    }

    async function settledStatus(id: string, until: (s: any) => boolean, what: string, timeoutMs = 30_000): Promise<any> {
      let last: HttpAnswer | undefined;
      await w
        .until(
          what,
          async () => {
            last = await statusOf(id);
            assert.equal(last.status, 200, last.text);
            return until(last.body);
          },
          timeoutMs,
        )
        .catch((e) => {
          throw new Error(`${(e as Error).message}: ${last?.text}`);
        });
      return last!.body;
    }

    /** How many times each person's inbox at the portal holds this notification. */
    async function inboxCounts(notificationId: string, people: Enrolled[]): Promise<number[]> {
      const { rows } = await sql<{ pseudonym: string; n: string }>`
        select a.pseudonym, count(*) as n from notifications n join accounts a on a.id = n.account_id
        where n.notification_id = ${notificationId} group by a.pseudonym`.execute(portalDb());
      const by = new Map(rows.map((r) => [r.pseudonym, Number(r.n)]));
      return people.map((p) => by.get(p.pseudonym) ?? 0);
    }

    async function count(db: Kysely<any>, query: ReturnType<typeof sql>): Promise<number> {
      return Number(((await query.execute(db)).rows[0] as { n: string }).n);
    }

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'], persistent: true });
      await defineProgram(w, w.municipality(A));
      await defineProgram(w, w.municipality(B));
      const people = await w.enrol(Array.from({ length: 8 }, () => myNumber(rng)));
      people.forEach((p) => myNumbers.add(p.myNumber));
      const records = people.map((p, i) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `N-A-${i}` }));
      const t = await w.register(w.municipality(A), 'medical-subsidy', records);
      assert.equal(t.succeeded, people.length, JSON.stringify(t.results));
      people.forEach((p, i) => {
        linked.set(`N-A-${i}`, p);
        keys.push(`N-A-${i}`);
      });
      const other = (await w.enrol([myNumber(rng)]))[0];
      myNumbers.add(other.myNumber);
      keyOfB = 'N-B-0';
      await w.register(w.municipality(B), 'medical-subsidy', [childRecord(rng, { myNumber: other.myNumber, municipalityIdentityKey: keyOfB })]);
      await w.until(
        'every subject linked to the portal',
        async () => (await count(hubDb(), sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) === people.length + 1,
      );
    });
    after(() => w.stop());

    it('refuses a request that does not match the schema, naming the field', async () => {
      const cases: Array<[unknown, string]> = [
        [{ ...notice([keys[0]]), title: undefined }, '/title'],
        [notice([keys[0]], { title: '' }), '/title'],
        [notice([keys[0]], { title: 'あ'.repeat(101) }), '/title'],
        [notice([keys[0]], { body: '' }), '/body'],
        [notice([keys[0]], { body: 'x'.repeat(4001) }), '/body'],
        [notice([keys[0]], { category: 'tax' }), '/category'],
        [notice([keys[0]], { url: 'ftp://example.jp/a' }), '/url'],
        [notice([keys[0]], { url: 'javascript:alert(1)' }), '/url'],
        [notice([keys[0]], { url: 'https://example.jp/' + 'a'.repeat(2000) }), '/url'],
        [notice([keys[0]], { publishAt: '来週' }), '/publishAt'],
        [notice([keys[0]], { publishAt: '2030-01-01' }), '/publishAt'],
        [notice([]), '/targets'],
        [notice(Array.from({ length: 10_001 }, (_, i) => `K-${i}`)), '/targets'],
        [{ ...notice([keys[0]]), targets: [{ municipalityIdentityKey: '' }] }, '/targets/0/municipalityIdentityKey'],
        [{ ...notice([keys[0]]), targets: [keys[0]] }, '/targets/0'],
        [notice([keys[0]], { priority: 'high' }), '/priority'],
      ];
      for (const [body, pointer] of cases) assertProblem(await send(body), 400, pointer);
      // A subject named twice is a mistake in the list: 422, naming the repeat.
      assertProblem(await send(notice([keys[0], keys[1], keys[0]])), 422, '/targets/2/municipalityIdentityKey');
      assert.equal(await count(hubDb(), sql`select count(*) as n from notifications`), 0);
    });

    it('refuses targets that are not subjects of this municipality, naming each, and stores nothing', async () => {
      const auditBefore = await count(hubDb(), sql`select count(*) as n from audit_log where action = 'notification.create'`);
      const r = await send(notice([keys[0], 'NO-SUCH-1', keys[1], keyOfB, 'NO-SUCH-2']));
      assertProblem(r, 422, '/targets/1/municipalityIdentityKey');
      assert.deepEqual(
        r.body.errors.map((e: { pointer: string }) => e.pointer),
        ['/targets/1/municipalityIdentityKey', '/targets/3/municipalityIdentityKey', '/targets/4/municipalityIdentityKey'],
        'another municipality’s subject is unknown here too',
      );
      assert.equal(r.text.includes(keyOfB), false, 'the problem does not quote the keys');
      assert.equal(await count(hubDb(), sql`select count(*) as n from notifications`), 0);
      assert.equal(await count(hubDb(), sql`select count(*) as n from notification_targets`), 0);
      assert.equal(await count(hubDb(), sql`select count(*) as n from audit_log where action = 'notification.create'`), auditBefore);
    });

    it('refuses a title, body or URL that carries a My Number, without echoing it', async () => {
      const n = myNumber(rng);
      myNumbers.add(n);
      const spaced = `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`;
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ body: `あなたの個人番号は${n}です。` }, '/body'],
        [{ body: `個人番号：${fullWidthDigits(n)}` }, '/body'],
        [{ body: `番号 ${fullWidthDigits(spaced)} を確認` }, '/body'],
        [{ title: `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}について` }, '/title'],
        [{ url: `https://example.jp/notice?no=${n}` }, '/url'],
      ];
      for (const [extra, pointer] of cases) {
        const r = await send(notice([keys[0]], extra));
        assertProblem(r, 422, pointer);
        assert.equal(r.body.errors.length, 1, r.text);
        for (const form of [n, fullWidthDigits(n), n.slice(4, 8)]) assert.equal(r.text.includes(form), false, 'the answer does not echo the number');
      }
      assert.equal(await count(hubDb(), sql`select count(*) as n from notifications`), 0);
      // Twelve digits that fail the 個人番号 check are not a My Number (a reference number, say): accepted.
      const notOne = withWrongCheckDigit(n);
      const ok = await accepted(notice([keys[0]], { body: `受付番号 ${notOne}` }));
      assert.equal(ok.targets, 1);
      await settledStatus(ok.notificationId, (s) => s.counts.delivered === 1, 'the reference-number notice delivered');
    });

    it('refuses text no database or reader should get (U+0000, lone surrogates, controls, bidi controls) with 400 naming the field, never a 500', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...notice([keys[0]]), targets: [{ municipalityIdentityKey: `${keys[0]}\u0000` }] }, '/targets/0/municipalityIdentityKey'],
        [{ ...notice([keys[0]]), targets: [{ municipalityIdentityKey: `${keys[0]}\ud800` }] }, '/targets/0/municipalityIdentityKey'],
        [{ ...notice([keys[0]]), targets: [{ municipalityIdentityKey: `\u202e${keys[0]}` }] }, '/targets/0/municipalityIdentityKey'],
        [notice([keys[0]], { title: 'お知らせ\u0000' }), '/title'],
        [notice([keys[0]], { title: 'お知らせ\udc00' }), '/title'],
        [notice([keys[0]], { title: '受給者証\n更新' }), '/title'],
        [notice([keys[0]], { title: '受給者証\u0085更新' }), '/title'],
        [notice([keys[0]], { body: '本文\u0000' }), '/body'],
        [notice([keys[0]], { body: '本文\u0007' }), '/body'],
        [notice([keys[0]], { body: 'ご確認は\u202eこちら' }), '/body'],
        [notice([keys[0]], { body: 'ご確認は\u2067こちら\u2069' }), '/body'],
        [notice([keys[0]], { url: 'https://example.jp/\u202e/a' }), '/url'],
        [notice([keys[0]], { url: 'https://example.jp/\u0000' }), '/url'],
      ];
      const stored = await count(hubDb(), sql`select count(*) as n from notifications`);
      for (const [body, pointer] of cases) {
        const r = await send(body);
        assertProblem(r, 400, pointer);
        assert.match(r.body.errors.find((e: { pointer: string }) => e.pointer === pointer).message, /not allowed|valid uri/);
      }
      assert.equal(await count(hubDb(), sql`select count(*) as n from notifications`), stored);
      // A body is multi-line text: line breaks and tabs are its own (checked with the status later).
      const ok = await accepted(notice([keys[0]], { body: '受給者証を更新しました。\r\n\t内容をご確認ください。' }));
      await settledStatus(ok.notificationId, (s) => s.counts.delivered === 1, 'the multi-line notice delivered');
    });

    it('refuses a publishAt outside its window (more than a year ahead, more than a day back, not RFC 3339)', async () => {
      const day = 86_400_000;
      for (const publishAt of [
        '9999-12-31T00:00:00Z',
        new Date(Date.now() + 400 * day).toISOString(),
        new Date(Date.now() - 2 * day).toISOString(),
        '1900-01-01T00:00:00+09:00',
        `${new Date(Date.now() + day).toISOString()}[Asia/Tokyo]`,
      ]) {
        const r = await send(notice([keys[0]], { publishAt }));
        assertProblem(r, 400, '/publishAt');
        assert.equal(r.text.includes(publishAt), false, 'the answer does not echo the value');
      }
      const count0 = await count(hubDb(), sql`select count(*) as n from notifications where publish_at > now() + interval '1 day'`);
      const later = new Date(Date.now() + 300 * day).toISOString();
      const a = await accepted(notice([keys[0]], { publishAt: later.replace('Z', '+00:00') }));
      assert.equal(Date.parse(a.publishAt), Date.parse(later));
      assert.equal(await count(hubDb(), sql`select count(*) as n from notifications where publish_at > now() + interval '1 day'`), count0 + 1);
    });

    it('finds targets by the key as registration stored it: full-width keys name the same subjects', async () => {
      const wide = (k: string) => k.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      const a = await accepted(notice([wide(keys[2]), ` ${keys[3]}　`]));
      assert.equal(a.targets, 2);
      const s = await settledStatus(a.notificationId, (x) => x.counts.delivered === 2, 'the full-width-keyed notice delivered');
      assert.deepEqual(
        s.targets.map((t: { municipalityIdentityKey: string }) => t.municipalityIdentityKey),
        [keys[2], keys[3]],
      );
      // One subject written in two widths is still named twice.
      assertProblem(await send(notice([keys[2], wide(keys[2])])), 422, '/targets/1/municipalityIdentityKey');
    });

    it('refuses a My Number written in any grouping (dots, underscores, mixed widths), without echoing it', async () => {
      const n = myNumber(rng);
      myNumbers.add(n);
      for (const text of [
        `${n.slice(0, 4)}.${n.slice(4, 8)}.${n.slice(8)}`,
        `${n.slice(0, 3)}_${n.slice(3, 7)}_${n.slice(7)}`,
        `${fullWidthDigits(n.slice(0, 6))}－${n.slice(6)}`,
        `電話 03-1234-5678 ${n}`,
      ]) {
        const r = await send(notice([keys[0]], { body: `番号：${text}` }));
        assertProblem(r, 422, '/body');
        assert.equal(r.text.includes(n.slice(0, 4)), false);
      }
    });

    it('delivers to each target once, through the portal, and shows its status to its municipality only', async () => {
      const targets = keys.slice(0, 3);
      const people = targets.map((k) => linked.get(k)!);
      const a = await accepted(notice(targets, { url: 'https://www.city.example.jp/kodomo-iryo' }));
      assert.equal(a.targets, 3);
      assert.ok(Math.abs(Date.parse(a.publishAt) - Date.now()) < 60_000, 'publishAt defaults to now');

      const s = await settledStatus(a.notificationId, (x) => x.counts.delivered === 3, 'three targets delivered');
      assert.equal(s.notificationId, a.notificationId);
      assert.equal(s.category, 'medical-subsidy');
      assert.equal(s.title, '受給者証の更新について');
      assert.equal(s.publishAt, a.publishAt);
      assert.deepEqual(s.counts, { delivered: 3, waiting: 0, scheduled: 0, failed: 0 });
      assert.deepEqual(
        s.targets.map((t: { municipalityIdentityKey: string }) => t.municipalityIdentityKey),
        targets,
        'in the order of the request',
      );
      for (const t of s.targets) assert.ok(t.status === 'delivered' && !Number.isNaN(Date.parse(t.deliveredAt)), JSON.stringify(t));

      // Exactly its targets, once each; nobody else.
      assert.deepEqual(await inboxCounts(a.notificationId, people), [1, 1, 1]);
      assert.equal(await count(portalDb(), sql`select count(*) as n from notifications where notification_id = ${a.notificationId}`), 3);
      const { rows } = await sql<any>`
        select n.municipality_code, n.category, n.title, n.body, n.url, n.published_at from notifications n where notification_id = ${a.notificationId}`.execute(
        portalDb(),
      );
      for (const r of rows) {
        assert.equal(r.municipality_code, A);
        assert.equal(r.url, 'https://www.city.example.jp/kodomo-iryo');
        assert.equal(new Date(r.published_at).toISOString(), a.publishAt);
      }

      // Another municipality cannot read it (404, as for a notification that does not exist).
      assertProblem(await statusOf(a.notificationId, B), 404);
      assertProblem(await statusOf('00000000-0000-4000-8000-000000000000'), 404);
      assertProblem(await statusOf('not-a-uuid'), 400);
      assertProblem(await w.call(null, 'GET', `${NOTIFICATIONS}/${a.notificationId}`), 401);
      assertProblem(await w.call(w.operator, 'POST', NOTIFICATIONS, notice(targets)), 403);

      // Audited per target, by subject reference.
      const audit = await sql<{ subject_ref: string; actor: string; purpose: string; detail: any }>`
        select subject_ref, actor, purpose, detail from audit_log where action = 'notification.create' and detail->>'notificationId' = ${a.notificationId}`.execute(
        hubDb(),
      );
      const subjectIds = await sql<{ id: string }>`
        select id from subjects where municipality_code = ${A} and municipality_identity_key = any(${targets}::text[])`.execute(hubDb());
      assert.deepEqual(audit.rows.map((r) => r.subject_ref).sort(), subjectIds.rows.map((r) => r.id).sort());
      for (const r of audit.rows) assert.ok(r.actor === `municipality:${A}` && r.purpose === 'notification');
    });

    it('answers a retried request with the same Idempotency-Key and body with the first notification, and refuses another body', async () => {
      const body = notice([keys[3]], { category: 'general', title: '窓口の休業日' });
      const first = await accepted(body, A, { 'idempotency-key': 'notice-2025-001' });
      const again = await accepted(body, A, { 'idempotency-key': 'notice-2025-001' });
      assert.deepEqual(again, first);
      assertProblem(await send({ ...body, title: '窓口の休業日（訂正）' }, A, { 'idempotency-key': 'notice-2025-001' }), 409);
      // The same key belongs to each municipality apart.
      const other = await accepted(notice([keyOfB], { category: 'general', title: '窓口の休業日' }), B, { 'idempotency-key': 'notice-2025-001' });
      assert.notEqual(other.notificationId, first.notificationId);
      await settledStatus(first.notificationId, (s) => s.counts.delivered === 1, 'the first delivered');
      assert.equal(
        await count(hubDb(), sql`select count(*) as n from notifications where idempotency_key = 'notice-2025-001' and municipality_code = ${A}`),
        1,
      );
      assert.deepEqual(await inboxCounts(first.notificationId, [linked.get(keys[3])!]), [1]);
    });

    it('holds a scheduled notification until its publishAt', async () => {
      const publishAt = new Date(Date.now() + 3000).toISOString();
      const a = await accepted(notice(keys.slice(4, 6), { category: 'vaccination', title: '予防接種のお知らせ', publishAt }));
      assert.equal(a.publishAt, publishAt);
      const early = await statusOf(a.notificationId);
      assert.deepEqual(early.body.counts, { delivered: 0, waiting: 0, scheduled: 2, failed: 0 });
      await sleep(1000);
      assert.equal(
        await count(portalDb(), sql`select count(*) as n from notifications where notification_id = ${a.notificationId}`),
        0,
        'not delivered before publishAt',
      );
      assert.ok(early.body.targets.every((t: any) => t.status === 'scheduled' && t.deliveredAt === null));

      const s = await settledStatus(a.notificationId, (x) => x.counts.delivered === 2, 'the scheduled notification delivered');
      for (const t of s.targets) assert.ok(Date.parse(t.deliveredAt) >= Date.parse(publishAt), `delivered at ${t.deliveredAt}, not before ${publishAt}`);
      const { rows } = await sql<{ published_at: Date }>`select published_at from notifications where notification_id = ${a.notificationId}`.execute(
        portalDb(),
      );
      assert.deepEqual(
        rows.map((r) => new Date(r.published_at).toISOString()),
        [publishAt, publishAt],
      );
    });

    it('keeps notifications waiting while the portal is down and delivers them once when it is back', async () => {
      const targets = [keys[6], keys[7]];
      const people = targets.map((k) => linked.get(k)!);
      await w.stopService('portal');
      let id: string;
      try {
        const a = await accepted(notice(targets, { category: 'maternal-child', title: '乳幼児健診のご案内' }));
        id = a.notificationId;
        await sleep(1000);
        const s = await statusOf(id);
        assert.deepEqual(s.body.counts, { delivered: 0, waiting: 2, scheduled: 0, failed: 0 }, s.text);
        // The queue names targets, never the text or the recipient.
        const { rows } = await sql<{ payload: string; attempts: number }>`select payload, attempts from outbox where kind = ${PORTAL_NOTIFICATION}`.execute(
          hubDb(),
        );
        assert.equal(rows.length, 2);
        assert.ok(
          rows.some((r) => r.attempts > 0),
          'the hub tried the portal',
        );
        for (const r of rows) {
          assert.deepEqual(Object.keys(JSON.parse(r.payload)).sort(), ['notificationId', 'targetId']);
          assert.equal(r.payload.includes('乳幼児'), false);
          assert.doesNotMatch(r.payload, /pp[a-z2-7]{26}/);
        }
      } finally {
        await w.startService('portal');
      }
      await settledStatus(id, (x) => x.counts.delivered === 2, 'delivered after the portal came back');
      assert.deepEqual(await inboxCounts(id, people), [1, 1]);

      // Delivered again (as after a lost answer): still filed once.
      const pmhPseudonyms = await sql<{ pmh_pseudonym: string }>`
        select l.pmh_pseudonym from subjects s join pmh_links l on l.pmh_id = s.pmh_id
        where s.municipality_code = ${A} and s.municipality_identity_key = ${targets[0]}`.execute(hubDb());
      const item = {
        notificationId: id,
        pmhPseudonym: pmhPseudonyms.rows[0].pmh_pseudonym,
        municipalityCode: A,
        category: 'maternal-child',
        title: '乳幼児健診のご案内',
        body: '再送',
        url: null,
        publishedAt: new Date().toISOString(),
      };
      const redelivered = await w.call(w.peerCaller('hub'), 'POST', '/portal/v1/notifications', { items: [item] }, {}, 'portal');
      assert.equal(redelivered.status, 200, redelivered.text);
      assert.deepEqual(redelivered.body.results, [{ notificationId: id, pmhPseudonym: item.pmhPseudonym, status: 'stored' }]);
      assert.deepEqual(await inboxCounts(id, people), [1, 1]);
    });

    it('waits for a person not yet linked, and marks failed what the portal refuses for good', async () => {
      // A person the ID server knows but OQS does not yet: a PMH-ID, no link.
      const [late] = await w.enrol([myNumber(rng)], { oqs: false });
      myNumbers.add(late.myNumber);
      await w.register(w.municipality(A), 'medical-subsidy', [childRecord(rng, { myNumber: late.myNumber, municipalityIdentityKey: 'N-A-late' })]);
      let pmhId = '';
      await w.until('the late subject has its PMH-ID', async () => {
        const r = await w.call(w.operator, 'GET', '/municipal/v1/subjects/N-A-late?municipalityCode=131016');
        pmhId = r.body.pmhId;
        return r.body.pmhIdStatus === 'issued';
      });
      const a = await accepted(notice(['N-A-late', keys[0]]));
      const waiting = await settledStatus(a.notificationId, (x) => x.counts.delivered === 1, 'the linked target delivered');
      assert.deepEqual(waiting.counts, { delivered: 1, waiting: 1, scheduled: 0, failed: 0 });
      assert.deepEqual(waiting.targets[0], { municipalityIdentityKey: 'N-A-late', status: 'waiting', deliveredAt: null });
      await sleep(500);
      assert.equal((await statusOf(a.notificationId)).body.counts.waiting, 1, 'still waiting without a link');

      // A link arrives, but for a PMH pseudonym the portal has no account for: the portal refuses it for good.
      const ack = await w.call(w.peerCaller('portal'), 'POST', '/hub/v1/portal-links', { links: [{ pmhPseudonym: randomIdentifier('pp'), pmhId }] });
      assert.equal(ack.status, 200, ack.text);
      const failed = await settledStatus(a.notificationId, (x) => x.counts.failed === 1, 'the target failed');
      assert.deepEqual(failed.counts, { delivered: 1, waiting: 0, scheduled: 0, failed: 1 });
      assert.deepEqual(failed.targets[0], { municipalityIdentityKey: 'N-A-late', status: 'failed', deliveredAt: null });
      const ops = await w.call(w.operator, 'GET', '/admin/v1/status');
      const pipeline = ops.body.pipelines.find((p: { name: string }) => p.name === PORTAL_NOTIFICATION);
      assert.equal(pipeline.dead, 1, ops.text);
      assert.doesNotMatch(pipeline.lastError, /pp[a-z2-7]{26}|pmh[a-z2-7]{26}/, 'the error names no identifier');
    });

    it('row-level security: the municipal scope sees only its own notifications and targets', async () => {
      for (const table of ['notifications', 'notification_targets']) {
        const all = await sql<{ municipality_code: string; n: number }>`
          select municipality_code, count(*)::int as n from ${sql.table(table)} group by municipality_code`.execute(hubDb());
        const counts = Object.fromEntries(all.rows.map((r) => [r.municipality_code, r.n]));
        assert.ok(counts[A] > 0 && counts[B] > 0, `${table}: ${JSON.stringify(counts)}`);
        for (const code of [A, B]) {
          const seen = await inMunicipality(hubDb(), code, (trx) =>
            sql<{ municipality_code: string }>`select municipality_code from ${sql.table(table)}`.execute(trx),
          );
          assert.equal(seen.rows.length, counts[code]);
          assert.deepEqual([...new Set(seen.rows.map((r) => r.municipality_code))], [code]);
        }
      }
    });

    it('logs no My Number and no server error', () => {
      assertLogsClean(w, myNumbers);
    });
  });
}
