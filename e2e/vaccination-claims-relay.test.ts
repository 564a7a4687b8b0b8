import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { signCardChallenge } from '@pmh/core/crypto/index';
import { todayInJapan } from '@pmh/protocol/text';
import { World, backends, Rng, myNumber, personName, identifiersIn, type Enrolled, type HttpAnswer } from '../packages/testkit/src/index.ts';
import { addDays } from '../packages/hub/src/domain/vaccination/index.ts';

/**
 * The end of the flow (seed B①⑤): a dose a clinic records through the portal's relay is in the
 * municipality's claim for the month, at its unit price, and confirmed; a same-day cancellation of
 * another dose keeps that one out; the resident's FHIR Bundle carries the product's GTIN coding. The
 * child lives in Tokyo and is vaccinated at a clinic in Osaka: Tokyo pays.
 */
const TOKYO = '131016';
const OSAKA_CLINIC = '2714567890';

for (const backend of backends()) {
  describe(`a clinic's dose in the municipality's claim (${backend})`, () => {
    let w: World;
    const rng = new Rng(1212_13);
    let child: Enrolled;
    const today = todayInJapan();
    const month = today.slice(0, 7);
    const birth = addDays(today, -100);
    const firstDoses = addDays(birth, 62);

    const portal = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> =>
      w.call(w.clinic(OSAKA_CLINIC), method, path, body, headers, 'portal');
    const assessment = { temperatureC: 36.5, fit: true, doctorName: '大阪 花子' };
    /** Records the dose, overriding (with a reason) whatever the schedule check warns of: the claim is what is tested here. */
    const record = async (consentId: string, rec: Record<string, unknown>) => {
      let r = await portal('POST', `/portal/v1/relay/${consentId}/vaccinations`, { assessment, record: rec });
      if (r.status === 409)
        r = await portal('POST', `/portal/v1/relay/${consentId}/vaccinations`, {
          assessment,
          record: rec,
          overrides: (r.body.warnings as Array<{ code: string }>).map((x) => ({ code: x.code, reason: '医師の判断で接種' })),
        });
      assert.equal(r.status, 201, r.text);
      return r.body as { recordId: string };
    };

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'] });
      [child] = await w.enrol([myNumber(rng)]);
      const t = await w.register(w.municipality(TOKYO), 'vaccination', [
        {
          modificationSeg: '1',
          myNumber: child.myNumber,
          municipalityIdentityKey: 'CR-1',
          basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: birth, sex: '1' },
          isNotDisclosed: false,
          vaccinationRecords: [{ recordKey: 'P1', vaccineCode: 'pcv', doseNumber: 1, series: 'start-2m-7m', date: firstDoses, lotNumber: 'PCV-001' }],
        },
      ]);
      assert.equal(t.succeeded, 1, JSON.stringify(t.results));
      await w.until('the child linked to the portal', async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`.execute(w.hub.database.db);
        return rows[0].n >= 1;
      });
      const price = await w.call(w.municipality(TOKYO), 'PUT', '/municipal/v1/vaccination/prices/pcv', { unitPrice: 10_450, validFrom: addDays(today, -365) });
      assert.equal(price.status, 201, price.text);
    });
    after(() => w?.stop());

    it('recorded through the relay: in Tokyo’s claim of the month at its price, a cancelled one left out; confirmed; in the FHIR Bundle', async () => {
      const c = await portal('POST', '/portal/v1/consent-challenges');
      assert.equal(c.status, 200, c.text);
      const granted = await portal('POST', '/portal/v1/consents', {
        cardAuthentication: {
          cardSerial: child.cardSerial,
          challenge: c.body.challenge,
          signature: signCardChallenge(child.cardKey.privateJwk, c.body.challenge),
        },
        scopes: ['vaccination.read', 'vaccination.write'],
      });
      assert.equal(granted.status, 201, granted.text);
      const { consentId } = granted.body;

      await record(consentId, {
        vaccineCode: 'pcv',
        doseNumber: 2,
        series: 'start-2m-7m',
        date: today,
        productName: 'プレベナー20水性懸濁注',
        productCode: '04987123450017',
        lotNumber: 'PV-2612',
        expirationDate: addDays(today, 300),
        doseVolumeMl: 0.5,
        site: '左上腕',
        route: 'subcutaneous',
      });
      const mistaken = await record(consentId, { vaccineCode: 'bcg', doseNumber: 1, date: today, lotNumber: 'BCG-1', route: 'percutaneous' });
      const cancelled = await w.call(
        w.clinic(OSAKA_CLINIC),
        'DELETE',
        `/portal/v1/relay/${consentId}/vaccinations/${mistaken.recordId}`,
        { reason: '別の方の記録を誤って登録' },
        {},
        'portal',
      );
      assert.ok(cancelled.status === 200 || cancelled.status === 204, cancelled.text);

      const claims = await w.call(w.municipality(TOKYO), 'GET', `/municipal/v1/vaccination/claims?month=${month}`);
      assert.equal(claims.status, 200, claims.text);
      assert.deepEqual(
        (claims.body.claims as any[]).map((l) => [l.status, l.institutionCode, l.vaccineCode, l.count, l.unitPrice, l.amount]),
        [['draft', OSAKA_CLINIC, 'pcv', 1, 10_450, 10_450]],
      );
      const confirmed = await w.call(w.municipality(TOKYO), 'POST', '/municipal/v1/vaccination/claims/confirmations', { month });
      assert.equal(confirmed.status, 201, confirmed.text);
      assert.deepEqual(
        (confirmed.body.confirmed as any[]).map((l) => [l.status, l.count, l.amount]),
        [['confirmed', 1, 10_450]],
      );

      const cookie = await w.loginResident(child);
      const fhir = await w.call(null, 'GET', '/portal/v1/me/vaccinations/fhir', undefined, { cookie }, 'portal');
      assert.equal(fhir.status, 200, fhir.text);
      const imms = (JSON.parse(fhir.text).entry as any[]).map((e) => e.resource).filter((r) => r.resourceType === 'Immunization');
      const given = imms.find((i) => i.lotNumber === 'PV-2612');
      assert.deepEqual(given.vaccineCode.coding[0], { system: 'https://www.gs1.org/gtin', code: '04987123450017', display: 'プレベナー20水性懸濁注' });
      assert.deepEqual([given.status, given.primarySource, given.occurrenceDateTime], ['completed', true, today]);
      assert.equal(imms.find((i) => i.id === mistaken.recordId)?.status, 'entered-in-error');
      const found = identifiersIn(fhir.text, { myNumbers: [child.myNumber], cardSerials: [child.cardSerial] });
      for (const kind of ['pmhId', 'pseudonym', 'pmhPseudonym', 'linkageNumber', 'myNumber', 'cardSerial'] as const)
        assert.equal(found[kind].size, 0, `no ${kind} in the Bundle`);
    });
  });
}
