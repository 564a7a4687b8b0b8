/**
 * A subject's My Number ciphertext is bound to the subject (its id in the associated data), and a
 * decrypted number is checked against the subject's blind index before issuance sends it to the ID
 * server. A ciphertext copied in SQL from one subject's row to another, or another person's number
 * sealed in a subject's row, is refused loudly and parked, never sent as that subject's. Through
 * the real hub and ID server over HTTP, on PGlite and PostgreSQL.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { World, backends, Rng, childRecord } from '../../testkit/src/index.ts';
import { FieldCipher } from '@pmh/core/crypto/index';
import { MY_NUMBER_CONTEXT, myNumberAt } from '../src/store/medical-subsidy.ts';
import { INTEGRITY_ERROR, ISSUE_PMH_ID } from '../src/federation/issuance.ts';
import { hubApi } from '@pmh/protocol';
import { defineProgram, hubAs, subjectOf } from './support.ts';

const CODE = '131016';

for (const backend of backends()) {
  describe(`sealed My Numbers bound to their subject (${backend})`, () => {
    let w: World;
    const rng = new Rng(1011);
    const records = new Map<string, Record<string, any>>();

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver'], persistent: true });
      await defineProgram(w, w.municipality(CODE));
    });
    after(() => w.stop());

    const db = () => w.hub.database.db;
    const idOf = async (key: string) => (await sql<{ id: string }>`select id from subjects where municipality_identity_key = ${key}`.execute(db())).rows[0].id;
    const status = async (key: string) => (await subjectOf(w, w.municipality(CODE), key)).pmhIdStatus;
    /** Registers subjects while the ID server is down, so their issuance waits in the hub's outbox. */
    async function registerWaiting(keys: string[]): Promise<void> {
      await w.stopService('idserver');
      const batch = keys.map((k) => childRecord(rng, { municipalityIdentityKey: k }));
      batch.forEach((r) => records.set(r.municipalityIdentityKey, r));
      const t = await w.register(w.municipality(CODE), 'medical-subsidy', batch);
      assert.equal(t.succeeded, keys.length);
    }
    const logLines = () =>
      w.logs
        .text()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>);
    /** What the ID server was asked to issue: the My Numbers, by the hub's request id (the subject id). */
    const issueRequests = () =>
      w.exchanges
        .filter((e) => e.service === 'idserver' && e.url === '/idserver/v1/pmh-ids/issue')
        .flatMap((e) => (e.request as { requests: Array<{ requestId: string; myNumber: string }> }).requests);

    it("a ciphertext copied from one subject's row to another does not open there: that subject's issuance is refused and parked, the others go", async () => {
      await registerWaiting(['S-A', 'S-B', 'S-C']);
      const [a, b] = [await idOf('S-A'), await idOf('S-B')];
      // An insider (or a bug) copies A's ciphertext over B's, in SQL.
      await sql`update subjects set my_number_enc = (select my_number_enc from subjects where id = ${a}) where id = ${b}`.execute(db());
      await w.startService('idserver');
      await w.until(
        'A and C issued, B refused',
        async () => (await status('S-A')) === 'issued' && (await status('S-C')) === 'issued' && (await status('S-B')) === 'failed',
      );

      const asked = issueRequests();
      assert.equal(
        asked.some((r) => r.requestId === b),
        false,
        'nothing was sent as B',
      );
      assert.equal(asked.filter((r) => r.myNumber === records.get('S-A')!.myNumber).length, 1, "A's number was sent once, as A's");
      assert.equal(
        asked.some((r) => r.myNumber === records.get('S-B')!.myNumber),
        false,
      );
      const { rows } = await sql<{ status: string; last_error: string }>`
        select status, last_error from outbox where kind = ${ISSUE_PMH_ID} and dedupe_key = ${b}`.execute(db());
      assert.deepEqual(rows, [{ status: 'dead', last_error: INTEGRITY_ERROR }], 'parked for an operator');
      const st = await w.call(w.operator, 'GET', '/admin/v1/status');
      const p = st.body.pipelines.find((x: { name: string }) => x.name === ISSUE_PMH_ID);
      assert.equal(p.dead, 1);
      assert.equal(p.lastError, INTEGRITY_ERROR);
      // Loudly, by subject id, without the number.
      const line = logLines().find((l) => l.msg?.startsWith('issuance refused') && l.subjectId === b);
      assert.ok(line, 'the refusal is logged');
      assert.equal(line.level, 50, 'as an error');
      assert.equal(line.reason, "does not open as this subject's");
      for (const r of records.values()) assert.equal(w.logs.text().includes(r.myNumber), false, 'no My Number in any log line');
    });

    it("another person's number sealed as a subject's own fails the blind-index check and is not sent; once repaired, a retry issues it", async () => {
      await registerWaiting(['S-D', 'S-E']);
      const [d, e] = [await idOf('S-D'), await idOf('S-E')];
      const cipher = w.hub.context.cipher;
      // Sealed with the hub's own key and for D's row, so it opens as D's: only the index check can tell.
      await sql`update subjects set my_number_enc = ${cipher.encrypt(records.get('S-E')!.myNumber, myNumberAt(d))} where id = ${d}`.execute(db());
      await w.startService('idserver');
      await w.until('E issued, D refused', async () => (await status('S-E')) === 'issued' && (await status('S-D')) === 'failed');
      const asked = issueRequests();
      assert.equal(
        asked.some((r) => r.requestId === d),
        false,
        'nothing was sent as D',
      );
      assert.equal(asked.filter((r) => r.myNumber === records.get('S-E')!.myNumber).length, 1, "E's number went once, as E's");
      // The refusal is logged as its settlement is written, not before: wait for the line, not only the status.
      const refusal = () => logLines().find((l) => l.msg?.startsWith('issuance refused') && l.subjectId === d);
      await w.until('the refusal logged', async () => refusal() !== undefined);
      assert.equal(refusal()?.reason, "does not match the subject's blind index");

      // The operator restores D's number and re-drives the parked message: nothing was lost.
      await sql`update subjects set my_number_enc = ${cipher.encrypt(records.get('S-D')!.myNumber, myNumberAt(d))} where id = ${d}`.execute(db());
      const retried = await w.call(w.operator, 'POST', `/admin/v1/retry?pipeline=${ISSUE_PMH_ID}`);
      assert.equal(retried.status, 200, retried.text);
      await w.until('D issued after the retry', async () => (await status('S-D')) === 'issued');
      assert.equal(issueRequests().filter((r) => r.requestId === d && r.myNumber === records.get('S-D')!.myNumber).length, 1);
    });

    it('ciphertexts of the first form (bound to the column only) are re-sealed for their row at the next start, and only then read', async () => {
      const [f, key] = [await idOf('S-A'), await idOf('S-C')];
      const data = w.keys('hub').data;
      /** A ciphertext as the hub made them before: associated data the column's name only. */
      const firstForm = (plain: string, context: string) => {
        const iv = crypto.randomBytes(12);
        const c = crypto.createCipheriv('aes-256-gcm', data.keys[data.current], iv);
        c.setAAD(Buffer.from(context));
        const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
        return [data.current, iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
      };
      const cipher = w.hub.context.cipher;
      const jwk = (await sql<{ kid: string; private_jwk_enc: string }>`select kid, private_jwk_enc from encryption_keys`.execute(db())).rows;
      assert.ok(jwk.length > 0);
      await db()
        .transaction()
        .execute(async (trx) => {
          await sql`update subjects set my_number_enc = ${firstForm(records.get('S-A')!.myNumber, MY_NUMBER_CONTEXT)} where id = ${f}`.execute(trx);
          for (const k of jwk) {
            const plain = cipher.decrypt(k.private_jwk_enc, { column: 'encryption_keys.private_jwk', row: k.kid });
            await sql`update encryption_keys set private_jwk_enc = ${firstForm(plain, 'encryption_keys.private_jwk')} where kid = ${k.kid}`.execute(trx);
          }
          await sql`delete from schema_migrations where name = 'hub-data-001-row-bound-ciphertexts'`.execute(trx);
        });
      // The first form opens nowhere but in the migration.
      const stored = (await sql<{ my_number_enc: string }>`select my_number_enc from subjects where id = ${f}`.execute(db())).rows[0].my_number_enc;
      assert.ok(FieldCipher.isLegacy(stored));
      assert.throws(() => cipher.decrypt(stored, myNumberAt(f)));

      await w.stopService('hub');
      await w.startService('hub'); // the key ring opens its private keys at start: only once they are re-sealed
      const after = (
        await sql<{ my_number_enc: string; my_number_bidx: string }>`select my_number_enc, my_number_bidx from subjects where id = ${f}`.execute(db())
      ).rows[0];
      assert.match(after.my_number_enc, /^r1\./);
      assert.equal(w.hub.context.cipher.decrypt(after.my_number_enc, myNumberAt(f)), records.get('S-A')!.myNumber);
      assert.throws(() => w.hub.context.cipher.decrypt(after.my_number_enc, myNumberAt(key)), 'bound to its row');
      const keys = (await sql<{ private_jwk_enc: string }>`select private_jwk_enc from encryption_keys`.execute(db())).rows;
      assert.ok(keys.every((k) => k.private_jwk_enc.startsWith('r1.')));
      const jwks = await hubAs(w, null).ok(hubApi.public.jwks, {});
      assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), jwk.map((k) => k.kid).sort(), 'the same keys, usable');
    });
  });
}
