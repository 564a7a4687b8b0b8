import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, freshDatabase, type FreshDatabase, type Database } from '@pmh/core/db/index';
import { generateClientKey, signClientAssertion, TokenClient } from '@pmh/core/auth/index';
import { loadOrCreateKeys, randomIdentifier } from '@pmh/core/crypto/index';
import { linkageKeyRecipient, mintLinkageKey } from '@pmh/core/crypto/linkage-key';
import { verifyAudit } from '@pmh/core/audit/index';
import {
  freePort,
  tempDir,
  Rng,
  childRecord,
  CHILD_PROGRAM,
  INSTITUTION_CODES,
  myNumber,
  runPmh,
  spawnService,
  stopProcess,
  waitFor,
  type HubProcess,
} from '../packages/testkit/src/index.ts';
import { migrationsOf } from '../packages/cli/src/services.ts';

const TASKS = 4;
const PER_TASK = 150;
const QUERIES = 12;

/**
 * A stand-in ID server that answers every issuance request with a PMH-ID and counts, per subject,
 * how many times its request arrived: two hub processes draining one outbox must send each once.
 */
class CountingIdServer {
  readonly received = new Map<string, number>();
  readonly pmhIds = new Map<string, string>();
  url = '';
  private server!: http.Server;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.method === 'POST' && req.url === '/oauth/token') return send(200, { access_token: 'fake', token_type: 'Bearer', expires_in: 600 });
        if (req.method === 'POST' && req.url === '/idserver/v1/pmh-ids/issue') {
          const { requests } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { requests: Array<{ requestId: string }> };
          const results = requests.map(({ requestId }) => {
            this.received.set(requestId, (this.received.get(requestId) ?? 0) + 1);
            if (!this.pmhIds.has(requestId)) this.pmhIds.set(requestId, randomIdentifier('pmh'));
            return { requestId, pmhId: this.pmhIds.get(requestId)! };
          });
          return send(200, { results });
        }
        send(404, { title: 'Not Found', status: 404 });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

describe('several hub processes on one database (pmh serve --workers needs PostgreSQL)', () => {
  it('refuses --workers 2 on PGlite, naming what it needs', { timeout: 120_000 }, () => {
    const dir = tempDir('pmh-workers-');
    try {
      const r = runPmh(['serve', 'hub', '--workers', '2'], { PMH_DATA_DIR: dir, DATABASE_URL: '', PMH_HUB_DATABASE_URL: '' });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /--workers 2 needs PostgreSQL/);
      assert.match(r.stderr, /DATABASE_URL/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const adminUrl = process.env.PMH_TEST_DATABASE_URL;
describe('two hub processes on one PostgreSQL database', { skip: adminUrl ? false : 'PostgreSQL only: set PMH_TEST_DATABASE_URL' }, () => {
  const dir = tempDir('pmh-hubprocs-');
  const procs: HubProcess[] = [];
  const idserver = new CountingIdServer();
  let db: FreshDatabase;
  let store: Database;
  let publicUrl = '';
  const urls: string[] = [];
  let municipality: Awaited<ReturnType<typeof generateClientKey>>;
  let operator: Awaited<ReturnType<typeof generateClientKey>>;
  let oqsKey: Awaited<ReturnType<typeof loadOrCreateKeys>>['signing'];

  before(async () => {
    db = await freshDatabase('hub', await migrationsOf('hub'), { adminUrl });
    await idserver.start();
    // The hub admits OQS by its key file; the test plays OQS with it.
    oqsKey = (await loadOrCreateKeys(path.join(dir, 'keys', 'oqs.json'))).signing;
    municipality = await generateClientKey();
    operator = await generateClientKey();
    const clientsFile = path.join(dir, 'clients.json');
    fs.writeFileSync(
      clientsFile,
      JSON.stringify([
        { clientId: 'operator', role: 'admin', jwks: { keys: [operator.publicJwk] } },
        { clientId: 'm', role: 'municipality:131016', jwks: { keys: [municipality.publicJwk] } },
      ]),
    );
    const ports = [await freePort(), await freePort()];
    // One public URL for both, as behind a load balancer: tokens and linkage keys name it.
    publicUrl = `http://127.0.0.1:${ports[0]}`;
    const env = {
      PMH_DATA_DIR: dir,
      DATABASE_URL: db.options.url!,
      PMH_HUB_PUBLIC_URL: publicUrl,
      PMH_IDSERVER_PUBLIC_URL: idserver.url,
      PMH_PORTAL_PUBLIC_URL: `http://127.0.0.1:${await freePort()}`,
      PMH_OUTBOX_MAX_BACKOFF_MS: '1000',
    };
    const started = await Promise.all(
      ['a', 'b'].map((tag, i) =>
        // Generous: two processes starting together on a loaded machine.
        spawnService(['serve', 'hub', '--port', String(ports[i]), '--clients', clientsFile], { ...env, PMH_PROCESS_ID: tag }, { timeoutMs: 240_000 }),
      ),
    );
    procs.push(...started);
    urls.push(...started.map((p) => p.url));
    store = await openDatabase({ url: db.options.url!, migrations: await migrationsOf('hub') });
  });
  after(async () => {
    for (const p of procs) await stopProcess(p.child, 'SIGKILL');
    await store?.close();
    await idserver.stop();
    await db?.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Token clients of one caller, one per process: both name the shared public URL as audience. */
  const clients = (clientId: string, privateJwk: object) =>
    urls.map((u) => new TokenClient({ baseUrl: u, clientId, privateJwk: privateJwk as never, audience: `${publicUrl}/oauth/token` }));
  const call = async (tokens: TokenClient, url: string, method: string, p: string, body?: unknown) => {
    const res = await fetch(url + p, {
      method,
      headers: { authorization: await tokens.authorization(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const count = async (query: ReturnType<typeof sql>) => Number(((await query.execute(store.db)).rows[0] as { n: string }).n);

  it('shares the work, the replay registers, the key ring, the outbox and the scheduled jobs, with one audit chain per process', {
    timeout: 300_000,
  }, async () => {
    const asMunicipality = clients('m', municipality.privateJwk);
    const asOperator = clients('operator', operator.privateJwk);
    const asOqs = clients('oqs', oqsKey.privateJwk);

    // One client assertion (JWT) to both processes: the second refuses it as a replay.
    const assertion = await signClientAssertion({ clientId: 'm', privateJwk: municipality.privateJwk, audience: `${publicUrl}/oauth/token` });
    const tokenWith = (url: string) =>
      fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'm',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }),
      });
    const once = await tokenWith(urls[0]);
    assert.equal(once.status, 200, await once.text());
    const again = await tokenWith(urls[1]);
    assert.equal(again.status, 401);
    assert.match(JSON.stringify(await again.json()), /used before/);

    // Registration tasks sent to both, alternately.
    const { certificateTypeId, ...program } = CHILD_PROGRAM;
    assert.equal((await call(asMunicipality[1], urls[1], 'PUT', `/municipal/v1/medical-subsidy/programs/${certificateTypeId}`, program)).status, 201);
    const rng = new Rng(1515);
    const taskIds: string[] = [];
    for (let t = 0; t < TASKS; t++) {
      const records = Array.from({ length: PER_TASK }, (_, i) => childRecord(rng, { myNumber: myNumber(rng), municipalityIdentityKey: `P${t}-${i}` }));
      const r = await call(asMunicipality[t % 2], urls[t % 2], 'POST', '/municipal/v1/medical-subsidy/registration-tasks', records);
      assert.equal(r.status, 202, JSON.stringify(r.body));
      taskIds.push(r.body.taskId);
    }
    for (const [t, taskId] of taskIds.entries()) {
      const task = await waitFor(
        `task ${t}`,
        async () => {
          const r = await call(asMunicipality[(t + 1) % 2], urls[(t + 1) % 2], 'GET', `/municipal/v1/registration-tasks/${taskId}`);
          return r.body.status === 'done' && r.body;
        },
        180_000,
      );
      assert.equal(task.succeeded, PER_TASK, JSON.stringify(task.results?.find((x: { errors?: unknown }) => x.errors)));
    }
    // Every record applied once: one subject each, one registration audit row each.
    assert.equal(await count(sql`select count(*) as n from subjects`), TASKS * PER_TASK);
    assert.equal(await count(sql`select count(*) as n from audit_log where purpose = 'registration-task'`), TASKS * PER_TASK);
    assert.equal(await count(sql`select count(*) as n from registration_task_chunks where not done`), 0);

    // The outbox drained, each subject's PMH-ID asked for once.
    await waitFor('the outbox to drain', async () => (await count(sql`select count(*) as n from outbox`)) === 0, 120_000);
    assert.equal(idserver.received.size, TASKS * PER_TASK);
    assert.deepEqual([...new Set(idserver.received.values())], [1], 'no message delivered twice');
    assert.equal(await count(sql`select count(*) as n from subjects where pmh_id is null`), 0);

    // Eligibility queries to both, alternately; the same linkage key again at the other is a replay.
    const query = (i: number, linkageKey: string) =>
      call(asOqs[i % 2], urls[i % 2], 'POST', '/hub/v1/eligibility/queries', { linkageKey, institutionCode: INSTITUTION_CODES[0], asOf: '2025-10-01' });
    const jwksAt = async (i: number) => (await (await fetch(`${urls[i]}/hub/v1/jwks.json`)).json()).keys as Array<{ kid: string; x: string; y: string }>;
    const pmhIds = [...idserver.pmhIds.values()];
    const mint = (kid: { kid: string; x: string; y: string }, i: number) =>
      mintLinkageKey(linkageKeyRecipient(kid), { pmhId: pmhIds[i], issuer: 'oqs', audience: publicUrl });
    const [first] = await jwksAt(0);
    for (let i = 0; i < QUERIES; i++) {
      const key = mint(first, i);
      const r = await query(i, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status, 'eligible');
      const replay = await query(i + 1, key);
      assert.equal(replay.status, 403);
      assert.equal(replay.body.reason, 'replayed');
    }

    // A rotation through one process holds in the other at once: its JWKS leads with the new key,
    // and a linkage key to it is answered there.
    const rotated = await call(asOperator[0], urls[0], 'POST', '/admin/v1/encryption-keys/rotate', { overlapSeconds: 60 });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const [current, previous] = await jwksAt(1);
    assert.equal(current.kid, rotated.body.kid);
    assert.equal(previous.kid, first.kid);
    assert.equal((await query(1, mint(current, 0))).status, 200);
    assert.equal((await query(1, mint(first, 1))).status, 200, 'the previous key is good for its overlap');
    // The overlap ends (as another process's rotation would end it): the process that still holds
    // the old key in memory refuses linkage keys to it from that moment.
    await sql`update encryption_keys set retires_at = now() where kid = ${first.kid}`.execute(store.db);
    for (const i of [0, 1]) {
      const r = await query(i, mint(first, 2 + i));
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.reason, 'unknown-key');
    }

    // The scheduled jobs ran once, though both processes started them.
    assert.deepEqual(
      (await sql<{ name: string; runs: string }>`select name, runs from scheduled_jobs order by name`.execute(store.db)).rows.map((r) => [
        r.name,
        Number(r.runs),
      ]),
      [
        ['vaccination-reminders', 1],
        ['vaccination-retention-purge', 1],
      ],
    );
    assert.equal(await count(sql`select count(*) as n from audit_log where action = 'vaccination.retention.run'`), 1);

    // Each process wrote its own chains; every chain verifies.
    for (const p of procs) await stopProcess(p.child);
    const tags = (await sql<{ tag: string }>`select distinct split_part(stream, '@', 2) as tag from audit_heads order by 1`.execute(store.db)).rows.map(
      (r) => r.tag,
    );
    assert.deepEqual(tags, ['a', 'b']);
    const verified = await verifyAudit(store.db);
    assert.ok(verified.ok, JSON.stringify(verified.problems.slice(0, 5)));
    assert.ok(verified.streams >= 4);
  });
});

describe('pmh serve hub --workers 2 (node:cluster) on one PostgreSQL database', {
  skip: adminUrl ? false : 'PostgreSQL only: set PMH_TEST_DATABASE_URL',
}, () => {
  const dir = tempDir('pmh-workers-pg-');
  let db: FreshDatabase;
  let store: Database;
  let proc: HubProcess;
  let municipality: Awaited<ReturnType<typeof generateClientKey>>;

  before(async () => {
    db = await freshDatabase('hub', await migrationsOf('hub'), { adminUrl });
    municipality = await generateClientKey();
    const clientsFile = path.join(dir, 'clients.json');
    fs.writeFileSync(clientsFile, JSON.stringify([{ clientId: 'm', role: 'municipality:131016', jwks: { keys: [municipality.publicJwk] } }]));
    proc = await spawnService(
      ['serve', 'hub', '--port', String(await freePort()), '--clients', clientsFile, '--workers', '2'],
      { PMH_DATA_DIR: dir, DATABASE_URL: db.options.url! },
      { timeoutMs: 240_000 },
    );
    store = await openDatabase({ url: db.options.url!, migrations: await migrationsOf('hub') });
  });
  after(async () => {
    if (proc) await stopProcess(proc.child);
    await store?.close();
    await db?.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A request on a connection of its own (the cluster hands each new connection to the next worker). */
  const read = (token: string, key: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(`${proc.url}/municipal/v1/subjects/${key}`, { headers: { authorization: token }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
      req.on('error', reject);
      req.end();
    });

  it('answers on one port from two workers, each writing its own audit streams, and starts a killed worker again', { timeout: 600_000 }, async () => {
    const ready = JSON.parse(
      proc
        .output()
        .split('\n')
        .find((l) => l.includes('"event":"ready"'))!,
    );
    assert.equal(ready.workers.length, 2);
    const token = await new TokenClient({ baseUrl: proc.url, clientId: 'm', privateJwk: municipality.privateJwk }).authorization();
    const streams = async () =>
      (await sql<{ stream: string }>`select stream from audit_heads where stream like 'municipality:131016%'`.execute(store.db)).rows.map((r) => r.stream);
    // Unknown subjects: each read is audited (outcome not-found) under the worker that answered.
    await waitFor(
      'reads answered by both workers',
      async () => {
        for (let i = 0; i < 4; i++) assert.equal(await read(token, `W${i}`), 404);
        const tags = new Set((await streams()).map((s) => s.split('@')[1]));
        return tags.has('w1') && tags.has('w2');
      },
      120_000,
    );
    // A worker killed: the primary starts it again, and the port keeps answering.
    process.kill(ready.workers[0], 'SIGKILL');
    await waitFor(
      'the worker started again',
      async () => {
        // A connection handed to the worker as it died may break: asked again.
        const r = await read(token, 'after-kill').catch(() => 0);
        return r === 404 && /starting it again/.test(proc.output());
      },
      240_000,
    );
    const verified = await verifyAudit(store.db);
    assert.ok(verified.ok, JSON.stringify(verified.problems.slice(0, 5)));
  });
});
