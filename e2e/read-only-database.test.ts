import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hubApi } from '@pmh/protocol';
import { assertStatus, callAs } from '../packages/testkit/src/http.ts';
import crypto from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { TokenClient } from '@pmh/core/auth/index';
import { World, backends, Rng, childMedicalRecord, CHILD_PROGRAM, myNumber } from '../packages/testkit/src/index.ts';

/**
 * A failover behind a proxy (deploy/: Patroni and HAProxy) can hand a service a connection to a
 * server that does not take writes yet or any more: Patroni reports the new primary a moment
 * before PostgreSQL has left recovery, and HAProxy counts every server up until its first check.
 * PostgreSQL then refuses every write with SQLSTATE 25006 (read_only_sql_transaction), as a hot
 * standby does. Callers must be told to come back (503, Retry-After), as for any other moment
 * without a primary, never given a 500; once writes are taken again the same request succeeds.
 * The database is made to refuse writes as a standby would: default_transaction_read_only.
 */
for (const backend of backends()) {
  describe(`a database that refuses writes for a moment, as a standby does (${backend})`, () => {
    let w: World;
    const TASKS = '/municipal/v1/medical-subsidy/registration-tasks';

    /** Turns the hub's database read-only (every new transaction), or back. */
    async function readOnly(on: boolean): Promise<void> {
      const url = w.storage('hub').url;
      if (!url) {
        // PGlite: one session, the hub's own; the setting applies to its next transaction.
        await sql.raw(`set default_transaction_read_only = ${on ? 'on' : 'off'}`).execute(w.service('hub').database.db);
        return;
      }
      // PostgreSQL: the database's setting, and its connections cut so that new ones take it.
      const name = new URL(url).pathname.slice(1);
      const admin = new URL(url);
      admin.pathname = '/postgres';
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      try {
        await c.query(`alter database "${name}" ${on ? 'set default_transaction_read_only = on' : 'reset default_transaction_read_only'}`);
        await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
      } finally {
        await c.end();
      }
    }

    before(async () => {
      w = await World.start({ backend, services: ['hub'] });
      const { certificateTypeId, ...program } = CHILD_PROGRAM;
      const r = await callAs(w, w.municipality(), hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program });
      assert.ok(r.status === 200 || r.status === 201, r.text);
    });
    after(async () => {
      await readOnly(false).catch(() => {});
      await w?.stop();
    });

    it('callers get 503 with Retry-After while writes are refused, and the same task is accepted and applied whole afterwards', async () => {
      const rng = new Rng(25006);
      const records = Array.from({ length: 5 }, (_, i) => childMedicalRecord(rng, { myNumber: myNumber(rng), municipalityIdentityKey: `RO${i}` }));
      const key = crypto.randomUUID();
      await w.authorization(w.municipality()); // a token held from before, as a running caller has
      await readOnly(true);
      try {
        // 503 is an answer no endpoint declares (any route may give it while the database is away): sent raw.
        const refused = await w.call(w.municipality(), 'POST', TASKS, records, { 'idempotency-key': key });
        assert.equal(refused.status, 503, refused.text);
        assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
        assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
        assert.equal(refused.body.type, 'urn:pmh:problem:database-unavailable');
        // The token endpoint records each client assertion: a write too.
        const m = w.municipality();
        await assert.rejects(
          new TokenClient({ baseUrl: w.hubUrl, clientId: m.clientId, privateJwk: m.privateJwk }).token(),
          (e: { status?: number; retryAfterMs?: number }) => e.status === 503 && typeof e.retryAfterMs === 'number',
        );
      } finally {
        await readOnly(false);
      }
      const accepted = await callAs(w, w.municipality(), hubApi.municipal.registerMedicalSubsidy, { body: records, headers: { 'idempotency-key': key } });
      assertStatus(accepted, 202);
      const task = await w.waitForTask(w.municipality(), accepted.body.taskId);
      assert.equal(task.status, 'done');
      assert.equal(task.succeeded, records.length);
      assert.deepEqual(
        task.results.map((r: { outcome: string }) => r.outcome),
        records.map(() => 'created'),
      );
      const tasks = await sql<{ n: string }>`select count(*) as n from registration_tasks`.execute(w.service('hub').database.db);
      assert.equal(Number(tasks.rows[0].n), 1, 'the refused attempt left no task behind');
    });
  });
}
