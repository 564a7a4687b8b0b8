import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseOptions } from './database.ts';
import { runMigrations, type Migration } from './migrate.ts';
import { Kysely, PostgresDialect } from 'kysely';

/**
 * Fresh, migrated databases for tests, cheaply: migrations run once into a template, and each
 * test world starts from a copy (PGlite: a data-dir dump; PostgreSQL: CREATE DATABASE … TEMPLATE).
 */
const pgliteTemplates = new Map<string, Promise<Blob>>();

function templateKey(service: string, migrations: Migration[]): string {
  const h = crypto
    .createHash('sha256')
    .update(migrations.map((m) => m.name).join('\n'))
    .digest('hex')
    .slice(0, 12);
  return `pmh_tpl_${service}_${h}`;
}

let initdbDump: Promise<Blob> | undefined;

/** One initdb per process (the slow part of a new PGlite: seconds); every template starts from its dump. */
function emptyCluster(): Promise<Blob> {
  initdbDump ??= (async () => {
    const d = await openDatabase({ dataDir: 'memory://' });
    const blob = await d.pglite!.dumpDataDir('none');
    await d.close();
    return blob;
  })();
  return initdbDump;
}

async function pgliteTemplate(service: string, migrations: Migration[]): Promise<Blob> {
  const key = templateKey(service, migrations);
  let p = pgliteTemplates.get(key);
  if (!p) {
    p = (async () => {
      const d = await openDatabase({ dataDir: 'memory://', loadDataDir: await emptyCluster(), migrations });
      const blob = await d.pglite!.dumpDataDir('none');
      await d.close();
      return blob;
    })();
    pgliteTemplates.set(key, p);
  }
  return p;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

const pgTemplates = new Map<string, Promise<string>>();

async function postgresTemplate(adminUrl: string, service: string, migrations: Migration[]): Promise<string> {
  const name = templateKey(service, migrations);
  // Per server: a test may use a PostgreSQL of its own beside the shared one.
  const key = `${new URL(adminUrl).host} ${name}`;
  let p = pgTemplates.get(key);
  if (!p) {
    p = (async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query('select pg_advisory_lock(7100002)');
        const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) {
          const building = `${name}_b${process.pid}`;
          await c.query(`drop database if exists ${building}`);
          await c.query(`create database ${building}`);
          const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, building), max: 1 });
          const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
          try {
            await runMigrations(db, migrations);
          } finally {
            await db.destroy();
          }
          // Renamed only when complete, so a crash mid-migration never leaves a half-built template.
          await c.query(`alter database ${building} rename to ${name}`);
        }
      } finally {
        await c.query('select pg_advisory_unlock(7100002)').catch(() => {});
        await c.end();
      }
      return name;
    })();
    pgTemplates.set(key, p);
  }
  return p;
}

/**
 * A migrated PGlite template kept on disk (gzip), so a new data directory starts in about a second
 * instead of running initdb and every migration: `npm start` on an empty data dir, four times over.
 * Keyed by the migration names, so a new migration makes a new template.
 */
export async function cachedPgliteTemplate(service: string, migrations: Migration[], cacheDir: string): Promise<Blob> {
  const file = path.join(cacheDir, `${templateKey(service, migrations)}.tar.gz`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const d = await openDatabase({ dataDir: 'memory://', loadDataDir: await emptyCluster(), migrations });
  try {
    const blob = await d.pglite!.dumpDataDir('gzip');
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(tmp, file);
    return blob;
  } finally {
    await d.close();
  }
}

export interface FreshDatabase {
  options: Omit<DatabaseOptions, 'migrations'>;
  /** Drops the database (PostgreSQL); nothing to do for in-memory PGlite. */
  drop(): Promise<void>;
}

/**
 * A new database for one service of one test world. `adminUrl` set → PostgreSQL, else PGlite in
 * memory (or under `dataDir`, for tests that restart a process on the same store).
 */
export async function freshDatabase(service: string, migrations: Migration[], opts: { adminUrl?: string; dataDir?: string } = {}): Promise<FreshDatabase> {
  if (opts.adminUrl) {
    const template = await postgresTemplate(opts.adminUrl, service, migrations);
    const name = `pmh_t_${service}_${crypto.randomBytes(5).toString('hex')}`;
    await adminQuery(opts.adminUrl, `create database ${name} template ${template}`);
    return {
      options: { url: withDatabase(opts.adminUrl, name) },
      drop: () => adminQuery(opts.adminUrl!, `drop database if exists ${name} with (force)`),
    };
  }
  const blob = await pgliteTemplate(service, migrations);
  return { options: { dataDir: opts.dataDir ?? 'memory://', loadDataDir: blob }, drop: async () => {} };
}
