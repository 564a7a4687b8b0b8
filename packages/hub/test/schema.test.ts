/**
 * The hub's typed storage (store/schema.ts) says what the migrations make: every table and column of
 * `HubDatabase`, with its type and whether it may be null, on both backends. A migration that adds,
 * renames or retypes a column without the interface (or the other way round) fails here; the
 * compiler already holds `HUB_COLUMNS` to the interface.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, freshDatabase, type Database, type FreshDatabase } from '@pmh/core/db/index';
import { serviceMigrations } from '@pmh/core/service';
import { backends } from '../../testkit/src/index.ts';
import { hubMigrations } from '../src/index.ts';
import { HUB_COLUMNS } from '../src/store/schema.ts';

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
}

async function columnsOf(db: Database): Promise<Column[]> {
  const { rows } = await sql<Column>`
    select table_name, column_name, data_type, is_nullable from information_schema.columns
    where table_schema = current_schema() order by table_name, ordinal_position`.execute(db.db);
  return rows;
}

async function migrated(service: string, migrations: typeof hubMigrations, backend: string): Promise<{ fresh: FreshDatabase; db: Database }> {
  const fresh = await freshDatabase(service, migrations, { adminUrl: backend === 'postgres' ? process.env.PMH_TEST_DATABASE_URL : undefined });
  return { fresh, db: await openDatabase(fresh.options) };
}

for (const backend of backends()) {
  describe(`hub: the typed schema is the migrated one (${backend})`, () => {
    let hub: { fresh: FreshDatabase; db: Database };
    let common: { fresh: FreshDatabase; db: Database };
    let columns: Column[];

    before(async () => {
      hub = await migrated('hub', hubMigrations, backend);
      // The tables every service has (core's), from a database migrated with only those.
      common = await migrated('common', serviceMigrations, backend);
      columns = await columnsOf(hub.db);
    });
    after(async () => {
      await hub?.db.close();
      await hub?.fresh.drop();
      await common?.db.close();
      await common?.fresh.drop();
    });

    for (const [table, spec] of Object.entries(HUB_COLUMNS)) {
      it(`${table}: the columns, their types and nullability`, () => {
        const actual = columns
          .filter((c) => c.table_name === table)
          .map((c) => ({ column: c.column_name, type: c.data_type, nullable: c.is_nullable === 'YES' }))
          .sort((a, b) => a.column.localeCompare(b.column));
        const declared = Object.entries(spec as Record<string, { type: string; nullable?: boolean }>)
          .map(([column, c]) => ({ column, type: c.type, nullable: c.nullable === true }))
          .sort((a, b) => a.column.localeCompare(b.column));
        assert.ok(actual.length > 0, `the migrations make no table ${table}`);
        assert.deepEqual(actual, declared);
      });
    }

    it('every other table is one of the common ones (core owns them, reached through core)', async () => {
      const commonTables = new Set((await columnsOf(common.db)).map((c) => c.table_name));
      const typed = new Set(Object.keys(HUB_COLUMNS));
      const untyped = [...new Set(columns.map((c) => c.table_name))].filter((t) => !typed.has(t) && !commonTables.has(t));
      assert.deepEqual(untyped, [], 'a hub table the store does not type');
      assert.ok(commonTables.has('outbox') && commonTables.has('audit_log'));
      for (const t of typed) assert.equal(commonTables.has(t), false, `${t} is the hub's, not a common table`);
    });
  });
}
