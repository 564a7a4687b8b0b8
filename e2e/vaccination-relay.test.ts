import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { SignJWT, importJWK } from 'jose';
import { signCardChallenge } from '@pmh/core/crypto/index';
import { generateClientKey } from '@pmh/core/auth/index';
import { todayInJapan } from '@pmh/protocol/text';
import { World, backends, Rng, myNumber, personName, identifiersIn, type Enrolled, type HttpAnswer, type Caller } from '../packages/testkit/src/index.ts';
import { addDays, forecast } from '../packages/hub/src/domain/vaccination/index.ts';

/**
 * A clinic's vaccination through the portal (seed B⑤): a child registered by Tokyo (and earlier by
 * Osaka, whose registration has ended) presents their card at a clinic's app and consents; the clinic
 * reads the history and today's schedule, checks the planned dose, is refused (409) until it
 * overrides the warning with a reason, records the dose (201); the municipality's feed shows it
 * once, the resident sees it and the next dose in the forecast, and the resident's access log names
 * the institution. Then the refusals: a consent without the scope, an expired one, another
 * institution's, bad record fields (named by pointer, nothing written), a fever; the same-day
 * correction and cancellation, versioned; the hub's own checks of the consent assertion. No relay
 * answer ever carries a PMH-ID, a pseudonym or a My Number.
 */
const [TOKYO, OSAKA] = ['131016', '271004'];
const [CLINIC, OTHER_CLINIC] = ['1312345674', '2714567890'];

/** A well child's 予診票, every item answered beforehand. */
const WELL_CHILD = {
  'read-explanation': true,
  'delivery-abnormal': false,
  'after-birth-abnormal': false,
  'checkup-abnormal': false,
  'unwell-today': false,
  'ill-past-month': false,
  'contact-past-month': false,
  'vaccinated-past-month': false,
  'chronic-illness': false,
  convulsion: false,
  allergy: false,
  'relative-immunodeficiency': false,
  'past-reaction': false,
  'relative-reaction': false,
  transfusion: false,
  questions: false,
};

for (const backend of backends()) {
  describe(`a clinic's vaccination through the portal (${backend})`, () => {
    let w: World;
    const rng = new Rng(1204_7);
    let child: Enrolled;
    let unlinked: Enrolled;
    let childName: string;
    const today = todayInJapan();
    const birth = addDays(today, -100);
    const tenDaysAgo = addDays(today, -10);
    const firstDoses = addDays(birth, 62);
    /** Every answer a clinic was given, for the privacy scan. */
    const answers: HttpAnswer[] = [];

    const clinic = (code = CLINIC): Caller => w.clinic(code);
    const portal = async (caller: Caller | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const a = await w.call(caller, method, path, body, headers, 'portal');
      if (caller?.role.startsWith('clinic:')) answers.push(a);
      return a;
    };
    const count = async (service: 'hub' | 'portal', query: ReturnType<typeof sql>) =>
      Number(((await query.execute(w.service(service).database.db)).rows[0] as { n: string }).n);
    const clinicRecords = () => count('hub', sql`select count(*) as n from vaccination_records where source = 'clinic'`);
    const feedEntries = () => count('hub', sql`select count(*) as n from vaccination_feed`);

    /** The person presents their card at the clinic's app and agrees to `scopes`. */
    const consent = async (p: Enrolled, scopes: string[], at = CLINIC): Promise<HttpAnswer> => {
      const c = await portal(clinic(at), 'POST', '/portal/v1/consent-challenges');
      assert.equal(c.status, 200, c.text);
      return portal(clinic(at), 'POST', '/portal/v1/consents', {
        cardAuthentication: { cardSerial: p.cardSerial, challenge: c.body.challenge, signature: signCardChallenge(p.cardKey.privateJwk, c.body.challenge) },
        scopes,
      });
    };
    const grant = async (scopes: string[], at = CLINIC): Promise<string> => {
      const a = await consent(child, scopes, at);
      assert.equal(a.status, 201, a.text);
      return a.body.consentId;
    };

    const dose = (over: Record<string, unknown> = {}) => ({
      vaccineCode: 'dpt-ipv-hib',
      doseNumber: 2,
      date: today,
      productName: 'ゴービック水性懸濁注シリンジ',
      productCode: '04987123456781',
      lotNumber: 'GB-2611',
      expirationDate: addDays(today, 200),
      doseVolumeMl: 0.5,
      site: '左上腕',
      route: 'subcutaneous',
      ...over,
    });
    const assessment = { temperatureC: 36.6, fit: true, doctorName: '千代田 太郎' };

    const feed = async () => {
      const r = await w.call(w.municipality(TOKYO), 'GET', '/municipal/v1/vaccination/records?since=0&limit=1000');
      assert.equal(r.status, 200, r.text);
      return r.body.items as any[];
    };

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'] });
      [child, unlinked] = await w.enrol([myNumber(rng), myNumber(rng)]);
      const name = personName(rng);
      childName = name.name;
      const subject = (key: string, address: string, vaccinationRecords: unknown[]) => ({
        modificationSeg: '1',
        myNumber: child.myNumber,
        municipalityIdentityKey: key,
        basicFiveInfo: { ...name, address, dateOfBirth: birth, sex: '2' },
        isNotDisclosed: false,
        vaccinationRecords,
      });
      const osaka = await w.register(w.municipality(OSAKA), 'vaccination', [
        subject('OS-1', '大阪府大阪市北区中之島1-3-20', [{ recordKey: 'O1', vaccineCode: 'hepb', doseNumber: 1, date: firstDoses, lotNumber: 'HB-OSAKA' }]),
      ]);
      assert.equal(osaka.succeeded, 1, JSON.stringify(osaka.results));
      const ended = await w.register(w.municipality(OSAKA), 'vaccination', [
        { modificationSeg: '2', municipalityIdentityKey: 'OS-1', reason: 'moved-out', date: addDays(firstDoses, 1) },
      ]);
      assert.equal(ended.succeeded, 1, JSON.stringify(ended.results));
      const tokyo = await w.register(w.municipality(TOKYO), 'vaccination', [
        subject('TK-1', '東京都千代田区九段南1-2-1', [
          { recordKey: 'T1', vaccineCode: 'dpt-ipv-hib', doseNumber: 1, date: tenDaysAgo, lotNumber: 'DPT-001', institutionCode: CLINIC },
          { recordKey: 'T2', vaccineCode: 'pcv', doseNumber: 1, series: 'start-2m-7m', date: firstDoses, lotNumber: 'PCV-001', institutionCode: CLINIC },
        ]),
      ]);
      assert.equal(tokyo.succeeded, 1, JSON.stringify(tokyo.results));
      await w.until('the child linked to the portal, every outbox empty', async () => {
        if ((await count('hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) < 2) return false;
        for (const s of ['hub', 'portal'] as const) if ((await count(s, sql`select count(*) as n from outbox`)) > 0) return false;
        return true;
      });
    });
    after(() => w?.stop());

    it('reads, checks, is refused until the warning is overridden, records; the feed, the resident and the access log show it', async () => {
      const granted = await consent(child, ['vaccination.read', 'vaccination.write', 'questionnaire.read']);
      assert.equal(granted.status, 201, granted.text);
      const { consentId, scopes, expiresAt } = granted.body;
      assert.match(consentId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(scopes, ['vaccination.read', 'vaccination.write', 'questionnaire.read']);
      const minutes = (Date.parse(expiresAt) - Date.now()) / 60_000;
      assert.ok(minutes > 5 && minutes <= 10.5, `a consent of minutes (${minutes})`);

      // The history and the schedule: Tokyo's doses; Osaka's ended registration is not shown to a clinic.
      const read = await portal(clinic(), 'GET', `/portal/v1/relay/${consentId}/vaccinations`);
      assert.equal(read.status, 200, read.text);
      assert.deepEqual(read.body.person, { displayName: childName, dateOfBirth: birth, sex: '2' });
      assert.deepEqual((read.body.records as any[]).map((r) => [r.vaccineCode, r.doseNumber, r.date]).sort(), [
        ['dpt-ipv-hib', 1, tenDaysAgo],
        ['pcv', 1, firstDoses],
      ]);
      assert.equal(read.text.includes('HB-OSAKA'), false, 'an ended registration’s records are hidden from clinics');
      // The schedule is the rules' own, from the doses a clinic is shown.
      const shownDoses = [
        { vaccineCode: 'dpt-ipv-hib', doseNumber: 1, date: tenDaysAgo },
        { vaccineCode: 'pcv', doseNumber: 1, series: 'start-2m-7m', date: firstDoses },
      ];
      assert.deepEqual(read.body.forecast, forecast({ dateOfBirth: birth, sex: '2' }, shownDoses, today));
      const dpt2 = (read.body.forecast as any[]).find((e) => e.vaccineCode === 'dpt-ipv-hib' && e.doseNumber === 2);
      assert.ok(dpt2.earliest > today, '五種混合 第2回: not yet (20 days after the first)');

      // Today is too soon after dose 1: the check says so, with the first day allowed.
      const check = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations/checks`, {
        vaccineCode: 'dpt-ipv-hib',
        doseNumber: 2,
        date: today,
      });
      assert.equal(check.status, 200, check.text);
      assert.deepEqual(
        (check.body.warnings as any[]).map((x) => [x.code, x.nextAllowed]),
        [['interval', dpt2.earliest]],
      );

      const before = { records: await clinicRecords(), feed: await feedEntries() };
      const refused = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, { assessment, record: dose() });
      assert.equal(refused.status, 409, refused.text);
      assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.deepEqual(
        (refused.body.warnings as any[]).map((x) => x.code),
        ['interval'],
      );
      // An override without a reason is no override.
      const blank = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, {
        assessment,
        record: dose(),
        overrides: [{ code: 'interval', reason: '   ' }],
      });
      assert.equal(blank.status, 422, blank.text);
      assert.deepEqual(
        (blank.body.errors as any[]).map((e) => e.pointer),
        ['/overrides/0/reason'],
      );
      assert.deepEqual({ records: await clinicRecords(), feed: await feedEntries() }, before, 'nothing written');

      // The guardian filled in the 予診票 beforehand on the portal; the clinic reads it through the relay.
      const cookie = await w.loginResident(child);
      const me = (method: string, path: string, body?: unknown) => w.call(null, method, path, body, { cookie }, 'portal');
      const drafted = await me('POST', '/portal/v1/me/questionnaires', { process: 'vaccination', vaccineCode: 'dpt-ipv-hib', doseNumber: 2 });
      assert.equal(drafted.status, 201, drafted.text);
      const questionnaireId = drafted.body.questionnaireId;
      const submitted = await me('PUT', `/portal/v1/me/questionnaires/${questionnaireId}`, { answers: WELL_CHILD, submit: true });
      assert.equal(submitted.status, 200, submitted.text);
      const seenByClinic = await portal(clinic(), 'GET', `/portal/v1/relay/${consentId}/questionnaires`);
      assert.equal(seenByClinic.status, 200, seenByClinic.text);
      assert.deepEqual(
        (seenByClinic.body as any[]).map((q) => [q.questionnaireId, q.status]),
        [[questionnaireId, 'submitted']],
      );

      const reason = '海外渡航前のため、医師の判断で間隔を短縮';
      const recorded = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, {
        questionnaireId,
        assessment,
        record: dose(),
        overrides: [{ code: 'interval', reason }],
      });
      assert.equal(recorded.status, 201, recorded.text);
      const rec = recorded.body;
      assert.deepEqual(
        {
          vaccineCode: rec.vaccineCode,
          doseNumber: rec.doseNumber,
          date: rec.date,
          lotNumber: rec.lotNumber,
          productName: rec.productName,
          productCode: rec.productCode,
          expirationDate: rec.expirationDate,
          doseVolumeMl: rec.doseVolumeMl,
          site: rec.site,
          route: rec.route,
          institutionCode: rec.institutionCode,
          doctorName: rec.doctorName,
          source: rec.source,
          status: rec.status,
          recorded: rec.recorded,
          version: rec.version,
          overrides: rec.overrides,
        },
        {
          ...dose(),
          institutionCode: CLINIC,
          doctorName: assessment.doctorName,
          source: 'clinic',
          status: 'recorded',
          recorded: true,
          version: 1,
          overrides: [{ code: 'interval', reason }],
        },
      );

      // The municipality's feed shows the dose once, as the clinic's.
      await w.until('the clinic’s dose in Tokyo’s feed', async () => (await feed()).some((i) => i.recordId === rec.recordId));
      const inFeed = (await feed()).filter((i) => i.recordId === rec.recordId);
      assert.equal(inFeed.length, 1);
      assert.deepEqual(
        [inFeed[0].municipalityIdentityKey, inFeed[0].source, inFeed[0].status, inFeed[0].institutionCode],
        ['TK-1', 'clinic', 'recorded', CLINIC],
      );

      // The questionnaire was used for the dose, with the visit's answers.
      const used = ((await me('GET', '/portal/v1/me/questionnaires')).body as any[]).find((q) => q.questionnaireId === questionnaireId);
      assert.deepEqual([used.status, used.answers.temperature, used.answers.consent], ['used', assessment.temperatureC, 'wish']);

      // The resident sees the dose and the next one in the schedule.
      const mine = await me('GET', '/portal/v1/me/vaccinations');
      assert.equal(mine.status, 200, mine.text);
      const shown = (mine.body.records as any[]).find((r) => r.recordId === rec.recordId);
      assert.deepEqual([shown?.source, shown?.lotNumber, shown?.institutionCode], ['clinic', 'GB-2611', CLINIC]);
      const next = (mine.body.forecast as any[]).filter((e) => e.vaccineCode === 'dpt-ipv-hib');
      assert.equal(next.find((e) => e.doseNumber === 2)?.status, 'complete');
      const expected = forecast({ dateOfBirth: birth, sex: '2' }, [...shownDoses, { vaccineCode: 'dpt-ipv-hib', doseNumber: 2, date: today }], today);
      const dpt3 = expected.find((e) => e.vaccineCode === 'dpt-ipv-hib' && e.doseNumber === 3)!;
      assert.ok(dpt3.earliest! > today);
      assert.deepEqual(
        next.find((e) => e.doseNumber === 3),
        dpt3,
        '第3回: from 20 days after the second',
      );

      // The access log names the institution, for the read and the write.
      const log = await w.call(null, 'GET', '/portal/v1/me/access-log', undefined, { cookie }, 'portal');
      assert.equal(log.status, 200, log.text);
      const byClinic = (log.body.items as any[]).filter((e) => e.actorKind === 'medical-institution' && e.actorCode === CLINIC);
      for (const action of ['vaccination.relay.read', 'vaccination.relay.check', 'vaccination.relay.record'])
        assert.ok(
          byClinic.some((e) => e.action === action && e.outcome === 'ok'),
          `${action} in the access log: ${log.text}`,
        );
      const audited = await sql<{ detail: any }>`select detail from audit_log where action = 'vaccination.relay.record' and outcome = 'ok'`.execute(
        w.hub.database.db,
      );
      assert.equal(audited.rows.length, 1);
      const detail = typeof audited.rows[0].detail === 'string' ? JSON.parse(audited.rows[0].detail) : audited.rows[0].detail;
      assert.equal(detail.consentId, consentId, 'audited with the consent id');

      // The same dose again: a duplicate-dose warning (with the interval one), never a silent second record.
      const again = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, {
        assessment,
        record: dose(),
        overrides: [{ code: 'interval', reason }],
      });
      assert.equal(again.status, 409, again.text);
      assert.ok((again.body.warnings as any[]).some((x) => x.code === 'duplicate-dose'));
      assert.equal((await feed()).filter((i) => i.source === 'clinic').length, 1);
    });

    it('answers a retried write with the same Idempotency-Key with the first record', async () => {
      const consentId = await grant(['vaccination.write']);
      const body = { assessment, record: dose({ vaccineCode: 'pcv', doseNumber: 2, series: 'start-2m-7m', lotNumber: 'PCV-777' }) };
      const before = await clinicRecords();
      const first = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, body, { 'idempotency-key': 'visit-42' });
      assert.equal(first.status, 201, first.text);
      const retry = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, body, { 'idempotency-key': 'visit-42' });
      assert.equal(retry.status, 201, retry.text);
      assert.equal(retry.body.recordId, first.body.recordId);
      assert.equal(await clinicRecords(), before + 1);
    });

    it('corrects and cancels a dose on the day it was recorded, keeping each version; refuses another institution and the next day', async () => {
      const consentId = await grant(['vaccination.read', 'vaccination.write']);
      const made = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, {
        assessment,
        record: dose({ vaccineCode: 'rota', doseNumber: 1, series: '5-valent', route: 'oral', site: '経口', doseVolumeMl: 2, lotNumber: 'RT-1' }),
      });
      assert.equal(made.status, 201, made.text);
      const id = made.body.recordId;

      const corrected = await portal(clinic(), 'PUT', `/portal/v1/relay/${consentId}/vaccinations/${id}`, {
        record: dose({ vaccineCode: 'rota', doseNumber: 1, series: '5-valent', route: 'oral', site: '経口', doseVolumeMl: 2, lotNumber: 'RT-2' }),
        reason: 'ロット番号の入力誤り',
      });
      assert.equal(corrected.status, 200, corrected.text);
      assert.deepEqual([corrected.body.recordId, corrected.body.status, corrected.body.version, corrected.body.lotNumber], [id, 'corrected', 2, 'RT-2']);
      const versions = await sql<{ version: number; snapshot: any }>`select version, snapshot from vaccination_record_versions where record_id = ${id}`.execute(
        w.hub.database.db,
      );
      assert.deepEqual(
        versions.rows.map((v) => [v.version, (typeof v.snapshot === 'string' ? JSON.parse(v.snapshot) : v.snapshot).lot_number]),
        [[1, 'RT-1']],
        'the first version is kept',
      );
      await w.until('the correction in the feed', async () => (await feed()).some((i) => i.recordId === id && i.status === 'corrected'));
      assert.equal((await feed()).filter((i) => i.recordId === id).length, 1, 'a record is in the feed once, as it now stands');

      // Another institution, with a consent of its own, may not touch it.
      const theirs = await grant(['vaccination.read', 'vaccination.write'], OTHER_CLINIC);
      const foreign = await portal(clinic(OTHER_CLINIC), 'DELETE', `/portal/v1/relay/${theirs}/vaccinations/${id}`, { reason: '誤登録' });
      assert.equal(foreign.status, 403, foreign.text);

      const cancelled = await portal(clinic(), 'DELETE', `/portal/v1/relay/${consentId}/vaccinations/${id}`, { reason: '別人の記録として登録したため' });
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.deepEqual([cancelled.body.status, cancelled.body.version], ['cancelled', 3]);
      const view = await portal(clinic(), 'GET', `/portal/v1/relay/${consentId}/vaccinations`);
      assert.equal((view.body.records as any[]).find((r) => r.recordId === id)?.status, 'cancelled');
      assert.equal(
        (view.body.forecast as any[]).find((e) => e.vaccineCode === 'rota' && e.doseNumber === 1)?.status === 'complete',
        false,
        'a cancelled dose is no dose',
      );
      const again = await portal(clinic(), 'PUT', `/portal/v1/relay/${consentId}/vaccinations/${id}`, { record: dose(), reason: '再訂正' });
      assert.equal(again.status, 409, again.text);

      // A dose recorded on an earlier day can no longer be changed here (the day it was recorded, moved back a day).
      const older = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, {
        assessment,
        record: dose({ vaccineCode: 'hepb', doseNumber: 1, lotNumber: 'HB-9', route: 'intramuscular' }),
      });
      assert.equal(older.status, 201, older.text);
      await sql`update vaccination_records set recorded_on = recorded_on - 1 where id = ${older.body.recordId}`.execute(w.hub.database.db);
      const late = await portal(clinic(), 'DELETE', `/portal/v1/relay/${consentId}/vaccinations/${older.body.recordId}`, { reason: '取消' });
      assert.equal(late.status, 409, late.text);
      assert.match(late.body.type, /correction-closed$/);
    });

    it('records no dose with a fever or when the doctor finds the child unfit', async () => {
      const consentId = await grant(['vaccination.write']);
      const before = { records: await clinicRecords(), feed: await feedEntries() };
      const fever = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, {
        assessment: { ...assessment, temperatureC: 37.5 },
        record: dose({ vaccineCode: 'hib', doseNumber: 1 }),
      });
      assert.equal(fever.status, 200, fever.text);
      assert.deepEqual([fever.body.recorded, fever.body.reason], [false, 'fever']);
      const unfit = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, {
        assessment: { ...assessment, fit: false },
        record: dose({ vaccineCode: 'hib', doseNumber: 1 }),
      });
      assert.equal(unfit.status, 200, unfit.text);
      assert.deepEqual([unfit.body.recorded, unfit.body.reason], [false, 'unfit']);
      assert.deepEqual({ records: await clinicRecords(), feed: await feedEntries() }, before);
    });

    it('names bad record fields by pointer and writes nothing', async () => {
      const consentId = await grant(['vaccination.write']);
      const before = { records: await clinicRecords(), feed: await feedEntries() };
      const post = (record: unknown) => portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, { assessment, record });
      const cases: Array<[unknown, number, string]> = [
        [dose({ lotNumber: '' }), 400, '/record/lotNumber'],
        [dose({ route: 'nasal' }), 400, '/record/route'],
        [dose({ doseVolumeMl: -1 }), 400, '/record/doseVolumeMl'],
        [dose({ vaccineCode: 'smallpox' }), 400, '/record/vaccineCode'],
        [{ ...dose(), lotNumber: undefined }, 400, '/record/lotNumber'],
        [dose({ date: addDays(today, 1) }), 422, '/record/date'],
        [dose({ institutionCode: OTHER_CLINIC }), 422, '/record/institutionCode'],
      ];
      for (const [record, status, pointer] of cases) {
        const a = await post(record);
        assert.equal(a.status, status, a.text);
        assert.ok(
          (a.body.errors as any[]).some((e) => e.pointer === pointer),
          `${pointer} named: ${a.text}`,
        );
      }
      const badAssessment = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, {
        assessment: { temperatureC: 55, fit: true, doctorName: '千代田 太郎' },
        record: dose(),
      });
      assert.equal(badAssessment.status, 400, badAssessment.text);
      assert.ok((badAssessment.body.errors as any[]).some((e) => e.pointer === '/assessment/temperatureC'));
      const noQuestionnaire = await portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/vaccinations`, {
        questionnaireId: '00000000-0000-4000-8000-000000000000',
        assessment,
        record: dose({ vaccineCode: 'hib', doseNumber: 1 }),
      });
      assert.equal(noQuestionnaire.status, 422, noQuestionnaire.text);
      assert.deepEqual(
        (noQuestionnaire.body.errors as any[]).map((e) => e.pointer),
        ['/questionnaireId'],
      );
      assert.deepEqual({ records: await clinicRecords(), feed: await feedEntries() }, before, 'nothing half-written');
    });

    it("reads the person's checkups with checkup.read: the vouchers and results the municipality registered, audited", async () => {
      // The same child, registered by Tokyo for maternal and child health too: a voucher and a 1-month result.
      const mch = await w.register(w.municipality(TOKYO), 'maternal-child', [
        {
          modificationSeg: '1',
          myNumber: child.myNumber,
          municipalityIdentityKey: 'TK-1',
          basicFiveInfo: { name: childName, address: '東京都千代田区九段南1-2-1', dateOfBirth: birth, sex: '2' },
          isNotDisclosed: false,
          vouchers: [
            { voucherNumber: 'RELAY-67M', checkupKind: 'infant-6-7m', validFrom: addDays(birth, 180), validTo: addDays(birth, 364), subsidyCap: 6_000 },
          ],
          checkupResults: [
            {
              resultKey: 'RELAY-1M',
              checkupKind: 'infant-1m',
              date: addDays(birth, 30),
              institutionCode: CLINIC,
              measurements: { heightCm: 53.5, weightKg: 4.3 },
              findings: [{ area: 'growth', finding: '順調' }],
              judgement: 'healthy',
            },
          ],
        },
      ]);
      assert.equal(mch.succeeded, 1, JSON.stringify(mch.results));
      const noScope = await grant(['vaccination.read']);
      assert.equal((await portal(clinic(), 'GET', `/portal/v1/relay/${noScope}/checkups`)).status, 403);
      const consentId = await grant(['checkup.read']);
      const read = await portal(clinic(), 'GET', `/portal/v1/relay/${consentId}/checkups`);
      assert.equal(read.status, 200, read.text);
      assert.deepEqual(
        read.body.vouchers.map((v: any) => [v.voucherNumber, v.checkupKind]),
        [['RELAY-67M', 'infant-6-7m']],
      );
      assert.deepEqual(
        read.body.results.map((r: any) => [r.checkupKind, r.judgement, r.measurements.heightCm]),
        [['infant-1m', 'healthy', 53.5]],
      );
      const audited = await count('hub', sql`select count(*) as n from audit_log where action = 'checkup.relay.read' and outcome = 'ok'`);
      assert.ok(audited >= 1, 'the read is audited');
    });

    it('refuses without the scope, after the consent ends, for another institution, and an unusable card or challenge', async () => {
      // Without the scope: 403.
      const questionnairesOnly = await grant(['questionnaire.read']);
      const noScope = await portal(clinic(), 'GET', `/portal/v1/relay/${questionnairesOnly}/vaccinations`);
      assert.equal(noScope.status, 403, noScope.text);
      assert.match(noScope.body.type, /consent-scope$/);
      const noWrite = await portal(clinic(), 'POST', `/portal/v1/relay/${questionnairesOnly}/vaccinations`, { assessment, record: dose() });
      assert.equal(noWrite.status, 403, noWrite.text);
      const questionnaires = await portal(clinic(), 'GET', `/portal/v1/relay/${questionnairesOnly}/questionnaires`);
      assert.equal(questionnaires.status, 200, questionnaires.text);

      // Another institution's consent, or none: 404, the same answer.
      const mine = await grant(['vaccination.read']);
      const foreign = await portal(clinic(OTHER_CLINIC), 'GET', `/portal/v1/relay/${mine}/vaccinations`);
      assert.equal(foreign.status, 404, foreign.text);
      const unknown = await portal(clinic(), 'GET', `/portal/v1/relay/00000000-0000-4000-8000-000000000000/vaccinations`);
      assert.equal(unknown.status, 404, unknown.text);
      assert.equal(foreign.body.type, unknown.body.type);

      // Expired: the consent's end moved into the past, as the clock would (the database's clock decides).
      await sql`update consents set expires_at = now() - interval '1 second' where id = ${mine}`.execute(w.service('portal').database.db);
      const expired = await portal(clinic(), 'GET', `/portal/v1/relay/${mine}/vaccinations`);
      assert.equal(expired.status, 403, expired.text);
      assert.match(expired.body.type, /consent-expired$/);

      // A challenge is single use and the institution's own; a card must sign it; scopes are the contract's five.
      const c = await portal(clinic(OTHER_CLINIC), 'POST', '/portal/v1/consent-challenges');
      const signed = { cardSerial: child.cardSerial, challenge: c.body.challenge, signature: signCardChallenge(child.cardKey.privateJwk, c.body.challenge) };
      const stolen = await portal(clinic(), 'POST', '/portal/v1/consents', { cardAuthentication: signed, scopes: ['vaccination.read'] });
      assert.equal(stolen.status, 401, stolen.text);
      const reused = await portal(clinic(OTHER_CLINIC), 'POST', '/portal/v1/consents', { cardAuthentication: signed, scopes: ['vaccination.read'] });
      assert.equal(reused.status, 401, `a challenge tried once is spent: ${reused.text}`);
      const c2 = await portal(clinic(), 'POST', '/portal/v1/consent-challenges');
      const forged = await portal(clinic(), 'POST', '/portal/v1/consents', {
        cardAuthentication: {
          cardSerial: child.cardSerial,
          challenge: c2.body.challenge,
          signature: signCardChallenge(unlinked.cardKey.privateJwk, c2.body.challenge),
        },
        scopes: ['vaccination.read'],
      });
      assert.equal(forged.status, 401, forged.text);
      assert.match(forged.body.type, /card-authentication-failed$/);
      const c3 = await portal(clinic(), 'POST', '/portal/v1/consent-challenges');
      const badScope = await portal(clinic(), 'POST', '/portal/v1/consents', {
        cardAuthentication: {
          cardSerial: child.cardSerial,
          challenge: c3.body.challenge,
          signature: signCardChallenge(child.cardKey.privateJwk, c3.body.challenge),
        },
        scopes: ['vaccination.read', 'everything'],
      });
      assert.equal(badScope.status, 400, badScope.text);
      assert.ok((badScope.body.errors as any[]).some((e) => e.pointer === '/scopes/1'));

      // A card holder not linked to PMH: nothing to consent to.
      const notLinked = await consent(unlinked, ['vaccination.read']);
      assert.equal(notLinked.status, 409, notLinked.text);

      // Not a clinic: a municipality's client or a resident session may not ask.
      const anonymous = await w.call(null, 'POST', '/portal/v1/consent-challenges', undefined, {}, 'portal');
      assert.equal(anonymous.status, 401, anonymous.text);
    });

    it('has the hub verify the consent assertion itself: signature, person, scope, expiry', async () => {
      const portalKey = w.keys('portal').signing;
      const pmhPseudonym = (
        await sql<{ pmh_pseudonym: string }>`select pmh_pseudonym from accounts where pmh_pseudonym is not null limit 1`.execute(
          w.service('portal').database.db,
        )
      ).rows[0].pmh_pseudonym;
      const assertion = async (o: { key?: any; sub?: string; scope?: string; exp?: number; iat?: number } = {}) => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ institution: CLINIC, process: 'vaccination', scope: o.scope ?? 'vaccination.read', consent_id: crypto.randomUUID() })
          .setProtectedHeader({ alg: 'ES256', typ: 'consent+jwt' })
          .setIssuer('portal')
          .setSubject(o.sub ?? pmhPseudonym)
          .setAudience(w.hubUrl)
          .setJti(crypto.randomUUID())
          .setIssuedAt(o.iat ?? now)
          .setExpirationTime(o.exp ?? now + 60)
          .sign(await importJWK(o.key ?? portalKey.privateJwk, 'ES256'));
      };
      const ask = async (a?: string) =>
        w.call(w.peerCaller('portal'), 'GET', `/hub/v1/residents/${pmhPseudonym}/relay/vaccinations`, undefined, a ? { 'consent-assertion': a } : {});
      assert.equal((await ask(await assertion())).status, 200);
      const now = Math.floor(Date.now() / 1000);
      const expired = await ask(await assertion({ iat: now - 300, exp: now - 120 }));
      assert.equal(expired.status, 403, expired.text);
      assert.match(expired.body.type, /consent-expired$/);
      const refusals: Array<[string, string]> = [
        [await assertion({ key: (await generateClientKey()).privateJwk }), 'invalid'],
        [await assertion({ sub: 'pp' + 'a'.repeat(26) }), 'subject'],
        [await assertion({ scope: 'questionnaire.read' }), 'scope'],
        [await assertion({ iat: now, exp: now + 3600 }), 'invalid'],
      ];
      const missing = await ask(undefined);
      assert.equal(missing.status, 400, missing.text);
      assert.ok(
        (missing.body.errors as any[]).some((e) => e.pointer === '/headers/consent-assertion'),
        missing.text,
      );
      for (const [a, reason] of refusals) {
        const r = await ask(a);
        assert.equal(r.status, 403, r.text);
        assert.equal(r.body.reason, reason, r.text);
      }
    });

    it('never tells a clinic a PMH-ID, a pseudonym, a card serial or a My Number', () => {
      assert.ok(answers.length > 20);
      const text = answers.map((a) => a.text).join('\n');
      const found = identifiersIn(text, { myNumbers: [child.myNumber, unlinked.myNumber], cardSerials: [child.cardSerial, unlinked.cardSerial] });
      for (const kind of ['pmhId', 'pseudonym', 'pmhPseudonym', 'linkageNumber', 'myNumber', 'cardSerial'] as const)
        assert.equal(found[kind].size, 0, `no ${kind} in any answer to a clinic`);
    });
  });
}
