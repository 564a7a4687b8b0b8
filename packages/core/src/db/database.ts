import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { lockDataDir } from './lock.ts';
import { runMigrations, type Migration } from './migrate.ts';

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
  close(): Promise<void>;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  let pool: pg.Pool;
  let release = () => {};
  let pglite: Database['pglite'];
  let kind: Database['kind'];
  if (opts.url) {
    kind = 'postgres';
    pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
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
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const database: Database = {
    kind,
    pool,
    db,
    pglite,
    async close() {
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
