/**
 * Who may do what (OAuth client credentials with private_key_jwt, roles: docs/api-guide.md#authentication)
 * and the privacy invariants of docs/privacy.md: a municipality sees only its own subjects (in the application
 * and again by PostgreSQL row-level security), My Number is encrypted at rest and never logged,
 * every read and write of personal data is in the hash-chained audit log.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { SignJWT, importJWK } from 'jose';
import { World, backends, payerNumber, CHILD_PROGRAM, type Caller } from '../../testkit/src/index.ts';
import { signClientAssertion, generateClientKey, CLIENT_ASSERTION_TYPE } from '../../core/src/auth/client.ts';
import { verifyAudit } from '../../core/src/audit/index.ts';
import { inMunicipality } from '../src/store/scope.ts';
import { MY_NUMBER_CONTEXT, myNumberAt } from '../src/store/medical-subsidy.ts';
import {
  Records,
  TASKS,
  assertLogsClean,
  assertOutcome,
  assertProblem,
  defineProgram,
  fullWidthDigits,
  getSubject,
  subjectOf,
  programPath,
  subjectPath,
  taskPath,
} from './support.ts';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

for (const backend of backends()) {
  describe(`hub access and privacy (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    let osaka: Caller;
    const recs = new Records(3303, 'ACC');
    /** Every task registered in this file, as GET answered it when done. */
    const tasks: any[] = [];
    let tokyoPeople: Array<Record<string, any>>;
    let osakaPeople: Array<Record<string, any>>;
    let tokyoTaskId: string;
    let osakaTaskId: string;

    const register = async (caller: Caller, records: unknown[]) => {
      const t = await w.register(caller, 'medical-subsidy', records);
      tasks.push(t);
      return t;
    };
    const db = () => w.hub.database.db;
    const tokenUrl = () => `${w.hubUrl}/oauth/token`;
    const tokenRequest = (clientId: string, assertion: string, extra: Record<string, string> = {}) =>
      fetch(tokenUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_assertion_type: CLIENT_ASSERTION_TYPE,
          client_assertion: assertion,
          ...extra,
        }).toString(),
      }).then(async (res) => {
        const text = await res.text();
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        return { status: res.status, headers: res.headers, body, text };
      });

    before(async () => {
      w = await World.start({ backend });
      tokyo = w.municipality('131016');
      osaka = w.municipality('271004');
      await defineProgram(w, tokyo, CHILD_PROGRAM);
      await defineProgram(w, osaka, { ...CHILD_PROGRAM, medicalSubsidyInsurerNumber: payerNumber('88', '27', '100') });
      // Both municipalities hold subjects, one person in both.
      const shared = recs.myNumber();
      tokyoPeople = [recs.child({ myNumber: shared }), recs.child(), recs.child()];
      osakaPeople = [recs.child({ myNumber: shared, medicalSubsidyInsurerNumber: undefined }), recs.child({ medicalSubsidyInsurerNumber: undefined })];
      const t = await register(tokyo, tokyoPeople);
      const o = await register(osaka, osakaPeople);
      assert.equal(t.succeeded, 3, JSON.stringify(t.results));
      assert.equal(o.succeeded, 2, JSON.stringify(o.results));
      tokyoTaskId = t.taskId;
      osakaTaskId = o.taskId;
    });
    after(async () => {
      await w?.stop();
    });

    describe('authentication and roles', () => {
      it('no token → 401 problem+json on every municipal endpoint, and nothing is stored', async () => {
        const before = await sql<{ n: number }>`select count(*)::int as n from registration_tasks`.execute(db());
        const calls: Array<[string, string, unknown?]> = [
          [
            'PUT',
            programPath('acc-anon'),
            { certificationName: 'x', medicalSubsidyInsurerNumber: CHILD_PROGRAM.medicalSubsidyInsurerNumber, legalBasisCode: '88' },
          ],
          ['GET', programPath(CHILD_PROGRAM.certificateTypeId)],
          ['POST', TASKS, [recs.child()]],
          ['GET', taskPath(tokyoTaskId)],
          ['GET', `/municipal/v1/subjects/${tokyoPeople[0].municipalityIdentityKey}`],
          ['GET', `/municipal/v1/subjects/${tokyoPeople[0].municipalityIdentityKey}?municipalityCode=131016`],
        ];
        for (const [method, path, body] of calls) {
          const res = await w.call(null, method, path, body);
          assertProblem(res, 401);
          assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
          assert.equal(res.text.includes(tokyoPeople[0].basicFiveInfo.name), false);
        }
        const after = await sql<{ n: number }>`select count(*)::int as n from registration_tasks`.execute(db());
        assert.equal(after.rows[0].n, before.rows[0].n);
        assertProblem(await w.call(null, 'GET', programPath('acc-anon')), 401);
      });

      it('a bearer token the hub did not issue → 401', async () => {
        const path = taskPath(tokyoTaskId);
        for (const authorization of ['Basic bXVuaWNpcGFsaXR5OnNlY3JldA==', 'Bearer', 'Bearer not-a-jwt', 'Bearer a.b.c']) {
          assertProblem(await w.call(null, 'GET', path, undefined, { authorization }), 401);
        }
        // Well-formed, claiming the right issuer and role, but signed by a client's key, not the hub's.
        const key = await importJWK(tokyo.privateJwk, 'ES256');
        const now = Math.floor(Date.now() / 1000);
        const forged = await new SignJWT({ role: 'municipality:131016', client_id: tokyo.clientId })
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
          .setIssuer(w.hubUrl)
          .setAudience(w.hubUrl)
          .setSubject(tokyo.clientId)
          .setIssuedAt(now)
          .setExpirationTime(now + 300)
          .sign(key);
        assertProblem(await w.call(null, 'GET', path, undefined, { authorization: `Bearer ${forged}` }), 401);
        // An unsigned token ("alg": "none") claiming admin.
        const unsigned = `${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url({ iss: w.hubUrl, aud: w.hubUrl, sub: 'operator', role: 'admin', exp: now + 300 })}.`;
        assertProblem(await w.call(null, 'GET', path, undefined, { authorization: `Bearer ${unsigned}` }), 401);
      });

      it('admin may not use the municipal-only endpoints (403)', async () => {
        assertProblem(await w.call(w.operator, 'POST', TASKS, [recs.child()]), 403);
        assertProblem(await w.call(w.operator, 'GET', taskPath(tokyoTaskId)), 403);
        assertProblem(await w.call(w.operator, 'GET', programPath(CHILD_PROGRAM.certificateTypeId)), 403);
        const { certificateTypeId: _id, ...program } = CHILD_PROGRAM;
        assertProblem(await w.call(w.operator, 'PUT', programPath('acc-admin'), program), 403);
      });
    });

    describe('client assertions at POST /oauth/token', () => {
      it('a valid assertion gets a Bearer token (the baseline the refusals are measured against)', async () => {
        const assertion = await signClientAssertion({ clientId: tokyo.clientId, privateJwk: tokyo.privateJwk, audience: tokenUrl() });
        const res = await tokenRequest(tokyo.clientId, assertion);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.token_type, 'Bearer');
        assert.ok(res.body.expires_in > 0);
        const use = await w.call(null, 'GET', taskPath(tokyoTaskId), undefined, { authorization: `Bearer ${res.body.access_token}` });
        assert.equal(use.status, 200, use.text);
      });

      const refusals: Array<[string, () => Promise<{ clientId: string; assertion: string }>]> = [
        [
          'forged: signed with a key not registered for the client',
          async () => {
            const k = await generateClientKey();
            return {
              clientId: tokyo.clientId,
              assertion: await signClientAssertion({ clientId: tokyo.clientId, privateJwk: k.privateJwk, audience: tokenUrl() }),
            };
          },
        ],
        [
          'forged without a kid: no registered key verifies it',
          async () => {
            const k = await generateClientKey();
            const { kid: _kid, ...noKid } = k.privateJwk;
            return { clientId: tokyo.clientId, assertion: await signClientAssertion({ clientId: tokyo.clientId, privateJwk: noKid, audience: tokenUrl() }) };
          },
        ],
        [
          'wrongly signed: names the registered key (kid) but is signed with another',
          async () => {
            const k = await generateClientKey();
            return {
              clientId: tokyo.clientId,
              assertion: await signClientAssertion({
                clientId: tokyo.clientId,
                privateJwk: { ...k.privateJwk, kid: tokyo.publicJwk.kid },
                audience: tokenUrl(),
              }),
            };
          },
        ],
        [
          "wrongly signed: another municipality's key, for this client",
          async () => ({
            clientId: tokyo.clientId,
            assertion: await signClientAssertion({ clientId: tokyo.clientId, privateJwk: osaka.privateJwk, audience: tokenUrl() }),
          }),
        ],
        [
          'tampered: the claims changed after signing',
          async () => {
            const good = await signClientAssertion({ clientId: tokyo.clientId, privateJwk: tokyo.privateJwk, audience: tokenUrl() });
            const [h, p, s] = good.split('.');
            const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
            return { clientId: tokyo.clientId, assertion: [h, b64url({ ...claims, exp: claims.exp + 1 }), s].join('.') };
          },
        ],
        [
          'wrongly signed: the signature is damaged',
          async () => {
            const good = await signClientAssertion({ clientId: tokyo.clientId, privateJwk: tokyo.privateJwk, audience: tokenUrl() });
            const [h, p, s] = good.split('.');
            const sig = Buffer.from(s, 'base64url');
            sig[10] ^= 0xff;
            return { clientId: tokyo.clientId, assertion: [h, p, sig.toString('base64url')].join('.') };
          },
        ],
        [
          'unsigned ("alg": "none")',
          async () => {
            const now = Math.floor(Date.now() / 1000);
            const claims = { iss: tokyo.clientId, sub: tokyo.clientId, aud: tokenUrl(), jti: crypto.randomUUID(), iat: now, exp: now + 60 };
            return { clientId: tokyo.clientId, assertion: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.` };
          },
        ],
        [
          'expired',
          async () => ({
            clientId: tokyo.clientId,
            assertion: await signClientAssertion({ clientId: tokyo.clientId, privateJwk: tokyo.privateJwk, audience: tokenUrl(), ttlSeconds: -120 }),
          }),
        ],
        [
          'expiring more than 5 minutes ahead',
          async () => ({
            clientId: tokyo.clientId,
            assertion: await signClientAssertion({ clientId: tokyo.clientId, privateJwk: tokyo.privateJwk, audience: tokenUrl(), ttlSeconds: 3600 }),
          }),
        ],
        [
          'for another audience',
          async () => ({
            clientId: tokyo.clientId,
            assertion: await signClientAssertion({ clientId: tokyo.clientId, privateJwk: tokyo.privateJwk, audience: 'http://127.0.0.1:7300/oauth/token' }),
          }),
        ],
        [
          'issued by one client, presented as another',
          async () => ({
            clientId: tokyo.clientId,
            assertion: await signClientAssertion({ clientId: osaka.clientId, privateJwk: osaka.privateJwk, audience: tokenUrl() }),
          }),
        ],
        [
          'for a client that is not registered',
          async () => {
            const k = await generateClientKey();
            return {
              clientId: 'municipality-999999',
              assertion: await signClientAssertion({ clientId: 'municipality-999999', privateJwk: k.privateJwk, audience: tokenUrl() }),
            };
          },
        ],
      ];
      for (const [name, make] of refusals) {
        it(`refused with 401 problem+json: ${name}`, async () => {
          const { clientId, assertion } = await make();
          const res = await tokenRequest(clientId, assertion);
          assertProblem(res as any, 401);
          assert.equal(res.body.error, 'invalid_client');
          assert.equal(res.body.access_token, undefined);
          assert.equal(res.text.includes(assertion), false, 'the answer quotes the assertion');
        });
      }

      it('a replayed assertion (same jti) is refused with 401', async () => {
        const assertion = await signClientAssertion({ clientId: osaka.clientId, privateJwk: osaka.privateJwk, audience: tokenUrl() });
        assert.equal((await tokenRequest(osaka.clientId, assertion)).status, 200);
        const again = await tokenRequest(osaka.clientId, assertion);
        assertProblem(again as any, 401);
        assert.equal(again.body.error, 'invalid_client');
      });
    });

    describe('a municipality sees only its own data', () => {
      it("another municipality's task → 404, and its results are not shown", async () => {
        const res = await w.call(osaka, 'GET', taskPath(tokyoTaskId));
        assertProblem(res, 404);
        assert.equal(res.text.includes('results'), false);
        assertProblem(await w.call(tokyo, 'GET', taskPath(osakaTaskId)), 404);
        assert.equal((await w.call(osaka, 'GET', taskPath(osakaTaskId))).status, 200);
      });

      it("another municipality's subject → 404 (even for a person both registered)", async () => {
        const onlyTokyo = tokyoPeople[1].municipalityIdentityKey;
        const res = await getSubject(w, osaka, onlyTokyo);
        assertProblem(res, 404);
        assert.equal(res.text.includes(tokyoPeople[1].basicFiveInfo.name), false);
        assertProblem(await getSubject(w, tokyo, osakaPeople[1].municipalityIdentityKey), 404);
        // The shared person: each sees its own record under its own key, nothing of the other's.
        const mine = await subjectOf(w, osaka, osakaPeople[0].municipalityIdentityKey);
        assert.equal(mine.municipalityCode, '271004');
        assertProblem(await getSubject(w, osaka, tokyoPeople[0].municipalityIdentityKey), 404);
      });

      it("another municipality's programme → 404; naming another municipality → 403", async () => {
        await defineProgram(w, tokyo, { ...CHILD_PROGRAM, certificateTypeId: 'acc-tokyo-only' });
        assertProblem(await w.call(osaka, 'GET', programPath('acc-tokyo-only')), 404);
        const res = await getSubject(w, tokyo, osakaPeople[1].municipalityIdentityKey, '?municipalityCode=271004');
        assertProblem(res, 403);
        assert.equal(res.text.includes(osakaPeople[1].basicFiveInfo.name), false);
      });

      it("a municipality's records cannot touch another municipality's subject, even under the same key", async () => {
        // Osaka sends Tokyo's 宛名番号 with another My Number: that makes an Osaka subject, never a change in Tokyo.
        const tokyoKey = tokyoPeople[2].municipalityIdentityKey;
        const before = await subjectOf(w, tokyo, tokyoKey);
        const t = await register(osaka, [recs.child({ municipalityIdentityKey: tokyoKey, medicalSubsidyInsurerNumber: undefined })]);
        assertOutcome(t, 0, 'created');
        assert.deepEqual(await subjectOf(w, tokyo, tokyoKey), before);
      });
    });

    describe('admin and the PMH-ID', () => {
      it('admin must name the municipality; then reads the subject', async () => {
        const key = tokyoPeople[1].municipalityIdentityKey;
        assertProblem(await getSubject(w, w.operator, key), 400, '/query/municipalityCode');
        assertProblem(await getSubject(w, w.operator, key, '?municipalityCode=13101'), 400);
        const res = await subjectOf(w, w.operator, key, '131016');
        assert.equal(res.municipalityIdentityKey, key);
        assert.equal('pmhId' in res, false, 'no PMH-ID has been issued yet');
        assertProblem(await getSubject(w, w.operator, key, '?municipalityCode=271004'), 404);
      });

      it('a municipality never gets a pmhId key; admin gets it once one is issued', async () => {
        const key = tokyoPeople[2].municipalityIdentityKey;
        for (const p of [...tokyoPeople]) {
          const res = await getSubject(w, tokyo, p.municipalityIdentityKey);
          assert.equal(res.status, 200);
          assert.equal('pmhId' in res.body, false);
        }
        // Issuance is a later flow (idserver); stand in for it by writing the column directly.
        const pmhId = 'PMH-TEST-0001';
        await sql`update subjects set pmh_id = ${pmhId}, pmh_id_status = 'issued'
          where municipality_code = '131016' and municipality_identity_key = ${key}`.execute(db());
        const asMunicipality = await getSubject(w, tokyo, key);
        assert.equal(asMunicipality.status, 200);
        assert.equal(asMunicipality.body.pmhIdStatus, 'issued');
        assert.equal('pmhId' in asMunicipality.body, false);
        assert.equal(asMunicipality.text.includes(pmhId), false);
        const asAdmin = await getSubject(w, w.operator, key, '?municipalityCode=131016');
        assert.equal(asAdmin.status, 200);
        assert.equal(asAdmin.body.pmhId, pmhId);
      });
    });

    describe('row-level security: a query that forgot its filter still sees one municipality', () => {
      const TABLES = ['subjects', 'subsidy_certificates', 'registration_tasks', 'registration_task_chunks', 'subsidy_programs'] as const;

      for (const table of TABLES) {
        it(`${table}: the municipal scope returns only its own rows`, async () => {
          const all = await sql<{ municipality_code: string; n: number }>`
            select municipality_code, count(*)::int as n from ${sql.table(table)} group by municipality_code order by 1`.execute(db());
          const counts = Object.fromEntries(all.rows.map((r) => [r.municipality_code, r.n]));
          assert.ok(counts['131016'] > 0 && counts['271004'] > 0, `both municipalities must hold rows in ${table}: ${JSON.stringify(counts)}`);

          for (const code of ['131016', '271004']) {
            const seen = await inMunicipality(db(), code, (trx) =>
              sql<{ municipality_code: string }>`select municipality_code from ${sql.table(table)}`.execute(trx),
            );
            assert.equal(seen.rows.length, counts[code]);
            assert.deepEqual([...new Set(seen.rows.map((r) => r.municipality_code))], [code]);
          }
        });
      }

      it('the literal unfiltered queries of the brief: subjects, subsidy_certificates, registration_tasks', async () => {
        const subjects = await inMunicipality(db(), '131016', (trx) => sql<{ municipality_code: string }>`select municipality_code from subjects`.execute(trx));
        const certs = await inMunicipality(db(), '131016', (trx) =>
          sql<{ municipality_code: string }>`select municipality_code from subsidy_certificates`.execute(trx),
        );
        const taskRows = await inMunicipality(db(), '131016', (trx) =>
          sql<{ municipality_code: string }>`select municipality_code from registration_tasks`.execute(trx),
        );
        for (const r of [subjects, certs, taskRows]) {
          assert.ok(r.rows.length > 0);
          assert.ok(r.rows.every((x) => x.municipality_code === '131016'));
        }
        // Even asking for the other municipality by name finds nothing.
        const other = await inMunicipality(db(), '131016', (trx) => sql`select * from subjects where municipality_code = '271004'`.execute(trx));
        assert.equal(other.rows.length, 0);
      });

      it('the municipal role without a municipality set sees nothing', async () => {
        const rows = await db()
          .transaction()
          .execute(async (trx) => {
            await sql`set local role pmh_municipal`.execute(trx);
            return (await sql`select 1 from subjects`.execute(trx)).rows;
          });
        assert.equal(rows.length, 0);
      });

      it('inserting a row for another municipality inside the scope is refused by the policy', async () => {
        await assert.rejects(
          inMunicipality(db(), '131016', (trx) =>
            sql`insert into subjects (municipality_code, municipality_identity_key, my_number_enc, my_number_bidx, name, date_of_birth, sex)
                values ('271004', 'ACC-RLS-1', 'x', 'x', '侵入　太郎', '2000-01-01', '1')`.execute(trx),
          ),
          /row-level security|row level security/i,
        );
        await assert.rejects(
          inMunicipality(db(), '131016', (trx) =>
            sql`insert into registration_tasks (id, municipality_code, process, total, chunks, client_id, request_hash)
                values (${crypto.randomUUID()}, '271004', 'medical-subsidy', 1, 1, 'x', 'x')`.execute(trx),
          ),
          /row-level security|row level security/i,
        );
        await assert.rejects(
          inMunicipality(db(), '131016', (trx) =>
            sql`insert into subsidy_programs (municipality_code, org_specific_certificate_type_id, certification_name, medical_subsidy_insurer_number, legal_basis_code)
                values ('271004', 'acc-rls', 'x', '88271002', '88')`.execute(trx),
          ),
          /row-level security|row level security/i,
        );
        const { rows } = await sql`select 1 from subjects where municipality_identity_key = 'ACC-RLS-1'`.execute(db());
        assert.equal(rows.length, 0);
        // The same insert for its own municipality is allowed (the refusal is the policy, not the grant).
        await inMunicipality(db(), '131016', async (trx) => {
          await sql`insert into subsidy_programs (municipality_code, org_specific_certificate_type_id, certification_name, medical_subsidy_insurer_number, legal_basis_code)
                    values ('131016', 'acc-rls-own', 'x', ${CHILD_PROGRAM.medicalSubsidyInsurerNumber}, '88')`.execute(trx);
        });
      });

      it("updating another municipality's rows touches none; moving a row to another municipality is refused; deleting is not granted", async () => {
        const res = await inMunicipality(db(), '131016', (trx) => sql`update subjects set name = '改竄　太郎' where municipality_code = '271004'`.execute(trx));
        assert.equal(Number(res.numAffectedRows ?? 0), 0);
        const names = await sql<{ name: string }>`select name from subjects where municipality_code = '271004'`.execute(db());
        assert.ok(names.rows.every((r) => r.name !== '改竄　太郎'));
        await assert.rejects(
          inMunicipality(db(), '131016', (trx) => sql`update subjects set municipality_code = '271004'`.execute(trx)),
          /row-level security|row level security/i,
        );
        await assert.rejects(
          inMunicipality(db(), '131016', (trx) => sql`delete from subsidy_certificates`.execute(trx)),
          /permission denied/i,
        );
        const still = await sql<{ municipality_code: string }>`select distinct municipality_code from subjects order by 1`.execute(db());
        assert.deepEqual(
          still.rows.map((r) => r.municipality_code),
          ['131016', '271004'],
        );
      });
    });

    describe('privacy at rest and the audit log', () => {
      it('My Number is stored only encrypted (AES-GCM) with a keyed blind index; no column anywhere holds it', async () => {
        const cipher = w.hub.context.cipher;
        const { rows } = await sql<{ id: string; municipality_identity_key: string; my_number_enc: string; my_number_bidx: string }>`
          select id, municipality_identity_key, my_number_enc, my_number_bidx from subjects where municipality_code = '131016'`.execute(db());
        for (const p of tokyoPeople) {
          const row = rows.find((r) => r.municipality_identity_key === p.municipalityIdentityKey);
          assert.ok(row, p.municipalityIdentityKey);
          assert.equal(row.my_number_enc.includes(p.myNumber), false);
          assert.equal(row.my_number_bidx.includes(p.myNumber), false);
          assert.equal(cipher.decrypt(row.my_number_enc, myNumberAt(row.id)), p.myNumber, "the ciphertext opens to the number, as its own subject's");
          assert.equal(row.my_number_bidx, cipher.blindIndex(p.myNumber, MY_NUMBER_CONTEXT));
        }
        // The same person in two municipalities: different ciphertexts (random IV), the same index.
        const shared = await sql<{ my_number_enc: string; my_number_bidx: string }>`
          select my_number_enc, my_number_bidx from subjects where municipality_identity_key in (${tokyoPeople[0].municipalityIdentityKey}, ${osakaPeople[0].municipalityIdentityKey})`.execute(
          db(),
        );
        assert.equal(shared.rows.length, 2);
        assert.notEqual(shared.rows[0].my_number_enc, shared.rows[1].my_number_enc);
        assert.equal(shared.rows[0].my_number_bidx, shared.rows[1].my_number_bidx);

        // Every column of every table that could hold one, searched as text.
        const numbers = [...recs.myNumbers];
        assert.ok(numbers.length >= 5);
        for (const table of [
          'subjects',
          'subsidy_certificates',
          'subsidy_programs',
          'registration_tasks',
          'registration_task_chunks',
          'audit_log',
          'audit_heads',
        ]) {
          const all = await sql<{ t: string }>`select t::text as t from ${sql.table(table)} t`.execute(db());
          const text = all.rows.map((r) => r.t).join('\n');
          for (const n of numbers) {
            assert.equal(text.includes(n), false, `a My Number is stored in clear in ${table}`);
            assert.equal(text.includes(fullWidthDigits(n)), false, `a My Number (full-width) is stored in clear in ${table}`);
          }
        }
        // Applied chunks drop their (encrypted) records.
        const chunks = await sql<{ n: number }>`select count(*)::int as n from registration_task_chunks where done and payload is not null`.execute(db());
        assert.equal(chunks.rows[0].n, 0);
      });

      it('no answer carries a My Number: subject views (municipality and admin) and task views', async () => {
        const answers = [
          await getSubject(w, tokyo, tokyoPeople[0].municipalityIdentityKey),
          await getSubject(w, w.operator, tokyoPeople[0].municipalityIdentityKey, '?municipalityCode=131016'),
          await w.call(tokyo, 'GET', taskPath(tokyoTaskId)),
        ];
        for (const a of answers) {
          assert.equal(a.status, 200);
          assert.equal(/myNumber/i.test(a.text), false);
          for (const n of recs.myNumbers) assert.equal(a.text.includes(n), false);
        }
      });

      it('every applied record has its medical-subsidy.register audit row (count = records applied)', async () => {
        let applied = 0;
        for (const t of tasks) {
          const { rows } = await sql<{ idx: number; outcome: string; result: string; subject_ref: string | null; actor: string }>`
            select (detail->>'index')::int as idx, outcome, detail->>'result' as result, subject_ref, actor from audit_log
            where action = 'medical-subsidy.register' and detail->>'taskId' = ${t.taskId} and outcome = 'ok'`.execute(db());
          const succeeded = t.results.filter((r: any) => r.outcome !== 'failed');
          assert.equal(rows.length, t.succeeded);
          assert.equal(rows.length, succeeded.length);
          for (const r of succeeded) {
            const row = rows.find((x) => x.idx === r.index);
            assert.ok(row, `no audit row for record ${r.index} of task ${t.taskId}`);
            assert.equal(row.result, r.outcome);
            assert.match(row.actor, /^municipality:(131016|271004)$/);
            assert.ok(row.subject_ref, 'the audit row names the subject');
          }
          applied += t.succeeded;
        }
        const total = await sql<{ n: number }>`select count(*)::int as n from audit_log
          where action = 'medical-subsidy.register' and outcome = 'ok'`.execute(db());
        assert.equal(total.rows[0].n, applied);
        // Each row's subject is a subject of the acting municipality.
        const mismatched = await sql<{ n: number }>`select count(*)::int as n from audit_log a join subjects s on s.id::text = a.subject_ref
          where a.action = 'medical-subsidy.register' and a.actor <> 'municipality:' || s.municipality_code`.execute(db());
        assert.equal(mismatched.rows[0].n, 0);
      });

      it('reading a subject adds a subject.read audit row (who, which subject, outcome)', async () => {
        const key = tokyoPeople[1].municipalityIdentityKey;
        const { rows: ids } = await sql<{
          id: string;
        }>`select id from subjects where municipality_code = '131016' and municipality_identity_key = ${key}`.execute(db());
        const id = ids[0].id;
        const reads = async () =>
          (
            await sql<{ actor: string; outcome: string; purpose: string; n: number }>`select actor, outcome, purpose, count(*)::int as n from audit_log
            where action = 'subject.read' and subject_ref = ${id} group by actor, outcome, purpose order by actor`.execute(db())
          ).rows;
        const count = (rows: Array<{ actor: string; outcome: string; purpose: string; n: number }>, actor: string) =>
          rows.find((r) => r.actor === actor && r.outcome === 'ok' && r.purpose === 'municipal-api')?.n ?? 0;
        const before = await reads();
        assert.equal((await getSubject(w, tokyo, key)).status, 200);
        const afterOne = await reads();
        assert.equal(count(afterOne, 'municipality:131016'), count(before, 'municipality:131016') + 1);
        assert.equal((await getSubject(w, w.operator, key, '?municipalityCode=131016')).status, 200);
        const afterAdmin = await reads();
        assert.equal(count(afterAdmin, `admin:${w.operator.clientId}`), count(before, `admin:${w.operator.clientId}`) + 1);
        assert.equal(count(afterAdmin, 'municipality:131016'), count(afterOne, 'municipality:131016'));

        // A refused look-up is recorded too, without a subject.
        const notFound = async () =>
          (
            await sql<{
              n: number;
            }>`select count(*)::int as n from audit_log where action = 'subject.read' and actor = 'municipality:271004' and outcome = 'not-found'`.execute(db())
          ).rows[0].n;
        const nf = await notFound();
        assertProblem(await getSubject(w, osaka, key), 404);
        assert.equal(await notFound(), nf + 1);
      });

      it('a client-chosen X-Request-Id that looks like a My Number neither breaks a read nor reaches the audit log', async () => {
        const key = tokyoPeople[0].municipalityIdentityKey;
        const n = recs.myNumber();
        const hyphenated = `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`;
        for (const requestId of [n, hyphenated]) {
          const res = await w.call(tokyo, 'GET', subjectPath(key), undefined, { 'x-request-id': requestId });
          assert.equal(res.status, 200, res.text);
          assert.equal(res.body.municipalityIdentityKey, key);
        }
        const all = await sql<{ t: string }>`select t::text as t from audit_log t`.execute(db());
        const text = all.rows.map((r) => r.t).join('\n');
        assert.equal(text.includes(n), false);
        assert.equal(text.includes(hyphenated), false);
      });

      it('the audit log verifies (hash chains intact) after all this', async () => {
        const result = await verifyAudit(db());
        assert.deepEqual(result.problems, []);
        assert.equal(result.ok, true);
        assert.ok(result.rows >= tasks.reduce((s, t) => s + t.succeeded, 0));
      });
    });

    it('no My Number of this file appears in any log line', () => {
      assertLogsClean(w, recs.myNumbers);
    });
  });
}
