/**
 * Registration throughput: N records (default 100,000 = 10 tasks of 10,000, the API's limit per
 * task) posted back to back to a hub running as its own process, timed from the first POST until
 * every task is done; beside it the ceiling measured in the same run on the same database — a bare
 * multi-row INSERT of the same rows into `subjects` — and the hub's peak RSS (VmHWM).
 *
 *   node --import tsx bench/registration.ts        (PMH_BENCH_RECORDS=20000 for a quick run)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDatabase, freshDatabase, type FreshDatabase } from '@pmh/core/db/index';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { FieldCipher, generateDataKeys } from '@pmh/core/crypto/index';
import { hubMigrations } from '@pmh/hub/migrations/index';
import { ApiClient, JsonBody, hubApi, type MedicalSubsidyRecord, type TaskView } from '@pmh/protocol';
import { Rng, childMedicalRecord, CHILD_PROGRAM } from '@pmh/testkit/fixtures';
import { freePort, int, log, mb, memorySampler, peakRss, resetPeakRss, perSec, rate, secs, sleep, spawnService, stop, table, tempDir } from './lib.ts';

/** The API's limit per task. */
const MAX_TASK_RECORDS = 10_000;
const CODE = '131016';
/** The ceiling's rows go to a municipality the hub never saw, so they cannot conflict. */
const CEILING_CODE = '999999';
const CEILING_ROWS_PER_STATEMENT = 1_000;
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export type Backend = 'pglite' | 'postgres';

export interface RegistrationResult {
  backend: Backend;
  records: number;
  tasks: number;
  /** First POST → last POST answered 202. */
  acceptMs: number;
  /** First POST → every task done. */
  hubMs: number;
  hubRate: number;
  /** The hub process's VmHWM over its whole life (start-up included), bytes. */
  hubPeakRss?: number;
  /** The hub's peak RSS from the first POST to the last task done (VmHWM reset before posting), bytes. */
  hubRunPeakRss?: number;
  ceilingMs: number;
  ceilingRate: number;
  /** hubRate / ceilingRate. */
  ratio: number;
}

export interface Skipped {
  backend: Backend;
  skipped: string;
}

export function benchRecords(): number {
  const n = Number(process.env.PMH_BENCH_RECORDS ?? 100_000);
  if (!Number.isInteger(n) || n < 1) throw new Error(`PMH_BENCH_RECORDS must be a positive integer, not ${process.env.PMH_BENCH_RECORDS}`);
  return n;
}

/** The PostgreSQL admin URL to use, or why PostgreSQL is skipped. Explicitly configured but unreachable is an error. */
async function postgresUrl(): Promise<{ url: string } | { skip: string }> {
  const explicit = process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL;
  const url = explicit ?? DEFAULT_PG_URL;
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.query('select 1');
    return { url };
  } catch (e) {
    if (explicit) throw new Error(`PostgreSQL at ${redact(url)} (PMH_BENCH_DATABASE_URL / PMH_TEST_DATABASE_URL) does not answer: ${(e as Error).message}`);
    return { skip: `no PostgreSQL at ${redact(url)} (${(e as Error).message}); set PMH_BENCH_DATABASE_URL to bench it` };
  } finally {
    await c.end().catch(() => {});
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** The records, as the municipality would send them: unique keys (and My Numbers), split into tasks. */
function buildRecords(n: number): MedicalSubsidyRecord[] {
  const rng = new Rng(20250401);
  const seen = new Set<string>();
  const out: MedicalSubsidyRecord[] = [];
  for (let i = 0; i < n; i++) {
    let r: MedicalSubsidyRecord;
    do r = childMedicalRecord(rng, { municipalityIdentityKey: `B${String(i).padStart(9, '0')}` });
    while (seen.has(r.myNumber));
    seen.add(r.myNumber);
    out.push(r);
  }
  return out;
}

function splitTasks<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += MAX_TASK_RECORDS) out.push(xs.slice(i, i + MAX_TASK_RECORDS));
  return out;
}

/** Runs the hub part against a fresh store; returns timing, then the caller measures the ceiling. */
async function benchHub(
  backend: Backend,
  dir: string,
  env: Record<string, string | undefined>,
  records: MedicalSubsidyRecord[],
): Promise<Pick<RegistrationResult, 'acceptMs' | 'hubMs' | 'hubPeakRss' | 'hubRunPeakRss' | 'tasks'>> {
  const key = await generateClientKey();
  const clientsFile = path.join(dir, 'clients.json');
  fs.writeFileSync(clientsFile, JSON.stringify([{ clientId: 'bench', role: `municipality:${CODE}`, jwks: { keys: [key.publicJwk] } }]));
  const port = await freePort();
  log(`${backend}: starting the hub (pmh serve hub --port ${port})`);
  const hub = await spawnService(['serve', 'hub', '--port', String(port), '--clients', clientsFile], {
    ...env,
    PMH_HUB_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PMH_LOG_LEVEL: 'warn',
  });
  const mem = memorySampler(hub.pid, 200);
  try {
    log(`${backend}: hub ready at ${hub.url} (pid ${hub.pid}, ${mb(peakRss(hub.pid))} peak RSS so far)`);
    const tokens = new TokenClient({ baseUrl: hub.url, clientId: 'bench', privateJwk: key.privateJwk });
    const auth = await tokens.authorization();
    const api = new ApiClient(hub.url, { authorization: async () => auth, timeoutMs: 600_000 });
    const task = (taskId: string) => api.call(hubApi.municipal.getTask, { params: { taskId } });

    const { certificateTypeId, ...program } = CHILD_PROGRAM;
    const defined = await api.call(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program });
    if (defined.status !== 200 && defined.status !== 201)
      throw new Error(`${backend}: defining the programme answered ${defined.status}: ${JSON.stringify(defined.body)}`);

    // Every request body is ready before the clock starts.
    const bodies = splitTasks(records).map((t) => JsonBody.of(t));
    const totals = splitTasks(records).map((t) => t.length);
    log(
      `${backend}: ${bodies.length} request bodies ready (${int(records.length)} records, ${mb(bodies.reduce((n, b) => n + Buffer.byteLength(b.text), 0))} of JSON); posting`,
    );
    // The start-up peak (PGlite's initdb is the big one) is kept; the run's own peak is measured from here.
    const startupPeak = peakRss(hub.pid);
    const canReset = resetPeakRss(hub.pid);

    const t0 = performance.now();
    const taskIds: string[] = [];
    for (const [i, body] of bodies.entries()) {
      const r = await api.call(hubApi.municipal.registerMedicalSubsidy, { body });
      if (r.status !== 202) throw new Error(`${backend}: task ${i + 1} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`);
      taskIds.push(r.body.taskId);
    }
    const acceptMs = performance.now() - t0;
    log(`${backend}: ${taskIds.length} tasks accepted in ${secs(acceptMs)}; waiting for them to be done`);

    // One municipality's chunks apply in the order they were accepted, so the last task finishes
    // last: poll it alone (cheap), then confirm every task.
    const pending = new Set(taskIds);
    const views = new Map<string, TaskView>();
    let lastReport = performance.now();
    // Progress (every 5 s only): tasks finish in order, so done = the finished tasks before the first
    // unfinished one, plus that one's count. Each finished task is fetched once.
    let cursor = 0;
    const recordsDone = async () => {
      while (cursor < taskIds.length) {
        const id = taskIds[cursor];
        let v = views.get(id);
        if (!v) {
          const got = await task(id);
          if (got.status !== 200) throw new Error(`${backend}: GET task answered ${got.status}`);
          v = got.body;
        }
        if (v.status !== 'done' && v.status !== 'failed') return totals.slice(0, cursor).reduce((a, b) => a + b, 0) + (v.succeeded ?? 0) + (v.failed ?? 0);
        views.set(id, v);
        cursor++;
      }
      return records.length;
    };
    const deadline = performance.now() + 30 * 60_000;
    while (pending.size) {
      const id = [...pending].at(-1)!;
      const t = await task(id);
      if (t.status !== 200) throw new Error(`${backend}: GET task answered ${t.status}: ${JSON.stringify(t.body).slice(0, 500)}`);
      if (t.body.status === 'done' || t.body.status === 'failed') {
        views.set(id, t.body);
        pending.delete(id);
        // Confirm the others (normally all done by now).
        for (const other of [...pending]) {
          if (views.has(other)) {
            pending.delete(other); // seen done by the progress report
            continue;
          }
          const o = await task(other);
          if (o.status === 200 && (o.body.status === 'done' || o.body.status === 'failed')) {
            views.set(other, o.body);
            pending.delete(other);
          }
        }
        continue;
      }
      if (performance.now() > deadline) throw new Error(`${backend}: tasks not done after 30 minutes`);
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        log(
          `${backend}:   … ${int(await recordsDone())} of ${int(records.length)} records done after ${secs(performance.now() - t0)} (hub RSS peak so far ${mb(mem.peak())})`,
        );
      }
      await sleep(100);
    }
    const hubMs = performance.now() - t0;
    mem.sample();
    const hwm = peakRss(hub.pid);
    const hubRunPeakRss = canReset ? hwm : undefined;
    const hubPeakRss = Math.max(startupPeak ?? 0, hwm ?? 0, mem.peak()) || undefined;
    log(
      `${backend}: all tasks done in ${secs(hubMs)} → ${int(rate(records.length, hubMs))} records/s; ` +
        `hub peak RSS ${mb(hubPeakRss)} (start-up ${mb(startupPeak)}, during the run ${canReset ? mb(hubRunPeakRss) : 'n/a: cannot reset VmHWM'})`,
    );

    // Every record succeeded, or the figure means nothing.
    for (const [i, id] of taskIds.entries()) {
      const v = views.get(id)!;
      const failedResults = (v.results ?? []).filter((r: any) => r.outcome === 'failed');
      if (v.status !== 'done' || v.total !== totals[i] || v.succeeded !== totals[i] || v.failed !== 0 || v.results?.length !== totals[i]) {
        throw new Error(
          `${backend}: task ${i + 1} (${id}) ended ${v.status} with ${v.succeeded}/${v.total} succeeded, ${v.failed} failed, ` +
            `${v.results?.length} results; first failures: ${JSON.stringify(failedResults.slice(0, 3))}`,
        );
      }
    }
    log(`${backend}: checked — every task done, ${int(records.length)}/${int(records.length)} records succeeded`);
    return { acceptMs, hubMs, hubPeakRss, hubRunPeakRss, tasks: taskIds.length };
  } finally {
    mem.stop();
    log(`${backend}: stopping the hub`);
    await stop(hub, 'SIGTERM');
  }
}

/** The same rows as a bare multi-row INSERT: the most the database takes through this driver. */
async function benchCeiling(backend: Backend, options: { url?: string; dataDir?: string }, records: Record<string, any>[]): Promise<number> {
  // Everything computed before the clock: real AES-GCM ciphertexts and HMAC indexes (their real length).
  const cipher = new FieldCipher(generateDataKeys());
  const columns = [
    'id',
    'municipality_code',
    'municipality_identity_key',
    'my_number_enc',
    'my_number_bidx',
    'name',
    'name_kana',
    'address',
    'date_of_birth',
    'sex',
    'is_not_disclosed',
  ];
  const statements: Array<{ text: string; values: unknown[] }> = [];
  for (let i = 0; i < records.length; i += CEILING_ROWS_PER_STATEMENT) {
    const batch = records.slice(i, i + CEILING_ROWS_PER_STATEMENT);
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const [j, r] of batch.entries()) {
      const b = r.basicFiveInfo;
      const id = crypto.randomUUID();
      values.push(
        id,
        CEILING_CODE,
        `C${String(i + j).padStart(9, '0')}`,
        cipher.encrypt(r.myNumber, { column: 'subjects.my_number', row: id }),
        cipher.blindIndex(r.myNumber, 'subjects.my_number'),
        b.name,
        b.nameKana,
        b.address,
        b.dateOfBirth,
        b.sex,
        r.isNotDisclosed === '1',
      );
      const base = j * columns.length;
      tuples.push(`(${columns.map((_, k) => `$${base + k + 1}`).join(',')})`);
    }
    statements.push({ text: `insert into subjects (${columns.join(', ')}) values ${tuples.join(',')}`, values });
  }

  const d = await openDatabase(options);
  try {
    const client = await d.pool.connect();
    try {
      log(`${backend}: ceiling — ${statements.length} statements of ≤ ${CEILING_ROWS_PER_STATEMENT} rows ready; inserting`);
      const t0 = performance.now();
      for (const s of statements) {
        await client.query('begin');
        await client.query(s.text, s.values);
        await client.query('commit');
      }
      const ms = performance.now() - t0;
      const n = Number((await client.query('select count(*) as n from subjects where municipality_code = $1', [CEILING_CODE])).rows[0].n);
      if (n !== records.length) throw new Error(`${backend}: ceiling inserted ${n} rows, expected ${records.length}`);
      log(`${backend}: ceiling — ${int(records.length)} rows in ${secs(ms)} → ${perSec(rate(records.length, ms))}`);
      return ms;
    } finally {
      client.release();
    }
  } finally {
    await d.close();
  }
}

async function benchBackend(backend: Backend, adminUrl: string | undefined, records: MedicalSubsidyRecord[]): Promise<RegistrationResult> {
  const dir = tempDir(`pmh-bench-${backend}-`);
  let db: FreshDatabase | undefined;
  try {
    const env: Record<string, string | undefined> = { PMH_DATA_DIR: dir, PMH_HUB_DATABASE_URL: undefined, DATABASE_URL: undefined };
    if (backend === 'postgres') {
      db = await freshDatabase('hub', hubMigrations, { adminUrl });
      env.PMH_HUB_DATABASE_URL = db.options.url!;
      log(`postgres: fresh database ${new URL(db.options.url!).pathname.slice(1)}`);
    }
    const hub = await benchHub(backend, dir, env, records);
    // PGlite: the hub has exited, so its data dir is free to open here.
    const ceilingMs = await benchCeiling(backend, backend === 'postgres' ? { url: db!.options.url } : { dataDir: path.join(dir, 'hub') }, records);
    const hubRate = rate(records.length, hub.hubMs);
    const ceilingRate = rate(records.length, ceilingMs);
    return { backend, records: records.length, ...hub, hubRate, ceilingMs, ceilingRate, ratio: hubRate / ceilingRate };
  } finally {
    await db?.drop().catch((e) => log(`postgres: could not drop the bench database: ${(e as Error).message}`));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchRegistration(): Promise<Array<RegistrationResult | Skipped>> {
  const n = benchRecords();
  log(`registration: ${int(n)} records (${Math.ceil(n / MAX_TASK_RECORDS)} task(s) of ≤ ${int(MAX_TASK_RECORDS)}); building them`);
  const records = buildRecords(n);
  // Checked first: a configured but unreachable PostgreSQL fails before minutes of PGlite.
  const pgTarget = await postgresUrl();
  const out: Array<RegistrationResult | Skipped> = [];
  out.push(await benchBackend('pglite', undefined, records));
  if ('skip' in pgTarget) {
    log(`postgres: skipped — ${pgTarget.skip}`);
    out.push({ backend: 'postgres', skipped: pgTarget.skip });
  } else {
    log(`postgres: using ${redact(pgTarget.url)}`);
    out.push(await benchBackend('postgres', pgTarget.url, records));
  }
  return out;
}

export function registrationTable(results: Array<RegistrationResult | Skipped>): string {
  return table(
    ['backend', 'records', 'tasks', 'accepted in', 'hub: done in', 'hub records/s', 'ceiling records/s', 'hub/ceiling', 'hub peak RSS', 'hub peak RSS in run'],
    results.map((r) =>
      'skipped' in r
        ? [r.backend, 'skipped', '', '', '', '', '', '', '', '']
        : [
            r.backend,
            int(r.records),
            String(r.tasks),
            secs(r.acceptMs),
            secs(r.hubMs),
            perSec(r.hubRate),
            perSec(r.ceilingRate),
            `${(r.ratio * 100).toFixed(1)}%`,
            mb(r.hubPeakRss),
            mb(r.hubRunPeakRss),
          ],
    ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchRegistration().then(
    (results) => {
      process.stdout.write('\nRegistration throughput\n' + registrationTable(results) + '\n');
    },
    (e) => {
      process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
