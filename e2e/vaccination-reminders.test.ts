import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { hubApi } from '@pmh/protocol';
import { ApiClient } from '@pmh/protocol';
import { World, backends, Rng, myNumber, personName, identifiersIn, type Enrolled, type HttpAnswer } from '../packages/testkit/src/index.ts';
import { addDays, dueDoses, ruleFor } from '../packages/hub/src/domain/vaccination/index.ts';
import { VaccinationJobs } from '../packages/hub/src/worker/vaccination-jobs.ts';

/**
 * Reminders across services (seed B③): Tokyo opts in for 小児の肺炎球菌; the hub's job, on an injected
 * day when the child's first dose is due, sends one notification through the outbox to the portal,
 * where the guardian's inbox shows it once — with the vaccine's name and the period in 和暦 and 西暦 —
 * however often the job runs, two runs at once, or a job made anew (a restart). A vaccine not opted in,
 * another municipality's subject, an ended registration and an unlinked person get nothing.
 */
const [TOKYO, OSAKA] = ['131016', '271004'];

for (const backend of backends()) {
  describe(`vaccination reminders to the portal (${backend})`, () => {
    let w: World;
    const rng = new Rng(1212_7);
    let child: Enrolled;
    let osakaChild: Enrolled;
    let endedChild: Enrolled;
    const birth = '2026-01-10';
    /** The job's clock: a day the child's first doses are due (70 days old). */
    let today = addDays(birth, 70);

    const portal = (path: string, cookie: string): Promise<HttpAnswer> => w.call(null, 'GET', path, undefined, { cookie }, 'portal');
    const subject = (p: Enrolled, key: string) => ({
      modificationSeg: '1',
      myNumber: p.myNumber,
      municipalityIdentityKey: key,
      basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: birth, sex: '1' },
      isNotDisclosed: false,
    });
    const count = async (service: 'hub' | 'portal', query: ReturnType<typeof sql>) =>
      Number(((await query.execute(w.service(service).database.db)).rows[0] as { n: string }).n);
    const inboxOf = async (p: Enrolled) => {
      const r = await portal('/portal/v1/me/notifications', await w.loginResident(p));
      assert.equal(r.status, 200, r.text);
      return r.body.items as Array<{ title: string; body: string; category: string; municipalityCode: string }>;
    };
    const settled = () =>
      w.until('every reminder delivered, every outbox empty', async () => {
        if ((await count('hub', sql`select count(*) as n from notification_targets where state <> 'delivered'`)) > 0) return false;
        for (const s of ['hub', 'portal'] as const) if ((await count(s, sql`select count(*) as n from outbox`)) > 0) return false;
        return true;
      });

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'], hubJobs: { today: () => today, pollMs: 3_600_000 } });
      [child, osakaChild, endedChild] = await w.enrol([myNumber(rng), myNumber(rng), myNumber(rng)]);
      const tokyo = await w.register(w.municipality(TOKYO), 'vaccination', [subject(child, 'RM-1'), subject(endedChild, 'RM-2')]);
      assert.equal(tokyo.succeeded, 2, JSON.stringify(tokyo.results));
      const ended = await w.register(w.municipality(TOKYO), 'vaccination', [
        { modificationSeg: '2', municipalityIdentityKey: 'RM-2', reason: 'moved-out', date: '2026-02-01' },
      ]);
      assert.equal(ended.succeeded, 1);
      const osaka = await w.register(w.municipality(OSAKA), 'vaccination', [subject(osakaChild, 'RM-3')]);
      assert.equal(osaka.succeeded, 1);
      await w.until(
        'all three linked to the portal',
        async () => (await count('hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) >= 3,
      );
      const hub = new ApiClient(w.hubUrl, { authorization: () => w.authorization(w.municipality(TOKYO)) });
      await hub.ok(hubApi.municipal.putVaccinationReminder, { params: { vaccineCode: 'pcv' }, body: { enabled: true } });
      // Osaka opts in for nothing; Tokyo switches BCG on and off again.
      await hub.ok(hubApi.municipal.putVaccinationReminder, { params: { vaccineCode: 'bcg' }, body: { enabled: true } });
      await hub.ok(hubApi.municipal.putVaccinationReminder, { params: { vaccineCode: 'bcg' }, body: { enabled: false } });
    });
    after(() => w?.stop());

    it('sends the due dose once, however often and however many times at once the job runs', async () => {
      const expected = dueDoses({ dateOfBirth: birth, sex: '1' }, [], today, new Set(['pcv']));
      assert.deepEqual(
        expected.map((d) => [d.vaccineCode, d.doseNumber]),
        [['pcv', 1]],
        'the rules say the first PCV dose is due that day',
      );
      const jobs = w.hub.context.jobs;
      const first = await jobs.remind();
      assert.deepEqual([first.today, first.sent], [today, 1]);
      // Two runs at once, then again, then a job made anew (what a restart gives): nothing more.
      const together = await Promise.all([jobs.remind(), jobs.remind()]);
      assert.deepEqual(
        together.map((r) => r.sent),
        [0, 0],
      );
      const fresh = new VaccinationJobs(w.hub.context.store.system, w.hub.context.log, () => {}, { today: () => today });
      assert.equal((await fresh.remind()).sent, 0);
      await settled();

      const items = await inboxOf(child);
      assert.equal(items.length, 1, JSON.stringify(items));
      const [n] = items;
      const name = ruleFor('pcv', today)!.name;
      assert.equal(n.category, 'vaccination');
      assert.equal(n.municipalityCode, TOKYO);
      assert.ok(n.title.includes(name), n.title);
      const { earliest, latest, recommended } = expected[0].entry;
      // The period in 和暦 and 西暦: 令和8年3月9日（2026-03-09）.
      for (const d of [earliest, latest, recommended]) if (d) assert.ok(n.body.includes(d), `${d} in ${n.body}`);
      assert.match(n.body, /令和\d+年\d+月\d+日（\d{4}-\d{2}-\d{2}）/);
      const found = identifiersIn(JSON.stringify(items), { myNumbers: [child.myNumber], cardSerials: [child.cardSerial] });
      for (const kind of ['pmhId', 'pseudonym', 'pmhPseudonym', 'linkageNumber', 'myNumber', 'cardSerial'] as const)
        assert.equal(found[kind].size, 0, `no ${kind} in the inbox`);

      // Nobody else: Osaka did not opt in, RM-2's registration ended.
      assert.deepEqual(await inboxOf(osakaChild), []);
      assert.deepEqual(await inboxOf(endedChild), []);

      // The hub's side: one reminder row, one notification, audited against the subject (the resident's access log shows it).
      assert.equal(await count('hub', sql`select count(*) as n from vaccination_reminders`), 1);
      assert.equal(await count('hub', sql`select count(*) as n from notifications where client_id = 'hub:vaccination-reminders'`), 1);
      const log = await portal('/portal/v1/me/access-log', await w.loginResident(child));
      assert.ok(
        (log.body.items as Array<{ action: string; actorKind: string }>).some((e) => e.action === 'notification.create' && e.actorKind === 'system'),
        log.text,
      );
    });

    it('a later day: the next due dose gets its own reminder; one already given is never reminded', async () => {
      // 70 days on: PCV dose 1 still not given, so dose 2 is not due; nothing new.
      today = addDays(birth, 100);
      const expected = dueDoses({ dateOfBirth: birth, sex: '1' }, [], today, new Set(['pcv']));
      assert.deepEqual(
        expected.map((d) => [d.vaccineCode, d.doseNumber]),
        [['pcv', 1]],
      );
      assert.equal((await w.hub.context.jobs.remind()).sent, 0, 'the same dose, a later day: not again');
      // Opting in for 五種混合 now reminds its due dose, once (BCG, due too, was switched off: never).
      const hub = new ApiClient(w.hubUrl, { authorization: () => w.authorization(w.municipality(TOKYO)) });
      await hub.ok(hubApi.municipal.putVaccinationReminder, { params: { vaccineCode: 'dpt-ipv-hib' }, body: { enabled: true } });
      const hib = dueDoses({ dateOfBirth: birth, sex: '1' }, [], today, new Set(['dpt-ipv-hib']));
      assert.equal(hib.length, 1);
      const run = await w.hub.context.jobs.remind();
      assert.equal(run.sent, hib.length);
      assert.equal((await w.hub.context.jobs.remind()).sent, 0);
      await settled();
      const titles = (await inboxOf(child)).map((i) => i.title);
      assert.equal(titles.length, 2, JSON.stringify(titles));
      assert.ok(titles.some((t) => t.includes(ruleFor('dpt-ipv-hib', today)!.name)));
      assert.ok(!titles.some((t) => t.includes('BCG')));
    });
  });
}
