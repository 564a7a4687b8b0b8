import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { schemaDrift, tablesOfMigrations } from '@pmh/core/db/schema';
import { serviceMigrations } from '@pmh/core/service';
import { World, backends } from '../../testkit/src/index.ts';
import { idserverTables } from '../src/store/schema.ts';

/**
 * The ID server's typed tables (store/schema.ts) are the tables of its database as the running service has
 * it (schema and data migrations applied): a column a migration renames or drops fails here.
 */
for (const backend of backends()) {
  describe(`idserver schema (${backend})`, () => {
    let w: World;
    before(async () => {
      w = await World.start({ backend, services: ['idserver'] });
    });
    after(() => w?.stop());

    it('the store is typed by the migrated tables and columns', async () => {
      const common = await tablesOfMigrations(serviceMigrations, backend === 'postgres' ? process.env.PMH_TEST_DATABASE_URL : undefined);
      assert.deepEqual(await schemaDrift(w.service('idserver').database.db, idserverTables, common), []);
    });
  });
}
