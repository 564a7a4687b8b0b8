import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { World, backends, Rng, myNumber, personName, identifiersIn, type Enrolled } from '../packages/testkit/src/index.ts';
import {
  JP_IMMUNIZATION_PROFILE,
  JP_PATIENT_PROFILE,
  PMH_VACCINE_CODE_SYSTEM,
  immunization,
  productCodeSystem,
} from '../packages/portal/src/domain/fhir-immunization.ts';

/**
 * The resident's history as FHIR (seed B, "beyond"): `GET /portal/v1/me/vaccinations/fhir` answers a
 * FHIR R4 Bundle of JP Core Immunization resources — the municipality's past doses and a clinic's,
 * a cancelled one as entered-in-error — whose shape holds to FHIR R4 and JP Core (resourceType,
 * profile, the required elements, references inside the Bundle), and which carries no PMH-ID, no
 * pseudonym, no My Number. An account not linked to PMH gets an empty Bundle.
 */
const TOKYO = '131016';
const CLINIC = '1312345674';
const FHIR_DATE = /^\d{4}-\d{2}-\d{2}$/;

for (const backend of backends()) {
  describe(`the resident's vaccinations as FHIR (${backend})`, () => {
    let w: World;
    const rng = new Rng(1212_11);
    let child: Enrolled;
    let unlinked: Enrolled;
    let cancelledId = '';

    const fhirOf = async (p: Enrolled) => {
      const r = await w.call(null, 'GET', '/portal/v1/me/vaccinations/fhir', undefined, { cookie: await w.loginResident(p) }, 'portal');
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type') ?? '', /^application\/fhir\+json/);
      return { text: r.text, bundle: JSON.parse(r.text) };
    };

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'] });
      [child, unlinked] = await w.enrol([myNumber(rng), myNumber(rng)]);
      const task = await w.register(w.municipality(TOKYO), 'vaccination', [
        {
          modificationSeg: '1',
          myNumber: child.myNumber,
          municipalityIdentityKey: 'FH-1',
          basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: '2025-04-10', sex: '1' },
          isNotDisclosed: false,
          vaccinationRecords: [
            { recordKey: 'P1', vaccineCode: 'hib', doseNumber: 1, date: '2025-06-10', lotNumber: 'HB-001', institutionCode: CLINIC },
            { recordKey: 'P2', vaccineCode: 'pcv', doseNumber: 1, series: 'start-2m-7m', date: '2025-06-10', institutionName: '千代田こどもクリニック' },
          ],
        },
      ]);
      assert.equal(task.succeeded, 1, JSON.stringify(task.results));
      const system = w.hub.context.store.system.autocommit;
      await system.recordClinicDose({
        municipalityCode: TOKYO,
        municipalityIdentityKey: 'FH-1',
        vaccineCode: 'hib',
        doseNumber: 2,
        date: '2025-07-15',
        institutionCode: CLINIC,
        lotNumber: 'HB-002',
      });
      cancelledId = (await system.recordClinicDose({
        municipalityCode: TOKYO,
        municipalityIdentityKey: 'FH-1',
        vaccineCode: 'bcg',
        doseNumber: 1,
        date: '2025-09-01',
        institutionCode: CLINIC,
      }))!;
      await system.changeClinicDose(cancelledId, { status: 'cancelled' });
      await w.until('the child linked to the portal', async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`.execute(w.hub.database.db);
        return rows[0].n >= 1;
      });
    });
    after(() => w?.stop());

    it('a Bundle of JP Core Immunizations, one per record, shaped as FHIR R4 asks', async () => {
      const { text, bundle } = await fhirOf(child);
      assert.equal(bundle.resourceType, 'Bundle');
      assert.equal(bundle.type, 'collection');
      assert.ok(!Number.isNaN(Date.parse(bundle.timestamp)));
      const entries = bundle.entry as Array<{ fullUrl: string; resource: any }>;
      for (const e of entries) assert.match(e.fullUrl, /^urn:uuid:[0-9a-f-]{36}$/);
      assert.equal(new Set(entries.map((e) => e.fullUrl)).size, entries.length, 'fullUrls are unique');

      const patients = entries.filter((e) => e.resource.resourceType === 'Patient');
      assert.equal(patients.length, 1);
      assert.deepEqual(patients[0].resource.meta.profile, [JP_PATIENT_PROFILE]);
      assert.equal(patients[0].resource.identifier, undefined, 'the Patient carries no identifier');

      const imms = entries.filter((e) => e.resource.resourceType === 'Immunization').map((e) => e.resource);
      assert.equal(imms.length, 4);
      for (const i of imms) {
        assert.deepEqual(i.meta.profile, [JP_IMMUNIZATION_PROFILE]);
        // FHIR R4 Immunization: status, vaccineCode, patient and occurrence[x] are required (1..1).
        assert.ok(['completed', 'entered-in-error', 'not-done'].includes(i.status));
        assert.ok(Array.isArray(i.vaccineCode.coding) && i.vaccineCode.coding.length >= 1);
        for (const c of i.vaccineCode.coding) assert.ok(typeof c.system === 'string' && typeof c.code === 'string');
        assert.equal(i.patient.reference, patients[0].fullUrl, 'the patient is the Bundle’s');
        assert.match(i.occurrenceDateTime, FHIR_DATE);
        assert.equal(typeof i.primarySource, 'boolean');
        assert.ok(Number.isInteger(i.protocolApplied[0].doseNumberPositiveInt) && i.protocolApplied[0].doseNumberPositiveInt >= 1);
        assert.equal(typeof i.vaccineCode.text, 'string');
      }
      const byCode = (code: string, dose: number) =>
        imms.find(
          (i) =>
            i.vaccineCode.coding.some((c: any) => c.system === PMH_VACCINE_CODE_SYSTEM && c.code === code) &&
            i.protocolApplied[0].doseNumberPositiveInt === dose,
        );
      const hib1 = byCode('hib', 1);
      assert.deepEqual([hib1.status, hib1.occurrenceDateTime, hib1.lotNumber, hib1.primarySource], ['completed', '2025-06-10', 'HB-001', false]);
      assert.equal(hib1.performer[0].actor.identifier.value, CLINIC);
      assert.equal(hib1.vaccineCode.coding[0].display, 'Hib（ヒブ）');
      const hib2 = byCode('hib', 2);
      assert.deepEqual([hib2.status, hib2.primarySource, hib2.lotNumber], ['completed', true, 'HB-002']);
      assert.equal(byCode('pcv', 1).protocolApplied[0].series, 'start-2m-7m');
      assert.equal(byCode('pcv', 1).performer[0].actor.display, '千代田こどもクリニック');
      const bcg = byCode('bcg', 1);
      assert.equal(bcg.status, 'entered-in-error', 'a cancelled record');
      assert.equal(bcg.id, cancelledId);

      // Never a PMH-ID, a pseudonym, a linkage number, a card serial or a My Number.
      const found = identifiersIn(text, { myNumbers: [child.myNumber, unlinked.myNumber], cardSerials: [child.cardSerial] });
      for (const kind of ['pmhId', 'pseudonym', 'pmhPseudonym', 'linkageNumber', 'myNumber', 'cardSerial'] as const)
        assert.equal(found[kind].size, 0, `no ${kind} in the Bundle`);
    });

    it('an unlinked account gets an empty Bundle; no session, a 401', async () => {
      const { bundle } = await fhirOf(unlinked);
      assert.deepEqual([bundle.resourceType, bundle.type, bundle.entry], ['Bundle', 'collection', []]);
      const anonymous = await w.call(null, 'GET', '/portal/v1/me/vaccinations/fhir', undefined, {}, 'portal');
      assert.equal(anonymous.status, 401);
    });

    it('a product code becomes a HOT or YJ coding before the routine-vaccine code; the route, volume and doctor as JP Core puts them', () => {
      assert.equal(productCodeSystem('1234567890123')?.name, 'HOT13');
      assert.equal(productCodeSystem('123456701')?.name, 'HOT9');
      assert.equal(productCodeSystem('6313400X1020')?.name, 'YJ');
      assert.equal(productCodeSystem('04912345678904')?.name, 'GTIN');
      assert.equal(productCodeSystem('abc'), undefined);
      const i = immunization(
        {
          recordId: '00000000-0000-4000-8000-000000000001',
          vaccineCode: 'mr',
          doseNumber: 1,
          date: '2026-04-10',
          productName: 'ミールビック',
          productCode: '6313400X1020',
          lotNumber: 'MR-01',
          expirationDate: '2027-03-31',
          doseVolumeMl: 0.5,
          site: '左上腕',
          route: 'subcutaneous',
          institutionCode: CLINIC,
          doctorName: '千代田 一郎',
          source: 'clinic',
          status: 'corrected',
        },
        'urn:uuid:00000000-0000-4000-8000-000000000002',
        '麻しん風しん（MR）',
      ) as any;
      assert.deepEqual(i.vaccineCode.coding, [
        { system: 'urn:oid:1.2.392.100495.20.1.73', code: '6313400X1020', display: 'ミールビック' },
        { system: PMH_VACCINE_CODE_SYSTEM, code: 'mr', display: '麻しん風しん（MR）' },
      ]);
      assert.equal(i.status, 'completed', 'a corrected record is a completed one, as it now stands');
      assert.deepEqual(i.route.coding, [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', code: 'SQ' }]);
      assert.deepEqual(i.doseQuantity, { value: 0.5, unit: 'mL', system: 'urn:oid:1.2.392.100495.20.2.101', code: 'ML' });
      assert.equal(i.performer[1].function.coding[0].code, 'AP');
      assert.equal(i.performer[1].actor.display, '千代田 一郎');
      assert.equal(i.expirationDate, '2027-03-31');
    });
  });
}
