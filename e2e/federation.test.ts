import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hubApi } from '@pmh/protocol';
import { assertStatus, callAs } from '../packages/testkit/src/http.ts';
import { sql } from 'kysely';
import {
  World,
  backends,
  Rng,
  childRecord,
  CHILD_PROGRAM,
  myNumber,
  databaseText,
  identifiersIn,
  exchangesText,
  type Enrolled,
  type ServiceName,
} from '../packages/testkit/src/index.ts';

/**
 * Seed A② A③ end to end: municipalities register subjects at the hub; the hub asks the ID server
 * for PMH-IDs; the ID server tells OQS (PMH-ID, 紐付番号); OQS tells the portal (仮名識別子,
 * PMH-ID); the portal makes a PMH仮名識別子, tells the hub, and forgets the PMH-ID once the hub
 * acknowledges. Then: who holds which identifier (docs/privacy.md, invariants 1–6).
 */
const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];

async function defineProgram(w: World, code: string) {
  const { certificateTypeId, ...program } = CHILD_PROGRAM;
  const r = await callAs(w, w.municipality(code), hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program });
  assert.ok(r.status === 200 || r.status === 201, r.text);
}

async function count(w: World, service: ServiceName, query: ReturnType<typeof sql>): Promise<number> {
  return Number(((await query.execute(w.service(service).database.db)).rows[0] as { n: string }).n);
}

/** True when every subject of the hub has its PMH-ID and its person is linked to the portal, and every outbox is empty. */
async function settled(w: World, subjects: number): Promise<boolean> {
  const linked = await count(w, 'hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`);
  if (linked < subjects) return false;
  for (const s of SERVICES) if ((await count(w, s, sql`select count(*) as n from outbox`)) > 0) return false;
  return true;
}

for (const backend of backends()) {
  describe(`identifier federation end to end (${backend})`, () => {
    let w: World;
    const rng = new Rng(303);
    const people: Enrolled[] = [];
    before(async () => {
      w = await World.start({ backend, services: SERVICES, persistent: true });
      for (const code of ['131016', '271004']) await defineProgram(w, code);
    });
    after(() => w.stop());

    it('links every registered subject to the portal, one person one PMH-ID across municipalities', async () => {
      const enrolled = await w.enrol(Array.from({ length: 30 }, () => myNumber(rng)));
      people.push(...enrolled);
      const [moved, ...rest] = enrolled;
      // One person registered by two municipalities (moved house); the others by one each.
      await w.register(
        w.municipality('131016'),
        'medical-subsidy',
        [moved, ...rest.slice(0, 15)].map((p, i) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `F-A-${i}` })),
      );
      await w.register(
        w.municipality('271004'),
        'medical-subsidy',
        [moved, ...rest.slice(15)].map((p, i) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `F-B-${i}` })),
      );
      await w
        .until('all 31 subjects linked', () => settled(w, 31))
        .catch(async (e) => {
          const state: Record<string, unknown> = {};
          for (const s of SERVICES) state[s] = (await sql`select kind, status, attempts, last_error from outbox`.execute(w.service(s).database.db)).rows;
          state.links = await count(w, 'hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`);
          state.issued = await count(w, 'hub', sql`select count(*) as n from subjects where pmh_id is not null`);
          state.unissued = (
            await sql`select municipality_code, municipality_identity_key, pmh_id_status, created_at from subjects where pmh_id is null`.execute(
              w.hub.database.db,
            )
          ).rows;
          state.audit = (
            await sql`select action, outcome, detail from audit_log where action not like 'medical%' order by at desc limit 5`.execute(
              w.service('idserver').database.db,
            )
          ).rows;
          throw new Error(`${(e as Error).message}: ${JSON.stringify(state)}`);
        });

      // The municipality sees status, never the PMH-ID; the operator sees the PMH-ID.
      const asMunicipality = await callAs(w, w.municipality('131016'), hubApi.municipal.getSubject, { params: { municipalityIdentityKey: 'F-A-0' } });
      assertStatus(asMunicipality, 200);
      assert.equal(asMunicipality.body.pmhIdStatus, 'issued');
      assert.equal(asMunicipality.body.portalLinkStatus, 'linked');
      assert.equal('pmhId' in asMunicipality.body, false);
      const a = await callAs(w, w.operator, hubApi.municipal.getSubject, {
        params: { municipalityIdentityKey: 'F-A-0' },
        query: { municipalityCode: '131016' },
      });
      const b = await callAs(w, w.operator, hubApi.municipal.getSubject, {
        params: { municipalityIdentityKey: 'F-B-0' },
        query: { municipalityCode: '271004' },
      });
      assertStatus(a, 200);
      assertStatus(b, 200);
      assert.match(a.body.pmhId ?? '', /^pmh[a-z2-7]{26}$/);
      assert.equal(a.body.pmhId, b.body.pmhId, 'the same person has one PMH-ID in both municipalities');

      assert.equal(await count(w, 'idserver', sql`select count(*) as n from persons where pmh_id is not null`), 30);
      assert.equal(await count(w, 'hub', sql`select count(*) as n from pmh_links`), 30);
      assert.equal(await count(w, 'portal', sql`select count(*) as n from accounts where pmh_pseudonym is not null`), 30);
    });

    it('keeps each identifier where it may be, in every database and every message (invariants 1–6)', async () => {
      const known = { myNumbers: people.map((p) => p.myNumber), cardSerials: people.map((p) => p.cardSerial) };
      const at = Object.fromEntries(
        await Promise.all(SERVICES.map(async (s) => [s, identifiersIn(await databaseText(w.service(s).database.db), known)])),
      ) as Record<ServiceName, ReturnType<typeof identifiersIn>>;
      const sentTo = (s: ServiceName) =>
        identifiersIn(
          exchangesText(w.exchanges, (e) => e.service === s),
          known,
        );

      // 1. My Number: never stored in clear anywhere, never in a message to OQS or the portal, nor in any log.
      for (const s of SERVICES) assert.equal(at[s].myNumber.size, 0, `${s} stores no My Number in clear`);
      assert.equal(sentTo('oqs').myNumber.size, 0);
      assert.equal(sentTo('portal').myNumber.size, 0);
      assert.equal(known.myNumbers.filter((n) => w.logs.text().includes(n)).length, 0, 'no My Number in any log line');
      // 2. PMH-IDs come from the ID server: every one the hub holds is one the ID server issued.
      for (const id of at.hub.pmhId) assert.ok(at.idserver.pmhId.has(id));
      // 3. 紐付番号 only at the ID server and OQS.
      assert.ok(at.idserver.linkageNumber.size >= 30 && at.oqs.linkageNumber.size >= 30);
      assert.equal(at.hub.linkageNumber.size + at.portal.linkageNumber.size, 0);
      assert.equal(sentTo('hub').linkageNumber.size + sentTo('portal').linkageNumber.size, 0);
      // 4. 仮名識別子 only at OQS and the portal.
      assert.ok(at.oqs.pseudonym.size >= 30 && at.portal.pseudonym.size >= 30);
      assert.equal(at.hub.pseudonym.size + at.idserver.pseudonym.size, 0);
      assert.equal(sentTo('hub').pseudonym.size + sentTo('idserver').pseudonym.size, 0);
      // 5. PMH仮名識別子 only at the portal and the hub; the portal keeps no PMH-ID after the acknowledgement.
      assert.equal(at.portal.pmhPseudonym.size, 30);
      assert.deepEqual(at.hub.pmhPseudonym, at.portal.pmhPseudonym);
      assert.equal(at.idserver.pmhPseudonym.size + at.oqs.pmhPseudonym.size, 0);
      assert.equal(sentTo('idserver').pmhPseudonym.size + sentTo('oqs').pmhPseudonym.size, 0);
      assert.equal(at.portal.pmhId.size, 0, 'the portal holds no PMH-ID');
      // 6. The hub never learns a 仮名識別子, a 紐付番号 or a card serial, stored or received.
      assert.equal(at.hub.cardSerial.size + sentTo('hub').cardSerial.size, 0);
    });

    for (const down of ['idserver', 'oqs', 'portal'] as const) {
      it(`delays, never loses: ${down} down while 1,000 subjects are registered`, { timeout: 300_000 }, async () => {
        const enrolled = await w.enrol(Array.from({ length: 1000 }, () => myNumber(rng)));
        const before = await count(w, 'hub', sql`select count(*) as n from pmh_links`);
        const subjectsBefore = await count(w, 'hub', sql`select count(*) as n from subjects`);
        await w.stopService(down);
        const t = await w.register(
          w.municipality('131016'),
          'medical-subsidy',
          enrolled.map((p, i) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `D-${down}-${i}` })),
        );
        assert.equal(t.succeeded, 1000);
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(await count(w, 'hub', sql`select count(*) as n from pmh_links`), before, `nothing links while ${down} is down`);
        await w.startService(down);
        await w.until(`1,000 more subjects linked after ${down} came back`, () => settled(w, subjectsBefore + 1000), 240_000);
        // Once each: one PMH-ID per person, one PMH pseudonym per PMH-ID, one account per pseudonym.
        assert.equal(await count(w, 'hub', sql`select count(*) as n from pmh_links`), before + 1000);
        assert.equal(await count(w, 'hub', sql`select count(distinct pmh_id) as n from subjects where pmh_id is not null`), before + 1000);
        assert.equal(await count(w, 'idserver', sql`select count(*) as n from persons where pmh_id is not null`), before + 1000);
        assert.equal(await count(w, 'portal', sql`select count(*) as n from accounts where pmh_pseudonym is not null`), before + 1000);
        assert.equal(await count(w, 'portal', sql`select count(*) as n from accounts where pmh_id_sealed is not null`), 0);
        assert.equal(
          await count(w, 'hub', sql`select count(*) as n from audit_log where action = 'portal-link.receive' and outcome <> 'ok'`),
          0,
          'no conflicting link',
        );
      });
    }
  });
}
