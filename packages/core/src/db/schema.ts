import { sql, type ColumnType, type Kysely } from 'kysely';
import { openDatabase } from './database.ts';
import type { Migration } from './migrate.ts';
import { freshDatabase } from './templates.ts';

/**
 * A service's tables written down once, as its migrations make them, and read two ways: as the
 * Kysely database type its store is typed by (`DatabaseOf`), and at run time by a test that compares
 * them with the migrated schema (`schemaDrift`), so a column renamed by a migration fails a test
 * instead of a query.
 */

/** The PostgreSQL types our migrations use, as `information_schema.columns.data_type` names them. */
export type PgType = 'text' | 'uuid' | 'integer' | 'bigint' | 'boolean' | 'jsonb' | 'timestamp with time zone' | 'date';

/** One column: its PostgreSQL type, whether it may be null, and whether it has a default (may be left out of an insert). */
export class Column<T, Nullable extends boolean = false, Defaulted extends boolean = false> {
  declare readonly __type: T;
  constructor(
    readonly type: PgType,
    readonly isNullable: Nullable,
    readonly hasDefault: Defaulted,
  ) {}

  nullable(): Column<T, true, Defaulted> {
    return new Column(this.type, true, this.hasDefault);
  }

  /** The column has a default (`default now()`, `gen_random_uuid()`, a serial). */
  defaulted(): Column<T, Nullable, true> {
    return new Column(this.type, this.isNullable, true);
  }
}

/** The column types, each with the TypeScript type both drivers (pg, PGlite) read it as. */
export const column = {
  text: <T extends string = string>() => new Column<T>('text', false, false),
  uuid: () => new Column<string>('uuid', false, false),
  integer: () => new Column<number>('integer', false, false),
  /** Read as a string: a bigint can exceed what a JavaScript number holds. */
  bigint: () => new Column<string>('bigint', false, false),
  boolean: () => new Column<boolean>('boolean', false, false),
  timestamptz: () => new Column<Date>('timestamp with time zone', false, false),
  date: () => new Column<string>('date', false, false),
  jsonb: <T>() => new Column<T>('jsonb', false, false),
};

export type TableSpec = Record<string, Column<unknown, boolean, boolean>>;
export type SchemaSpec = Record<string, TableSpec>;

/** What a write may give for a value: a time also as RFC 3339 text, a JSON value also as JSON text. */
type Writable<T> = T extends Date ? Date | string : T extends object ? T | string : T;

type ColumnOf<C> =
  C extends Column<infer T, infer N, infer D>
    ? ColumnType<
        N extends true ? T | null : T,
        (N extends true ? Writable<T> | null : Writable<T>) | (N extends true ? undefined : D extends true ? undefined : never),
        N extends true ? Writable<T> | null : Writable<T>
      >
    : never;

/** The Kysely database type of a schema spec: `Kysely<DatabaseOf<typeof tables>>`. */
export type DatabaseOf<S extends SchemaSpec> = { [Table in keyof S]: { [Name in keyof S[Table]]: ColumnOf<S[Table][Name]> } };

/**
 * Where the migrated schema differs from the spec, in words (empty when they agree): a table or a
 * column missing on either side, or a column whose type, nullability or default differs. Tables
 * listed in `others` (those of core's migrations: outbox, audit log, OAuth clients, …) are not the
 * spec's business; any other table of the database must be in the spec.
 */
export async function schemaDrift(db: Kysely<any>, spec: SchemaSpec, others: string[] = []): Promise<string[]> {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: 'YES' | 'NO'; column_default: string | null }>`
    select c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public'
    order by c.table_name, c.ordinal_position`.execute(db);
  const actual = new Map<string, Map<string, (typeof rows)[number]>>();
  for (const r of rows) {
    if (others.includes(r.table_name)) continue;
    if (!actual.has(r.table_name)) actual.set(r.table_name, new Map());
    actual.get(r.table_name)!.set(r.column_name, r);
  }
  const drift: string[] = [];
  for (const table of actual.keys()) if (!(table in spec)) drift.push(`table ${table} is in the database, not in the spec`);
  for (const [table, columns] of Object.entries(spec)) {
    const found = actual.get(table);
    if (!found) {
      drift.push(`table ${table} is in the spec, not in the database`);
      continue;
    }
    for (const name of found.keys()) if (!(name in columns)) drift.push(`${table}.${name} is in the database, not in the spec`);
    for (const [name, c] of Object.entries(columns)) {
      const r = found.get(name);
      if (!r) {
        drift.push(`${table}.${name} is in the spec, not in the database`);
        continue;
      }
      if (r.data_type !== c.type) drift.push(`${table}.${name} is ${r.data_type} in the database, ${c.type} in the spec`);
      if ((r.is_nullable === 'YES') !== c.isNullable) drift.push(`${table}.${name} is ${r.is_nullable === 'YES' ? '' : 'not '}nullable in the database`);
      if ((r.column_default !== null) !== c.hasDefault) drift.push(`${table}.${name} has ${r.column_default === null ? 'no ' : 'a '}default in the database`);
    }
  }
  return drift;
}

/** The tables of a database (schema `public`): e.g. those core's migrations alone make. */
export async function tableNames(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return rows.map((r) => r.table_name);
}

/**
 * The tables a fresh database has after `migrations` (PGlite, or PostgreSQL under `adminUrl`): with
 * core's migrations, the tables that are no service's own business.
 */
export async function tablesOfMigrations(migrations: Migration[], adminUrl?: string): Promise<string[]> {
  const fresh = await freshDatabase('core', migrations, { adminUrl });
  const d = await openDatabase(fresh.options);
  try {
    return await tableNames(d.db);
  } finally {
    await d.close();
    await fresh.drop();
  }
}
