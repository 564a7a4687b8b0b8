/**
 * Maternal and child health (seed C①③) through the real services: a municipality registers a pregnant
 * woman and a child with their vouchers (受診券) and the results it holds (group checkups) as a task
 * of the same machinery as vaccination's; each bad record fails alone, named by its pointer, with
 * nothing written (the sensitive items the national standard leaves out are refused, not stored); a
 * voucher pays once; modificationSeg "2" ends a registration; another municipality sees nothing. The
 * resident then sees their vouchers and results at the portal, and a child's growth chart.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { MaternalChildSubjectEnd, MaternalChildSubjectRecord, MunicipalCheckupResult } from '@pmh/protocol';
import { todayInJapan } from '@pmh/protocol/text';
import { Rng, World, backends, myNumber, personName, type Caller, type Enrolled, type HttpAnswer } from '../packages/testkit/src/index.ts';
import { addDays } from '../packages/hub/src/domain/vaccination/index.ts';
import { enterMunicipality } from '../packages/hub/src/store/scope.ts';
import {
  assertFailedAt,
  assertLogsClean,
  assertOutcome,
  assertProblem,
  getSubject,
  subjectOf,
  taskPath,
  withWrongCheckDigit,
} from '../packages/hub/test/support.ts';

const TASKS = '/municipal/v1/maternal-child/registration-tasks';
const [TOKYO, OSAKA] = ['131016', '271004'];
/** A medical-institution code with its check digit (the world's first clinic). */
const CLINIC = '1312345674';

for (const backend of backends()) {
  describe(`maternal and child health: registration and the resident's checkups (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    let osaka: Caller;
    const rng = new Rng(1313);
    const myNumbers = new Set<string>();
    let mother: Enrolled;
    let baby: Enrolled;
    let unlinked: Enrolled;
    let keyNo = 0;
    const key = () => `MCH${String(++keyNo).padStart(5, '0')}`;
    // Dates from today, so that every age window below holds whatever day the test runs.
    const today = todayInJapan();
    const due = addDays(today, 140); // the mother is at week 20
    const birth = addDays(today, -130); // the baby is 4 months old
    const prenatalVouchers = Array.from({ length: 14 }, (_, i) => ({
      voucherNumber: `P-${i + 1}`,
      checkupKind: 'prenatal',
      sequence: i + 1,
      validFrom: addDays(today, -100),
      validTo: addDays(due, 14),
      subsidyCap: i === 0 ? 10_000 : 6_000,
    }));
    const prenatal = (sequence: number, date: string, weeks: number, voucherNumber?: string) => ({
      resultKey: `PR-${sequence}`,
      checkupKind: 'prenatal',
      sequence,
      ...(voucherNumber ? { voucherNumber } : {}),
      date,
      institutionCode: CLINIC,
      gestationalWeeks: weeks,
      measurements: { weightKg: 55.2, systolic: 112, diastolic: 70, abdominalCm: 72 },
      urine: { protein: '-', glucose: '-' },
      edema: '-',
      testsDone: ['blood-type', 'ultrasound'],
      findings: [],
      judgement: 'healthy',
    });
    const motherRecord = (p: { myNumber: string }, k: string) => ({
      modificationSeg: '1',
      myNumber: p.myNumber,
      municipalityIdentityKey: k,
      basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: '1994-05-20', sex: '2' },
      isNotDisclosed: false,
      pregnancy: { expectedDeliveryDate: due },
      vouchers: prenatalVouchers,
      checkupResults: [prenatal(1, addDays(due, -32 * 7), 8, 'P-1'), prenatal(2, addDays(due, -27 * 7), 13, 'P-2')],
    });
    const oneMonth = {
      resultKey: 'C-1M',
      checkupKind: 'infant-1m',
      voucherNumber: 'C-1M-001',
      date: addDays(birth, 30),
      institutionCode: CLINIC,
      measurements: { heightCm: 54.0, weightKg: 4.4, headCm: 37.2, chestCm: 36.5 },
      findings: [{ area: 'growth', finding: '順調' }],
      judgement: 'healthy',
    };
    const threeMonths = {
      resultKey: 'C-3M',
      checkupKind: 'infant-3-4m',
      date: addDays(birth, 100),
      institutionCode: CLINIC,
      measurements: { heightCm: 62.0, weightKg: 6.6, headCm: 41.0 },
      findings: [{ area: 'limbs-motor', finding: '股関節開排制限の疑い' }],
      judgement: 'detailed-exam',
      detailedExamDate: addDays(birth, 115),
    };
    const babyRecord = (p: { myNumber: string }, k: string, overrides: Record<string, unknown> = {}) => ({
      modificationSeg: '1',
      myNumber: p.myNumber,
      municipalityIdentityKey: k,
      basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: birth, sex: '1' },
      isNotDisclosed: false,
      vouchers: [
        { voucherNumber: 'C-1M-001', checkupKind: 'infant-1m', validFrom: addDays(birth, 28), validTo: addDays(birth, 41), subsidyCap: 4_000 },
        { voucherNumber: 'C-67M-001', checkupKind: 'infant-6-7m', validFrom: addDays(birth, 180), validTo: addDays(birth, 364), subsidyCap: 6_000 },
        { voucherNumber: 'C-910M-001', checkupKind: 'infant-9-10m', validFrom: addDays(birth, 270), validTo: addDays(birth, 364), subsidyCap: 6_000 },
      ],
      checkupResults: [oneMonth, threeMonths],
      ...overrides,
    });
    /** A fresh person's valid record (a child unless told). */
    const fresh = (overrides: Record<string, unknown> = {}): Record<string, any> => {
      const n = myNumber(rng);
      myNumbers.add(n);
      return babyRecord({ myNumber: n }, key(), { vouchers: [], checkupResults: [], ...overrides });
    };
    const count = async (query: ReturnType<typeof sql>) => Number(((await query.execute(w.hub.database.db)).rows[0] as { n: string | number }).n);
    const portal = (path: string, cookie: string): Promise<HttpAnswer> => w.call(null, 'GET', path, undefined, { cookie }, 'portal');

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'] });
      tokyo = w.municipality(TOKYO);
      osaka = w.municipality(OSAKA);
      [mother, baby, unlinked] = await w.enrol([myNumber(rng), myNumber(rng), myNumber(rng)]);
      for (const p of [mother, baby, unlinked]) myNumbers.add(p.myNumber);
    });
    after(async () => {
      if (w) assertLogsClean(w, myNumbers);
      await w?.stop();
    });

    it('registers a pregnant woman and a child with vouchers and results: created, stored, the PMH-ID issued and the portal linked', async () => {
      const accepted = await w.call(tokyo, 'POST', TASKS, [motherRecord(mother, 'MOTHER-1'), babyRecord(baby, 'BABY-1')]);
      assert.equal(accepted.status, 202, accepted.text);
      assert.equal(accepted.headers.get('location'), taskPath(accepted.body.taskId));
      const task = await w.waitForTask(tokyo, accepted.body.taskId);
      assert.equal(task.process, 'maternal-child');
      assert.deepEqual([task.total, task.succeeded, task.failed], [2, 2, 0], JSON.stringify(task.results));
      assertOutcome(task, 0, 'created');
      assertOutcome(task, 1, 'created');

      assert.deepEqual((await subjectOf(w, tokyo, 'MOTHER-1')).maternalChild, {
        status: 'registered',
        endedReason: null,
        endedOn: null,
        vouchers: 14,
        results: 2,
      });
      assert.deepEqual((await subjectOf(w, tokyo, 'BABY-1')).maternalChild, {
        status: 'registered',
        endedReason: null,
        endedOn: null,
        vouchers: 3,
        results: 2,
      });
      const { rows } = await sql<{
        result_key: string;
        payment: string;
        voucher_number: string | null;
        self_paid_reason: string | null;
        age_in_months: number | null;
      }>`
        select r.result_key, r.payment, r.voucher_number, r.self_paid_reason, r.age_in_months from maternal_child_results r
        join subjects s on s.id = r.subject_id where s.municipality_identity_key = 'BABY-1' order by r.result_key`.execute(w.hub.database.db);
      assert.deepEqual(rows, [
        // Paid with its voucher; the age in completed months filled in by the hub.
        { result_key: 'C-1M', payment: 'voucher', voucher_number: 'C-1M-001', self_paid_reason: null, age_in_months: 0 },
        // A group checkup without a voucher: recorded, self-paid (never silently subsidised).
        { result_key: 'C-3M', payment: 'self-paid', voucher_number: null, self_paid_reason: 'no-voucher', age_in_months: 3 },
      ]);
      assert.equal(await count(sql`select count(*) as n from maternal_child_feed`), 4, 'each result in the feed once');

      await w.until('both subjects linked to the portal, every outbox empty', async () => {
        if ((await count(sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) < 2) return false;
        for (const s of ['hub', 'portal'] as const)
          if (Number(((await sql`select count(*) as n from outbox`.execute(w.service(s).database.db)).rows[0] as { n: string }).n) > 0) return false;
        return true;
      });
      const s = await subjectOf(w, tokyo, 'BABY-1');
      assert.deepEqual([s.pmhIdStatus, s.portalLinkStatus], ['issued', 'linked']);
    });

    it('the contract’s examples register as they stand (OpenAPI shows them)', async () => {
      const examplesOf = (schema: object) => (schema as { examples: Array<Record<string, any>> }).examples;
      const [register] = examplesOf(MaternalChildSubjectRecord);
      const [end] = examplesOf(MaternalChildSubjectEnd);
      const [result] = examplesOf(MunicipalCheckupResult);
      myNumbers.add(register.myNumber);
      const task = await w.register(tokyo, 'maternal-child', [register, end]);
      assertOutcome(task, 0, 'created');
      assertOutcome(task, 1, 'deleted');
      const child = fresh({ basicFiveInfo: { name: '千代田太郎', dateOfBirth: '2025-04-20', sex: '1' }, checkupResults: [result] });
      assertOutcome(await w.register(tokyo, 'maternal-child', [child]), 0, 'created');
    });

    it('re-sending a record changes nothing; a corrected result or a new voucher updates it', async () => {
      const r = fresh({ checkupResults: [oneMonth] });
      assertOutcome(await w.register(tokyo, 'maternal-child', [r]), 0, 'created');
      assertOutcome(await w.register(tokyo, 'maternal-child', [r]), 0, 'unchanged');
      const corrected = { ...r, checkupResults: [{ ...oneMonth, measurements: { ...oneMonth.measurements, weightKg: 4.5 } }] };
      const task = await w.register(tokyo, 'maternal-child', [corrected, corrected]);
      assertOutcome(task, 0, 'updated');
      assertOutcome(task, 1, 'unchanged');
      const withVoucher = { ...corrected, vouchers: [{ ...babyRecord(baby, 'x').vouchers[1], voucherNumber: `${r.municipalityIdentityKey}-67` }] };
      assertOutcome(await w.register(tokyo, 'maternal-child', [withVoucher]), 0, 'updated');
      assert.deepEqual((await subjectOf(w, tokyo, r.municipalityIdentityKey)).maternalChild?.vouchers, 1);
    });

    it('each bad record fails alone, named by its pointer, and writes nothing; the sensitive items are refused, not stored', async () => {
      const adult = { name: '母子　花子', dateOfBirth: '1994-05-20', sex: '2' };
      const result = (overrides: Record<string, unknown>) => ({ ...oneMonth, voucherNumber: undefined, ...overrides });
      const bad: Array<[string, Record<string, any>]> = [
        // What the national standard leaves out of electronic records: no field holds it, and it is refused by name.
        ['/checkupResults/0/smoking', fresh({ checkupResults: [result({ smoking: true })] })],
        [
          '/checkupResults/0/stillbirth',
          fresh({
            basicFiveInfo: adult,
            pregnancy: { expectedDeliveryDate: due },
            checkupResults: [{ ...prenatal(3, addDays(due, -24 * 7), 16), stillbirth: false }],
          }),
        ],
        [
          '/checkupResults/0/testsDone/1',
          fresh({
            basicFiveInfo: adult,
            pregnancy: { expectedDeliveryDate: due },
            checkupResults: [{ ...prenatal(3, addDays(due, -24 * 7), 16), testsDone: ['blood-type', 'syphilis'] }],
          }),
        ],
        // Grams for kilograms, a decimal point off: outside what a 1-month-old can weigh.
        ['/checkupResults/0/measurements/weightKg', fresh({ checkupResults: [result({ measurements: { weightKg: 44 } })] })],
        ['/checkupResults/0/urine', fresh({ checkupResults: [result({ urine: { protein: '-' } })] })],
        ['/checkupResults/0/detailedExamDate', fresh({ checkupResults: [result({ detailedExamDate: addDays(birth, 40) })] })],
        ['/checkupResults/0/ageInMonths', fresh({ checkupResults: [result({ ageInMonths: 5 })] })],
        ['/checkupResults/0/institutionCode', fresh({ checkupResults: [result({ institutionCode: '4812345674' })] })],
        ['/checkupResults/0/resultKey', fresh({ checkupResults: [result({ resultKey: undefined })] })],
        ['/checkupResults/0/resultKey', fresh({ checkupResults: [result({ resultKey: 'K\u0000' })] })],
        ['/checkupResults/1/resultKey', fresh({ checkupResults: [result({}), result({ date: addDays(birth, 35) })] })],
        ['/checkupResults/0/findings/0/finding', fresh({ checkupResults: [result({ findings: [{ area: 'growth', finding: `番号 ${myNumber(rng)}` }] })] })],
        ['/checkupResults/0/findings/0/area', fresh({ checkupResults: [result({ findings: [{ area: 'lochia', finding: '良好' }] })] })],
        ['/checkupResults/0/date', fresh({ checkupResults: [result({ date: addDays(birth, -1) })] })],
        ['/checkupResults/0/checkupKind', fresh({ basicFiveInfo: adult, checkupResults: [{ ...result({}), date: addDays(today, -10) }] })],
        ['/vouchers/0/sequence', fresh({ basicFiveInfo: adult, vouchers: [{ ...prenatalVouchers[0], sequence: undefined }] })],
        ['/vouchers/0/sequence', fresh({ basicFiveInfo: adult, vouchers: [{ ...prenatalVouchers[0], sequence: 15 }] })],
        ['/vouchers/0/sequence', fresh({ vouchers: [{ ...babyRecord(baby, 'x').vouchers[0], sequence: 1 }] })],
        ['/vouchers/0/subsidyCap', fresh({ basicFiveInfo: adult, vouchers: [{ ...prenatalVouchers[0], subsidyCap: 60_000 }] })],
        ['/vouchers/0/validTo', fresh({ basicFiveInfo: adult, vouchers: [{ ...prenatalVouchers[0], validTo: addDays(today, -101) }] })],
        ['/vouchers/0/checkupKind', fresh({ vouchers: [{ ...prenatalVouchers[0] }] })],
        ['/vouchers/1/voucherNumber', fresh({ basicFiveInfo: adult, vouchers: [prenatalVouchers[0], { ...prenatalVouchers[1], voucherNumber: 'Ｐ-1' }] })],
        ['/pregnancy', fresh({ pregnancy: { expectedDeliveryDate: due } })],
        // Before week 22 a pregnancy ends in a miscarriage, which the standard keeps out: not recorded as a delivery.
        ['/pregnancy/deliveryDate', fresh({ basicFiveInfo: adult, pregnancy: { expectedDeliveryDate: due, deliveryDate: addDays(today, -1) } })],
        ['/pregnancy/expectedDeliveryDate', fresh({ basicFiveInfo: adult, pregnancy: { expectedDeliveryDate: addDays(today, 400) } })],
        ['/myNumber', fresh({ myNumber: withWrongCheckDigit(myNumber(rng)) })],
        ['/modificationSeg', fresh({ modificationSeg: '3' })],
        ['/reason', { modificationSeg: '2', municipalityIdentityKey: 'MCH-END', reason: 'emigrated', date: '2026-03-31' }],
      ];
      const good = fresh();
      const records = [good, ...bad.map(([, r]) => r)];
      for (const r of records) if (typeof r.myNumber === 'string') myNumbers.add(r.myNumber);
      const task = await w.register(tokyo, 'maternal-child', records);
      assertOutcome(task, 0, 'created');
      bad.forEach(([pointer], i) => assertFailedAt(task, i + 1, `/${i + 1}${pointer}`));
      assert.deepEqual([task.total, task.succeeded, task.failed], [records.length, 1, bad.length]);
      const answer = JSON.stringify(task);
      for (const n of myNumbers) assert.equal(answer.includes(n), false, 'a My Number in the task’s answer');

      // Nothing of any bad record was written: no subject under its key, and so no voucher, no result.
      const badKeys = bad.map(([, r]) => r.municipalityIdentityKey).filter((k): k is string => typeof k === 'string');
      assert.equal(await count(sql`select count(*) as n from subjects where municipality_identity_key = any(${badKeys}::text[])`), 0);
      for (const k of badKeys.slice(0, 3)) assertProblem(await getSubject(w, tokyo, k), 404);
      // No column or JSON anywhere holds what was refused.
      assert.equal(
        await count(sql`select count(*) as n from maternal_child_results where measurements::text like '%smok%' or tests_done::text like '%syphilis%'`),
        0,
      );
    });

    it('a voucher pays for one checkup: a second result naming it fails, naming the field; one not the person’s is self-paid', async () => {
      const voucher = { ...babyRecord(baby, 'x').vouchers[0], voucherNumber: 'ONCE-1' };
      const paid = { ...oneMonth, voucherNumber: 'ONCE-1' };
      const r = fresh({ vouchers: [voucher], checkupResults: [paid] });
      assertOutcome(await w.register(tokyo, 'maternal-child', [r]), 0, 'created');
      const twice = { ...r, checkupResults: [paid, { ...paid, resultKey: 'C-1M-again', date: addDays(birth, 35) }] };
      assertFailedAt(await w.register(tokyo, 'maternal-child', [twice]), 0, '/0/checkupResults/1/voucherNumber');
      assert.equal((await subjectOf(w, tokyo, r.municipalityIdentityKey)).maternalChild?.results, 1, 'nothing of the refused record written');
      // Another child naming this child's voucher: it is not theirs, so their checkup was self-paid.
      const other = fresh({ checkupResults: [paid] });
      assertOutcome(await w.register(tokyo, 'maternal-child', [other]), 0, 'created');
      const { rows } = await sql<{ payment: string; self_paid_reason: string | null }>`
        select r.payment, r.self_paid_reason from maternal_child_results r join subjects s on s.id = r.subject_id
        where s.municipality_identity_key = ${other.municipalityIdentityKey}`.execute(w.hub.database.db);
      assert.deepEqual(rows, [{ payment: 'self-paid', self_paid_reason: 'unknown-voucher' }]);
      // A result dated outside its voucher's validity is self-paid too, with the reason.
      const late = fresh({
        vouchers: [{ ...voucher, voucherNumber: 'LATE-1' }],
        checkupResults: [{ ...paid, voucherNumber: 'LATE-1', date: addDays(birth, 40), resultKey: 'L' }],
      });
      late.vouchers[0].validTo = addDays(birth, 35);
      assertOutcome(await w.register(tokyo, 'maternal-child', [late]), 0, 'created');
      assert.equal(
        await count(
          sql`select count(*) as n from maternal_child_results where voucher_number = 'LATE-1' and payment = 'self-paid' and self_paid_reason = 'expired'`,
        ),
        1,
      );
      // The same number issued to another subject of this municipality: refused.
      const taken = fresh({ vouchers: [voucher] });
      assertFailedAt(await w.register(tokyo, 'maternal-child', [taken]), 0, '/0/vouchers/0/voucherNumber');
    });

    it('modificationSeg "2" ends the registration (kept, not deleted); again: unchanged; "1" registers the subject again', async () => {
      const r = fresh({ checkupResults: [oneMonth] });
      assertOutcome(await w.register(tokyo, 'maternal-child', [r]), 0, 'created');
      const end = { modificationSeg: '2', municipalityIdentityKey: r.municipalityIdentityKey, reason: 'moved-out', date: today };
      assertOutcome(await w.register(tokyo, 'maternal-child', [end]), 0, 'deleted');
      assert.deepEqual((await subjectOf(w, tokyo, r.municipalityIdentityKey)).maternalChild, {
        status: 'ended',
        endedReason: 'moved-out',
        endedOn: today,
        vouchers: 0,
        results: 1,
      });
      assertOutcome(await w.register(tokyo, 'maternal-child', [end]), 0, 'unchanged');
      assertOutcome(await w.register(tokyo, 'maternal-child', [r]), 0, 'updated');
      assert.equal((await subjectOf(w, tokyo, r.municipalityIdentityKey)).maternalChild?.status, 'registered');
      assertFailedAt(await w.register(tokyo, 'maternal-child', [{ ...end, municipalityIdentityKey: 'NO-SUCH-KEY' }]), 0, '/0/municipalityIdentityKey');
      // Registered for vaccination only: not a maternal and child health subject, so it cannot be ended here.
      const vac = fresh();
      const v = await w.register(tokyo, 'vaccination', [{ ...vac, vouchers: undefined, checkupResults: undefined }]);
      assertOutcome(v, 0, 'created');
      assertFailedAt(
        await w.register(tokyo, 'maternal-child', [{ ...end, municipalityIdentityKey: vac.municipalityIdentityKey }]),
        0,
        '/0/municipalityIdentityKey',
      );
    });

    it('another municipality sees nothing: not the task, not the subject, not a row (row-level security), and cannot end it', async () => {
      const accepted = await w.call(tokyo, 'POST', TASKS, [babyRecord(baby, 'BABY-1')]);
      assert.equal(accepted.status, 202, accepted.text);
      await w.waitForTask(tokyo, accepted.body.taskId);
      assertProblem(await w.call(osaka, 'GET', taskPath(accepted.body.taskId)), 404);
      assertProblem(await getSubject(w, osaka, 'BABY-1'), 404);
      const end = await w.register(osaka, 'maternal-child', [{ modificationSeg: '2', municipalityIdentityKey: 'BABY-1', reason: 'mistaken', date: today }]);
      assertFailedAt(end, 0, '/0/municipalityIdentityKey');
      for (const [code, some] of [
        [OSAKA, false],
        [TOKYO, true],
      ] as const) {
        const seen = await w.hub.database.db.transaction().execute(async (trx) => {
          await enterMunicipality(trx as never, code);
          const n = async (t: string) => Number(((await sql`select count(*) as n from ${sql.table(t)}`.execute(trx)).rows[0] as { n: string }).n);
          return [
            await n('maternal_child_enrolments'),
            await n('maternal_child_pregnancies'),
            await n('maternal_child_vouchers'),
            await n('maternal_child_results'),
            await n('maternal_child_feed'),
          ];
        });
        assert.equal(
          seen.every((n) => n > 0),
          some,
          `${code} sees ${seen.join(', ')}`,
        );
      }
      // The same voucher numbers are Osaka's own to issue: each municipality numbers its own.
      const own = { ...fresh(), vouchers: babyRecord(baby, 'x').vouchers };
      assertOutcome(await w.register(osaka, 'maternal-child', [own]), 0, 'created');
      assert.equal((await subjectOf(w, tokyo, 'BABY-1')).maternalChild?.vouchers, 3);
    });

    it('the task itself: an empty array is a 400, no token a 401, an operator a 403', async () => {
      assertProblem(await w.call(tokyo, 'POST', TASKS, []), 400);
      assertProblem(await w.call(tokyo, 'POST', TASKS, { modificationSeg: '1' }), 400);
      assertProblem(await w.call(null, 'POST', TASKS, [fresh()]), 401);
      assertProblem(await w.call(w.operator, 'POST', TASKS, [fresh()]), 403);
    });

    it('the mother sees her vouchers (unused first) and her results (newest first) at the portal; no growth chart for her', async () => {
      const cookie = await w.loginResident(mother);
      const r = await portal('/portal/v1/me/checkups', cookie);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.linked, true);
      const vouchers = r.body.vouchers as any[];
      assert.equal(vouchers.length, 14);
      assert.deepEqual(
        vouchers.map((v) => [v.sequence, v.status]),
        [...Array.from({ length: 12 }, (_, i) => [i + 3, 'unused']), [2, 'used'], [1, 'used']],
      );
      assert.deepEqual(vouchers[0], {
        voucherNumber: 'P-3',
        checkupKind: 'prenatal',
        sequence: 3,
        validFrom: addDays(today, -100),
        validTo: addDays(due, 14),
        subsidyCap: 6000,
        municipalityCode: TOKYO,
        status: 'unused',
      });
      const results = r.body.results as any[];
      assert.deepEqual(
        results.map((x) => [x.sequence, x.gestationalWeeks, x.voucherNumber, x.source]),
        [
          [2, 13, 'P-2', 'municipal'],
          [1, 8, 'P-1', 'municipal'],
        ],
      );
      assert.equal(r.body.growth, undefined);
      for (const n of myNumbers) assert.equal(r.text.includes(n), false, 'a My Number in the answer');
    });

    it('the child sees its results newest first and its growth chart: the national curves and its measurements with their bands', async () => {
      const cookie = await w.loginResident(baby);
      const r = await portal('/portal/v1/me/checkups', cookie);
      assert.equal(r.status, 200, r.text);
      const results = r.body.results as any[];
      assert.deepEqual(
        results.map((x) => [x.checkupKind, x.judgement, x.ageInMonths]),
        [
          ['infant-3-4m', 'detailed-exam', 3],
          ['infant-1m', 'healthy', 0],
        ],
      );
      assert.deepEqual(results[0].findings, [{ area: 'limbs-motor', finding: '股関節開排制限の疑い' }]);
      assert.match(results[0].resultId, /^[0-9a-f-]{36}$/);
      // The 1-month voucher was used; the 6–7 and 9–10 month ones are still to come.
      assert.deepEqual(
        (r.body.vouchers as any[]).map((v) => [v.checkupKind, v.status]),
        [
          ['infant-6-7m', 'unused'],
          ['infant-9-10m', 'unused'],
          ['infant-1m', 'used'],
        ],
      );
      const { height, weight } = r.body.growth;
      assert.equal(height.unit, 'cm');
      assert.equal(weight.unit, 'kg');
      assert.deepEqual(
        height.curves.map((c: any) => c.percentile),
        [3, 10, 25, 50, 75, 90, 97],
      );
      assert.equal(height.range.toMonths, 12, 'a baby’s chart spans the first year');
      assert.deepEqual(
        weight.child.map((p: any) => [p.date, p.value]),
        [
          [oneMonth.date, 4.4],
          [threeMonths.date, 6.6],
        ],
      );
      for (const p of [...height.child, ...weight.child]) assert.match(p.band, /^(below-3|3-10|10-25|25-50|50-75|75-90|90-97|above-97)$/);
      assert.match(height.source, /令和5年乳幼児身体発育調査/);

      // The hub's counterpart says the same, to the portal only.
      assertProblem(await w.call(tokyo, 'GET', '/hub/v1/residents/x/checkups'), 403);
    });

    it('an account not linked to PMH sees nothing; without a session, 401', async () => {
      const cookie = await w.loginResident(unlinked);
      const r = await portal('/portal/v1/me/checkups', cookie);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body, { vouchers: [], results: [], linked: false });
      assert.equal((await w.call(null, 'GET', '/portal/v1/me/checkups', undefined, {}, 'portal')).status, 401);
    });

    it('the resident’s read is audited at the hub against each of their subjects', async () => {
      const n = await count(sql`select count(*) as n from audit_log where action = 'resident.checkups.read'`);
      assert.ok(n >= 2, `audited ${n} reads`);
    });
  });
}
