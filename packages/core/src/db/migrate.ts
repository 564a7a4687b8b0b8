import { sql, type Kysely } from 'kysely';

/** A forward-only migration. SQL must run on PostgreSQL 15 (production) and PGlite (18). */
export interface Migration {
  name: string;
  up: (db: Kysely<any>) => Promise<void>;
  /** The SQL it runs, when it is plain SQL: migrated templates are keyed by it, so an edit makes a new one. */
  sql?: string;
}

/** Plain SQL as a migration. */
export function sqlMigration(name: string, text: string): Migration {
  return { name, sql: text, up: async (db) => void (await sql.raw(text).execute(db)) };
}

// Arbitrary but fixed: serialises migrations when several processes start on one PostgreSQL.
const MIGRATION_LOCK = 7_100_001;

export async function runMigrations(db: Kysely<any>, migrations: Migration[]): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    await sql`create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`.execute(trx);
    const done = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(trx)).rows.map((r) => r.name));
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await m.up(trx);
      await sql`insert into schema_migrations (name) values (${m.name})`.execute(trx);
      applied.push(m.name);
    }
  });
  return applied;
}
