/**
 * Vaccination registration through the municipal API (docs/api-guide.md; the municipal API and the vaccination shapes):
 * subjects registered with modificationSeg "1" (their past doses and vouchers) or ended with "2",
 * through the same task machinery as the medical subsidies; each bad record fails alone, naming its
 * field; the subject gets its PMH-ID and portal link; unit prices per vaccine for claims.
 */
import crypto from 'node:crypto';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { VaccinationSubjectEnd, VaccinationSubjectRecord, hubApi, type VaccinationFeedItem } from '@pmh/protocol';
import { CHILD_PROGRAM, Rng, World, backends, childRecord, myNumber, personName, type Caller, type Enrolled } from '../../testkit/src/index.ts';
import {
  UUID,
  assertFailedAt,
  defineProgram,
  assertLogsClean,
  assertOutcome,
  assertProblem,
  getSubject,
  hubAs,
  subjectOf,
  taskPath,
  withWrongCheckDigit,
} from './support.ts';

const TASKS = '/municipal/v1/vaccination/registration-tasks';
const PRICES = '/municipal/v1/vaccination/prices';
const TOKYO = '131016';
const OSAKA = '271004';
/** A medical-institution code with its check digit (the world's first clinic). */
const CLINIC = '1312345674';

/** A voucher number as printed: kind + dose + the municipality's code + a 10-digit number. */
const voucher = (dose: number, municipality: string, n: number, kind = 1) => `${kind}${dose}${municipality}${String(n).padStart(10, '0')}`;

for (const backend of backends()) {
  describe(`hub vaccination registration (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    let osaka: Caller;
    const rng = new Rng(1212);
    const myNumbers = new Set<string>();
    let keyNo = 0;
    /** Above the contract examples' voucher numbers. */
    let voucherNo = 1000;
    let people: Enrolled[] = [];

    /** A fresh 宛名番号. */
    const key = () => `VAC${String(++keyNo).padStart(5, '0')}`;
    /** A valid modificationSeg "1" record of a child born on 2025-04-10 (a fresh person unless `myNumber` is given). */
    const child = (overrides: Record<string, unknown> = {}): Record<string, any> => {
      const n = (overrides.myNumber as string | undefined) ?? myNumber(rng);
      myNumbers.add(n);
      return {
        modificationSeg: '1',
        myNumber: n,
        municipalityIdentityKey: key(),
        basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: '2025-04-10', sex: '1' },
        isNotDisclosed: false,
        vaccinationRecords: [
          { recordKey: 'R1', vaccineCode: 'hib', doseNumber: 1, date: '2025-06-10', lotNumber: 'HB-001', institutionCode: CLINIC },
          { recordKey: 'R2', vaccineCode: 'pcv', doseNumber: 1, series: 'start-2m-7m', date: '2025-06-10', institutionName: '千代田こどもクリニック' },
        ],
        vouchers: [{ voucherNumber: voucher(2, TOKYO, ++voucherNo), vaccineCode: 'hib', doseNumber: 2, validTo: '2027-03-31' }],
        ...overrides,
      };
    };
    const dosesOf = async (municipalityIdentityKey: string) =>
      (
        await sql<{ record_key: string; vaccine_code: string; dose_number: number; date: string; source: string; status: string }>`
          select r.record_key, r.vaccine_code, r.dose_number, r.date, r.source, r.status from vaccination_records r
          join subjects s on s.id = r.subject_id where s.municipality_identity_key = ${municipalityIdentityKey} order by r.record_key`.execute(
          w.hub.database.db,
        )
      ).rows;

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'] });
      tokyo = w.municipality(TOKYO);
      osaka = w.municipality(OSAKA);
      people = await w.enrol(Array.from({ length: 2 }, () => myNumber(rng)));
      for (const p of people) myNumbers.add(p.myNumber);
    });
    after(async () => {
      if (w) assertLogsClean(w, myNumbers);
      await w?.stop();
    });

    it('registers a child with past doses and a voucher: 202, created, the PMH-ID issued and the portal linked', async () => {
      const r = child({ myNumber: people[0].myNumber });
      const accepted = await w.call(tokyo, 'POST', TASKS, [r]);
      assert.equal(accepted.status, 202, accepted.text);
      assert.match(accepted.body.taskId, UUID);
      assert.equal(accepted.headers.get('location'), taskPath(accepted.body.taskId));
      const task = await w.waitForTask(tokyo, accepted.body.taskId);
      assert.equal(task.process, 'vaccination');
      assert.equal(task.status, 'done');
      assert.deepEqual([task.total, task.succeeded, task.failed], [1, 1, 0]);
      assertOutcome(task, 0, 'created');
      assert.equal(accepted.text.includes(r.myNumber) || JSON.stringify(task).includes(r.myNumber), false, 'a My Number in an answer');

      const s = await subjectOf(w, tokyo, r.municipalityIdentityKey);
      assert.deepEqual(s.vaccination, { status: 'registered', endedReason: null, endedOn: null, records: 2, vouchers: 1 });
      assert.equal(s.basicFiveInfo.dateOfBirth, '2025-04-10');
      assert.deepEqual(await dosesOf(r.municipalityIdentityKey), [
        { record_key: 'R1', vaccine_code: 'hib', dose_number: 1, date: '2025-06-10', source: 'municipal', status: 'recorded' },
        { record_key: 'R2', vaccine_code: 'pcv', dose_number: 1, date: '2025-06-10', source: 'municipal', status: 'recorded' },
      ]);

      await w.until('the PMH-ID issued and the portal linked', async () => {
        const now = await subjectOf(w, tokyo, r.municipalityIdentityKey);
        assert.notEqual(now.pmhIdStatus, 'failed');
        return now.pmhIdStatus === 'issued' && now.portalLinkStatus === 'linked';
      });
      // The municipality never sees the PMH-ID; the operator does.
      assert.equal('pmhId' in (await subjectOf(w, tokyo, r.municipalityIdentityKey)), false);
      assert.match((await subjectOf(w, w.operator, r.municipalityIdentityKey, TOKYO)).pmhId ?? '', /.+/);
    });

    it('the contract’s examples register as they stand (OpenAPI shows them)', async () => {
      const examplesOf = (schema: object) => (schema as { examples: Array<Record<string, any>> }).examples;
      const [register] = examplesOf(VaccinationSubjectRecord);
      const [end] = examplesOf(VaccinationSubjectEnd);
      myNumbers.add(register.myNumber);
      const task = await w.register(tokyo, 'vaccination', [register, end]);
      assertOutcome(task, 0, 'created');
      assertOutcome(task, 1, 'deleted');
      assert.equal((await subjectOf(w, tokyo, register.municipalityIdentityKey)).vaccination?.status, 'ended');
    });

    it('re-sending a record changes nothing; a corrected or added dose updates it; record keys are the municipality’s own', async () => {
      const r = child();
      assertOutcome(await w.register(tokyo, 'vaccination', [r]), 0, 'created');
      assertOutcome(await w.register(tokyo, 'vaccination', [r]), 0, 'unchanged');
      // Full-width digits in the My Number and the voucher number are the same values.
      const fullWidth = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      const sameInFullWidth = {
        ...r,
        myNumber: fullWidth(r.myNumber),
        vouchers: [{ ...r.vouchers[0], voucherNumber: fullWidth(r.vouchers[0].voucherNumber) }],
      };
      assertOutcome(await w.register(tokyo, 'vaccination', [sameInFullWidth]), 0, 'unchanged');

      const corrected = { ...r, vaccinationRecords: [{ ...r.vaccinationRecords[0], date: '2025-06-12' }, r.vaccinationRecords[1]] };
      assertOutcome(await w.register(tokyo, 'vaccination', [corrected]), 0, 'updated');
      const added = {
        ...corrected,
        vaccinationRecords: [...corrected.vaccinationRecords, { recordKey: 'R3', vaccineCode: 'hib', doseNumber: 2, date: '2025-07-15' }],
      };
      // Within one task, in order: the second copy sees the first.
      const task = await w.register(tokyo, 'vaccination', [added, added]);
      assertOutcome(task, 0, 'updated');
      assertOutcome(task, 1, 'unchanged');
      assert.deepEqual(
        (await dosesOf(r.municipalityIdentityKey)).map((d) => [d.record_key, d.date]),
        [
          ['R1', '2025-06-12'],
          ['R2', '2025-06-10'],
          ['R3', '2025-07-15'],
        ],
      );
      assert.equal((await subjectOf(w, tokyo, r.municipalityIdentityKey)).vaccination?.vouchers, 1);
    });

    it('a subject registered for a medical subsidy is the same subject: registering for vaccination adds to it', async () => {
      await defineProgram(w, tokyo, CHILD_PROGRAM);
      const subsidy = childRecord(rng, { municipalityIdentityKey: key() });
      myNumbers.add(subsidy.myNumber);
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [subsidy]), 0, 'created');
      const r = child({ myNumber: subsidy.myNumber, municipalityIdentityKey: subsidy.municipalityIdentityKey, basicFiveInfo: subsidy.basicFiveInfo });
      assertOutcome(await w.register(tokyo, 'vaccination', [r]), 0, 'created');
      const s = await subjectOf(w, tokyo, r.municipalityIdentityKey);
      assert.equal(s.medicalSubsidyCertificates.length, 1);
      assert.equal(s.vaccination?.status, 'registered');
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from subjects where municipality_identity_key = ${r.municipalityIdentityKey}`.execute(
        w.hub.database.db,
      );
      assert.equal(rows[0].n, 1);

      // The same person under another key: refused (one subject per person and municipality), nothing written.
      const other = { ...r, municipalityIdentityKey: key(), vouchers: [] };
      assertFailedAt(await w.register(tokyo, 'vaccination', [other]), 0, '/0/municipalityIdentityKey');
      assertProblem(await getSubject(w, tokyo, other.municipalityIdentityKey), 404);
      // Another person under this key: refused.
      const impostor = { ...r, myNumber: myNumber(rng) };
      myNumbers.add(impostor.myNumber);
      assertFailedAt(await w.register(tokyo, 'vaccination', [impostor]), 0, '/0/myNumber');
    });

    it('modificationSeg "2" ends the registration (kept, not deleted); again: unchanged; "1" registers the subject again', async () => {
      const r = child();
      assertOutcome(await w.register(tokyo, 'vaccination', [r]), 0, 'created');
      const end = { modificationSeg: '2', municipalityIdentityKey: r.municipalityIdentityKey, reason: 'moved-out', date: '2026-03-31' };
      assertOutcome(await w.register(tokyo, 'vaccination', [end]), 0, 'deleted');
      const ended = await subjectOf(w, tokyo, r.municipalityIdentityKey);
      assert.deepEqual(ended.vaccination, { status: 'ended', endedReason: 'moved-out', endedOn: '2026-03-31', records: 2, vouchers: 1 });
      assertOutcome(await w.register(tokyo, 'vaccination', [end]), 0, 'unchanged');
      assertOutcome(await w.register(tokyo, 'vaccination', [{ ...end, reason: 'deceased' }]), 0, 'updated');
      // The doses are kept for the retention period.
      assert.equal((await dosesOf(r.municipalityIdentityKey)).length, 2);

      assertOutcome(await w.register(tokyo, 'vaccination', [r]), 0, 'updated');
      assert.deepEqual((await subjectOf(w, tokyo, r.municipalityIdentityKey)).vaccination?.status, 'registered');

      // Ending a subject never registered for vaccination (or unknown) fails, naming the key.
      const unknown = await w.register(tokyo, 'vaccination', [{ ...end, municipalityIdentityKey: 'NO-SUCH-KEY' }]);
      assertFailedAt(unknown, 0, '/0/municipalityIdentityKey');
    });

    it('each bad record fails alone, naming its field, and writes nothing; its good neighbours are applied', async () => {
      const otherMunicipality = voucher(1, OSAKA, 1);
      const bad: Array<[string, Record<string, any>]> = [
        ['/modificationSeg', { ...child(), modificationSeg: '3' }],
        ['/modificationSeg', (({ modificationSeg: _, ...rest }) => rest)(child())],
        ['/myNumber', child({ myNumber: withWrongCheckDigit(myNumber(rng)) })],
        ['/basicFiveInfo/dateOfBirth', child({ basicFiveInfo: { name: '予防　太郎', dateOfBirth: '2199-01-01', sex: '1' } })],
        ['/vaccinationRecords/0/vaccineCode', child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'mumps', doseNumber: 1, date: '2025-06-10' }] })],
        ['/vaccinationRecords/0/doseNumber', child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'hib', doseNumber: 5, date: '2025-06-10' }] })],
        [
          '/vaccinationRecords/0/doseNumber',
          child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'hib', series: 'start-12m-60m', doseNumber: 2, date: '2025-06-10' }] }),
        ],
        ['/vaccinationRecords/0/doseNumber', child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'bcg', doseNumber: 0, date: '2025-06-10' }] })],
        [
          '/vaccinationRecords/0/series',
          child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'hpv', series: '11-valent', doseNumber: 1, date: '2025-06-10' }] }),
        ],
        ['/vaccinationRecords/0/date', child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'bcg', doseNumber: 1, date: '2199-01-01' }] })],
        ['/vaccinationRecords/0/date', child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'bcg', doseNumber: 1, date: '2025-04-09' }] })],
        ['/vaccinationRecords/0/date', child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'bcg', doseNumber: 1, date: '2025-02-30' }] })],
        [
          '/vaccinationRecords/0/institutionCode',
          child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'bcg', doseNumber: 1, date: '2025-06-10', institutionCode: '4812345674' }] }),
        ],
        [
          '/vaccinationRecords/1/recordKey',
          child({
            vaccinationRecords: [
              { recordKey: 'X', vaccineCode: 'bcg', doseNumber: 1, date: '2025-06-10' },
              { recordKey: 'Ｘ', vaccineCode: 'hib', doseNumber: 1, date: '2025-06-10' },
            ],
          }),
        ],
        [
          '/vaccinationRecords/0/lotNumber',
          child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'bcg', doseNumber: 1, date: '2025-06-10', lotNumber: myNumber(rng) }] }),
        ],
        [
          '/vaccinationRecords/0/institutionName',
          child({ vaccinationRecords: [{ recordKey: 'X', vaccineCode: 'bcg', doseNumber: 1, date: '2025-06-10', institutionName: 'a\u202Eb' }] }),
        ],
        ['/vouchers/0/voucherNumber', child({ vouchers: [{ voucherNumber: otherMunicipality, vaccineCode: 'hib', doseNumber: 1, validTo: '2027-03-31' }] })],
        ['/vouchers/0/voucherNumber', child({ vouchers: [{ voucherNumber: '11131016000000001', vaccineCode: 'hib', doseNumber: 1, validTo: '2027-03-31' }] })],
        [
          '/vouchers/0/voucherNumber',
          child({ vouchers: [{ voucherNumber: voucher(3, TOKYO, 99), vaccineCode: 'hib', doseNumber: 1, validTo: '2027-03-31' }] }),
        ],
        ['/vouchers/0/doseNumber', child({ vouchers: [{ voucherNumber: voucher(3, TOKYO, 98), vaccineCode: 'mr', doseNumber: 3, validTo: '2027-03-31' }] })],
        ['/vouchers/0/validTo', child({ vouchers: [{ voucherNumber: voucher(1, TOKYO, 97), vaccineCode: 'hib', doseNumber: 1, validTo: '0001-01-01' }] })],
        [
          '/vouchers/0/unknownField',
          child({ vouchers: [{ voucherNumber: voucher(1, TOKYO, 96), vaccineCode: 'hib', doseNumber: 1, validTo: '2027-03-31', unknownField: 1 }] }),
        ],
        ['/reason', { modificationSeg: '2', municipalityIdentityKey: 'VAC-END', reason: 'emigrated', date: '2026-03-31' }],
        ['/date', { modificationSeg: '2', municipalityIdentityKey: 'VAC-END', reason: 'moved-out', date: '2199-01-01' }],
        ['/myNumber', { modificationSeg: '2', municipalityIdentityKey: 'VAC-END', reason: 'moved-out', date: '2026-03-31', myNumber: myNumber(rng) }],
      ];
      const good = child();
      const records = [good, ...bad.map(([, r]) => r)];
      for (const r of records) if (typeof r.myNumber === 'string') myNumbers.add(r.myNumber);
      const task = await w.register(tokyo, 'vaccination', records);
      assertOutcome(task, 0, 'created');
      bad.forEach(([pointer], i) => assertFailedAt(task, i + 1, `/${i + 1}${pointer}`));
      assert.deepEqual([task.total, task.succeeded, task.failed], [records.length, 1, bad.length]);
      const answer = JSON.stringify(task);
      for (const n of myNumbers) assert.equal(answer.includes(n), false, 'a My Number in the task’s answer');

      // Nothing of any bad record was written: no subject under its key, no dose, no voucher.
      for (const [, r] of bad)
        if (r.modificationSeg === '1' && typeof r.municipalityIdentityKey === 'string')
          assertProblem(await getSubject(w, tokyo, r.municipalityIdentityKey), 404);
      const badKeys = bad.map(([, r]) => r.municipalityIdentityKey).filter((k): k is string => typeof k === 'string');
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from subjects where municipality_identity_key = any(${badKeys}::text[])`.execute(
        w.hub.database.db,
      );
      assert.equal(rows[0].n, 0);
      const vouchers = await sql<{ n: number }>`select count(*)::int as n from vaccination_vouchers where voucher_number = ${otherMunicipality}`.execute(
        w.hub.database.db,
      );
      assert.equal(vouchers.rows[0].n, 0);
    });

    it('a voucher number is issued once: the same number for another subject fails, naming it', async () => {
      const first = child();
      assertOutcome(await w.register(tokyo, 'vaccination', [first]), 0, 'created');
      const second = child({ vouchers: [{ ...first.vouchers[0] }] });
      const task = await w.register(tokyo, 'vaccination', [second]);
      assertFailedAt(task, 0, '/0/vouchers/0/voucherNumber');
      assertProblem(await getSubject(w, tokyo, second.municipalityIdentityKey), 404);
    });

    it('another municipality neither sees nor affects this one’s subjects, tasks, vouchers or prices', async () => {
      const r = child();
      const accepted = await w.call(tokyo, 'POST', TASKS, [r]);
      assert.equal(accepted.status, 202, accepted.text);
      await w.waitForTask(tokyo, accepted.body.taskId);
      assertProblem(await w.call(osaka, 'GET', taskPath(accepted.body.taskId)), 404);
      assertProblem(await getSubject(w, osaka, r.municipalityIdentityKey), 404);
      // Osaka cannot end Tokyo's subject…
      const end = await w.register(osaka, 'vaccination', [
        { modificationSeg: '2', municipalityIdentityKey: r.municipalityIdentityKey, reason: 'mistaken', date: '2026-01-01' },
      ]);
      assertFailedAt(end, 0, '/0/municipalityIdentityKey');
      // …nor issue a voucher in Tokyo's numbering; the same person and key at Osaka are Osaka's own subject.
      const atOsaka = { ...r, vouchers: [{ ...r.vouchers[0] }] };
      assertFailedAt(await w.register(osaka, 'vaccination', [atOsaka]), 0, '/0/vouchers/0/voucherNumber');
      const own = { ...r, vouchers: [{ ...r.vouchers[0], voucherNumber: voucher(2, OSAKA, 1) }] };
      assertOutcome(await w.register(osaka, 'vaccination', [own]), 0, 'created');
      assert.equal((await subjectOf(w, osaka, r.municipalityIdentityKey)).municipalityCode, OSAKA);
      const tokyoView = await subjectOf(w, tokyo, r.municipalityIdentityKey);
      assert.deepEqual(tokyoView.vaccination, { status: 'registered', endedReason: null, endedOn: null, records: 2, vouchers: 1 });

      const put = await hubAs(w, tokyo).call(hubApi.municipal.putVaccinationPrice, {
        params: { vaccineCode: 'bcg' },
        body: { unitPrice: 8000, validFrom: '2025-04-01' },
      });
      assert.equal(put.status, 201);
      const osakaPrices = await hubAs(w, osaka).ok(hubApi.municipal.listVaccinationPrices, { query: { vaccineCode: 'bcg' } });
      assert.deepEqual(osakaPrices.prices, []);
    });

    it('prices: PUT creates a version (201) or replaces the same day’s (200); GET lists every version with its end, or the one in force', async () => {
      const api = hubAs(w, tokyo);
      const v1 = await api.call(hubApi.municipal.putVaccinationPrice, { params: { vaccineCode: 'mr' }, body: { unitPrice: 11_000, validFrom: '2025-04-01' } });
      assert.equal(v1.status, 201, JSON.stringify(v1.body));
      assert.equal(v1.body.unitPrice, 11_000);
      const same = await api.call(hubApi.municipal.putVaccinationPrice, {
        params: { vaccineCode: 'mr' },
        body: { unitPrice: 11_500, validFrom: '2025-04-01' },
      });
      assert.equal(same.status, 200);
      const v2 = await api.call(hubApi.municipal.putVaccinationPrice, { params: { vaccineCode: 'mr' }, body: { unitPrice: 12_100, validFrom: '2026-04-01' } });
      assert.equal(v2.status, 201);
      const all = await api.ok(hubApi.municipal.listVaccinationPrices, { query: { vaccineCode: 'mr' } });
      assert.deepEqual(
        all.prices.map((p) => [p.vaccineCode, p.unitPrice, p.validFrom, p.validTo]),
        [
          ['mr', 11_500, '2025-04-01', '2026-03-31'],
          ['mr', 12_100, '2026-04-01', null],
        ],
      );
      const inForce = await api.ok(hubApi.municipal.listVaccinationPrices, { query: { vaccineCode: 'mr', asOf: '2026-03-31' } });
      assert.deepEqual(
        inForce.prices.map((p) => p.unitPrice),
        [11_500],
      );
      const before = await api.ok(hubApi.municipal.listVaccinationPrices, { query: { vaccineCode: 'mr', asOf: '2024-01-01' } });
      assert.deepEqual(before.prices, []);

      // Refusals: each names its field; nothing is stored.
      assertProblem(await w.call(tokyo, 'PUT', `${PRICES}/mr`, { unitPrice: -1, validFrom: '2027-04-01' }), 400, '/unitPrice');
      assertProblem(await w.call(tokyo, 'PUT', `${PRICES}/mr`, { unitPrice: 10.5, validFrom: '2027-04-01' }), 400, '/unitPrice');
      assertProblem(await w.call(tokyo, 'PUT', `${PRICES}/mr`, { unitPrice: 200_001, validFrom: '2027-04-01' }), 400, '/unitPrice');
      assertProblem(await w.call(tokyo, 'PUT', `${PRICES}/mr`, { unitPrice: '9000', validFrom: '2027-04-01' }), 400, '/unitPrice');
      assertProblem(await w.call(tokyo, 'PUT', `${PRICES}/mr`, { unitPrice: 9000 }), 400, '/validFrom');
      assertProblem(await w.call(tokyo, 'PUT', `${PRICES}/mr`, { unitPrice: 9000, validFrom: '2027-02-29' }), 400, '/validFrom');
      assertProblem(await w.call(tokyo, 'PUT', `${PRICES}/mr`, { unitPrice: 9000, validFrom: '2027-04-01', note: 'x' }), 400, '/note');
      assertProblem(await w.call(tokyo, 'PUT', `${PRICES}/mumps`, { unitPrice: 9000, validFrom: '2027-04-01' }), 400);
      assertProblem(await w.call(tokyo, 'GET', `${PRICES}?asOf=2027-13-01`), 400);
      assertProblem(await w.call(w.operator, 'PUT', `${PRICES}/mr`, { unitPrice: 9000, validFrom: '2027-04-01' }), 403);
      assertProblem(await w.call(null, 'GET', PRICES), 401);
      const after = await api.ok(hubApi.municipal.listVaccinationPrices, { query: { vaccineCode: 'mr' } });
      assert.equal(after.prices.length, 2);
    });

    /** Reads the feed from `since` to its end, page by page: every item, and the last cursor. */
    const readFeed = async (caller: Caller, since = '0', limit = 1000) => {
      const items: VaccinationFeedItem[] = [];
      let cursor = since;
      for (;;) {
        const page = await hubAs(w, caller).ok(hubApi.municipal.vaccinationRecords, { query: { since: cursor, limit: String(limit) } });
        items.push(...page.items);
        if (page.items.length === 0) {
          assert.equal(page.nextCursor, cursor, 'an empty page keeps the cursor');
          return { items, cursor };
        }
        assert.notEqual(page.nextCursor, cursor);
        cursor = page.nextCursor;
      }
    };

    /**
     * Reads until at least `count` new items are served. The feed holds back what a transaction of this
     * database still running could precede (the hub's own workers run beside the test), so a write may
     * show a moment later: "nothing new yet" is a right answer, and a reader polls.
     */
    const readFeedFor = async (caller: Caller, since: string, count: number, limit = 1000) => {
      let read = await readFeed(caller, since, limit);
      await w.until(`${count} new feed items`, async () => (read = await readFeed(caller, since, limit)).items.length >= count);
      return read;
    };

    it('the records feed: each dose once, oldest first, page by page; a correction appears again; CSV in UTF-8 and Shift_JIS', async () => {
      const start = await readFeed(tokyo);
      assert.ok(start.items.length > 0);
      assert.equal(new Set(start.items.map((i) => i.recordId)).size, start.items.length, 'a record repeated');
      assert.ok(start.items.every((i) => i.source === 'municipal' && i.status === 'recorded'));

      const r = child();
      assertOutcome(await w.register(tokyo, 'vaccination', [r]), 0, 'created');
      // Page size 1: the two new doses, one per page, then nothing new.
      const fresh = await readFeedFor(tokyo, start.cursor, 2, 1);
      assert.deepEqual(fresh.items.map((i) => [i.municipalityIdentityKey, i.recordKey, i.vaccineCode, i.doseNumber, i.date]).sort(), [
        [r.municipalityIdentityKey, 'R1', 'hib', 1, '2025-06-10'],
        [r.municipalityIdentityKey, 'R2', 'pcv', 1, '2025-06-10'],
      ]);
      assert.equal(fresh.items.find((i) => i.recordKey === 'R1')?.institutionCode, CLINIC);
      assert.equal(fresh.items.find((i) => i.recordKey === 'R2')?.series, 'start-2m-7m');
      // Another municipality's feed has none of them.
      const ids = new Set(fresh.items.map((i) => i.recordId));
      assert.equal((await readFeed(osaka)).items.filter((i) => ids.has(i.recordId)).length, 0);

      // A corrected dose comes again, once, as it now stands; the unchanged one does not.
      const corrected = { ...r, vaccinationRecords: [{ ...r.vaccinationRecords[0], lotNumber: 'HB-002' }, r.vaccinationRecords[1]] };
      assertOutcome(await w.register(tokyo, 'vaccination', [corrected]), 0, 'updated');
      const again = await readFeedFor(tokyo, fresh.cursor, 1);
      assert.deepEqual(
        again.items.map((i) => [i.recordKey, i.lotNumber]),
        [['R1', 'HB-002']],
      );

      // CSV: the same page, a header row, the cursor in a header; Shift_JIS for legacy systems.
      const csv = await w.call(tokyo, 'GET', `/municipal/v1/vaccination/records?since=${start.cursor}&limit=10`, undefined, { accept: 'text/csv' });
      assert.equal(csv.status, 200, csv.text);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/i);
      const lines = csv.text.split('\r\n');
      assert.equal(
        lines[0],
        'municipalityIdentityKey,recordId,recordKey,vaccineCode,doseNumber,series,date,lotNumber,institutionCode,institutionName,source,status,updatedAt',
      );
      assert.equal(lines.at(-1), '');
      assert.equal(lines.length, 2 + 2);
      assert.ok(lines.some((l) => l.includes('千代田こどもクリニック') && l.startsWith(`${r.municipalityIdentityKey},`)));
      assert.equal(csv.headers.get('next-cursor'), again.cursor);
      const sjis = await fetch(`${w.hubUrl}/municipal/v1/vaccination/records?since=${start.cursor}&limit=10&charset=shift_jis`, {
        headers: { accept: 'text/csv', authorization: await w.authorization(tokyo) },
      });
      assert.equal(sjis.status, 200);
      assert.match(sjis.headers.get('content-type') ?? '', /^text\/csv; charset=shift_jis/i);
      const bytes = new Uint8Array(await sjis.arrayBuffer());
      assert.equal(new TextDecoder('shift_jis').decode(bytes), csv.text);
      assert.notEqual(bytes.length, Buffer.byteLength(csv.text), 'Shift_JIS, not UTF-8');

      // Refusals: a cursor that is not one, a page too large.
      assertProblem(await w.call(tokyo, 'GET', '/municipal/v1/vaccination/records?since=abc'), 400, '/querystring/since');
      assertProblem(await w.call(tokyo, 'GET', '/municipal/v1/vaccination/records?limit=10001'), 400, '/querystring/limit');
      assertProblem(await w.call(w.operator, 'GET', '/municipal/v1/vaccination/records?municipalityCode=131016'), 403);
    });

    it('while others write, the feed never skips nor repeats a dose: a late commit is held back until it can no longer fall behind', async (t) => {
      if (backend !== 'postgres') {
        // PGlite runs one transaction at a time: nothing can commit out of order there.
        t.skip('needs concurrent transactions (PostgreSQL)');
        return;
      }
      const db = w.hub.database.db;
      const r = child();
      assertOutcome(await w.register(tokyo, 'vaccination', [r]), 0, 'created');
      const subjectId = (
        await sql<{
          id: string;
        }>`select id from subjects where municipality_code = ${TOKYO} and municipality_identity_key = ${r.municipalityIdentityKey}`.execute(db)
      ).rows[0].id;
      let { cursor } = await readFeed(tokyo);
      const seen: string[] = [];

      // A clinic's write (standing for the relay, to come) that takes its feed entry first and commits last.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let heldId = '';
      const held = db.transaction().execute(async (trx) => {
        heldId = crypto.randomUUID();
        await sql`insert into vaccination_records (id, municipality_code, subject_id, vaccine_code, dose_number, date, source)
          values (${heldId}, ${TOKYO}, ${subjectId}, 'bcg', 1, '2025-09-01', 'clinic')`.execute(trx);
        await gate;
      });
      // Released whatever happens: left open, it would hold back every feed on the server.
      t.after(async () => {
        release();
        await held.catch(() => {});
      });
      await w.until('the held write has its entry', async () => heldId !== '');
      await new Promise((res) => setTimeout(res, 100));

      // Meanwhile the municipality registers more, and they commit.
      const later = child({ municipalityIdentityKey: key() });
      assertOutcome(await w.register(tokyo, 'vaccination', [later]), 0, 'created');
      const during = await readFeed(tokyo, cursor);
      // Held back: the later doses are not served while an older transaction may still commit before them.
      assert.deepEqual(during.items, []);
      release();
      await held;
      const after = await readFeedFor(tokyo, cursor, 3);
      seen.push(...after.items.map((i) => i.recordId));
      cursor = after.cursor;
      assert.equal(seen[0], heldId, 'the held write, first: its transaction is the oldest');
      assert.deepEqual(
        after.items
          .slice(1)
          .map((i) => [i.municipalityIdentityKey, i.recordKey])
          .sort(),
        [
          [later.municipalityIdentityKey, 'R1'],
          [later.municipalityIdentityKey, 'R2'],
        ],
      );

      // Many writers at once, in random order, against a reader polling all along: every dose once.
      const written: string[] = [];
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const page = await readFeed(tokyo, cursor, 7);
          seen.push(...page.items.map((i) => i.recordId));
          cursor = page.cursor;
        }
      })();
      await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          await new Promise((res) => setTimeout(res, Math.floor(rng.next() * 50)));
          await db.transaction().execute(async (trx) => {
            const id = crypto.randomUUID();
            await sql`insert into vaccination_records (id, municipality_code, subject_id, vaccine_code, dose_number, date, source)
              values (${id}, ${TOKYO}, ${subjectId}, 'flu-elderly', 1, ${`2025-10-${String(1 + (i % 28)).padStart(2, '0')}`}, 'clinic')`.execute(trx);
            await new Promise((res) => setTimeout(res, Math.floor(rng.next() * 30)));
            written.push(id);
          });
        }),
      );
      writing = false;
      await reader;
      // The rest, once nothing on the server still holds them back (see readFeedFor).
      const missing = 3 + written.length - seen.length;
      seen.push(...(await readFeedFor(tokyo, cursor, Math.max(0, missing))).items.map((i) => i.recordId));
      assert.equal(new Set(seen).size, seen.length, 'a dose served twice');
      assert.deepEqual(new Set(seen.slice(3)), new Set(written), 'a dose skipped');
    });

    it('a transaction left open in another database on the same server does not hold the feed back', async (t) => {
      if (backend !== 'postgres') {
        t.skip('needs a server with other databases (PostgreSQL)');
        return;
      }
      // Another database of the server (the test server's own), with a transaction that has its id and stays open.
      const other = new pg.Client({ connectionString: process.env.PMH_TEST_DATABASE_URL });
      await other.connect();
      t.after(async () => {
        await other.query('rollback').catch(() => {});
        await other.end();
      });
      await other.query('begin');
      await other.query('select pg_current_xact_id()');
      const { cursor } = await readFeed(tokyo);
      const r = child({ municipalityIdentityKey: key() });
      assertOutcome(await w.register(tokyo, 'vaccination', [r]), 0, 'created');
      // Served while the other database's transaction is still open (older than both doses).
      const served = await readFeedFor(tokyo, cursor, 2);
      assert.deepEqual(served.items.map((i) => [i.municipalityIdentityKey, i.recordKey]).sort(), [
        [r.municipalityIdentityKey, 'R1'],
        [r.municipalityIdentityKey, 'R2'],
      ]);
      const { rows } = await other.query<{ open: boolean }>('select pg_current_xact_id_if_assigned() is not null as open');
      assert.equal(rows[0].open, true, 'the other transaction was open all along');
    });

    it('the task itself: an empty array is a 400, a body that is no array a 400, no token a 401, an operator a 403', async () => {
      assertProblem(await w.call(tokyo, 'POST', TASKS, []), 400);
      assertProblem(await w.call(tokyo, 'POST', TASKS, { modificationSeg: '1' }), 400);
      assertProblem(await w.call(null, 'POST', TASKS, [child()]), 401);
      assertProblem(await w.call(w.operator, 'POST', TASKS, [child()]), 403);
    });
  });
}
