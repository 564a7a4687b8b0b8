/**
 * The municipal console's sign-in and its door to the municipal API: officers with password and
 * TOTP, one answer for any wrong factor, lock-out, session expiry by an injected clock, roles that
 * limit writes, the CSRF header, one municipality's officer never seeing another's subjects, and
 * the audit trail naming the officer. Through HTTP against the real hub, on PGlite and (when
 * PMH_TEST_DATABASE_URL is set) PostgreSQL.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { addOfficer } from '@pmh/hub/console-officers';
import { Records, assertLogsClean, defineProgram, subjectPath } from './support.ts';
import { World, backends, type Caller } from '../../testkit/src/index.ts';

const TOKYO = '131016';
const OSAKA = '271004';
const PASSWORD = 'correct horse battery staple';

for (const backend of backends()) {
  describe(`municipal console (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    let clock = Date.parse('2026-06-01T09:00:00+09:00');
    const secrets = new Map<string, string>();
    const records = new Records(1414, 'C');
    const registeredKey = 'C-REG-1';

    const code = (municipalityCode: string, loginId: string, at = clock) =>
      new TOTP({ secret: Secret.fromBase32(secrets.get(`${municipalityCode}:${loginId}`)!), digits: 6, period: 30 }).generate({ timestamp: at });
    /** A new TOTP step for every sign-in: a code is good once. */
    const tick = () => (clock += 30_000);

    async function request(
      method: string,
      path: string,
      o: { cookie?: string; body?: unknown; headers?: Record<string, string>; raw?: string; contentType?: string } = {},
    ) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.cookie) headers.cookie = o.cookie;
      let body: string | undefined;
      if (o.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(o.body);
      } else if (o.raw !== undefined) {
        headers['content-type'] = o.contentType ?? 'text/csv; charset=utf-8';
        body = o.raw;
      }
      const res = await fetch(`${w.hubUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, body: json };
    }

    async function signIn(municipalityCode: string, loginId: string, o: { password?: string; totp?: string } = {}) {
      tick();
      return request('POST', '/console/v1/sessions', {
        body: { municipalityCode, loginId, password: o.password ?? PASSWORD, totp: o.totp ?? code(municipalityCode, loginId) },
      });
    }
    /** Signs in and answers the cookie to send. */
    async function session(municipalityCode: string, loginId: string): Promise<string> {
      const res = await signIn(municipalityCode, loginId);
      assert.equal(res.status, 201, res.text);
      return res.headers.get('set-cookie')!.split(';')[0];
    }

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'], hub: { console: { now: () => clock } } });
      tokyo = w.municipality(TOKYO);
      for (const [m, loginId, role] of [
        [TOKYO, 'kanri', 'admin'],
        [TOKYO, 'etsuran', 'read'],
        [TOKYO, 'touroku', 'register'],
        [TOKYO, 'tsuchi', 'notify'],
        [TOKYO, 'lockme', 'read'],
        [OSAKA, 'kanri', 'admin'],
      ] as const) {
        const { totpSecret } = await addOfficer(w.hub.database.db, w.hub.context.cipher, { municipalityCode: m, loginId, password: PASSWORD, role });
        secrets.set(`${m}:${loginId}`, totpSecret);
      }
      await defineProgram(w, tokyo);
      const t = await w.call(tokyo, 'POST', '/municipal/v1/medical-subsidy/registration-tasks', [records.child({ municipalityIdentityKey: registeredKey })]);
      assert.equal(t.status, 202, JSON.stringify(t.body));
      await w.waitForTask(tokyo, t.body.taskId);
    });
    after(async () => {
      if (w) assertLogsClean(w, records.myNumbers);
      await w?.stop();
    });

    it('signs in with password and TOTP: an HttpOnly, SameSite=Strict cookie; /me names the officer; sign-out ends it', async () => {
      const res = await signIn(TOKYO, 'kanri');
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.officer, { municipalityCode: TOKYO, loginId: 'kanri', role: 'admin', locked: false });
      const setCookie = res.headers.get('set-cookie')!;
      assert.match(setCookie, /^pmh_console=131016\.[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\//);
      const cookie = setCookie.split(';')[0];
      const me = await request('GET', '/console/v1/me', { cookie });
      assert.equal(me.status, 200);
      assert.equal(me.body.officer.loginId, 'kanri');
      assert.equal((await request('DELETE', '/console/v1/sessions/current', { cookie })).status, 403, 'sign-out without the CSRF header');
      assert.equal((await request('DELETE', '/console/v1/sessions/current', { cookie, headers: { 'x-requested-with': 'fetch' } })).status, 204);
      assert.equal((await request('GET', '/console/v1/me', { cookie })).status, 401);
    });

    it('a wrong password, a wrong code, a used code and an unknown officer all answer the same 401', async () => {
      const answers = [
        await signIn(TOKYO, 'etsuran', { password: 'not the password at all' }),
        await signIn(TOKYO, 'etsuran', { totp: String((Number(code(TOKYO, 'etsuran', clock + 30_000)) + 1) % 1_000_000).padStart(6, '0') }),
        await signIn(TOKYO, 'nobody', { totp: '123456' }),
        await signIn(OSAKA, 'etsuran', { totp: '123456' }),
      ];
      const good = await signIn(TOKYO, 'etsuran');
      assert.equal(good.status, 201);
      const reused = await request('POST', '/console/v1/sessions', {
        body: { municipalityCode: TOKYO, loginId: 'etsuran', password: PASSWORD, totp: code(TOKYO, 'etsuran') },
      });
      for (const a of [...answers, reused]) {
        assert.equal(a.status, 401, a.text);
        assert.equal(a.body.type, 'urn:pmh:problem:sign-in-failed');
        assert.equal(a.body.detail, answers[0].body.detail);
        assert.equal(a.headers.get('set-cookie'), null);
      }
    });

    it('five failures in a row lock the officer out for 15 minutes ("try later", even with the right password); then sign-in works again', async () => {
      for (let i = 0; i < 4; i++) assert.equal((await signIn(TOKYO, 'lockme', { password: 'wrong password ' + i })).status, 401);
      const fifth = await signIn(TOKYO, 'lockme', { password: 'wrong password 5' });
      assert.equal(fifth.status, 429);
      assert.match(fifth.body.detail, /Try later/);
      const right = await signIn(TOKYO, 'lockme');
      assert.equal(right.status, 429, 'locked: the right answer is refused too, saying only "try later"');
      assert.equal(right.body.detail, fifth.body.detail);
      clock += 15 * 60_000;
      assert.equal((await signIn(TOKYO, 'lockme')).status, 201);
    });

    it('a session ends after 30 minutes idle, and after 8 hours however busy (the injected clock)', async () => {
      const idle = await session(TOKYO, 'etsuran');
      clock += 29 * 60_000;
      assert.equal((await request('GET', '/console/v1/me', { cookie: idle })).status, 200, 'used within the idle timeout');
      clock += 29 * 60_000;
      assert.equal((await request('GET', '/console/v1/me', { cookie: idle })).status, 200, 'the last use restarted the idle timeout');
      clock += 31 * 60_000;
      assert.equal((await request('GET', '/console/v1/me', { cookie: idle })).status, 401, 'idle too long');

      const busy = await session(TOKYO, 'etsuran');
      for (let h = 0; h < 16; h++) {
        clock += 29 * 60_000;
        assert.equal((await request('GET', '/console/v1/me', { cookie: busy })).status, 200);
      }
      clock += 29 * 60_000;
      const ended = await request('GET', subjectPath(registeredKey), { cookie: busy });
      assert.equal(ended.status, 401, 'past 8 hours');
    });

    it('roles: 閲覧 reads but may not upload (403); 登録 uploads; 通知 may not register; a write without X-Requested-With is refused', async () => {
      const file = '宛名番号\r\n';
      const reader = await session(TOKYO, 'etsuran');
      assert.equal((await request('GET', subjectPath(registeredKey), { cookie: reader })).status, 200);
      const refused = await request('POST', '/municipal/v1/medical-subsidy/registration-files?dryRun=true', {
        cookie: reader,
        raw: file,
        headers: { 'x-requested-with': 'fetch' },
      });
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.body.type, 'urn:pmh:problem:forbidden');

      const registrar = await session(TOKYO, 'touroku');
      const noHeader = await request('POST', '/municipal/v1/medical-subsidy/registration-files?dryRun=true', { cookie: registrar, raw: file });
      assert.equal(noHeader.status, 403);
      assert.equal(noHeader.body.type, 'urn:pmh:problem:csrf');
      const dry = await request('POST', '/municipal/v1/medical-subsidy/registration-files?dryRun=true', {
        cookie: registrar,
        raw: file,
        headers: { 'x-requested-with': 'fetch' },
      });
      assert.equal(dry.status, 200, dry.text);
      assert.equal(dry.body.valid, false, 'a file of the wrong headings is checked (and found wrong): the upload itself was admitted');

      const notifier = await session(TOKYO, 'tsuchi');
      const asNotifier = await request('POST', '/municipal/v1/medical-subsidy/registration-files?dryRun=true', {
        cookie: notifier,
        raw: file,
        headers: { 'x-requested-with': 'fetch' },
      });
      assert.equal(asNotifier.status, 403);
      assert.equal((await request('GET', '/console/v1/officers', { cookie: notifier })).status, 403, 'only 管理 manages officers');
    });

    it('one municipality’s officer never sees another’s subject', async () => {
      const osaka = await session(OSAKA, 'kanri');
      const own = await request('GET', subjectPath(registeredKey), { cookie: osaka });
      assert.equal(own.status, 404);
      const named = await request('GET', subjectPath(registeredKey, `?municipalityCode=${TOKYO}`), { cookie: osaka });
      assert.equal(named.status, 403);
      const search = await request('POST', '/municipal/v1/subjects/search', {
        cookie: osaka,
        body: { municipalityIdentityKey: registeredKey },
        headers: { 'x-requested-with': 'fetch' },
      });
      assert.ok(search.status === 200 || search.status === 400, search.text);
      if (search.status === 200) assert.deepEqual(search.body.subjects, []);
      // A Tokyo cookie with Osaka's code in front opens nothing: the session is looked up in the code's scope.
      const tokyoCookie = await session(TOKYO, 'kanri');
      const forged = tokyoCookie.replace(`=${TOKYO}.`, `=${OSAKA}.`);
      assert.equal((await request('GET', '/console/v1/me', { cookie: forged })).status, 401);
      // The officers of one municipality are not another's to list.
      const list = await request('GET', '/console/v1/officers', { cookie: osaka });
      assert.deepEqual(
        list.body.officers.map((o: any) => o.loginId),
        ['kanri'],
      );
    });

    it('every action is audited under the officer: the read, the sign-in, the officer change', async () => {
      const admin = await session(TOKYO, 'kanri');
      const read = await request('GET', subjectPath(registeredKey), { cookie: admin, headers: { 'x-request-id': 'console-audit-1' } });
      assert.equal(read.status, 200);
      const rows = await sql<{ actor: string; action: string }>`
        select actor, action from audit_log where detail->>'requestId' = 'console-audit-1'`.execute(w.hub.database.db);
      assert.deepEqual(rows.rows, [{ actor: `officer:${TOKYO}:kanri`, action: rows.rows[0]?.action }]);

      const created = await request('POST', '/console/v1/officers', {
        cookie: admin,
        body: { loginId: 'shinnin', role: 'read', password: 'a new officer password' },
        headers: { 'x-requested-with': 'fetch' },
      });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.totpSecret, /^[A-Z2-7]+$/);
      assert.match(created.body.otpauthUri, /^otpauth:\/\/totp\//);
      secrets.set(`${TOKYO}:shinnin`, created.body.totpSecret);
      tick();
      const signed = await request('POST', '/console/v1/sessions', {
        body: { municipalityCode: TOKYO, loginId: 'shinnin', password: 'a new officer password', totp: code(TOKYO, 'shinnin') },
      });
      assert.equal(signed.status, 201);
      const promoted = await request('PUT', '/console/v1/officers/shinnin', {
        cookie: admin,
        body: { role: 'register' },
        headers: { 'x-requested-with': 'fetch' },
      });
      assert.equal(promoted.status, 200);
      assert.equal(promoted.body.officer.role, 'register');
      const dup = await request('POST', '/console/v1/officers', {
        cookie: admin,
        body: { loginId: 'shinnin', role: 'read', password: 'a new officer password' },
        headers: { 'x-requested-with': 'fetch' },
      });
      assert.equal(dup.status, 409);

      const trail = await sql<{ actor: string; action: string; outcome: string }>`
        select actor, action, outcome from audit_log where actor like 'officer:%' and action like 'console.%' order by at`.execute(w.hub.database.db);
      const actions = trail.rows.map((r) => `${r.actor} ${r.action} ${r.outcome}`);
      assert.ok(actions.includes(`officer:${TOKYO}:kanri console.officer.create ok`), actions.join('\n'));
      assert.ok(actions.includes(`officer:${TOKYO}:kanri console.officer.update ok`));
      assert.ok(actions.includes(`officer:${TOKYO}:shinnin console.session.create ok`));
      assert.ok(actions.includes(`officer:${TOKYO}:lockme console.session.create locked-out`));
      // Nothing of a password in the trail.
      const all = await sql<{ detail: unknown }>`select detail from audit_log where actor like 'officer:%'`.execute(w.hub.database.db);
      assert.equal(JSON.stringify(all.rows).includes(PASSWORD), false);
    });
  });
}
