/**
 * What bad records cost their neighbours: one 10,000-record task timed clean, and again with a few
 * bad records mixed in, on a hub running as its own process (PGlite, and PostgreSQL when it
 * answers). Two kinds of bad record:
 *   - `invalid`: a name holding U+0000 (PostgreSQL cannot store it), which validation must catch;
 *   - `storage` (PostgreSQL only): a valid record the database refuses (a trigger planted for the
 *     bench raises on one marker name), i.e. a failure validation cannot foresee.
 * Each bad record must fail alone and name its field; the figure is each task's time against the
 * clean task's, measured in the same run.
 *
 *   node --import tsx bench/bad-records.ts    (PMH_BENCH_BAD=10 bad records per task, PMH_BENCH_RECORDS=10000)
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { freshDatabase, type FreshDatabase } from '@pmh/core/db/index';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { hubMigrations } from '@pmh/hub/migrations/index';
import { ApiClient, hubApi, type MedicalSubsidyRecord, type TaskView } from '@pmh/protocol';
import { Rng, childMedicalRecord, CHILD_PROGRAM } from '@pmh/testkit/fixtures';
import { freePort, int, log, secs, sleep, spawnService, stop, table, tempDir } from './lib.ts';

const CODE = '131016';
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** The name the planted trigger refuses (a valid name: only the database objects to it). */
const POISON_NAME = '毒見　太郎';

type Kind = 'clean' | 'invalid' | 'storage';
interface Row {
  backend: string;
  kind: Kind;
  records: number;
  bad: number;
  ms: number;
  failed: number;
  pointers: string;
}

function envInt(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
  return n;
}

/** `n` records with fresh keys and My Numbers; `bad` of them spread evenly and spoilt as `kind` says. */
function task(rng: Rng, prefix: string, n: number, bad: number, kind: Kind): { records: MedicalSubsidyRecord[]; badIndexes: number[] } {
  const records = Array.from({ length: n }, (_, i) => childMedicalRecord(rng, { municipalityIdentityKey: `${prefix}${String(i).padStart(8, '0')}` }));
  const badIndexes = kind === 'clean' ? [] : Array.from({ length: bad }, (_, j) => Math.floor(((j + 0.5) * n) / bad));
  for (const i of badIndexes) {
    const b = records[i].basicFiveInfo;
    records[i].basicFiveInfo = { ...b, name: kind === 'invalid' ? `${b.name}\u0000` : POISON_NAME };
  }
  return { records, badIndexes };
}

async function benchBackend(backend: 'pglite' | 'postgres', adminUrl: string | undefined, n: number, bad: number): Promise<Row[]> {
  const dir = tempDir(`pmh-bench-bad-${backend}-`);
  let db: FreshDatabase | undefined;
  const env: Record<string, string | undefined> = { PMH_DATA_DIR: dir, PMH_HUB_DATABASE_URL: undefined, DATABASE_URL: undefined, PMH_LOG_LEVEL: 'warn' };
  if (backend === 'postgres') {
    db = await freshDatabase('hub', hubMigrations, { adminUrl });
    env.PMH_HUB_DATABASE_URL = db.options.url!;
  }
  const key = await generateClientKey();
  const clientsFile = path.join(dir, 'clients.json');
  fs.writeFileSync(clientsFile, JSON.stringify([{ clientId: 'bench', role: `municipality:${CODE}`, jwks: { keys: [key.publicJwk] } }]));
  const port = await freePort();
  const hub = await spawnService(['serve', 'hub', '--port', String(port), '--clients', clientsFile], {
    ...env,
    PMH_HUB_PUBLIC_URL: `http://127.0.0.1:${port}`,
  });
  const rows: Row[] = [];
  try {
    const tokens = new TokenClient({ baseUrl: hub.url, clientId: 'bench', privateJwk: key.privateJwk });
    const api = new ApiClient(hub.url, { authorization: () => tokens.authorization(), invalidate: () => tokens.invalidate(), timeoutMs: 600_000 });
    const { certificateTypeId, ...program } = CHILD_PROGRAM;
    const defined = await api.call(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program });
    if (defined.status >= 300) throw new Error(`programme: ${defined.status} ${JSON.stringify(defined.body)}`);
    if (backend === 'postgres') {
      const c = new pg.Client({ connectionString: db!.options.url });
      await c.connect();
      await c.query(`create function bench_poison() returns trigger language plpgsql as $$
        begin if new.name = '${POISON_NAME}' then raise exception 'planted by the bench' using errcode = 'check_violation', column = 'name'; end if; return new; end $$`);
      await c.query('create trigger bench_poison before insert or update on subjects for each row execute function bench_poison()');
      await c.end();
    }
    const rng = new Rng(4242);
    const run = async (kind: Kind, prefix: string, records = n) => {
      const t = task(rng, prefix, records, bad, kind);
      const t0 = performance.now();
      const accepted = await api.call(hubApi.municipal.registerMedicalSubsidy, { body: t.records });
      if (accepted.status !== 202) throw new Error(`${kind}: ${accepted.status} ${JSON.stringify(accepted.body).slice(0, 300)}`);
      let view: TaskView;
      for (;;) {
        view = await api.ok(hubApi.municipal.getTask, { params: { taskId: accepted.body.taskId } });
        if (view.status === 'done' || view.status === 'failed') break;
        await sleep(50);
      }
      const ms = performance.now() - t0;
      const failed = view.results.filter((r: any) => r.outcome === 'failed');
      const failedIdx = failed.map((r: any) => r.index).sort((a: number, b: number) => a - b);
      if (JSON.stringify(failedIdx) !== JSON.stringify(t.badIndexes))
        throw new Error(`${backend} ${kind}: failed records ${JSON.stringify(failedIdx.slice(0, 20))}, expected ${JSON.stringify(t.badIndexes)}`);
      const pointers = [...new Set(failed.flatMap((r: any) => r.errors.map((e: any) => `${e.pointer.replace(/^\/\d+/, '/i')}: ${e.message}`)))].join('; ');
      log(`${backend} ${kind}: ${int(records)} records, ${t.badIndexes.length} bad → ${secs(ms)}${pointers ? ` (${pointers})` : ''}`);
      return { backend, kind, records, bad: t.badIndexes.length, ms, failed: failed.length, pointers };
    };
    await run('clean', 'W', 1000); // warm-up, not reported
    rows.push(await run('clean', 'C'));
    rows.push(await run('invalid', 'I'));
    if (backend === 'postgres') rows.push(await run('storage', 'S'));
    rows.push(await run('clean', 'D'));
  } finally {
    await stop(hub, 'SIGTERM');
    await db?.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function postgresAnswers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

export async function benchBadRecords(): Promise<Row[]> {
  const n = envInt('PMH_BENCH_RECORDS', 10_000);
  const bad = envInt('PMH_BENCH_BAD', 10);
  const rows = await benchBackend('pglite', undefined, n, bad);
  const url = process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL ?? DEFAULT_PG_URL;
  if (await postgresAnswers(url)) rows.push(...(await benchBackend('postgres', url, n, bad)));
  else log(`postgres: skipped (no answer at the configured URL)`);
  return rows;
}

export function badRecordsTable(rows: Row[]): string {
  const clean = (backend: string) => {
    const c = rows.filter((r) => r.backend === backend && r.kind === 'clean');
    return c.reduce((a, r) => a + r.ms, 0) / c.length;
  };
  return table(
    ['backend', 'task', 'records', 'bad', 'done in', '× clean', 'failed'],
    rows.map((r) => [r.backend, r.kind, int(r.records), String(r.bad), secs(r.ms), (r.ms / clean(r.backend)).toFixed(2), String(r.failed)]),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchBadRecords().then(
    (rows) => process.stdout.write('\nBad records mixed into a task\n' + badRecordsTable(rows) + '\n'),
    (e) => {
      process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
