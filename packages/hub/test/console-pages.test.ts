/**
 * What the municipal console's pages read and change on the municipal API: the subject list
 * (`GET /municipal/v1/subjects`, kana matched whatever its width or script), the subject's every
 * certificate field and version, the programme list, who looked at the municipality's subjects
 * (`GET /municipal/v1/access-log`, JSON and CSV), the notification list and the cancel of a
 * scheduled one (never delivered after), the errors of a task as CSV. Bad parameters are 400s
 * naming the field; another municipality sees nothing; roles are refused with 403. An officer is
 * disabled and enabled again. Through HTTP
 * against the real hub, on PGlite and (when PMH_TEST_DATABASE_URL is set) PostgreSQL.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import iconv from 'iconv-lite';
import { Secret, TOTP } from 'otpauth';
import { addOfficer } from '@pmh/hub/console-officers';
import { Records, TASKS, assertLogsClean, assertProblem, defineProgram, subjectPath } from './support.ts';
import { World, backends, type Caller } from '../../testkit/src/index.ts';

const TOKYO = '131016';
const OSAKA = '271004';
const PASSWORD = 'correct horse battery staple';

for (const backend of backends()) {
  describe(`municipal console pages (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    let osaka: Caller;
    let clock = Date.now();
    const secrets = new Map<string, string>();
    const cookies = new Map<string, string>();
    const records = new Records(1515, 'P');

    async function request(method: string, path: string, o: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.cookie) headers.cookie = o.cookie;
      if (method !== 'GET') headers['x-requested-with'] = 'fetch';
      let body: string | undefined;
      if (o.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(o.body);
      }
      const res = await fetch(`${w.hubUrl}${path}`, { method, headers, body });
      const buf = Buffer.from(await res.arrayBuffer());
      const text = buf.toString('utf8');
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, buf, body: json };
    }

    /** The cookie of an officer's session (signed in once per officer). */
    async function as(municipalityCode: string, loginId: string): Promise<string> {
      const known = cookies.get(`${municipalityCode}:${loginId}`);
      if (known) return known;
      clock += 30_000;
      const totp = new TOTP({ secret: Secret.fromBase32(secrets.get(`${municipalityCode}:${loginId}`)!), digits: 6, period: 30 }).generate({
        timestamp: clock,
      });
      const res = await request('POST', '/console/v1/sessions', { body: { municipalityCode, loginId, password: PASSWORD, totp } });
      assert.equal(res.status, 201, res.text);
      const cookie = res.headers.get('set-cookie')!.split(';')[0];
      cookies.set(`${municipalityCode}:${loginId}`, cookie);
      return cookie;
    }

    const hanako = records.child({
      municipalityIdentityKey: 'P-001',
      basicFiveInfo: { name: '千代田 花子', nameKana: 'チヨダ ハナコ', address: '東京都千代田区九段南1-2-1', dateOfBirth: '2018-05-01', sex: '2' },
    });
    const taro = records.child({
      municipalityIdentityKey: 'P-002',
      basicFiveInfo: { name: '千代田 太郎', nameKana: 'チヨダ タロウ', address: '東京都千代田区九段南1-2-1', dateOfBirth: '2016-01-10', sex: '1' },
    });
    const other = records.child({
      municipalityIdentityKey: 'P-003',
      basicFiveInfo: { name: '神田 次郎', nameKana: 'カンダ ジロウ', address: '東京都千代田区神田1-1', dateOfBirth: '2019-03-03', sex: '1' },
    });

    before(async () => {
      w = await World.start({ backend, services: ['hub'], hub: { console: { now: () => clock } } });
      tokyo = w.municipality(TOKYO);
      osaka = w.municipality(OSAKA);
      for (const [m, loginId, role] of [
        [TOKYO, 'kanri', 'admin'],
        [TOKYO, 'etsuran', 'read'],
        [TOKYO, 'touroku', 'register'],
        [TOKYO, 'tsuchi', 'notify'],
        [TOKYO, 'teishi', 'read'],
        [OSAKA, 'kanri', 'admin'],
      ] as const) {
        const { totpSecret } = await addOfficer(w.hub.database.db, w.hub.context.cipher, { municipalityCode: m, loginId, password: PASSWORD, role });
        secrets.set(`${m}:${loginId}`, totpSecret);
      }
      await defineProgram(w, tokyo);
      await defineProgram(w, osaka);
      // Hanako's certificate in two versions (a new co-payment from October), Taro's and Jiro's once.
      await w.register(tokyo, 'medical-subsidy', [hanako, taro, other]);
      await w.register(tokyo, 'medical-subsidy', [
        records.samePerson(hanako, {
          historyKey: '2',
          validFrom: '2025-10-01',
          maxCopaymentAmount: { monthly: 500 },
          certificationDetail: [{ label: '自己負担', value: '月500円まで' }],
        }),
      ]);
      // Osaka registers a subject of its own: never in Tokyo's lists.
      await w.register(osaka, 'medical-subsidy', [records.child({ municipalityIdentityKey: 'OSAKA-1' })]);
    });
    after(async () => {
      if (w) assertLogsClean(w, records.myNumbers);
      await w?.stop();
    });

    it('lists subjects by 宛名番号, a page at a time, with each one’s processes and statuses (never a PMH-ID)', async () => {
      const first = await w.call(tokyo, 'GET', '/municipal/v1/subjects?limit=2');
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(
        first.body.subjects.map((s: any) => s.municipalityIdentityKey),
        ['P-001', 'P-002'],
      );
      assert.ok(first.body.nextCursor);
      const s = first.body.subjects[0];
      assert.deepEqual(s.processes, ['medical-subsidy']);
      assert.equal(s.pmhIdStatus, 'pending');
      assert.equal(s.portalLinkStatus, 'unlinked');
      assert.equal('pmhId' in s, false);
      const second = await w.call(tokyo, 'GET', `/municipal/v1/subjects?limit=2&cursor=${first.body.nextCursor}`);
      assert.deepEqual(
        second.body.subjects.map((x: any) => x.municipalityIdentityKey),
        ['P-003'],
      );
      assert.equal(second.body.nextCursor, undefined);
      // Osaka's subject is not Tokyo's, and Tokyo's are not Osaka's.
      const osakaList = await w.call(osaka, 'GET', '/municipal/v1/subjects');
      assert.deepEqual(
        osakaList.body.subjects.map((x: any) => x.municipalityIdentityKey),
        ['OSAKA-1'],
      );
      const osakaOfficer = await request('GET', '/municipal/v1/subjects?municipalityIdentityKey=P-001', { cookie: await as(OSAKA, 'kanri') });
      assert.equal(osakaOfficer.status, 200);
      assert.deepEqual(osakaOfficer.body.subjects, []);
    });

    it('matches kana whatever its script and width (hiragana, half-width katakana), spaces ignored; filters by birth date, status and process', async () => {
      const keys = async (query: string) => {
        const res = await w.call(tokyo, 'GET', `/municipal/v1/subjects?${query}`);
        assert.equal(res.status, 200, res.text);
        return res.body.subjects.map((x: any) => x.municipalityIdentityKey);
      };
      assert.deepEqual(await keys(`kana=${encodeURIComponent('ちよだ')}`), ['P-001', 'P-002']);
      assert.deepEqual(await keys(`kana=${encodeURIComponent('ﾁﾖﾀﾞ ﾊﾅ')}`), ['P-001']);
      assert.deepEqual(await keys(`kana=${encodeURIComponent('チヨダハナコ')}`), ['P-001']);
      assert.deepEqual(await keys(`kana=${encodeURIComponent('かんだ　じろう')}`), ['P-003']);
      assert.deepEqual(await keys('birthDate=2016-01-10'), ['P-002']);
      assert.deepEqual(await keys(`kana=${encodeURIComponent('ちよだ')}&birthDate=2018-05-01`), ['P-001']);
      assert.deepEqual(await keys('status=pmh-id-pending&process=medical-subsidy'), ['P-001', 'P-002', 'P-003']);
      assert.deepEqual(await keys('status=portal-linked'), []);
      assert.deepEqual(await keys('process=vaccination'), []);
      assert.deepEqual(await keys(`municipalityIdentityKey=${encodeURIComponent('Ｐ－００２'.replace('－', '-'))}`), ['P-002']);
    });

    it('refuses bad list parameters with a 400 naming the field', async () => {
      for (const [query, pointer] of [
        ['birthDate=2018-02-30', '/querystring/birthDate'],
        ['status=sleeping', '/querystring/status'],
        ['process=taxes', '/querystring/process'],
        ['limit=0', '/querystring/limit'],
        ['limit=101', '/querystring/limit'],
        ['cursor=not*a*cursor', '/querystring/cursor'],
        [`cursor=${Buffer.from('["P-001","not-a-uuid"]').toString('base64url')}`, '/querystring/cursor'],
        [`kana=${encodeURIComponent('Chiyoda')}`, '/querystring/kana'],
        ['unknown=1', undefined],
      ] as const) {
        const res = await w.call(tokyo, 'GET', `/municipal/v1/subjects?${query}`);
        assertProblem(res, 400, pointer);
      }
    });

    it('a listing is audited, naming the subjects listed and the filters used, never their values', async () => {
      const res = await w.call(tokyo, 'GET', `/municipal/v1/subjects?kana=${encodeURIComponent('はなこ')}&birthDate=2018-05-01`, undefined, {
        'x-request-id': 'console-list-1',
      });
      assert.equal(res.status, 200);
      const rows = await sql<{ action: string; subject_ref: string | null; detail: any }>`
        select action, subject_ref, detail from audit_log where detail->>'requestId' = 'console-list-1'`.execute(w.hub.database.db);
      // 「はなこ」 is not the start of any name: the list is empty and one not-found row says so.
      assert.deepEqual(res.body.subjects, []);
      assert.equal(rows.rows.length, 1);
      assert.equal(rows.rows[0].action, 'subject.list');
      const detail = typeof rows.rows[0].detail === 'string' ? JSON.parse(rows.rows[0].detail) : rows.rows[0].detail;
      assert.deepEqual(detail.by, ['kana', 'birthDate']);
      assert.equal(JSON.stringify(detail).includes('2018-05-01'), false);
    });

    it('shows every field of every certificate version: co-payment, conditions, certificationDetail, when stored', async () => {
      const res = await w.call(tokyo, 'GET', subjectPath('P-001'));
      assert.equal(res.status, 200, res.text);
      const versions = res.body.medicalSubsidyCertificates;
      assert.equal(versions.length, 2);
      assert.deepEqual(
        versions.map((c: any) => [c.historyKey, c.validFrom, c.maxCopaymentAmount, c.certificationDetail]),
        [
          ['1', '2025-04-01', { monthly: 0 }, [{ label: '自己負担', value: 'なし' }]],
          ['2', '2025-10-01', { monthly: 500 }, [{ label: '自己負担', value: '月500円まで' }]],
        ],
      );
      assert.deepEqual(versions[0].additionalConditions, ['A1', 'A2']);
      assert.equal(versions[0].segment, '1');
      assert.equal(versions[0].incomeSegment, 'A');
      assert.equal(versions[0].isAlwaysReimbursement, false);
      assert.deepEqual(versions[0].designatedMedicalInstitutions, []);
      assert.match(versions[0].registeredAt, /^\d{4}-\d{2}-\d{2}T/);
    });

    it('lists the programmes; another municipality’s are not in it', async () => {
      const res = await w.call(tokyo, 'GET', '/municipal/v1/medical-subsidy/programs');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.programs.length, 1);
      assert.equal(res.body.programs[0].municipalityCode, TOKYO);
      const viaConsole = await request('GET', '/municipal/v1/medical-subsidy/programs', { cookie: await as(TOKYO, 'etsuran') });
      assert.equal(viaConsole.status, 200);
      assert.deepEqual(viaConsole.body, res.body);
    });

    it('the access log: who read which subject, filtered by actor kind, subject and day; CSV in Shift_JIS; audited itself', async () => {
      const reader = await as(TOKYO, 'etsuran');
      assert.equal((await request('GET', subjectPath('P-002'), { cookie: reader })).status, 200);
      assert.equal((await w.call(tokyo, 'GET', subjectPath('P-003'))).status, 200);
      // Osaka's own read of its own subject is never in Tokyo's log.
      assert.equal((await w.call(osaka, 'GET', subjectPath('OSAKA-1'))).status, 200);

      const all = await request('GET', '/municipal/v1/access-log?limit=100', { cookie: reader, headers: { 'x-request-id': 'console-access-1' } });
      assert.equal(all.status, 200, all.text);
      assert.ok(all.body.items.length >= 3);
      assert.ok(
        all.body.items.every((i: any) => ['P-001', 'P-002', 'P-003'].includes(i.municipalityIdentityKey)),
        'only Tokyo’s subjects',
      );
      const officerRead = all.body.items.find((i: any) => i.action === 'subject.read' && i.municipalityIdentityKey === 'P-002');
      assert.deepEqual(
        { kind: officerRead.actorKind, code: officerRead.actorCode, login: officerRead.officerLoginId },
        { kind: 'officer', code: TOKYO, login: 'etsuran' },
      );
      const sorted = [...all.body.items].sort((a: any, b: any) => b.at.localeCompare(a.at));
      assert.deepEqual(all.body.items, sorted, 'newest first');

      const officers = await request('GET', '/municipal/v1/access-log?actorKind=officer', { cookie: reader });
      assert.ok(officers.body.items.length >= 1);
      assert.ok(officers.body.items.every((i: any) => i.actorKind === 'officer'));
      const bySubject = await request('GET', '/municipal/v1/access-log?subjectKey=P-003&actorKind=municipality', { cookie: reader });
      assert.ok(bySubject.body.items.length >= 1);
      assert.ok(bySubject.body.items.every((i: any) => i.municipalityIdentityKey === 'P-003' && i.actorKind === 'municipality'));
      const past = await request('GET', '/municipal/v1/access-log?from=2001-01-01&to=2001-12-31', { cookie: reader });
      assert.deepEqual(past.body.items, []);

      // Paged: two at a time, no entry twice.
      const p1 = await request('GET', '/municipal/v1/access-log?limit=2', { cookie: reader });
      assert.equal(p1.body.items.length, 2);
      const p2 = await request('GET', `/municipal/v1/access-log?limit=2&before=${p1.body.nextBefore}`, { cookie: reader });
      assert.deepEqual(p2.body.items, all.body.items.slice(2, 4));

      const csv = await request('GET', '/municipal/v1/access-log?charset=shift_jis&actorKind=officer', { cookie: reader, headers: { accept: 'text/csv' } });
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type')!, /text\/csv; charset=Shift_JIS/);
      const lines = iconv.decode(csv.buf, 'cp932').trim().split(/\r?\n/);
      assert.equal(lines[0], 'at,actorKind,actorCode,officerLoginId,action,purpose,outcome,municipalityIdentityKey');
      assert.ok(lines.some((l) => l.includes(',officer,131016,etsuran,subject.read,')));

      const audited = await sql<{ actor: string; action: string }>`
        select actor, action from audit_log where detail->>'requestId' = 'console-access-1'`.execute(w.hub.database.db);
      assert.deepEqual(audited.rows, [{ actor: `officer:${TOKYO}:etsuran`, action: 'access-log.read' }]);

      // Osaka sees none of Tokyo's subjects' rows.
      const osakaLog = await w.call(osaka, 'GET', '/municipal/v1/access-log?limit=100');
      assert.equal(osakaLog.status, 200);
      assert.ok(osakaLog.body.items.every((i: any) => i.municipalityIdentityKey === 'OSAKA-1'));
    });

    it('the access log refuses 登録 and 通知 officers (403) and bad parameters (400 naming the field)', async () => {
      for (const loginId of ['touroku', 'tsuchi']) {
        const res = await request('GET', '/municipal/v1/access-log', { cookie: await as(TOKYO, loginId) });
        assertProblem(res, 403);
      }
      assert.equal((await request('GET', '/municipal/v1/access-log', { cookie: await as(TOKYO, 'kanri') })).status, 200);
      for (const [query, pointer] of [
        ['from=2026-13-01', '/querystring/from'],
        ['to=yesterday', '/querystring/to'],
        ['from=2026-05-02&to=2026-05-01', '/querystring/to'],
        ['actorKind=alien', '/querystring/actorKind'],
        ['before=xyz', '/querystring/before'],
        ['limit=500', '/querystring/limit'],
        ['charset=latin1', '/querystring/charset'],
      ] as const) {
        assertProblem(await w.call(tokyo, 'GET', `/municipal/v1/access-log?${query}`), 400, pointer);
      }
    });

    it('a scheduled notification is listed, cancelled (its targets never delivered), and cannot be cancelled once published', async () => {
      const notifier = await as(TOKYO, 'tsuchi');
      const publishAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const sent = await request('POST', '/municipal/v1/notifications', {
        cookie: notifier,
        body: {
          targets: [{ municipalityIdentityKey: 'P-001' }, { municipalityIdentityKey: 'P-002' }],
          category: 'general',
          title: '予約のお知らせ',
          body: '本文',
          publishAt,
        },
      });
      assert.equal(sent.status, 202, sent.text);
      const id = sent.body.notificationId;
      const now = await w.call(tokyo, 'POST', '/municipal/v1/notifications', {
        targets: [{ municipalityIdentityKey: 'P-003' }],
        category: 'general',
        title: 'すぐのお知らせ',
        body: '本文',
      });
      assert.equal(now.status, 202);

      const list = await request('GET', '/municipal/v1/notifications', { cookie: notifier });
      assert.equal(list.status, 200, list.text);
      const listed = list.body.notifications.find((n: any) => n.notificationId === id);
      assert.deepEqual(listed.counts, { delivered: 0, waiting: 0, scheduled: 2, cancelled: 0 });
      assert.equal(listed.cancelledAt, null);
      assert.equal(list.body.notifications[0].notificationId, now.body.notificationId, 'newest first');
      const page = await w.call(tokyo, 'GET', '/municipal/v1/notifications?limit=1');
      assert.equal(page.body.notifications.length, 1);
      const page2 = await w.call(tokyo, 'GET', `/municipal/v1/notifications?limit=1&before=${page.body.nextBefore}`);
      assert.equal(page2.body.notifications[0].notificationId, id);

      // Only 通知 and 管理 may cancel; another municipality cannot even find it.
      assertProblem(await request('POST', `/municipal/v1/notifications/${id}/cancel`, { cookie: await as(TOKYO, 'etsuran') }), 403);
      assertProblem(await request('POST', `/municipal/v1/notifications/${id}/cancel`, { cookie: await as(TOKYO, 'touroku') }), 403);
      assertProblem(await w.call(osaka, 'POST', `/municipal/v1/notifications/${id}/cancel`), 404);
      assert.equal((await w.call(osaka, 'GET', '/municipal/v1/notifications')).body.notifications.length, 0);
      assertProblem(await w.call(tokyo, 'POST', '/municipal/v1/notifications/not-a-uuid/cancel'), 400, '/params/notificationId');

      const cancelled = await request('POST', `/municipal/v1/notifications/${id}/cancel`, {
        cookie: notifier,
        headers: { 'x-request-id': 'console-cancel-1' },
      });
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.match(cancelled.body.cancelledAt, /^\d{4}-/);
      assert.equal(cancelled.body.counts.cancelled, 2);
      assert.deepEqual(
        cancelled.body.targets.map((t: any) => t.status),
        ['cancelled', 'cancelled'],
      );
      const again = await request('POST', `/municipal/v1/notifications/${id}/cancel`, { cookie: notifier });
      assert.equal(again.status, 200, 'cancelling again answers the same');
      const audit = await sql<{ action: string }>`select action from audit_log where detail->>'requestId' = 'console-cancel-1'`.execute(w.hub.database.db);
      assert.deepEqual(
        audit.rows.map((r) => r.action),
        ['notification.cancel', 'notification.cancel'],
      );

      // The release job never takes a cancelled target, even once its time has come.
      await sql`update notifications set publish_at = now() - interval '1 minute' where id = ${id}`.execute(w.hub.database.db);
      await sql`update notification_targets set publish_at = now() - interval '1 minute' where notification_id = ${id}`.execute(w.hub.database.db);
      await w.until('the immediate notification is released', async () => {
        const s = await w.call(tokyo, 'GET', `/municipal/v1/notifications/${now.body.notificationId}`);
        return s.body.counts.scheduled === 0;
      });
      const afterRelease = await w.call(tokyo, 'GET', `/municipal/v1/notifications/${id}`);
      assert.deepEqual(
        afterRelease.body.targets.map((t: any) => t.status),
        ['cancelled', 'cancelled'],
      );

      // A published notification cannot be cancelled.
      const late = await w.call(tokyo, 'POST', `/municipal/v1/notifications/${now.body.notificationId}/cancel`);
      assertProblem(late, 409);
      assert.equal(late.body.type, 'urn:pmh:problem:already-published');
    });

    it('a 管理 officer disables an officer (no sign-in, sessions ended, said as a wrong factor would) and enables them again', async () => {
      const admin = await as(TOKYO, 'kanri');
      const before = await as(TOKYO, 'teishi');
      assert.equal((await request('GET', '/console/v1/me', { cookie: before })).status, 200);
      assertProblem(await request('PUT', '/console/v1/officers/teishi', { cookie: await as(TOKYO, 'etsuran'), body: { disabled: true } }), 403);
      const off = await request('PUT', '/console/v1/officers/teishi', { cookie: admin, body: { disabled: true } });
      assert.equal(off.status, 200, off.text);
      assert.equal(off.body.officer.disabled, true);
      assert.equal((await request('GET', '/console/v1/me', { cookie: before })).status, 401, 'the session ended');
      cookies.delete(`${TOKYO}:teishi`);
      clock += 30_000;
      const totp = new TOTP({ secret: Secret.fromBase32(secrets.get(`${TOKYO}:teishi`)!), digits: 6, period: 30 }).generate({ timestamp: clock });
      const refused = await request('POST', '/console/v1/sessions', { body: { municipalityCode: TOKYO, loginId: 'teishi', password: PASSWORD, totp } });
      assertProblem(refused, 401);
      assert.equal(refused.body.type, 'urn:pmh:problem:sign-in-failed');
      const listed = await request('GET', '/console/v1/officers', { cookie: admin });
      assert.equal(listed.body.officers.find((o: any) => o.loginId === 'teishi').disabled, true);
      const self = await request('PUT', '/console/v1/officers/kanri', { cookie: admin, body: { disabled: true } });
      assertProblem(self, 409);
      assert.equal(self.body.type, 'urn:pmh:problem:own-account');
      assertProblem(await request('PUT', '/console/v1/officers/teishi', { cookie: admin, body: { disabled: 'yes' } }), 400, '/disabled');
      const on = await request('PUT', '/console/v1/officers/teishi', { cookie: admin, body: { disabled: false } });
      assert.equal(on.body.officer.disabled, undefined, 'an enabled officer’s view is as before');
      assert.equal((await request('GET', '/console/v1/me', { cookie: await as(TOKYO, 'teishi') })).status, 200, 'signs in again');
    });

    it('a task’s errors come as CSV (Shift_JIS on asking)', async () => {
      const bad = records.child({ municipalityIdentityKey: 'P-BAD', orgSpecificCertificateTypeId: 'no-such-programme' });
      const accepted = await w.call(tokyo, 'POST', TASKS, [bad]);
      assert.equal(accepted.status, 202, accepted.text);
      const task = await w.waitForTask(tokyo, accepted.body.taskId);
      assert.equal(task.failed, 1);
      const res = await fetch(`${w.hubUrl}/municipal/v1/registration-tasks/${task.taskId}?charset=shift_jis`, {
        headers: { accept: 'text/csv', authorization: await w.authorization(tokyo) },
      });
      assert.equal(res.status, 200);
      const lines = iconv
        .decode(Buffer.from(await res.arrayBuffer()), 'cp932')
        .trim()
        .split(/\r?\n/);
      assert.equal(lines[0], 'index,outcome,pointer,message');
      assert.ok(lines.length >= 2);
      assert.match(lines[1], /^0,failed,\/0\/orgSpecificCertificateTypeId,/);
      assertProblem(await w.call(tokyo, 'GET', `/municipal/v1/registration-tasks/${task.taskId}?charset=ebcdic`), 400, '/querystring/charset');
    });
  });
}
