import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';
import { freePort } from './net.ts';

/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free port, that the test
 * may stop, start and cut at will: fault tests must never restart the machine's shared cluster,
 * which other test runs use at the same time. Needs PostgreSQL's server binaries (`initdb`,
 * `pg_ctl`; `PMH_PG_BIN` or Debian's /usr/lib/postgresql/15/bin); as root they run as `postgres`.
 */
export interface PrivatePostgres {
  /** Superuser URL of the `postgres` database: what `PMH_TEST_DATABASE_URL` is for the shared cluster. */
  adminUrl: string;
  port: number;
  /** Stops the server (`fast`: sessions are terminated with 57P01, as in a restart). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Terminates every client backend of these databases (all but the caller's, when none named); how many. */
  terminateBackends(databases?: string[]): Promise<number>;
  /** Stops the server and deletes its directory. */
  close(): Promise<void>;
}

const CANDIDATE_BINS = [process.env.PMH_PG_BIN, '/usr/lib/postgresql/15/bin'].filter((d): d is string => !!d);

/** Why a private server cannot run here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (!CANDIDATE_BINS.some((d) => fs.existsSync(path.join(d, 'pg_ctl'))))
    return `PostgreSQL server binaries not found (looked in ${CANDIDATE_BINS.join(', ')}; set PMH_PG_BIN)`;
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run the server as';
  return undefined;
}

function run(cmd: string, args: string[], asPostgres: boolean): Promise<string> {
  const [file, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    // Never spawnSync: the services under test share this event loop and must keep running.
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out}`))));
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const why = privatePostgresUnavailable();
  if (why) throw new Error(why);
  const bin = CANDIDATE_BINS.find((d) => fs.existsSync(path.join(d, 'pg_ctl')))!;
  const asPostgres = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmh-pg-'));
  if (asPostgres) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], asPostgres);
  // Durability is not what these tests are about, and the machine is shared: no fsync.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const ctl = (...args: string[]) => run(path.join(bin, 'pg_ctl'), ['-D', data, ...args], asPostgres);
  let running = false;
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const server: PrivatePostgres = {
    adminUrl,
    port,
    async start() {
      await ctl('-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start');
      running = true;
    },
    async stop(mode = 'fast') {
      await ctl('-m', mode, '-w', '-t', '60', 'stop');
      running = false;
    },
    async terminateBackends(databases) {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        const { rows } = await c.query(
          `select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity
           where backend_type = 'client backend' and pid <> pg_backend_pid() and ($1::text[] is null or datname = any($1::text[]))`,
          [databases ?? null],
        );
        return Number(rows[0].n);
      } finally {
        await c.end();
      }
    },
    async close() {
      if (running) await server.stop('immediate').catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  // A test process that dies (an unhandled error is what fault tests look for) must not leave the
  // server running: 'exit' is emitted on a fatal exception too, and only synchronous work runs there.
  const onExit = () => {
    if (!running) return;
    const stop = [path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'];
    if (asPostgres) spawnSync('runuser', ['-u', 'postgres', '--', ...stop]);
    else spawnSync(stop[0], stop.slice(1));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const close = server.close;
  server.close = async () => {
    process.removeListener('exit', onExit);
    await close();
  };
  await server.start();
  return server;
}
