import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { lockDataDir } from './lock.ts';
import { runMigrations, type Migration } from './migrate.ts';
import { DatabaseHealth } from './availability.ts';

// Dates stay strings (YYYY-MM-DD) and bigints stay exact: the API speaks strings for both.
pg.types.setTypeParser(1082, (v) => v); // date
pg.types.setTypeParser(20, (v) => v); // int8

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite under `dataDir`. */
  url?: string;
  /** PGlite data directory (locked for this process). `memory://` for a throw-away store. */
  dataDir?: string;
  /** A PGlite dump (from `dumpDataDir`) to start from: migrated templates for tests. */
  loadDataDir?: Blob;
  migrations?: Migration[];
  /** Pool size for PostgreSQL (PGlite is always one connection). */
  poolSize?: number;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  pool: pg.Pool;
  db: Kysely<any>;
  /** Present on PGlite: lets tests dump a migrated template. */
  pglite?: import('@electric-sql/pglite').PGlite;
  /** Reachable or not, since when, the last connection error: see `DatabaseHealth`. */
  health: DatabaseHealth;
  close(): Promise<void>;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  let pool: pg.Pool;
  let release = () => {};
  let pglite: Database['pglite'];
  let kind: Database['kind'];
  if (opts.url) {
    kind = 'postgres';
    pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      // A server that does not answer at all (a cut network, not a refused connection) fails a
      // request after seconds rather than holding it until TCP gives up; keep-alive finds dead peers.
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
  } else {
    kind = 'pglite';
    const { PGlite } = await import('@electric-sql/pglite');
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    const dir = opts.dataDir ?? 'memory://';
    if (!dir.startsWith('memory://')) {
      release = lockDataDir(dir);
      fs.mkdirSync(path.join(dir, 'pgdata'), { recursive: true });
    }
    try {
      const dataDir = dir.startsWith('memory://') ? dir : path.join(dir, 'pgdata');
      pglite = new PGlite({ dataDir, loadDataDir: opts.loadDataDir });
      await pglite.waitReady;
    } catch (e) {
      release();
      throw e;
    }
    pool = new pg.Pool({ ...(createPgConfig(pglite) as unknown as pg.PoolConfig), max: 1 });
  }
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  // The probe opens a connection of its own: a pooled one may be a dead one not yet noticed, and
  // a connection is what must work again.
  const health = new DatabaseHealth(opts.url ? () => probeServer(opts.url!) : () => ping(db));
  // node-postgres emits `error` on a client whose connection drops (a server restart or stop,
  // pg_terminate_backend), and an unheard `error` event ends the process. The pool listens only
  // while a client is idle; a checked-out one (a transaction, a query in flight) must be heard too.
  // Its query fails with the error, the pool drops the client on release, and the next checkout
  // reconnects: nothing else to do here but tell the health.
  pool.on('error', (e) => health.report(e));
  pool.on('connect', (client) => client.on('error', (e) => health.report(e)));
  const database: Database = {
    kind,
    pool,
    db,
    pglite,
    health,
    async close() {
      health.close();
      await db.destroy().catch(() => {});
      if (pglite) await pglite.close().catch(() => {});
      release();
    },
  };
  if (opts.migrations) {
    try {
      await runMigrations(db, opts.migrations);
    } catch (e) {
      await database.close();
      throw e;
    }
  }
  return database;
}

export async function ping(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Connects anew and asks `select 1`: is the server there and taking connections? */
async function probeServer(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  client.on('error', () => {}); // a connection dropped under the probe fails its query; nothing more to hear
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    // Not awaited: ending a client whose connection died mid-way can wait for an 'end' that never comes.
    client.end().catch(() => {});
  }
}
