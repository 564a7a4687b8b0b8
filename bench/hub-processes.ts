/**
 * Several hub processes on one PostgreSQL database, behind HAProxy on loopback: registration and
 * eligibility with 1 and then 2 `pmh serve hub` processes, in the same run, each on a fresh
 * database, every request through the same HAProxy front (round robin over the processes).
 *
 * - registration: M municipalities (default 4) post tasks of R records each (default 2 tasks of
 *   2,500 per municipality: 20,000 records), timed from the first POST until every task is done.
 *   One municipality's chunks apply in order, so the processes' task workers share the work by
 *   municipality.
 * - eligibility: `POST /hub/v1/eligibility/queries` as OQS, one fresh linkage key per request,
 *   50 connections for PMH_BENCH_SECONDS (default 10) after a warm-up.
 * The PMH-IDs come from a stand-in ID server in this process (it answers issuance and nothing else).
 *
 *   node --import tsx bench/hub-processes.ts
 *   env: PMH_BENCH_DATABASE_URL / PMH_TEST_DATABASE_URL (PostgreSQL admin URL), PMH_BENCH_SECONDS,
 *        PMH_BENCH_MUNICIPALITIES (1-4), PMH_BENCH_TASK_RECORDS, PMH_BENCH_TASKS (per municipality)
 *
 * HAProxy comes from Debian (`apt-get install -y haproxy`, tried when missing and run as root);
 * without it the benchmark says so and exits 0. The machine is shared: it prints its load.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TokenClient, generateClientKey } from '../packages/core/src/auth/index.ts';
import { freshDatabase, type FreshDatabase } from '../packages/core/src/db/index.ts';
import { loadOrCreateKeys, randomIdentifier } from '../packages/core/src/crypto/index.ts';
import { linkageKeyRecipient, mintLinkageKey } from '../packages/core/src/crypto/linkage-key.ts';
import { Rng, childMedicalRecord, CHILD_PROGRAM, myNumber } from '../packages/testkit/src/fixtures.ts';
import { migrationsOf } from '../packages/cli/src/services.ts';
import { load, type LoadFigure } from './eligibility.ts';
import { freePort, log, perSec, rate, secs, sleep, spawnPmh, stop, table, tempDir, type Spawned } from './lib.ts';

const CODES = ['131016', '271004', '011002', '141003'];
const INSTITUTION = '1312345674';
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

interface RunFigures {
  processes: number;
  records: number;
  registrationMs: number;
  eligibility: LoadFigure;
}

/** HAProxy on the path, installing it (Debian, as root) when missing; a reason when it cannot be had. */
function haproxyOrReason(): string | undefined {
  const has = () => spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).status === 0;
  if (has()) return undefined;
  if (process.getuid?.() !== 0) return 'haproxy is not installed (Debian: apt-get install -y haproxy)';
  log('hub-processes: installing haproxy (apt-get)');
  let r = spawnSync('apt-get', ['install', '-y', '-q', 'haproxy'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { encoding: 'utf8' });
    r = spawnSync('apt-get', ['install', '-y', '-q', 'haproxy'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  return has() ? undefined : `apt-get could not install haproxy: ${String(r.stderr).trim().split('\n').slice(-2).join(' / ')}`;
}

/** HAProxy in HTTP mode on `port`, round robin over `backends` (host:port). */
async function startHaproxy(dir: string, port: number, backends: string[]): Promise<ChildProcess> {
  const cfg = path.join(dir, `haproxy-${backends.length}.cfg`);
  fs.writeFileSync(
    cfg,
    [
      'global',
      '    maxconn 4000',
      'defaults',
      '    mode http',
      '    timeout connect 3s',
      '    timeout client 120s',
      '    timeout server 120s',
      '    option http-keep-alive',
      'frontend hub',
      `    bind 127.0.0.1:${port}`,
      '    default_backend hubs',
      'backend hubs',
      '    balance roundrobin',
      ...backends.map((b, i) => `    server hub${i + 1} ${b} maxconn 500`),
      '',
    ].join('\n'),
  );
  const child = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    if (child.exitCode !== null || i > 200) throw new Error('haproxy did not start');
    await sleep(100);
  }
}

/** Answers the hub's issuance requests with PMH-IDs (the ID server's part, and nothing else). */
async function standInIdServer(): Promise<{ url: string; close(): Promise<void> }> {
  const issued = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/oauth/token') return res.end(JSON.stringify({ access_token: 'stand-in', token_type: 'Bearer', expires_in: 600 }));
      const { requests } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { requests: Array<{ requestId: string }> };
      const results = requests.map(({ requestId }) => {
        if (!issued.has(requestId)) issued.set(requestId, randomIdentifier('pmh'));
        return { requestId, pmhId: issued.get(requestId)! };
      });
      res.end(JSON.stringify({ results }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function run(adminUrl: string, processes: number, idserverUrl: string): Promise<RunFigures> {
  const municipalities = CODES.slice(0, Math.max(1, Math.min(CODES.length, Number(process.env.PMH_BENCH_MUNICIPALITIES ?? 4))));
  const perTask = Number(process.env.PMH_BENCH_TASK_RECORDS ?? 2_500);
  const tasks = Number(process.env.PMH_BENCH_TASKS ?? 2);
  const seconds = Number(process.env.PMH_BENCH_SECONDS ?? 10);
  const dir = tempDir('pmh-bench-procs-');
  const procs: Spawned[] = [];
  let haproxy: ChildProcess | undefined;
  let db: FreshDatabase | undefined;
  try {
    db = await freshDatabase('hub', await migrationsOf('hub'), { adminUrl });
    await loadOrCreateKeys(path.join(dir, 'keys', 'hub.json'));
    const oqs = (await loadOrCreateKeys(path.join(dir, 'keys', 'oqs.json'))).signing;
    const clientKeys = await Promise.all(municipalities.map(() => generateClientKey()));
    const clients = path.join(dir, 'clients.json');
    fs.writeFileSync(
      clients,
      JSON.stringify(municipalities.map((code, i) => ({ clientId: `m${code}`, role: `municipality:${code}`, jwks: { keys: [clientKeys[i].publicJwk] } }))),
    );
    const front = await freePort();
    const publicUrl = `http://127.0.0.1:${front}`;
    const ports = await Promise.all(Array.from({ length: processes }, () => freePort()));
    const env = {
      PMH_DATA_DIR: dir,
      DATABASE_URL: db.options.url!,
      PMH_HUB_PUBLIC_URL: publicUrl,
      PMH_IDSERVER_PUBLIC_URL: idserverUrl,
      PMH_PORTAL_PUBLIC_URL: `http://127.0.0.1:${await freePort()}`,
    };
    // Started together, and given long to say ready: on a loaded machine two cold starts take minutes.
    const starting = ports.map((port, i) => spawnPmh(['serve', 'hub', '--port', String(port), '--clients', clients], { ...env, PMH_PROCESS_ID: `p${i + 1}` }));
    procs.push(...starting);
    await Promise.all(starting.map((p) => p.waitForLine((l) => l.includes('"event":"ready"'), 600_000)));
    haproxy = await startHaproxy(
      dir,
      front,
      ports.map((p) => `127.0.0.1:${p}`),
    );
    const tokens = municipalities.map((code, i) => new TokenClient({ baseUrl: publicUrl, clientId: `m${code}`, privateJwk: clientKeys[i].privateJwk }));
    const send = async (t: TokenClient, method: string, p: string, body?: unknown) => {
      const res = await fetch(publicUrl + p, {
        method,
        headers: { authorization: await t.authorization(), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text);
    };
    const { certificateTypeId, ...program } = CHILD_PROGRAM;
    for (const t of tokens) await send(t, 'PUT', `/municipal/v1/medical-subsidy/programs/${certificateTypeId}`, program);

    // Registration: every municipality's tasks, prepared first, then posted together.
    const rng = new Rng(777 + processes);
    const bodies = municipalities.map((_, m) =>
      Array.from({ length: tasks }, (_, t) =>
        Array.from({ length: perTask }, (_, i) =>
          childMedicalRecord(rng, { myNumber: myNumber(rng), municipalityIdentityKey: `B${m}-${t}-${i}`, validFrom: '2026-04-01', validTo: '2027-03-31' }),
        ),
      ),
    );
    const records = municipalities.length * tasks * perTask;
    log(`hub-processes: ${processes} process(es): registering ${records.toLocaleString('en-US')} records of ${municipalities.length} municipalities`);
    const t0 = performance.now();
    const ids = await Promise.all(
      tokens.map(async (t, m) => {
        const out: string[] = [];
        for (const body of bodies[m]) out.push((await send(t, 'POST', '/municipal/v1/medical-subsidy/registration-tasks', body)).taskId);
        return out.map((id) => ({ t, id }));
      }),
    );
    for (const { t, id } of ids.flat())
      for (;;) {
        const task = await send(t, 'GET', `/municipal/v1/registration-tasks/${id}`);
        if (task.status === 'done') break;
        await sleep(50);
      }
    const registrationMs = performance.now() - t0;
    log(`hub-processes: ${processes} process(es): registration ${perSec(rate(records, registrationMs))} (${secs(registrationMs)})`);

    // Eligibility: wait for the PMH-IDs, then one fresh linkage key per request.
    const pool = new pg.Pool({ connectionString: db.options.url, max: 1 });
    let pmhIds: string[] = [];
    try {
      for (const t1 = Date.now(); ; await sleep(200)) {
        pmhIds = (await pool.query('select pmh_id from subjects where pmh_id is not null')).rows.map((r) => r.pmh_id as string);
        if (pmhIds.length >= records) break;
        if (Date.now() - t1 > 300_000) throw new Error(`only ${pmhIds.length} of ${records} PMH-IDs after 5 min`);
      }
    } finally {
      await pool.end();
    }
    const jwks = (await (await fetch(`${publicUrl}/hub/v1/jwks.json`)).json()) as { keys: Array<{ kid: string; x: string; y: string }> };
    const recipient = linkageKeyRecipient(jwks.keys[0]);
    // Each body minted when autocannon asks for it (a key lives 60 s: minted ahead on a loaded
    // machine, the last would expire before they are sent). Its cost shows as the load generator's CPU.
    let k = 0;
    const nextBody = () =>
      JSON.stringify({
        linkageKey: mintLinkageKey(recipient, { pmhId: pmhIds[k++ % pmhIds.length], issuer: 'oqs', audience: publicUrl }),
        institutionCode: INSTITUTION,
        asOf: '2026-06-01',
      });
    const asOqs = new TokenClient({ baseUrl: publicUrl, clientId: 'oqs', privateJwk: oqs.privateJwk });
    const eligibility = await load(
      `${processes} hub process(es) behind HAProxy`,
      `${publicUrl}/hub/v1/eligibility/queries`,
      { authorization: await asOqs.authorization() },
      nextBody,
      seconds,
      Object.fromEntries(procs.map((p, i) => [`hub p${i + 1}`, p.pid])),
    );
    return { processes, records, registrationMs, eligibility };
  } finally {
    haproxy?.kill('SIGTERM');
    for (const p of procs) await stop(p);
    await db?.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const adminUrl = process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL ?? DEFAULT_PG_URL;
  const reason = haproxyOrReason();
  if (reason) {
    log(`hub-processes: skipped — ${reason}`);
    return 0;
  }
  const loadText = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  log(`hub-processes: ${os.cpus().length} CPU(s), load ${loadText()} (uptime's 1, 5, 15 min)`);
  const idserver = await standInIdServer();
  const results: RunFigures[] = [];
  try {
    for (const n of [1, 2]) results.push(await run(adminUrl, n, idserver.url));
  } finally {
    await idserver.close();
  }
  log(`hub-processes: load after the runs ${loadText()}`);
  process.stdout.write(
    table(
      ['hub processes', 'registration', 'eligibility req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
      results.map((r) => [
        String(r.processes),
        `${perSec(rate(r.records, r.registrationMs))} (${r.records.toLocaleString('en-US')} in ${secs(r.registrationMs)})`,
        Math.round(r.eligibility.requestsPerSecond).toLocaleString('en-US'),
        String(r.eligibility.p50),
        String(r.eligibility.p99),
        String(r.eligibility.non2xx),
        String(r.eligibility.errors),
      ]),
    ) + '\n',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`hub-processes: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
