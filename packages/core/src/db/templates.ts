import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type DatabaseOptions } from './database.ts';
import { runMigrations, type Migration } from './migrate.ts';
import { Kysely, PostgresDialect } from 'kysely';

/**
 * Fresh, migrated databases for tests, cheaply: migrations run once into a template, and each
 * test world starts from a copy (PGlite: a data-dir dump; PostgreSQL: CREATE DATABASE … TEMPLATE).
 */
const pgliteTemplates = new Map<string, Promise<Blob>>();

/**
 * Names a template by what makes it: the service, each migration's name and text (its SQL, or its
 * code when it is not plain SQL), so a migration edited in place makes a new template, never a stale one.
 */
function templateKey(service: string, migrations: Migration[]): string {
  const h = crypto.createHash('sha256');
  for (const m of migrations) h.update(`${m.name}\0${m.sql ?? m.up.toString()}\0`);
  return `pmh_tpl_${service}_${h.digest('hex').slice(0, 12)}`;
}

let pgliteVersion: string | undefined;

/** The installed PGlite's version: its data directory format may change with it. */
function installedPgliteVersion(): string {
  if (pgliteVersion === undefined) {
    try {
      const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
      let dir = path.dirname(entry);
      while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
      pgliteVersion = String(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version).replace(/[^0-9A-Za-z.-]/g, '');
    } catch {
      pgliteVersion = 'unknown';
    }
  }
  return pgliteVersion;
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

/**
 * Where migrated PGlite templates for tests are kept between processes (each test file runs in a
 * process of its own, several at once): `PMH_TEST_TEMPLATE_DIR`, else `<tmp>/pmh-test-templates`.
 */
export function testTemplateDir(): string {
  return process.env.PMH_TEST_TEMPLATE_DIR || path.join(os.tmpdir(), 'pmh-test-templates');
}

/** Writes a file whole or not at all: a temporary name of this process, then a rename over the final one. */
function writeAtomically(file: string, data: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * A migrated template dump, made once per machine: read from the disk cache when another process
 * made it already, else built here and written for the next (an unreadable cache is only slower).
 */
async function pgliteTemplate(service: string, migrations: Migration[]): Promise<Blob> {
  const key = templateKey(service, migrations);
  let p = pgliteTemplates.get(key);
  if (!p) {
    p = (async () => {
      const file = path.join(testTemplateDir(), `${key}_pglite-${installedPgliteVersion()}.tar`);
      try {
        return new Blob([fs.readFileSync(file)]);
      } catch {
        /* not made yet */
      }
      const d = await openDatabase({ dataDir: 'memory://', loadDataDir: await emptyCluster(), migrations });
      const blob = await d.pglite!.dumpDataDir('none');
      await d.close();
      try {
        writeAtomically(file, new Uint8Array(await blob.arrayBuffer()));
      } catch {
        /* a read-only or full temporary directory: every process builds its own */
      }
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
 * Keyed by the migrations' names and text, so a new or edited migration makes a new template.
 */
export async function cachedPgliteTemplate(service: string, migrations: Migration[], cacheDir: string): Promise<Blob> {
  const file = path.join(cacheDir, `${templateKey(service, migrations)}_pglite-${installedPgliteVersion()}.tar.gz`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const d = await openDatabase({ dataDir: 'memory://', loadDataDir: await emptyCluster(), migrations });
  try {
    const blob = await d.pglite!.dumpDataDir('gzip');
    writeAtomically(file, new Uint8Array(await blob.arrayBuffer()));
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
