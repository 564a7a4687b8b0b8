import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { World, backends } from '../../testkit/src/index.ts';

for (const backend of backends()) {
  describe(`hub HTTP basics (${backend})`, () => {
    let w: World;
    before(async () => (w = await World.start({ backend })));
    after(() => w.stop());

    it('answers /healthz and /readyz', async () => {
      assert.deepEqual((await w.call(null, 'GET', '/healthz')).body, { status: 'ok', service: 'hub' });
      const ready = await w.call(null, 'GET', '/readyz');
      assert.equal(ready.status, 200);
      assert.equal(ready.body.status, 'ready');
    });

    it('serves its OpenAPI 3.1 document with every municipal route, and Swagger UI', async () => {
      const doc = await w.call(null, 'GET', '/openapi.json');
      assert.equal(doc.status, 200);
      assert.equal(doc.body.openapi, '3.1.0');
      for (const p of [
        '/municipal/v1/medical-subsidy/programs/{orgSpecificCertificateTypeId}',
        '/municipal/v1/medical-subsidy/registration-tasks',
        '/municipal/v1/registration-tasks/{taskId}',
        '/municipal/v1/subjects/{municipalityIdentityKey}',
        '/oauth/token',
      ])
        assert.ok(doc.body.paths[p], `documents ${p}`);
      const record = JSON.stringify(doc.body);
      assert.ok(record.includes('medicalSubsidyInsurerNumber'));
      for (const p of ['/municipal/v1/subjects/search', '/hub/v1/eligibility/queries', '/hub/v1/jwks.json', '/admin/v1/encryption-keys/rotate'])
        assert.ok(doc.body.paths[p], `documents ${p}`);
    });

    it('documents the registration record: its fields, the required ones, a description with the Japanese term, an example', async () => {
      const doc = (await w.call(null, 'GET', '/openapi.json')).body;
      const body = doc.paths['/municipal/v1/medical-subsidy/registration-tasks'].post.requestBody.content['application/json'].schema;
      assert.equal(body.type, 'array');
      assert.equal(body.maxItems, 10_000);
      const record = body.items;
      assert.equal(record.type, 'object');
      // Required as published (v0.1.1); municipalityIdentityKey, our addition, is not.
      assert.deepEqual(
        [...record.required].sort(),
        [
          'basicFiveInfo',
          'certificationDetail',
          'certificationName',
          'historyKey',
          'isAlwaysReimbursement',
          'isDeleted',
          'isNotDisclosed',
          'myNumber',
          'orgSpecificCertificateTypeId',
          'validFrom',
          'validTo',
        ].sort(),
      );
      for (const field of [
        'municipalityIdentityKey',
        'medicalSubsidyInsurerNumber',
        'medicalSubsidyRecipientNumber',
        'additionalConditions',
        'designatedMedicalInstitutions',
      ])
        assert.ok(record.properties[field], `documents ${field}`);
      assert.match(record.properties.medicalSubsidyInsurerNumber.description, /公費負担者番号/);
      assert.match(record.properties.municipalityIdentityKey.description, /宛名番号/);
      assert.match(record.properties.orgSpecificCertificateTypeId.description, /機関別受給者証種別ID/);
      assert.match(record.properties.basicFiveInfo.properties.name.description, /氏名/);
      // The published strings beside our arrays.
      assert.deepEqual(
        record.properties.additionalConditions.anyOf.map((s: { type: string }) => s.type),
        ['string', 'array'],
      );
      const [example] = record.examples;
      assert.equal(example.orgSpecificCertificateTypeId, 'XXXXX');
      assert.equal(example.basicFiveInfo.nameKana, 'アイチハナコ');
      assert.equal('municipalityIdentityKey' in example, false, 'the example is a published record');
      // The door still takes the task whole: a bad record is the worker's to report, not a 400 for all.
      const task = await w.call(w.municipality('131016'), 'POST', '/municipal/v1/medical-subsidy/registration-tasks', [{ myNumber: 1 }]);
      assert.equal(task.status, 202, task.text);
      const ui = await fetch(`${w.hubUrl}/docs/`, { redirect: 'follow' });
      assert.equal(ui.status, 200);
      assert.match(await ui.text(), /swagger/i);
    });

    it('sets security headers and echoes a request id', async () => {
      const r = await w.call(null, 'GET', '/healthz', undefined, { 'x-request-id': 'req-12345678' });
      assert.equal(r.headers.get('x-request-id'), 'req-12345678');
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('x-frame-options'), 'DENY');
      assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      const generated = await w.call(null, 'GET', '/healthz', undefined, { 'x-request-id': 'bad id with spaces' });
      assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      // An id that could be a My Number (it would reach every log line) is replaced, in any spelling.
      for (const disguised of ['983205673214', '9832-0567-3214', '9832_0567_3214'])
        assert.notEqual((await w.call(null, 'GET', '/healthz', undefined, { 'x-request-id': disguised })).headers.get('x-request-id'), disguised);
    });

    it('answers an unknown route with problem+json 404', async () => {
      const r = await w.call(null, 'GET', '/nowhere');
      assert.equal(r.status, 404);
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(r.body.status, 404);
    });
  });
}
