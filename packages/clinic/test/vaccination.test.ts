import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { signCardChallenge } from '@pmh/core/crypto/index';
import { createLogger } from '@pmh/core/http/logging';
import { clinicApi } from '@pmh/protocol';
import { todayInJapan } from '@pmh/protocol/text';
import { buildClinic, type Clinic } from '@pmh/clinic';
import { callEndpoint } from '../../testkit/src/http.ts';
import { World, backends, Rng, myNumber, personName, identifiersIn, freePort, INSTITUTION_CODES, type Enrolled } from '../../testkit/src/index.ts';

/**
 * The clinic app's vaccination API (seed B⑤), against the real portal, OQS and hub: the person's card
 * signs the portal's challenge and they agree to scopes; the app reads the person, the doses and the
 * schedule, checks today's dose, is refused until each warning is overridden with a reason, records
 * the dose, corrects and cancels it the same day; a fever records nothing; a consent without the
 * scope is refused. The clinic keeps nothing: no identifier in any answer, no name or lot in its logs.
 */
const TOKYO = '131016';
/** A calendar date `n` days from `iso` (YYYY-MM-DD). */
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const CLINIC = INSTITUTION_CODES[0];
const KNOWN_WARNINGS = new Set([
  'too-early',
  'too-late',
  'interval',
  'live-vaccine-interval',
  'duplicate-dose',
  'expired-lot',
  'not-eligible',
  'missing-previous-dose',
  'not-recommended',
]);

for (const backend of backends()) {
  describe(`clinic vaccination API (${backend})`, () => {
    let w: World;
    let clinic: Clinic;
    let url: string;
    let child: Enrolled;
    let unlinked: Enrolled;
    const rng = new Rng(1204_12);
    const name = personName(rng).name;
    // Today as the hub counts it: a child 100 days old, 五種混合 1回目 ten days ago (2回目 not yet
    // allowed: 20 days at least), B型肝炎 1回目 at two months (2回目 due).
    const today = todayInJapan();
    const birth = addDays(today, -100);
    const tenDaysAgo = addDays(today, -10);
    const answers: string[] = [];

    const api = async <E extends Parameters<typeof callEndpoint>[2]>(e: E, input: Parameters<typeof callEndpoint<E>>[3]) => {
      const a = await callEndpoint({ url }, null, e, input);
      answers.push(a.text);
      return a;
    };

    /** What the vaccination screen does: a challenge, the card's signature, the person's scopes. */
    const consent = async (p: Enrolled, scopes: Array<'vaccination.read' | 'vaccination.write' | 'questionnaire.read'>, signer: Enrolled = p) => {
      const c = await api(clinicApi.issueConsentChallenge, {});
      assert.equal(c.status, 200, c.text);
      const challenge = (c.body as { challenge: string }).challenge;
      return api(clinicApi.grantConsent, {
        body: { cardAuthentication: { cardSerial: p.cardSerial, challenge, signature: signCardChallenge(signer.cardKey.privateJwk, challenge) }, scopes },
      });
    };
    const granted = async (scopes: Array<'vaccination.read' | 'vaccination.write' | 'questionnaire.read'>): Promise<string> => {
      const r = await consent(child, scopes);
      assert.equal(r.status, 201, r.text);
      return (r.body as { consentId: string }).consentId;
    };
    const dose = (o: Record<string, unknown> = {}) => ({
      assessment: { temperatureC: 36.6, fit: true, doctorName: '佐藤 花子' },
      record: {
        vaccineCode: 'dpt-ipv-hib' as const,
        doseNumber: 2,
        date: today,
        productName: 'ゴービック',
        productCode: '09506000134352',
        lotNumber: 'GB-2611',
        expirationDate: addDays(today, 200),
        doseVolumeMl: 0.5,
        site: '左上腕',
        route: 'subcutaneous' as const,
      },
      ...o,
    });

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'], persistent: true });
      [child, unlinked] = await w.enrol([myNumber(rng), myNumber(rng)]);
      const task = await w.register(w.municipality(TOKYO), 'vaccination', [
        {
          modificationSeg: '1',
          myNumber: child.myNumber,
          municipalityIdentityKey: 'TK-CL-1',
          basicFiveInfo: { name, nameKana: 'ヤマダ　ハルト', address: '東京都千代田区九段南1-2-1', dateOfBirth: birth, sex: '1' },
          isNotDisclosed: false,
          vaccinationRecords: [
            { recordKey: 'R1', vaccineCode: 'dpt-ipv-hib', doseNumber: 1, date: tenDaysAgo, lotNumber: 'DPT-001', institutionCode: CLINIC },
            { recordKey: 'R2', vaccineCode: 'hepb', doseNumber: 1, date: addDays(birth, 62), lotNumber: 'HB-001', institutionCode: CLINIC },
          ],
        },
      ]);
      assert.equal(task.succeeded, 1, JSON.stringify(task.results));
      const count = async (service: 'hub' | 'portal', q: ReturnType<typeof sql>) =>
        Number(((await q.execute(w.service(service).database.db)).rows[0] as { n: string }).n);
      await w.until('the child linked to the portal, every outbox empty', async () => {
        if ((await count('hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) < 1) return false;
        for (const s of ['hub', 'portal'] as const) if ((await count(s, sql`select count(*) as n from outbox`)) > 0) return false;
        return true;
      });
      const caller = w.clinic(CLINIC);
      clinic = await buildClinic({
        institutionCode: CLINIC,
        name: '千代田こどもクリニック',
        clientId: caller.clientId,
        privateJwk: caller.privateJwk,
        oqsUrl: w.url('oqs'),
        portalUrl: w.url('portal'),
        logger: createLogger({ service: 'clinic', destination: w.logs, level: 'info' }),
      });
      const port = await freePort();
      await clinic.app.listen({ port, host: '127.0.0.1' });
      url = `http://127.0.0.1:${port}`;
    });
    after(async () => {
      await clinic?.close();
      await w?.stop();
    });

    it('grants a consent of minutes once the card signed the portal’s challenge; a forged signature or an unlinked person gets none', async () => {
      const r = await consent(child, ['vaccination.read', 'questionnaire.read', 'vaccination.write']);
      assert.equal(r.status, 201, r.text);
      const body = r.body as { consentId: string; scopes: string[]; expiresAt: string };
      assert.match(body.consentId, /^[0-9a-f-]{36}$/);
      assert.deepEqual([...body.scopes].sort(), ['questionnaire.read', 'vaccination.read', 'vaccination.write']);
      const minutes = (Date.parse(body.expiresAt) - Date.now()) / 60_000;
      assert.ok(minutes > 0 && minutes <= 30, `a consent of minutes, not hours (${minutes})`);

      const forged = await consent(child, ['vaccination.read'], unlinked);
      assert.equal(forged.status, 401, forged.text);
      assert.equal((forged.body as { type: string }).type, 'urn:pmh:problem:card-authentication-failed');
      const notLinked = await consent(unlinked, ['vaccination.read']);
      assert.equal(notLinked.status, 409, notLinked.text);
      assert.equal((notLinked.body as { type: string }).type, 'urn:pmh:problem:not-linked');
    });

    it('shows the person, their doses and the schedule today', async () => {
      const consentId = await granted(['vaccination.read']);
      const r = await api(clinicApi.vaccinations, { params: { consentId } });
      assert.equal(r.status, 200, r.text);
      const body = r.body as { person: { displayName: string; dateOfBirth: string; sex: string }; records: any[]; forecast: any[] };
      assert.deepEqual(body.person, { displayName: name, dateOfBirth: birth, sex: '1' });
      assert.deepEqual(body.records.map((x) => [x.vaccineCode, x.doseNumber, x.date, x.lotNumber]).sort(), [
        ['dpt-ipv-hib', 1, tenDaysAgo, 'DPT-001'],
        ['hepb', 1, addDays(birth, 62), 'HB-001'],
      ]);
      const entry = (code: string, n: number) => body.forecast.find((e) => e.vaccineCode === code && e.doseNumber === n);
      assert.equal(entry('hepb', 2).status, 'due');
      assert.ok(entry('dpt-ipv-hib', 2).earliest > today, '五種混合 2回目 is not allowed yet');
    });

    it('checks today’s dose: a warning for one given too soon, none for one that is due', async () => {
      const consentId = await granted(['vaccination.read']);
      const soon = await api(clinicApi.checkDose, { params: { consentId }, body: { vaccineCode: 'dpt-ipv-hib', doseNumber: 2, date: today } });
      assert.equal(soon.status, 200, soon.text);
      const warnings = (soon.body as { warnings: Array<{ code: string; message: string }> }).warnings;
      assert.ok(warnings.length > 0, soon.text);
      for (const x of warnings) {
        assert.ok(KNOWN_WARNINGS.has(x.code), x.code);
        assert.match(x.message, /[ぁ-んァ-ヶ一-龠]/, 'the message is Japanese');
      }
      const due = await api(clinicApi.checkDose, { params: { consentId }, body: { vaccineCode: 'hepb', doseNumber: 2, date: today } });
      assert.equal(due.status, 200, due.text);
      assert.deepEqual((due.body as { warnings: unknown[] }).warnings, []);
    });

    it('refuses the record until each warning is overridden with a reason, then records it once', async () => {
      const consentId = await granted(['vaccination.read', 'vaccination.write']);
      const refused = await api(clinicApi.recordVaccination, { params: { consentId }, body: dose() });
      assert.equal(refused.status, 409, refused.text);
      const warnings = (refused.body as { warnings: Array<{ code: string }> }).warnings;
      assert.ok(warnings.length > 0);

      const blank = await api(clinicApi.recordVaccination, {
        params: { consentId },
        body: dose({ overrides: warnings.map((x) => ({ code: x.code, reason: ' ' })) }),
      });
      assert.equal(blank.status, 422, `a blank reason is no override: ${blank.text}`);
      assert.ok(
        (blank.body as any).errors.some((e: any) => e.pointer === '/overrides/0/reason'),
        blank.text,
      );

      const overrides = warnings.map((x) => ({ code: x.code, reason: '転居のため、医師の判断で本日接種' }));
      const key = crypto.randomUUID();
      const input = { params: { consentId }, headers: { 'idempotency-key': key }, body: dose({ overrides }) };
      const recorded = await api(clinicApi.recordVaccination, input);
      assert.equal(recorded.status, 201, recorded.text);
      const r = recorded.body as any;
      assert.equal(r.recorded, true);
      assert.deepEqual(
        [r.vaccineCode, r.doseNumber, r.date, r.lotNumber, r.institutionCode, r.source, r.status, r.version],
        ['dpt-ipv-hib', 2, today, 'GB-2611', CLINIC, 'clinic', 'recorded', 1],
      );
      assert.deepEqual(r.overrides.map((o: { code: string }) => o.code).sort(), warnings.map((x) => x.code).sort());

      const again = await api(clinicApi.recordVaccination, input);
      assert.equal(again.status, 201, again.text);
      assert.equal((again.body as any).recordId, r.recordId, 'a retry with the same Idempotency-Key answers the first record');

      const history = await api(clinicApi.vaccinations, { params: { consentId } });
      const mine = (history.body as any).records.filter((x: any) => x.recordId === r.recordId);
      assert.equal(mine.length, 1, 'the dose is in the history once');
      assert.equal(mine[0].source, 'clinic');
    });

    it('records no dose for a temperature of 37.5 ℃, or when the doctor decides against it', async () => {
      const consentId = await granted(['vaccination.read', 'vaccination.write']);
      const hepb = { vaccineCode: 'hepb' as const, doseNumber: 2, date: today, lotNumber: 'HB-2612' };
      const fever = await api(clinicApi.recordVaccination, {
        params: { consentId },
        body: { assessment: { temperatureC: 37.5, fit: true, doctorName: '佐藤 花子' }, record: hepb },
      });
      assert.equal(fever.status, 200, fever.text);
      assert.deepEqual([(fever.body as any).recorded, (fever.body as any).reason], [false, 'fever']);
      const unfit = await api(clinicApi.recordVaccination, {
        params: { consentId },
        body: { assessment: { temperatureC: 36.5, fit: false, doctorName: '佐藤 花子' }, record: hepb },
      });
      assert.equal(unfit.status, 200, unfit.text);
      assert.deepEqual([(unfit.body as any).recorded, (unfit.body as any).reason], [false, 'unfit']);
      const history = await api(clinicApi.vaccinations, { params: { consentId } });
      assert.equal((history.body as any).records.filter((x: any) => x.vaccineCode === 'hepb' && x.doseNumber === 2).length, 0, 'nothing recorded');
    });

    it('corrects and then cancels a dose the same day, each a new version with its reason', async () => {
      const consentId = await granted(['vaccination.read', 'vaccination.write']);
      const given = await api(clinicApi.recordVaccination, {
        params: { consentId },
        body: {
          assessment: { temperatureC: 36.4, fit: true, doctorName: '佐藤 花子' },
          record: { vaccineCode: 'hepb', doseNumber: 2, date: today, lotNumber: 'HB-WRONG' },
        },
      });
      assert.equal(given.status, 201, given.text);
      const recordId = (given.body as any).recordId as string;
      const corrected = await api(clinicApi.correctVaccination, {
        params: { consentId, recordId },
        body: { record: { vaccineCode: 'hepb', doseNumber: 2, date: today, lotNumber: 'HB-2612', doctorName: '佐藤 花子' }, reason: 'ロット番号の入力誤り' },
      });
      assert.equal(corrected.status, 200, corrected.text);
      assert.deepEqual([(corrected.body as any).status, (corrected.body as any).version, (corrected.body as any).lotNumber], ['corrected', 2, 'HB-2612']);
      const cancelled = await api(clinicApi.cancelVaccination, { params: { consentId, recordId }, body: { reason: '別の方の記録でした' } });
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.deepEqual([(cancelled.body as any).status, (cancelled.body as any).version], ['cancelled', 3]);
      const blank = await callEndpoint({ url }, null, clinicApi.cancelVaccination, { params: { consentId, recordId }, body: { reason: '' } });
      assert.equal(blank.status, 400, blank.text);
      assert.ok((blank.body as any).errors.some((e: any) => e.pointer === '/reason'));
    });

    it('refuses a write without the scope, and bad input by the field it names', async () => {
      const readOnly = await granted(['vaccination.read']);
      const r = await api(clinicApi.recordVaccination, {
        params: { consentId: readOnly },
        body: dose({ record: { vaccineCode: 'hepb', doseNumber: 2, date: today, lotNumber: 'X' } }),
      });
      assert.equal(r.status, 403, r.text);
      const bad = await callEndpoint({ url }, null, clinicApi.recordVaccination, {
        params: { consentId: readOnly },
        body: dose({ record: { vaccineCode: 'hepb', doseNumber: 2, date: today, lotNumber: '' } }),
      });
      assert.equal(bad.status, 400, bad.text);
      assert.ok(
        (bad.body as any).errors.some((e: any) => e.pointer === '/record/lotNumber'),
        bad.text,
      );
      const unknown = await callEndpoint({ url }, null, clinicApi.vaccinations, { params: { consentId: crypto.randomUUID() } });
      assert.ok(unknown.status === 404 || unknown.status === 403, unknown.text);
    });

    it('keeps nothing: no identifier in any answer, no name, birth date or lot in its logs', () => {
      const text = answers.join('\n');
      const found = identifiersIn(text, { myNumbers: [child.myNumber, unlinked.myNumber], cardSerials: [child.cardSerial, unlinked.cardSerial] });
      for (const kind of ['pmhId', 'pseudonym', 'pmhPseudonym', 'linkageNumber', 'myNumber', 'cardSerial'] as const)
        assert.equal(found[kind].size, 0, `no ${kind} in what the clinic was answered`);
      const clinicLog = w.logs.lines.filter((l) => l.includes('"service":"clinic"')).join('');
      assert.ok(clinicLog.length > 0, 'the clinic logged its requests');
      for (const s of [name, birth, 'GB-2611', 'HB-2612', child.cardSerial, child.myNumber])
        assert.equal(clinicLog.includes(s), false, `the clinic's log does not hold ${s}`);
    });

    it('says the portal is unavailable while it is down, and works again when it is back', async () => {
      await w.stopService('portal');
      const down = await callEndpoint({ url }, null, clinicApi.issueConsentChallenge, {});
      assert.equal(down.status, 503, down.text);
      assert.equal(down.headers.get('retry-after'), '5');
      assert.equal((down.body as any).type, 'urn:pmh:problem:portal-unavailable');
      await w.startService('portal');
      const back = await consent(child, ['vaccination.read']);
      assert.equal(back.status, 201, back.text);
    });
  });
}
