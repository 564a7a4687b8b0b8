import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migratedSchemaDrift } from '@pmh/core/db/schema';
import { serviceMigrations } from '@pmh/core/service';
import { backends } from '../../testkit/src/index.ts';
import { idserverMigrations } from '../src/index.ts';
import { idserverTables } from '../src/store/schema.ts';

/** The ID server's typed tables (store/schema.ts) are the tables its migrations make: a renamed column fails here. */
for (const backend of backends()) {
  describe(`idserver schema (${backend})`, () => {
    it('the store is typed by the migrated tables and columns', async () => {
      const drift = await migratedSchemaDrift({
        service: 'idserver',
        migrations: idserverMigrations,
        common: serviceMigrations,
        spec: idserverTables,
        adminUrl: backend === 'postgres' ? process.env.PMH_TEST_DATABASE_URL : undefined,
      });
      assert.deepEqual(drift, []);
    });
  });
}
