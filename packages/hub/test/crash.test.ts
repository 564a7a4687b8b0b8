import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { openDatabase, freshDatabase, type FreshDatabase } from '@pmh/core/db/index';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { ApiClient, hubApi, type MedicalSubsidyRecord, type TaskView } from '@pmh/protocol';
import { verifyAudit } from '@pmh/core/audit/index';
import { backends, freePort, tempDir, Rng, childRecord, CHILD_PROGRAM, spawnService, stopProcess } from '../../testkit/src/index.ts';
import { hubMigrations } from '../src/index.ts';

const CODE = '131016';

for (const backend of backends()) {
  describe(`a hub killed in the middle of a 10,000-record task (${backend})`, () => {
    const dir = tempDir('pmh-crash-');
    let db: FreshDatabase | undefined;
    const env: Record<string, string> = { PMH_DATA_DIR: dir, PMH_LOG_LEVEL: 'info' };
    let children: ChildProcess[] = [];

    before(async () => {
      if (backend === 'postgres') {
        db = await freshDatabase('hub', hubMigrations, { adminUrl: process.env.PMH_TEST_DATABASE_URL });
        env.PMH_HUB_DATABASE_URL = db.options.url!;
      }
    });
    after(async () => {
      for (const c of children) await stopProcess(c, 'SIGKILL');
      await db?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('loses nothing and applies nothing twice after a restart', { timeout: 300_000 }, async () => {
      const key = await generateClientKey();
      const clientsFile = path.join(dir, 'clients.json');
      fs.writeFileSync(clientsFile, JSON.stringify([{ clientId: 'm', role: `municipality:${CODE}`, jwks: { keys: [key.publicJwk] } }]));
      const port = await freePort();
      env.PMH_HUB_PUBLIC_URL = `http://127.0.0.1:${port}`;

      const serve = () => spawnService(['serve', 'hub', '--port', String(port), '--clients', clientsFile], env);
      let hub = await serve();
      children.push(hub.child);
      const tokens = new TokenClient({ baseUrl: hub.url, clientId: 'm', privateJwk: key.privateJwk });
      const api = () => new ApiClient(hub.url, { authorization: () => tokens.authorization() });
      const { certificateTypeId, ...program } = CHILD_PROGRAM;
      assert.equal((await api().call(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program })).status, 201);

      const rng = new Rng(4242);
      const records = Array.from({ length: 10_000 }, (_, i) => childRecord(rng, { municipalityIdentityKey: `K${String(i).padStart(6, '0')}` }));
      const { taskId } = await api().ok(hubApi.municipal.registerMedicalSubsidy, { body: records as MedicalSubsidyRecord[] });
      const task = () => api().ok(hubApi.municipal.getTask, { params: { taskId } });

      // Kill the hub once some chunks, but not all, are applied.
      let seen = 0;
      for (let i = 0; i < 2000; i++) {
        const t = await task();
        seen = t.succeeded + t.failed;
        if (seen > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await stopProcess(hub.child, 'SIGKILL');
      assert.ok(seen > 0 && seen < 10_000, `killed mid-task (applied ${seen} of 10000 when killed)`);

      // The same data dir (PGlite: its lock is stale now) or database, a new process.
      const first = hub;
      hub = await serve();
      children.push(hub.child);
      tokens.invalidate();
      let done: TaskView | undefined;
      for (let i = 0; i < 6000; i++) {
        const t = await task();
        if (t.status === 'done') {
          done = t;
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(done, 'the task completed after the restart');
      assert.equal(done.total, 10_000);
      assert.equal(done.succeeded, 10_000);
      assert.equal(done.failed, 0);
      assert.equal(done.results.length, 10_000);
      // A record applied twice would say "unchanged" the second time: every one says "created".
      assert.deepEqual(new Set(done.results.map((r) => r.outcome)), new Set(['created']));
      assert.deepEqual(
        done.results.map((r) => r.index),
        records.map((_, i) => i),
      );
      await stopProcess(hub.child);
      // Neither process, crashed or not, wrote a My Number to its log.
      const logs = first.output() + hub.output();
      assert.equal(records.filter((r) => logs.includes(r.myNumber)).length, 0);

      const store = await openDatabase(env.PMH_HUB_DATABASE_URL ? { url: env.PMH_HUB_DATABASE_URL } : { dataDir: path.join(dir, 'hub') });
      try {
        const count = async (q: ReturnType<typeof sql>) => Number(((await q.execute(store.db)).rows[0] as any).n);
        assert.equal(await count(sql`select count(*) as n from subjects`), 10_000);
        assert.equal(await count(sql`select count(*) as n from subsidy_certificates`), 10_000);
        assert.equal(await count(sql`select count(*) as n from audit_log where action = 'medical-subsidy.register'`), 10_000);
        assert.equal(await count(sql`select count(distinct detail->>'index') as n from audit_log where action = 'medical-subsidy.register'`), 10_000);
        assert.equal(await count(sql`select count(*) as n from registration_task_chunks where payload is not null`), 0, 'no My Numbers left in the queue');
        const audit = await verifyAudit(store.db);
        assert.ok(audit.ok, JSON.stringify(audit.problems.slice(0, 3)));
      } finally {
        await store.close();
      }
    });
  });
}
