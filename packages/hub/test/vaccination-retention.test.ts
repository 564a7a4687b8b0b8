/**
 * The retention purge (docs/vaccination-rules.md#retention), with an injected clock: the records of a
 * subject whose registration ended stay for the period of the rule in force on the day the job runs —
 * five years from each dose until 2026-05-31, from 2026-06-01 until five years after the day after
 * death (a registration ended for another reason keeps them) — then go, with their feed entries and
 * their place in a claim line (whose count stays); the feed goes on; every run and every purged
 * subject is audited; a registered subject's records are never touched.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { hubApi, type VaccinationFeedItem } from '@pmh/protocol';
import { Rng, World, backends, myNumber, personName, type Caller } from '../../testkit/src/index.ts';
import { keptThrough, retentionRuleAt } from '../src/domain/vaccination/retention.ts';
import { VaccinationJobs } from '../src/worker/vaccination-jobs.ts';
import { assertLogsClean, assertOutcome, hubAs, subjectOf } from './support.ts';

const TOKYO = '131016';
const CLINIC = '1312345674';

for (const backend of backends()) {
  describe(`vaccination retention purge (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    const rng = new Rng(1212_9);
    const myNumbers = new Set<string>();
    /** The jobs' clock. */
    let today = '2024-01-01';

    const subject = (key: string, doses: Array<[string, string, number, string]>) => {
      const n = myNumber(rng);
      myNumbers.add(n);
      return {
        modificationSeg: '1',
        myNumber: n,
        municipalityIdentityKey: key,
        basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: '2019-01-01', sex: '2' },
        isNotDisclosed: false,
        vaccinationRecords: doses.map(([recordKey, vaccineCode, doseNumber, date]) => ({ recordKey, vaccineCode, doseNumber, date })),
        vouchers: [],
      };
    };
    const recordsOf = async (key: string) => (await subjectOf(w, tokyo, key)).vaccination?.records;
    const readFeed = async (since: string) => {
      const items: VaccinationFeedItem[] = [];
      let cursor = since;
      for (;;) {
        const page = await hubAs(w, tokyo).ok(hubApi.municipal.vaccinationRecords, { query: { since: cursor, limit: '2' } });
        if (page.items.length === 0) return { items, cursor };
        items.push(...page.items);
        cursor = page.nextCursor;
      }
    };
    const purgeAt = async (day: string) => {
      today = day;
      return w.hub.context.jobs.purge();
    };
    let clinicDose = '';
    let claimId = '';

    before(async () => {
      w = await World.start({ backend, services: ['hub'], hubJobs: { today: () => today, pollMs: 3_600_000 } });
      tokyo = w.municipality(TOKYO);
      const task = await w.register(tokyo, 'vaccination', [
        subject('RT-MOVED', [
          ['R1', 'hib', 1, '2020-01-10'],
          ['R2', 'hib', 2, '2021-06-01'],
        ]),
        subject('RT-DECEASED', [['D1', 'mr', 1, '2024-03-01']]),
        subject('RT-STAYS', [['S1', 'bcg', 1, '2019-01-05']]),
      ]);
      for (const i of [0, 1, 2]) assertOutcome(task, i, 'created');
      // A clinic's dose of the moved-out subject, claimed and confirmed for May 2021.
      clinicDose = (await w.hub.context.store.system.autocommit.recordClinicDose({
        municipalityCode: TOKYO,
        municipalityIdentityKey: 'RT-MOVED',
        vaccineCode: 'pcv',
        doseNumber: 1,
        date: '2021-05-10',
        institutionCode: CLINIC,
      }))!;
      await hubAs(w, tokyo).ok(hubApi.municipal.putVaccinationPrice, { params: { vaccineCode: 'pcv' }, body: { unitPrice: 10_000, validFrom: '2021-04-01' } });
      const confirmed = await hubAs(w, tokyo).call(hubApi.municipal.confirmVaccinationClaims, { body: { month: '2021-05' } });
      assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
      claimId = confirmed.body.confirmed[0].claimId!;
      const ended = await w.register(tokyo, 'vaccination', [
        { modificationSeg: '2', municipalityIdentityKey: 'RT-MOVED', reason: 'moved-out', date: '2022-06-30' },
        { modificationSeg: '2', municipalityIdentityKey: 'RT-DECEASED', reason: 'deceased', date: '2026-07-01' },
      ]);
      assertOutcome(ended, 0, 'deleted');
      assertOutcome(ended, 1, 'deleted');
    });
    after(async () => {
      if (w) assertLogsClean(w, myNumbers);
      await w?.stop();
    });

    it('the rules as data: five years from the dose, then five years after the day after death', () => {
      assert.equal(retentionRuleAt('2026-05-31').basis, 'dose-date');
      assert.equal(retentionRuleAt('2026-06-01').basis, 'after-death');
      const doseRule = retentionRuleAt('2025-01-01');
      const deathRule = retentionRuleAt('2027-01-01');
      assert.equal(keptThrough(doseRule, { date: '2020-01-10' }, { endedReason: 'moved-out', endedOn: '2022-06-30' }), '2025-01-10');
      assert.equal(keptThrough(doseRule, { date: '2020-02-29' }, { endedReason: 'moved-out', endedOn: '2022-06-30' }), '2025-02-28');
      assert.equal(keptThrough(deathRule, { date: '2020-01-10' }, { endedReason: 'deceased', endedOn: '2026-07-01' }), '2031-07-02');
      assert.equal(keptThrough(deathRule, { date: '2020-01-10' }, { endedReason: 'moved-out', endedOn: '2022-06-30' }), null);
      assert.equal(keptThrough(deathRule, { date: '2020-01-10' }, { endedReason: 'mistaken', endedOn: '2022-06-30' }), null);
    });

    it('purges each record when its period is over, under the rule of the day; the feed, the claim and a registered subject go on', async () => {
      const before = await readFeed('0');
      assert.equal(before.items.length, 5);
      const idOf = (key: string) => before.items.find((i) => i.recordKey === key)!.recordId;

      // Old rule, the last day of R1's five years: nothing yet.
      assert.equal((await purgeAt('2025-01-10')).records, 0);
      assert.equal(await recordsOf('RT-MOVED'), 3);
      // The day after: R1 goes (R2 and the clinic's dose of 2021 stay).
      const r1 = await purgeAt('2025-01-11');
      assert.deepEqual([r1.rule.basis, r1.subjects, r1.records], ['dose-date', 1, 1]);
      assert.equal(await recordsOf('RT-MOVED'), 2);
      // The clinic's dose of 2021-05-10, kept through 2026-05-10, goes on 2026-05-31; its claim line keeps its count.
      const r2 = await purgeAt('2026-05-31');
      assert.deepEqual([r2.subjects, r2.records], [1, 1]);
      assert.equal(await recordsOf('RT-MOVED'), 1);
      const claims = await hubAs(w, tokyo).ok(hubApi.municipal.vaccinationClaims, { query: { month: '2021-05' } });
      assert.deepEqual(
        claims.claims.map((c) => [c.claimId, c.status, c.count, c.amount]),
        [[claimId, 'confirmed', 1, 10_000]],
      );
      // From 2026-06-01: kept until five years after the day after death; a move keeps them (the hub learns of no death).
      assert.equal((await purgeAt('2026-06-02')).records, 0);
      assert.equal((await purgeAt('2031-07-02')).records, 0);
      assert.equal(await recordsOf('RT-MOVED'), 1);
      assert.equal(await recordsOf('RT-DECEASED'), 1);
      const r3 = await purgeAt('2031-07-03');
      assert.deepEqual([r3.rule.basis, r3.subjects, r3.records], ['after-death', 1, 1]);
      assert.equal(await recordsOf('RT-DECEASED'), 0);
      assert.equal(await recordsOf('RT-STAYS'), 1, 'a registered subject’s records are never purged');
      const { rows: purged } = await sql<{ key: string; purged_on: string | null }>`
        select s.municipality_identity_key as key, e.purged_on from vaccination_enrolments e join subjects s on s.id = e.subject_id
        where s.municipality_identity_key like 'RT-%' order by 1`.execute(w.hub.database.db);
      assert.deepEqual(
        purged.map((p) => [p.key, p.purged_on]),
        [
          ['RT-DECEASED', '2031-07-03'],
          ['RT-MOVED', null],
          ['RT-STAYS', null],
        ],
      );

      // The feed: a cursor handed out before goes on; from the start, the purged records are gone and the rest remain, once each.
      assert.deepEqual((await readFeed(before.cursor)).items, []);
      const now = await readFeed('0');
      assert.deepEqual(now.items.map((i) => i.recordId).sort(), [idOf('R2'), idOf('S1')].sort());
      const { rows: orphans } = await sql<{ n: number }>`select count(*)::int as n from vaccination_feed f
        where not exists (select 1 from vaccination_records r where r.id = f.record_id)`.execute(w.hub.database.db);
      assert.equal(orphans[0].n, 0);
      for (const id of [idOf('R1'), idOf('D1'), clinicDose]) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from vaccination_records where id = ${id}`.execute(w.hub.database.db);
        assert.equal(rows[0].n, 0, 'purged');
      }
    });

    it('every run is audited with its rule and counts, and each purge against its subject', async () => {
      const { rows: runs } = await sql<{ detail: any }>`select detail from audit_log
        where actor = 'hub:retention-purge' and action = 'vaccination.retention.run' order by at, seq`.execute(w.hub.database.db);
      const byDay = new Map(runs.map((r) => [r.detail.today, r.detail]));
      assert.deepEqual(
        ['2025-01-10', '2025-01-11', '2026-05-31', '2026-06-02', '2031-07-02', '2031-07-03'].map((d) => [d, byDay.get(d)?.rule, byDay.get(d)?.records]),
        [
          ['2025-01-10', 'dose-date', 0],
          ['2025-01-11', 'dose-date', 1],
          ['2026-05-31', 'dose-date', 1],
          ['2026-06-02', 'after-death', 0],
          ['2031-07-02', 'after-death', 0],
          ['2031-07-03', 'after-death', 1],
        ],
      );
      const { rows: per } = await sql<{ subject_ref: string; detail: any; outcome: string }>`select subject_ref, detail, outcome from audit_log
        where actor = 'hub:retention-purge' and action = 'vaccination.records.purge' order by at, seq`.execute(w.hub.database.db);
      const { rows: ids } = await sql<{ id: string; key: string }>`select id, municipality_identity_key as key from subjects
        where municipality_identity_key in ('RT-MOVED', 'RT-DECEASED')`.execute(w.hub.database.db);
      const keyOf = new Map(ids.map((r) => [r.id, r.key]));
      assert.deepEqual(
        per.map((p) => [keyOf.get(p.subject_ref), p.detail.records, p.detail.today, p.detail.rule, p.outcome]),
        [
          ['RT-MOVED', 1, '2025-01-11', 'dose-date', 'ok'],
          ['RT-MOVED', 1, '2026-05-31', 'dose-date', 'ok'],
          ['RT-DECEASED', 1, '2031-07-03', 'after-death', 'ok'],
        ],
      );
    });

    it('a second hub process on the database starts no pass of a job whose period has not run out', async () => {
      const db = w.hub.database.db;
      const runs = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'vaccination.retention.run'`.execute(db)).rows[0].n;
      const before = await runs();
      const jobsRow = async () =>
        (await sql<{ name: string; runs: string; started_by: string }>`select name, runs, started_by from scheduled_jobs order by name`.execute(db)).rows;
      // The hub started both jobs once when it started (hourly period).
      const started = await jobsRow();
      assert.deepEqual(
        started.map((r) => [r.name, Number(r.runs)]),
        [
          ['vaccination-reminders', 1],
          ['vaccination-retention-purge', 1],
        ],
      );
      // Another process's jobs on the same database: their first look (at start) finds the period
      // running and starts nothing.
      const other = new VaccinationJobs(w.hub.context.store.system, w.hub.context.log, () => {}, {
        today: () => today,
        pollMs: 3_600_000,
        processName: 'other:1',
      });
      other.start();
      await other.stop();
      assert.deepEqual(await jobsRow(), started);
      assert.equal(await runs(), before);
      // Once the period is over (the last start an hour back), the first process to look starts it.
      await sql`update scheduled_jobs set started_at = now() - interval '61 minutes'`.execute(db);
      other.start();
      await other.stop();
      assert.deepEqual(
        (await jobsRow()).map((r) => [r.name, Number(r.runs), r.started_by]),
        [
          ['vaccination-reminders', 2, 'other:1'],
          ['vaccination-retention-purge', 2, 'other:1'],
        ],
      );
      assert.equal(await runs(), before + 1);
    });
  });
}
