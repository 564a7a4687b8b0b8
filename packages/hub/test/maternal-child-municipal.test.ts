/**
 * The municipality's reads of maternal and child health through the municipal API: the checkup
 * results feed (each result once, page by page, a changed result again; CSV in UTF-8 and Shift_JIS),
 * the follow-up list of children judged 要精査 whose detailed exam is not recorded, and a month's
 * checkup claims per venue and voucher kind, each use paid its voucher's cap, self-paid checkups left
 * out. Another municipality sees none of it; a bad query is a 400 naming the parameter.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { hubApi, type MaternalChildFeedItem } from '@pmh/protocol';
import { Rng, World, backends, myNumber, personName, type Caller } from '../../testkit/src/index.ts';
import { assertLogsClean, assertOutcome, assertProblem, hubAs } from './support.ts';

const [TOKYO, OSAKA] = ['131016', '271004'];
/** Two medical-institution codes with their check digits (the world's clinics). */
const [CLINIC_A, CLINIC_B] = ['1312345674', '2714567890'];
const BASE = '/municipal/v1/maternal-child';

for (const backend of backends()) {
  describe(`hub maternal-child: results feed, follow-ups and claims (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    let osaka: Caller;
    const rng = new Rng(1313_5);
    const myNumbers = new Set<string>();

    /** Each person's My Number, the same whenever their record is written again. */
    const numbers = new Map<string, string>();
    const person = (key: string, dateOfBirth: string, sex: string, more: Record<string, unknown>): Record<string, any> => {
      const n = numbers.get(key) ?? myNumber(rng);
      numbers.set(key, n);
      myNumbers.add(n);
      return {
        modificationSeg: '1',
        myNumber: n,
        municipalityIdentityKey: key,
        basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth, sex },
        isNotDisclosed: false,
        vouchers: [],
        checkupResults: [],
        ...more,
      };
    };
    const DUE = '2026-09-01';
    /** Completed weeks of pregnancy on a day (40w0d on the due date). */
    const weeksOn = (date: string) => Math.floor((280 - (Date.parse(DUE) - Date.parse(date)) / 86_400_000) / 7);
    const prenatal = (sequence: number, date: string, institutionCode: string, voucherNumber?: string) => ({
      resultKey: `PR-${sequence}`,
      checkupKind: 'prenatal',
      sequence,
      ...(voucherNumber ? { voucherNumber } : {}),
      date,
      institutionCode,
      gestationalWeeks: weeksOn(date),
      measurements: { weightKg: 56.0, systolic: 110, diastolic: 68, abdominalCm: 80, fundalHeightCm: 22 },
      urine: { protein: '-', glucose: '-' },
      edema: '-',
      findings: [],
      judgement: 'healthy',
    });
    const mother = () =>
      person('M-1', '1994-05-20', '2', {
        pregnancy: { expectedDeliveryDate: DUE },
        vouchers: [1, 2, 4].map((sequence) => ({
          voucherNumber: `P-${sequence}`,
          checkupKind: 'prenatal',
          sequence,
          validFrom: '2026-01-01',
          validTo: '2026-09-15',
          subsidyCap: sequence === 1 ? 10_000 : 6_000,
        })),
        checkupResults: [
          prenatal(1, '2026-05-07', CLINIC_A, 'P-1'),
          prenatal(2, '2026-05-21', CLINIC_A, 'P-2'),
          // No voucher named: self-paid, never claimed.
          prenatal(3, '2026-05-28', CLINIC_A),
          prenatal(4, '2026-06-04', CLINIC_A, 'P-4'),
        ],
      });
    const infant = (resultKey: string, checkupKind: string, date: string, judgement: string, more: Record<string, unknown> = {}) => ({
      resultKey,
      checkupKind,
      date,
      institutionCode: CLINIC_B,
      measurements: checkupKind === 'infant-1m' ? { heightCm: 54.0, weightKg: 4.4, headCm: 37.2 } : { heightCm: 63.0, weightKg: 6.8, headCm: 41.0 },
      findings: judgement === 'detailed-exam' ? [{ area: 'limbs-motor', finding: '股関節開排制限の疑い' }] : [{ area: 'growth', finding: '順調' }],
      judgement,
      ...more,
    });
    /** B-1: paid 1-month checkup in May; 要精査 at 3 months, exam not recorded → followed up. */
    const b1 = () =>
      person('B-1', '2026-04-01', '1', {
        vouchers: [{ voucherNumber: 'C1M-1', checkupKind: 'infant-1m', validFrom: '2026-04-29', validTo: '2026-05-12', subsidyCap: 4_000 }],
        checkupResults: [
          infant('1M', 'infant-1m', '2026-05-05', 'healthy', { voucherNumber: 'C1M-1' }),
          infant('3M', 'infant-3-4m', '2026-07-10', 'detailed-exam'),
        ],
      });
    /** B-2: 要精査 with the date of the detailed exam → not followed up. */
    const b2 = () =>
      person('B-2', '2026-03-01', '2', { checkupResults: [infant('3M', 'infant-3-4m', '2026-06-10', 'detailed-exam', { detailedExamDate: '2026-06-25' })] });
    /** B-3: 要精査 at 3 months; a later checkup records the exam → not followed up. */
    const b3 = () =>
      person('B-3', '2026-02-01', '1', {
        checkupResults: [
          infant('3M', 'infant-3-4m', '2026-05-15', 'detailed-exam'),
          infant('6M', 'infant-6-7m', '2026-08-10', 'detailed-exam', {
            measurements: { heightCm: 68.0, weightKg: 8.0, headCm: 43.5 },
            detailedExamDate: '2026-08-20',
          }),
        ],
      });
    /** B-4: 要精査, then moved out → no longer followed up here. */
    const b4 = () => person('B-4', '2026-03-15', '2', { checkupResults: [infant('3M', 'infant-3-4m', '2026-06-20', 'detailed-exam')] });
    /** B-5: 要精査 at 3 months, exam not recorded, the oldest → first on the list. */
    const b5 = () => person('B-5', '2026-01-20', '1', { checkupResults: [infant('3M', 'infant-3-4m', '2026-04-25', 'detailed-exam')] });
    /** Osaka's child: its claim and its follow-up are Osaka's. */
    const osakaChild = () =>
      person('OS-1', '2026-04-01', '1', {
        vouchers: [{ voucherNumber: 'C1M-1', checkupKind: 'infant-1m', validFrom: '2026-04-29', validTo: '2026-05-12', subsidyCap: 5_000 }],
        checkupResults: [
          infant('1M', 'infant-1m', '2026-05-06', 'healthy', { voucherNumber: 'C1M-1' }),
          infant('3M', 'infant-3-4m', '2026-07-01', 'detailed-exam'),
        ],
      });

    const readFeed = async (caller: Caller, since = '0', limit = 1000) => {
      const items: MaternalChildFeedItem[] = [];
      let cursor = since;
      for (;;) {
        const page = await hubAs(w, caller).ok(hubApi.municipal.maternalChildResults, { query: { since: cursor, limit: String(limit) } });
        items.push(...page.items);
        if (page.items.length === 0) {
          assert.equal(page.nextCursor, cursor, 'an empty page keeps the cursor');
          return { items, cursor };
        }
        assert.notEqual(page.nextCursor, cursor);
        cursor = page.nextCursor;
      }
    };
    /** Reads until at least `count` new items are served (the feed holds back what a running transaction could precede). */
    const readFeedFor = async (caller: Caller, since: string, count: number, limit = 1000) => {
      let read = await readFeed(caller, since, limit);
      await w.until(`${count} new feed items`, async () => (read = await readFeed(caller, since, limit)).items.length >= count);
      return read;
    };

    before(async () => {
      w = await World.start({ backend, services: ['hub'] });
      tokyo = w.municipality(TOKYO);
      osaka = w.municipality(OSAKA);
      const t = await w.register(tokyo, 'maternal-child', [mother(), b1(), b2(), b3(), b4(), b5()]);
      for (let i = 0; i < 6; i++) assertOutcome(t, i, 'created');
      assertOutcome(
        await w.register(tokyo, 'maternal-child', [{ modificationSeg: '2', municipalityIdentityKey: 'B-4', reason: 'moved-out', date: '2026-07-01' }]),
        0,
        'deleted',
      );
      assertOutcome(await w.register(osaka, 'maternal-child', [osakaChild()]), 0, 'created');
    });
    after(async () => {
      if (w) assertLogsClean(w, myNumbers);
      await w?.stop();
    });

    it('the results feed: each result once, oldest first, page by page, with how it was paid; a changed result again; none of another municipality’s', async () => {
      const all = await readFeedFor(tokyo, '0', 11, 3);
      assert.equal(all.items.length, 11);
      assert.equal(new Set(all.items.map((i) => i.resultId)).size, 11, 'a result repeated');
      const byKey = (k: string, r: string) => all.items.find((i) => i.municipalityIdentityKey === k && i.resultKey === r)!;
      assert.deepEqual(
        [byKey('M-1', 'PR-1').payment, byKey('M-1', 'PR-1').voucherNumber, byKey('M-1', 'PR-3').payment, byKey('M-1', 'PR-3').selfPaidReason],
        ['voucher', 'P-1', 'self-paid', 'no-voucher'],
      );
      const threeMonths = byKey('B-1', '3M');
      assert.deepEqual(
        [threeMonths.checkupKind, threeMonths.judgement, threeMonths.ageInMonths, threeMonths.source],
        ['infant-3-4m', 'detailed-exam', 3, 'municipal'],
      );
      assert.deepEqual(threeMonths.measurements, { heightCm: 63.0, weightKg: 6.8, headCm: 41.0 });
      const osakaFeed = await readFeedFor(osaka, '0', 2);
      assert.deepEqual(
        osakaFeed.items.map((i) => i.municipalityIdentityKey),
        ['OS-1', 'OS-1'],
      );
      const tokyoIds = new Set(all.items.map((i) => i.resultId));
      assert.ok(osakaFeed.items.every((i) => !tokyoIds.has(i.resultId)));

      // B-1's exam recorded: the result comes again, once, as it now stands; nothing else does.
      const b = b1();
      b.checkupResults[1] = { ...b.checkupResults[1], detailedExamDate: '2026-07-20' };
      assertOutcome(await w.register(tokyo, 'maternal-child', [b]), 0, 'updated');
      const again = await readFeedFor(tokyo, all.cursor, 1);
      assert.deepEqual(
        again.items.map((i) => [i.municipalityIdentityKey, i.resultKey, i.detailedExamDate]),
        [['B-1', '3M', '2026-07-20']],
      );
      // Put back as it was (the follow-up test below expects B-1 waiting).
      assertOutcome(await w.register(tokyo, 'maternal-child', [b1()]), 0, 'updated');
      await readFeedFor(tokyo, again.cursor, 1);
    });

    it('the results feed as CSV, in UTF-8 and Shift_JIS, the cursor in a header; bad cursors and page sizes are 400s naming the parameter', async () => {
      const csv = await w.call(tokyo, 'GET', `${BASE}/results?limit=4`, undefined, { accept: 'text/csv' });
      assert.equal(csv.status, 200, csv.text);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/i);
      const lines = csv.text.split('\r\n');
      assert.equal(
        lines[0],
        'municipalityIdentityKey,resultId,resultKey,checkupKind,sequence,voucherNumber,payment,selfPaidReason,date,institutionCode,ageInMonths,' +
          'gestationalWeeks,heightCm,weightKg,headCm,chestCm,systolic,diastolic,fundalHeightCm,abdominalCm,urineProtein,urineGlucose,' +
          'urineOccultBlood,edema,testsDone,findings,judgement,detailedExamDate,source,updatedAt',
      );
      assert.equal(lines.length, 1 + 4 + 1);
      assert.match(csv.headers.get('next-cursor') ?? '', /^[0-9]+-[0-9]+$/);
      const page = await hubAs(w, tokyo).ok(hubApi.municipal.maternalChildResults, { query: { limit: '4' } });
      assert.equal(csv.headers.get('next-cursor'), page.nextCursor);
      const first = lines[1].split(',');
      assert.equal(first[0], page.items[0].municipalityIdentityKey);
      assert.equal(first[1], page.items[0].resultId);

      const sjis = await fetch(`${w.hubUrl}${BASE}/results?since=0&limit=1000&charset=shift_jis`, {
        headers: { accept: 'text/csv', authorization: await w.authorization(tokyo) },
      });
      assert.equal(sjis.status, 200);
      assert.match(sjis.headers.get('content-type') ?? '', /^text\/csv; charset=shift_jis/i);
      const text = new TextDecoder('shift_jis').decode(new Uint8Array(await sjis.arrayBuffer()));
      assert.ok(text.includes('limbs-motor:股関節開排制限の疑い'), 'the findings, in Japanese, through Shift_JIS');

      assertProblem(await w.call(tokyo, 'GET', `${BASE}/results?since=abc`), 400, '/querystring/since');
      assertProblem(await w.call(tokyo, 'GET', `${BASE}/results?since=99999999999999999999-1`), 400, '/querystring/since');
      assertProblem(await w.call(tokyo, 'GET', `${BASE}/results?limit=0`), 400, '/querystring/limit');
      assertProblem(await w.call(tokyo, 'GET', `${BASE}/results?limit=10001`), 400, '/querystring/limit');
      assertProblem(await w.call(tokyo, 'GET', `${BASE}/results?cursor=0`), 400);
      assertProblem(await w.call(w.operator, 'GET', `${BASE}/results?municipalityCode=131016`), 403);
    });

    it('the follow-up list: children judged 要精査 with no detailed exam recorded, the longest waiting first; JSON and CSV', async () => {
      const { followUps } = await hubAs(w, tokyo).ok(hubApi.municipal.maternalChildFollowUps, {});
      // B-2 has its exam date, B-3's later checkup records it, B-4 moved out, the mother's checkups are not a child's.
      assert.deepEqual(
        followUps.map((f) => [f.municipalityIdentityKey, f.checkupKind, f.date, f.ageInMonths, f.institutionCode, f.source]),
        [
          ['B-5', 'infant-3-4m', '2026-04-25', 3, CLINIC_B, 'municipal'],
          ['B-1', 'infant-3-4m', '2026-07-10', 3, CLINIC_B, 'municipal'],
        ],
      );
      assert.deepEqual(followUps[0].findings, [{ area: 'limbs-motor', finding: '股関節開排制限の疑い' }]);
      assert.ok(followUps[0].daysSince > followUps[1].daysSince && followUps[1].daysSince > 0);
      assert.deepEqual(
        (await hubAs(w, osaka).ok(hubApi.municipal.maternalChildFollowUps, {})).followUps.map((f) => f.municipalityIdentityKey),
        ['OS-1'],
      );

      const csv = await w.call(tokyo, 'GET', `${BASE}/follow-ups`, undefined, { accept: 'text/csv' });
      assert.equal(csv.status, 200, csv.text);
      const lines = csv.text.split('\r\n');
      assert.equal(lines[0], 'municipalityIdentityKey,resultId,checkupKind,date,ageInMonths,institutionCode,source,findings,daysSince');
      assert.ok(lines[1].startsWith(`B-5,${followUps[0].resultId},infant-3-4m,2026-04-25,3,${CLINIC_B},municipal,limbs-motor:股関節開排制限の疑い,`));
      const sjis = await fetch(`${w.hubUrl}${BASE}/follow-ups?charset=shift_jis`, {
        headers: { accept: 'text/csv', authorization: await w.authorization(tokyo) },
      });
      assert.equal(new TextDecoder('shift_jis').decode(new Uint8Array(await sjis.arrayBuffer())), csv.text);

      assertProblem(await w.call(tokyo, 'GET', `${BASE}/follow-ups?charset=latin1`), 400, '/querystring/charset');

      // The exam recorded on the result itself takes the child off the list.
      const b = b5();
      b.checkupResults[0] = { ...b.checkupResults[0], detailedExamDate: '2026-05-10' };
      assertOutcome(await w.register(tokyo, 'maternal-child', [b]), 0, 'updated');
      assert.deepEqual(
        (await hubAs(w, tokyo).ok(hubApi.municipal.maternalChildFollowUps, {})).followUps.map((f) => f.municipalityIdentityKey),
        ['B-1'],
      );
    });

    it('claims: a month’s checkups paid with vouchers, per venue, kind and sequence, each use its voucher’s cap; self-paid left out; CSV', async () => {
      const claimsOf = (caller: Caller, month: string) => hubAs(w, caller).ok(hubApi.municipal.maternalChildClaims, { query: { month } });
      const may = await claimsOf(tokyo, '2026-05');
      assert.equal(may.month, '2026-05');
      assert.deepEqual(
        may.claims.map((c) => [c.institutionCode, c.checkupKind, c.sequence, c.subsidyCap, c.count, c.amount]),
        [
          [CLINIC_A, 'prenatal', 1, 10_000, 1, 10_000],
          [CLINIC_A, 'prenatal', 2, 6_000, 1, 6_000],
          [CLINIC_B, 'infant-1m', null, 4_000, 1, 4_000],
        ],
      );
      assert.equal(may.total, 20_000);
      assert.deepEqual(
        (await claimsOf(tokyo, '2026-06')).claims.map((c) => [c.checkupKind, c.sequence, c.amount]),
        [['prenatal', 4, 6_000]],
      );
      assert.deepEqual((await claimsOf(tokyo, '2026-07')).claims, [], 'group checkups without a voucher are not claimed');
      // Osaka's own voucher (cap 5,000), nothing of Tokyo's.
      assert.deepEqual(
        (await claimsOf(osaka, '2026-05')).claims.map((c) => [c.institutionCode, c.checkupKind, c.amount]),
        [[CLINIC_B, 'infant-1m', 5_000]],
      );

      const csv = await w.call(tokyo, 'GET', `${BASE}/claims?month=2026-05`, undefined, { accept: 'text/csv' });
      assert.equal(csv.status, 200, csv.text);
      assert.equal(
        csv.text,
        `month,institutionCode,checkupKind,sequence,subsidyCap,count,amount\r\n2026-05,${CLINIC_A},prenatal,1,10000,1,10000\r\n` +
          `2026-05,${CLINIC_A},prenatal,2,6000,1,6000\r\n2026-05,${CLINIC_B},infant-1m,,4000,1,4000\r\n`,
      );
      const sjis = await fetch(`${w.hubUrl}${BASE}/claims?month=2026-05&charset=shift_jis`, {
        headers: { accept: 'text/csv', authorization: await w.authorization(tokyo) },
      });
      assert.match(sjis.headers.get('content-type') ?? '', /^text\/csv; charset=shift_jis/i);

      assertProblem(await w.call(tokyo, 'GET', `${BASE}/claims`), 400, '/query/month');
      assertProblem(await w.call(tokyo, 'GET', `${BASE}/claims?month=2026-13`), 400, '/query/month');
      assertProblem(await w.call(tokyo, 'GET', `${BASE}/claims?month=2026-05&charset=sjis`), 400, '/querystring/charset');
    });

    it('every read is audited under the municipality', async () => {
      const { rows } = await sql<{ action: string }>`select action from audit_log where actor = ${`municipality:${TOKYO}`}`.execute(w.hub.database.db);
      const actions = new Set(rows.map((r) => r.action));
      for (const a of ['maternal-child.results.read', 'maternal-child.follow-ups.read', 'maternal-child.claims.read']) assert.ok(actions.has(a), a);
    });
  });
}
