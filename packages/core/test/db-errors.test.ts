import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshDatabase, openDatabase, sqlMigration, type Database, type FreshDatabase } from '../src/db/index.ts';
import { classifyDatabaseError, inTransaction, retrying } from '../src/db/errors.ts';
import { databaseProblem } from '../src/http/problem.ts';

/**
 * One classifier for every database error: what PostgreSQL (and PGlite) really raise is sorted into
 * connection / transient-conflict / unique-violation / refused-value / other, and the one translator
 * turns the first two into problem+json (503, Retry-After), the rest into nothing of its own.
 */
const backends = [{ name: 'pglite' }, ...(process.env.PMH_TEST_DATABASE_URL ? [{ name: 'postgres', adminUrl: process.env.PMH_TEST_DATABASE_URL }] : [])];

const migrations = [sqlMigration('001', 'create table things (id integer primary key, born date, n integer check (n >= 0))')];

const caught = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the database to refuse');
};

for (const backend of backends) {
  describe(`a database error, classified once (${backend.name})`, () => {
    let fresh: FreshDatabase;
    let database: Database;
    before(async () => {
      fresh = await freshDatabase('core_db_errors', migrations, { adminUrl: backend.adminUrl });
      database = await openDatabase(fresh.options);
      await sql`insert into things (id) values (1)`.execute(database.db);
    });
    after(async () => {
      await database.close();
      await fresh.drop();
    });

    it('tells a unique violation, a refused value, our own fault and a given-up transaction apart', async () => {
      const db = database.db;
      assert.equal(classifyDatabaseError(await caught(sql`insert into things (id) values (1)`.execute(db))), 'unique-violation');
      assert.equal(classifyDatabaseError(await caught(sql`insert into things (id, born) values (2, ${'not a date'})`.execute(db))), 'refused-value');
      assert.equal(classifyDatabaseError(await caught(sql`insert into things (id, n) values (3, -1)`.execute(db))), 'refused-value');
      assert.equal(classifyDatabaseError(await caught(sql`select * from no_such_table`.execute(db))), 'other');
      const gaveUp = await caught(sql`do $$ begin raise exception 'given up' using errcode = '40P01'; end $$`.execute(db));
      assert.equal(classifyDatabaseError(gaveUp), 'transient-conflict');
      const shutdown = await caught(sql`do $$ begin raise exception 'shutting down' using errcode = '57P01'; end $$`.execute(db));
      assert.equal(classifyDatabaseError(shutdown), 'connection');
      assert.equal(classifyDatabaseError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })), 'connection');
      assert.equal(classifyDatabaseError(new Error('Connection terminated unexpectedly')), 'connection');
      assert.equal(classifyDatabaseError(new TypeError('a bug')), 'other');

      // The one translator: 503 with Retry-After for "not now", nothing for the rest.
      assert.equal(databaseProblem(gaveUp)?.code, 'contended');
      assert.equal(databaseProblem(gaveUp)?.headers?.['retry-after'], '1');
      assert.equal(databaseProblem(shutdown)?.code, 'database-unavailable');
      assert.equal(databaseProblem(shutdown)?.status, 503);
      assert.equal(databaseProblem(await caught(sql`insert into things (id) values (1)`.execute(db))), undefined);
    });

    it('runs a transaction that lost a race again, keeping nothing of the lost attempt', async () => {
      let tries = 0;
      const id = await inTransaction(database.db, async (trx) => {
        tries++;
        await sql`insert into things (id) values (${100 + tries})`.execute(trx);
        if (tries < 3) await sql`insert into things (id) values (1)`.execute(trx); // beaten to a key
        return 100 + tries;
      });
      assert.equal(tries, 3);
      const { rows } = await sql<{ id: number }>`select id from things where id > 100 order by id`.execute(database.db);
      assert.deepEqual(
        rows.map((r) => r.id),
        [id],
        'only the attempt that committed',
      );
    });

    it('gives up after its attempts, and never retries what a retry cannot mend', async () => {
      let tries = 0;
      const refused = await caught(
        inTransaction(database.db, async (trx) => {
          tries++;
          await sql`insert into things (id, n) values (200, -1)`.execute(trx);
        }),
      );
      assert.equal(classifyDatabaseError(refused), 'refused-value');
      assert.equal(tries, 1, 'a refused value is not tried again');
      tries = 0;
      await caught(
        retrying(
          async () => {
            tries++;
            await sql`insert into things (id) values (1)`.execute(database.db);
          },
          { attempts: 2 },
        ),
      );
      assert.equal(tries, 2);
    });
  });
}
