/**
 * Vaccination claims through the municipal API (README "Claims"): a month's clinic doses of the
 * municipality's subjects per institution, vaccine and unit price (the price in force on each dose's
 * day), cancelled ones left out, a corrected one counted once; draft → confirmed (a snapshot: later
 * doses make new lines) → paid | rejected, 409 on any other transition; CSV in UTF-8 and Shift_JIS;
 * another municipality sees none of it, in the application and under row-level security.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { hubApi, type VaccinationClaimLine } from '@pmh/protocol';
import { Rng, World, backends, myNumber, personName, type Caller } from '../../testkit/src/index.ts';
import { UUID, assertLogsClean, assertOutcome, assertProblem, hubAs } from './support.ts';

const TOKYO = '131016';
const OSAKA = '271004';
/** Two medical-institution codes with their check digits (the world's clinics). */
const [CLINIC_A, CLINIC_B] = ['1312345674', '2714567890'];
const CLAIMS = '/municipal/v1/vaccination/claims';

for (const backend of backends()) {
  describe(`hub vaccination claims (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    let osaka: Caller;
    const rng = new Rng(1212_5);
    const myNumbers = new Set<string>();

    const child = (key: string) => {
      const n = myNumber(rng);
      myNumbers.add(n);
      return {
        modificationSeg: '1',
        myNumber: n,
        municipalityIdentityKey: key,
        basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: '2026-01-10', sex: '1' },
        isNotDisclosed: false,
        vaccinationRecords: [{ recordKey: 'M1', vaccineCode: 'hib', doseNumber: 1, date: '2026-05-02', institutionCode: CLINIC_A }],
      };
    };
    /** A clinic's dose, written as the relay writes one (through the hub's store). */
    const dose = async (municipalityCode: string, key: string, vaccineCode: string, doseNumber: number, date: string, institutionCode: string) => {
      const id = await w.hub.context.store.system.autocommit.recordClinicDose({
        municipalityCode,
        municipalityIdentityKey: key,
        vaccineCode,
        doseNumber,
        date,
        institutionCode,
        lotNumber: 'LOT-1',
      });
      assert.ok(id, `no subject ${key}`);
      return id;
    };
    const claimsOf = (caller: Caller, month: string) => hubAs(w, caller).ok(hubApi.municipal.vaccinationClaims, { query: { month } });
    const summary = (lines: VaccinationClaimLine[]) =>
      lines.map((l) => [l.status, l.institutionCode, l.vaccineCode, l.count, l.unitPrice, l.amount, l.missingPrice, l.priceValidFrom]);
    const price = async (caller: Caller, vaccineCode: 'hib' | 'pcv' | 'bcg', unitPrice: number, validFrom: string) => {
      const r = await hubAs(w, caller).call(hubApi.municipal.putVaccinationPrice, { params: { vaccineCode }, body: { unitPrice, validFrom } });
      assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
    };

    before(async () => {
      w = await World.start({ backend, services: ['hub'] });
      tokyo = w.municipality(TOKYO);
      osaka = w.municipality(OSAKA);
      const t = await w.register(tokyo, 'vaccination', [child('CL-1'), child('CL-2')]);
      assertOutcome(t, 0, 'created');
      assertOutcome(t, 1, 'created');
      assertOutcome(await w.register(osaka, 'vaccination', [child('OS-1')]), 0, 'created');
      // hib: a new price from 16 May; pcv: one price; bcg: none yet.
      await price(tokyo, 'hib', 8_000, '2026-04-01');
      await price(tokyo, 'hib', 8_500, '2026-05-16');
      await price(tokyo, 'pcv', 10_000, '2026-04-01');
      await price(osaka, 'hib', 7_000, '2026-04-01');

      await dose(TOKYO, 'CL-1', 'hib', 2, '2026-05-10', CLINIC_A); // 8,000
      await dose(TOKYO, 'CL-2', 'hib', 2, '2026-05-20', CLINIC_A); // 8,500 (the new price)
      await dose(TOKYO, 'CL-2', 'hib', 3, '2026-05-31', CLINIC_A); // 8,500
      await dose(TOKYO, 'CL-1', 'pcv', 1, '2026-05-10', CLINIC_A);
      await dose(TOKYO, 'CL-2', 'pcv', 1, '2026-05-11', CLINIC_B); // given in Osaka: still Tokyo's to pay
      const cancelled = await dose(TOKYO, 'CL-1', 'hib', 3, '2026-05-12', CLINIC_A);
      assert.ok(await w.hub.context.store.system.autocommit.changeClinicDose(cancelled, { status: 'cancelled' }));
      const corrected = await dose(TOKYO, 'CL-1', 'pcv', 2, '2026-05-13', CLINIC_A);
      assert.ok(await w.hub.context.store.system.autocommit.changeClinicDose(corrected, { status: 'corrected', lotNumber: 'LOT-2' }));
      await dose(TOKYO, 'CL-1', 'bcg', 1, '2026-05-14', CLINIC_B); // no price in force
      await dose(TOKYO, 'CL-1', 'pcv', 3, '2026-06-01', CLINIC_A); // June
      await dose(TOKYO, 'CL-2', 'hib', 1, '2026-04-30', CLINIC_A); // April
      await dose(OSAKA, 'OS-1', 'hib', 2, '2026-05-10', CLINIC_A); // Osaka's subject
    });
    after(async () => {
      if (w) assertLogsClean(w, myNumbers);
      await w?.stop();
    });

    it('counts a month’s clinic doses per institution, vaccine and price in force; cancelled out, corrected once, no price flagged', async () => {
      const may = await claimsOf(tokyo, '2026-05');
      assert.equal(may.month, '2026-05');
      assert.deepEqual(summary(may.claims), [
        ['draft', CLINIC_A, 'hib', 1, 8_000, 8_000, false, '2026-04-01'],
        ['draft', CLINIC_A, 'hib', 2, 8_500, 17_000, false, '2026-05-16'],
        ['draft', CLINIC_A, 'pcv', 2, 10_000, 20_000, false, '2026-04-01'],
        ['draft', CLINIC_B, 'bcg', 1, null, null, true, null],
        ['draft', CLINIC_B, 'pcv', 1, 10_000, 10_000, false, '2026-04-01'],
      ]);
      assert.ok(may.claims.every((c) => c.claimId === null && c.confirmedAt === null));
      // The municipality's own past doses (source municipal) are no claim; other months are their own.
      assert.deepEqual(summary((await claimsOf(tokyo, '2026-06')).claims), [['draft', CLINIC_A, 'pcv', 1, 10_000, 10_000, false, '2026-04-01']]);
      assert.deepEqual(summary((await claimsOf(tokyo, '2026-04')).claims), [['draft', CLINIC_A, 'hib', 1, 8_000, 8_000, false, '2026-04-01']]);
      assert.deepEqual((await claimsOf(tokyo, '2025-05')).claims, []);
      // Osaka sees its own subject's dose only, at its own price.
      assert.deepEqual(summary((await claimsOf(osaka, '2026-05')).claims), [['draft', CLINIC_A, 'hib', 1, 7_000, 7_000, false, '2026-04-01']]);
    });

    it('confirming: refused whole while a line has no price; then a snapshot that later doses never change; paid or rejected once', async () => {
      const api = hubAs(w, tokyo);
      const refused = await w.call(tokyo, 'POST', `${CLAIMS}/confirmations`, { month: '2026-05' });
      assertProblem(refused, 409);
      assert.match(refused.body.type, /missing-price$/);
      assert.deepEqual(refused.body.vaccineCodes, ['bcg']);
      assert.ok(
        (await claimsOf(tokyo, '2026-05')).claims.every((c) => c.status === 'draft'),
        'nothing confirmed',
      );

      await price(tokyo, 'bcg', 9_000, '2026-05-01');
      const first = await api.call(hubApi.municipal.confirmVaccinationClaims, { body: { month: '2026-05' } });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.confirmed.length, 5);
      assert.ok(first.body.confirmed.every((c) => UUID.test(c.claimId ?? '') && c.status === 'confirmed' && c.confirmedAt !== null));
      assert.deepEqual(summary(first.body.claims), [
        ['confirmed', CLINIC_A, 'hib', 1, 8_000, 8_000, false, '2026-04-01'],
        ['confirmed', CLINIC_A, 'hib', 2, 8_500, 17_000, false, '2026-05-16'],
        ['confirmed', CLINIC_A, 'pcv', 2, 10_000, 20_000, false, '2026-04-01'],
        ['confirmed', CLINIC_B, 'bcg', 1, 9_000, 9_000, false, '2026-05-01'],
        ['confirmed', CLINIC_B, 'pcv', 1, 10_000, 10_000, false, '2026-04-01'],
      ]);
      // Again: nothing left to confirm, nothing changes.
      const again = await api.call(hubApi.municipal.confirmVaccinationClaims, { body: { month: '2026-05' } });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body.confirmed, []);
      assert.deepEqual(again.body.claims, first.body.claims);

      // A dose recorded later for May, and a price changed later: the confirmed lines stay as they were.
      await dose(TOKYO, 'CL-1', 'hib', 4, '2026-05-25', CLINIC_A);
      await price(tokyo, 'hib', 9_999, '2026-05-16');
      const later = await claimsOf(tokyo, '2026-05');
      assert.deepEqual(later.claims.slice(0, 5), first.body.claims);
      assert.deepEqual(summary(later.claims.slice(5)), [['draft', CLINIC_A, 'hib', 1, 9_999, 9_999, false, '2026-05-16']]);
      const second = await api.call(hubApi.municipal.confirmVaccinationClaims, { body: { month: '2026-05' } });
      assert.equal(second.status, 201);
      assert.deepEqual(summary(second.body.confirmed), [['confirmed', CLINIC_A, 'hib', 1, 9_999, 9_999, false, '2026-05-16']]);
      assert.equal(second.body.claims.length, 6);

      // Decisions: confirmed → paid (again: unchanged), → rejected with a reason; any other way is a 409.
      const [paid, rejected] = first.body.confirmed;
      const decide = (claimId: string, body: object) => w.call(tokyo, 'PUT', `${CLAIMS}/${claimId}/status`, body);
      const p1 = await api.call(hubApi.municipal.decideVaccinationClaim, { params: { claimId: paid.claimId! }, body: { status: 'paid' } });
      assert.equal(p1.status, 200);
      assert.equal(p1.body.status, 'paid');
      assert.ok(p1.body.decidedAt);
      const p2 = await api.call(hubApi.municipal.decideVaccinationClaim, { params: { claimId: paid.claimId! }, body: { status: 'paid' } });
      assert.deepEqual(p2.body, p1.body, 'the same decision again changes nothing');
      const r1 = await decide(rejected.claimId!, { status: 'rejected', reason: '接種券番号の記載誤り' });
      assert.equal(r1.status, 200, r1.text);
      assert.deepEqual([r1.body.status, r1.body.reason], ['rejected', '接種券番号の記載誤り']);
      const wrong1 = await decide(paid.claimId!, { status: 'rejected' });
      assertProblem(wrong1, 409);
      assert.match(wrong1.body.type, /claim-transition$/);
      assertProblem(await decide(rejected.claimId!, { status: 'paid' }), 409);
      assertProblem(await decide('00000000-0000-4000-8000-000000000000', { status: 'paid' }), 404);
      // Osaka cannot decide (nor see) Tokyo's line.
      assertProblem(await w.call(osaka, 'PUT', `${CLAIMS}/${first.body.confirmed[2].claimId}/status`, { status: 'paid' }), 404);
      assert.equal((await claimsOf(tokyo, '2026-05')).claims.find((c) => c.claimId === first.body.confirmed[2].claimId)?.status, 'confirmed');
      // Bad decisions name their field.
      assertProblem(await decide(paid.claimId!, { status: 'draft' }), 400, '/status');
      assertProblem(await decide(paid.claimId!, { status: 'paid', note: 1 }), 400, '/note');
      assertProblem(await decide('not-a-uuid', { status: 'paid' }), 400);

      // Each write is audited, under the municipality.
      const { rows } = await sql<{ action: string; n: number }>`select action, count(*)::int as n from audit_log
        where actor = ${`municipality:${TOKYO}`} and action like 'vaccination.claim%' group by action order by action`.execute(w.hub.database.db);
      const count = new Map(rows.map((r) => [r.action, r.n]));
      // Confirmations that confirmed something (201, 200 with nothing new) are audited; the refused one is not (nothing written).
      assert.deepEqual(
        ['vaccination.claim.paid', 'vaccination.claim.rejected', 'vaccination.claims.confirm'].map((a) => count.get(a)),
        [1, 1, 3],
      );
      assert.ok((rows.find((r) => r.action === 'vaccination.claims.read')?.n ?? 0) > 0);
    });

    it('another municipality sees none of it, in the application and under row-level security', async () => {
      const osakaMay = await claimsOf(osaka, '2026-05');
      assert.deepEqual(summary(osakaMay.claims), [['draft', CLINIC_A, 'hib', 1, 7_000, 7_000, false, '2026-04-01']]);
      // PostgreSQL itself: in Osaka's scope, no row of Tokyo's claims or their doses.
      const seen = await w.hub.database.db.transaction().execute(async (trx) => {
        await sql`select set_config('pmh.municipality_code', ${OSAKA}, true)`.execute(trx);
        await sql`set local role pmh_municipal`.execute(trx);
        const claims = await sql<{ n: number }>`select count(*)::int as n from vaccination_claims`.execute(trx);
        const doses = await sql<{ n: number }>`select count(*)::int as n from vaccination_claim_doses`.execute(trx);
        return [claims.rows[0].n, doses.rows[0].n];
      });
      assert.deepEqual(seen, [0, 0]);
      const all = await sql<{ n: number }>`select count(*)::int as n from vaccination_claims where municipality_code = ${TOKYO}`.execute(w.hub.database.db);
      assert.equal(all.rows[0].n, 6);
    });

    it('CSV in UTF-8 and Shift_JIS, the same lines; a bad month is a 400 naming it; only municipalities', async () => {
      const json = await claimsOf(tokyo, '2026-05');
      const csv = await w.call(tokyo, 'GET', `${CLAIMS}?month=2026-05`, undefined, { accept: 'text/csv' });
      assert.equal(csv.status, 200, csv.text);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/i);
      const lines = csv.text.split('\r\n');
      assert.equal(
        lines[0],
        'claimId,month,institutionCode,vaccineCode,count,unitPrice,amount,status,missingPrice,priceValidFrom,reason,confirmedAt,decidedAt',
      );
      assert.equal(lines.length, json.claims.length + 2);
      assert.ok(lines.some((l) => l.includes(',2026-05,1312345674,hib,2,8500,17000,paid,false,2026-05-16,') || l.includes(',hib,2,8500,17000,')));
      assert.ok(lines.some((l) => l.includes('接種券番号の記載誤り')));
      const sjis = await fetch(`${w.hubUrl}${CLAIMS}?month=2026-05&charset=shift_jis`, {
        headers: { accept: 'text/csv', authorization: await w.authorization(tokyo) },
      });
      assert.equal(sjis.status, 200);
      assert.match(sjis.headers.get('content-type') ?? '', /^text\/csv; charset=shift_jis/i);
      const bytes = new Uint8Array(await sjis.arrayBuffer());
      assert.equal(new TextDecoder('shift_jis').decode(bytes), csv.text);
      assert.notEqual(bytes.length, Buffer.byteLength(csv.text), 'Shift_JIS, not UTF-8');

      for (const month of ['2026-13', '2026-5', '26-05', '2026-05-01', 'abc', ''])
        assertProblem(await w.call(tokyo, 'GET', `${CLAIMS}?month=${encodeURIComponent(month)}`), 400, '/query/month');
      assertProblem(await w.call(tokyo, 'GET', CLAIMS), 400, '/query/month');
      assertProblem(await w.call(tokyo, 'POST', `${CLAIMS}/confirmations`, { month: '2026-00' }), 400, '/month');
      assertProblem(await w.call(tokyo, 'POST', `${CLAIMS}/confirmations`, {}), 400, '/month');
      assertProblem(await w.call(null, 'GET', `${CLAIMS}?month=2026-05`), 401);
      assertProblem(await w.call(w.operator, 'POST', `${CLAIMS}/confirmations`, { month: '2026-05' }), 403);
    });

    it('reminder settings: PUT per vaccine (201, then 200), GET lists them; each municipality its own', async () => {
      const api = hubAs(w, tokyo);
      const on = await api.call(hubApi.municipal.putVaccinationReminder, { params: { vaccineCode: 'hib' }, body: { enabled: true } });
      assert.equal(on.status, 201);
      assert.deepEqual([on.body.vaccineCode, on.body.enabled], ['hib', true]);
      const off = await api.call(hubApi.municipal.putVaccinationReminder, { params: { vaccineCode: 'hib' }, body: { enabled: false } });
      assert.equal(off.status, 200);
      assert.equal(off.body.enabled, false);
      await api.ok(hubApi.municipal.putVaccinationReminder, { params: { vaccineCode: 'mr' }, body: { enabled: true } });
      const list = await api.ok(hubApi.municipal.listVaccinationReminders, {});
      assert.deepEqual(
        list.reminders.map((r) => [r.vaccineCode, r.enabled]),
        [
          ['hib', false],
          ['mr', true],
        ],
      );
      assert.deepEqual((await hubAs(w, osaka).ok(hubApi.municipal.listVaccinationReminders, {})).reminders, []);
      assertProblem(await w.call(tokyo, 'PUT', '/municipal/v1/vaccination/reminders/mumps', { enabled: true }), 400);
      assertProblem(await w.call(tokyo, 'PUT', '/municipal/v1/vaccination/reminders/mr', { enabled: 'yes' }), 400, '/enabled');
      assertProblem(await w.call(tokyo, 'PUT', '/municipal/v1/vaccination/reminders/mr', {}), 400, '/enabled');
    });
  });
}
