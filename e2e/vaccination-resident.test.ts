import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { todayInJapan } from '@pmh/protocol/text';
import { World, backends, Rng, myNumber, personName, identifiersIn, type Enrolled, type HttpAnswer } from '../packages/testkit/src/index.ts';
import { addDays, forecast, type GivenDose } from '../packages/hub/src/domain/vaccination/index.ts';

/**
 * The resident's vaccinations at the portal (seed B③): a child registered with past doses by Tokyo
 * and, before moving there, by Osaka (whose registration has since ended) logs in and sees every dose
 * and the routine schedule of today; another resident sees only their own; an account not linked to
 * PMH sees nothing. Never a PMH-ID, a pseudonym or a My Number in the answer.
 */
const [TOKYO, OSAKA] = ['131016', '271004'];
const CLINIC = '1312345674';

for (const backend of backends()) {
  describe(`the resident's vaccinations (${backend})`, () => {
    let w: World;
    const rng = new Rng(1212_3);
    let child: Enrolled;
    let other: Enrolled;
    let unlinked: Enrolled;
    // Today as the hub counts it, and a child 100 days old: the statuses below are certain whatever day the test runs.
    const today = todayInJapan();
    const birth = addDays(today, -100);
    const firstDoses = addDays(birth, 62); // past 生後2月, 38 days ago
    const tokyoDoses = [
      { recordKey: 'T1', vaccineCode: 'dpt-ipv-hib', doseNumber: 1, date: firstDoses, lotNumber: 'DPT-001', institutionCode: CLINIC },
      { recordKey: 'T2', vaccineCode: 'pcv', doseNumber: 1, series: 'start-2m-7m', date: firstDoses, lotNumber: 'PCV-001', institutionCode: CLINIC },
      { recordKey: 'T3', vaccineCode: 'rota', doseNumber: 1, date: firstDoses, institutionName: '千代田こどもクリニック' },
    ];
    const osakaDoses = [{ recordKey: 'O1', vaccineCode: 'hepb', doseNumber: 1, date: firstDoses, institutionName: '大阪こどもクリニック' }];

    const portal = (path: string, cookie: string): Promise<HttpAnswer> => w.call(null, 'GET', path, undefined, { cookie }, 'portal');
    const subject = (p: Enrolled, key: string, dateOfBirth: string, sex: string, address: string, vaccinationRecords: unknown[]) => ({
      modificationSeg: '1',
      myNumber: p.myNumber,
      municipalityIdentityKey: key,
      basicFiveInfo: { ...personName(rng), address, dateOfBirth, sex },
      isNotDisclosed: false,
      vaccinationRecords,
    });
    const count = async (service: 'hub' | 'portal', query: ReturnType<typeof sql>) =>
      Number(((await query.execute(w.service(service).database.db)).rows[0] as { n: string }).n);

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'] });
      [child, other, unlinked] = await w.enrol([myNumber(rng), myNumber(rng), myNumber(rng)]);
      const osaka = await w.register(w.municipality(OSAKA), 'vaccination', [subject(child, 'OS-1', birth, '1', '大阪府大阪市北区中之島1-3-20', osakaDoses)]);
      assert.equal(osaka.succeeded, 1, JSON.stringify(osaka.results));
      // The family moved to Tokyo: Osaka ends its registration (its records stay the resident's).
      const ended = await w.register(w.municipality(OSAKA), 'vaccination', [
        { modificationSeg: '2', municipalityIdentityKey: 'OS-1', reason: 'moved-out', date: addDays(firstDoses, 1) },
      ]);
      assert.equal(ended.succeeded, 1, JSON.stringify(ended.results));
      const tokyo = await w.register(w.municipality(TOKYO), 'vaccination', [
        subject(child, 'TK-1', birth, '1', '東京都千代田区九段南1-2-1', tokyoDoses),
        subject(other, 'TK-2', '2016-05-05', '2', '東京都千代田区九段南1-2-2', [
          { recordKey: 'X1', vaccineCode: 'mr', doseNumber: 1, date: '2017-05-10', lotNumber: 'MR-777', institutionCode: CLINIC },
        ]),
      ]);
      assert.equal(tokyo.succeeded, 2, JSON.stringify(tokyo.results));
      await w.until('all three subjects linked to the portal, every outbox empty', async () => {
        if ((await count('hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) < 3) return false;
        for (const s of ['hub', 'portal'] as const) if ((await count(s, sql`select count(*) as n from outbox`)) > 0) return false;
        return true;
      });
    });
    after(() => w?.stop());

    it('shows a child every dose from both municipalities and the schedule of today, by the rules', async () => {
      const cookie = await w.loginResident(child);
      const r = await portal('/portal/v1/me/vaccinations', cookie);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.linked, true);

      const records = r.body.records as any[];
      assert.deepEqual(records.map((x) => [x.vaccineCode, x.doseNumber, x.date, x.source, x.status]).sort(), [
        ['dpt-ipv-hib', 1, firstDoses, 'municipal', 'recorded'],
        ['hepb', 1, firstDoses, 'municipal', 'recorded'],
        ['pcv', 1, firstDoses, 'municipal', 'recorded'],
        ['rota', 1, firstDoses, 'municipal', 'recorded'],
      ]);
      const byCode = (code: string) => records.find((x) => x.vaccineCode === code);
      assert.match(byCode('pcv').recordId, /^[0-9a-f-]{36}$/);
      assert.deepEqual([byCode('pcv').series, byCode('pcv').lotNumber, byCode('pcv').institutionCode], ['start-2m-7m', 'PCV-001', CLINIC]);
      // A past dose registered without lot or institution code: null, its institution by name.
      assert.deepEqual([byCode('rota').lotNumber, byCode('rota').institutionCode, byCode('rota').institutionName], [null, null, '千代田こどもクリニック']);
      assert.equal(byCode('hepb').institutionName, '大阪こどもクリニック', 'an ended registration’s records are still the resident’s');
      assert.equal(new Set(records.map((x) => x.recordId)).size, 4);

      // The forecast is the rules' own, at today, from the date of birth and the doses given.
      const given: GivenDose[] = [...tokyoDoses, ...osakaDoses].map((d) => ({
        vaccineCode: d.vaccineCode,
        doseNumber: d.doseNumber,
        date: d.date,
        ...('series' in d ? { series: d.series } : {}),
      }));
      assert.deepEqual(r.body.forecast, forecast({ dateOfBirth: birth, sex: '1' }, given, today));
      const status = (code: string, dose: number) => (r.body.forecast as any[]).find((e) => e.vaccineCode === code && e.doseNumber === dose);
      // 五種混合: dose 1 given 38 days ago, dose 2 allowed 20 days after it (due), dose 3 after dose 2 (upcoming).
      assert.equal(status('dpt-ipv-hib', 1).status, 'complete');
      assert.equal(status('dpt-ipv-hib', 2).status, 'due');
      assert.ok(status('dpt-ipv-hib', 2).earliest <= today);
      assert.equal(status('dpt-ipv-hib', 3).status, 'upcoming');
      assert.ok(status('dpt-ipv-hib', 3).earliest > today);
      // B型肝炎 from the Osaka record: dose 2 (27 days after) due.
      assert.equal(status('hepb', 1).status, 'complete');
      assert.equal(status('hepb', 2).status, 'due');
      // MR 第1期 from 生後12月: upcoming, not yet allowed.
      assert.equal(status('mr', 1).status, 'upcoming');
      assert.ok(status('mr', 1).earliest > today);
      for (const e of r.body.forecast as any[])
        for (const d of [e.earliest, e.recommended, e.latest]) if (d !== undefined) assert.match(d, /^\d{4}-\d{2}-\d{2}$/);

      // Never a PMH-ID, a pseudonym or a My Number in what the resident is shown.
      const found = identifiersIn(r.text, { myNumbers: [child.myNumber, other.myNumber], cardSerials: [child.cardSerial] });
      for (const kind of ['pmhId', 'pseudonym', 'pmhPseudonym', 'linkageNumber', 'myNumber', 'cardSerial'] as const)
        assert.equal(found[kind].size, 0, `no ${kind} in the answer`);
      assert.equal(r.text.includes('MR-777'), false, 'nothing of another resident');

      // The read is audited against both of the child's subjects, as the subsidies read is (the resident's own view).
      const views = await sql<{ subject_ref: string }>`select distinct subject_ref from audit_log
        where actor = 'portal' and action = 'resident.vaccinations.read' and purpose = 'resident-self-view' and outcome = 'ok'`.execute(w.hub.database.db);
      const subjectIds = await sql<{ id: string }>`select id from subjects where municipality_identity_key in ('TK-1', 'OS-1')`.execute(w.hub.database.db);
      assert.equal(subjectIds.rows.length, 2);
      for (const { id } of subjectIds.rows)
        assert.ok(
          views.rows.some((v) => v.subject_ref === id),
          'audited against each subject',
        );
      const log = await portal('/portal/v1/me/access-log', cookie);
      assert.equal(log.status, 200, log.text);
      assert.equal(
        (log.body.items as any[]).some((e) => e.action === 'resident.vaccinations.read'),
        false,
        'the resident’s own views are not listed',
      );
    });

    it('shows another resident only their own', async () => {
      const cookie = await w.loginResident(other);
      const r = await portal('/portal/v1/me/vaccinations', cookie);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        (r.body.records as any[]).map((x) => [x.vaccineCode, x.doseNumber, x.date, x.lotNumber]),
        [['mr', 1, '2017-05-10', 'MR-777']],
      );
      for (const text of ['DPT-001', 'PCV-001', '千代田こどもクリニック', '大阪こどもクリニック', firstDoses]) assert.equal(r.text.includes(text), false);
      const mr = (r.body.forecast as any[]).filter((e) => e.vaccineCode === 'mr');
      assert.equal(mr.find((e) => e.doseNumber === 1)?.status, 'complete', r.text);
    });

    it('shows an account not linked to PMH nothing, and refuses without a session', async () => {
      const cookie = await w.loginResident(unlinked);
      const r = await portal('/portal/v1/me/vaccinations', cookie);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body, { records: [], forecast: [], linked: false });
      const anonymous = await w.call(null, 'GET', '/portal/v1/me/vaccinations', undefined, {}, 'portal');
      assert.equal(anonymous.status, 401, anonymous.text);
    });
  });
}
