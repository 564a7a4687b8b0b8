import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, freshDatabase, type FreshDatabase, type Database } from '@pmh/core/db/index';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { ApiClient, hubApi, type MedicalSubsidyRecord } from '@pmh/protocol';
import { backends, freePort, tempDir, Rng, childRecord, CHILD_PROGRAM, spawnService, stopProcess, runPmh } from '../../testkit/src/index.ts';
import { hubMigrations } from '../src/index.ts';

/**
 * `pmh audit verify` as an operator runs it: against the hub's store, after the hub wrote real
 * audit rows through its API. An attacker with database access edits or deletes a row; the
 * command says so and exits 1.
 */
for (const backend of backends()) {
  describe(`pmh audit verify (${backend})`, () => {
    const dir = tempDir('pmh-audit-');
    const env: Record<string, string> = { PMH_DATA_DIR: dir };
    let pgdb: FreshDatabase | undefined;
    const open = (): Promise<Database> => openDatabase(env.PMH_HUB_DATABASE_URL ? { url: env.PMH_HUB_DATABASE_URL } : { dataDir: path.join(dir, 'hub') });
    /** Tampering, done as a superuser would: with the append-only triggers switched off. */
    const tamper = async (statement: ReturnType<typeof sql>) => {
      const d = await open();
      try {
        await sql`alter table audit_log disable trigger user`.execute(d.db);
        await statement.execute(d.db);
        await sql`alter table audit_log enable trigger user`.execute(d.db);
      } finally {
        await d.close();
      }
    };

    before(async () => {
      if (backend === 'postgres') {
        pgdb = await freshDatabase('hub', hubMigrations, { adminUrl: process.env.PMH_TEST_DATABASE_URL });
        env.PMH_HUB_DATABASE_URL = pgdb.options.url!;
      }
      const key = await generateClientKey();
      const clientsFile = path.join(dir, 'clients.json');
      fs.writeFileSync(clientsFile, JSON.stringify([{ clientId: 'm', role: 'municipality:131016', jwks: { keys: [key.publicJwk] } }]));
      const port = await freePort();
      env.PMH_HUB_PUBLIC_URL = `http://127.0.0.1:${port}`;
      const hub = await spawnService(['serve', 'hub', '--port', String(port), '--clients', clientsFile], env);
      try {
        const tokens = new TokenClient({ baseUrl: hub.url, clientId: 'm', privateJwk: key.privateJwk });
        const api = new ApiClient(hub.url, { authorization: () => tokens.authorization() });
        const { certificateTypeId, ...program } = CHILD_PROGRAM;
        await api.ok(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program });
        const rng = new Rng(77);
        const { taskId } = await api.ok(hubApi.municipal.registerMedicalSubsidy, {
          body: Array.from({ length: 40 }, () => childRecord(rng)) as MedicalSubsidyRecord[],
        });
        for (let i = 0; i < 600; i++) {
          if ((await api.ok(hubApi.municipal.getTask, { params: { taskId } })).status === 'done') break;
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await stopProcess(hub.child);
      }
    });
    after(async () => {
      await pgdb?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('reports an intact log and exits 0', () => {
      const r = runPmh(['audit', 'verify', 'hub'], env);
      assert.equal(r.status, 0, r.stderr);
      // The 40 registrations, and whatever the hub's own scheduled jobs audited meanwhile (a retention-purge run).
      const m = /(\d+) rows in \d+ streams — intact/.exec(r.stdout);
      assert.ok(m && Number(m[1]) >= 40, r.stdout);
    });

    it('finds an edited row and exits 1', async () => {
      await tamper(
        sql`update audit_log set outcome = 'denied' where seq = 2 and stream = (select stream from audit_log group by stream having count(*) >= 2 order by stream limit 1)`,
      );
      const r = runPmh(['audit', 'verify', 'hub'], env);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /hash-mismatch: stream \S+ seq 2/);
      await tamper(
        sql`update audit_log set outcome = 'ok' where seq = 2 and stream = (select stream from audit_log group by stream having count(*) >= 2 order by stream limit 1)`,
      );
      assert.equal(runPmh(['audit', 'verify', 'hub'], env).status, 0, 'restored');
    });

    it('finds a deleted row and exits 1', async () => {
      await tamper(
        sql`delete from audit_log where seq = 1 and stream = (select stream from audit_log group by stream having count(*) >= 2 order by stream limit 1)`,
      );
      const r = runPmh(['audit', 'verify', 'hub'], env);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /(gap|chain-break): stream \S+ seq 1/);
    });
  });
}
