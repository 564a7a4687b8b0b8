import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hubApi, oqsApi } from '@pmh/protocol';
import { assertStatus, callAs } from '../packages/testkit/src/http.ts';
import { sql } from 'kysely';
import { EncryptJWT, generateKeyPair, exportJWK, calculateJwkThumbprint, decodeProtectedHeader } from 'jose';
import { signCardChallenge } from '@pmh/core/crypto/index';
import { mintLinkageKey, hubKeyFromJwk, type HubKey } from '../packages/oqs/src/federation/linkage-key.ts';
import { KeyObject } from 'node:crypto';
import {
  World,
  backends,
  Rng,
  childRecord,
  CHILD_PROGRAM,
  INTRACTABLE_PROGRAM,
  INSTITUTION_CODES,
  myNumber,
  recipientNumber,
  identifiersIn,
  exchangesText,
  type Enrolled,
  type ServiceName,
  type Caller,
} from '../packages/testkit/src/index.ts';

/**
 * Seed A④ end to end: a patient at reception authenticates with the card and consents; OQS mints
 * a one-time PMH linkage key and asks the hub; the clinic sees eligibility or the reason why not.
 * Then every way a linkage key or a card authentication can be wrong (docs/privacy.md, invariants 7 and 8).
 */
const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
const [CLINIC, OTHER_CLINIC] = INSTITUTION_CODES;
const AS_OF = '2026-06-01';

async function defineProgram(w: World, code: string, program: typeof CHILD_PROGRAM | typeof INTRACTABLE_PROGRAM) {
  const { certificateTypeId, ...rest } = program;
  const r = await callAs(w, w.municipality(code), hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: rest });
  assert.ok(r.status === 200 || r.status === 201, r.text);
}

/** The hub's published encryption keys. */
async function hubJwks(w: World) {
  const r = await callAs(w, null, hubApi.public.jwks, {});
  assertStatus(r, 200);
  return r.body;
}

/** The card reader's part: a challenge from OQS, signed by the card. */
async function authenticate(w: World, clinic: Caller, person: Enrolled, opts: { signWith?: Enrolled; serial?: string } = {}) {
  const c = await callAs(w, clinic, oqsApi.issueCardChallenge, {});
  assertStatus(c, 200);
  return {
    cardSerial: opts.serial ?? person.cardSerial,
    challenge: c.body.challenge,
    signature: signCardChallenge((opts.signWith ?? person).cardKey.privateJwk, c.body.challenge),
  };
}

/** 受給者証券面項目 the municipality prints on the Tokyo certificate. */
const DETAIL = [
  { label: '交付年月日', value: '令和8年3月15日' },
  { label: '備考', value: '通院・入院とも対象\n薬局での調剤も対象' },
];

async function check(w: World, person: Enrolled, opts: { consent?: boolean; asOf?: string; clinic?: string } = {}) {
  const code = opts.clinic ?? CLINIC;
  return w.call(
    w.clinic(code),
    'POST',
    '/oqs/v1/eligibility-checks',
    {
      institutionCode: code,
      cardAuthentication: await authenticate(w, w.clinic(code), person),
      consent: { medicalSubsidy: opts.consent ?? true },
      asOf: opts.asOf ?? AS_OF,
    },
    {},
    'oqs',
  );
}

interface AuditRow {
  actor: string;
  action: string;
  subject_ref: string | null;
  outcome: string;
  detail: Record<string, any>;
}
const auditOf = async (w: World, service: ServiceName, action: string): Promise<AuditRow[]> =>
  (
    await sql<AuditRow>`select actor, action, subject_ref, outcome, detail from audit_log where action = ${action} order by at`.execute(
      w.service(service).database.db,
    )
  ).rows;

const hubQueries = (w: World) => w.exchanges.filter((e) => e.service === 'hub' && e.url.startsWith('/hub/v1/eligibility/queries'));

for (const backend of backends()) {
  describe(`eligibility at medical institutions (${backend})`, () => {
    let w: World;
    const rng = new Rng(404);
    let moved: Enrolled; // registered in two municipalities, with a designated-institution certificate
    let lapsed: Enrolled; // only an expired certificate
    let future: Enrolled; // only a certificate that starts later
    let unlinked: Enrolled; // holds a card, but no PMH-ID (never registered at the hub)
    let pmhIdOfMoved: string;
    let hubKey: HubKey;

    before(async () => {
      w = await World.start({ backend, services: SERVICES, persistent: true, hubKeysRefreshMs: 300 });
      await defineProgram(w, '131016', CHILD_PROGRAM);
      await defineProgram(w, '271004', INTRACTABLE_PROGRAM);
      [moved, lapsed, future, unlinked] = await w.enrol(Array.from({ length: 4 }, () => myNumber(rng)));
      await w.register(w.municipality('131016'), 'medical-subsidy', [
        childRecord(rng, {
          myNumber: moved.myNumber,
          municipalityIdentityKey: 'E-1',
          validFrom: '2026-04-01',
          validTo: '2027-03-31',
          maxCopaymentAmount: { monthly: 2500, outpatientMonthly: 1000 },
          certificationDetail: DETAIL,
        }),
        childRecord(rng, { myNumber: lapsed.myNumber, municipalityIdentityKey: 'E-2', validFrom: '2025-04-01', validTo: '2026-03-31' }),
        childRecord(rng, { myNumber: future.myNumber, municipalityIdentityKey: 'E-3', validFrom: '2026-10-01', validTo: '2027-03-31' }),
      ]);
      await w.register(w.municipality('271004'), 'medical-subsidy', [
        childRecord(rng, {
          orgSpecificCertificateTypeId: INTRACTABLE_PROGRAM.certificateTypeId,
          certificationName: INTRACTABLE_PROGRAM.certificationName,
          medicalSubsidyInsurerNumber: INTRACTABLE_PROGRAM.medicalSubsidyInsurerNumber,
          medicalSubsidyRecipientNumber: recipientNumber(rng),
          additionalConditions: [],
          myNumber: moved.myNumber,
          municipalityIdentityKey: 'E-9',
          validFrom: '2026-01-01',
          validTo: '2026-12-31',
          designatedMedicalInstitutions: [{ institutionCode: CLINIC, name: 'テスト診療所' }],
          incomeSegment: '一般所得Ⅰ',
          maxCopaymentAmount: { monthly: 10000 },
        }),
      ]);
      await w.until('OQS knows the PMH-IDs of the registered', async () => {
        const { rows } = await sql<{ n: string }>`select count(*) as n from insured where pmh_id is not null`.execute(w.service('oqs').database.db);
        return Number(rows[0].n) === 3;
      });
      const subject = await callAs(w, w.operator, hubApi.municipal.getSubject, {
        params: { municipalityIdentityKey: 'E-1' },
        query: { municipalityCode: '131016' },
      });
      assertStatus(subject, 200);
      pmhIdOfMoved = subject.body.pmhId!;
      const jwks = await hubJwks(w);
      hubKey = hubKeyFromJwk(jwks.keys[0]);
    });
    after(() => w.stop());

    it('answers every certificate valid at asOf, across municipalities, as a receptionist needs it', async () => {
      const r = await check(w, moved);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.status, 'eligible');
      assert.equal(r.body.institutionCode, CLINIC);
      assert.equal(r.body.certificates.length, 2);
      const [child, nanbyo] = r.body.certificates;
      assert.deepEqual(
        { ...child, medicalSubsidyRecipientNumber: undefined },
        {
          municipalityCode: '131016',
          certificationName: '子ども医療費助成',
          medicalSubsidyInsurerNumber: CHILD_PROGRAM.medicalSubsidyInsurerNumber,
          medicalSubsidyRecipientNumber: undefined,
          validFrom: '2026-04-01',
          validTo: '2027-03-31',
          maxCopaymentAmount: { monthly: 2500, outpatientMonthly: 1000 },
          segment: '1',
          incomeSegment: 'A',
          additionalConditions: ['A1', 'A2'],
          isAlwaysReimbursement: false,
          designatedInstitution: 'not-restricted',
          // 受給者証券面項目 as registered, in order (a value may span lines).
          certificationDetail: DETAIL,
        },
      );
      assert.equal(nanbyo.municipalityCode, '271004');
      assert.equal(nanbyo.medicalSubsidyInsurerNumber, '54016027');
      assert.equal(nanbyo.incomeSegment, '一般所得Ⅰ');
      assert.equal(nanbyo.designatedInstitution, 'designated');
      // Another institution is told it is not among the designated ones.
      const other = await check(w, moved, { clinic: OTHER_CLINIC });
      assert.equal(other.body.certificates.find((c: any) => c.municipalityCode === '271004').designatedInstitution, 'not-designated');
      // asOf picks the versions valid that day: before April only the intractable-disease certificate.
      const march = await check(w, moved, { asOf: '2026-03-01' });
      assert.deepEqual(
        march.body.certificates.map((c: any) => c.municipalityCode),
        ['271004'],
      );
      // Never a PMH-ID or a My Number towards the clinic.
      for (const answer of [r, other, march]) {
        assert.doesNotMatch(answer.text, /pmh[a-z2-7]{26}/);
        assert.doesNotMatch(answer.text, new RegExp(moved.myNumber));
      }
    });

    it('names the reason when there is no eligibility, each distinct', async () => {
      const lapse = await check(w, lapsed);
      assert.deepEqual([lapse.body.status, lapse.body.reason, lapse.body.certificates], ['not-eligible', 'expired', []]);
      const notYet = await check(w, future);
      assert.equal(notYet.body.reason, 'no-eligibility');
      const before = hubQueries(w).length;
      const unlinkedAnswer = await check(w, unlinked);
      assert.equal(unlinkedAnswer.body.reason, 'not-linked');
      assert.equal(hubQueries(w).length, before, 'a card holder without a PMH-ID is not asked about at the hub');
    });

    it('never asks the hub without consent', async () => {
      const before = hubQueries(w).length;
      const r = await check(w, moved, { consent: false });
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.status, r.body.reason, r.body.certificates], ['not-eligible', 'not-consented', []]);
      assert.equal(hubQueries(w).length, before);
    });

    it('refuses a bad card signature, an unknown serial and a reused or foreign challenge', async () => {
      const clinic = w.clinic(CLINIC);
      const ask = (cardAuthentication: unknown, caller = clinic, institutionCode: string = CLINIC) =>
        w.call(caller, 'POST', '/oqs/v1/eligibility-checks', { institutionCode, cardAuthentication, consent: { medicalSubsidy: true } }, {}, 'oqs');
      const before = hubQueries(w).length;

      const wrongCard = await ask(await authenticate(w, clinic, moved, { signWith: lapsed }));
      assert.equal(wrongCard.status, 401);
      assert.equal(wrongCard.body.type, 'urn:pmh:problem:card-authentication-failed');
      const unknown = await ask(await authenticate(w, clinic, moved, { serial: 'ABCDEF0123456789' }));
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.type, 'urn:pmh:problem:card-authentication-failed');

      const auth = await authenticate(w, clinic, moved);
      assert.equal((await ask(auth)).status, 200);
      const reused = await ask(auth);
      assert.equal(reused.status, 401);
      assert.equal(reused.body.type, 'urn:pmh:problem:challenge-invalid');

      // A challenge issued to one institution does not serve another.
      const foreign = await ask(await authenticate(w, clinic, moved), w.clinic(OTHER_CLINIC), OTHER_CLINIC);
      assert.equal(foreign.status, 401);
      assert.equal(foreign.body.type, 'urn:pmh:problem:challenge-invalid');
      // An institution asks only as itself.
      const impostor = await ask(await authenticate(w, clinic, moved), clinic, OTHER_CLINIC);
      assert.equal(impostor.status, 403);

      // Malformed input is a 400 naming the field, never a 500.
      const bad = await w.call(
        clinic,
        'POST',
        '/oqs/v1/eligibility-checks',
        { institutionCode: CLINIC, cardAuthentication: { ...auth, cardSerial: 'xyz' }, consent: { medicalSubsidy: true } },
        {},
        'oqs',
      );
      assert.equal(bad.status, 400);
      assert.ok(bad.body.errors.some((e: any) => e.pointer === '/cardAuthentication/cardSerial'));

      assert.equal(hubQueries(w).length, before + 1, 'only the authenticated check reached the hub');
      const refusals = (await auditOf(w, 'oqs', 'eligibility.check')).filter((a) => a.outcome === 'card-authentication-failed');
      assert.ok(refusals.length >= 2);
    });

    it('refuses text PostgreSQL cannot hold (U+0000, lone surrogates) in a card authentication with 400 naming the field, never an OQS error', async () => {
      const clinic = w.clinic(CLINIC);
      for (const [spoil, pointer] of [
        [(a: Record<string, string>) => ({ ...a, challenge: `${a.challenge}\u0000` }), '/cardAuthentication/challenge'],
        [(a: Record<string, string>) => ({ ...a, challenge: `${a.challenge}\ud800` }), '/cardAuthentication/challenge'],
        [(a: Record<string, string>) => ({ ...a, signature: `${a.signature}\u0000` }), '/cardAuthentication/signature'],
        [(a: Record<string, string>) => ({ ...a, cardSerial: `${a.cardSerial}\udfff` }), '/cardAuthentication/cardSerial'],
      ] as const) {
        const auth = await authenticate(w, clinic, moved);
        const r = await w.call(
          clinic,
          'POST',
          '/oqs/v1/eligibility-checks',
          { institutionCode: CLINIC, cardAuthentication: spoil(auth), consent: { medicalSubsidy: true } },
          {},
          'oqs',
        );
        assert.equal(r.status, 400, r.text);
        assert.ok(
          r.body.errors.some((e: { pointer: string }) => e.pointer === pointer),
          r.text,
        );
      }
      // A day far outside any validity period is refused as well, before the hub is asked.
      const asked = hubQueries(w).length;
      for (const asOf of ['0001-01-01', '9999-12-31']) {
        const r = await w.call(
          clinic,
          'POST',
          '/oqs/v1/eligibility-checks',
          { institutionCode: CLINIC, cardAuthentication: await authenticate(w, clinic, moved), consent: { medicalSubsidy: true }, asOf },
          {},
          'oqs',
        );
        assert.equal(r.status, 400, r.text);
        assert.ok(
          r.body.errors.some((e: { pointer: string }) => e.pointer === '/asOf'),
          r.text,
        );
      }
      assert.equal(hubQueries(w).length, asked);
      assert.deepEqual(
        w.logs.lines.filter((l) => /"statusCode":5\d\d/.test(l)),
        [],
        'no request ended in a server error',
      );
    });

    it('refuses replayed, tampered, expired, foreign-key and wrong-audience linkage keys, and audits each', async () => {
      const oqs = w.peerCaller('oqs');
      const query = (linkageKey: string) => w.call(oqs, 'POST', '/hub/v1/eligibility/queries', { linkageKey, institutionCode: CLINIC, asOf: AS_OF });
      const mint = (o: Partial<Parameters<typeof mintLinkageKey>[1]> = {}, key = hubKey) =>
        mintLinkageKey(key, { pmhId: pmhIdOfMoved, issuer: 'oqs', audience: w.hubUrl, ...o });

      const good = await mint();
      const first = await query(good);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.status, 'eligible');

      const refusedWith = async (linkageKey: string, reason: string) => {
        const r = await query(linkageKey);
        assert.equal(r.status, 403, `${reason}: ${r.text}`);
        assert.equal(r.body.reason, reason);
        assert.doesNotMatch(r.text, /pmh[a-z2-7]{26}/);
      };
      await refusedWith(good, 'replayed');
      // One byte changed in the ciphertext (the fourth of the five parts).
      const parts = (await mint()).split('.');
      const ct = Buffer.from(parts[3], 'base64url');
      ct[0] ^= 0x01;
      parts[3] = ct.toString('base64url');
      await refusedWith(parts.join('.'), 'invalid');
      await refusedWith(await mint({ now: Date.now() - 120_000 }), 'expired');
      await refusedWith(await mint({ audience: 'https://hub.example.invalid' }), 'wrong-audience');
      await refusedWith(await mint({ issuer: 'portal' }), 'wrong-issuer');
      // A lifetime longer than 60 s is refused even before it runs out.
      const long = await new EncryptJWT({ pmhId: pmhIdOfMoved })
        .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: hubKey.kid })
        .setIssuer('oqs')
        .setAudience(w.hubUrl)
        .setJti('long-lived-1')
        .setIssuedAt()
        .setExpirationTime('1h')
        .encrypt(hubKey.key);
      await refusedWith(long, 'expired');
      // A jti PostgreSQL could not store (it goes into the replay register) is refused, not a 500.
      const nulJti = await new EncryptJWT({ pmhId: pmhIdOfMoved })
        .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: hubKey.kid })
        .setIssuer('oqs')
        .setAudience(w.hubUrl)
        .setJti('nul\u0000jti')
        .setIssuedAt()
        .setExpirationTime('30s')
        .encrypt(hubKey.key);
      await refusedWith(nulJti, 'invalid');
      // Encrypted to a key that is not the hub's: under its own kid, and under the hub's kid.
      const { publicKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
      const foreignKid = await calculateJwkThumbprint(await exportJWK(publicKey));
      await refusedWith(await mint({}, { kid: foreignKid, key: KeyObject.from(publicKey) }), 'unknown-key');
      await refusedWith(await mint({}, { kid: hubKey.kid, key: KeyObject.from(publicKey) }), 'invalid');

      const audited = (await auditOf(w, 'hub', 'eligibility.query')).filter((a) => a.outcome === 'refused');
      const reasons = audited.map((a) => a.detail.reason).sort();
      for (const r of ['expired', 'invalid', 'replayed', 'unknown-key', 'wrong-audience', 'wrong-issuer'])
        assert.ok(reasons.includes(r), `audited ${r}: ${reasons}`);
      assert.ok(audited.every((a) => a.detail.institutionCode === CLINIC && a.subject_ref === null));

      // The replay register is in the database: after a restart the key is still refused.
      await w.stopService('hub');
      await w.startService('hub');
      await refusedWith(good, 'replayed');
    });

    it('audits every query at the hub with the institution, per subject, without identifiers', async () => {
      const rows = (await auditOf(w, 'hub', 'eligibility.query')).filter((a) => a.outcome !== 'refused');
      const mine = rows.filter((a) => a.actor === `institution:${CLINIC}`);
      assert.ok(mine.length >= 2);
      for (const a of rows) {
        assert.match(a.subject_ref ?? '', /^[0-9a-f-]{36}$/, 'a subject reference, not an identifier');
        assert.doesNotMatch(JSON.stringify(a), /pmh[a-z2-7]{26}|[0-9]{12}/);
      }
      // The hub never learns a card serial, a pseudonym or a linkage number (invariant 6).
      const toHub = identifiersIn(
        exchangesText(w.exchanges, (e) => e.service === 'hub'),
        { myNumbers: [], cardSerials: [moved.cardSerial, lapsed.cardSerial] },
      );
      assert.deepEqual(
        [toHub.cardSerial, toHub.pseudonym, toHub.linkageNumber].map((x) => x.size),
        [0, 0, 0],
      );
      // OQS keeps no linkage key: none of the keys it sent is in its database.
      const sent = hubQueries(w).map((e) => (e.request as { linkageKey: string }).linkageKey);
      const { databaseText } = await import('../packages/testkit/src/index.ts');
      const oqsText = await databaseText(w.service('oqs').database.db);
      assert.ok(sent.length > 0);
      for (const k of sent) assert.ok(!oqsText.includes(k.split('.')[3]), 'no linkage key kept at OQS');
    });

    it('rotates its keys: JWKS lists both, an old-key linkage key works in the overlap, OQS moves to the new key', async () => {
      const rotated = await callAs(w, w.operator, hubApi.admin.rotateEncryptionKey, { body: { overlapSeconds: 600 } }, 'hub');
      assertStatus(rotated, 200);
      assert.notEqual(rotated.body.kid, hubKey.kid);
      assert.deepEqual(
        rotated.body.retired.map((r) => r.kid),
        [hubKey.kid],
      );
      const jwks = await hubJwks(w);
      assert.deepEqual(
        jwks.keys.map((k: any) => k.kid),
        [rotated.body.kid, hubKey.kid],
      );
      assert.ok(jwks.keys.every((k: any) => k.use === 'enc' && k.alg === 'ECDH-ES+A256KW' && !('d' in k)));

      const oqs = w.peerCaller('oqs');
      const old = await mintLinkageKey(hubKey, { pmhId: pmhIdOfMoved, issuer: 'oqs', audience: w.hubUrl });
      const r = await w.call(oqs, 'POST', '/hub/v1/eligibility/queries', { linkageKey: old, institutionCode: CLINIC, asOf: AS_OF });
      assert.equal(r.status, 200, 'a key made for the previous key works during the overlap');

      // OQS (refreshing every 300 ms here) picks up the new key without a restart.
      await new Promise((res) => setTimeout(res, 400));
      assert.equal((await check(w, moved)).body.status, 'eligible');
      const last = hubQueries(w).at(-1)!;
      assert.equal(decodeProtectedHeader((last.request as { linkageKey: string }).linkageKey).kid, rotated.body.kid);

      // Once the overlap ends the old key is refused.
      await sql`update encryption_keys set retires_at = now() - interval '1 second' where kid = ${hubKey.kid}`.execute(w.hub.database.db);
      await w.stopService('hub');
      await w.startService('hub');
      const late = await mintLinkageKey(hubKey, { pmhId: pmhIdOfMoved, issuer: 'oqs', audience: w.hubUrl });
      const refused = await w.call(oqs, 'POST', '/hub/v1/eligibility/queries', { linkageKey: late, institutionCode: CLINIC, asOf: AS_OF });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.reason, 'unknown-key');
    });

    it('shares the replay register and the keys between hub processes on one database', {
      skip: backend === 'pglite' && 'PGlite admits one process per database',
    }, async () => {
      // A second hub process on the same database, as behind a load balancer.
      const { buildHub } = await import('@pmh/hub');
      const { freePort } = await import('../packages/testkit/src/index.ts');
      const second = await buildHub({ ...w.hub.service.base.config, worker: { enabled: false }, outbox: { enabled: false } });
      const port = await freePort();
      await second.app.listen({ port, host: '127.0.0.1' });
      try {
        const oqs = w.peerCaller('oqs');
        const { TokenClient } = await import('@pmh/core/auth/index');
        const auth = await new TokenClient({ baseUrl: w.hubUrl, clientId: oqs.clientId, privateJwk: oqs.privateJwk }).authorization();
        const ask = (url: string, linkageKey: string) =>
          fetch(`${url}/hub/v1/eligibility/queries`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify({ linkageKey, institutionCode: CLINIC, asOf: AS_OF }),
          });
        const jwks = await hubJwks(w);
        const current = hubKeyFromJwk(jwks.keys[0]);
        const key = await mintLinkageKey(current, { pmhId: pmhIdOfMoved, issuer: 'oqs', audience: w.hubUrl });
        assert.equal((await ask(w.hubUrl, key)).status, 200);
        const replay = await ask(`http://127.0.0.1:${port}`, key);
        assert.equal(replay.status, 403);
        assert.equal(((await replay.json()) as any).reason, 'replayed', 'the other process knows the key was spent');
        // A key rotated at one process opens at the other at once (it reloads on an unknown kid).
        const rotated = await callAs(w, w.operator, hubApi.admin.rotateEncryptionKey, { body: { overlapSeconds: 600 } }, 'hub');
        assertStatus(rotated, 200);
        const fresh = (await hubJwks(w)).keys[0];
        assert.equal(fresh.kid, rotated.body.kid);
        await new Promise((r) => setTimeout(r, 1100));
        const next = await mintLinkageKey(hubKeyFromJwk(fresh), { pmhId: pmhIdOfMoved, issuer: 'oqs', audience: w.hubUrl });
        assert.equal((await ask(`http://127.0.0.1:${port}`, next)).status, 200);
      } finally {
        await second.close();
      }
    });

    it('refuses a replayed linkage key after the hub restarts', async () => {
      const oqs = w.peerCaller('oqs');
      const current = hubKeyFromJwk((await hubJwks(w)).keys[0]);
      const key = await mintLinkageKey(current, { pmhId: pmhIdOfMoved, issuer: 'oqs', audience: w.hubUrl });
      const query = { linkageKey: key, institutionCode: CLINIC, asOf: AS_OF };
      const first = await w.call(oqs, 'POST', '/hub/v1/eligibility/queries', query);
      assert.equal(first.status, 200);
      assert.equal(first.body.status, 'eligible');
      await w.stopService('hub');
      await w.startService('hub');
      const replay = await w.call(oqs, 'POST', '/hub/v1/eligibility/queries', query);
      assert.equal(replay.status, 403);
      assert.equal(replay.body.reason, 'replayed');
    });

    it('tells the clinic the hub is unavailable when it is down, and recovers when it is back', async () => {
      await w.stopService('hub');
      const down = await check(w, moved);
      assert.equal(down.status, 200);
      assert.deepEqual([down.body.status, down.body.reason], ['not-eligible', 'hub-unavailable']);
      await w.startService('hub');
      assert.equal((await check(w, moved)).body.status, 'eligible');
    });

    it('keeps My Numbers out of every log line', () => {
      const text = w.logs.text();
      for (const p of [moved, lapsed, future, unlinked]) assert.ok(!text.includes(p.myNumber));
    });
  });
}
