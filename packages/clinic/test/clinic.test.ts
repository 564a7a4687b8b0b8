import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { signCardChallenge } from '@pmh/core/crypto/index';
import { createLogger } from '@pmh/core/http/logging';
import { buildClinic, type Clinic } from '@pmh/clinic';
import { World, backends, Rng, childRecord, CHILD_PROGRAM, INSTITUTION_CODES, myNumber, tempDir, freePort, type Enrolled } from '../../testkit/src/index.ts';

/**
 * The medical-institution system at reception (seed A④): the JSON API the reception page and the
 * clinic's own systems use, against the real OQS and hub.
 */
for (const backend of backends()) {
  describe(`clinic reception API (${backend})`, () => {
    let w: World;
    let clinic: Clinic;
    let url: string;
    let patient: Enrolled;
    let stranger: Enrolled;
    const rng = new Rng(505);
    const dir = tempDir('pmh-clinic-');

    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(url + p, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
    };
    /** What the reception page does: a challenge, the card's signature, the patient's consent. */
    const reception = async (person: Enrolled, consent: boolean, signer: Enrolled = person) => {
      const c = await call('POST', '/clinic/v1/card-challenges');
      assert.equal(c.status, 200, c.text);
      const cardAuthentication = {
        cardSerial: person.cardSerial,
        challenge: c.body.challenge,
        signature: signCardChallenge(signer.cardKey.privateJwk, c.body.challenge),
      };
      return call('POST', '/clinic/v1/eligibility-checks', { cardAuthentication, consent: { medicalSubsidy: consent }, asOf: '2025-10-01' });
    };

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'], persistent: true });
      const { certificateTypeId, ...program } = CHILD_PROGRAM;
      await w.call(w.municipality(), 'PUT', `/municipal/v1/medical-subsidy/programs/${certificateTypeId}`, program);
      [patient, stranger] = await w.enrol([myNumber(rng), myNumber(rng)]);
      await w.register(w.municipality(), 'medical-subsidy', [childRecord(rng, { myNumber: patient.myNumber, municipalityIdentityKey: 'C-1' })]);
      await w.until('the patient is linked at OQS', async () => {
        const { rows } = await sql<{ n: string }>`select count(*) as n from insured where pmh_id is not null`.execute(w.service('oqs').database.db);
        return Number(rows[0].n) === 1;
      });
      const cardsFile = path.join(dir, 'cards.json');
      fs.writeFileSync(cardsFile, JSON.stringify([{ cardSerial: patient.cardSerial, name: '山田 太郎', privateJwk: patient.cardKey.privateJwk }]));
      const caller = w.clinic(INSTITUTION_CODES[0]);
      clinic = await buildClinic({
        institutionCode: INSTITUTION_CODES[0],
        name: '千代田こどもクリニック',
        clientId: caller.clientId,
        privateJwk: caller.privateJwk,
        oqsUrl: w.url('oqs'),
        logger: createLogger({ service: 'clinic', destination: w.logs, level: 'info' }),
        cardsFile,
      });
      const port = await freePort();
      await clinic.app.listen({ port, host: '127.0.0.1' });
      url = `http://127.0.0.1:${port}`;
    });
    after(async () => {
      await clinic?.close();
      await w.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('shows the institution and the cards on the simulated reader', async () => {
      assert.deepEqual((await call('GET', '/clinic/v1/institution')).body, { institutionCode: INSTITUTION_CODES[0], name: '千代田こどもクリニック' });
      const cards = (await call('GET', '/clinic/v1/card-reader/cards')).body.cards;
      assert.deepEqual(
        cards.map((c: any) => c.cardSerial),
        [patient.cardSerial],
      );
    });

    it('answers the certificate after card authentication and consent, as this institution', async () => {
      const r = await reception(patient, true);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.status, 'eligible');
      assert.equal(r.body.institutionCode, INSTITUTION_CODES[0]);
      assert.equal(r.body.certificates[0].medicalSubsidyInsurerNumber, CHILD_PROGRAM.medicalSubsidyInsurerNumber);
      assert.doesNotMatch(r.text, /pmh[a-z2-7]{26}|ps[a-z2-7]{26}|LN[A-Z2-7]{16}/);
    });

    it('passes on the reasons and refusals distinctly', async () => {
      const declined = await reception(patient, false);
      assert.deepEqual([declined.status, declined.body.reason], [200, 'not-consented']);
      const unlinked = await reception(stranger, true);
      assert.deepEqual([unlinked.status, unlinked.body.reason], [200, 'not-linked']);
      const forged = await reception(patient, true, stranger);
      assert.equal(forged.status, 401);
      assert.equal(forged.body.type, 'urn:pmh:problem:card-authentication-failed');
      const bad = await call('POST', '/clinic/v1/eligibility-checks', {
        cardAuthentication: { cardSerial: 'nope', challenge: 'x', signature: 'y' },
        consent: {},
      });
      assert.equal(bad.status, 400);
      assert.ok(bad.body.errors.some((e: any) => e.pointer === '/consent/medicalSubsidy'));
    });

    it('says OQS is unavailable when it is down, and works again when it is back', async () => {
      await w.stopService('oqs');
      const down = await call('POST', '/clinic/v1/card-challenges');
      assert.equal(down.status, 503);
      assert.equal(down.headers.get('retry-after'), '5');
      await w.startService('oqs');
      const back = await reception(patient, true);
      assert.equal(back.body.status, 'eligible', back.text);
    });
  });
}
