import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hubApi, oqsApi, operatorApi } from '@pmh/protocol';
import { callAs } from '../packages/testkit/src/http.ts';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { verifyAudit } from '@pmh/core/audit/index';
import {
  World,
  Rng,
  myNumber,
  freePort,
  tempDir,
  spawnService,
  stopProcess,
  runPmh,
  startPrivatePostgres,
  privatePostgresUnavailable,
  OutageRecord,
  probeCallers,
  sampleBacklog,
  registrationLoad,
  defineLoadPrograms,
  type PrivatePostgres,
  type HubProcess,
  type ServiceName,
} from '../packages/testkit/src/index.ts';

/**
 * Issue 10: a database that goes away. PostgreSQL is restarted, stopped and its backends cut
 * while the services work; no process ends, callers are answered 503 with Retry-After, and when the
 * database is back everything resumes: nothing lost, nothing doubled, audit chains intact.
 *
 * PostgreSQL only, on a server of the test's own (`startPrivatePostgres`, a free port in a temporary
 * directory): other test runs share the machine's cluster, which is never restarted.
 */
const skip = !process.env.PMH_TEST_DATABASE_URL
  ? 'PostgreSQL only (set PMH_TEST_DATABASE_URL): PGlite is embedded in the process and cannot go away'
  : privatePostgresUnavailable();

const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];

async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** The answer is a 503 problem with Retry-After. */
function assertUnavailable(res: Response, body: any, what: string): void {
  assert.equal(res.status, 503, `${what}: ${JSON.stringify(body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
  assert.match(res.headers.get('retry-after') ?? '', /^\d+$/, `${what} says when to try again`);
  assert.equal(body.status, 503);
}

describe('a database that goes away (PostgreSQL)', { skip }, () => {
  let server: PrivatePostgres;
  before(async () => {
    server = await startPrivatePostgres();
  });
  after(async () => {
    await server?.close();
  });

  it('a service starts while its database is down, answers 503 meanwhile, and is migrated and ready when it returns', { timeout: 180_000 }, async () => {
    const dir = tempDir('pmh-late-');
    const url = new URL(server.adminUrl);
    url.pathname = '/pmh_late_hub';
    await adminQuery(server.adminUrl, 'create database pmh_late_hub');
    const operator = await generateClientKey();
    fs.mkdirSync(path.join(dir, 'demo'), { recursive: true });
    // `pmh status` and `pmh retry` act as the operator of demo/operator.json.
    fs.writeFileSync(path.join(dir, 'demo', 'operator.json'), JSON.stringify({ clientId: 'operator', privateJwk: operator.privateJwk }));
    const clients = path.join(dir, 'clients.json');
    fs.writeFileSync(clients, JSON.stringify([{ clientId: 'operator', role: 'admin', jwks: { keys: [operator.publicJwk] } }]));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // The other services are not running here: `pmh status` calls them unreachable, which is true.
    const env = {
      PMH_DATA_DIR: dir,
      DATABASE_URL: url.toString(),
      PMH_HUB_PORT: String(port),
      PMH_HUB_PUBLIC_URL: base,
      PMH_IDSERVER_PORT: String(await freePort()),
      PMH_OQS_PORT: String(await freePort()),
      PMH_PORTAL_PORT: String(await freePort()),
    };
    let hub: HubProcess | undefined;
    try {
      await server.stop();
      hub = await spawnService(['serve', 'hub', '--port', String(port), '--clients', clients], env);
      const readyLine = JSON.parse(
        hub
          .output()
          .split('\n')
          .find((l) => l.includes('"event":"ready"'))!,
      );
      assert.equal(readyLine.databaseReady, false);

      assert.equal((await fetch(`${base}/healthz`)).status, 200, 'alive');
      const readyz = await fetch(`${base}/readyz`);
      const readyBody = (await readyz.json()) as any;
      assertUnavailable(readyz, readyBody, '/readyz');
      assert.deepEqual(readyBody.dependencies, { database: 'unreachable' }, 'readyz names the dependency');
      const subject = await fetch(`${base}/municipal/v1/subjects/X1`, { headers: { authorization: 'Bearer x' } });
      assertUnavailable(subject, await subject.json(), 'an API route');
      const token = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      assertUnavailable(token, await token.json(), 'the token endpoint');
      assert.equal((await fetch(`${base}/openapi.json`)).status, 200, 'what needs no database answers');

      // The operator's CLI: the hub is running, not ready, and why; not "unreachable".
      const st = runPmh(['status'], env);
      assert.equal(st.status, 1);
      assert.match(st.stdout, /^hub +running at \S+, not ready: database unreachable/m);

      await server.start();
      await until('the hub ready', async () => (await fetch(`${base}/readyz`)).status === 200);
      const migrated = new pg.Client({ connectionString: url.toString() });
      await migrated.connect();
      try {
        assert.ok(Number((await migrated.query('select count(*) as n from schema_migrations')).rows[0].n) > 5, 'migrations ran when the database came back');
        // A lease left behind by a hub process that stopped mid-delivery 10 s ago (leases last 60 s).
        await migrated.query(
          `insert into outbox (kind, dedupe_key, payload, locked_until) values ('idserver-issue', 'left-behind', '{"subjectId":"00000000-0000-4000-8000-000000000000"}', now() + interval '50 seconds')`,
        );
      } finally {
        await migrated.end();
      }
      const asOperator = new TokenClient({ baseUrl: base, clientId: 'operator', privateJwk: operator.privateJwk });
      const status = async () =>
        (await (await fetch(`${base}/admin/v1/status`, { headers: { authorization: await asOperator.authorization() } })).json()) as any;
      const issue = (s: any) => s.pipelines.find((p: any) => p.name === 'idserver-issue');
      assert.equal(issue(await status()).stuck, 1, 'the left-behind lease is stuck');
      assert.match(runPmh(['status'], env).stdout, /^hub +idserver-issue +pending +1 .*stuck 1 \(pmh retry frees them\)/m);
      const retried = runPmh(['retry', 'hub'], env);
      assert.match(retried.stdout, /^hub: 1 deliveries re-driven/m, retried.stdout + retried.stderr);
      assert.equal(issue(await status()).stuck, 0, 'pmh retry freed it');

      // Backends cut under the process, again and again, while requests use them: it lives on.
      for (let i = 0; i < 5; i++) {
        const requests = Array.from({ length: 5 }, () =>
          new TokenClient({ baseUrl: base, clientId: 'operator', privateJwk: operator.privateJwk }).token().catch(() => undefined),
        );
        await server.terminateBackends(['pmh_late_hub']);
        await Promise.all(requests);
      }
      await until('the hub ready again', async () => (await fetch(`${base}/readyz`)).status === 200);
      assert.equal(hub.child.exitCode, null, `the hub process is alive: ${hub.output().slice(-2000)}`);
      assert.equal((await status()).service, 'hub');
    } finally {
      if (hub) await stopProcess(hub.child);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restarts and cut backends under a registration and federation load: no process ends, callers get 503, nothing lost or doubled', {
    timeout: 600_000,
  }, async (t) => {
    const N = 400;
    const w = await World.start({ backend: 'postgres', adminUrl: server.adminUrl, services: SERVICES, outbox: { leaseMs: 600_000 } });
    const rec = new OutageRecord();
    try {
      await defineLoadPrograms(w);
      const rng = new Rng(1010);
      const people = await w.enrol(Array.from({ length: N }, () => myNumber(rng)));
      // Every caller takes its token now, as a running system holds one before any fault.
      for (const s of SERVICES) await callAs(w, w.operator, operatorApi.status, {}, s);
      for (const code of ['131016', '271004'])
        await callAs(w, w.municipality(code), hubApi.municipal.getSubject, { params: { municipalityIdentityKey: 'none' } });
      await callAs(w, w.clinic(), oqsApi.issueCardChallenge, {});
      const stopProbes = probeCallers(w, rec, 'O0');
      const stopSampling = sampleBacklog(w, rec);
      const loadDone = registrationLoad(w, rec, rng, people, { taskSize: 20, intervalMs: 400 });

      await new Promise((r) => setTimeout(r, 1500));
      // Fault 1: every backend of every service cut, three times in a row.
      const cut = rec.fault('backends terminated (3 times)');
      for (let i = 0; i < 3; i++) {
        await server.terminateBackends();
        await new Promise((r) => setTimeout(r, 300));
      }
      cut.backAt = Date.now();
      await new Promise((r) => setTimeout(r, 2000));
      // Fault 2: PostgreSQL restarted (fast shutdown: sessions end with 57P01), down 3 s.
      const restart = rec.fault('PostgreSQL stopped for 3 s and started');
      await server.stop();
      await new Promise((r) => setTimeout(r, 3000));
      await server.start();
      restart.backAt = Date.now();

      const tasks = await loadDone;
      await new Promise((r) => setTimeout(r, 1500));
      // Fault 3: an immediate stop (as a crash would), down 1 s, under the federation still running.
      const crash = rec.fault('PostgreSQL stopped immediately for 1 s and started');
      await server.stop('immediate');
      await new Promise((r) => setTimeout(r, 1000));
      await server.start();
      crash.backAt = Date.now();

      // Everything settles: every service sees its database again, every task applied, every subject
      // linked, every outbox empty.
      for (const s of SERVICES)
        await w.until(`${s} sees its database again`, async () => {
          const r = await callAs(w, w.operator, operatorApi.status, {}, s);
          return r.status === 200 && r.body.database.reachable;
        });
      const count = async (s: ServiceName, q: ReturnType<typeof sql>) => Number(((await q.execute(w.service(s).database.db)).rows[0] as { n: string }).n);
      await w.until(
        'every task done',
        async () => (await count('hub', sql`select count(*) as n from registration_tasks where status <> 'done'`)) === 0,
        240_000,
      );
      await w.until(
        'every subject linked and every outbox empty',
        async () => {
          if ((await count('hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) < N) return false;
          for (const s of SERVICES) if ((await count(s, sql`select count(*) as n from outbox`)) > 0) return false;
          return true;
        },
        240_000,
      );
      await stopProbes();
      await stopSampling();

      // Nothing lost, nothing doubled.
      assert.equal(tasks.length, N / 20, 'every task accepted once (retried with its Idempotency-Key)');
      assert.equal(await count('hub', sql`select count(*) as n from registration_tasks`), N / 20);
      assert.equal(await count('hub', sql`select coalesce(sum(succeeded), 0) as n from registration_tasks`), N);
      assert.equal(await count('hub', sql`select coalesce(sum(failed), 0) as n from registration_tasks`), 0);
      assert.equal(await count('hub', sql`select coalesce(sum(attempts), 0) as n from registration_task_chunks`), 0, 'an outage is no attempt of a chunk');
      assert.equal(await count('hub', sql`select count(*) as n from subjects`), N);
      assert.equal(await count('hub', sql`select count(distinct pmh_id) as n from subjects`), N);
      assert.equal(await count('hub', sql`select count(*) as n from pmh_links`), N);
      assert.equal(await count('idserver', sql`select count(*) as n from persons where pmh_id is not null`), N);
      assert.equal(await count('oqs', sql`select count(*) as n from insured where pmh_id is not null`), N);
      assert.equal(await count('portal', sql`select count(distinct pmh_pseudonym) as n from accounts where pmh_pseudonym is not null`), N);
      assert.equal(await count('portal', sql`select count(*) as n from accounts where pmh_id_sealed is not null`), 0);
      for (const s of SERVICES) {
        const audit = await verifyAudit(w.service(s).database.db);
        assert.ok(audit.ok, `${s} audit chain intact: ${JSON.stringify(audit.problems.slice(0, 2))}`);
      }

      // What callers saw: answers or 503 problem+json with Retry-After; never a 500, never silence.
      const bad = rec.seen.filter((s) => s.status === 0 || (s.status >= 500 && !(s.status === 503 && s.problemJson && s.retryAfter)));
      assert.deepEqual(bad.slice(0, 5), [], `${bad.length} answers were neither an answer nor a 503 with Retry-After`);
      assert.ok(
        rec.seen.some((s) => s.status === 503 && s.who === 'hub token'),
        'the token endpoint answered 503 while the database was away',
      );
      assert.ok(
        rec.backlog.some((b) => !b.databaseReachable),
        "the operator's status answered while the database was away",
      );
      // Once the database is back, no message waited for a lease to run out: stuck leases none.
      assert.equal(rec.backlog.filter((b) => b.stuck > 0).length, 0);

      // The log: each outage once when it starts and once when it ends, per service; no error lines.
      for (const s of SERVICES) {
        const lines = w.logs.lines.filter((l) => l.includes(`"service":"${s}"`));
        const outages = w.service(s).database.health.view().outages;
        assert.ok(outages >= 2, `${s} saw the two stops`);
        assert.equal(lines.filter((l) => l.includes('"msg":"database unreachable')).length, outages, `${s}: one line per outage`);
        assert.equal(lines.filter((l) => l.includes('"msg":"database reachable again"')).length, outages);
        assert.deepEqual(
          lines.filter((l) => /"level":(50|60)/.test(l)).map((l) => l.slice(0, 300)),
          [],
          `${s} logged no error`,
        );
      }

      for (const r of rec.report())
        t.diagnostic(`${r.fault}: first success after the return (s) ${JSON.stringify(r.recovery)}; statuses until then ${JSON.stringify(r.statuses)}`);
    } finally {
      await w.stop();
    }
  });
});

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; !(await check().catch(() => false)); i++) {
    assert.ok(i < 1200, `timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
