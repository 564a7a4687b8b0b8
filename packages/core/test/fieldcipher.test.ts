/**
 * FieldCipher binds each ciphertext to its column and row (associated data), and first-form
 * ciphertexts (bound to their column only) are re-sealed for their row by a data migration. On
 * PGlite, and on PostgreSQL when PMH_TEST_DATABASE_URL is set.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { freshDatabase, openDatabase, sqlMigration, type Database, type FreshDatabase } from '../src/db/index.ts';
import { FieldCipher, generateDataKeys, resealFirstFormat } from '../src/crypto/index.ts';

const backends = [{ name: 'pglite' }, ...(process.env.PMH_TEST_DATABASE_URL ? [{ name: 'postgres', adminUrl: process.env.PMH_TEST_DATABASE_URL }] : [])];
const CHUNKS = sqlMigration(
  'test-chunks-001',
  `create table chunks (task_id uuid not null, chunk_no integer not null, payload text, primary key (task_id, chunk_no));`,
);
const at = (taskId: string, chunkNo: string | number) => ({ column: 'chunks.payload', row: `${taskId}:${chunkNo}` });
const legacyContext = (taskId: string, chunkNo: string | number) => `chunks:${taskId}:${chunkNo}`;

describe('FieldCipher', () => {
  const keys = generateDataKeys();
  const cipher = new FieldCipher(keys);

  it('opens a ciphertext only as the column and row it was sealed for', () => {
    const c = cipher.encrypt('123456789018', { column: 'subjects.my_number', row: 'subject-1' });
    assert.match(c, /^r1\.k[a-z0-9]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(cipher.decrypt(c, { column: 'subjects.my_number', row: 'subject-1' }), '123456789018');
    assert.throws(() => cipher.decrypt(c, { column: 'subjects.my_number', row: 'subject-2' }), 'another row');
    assert.throws(() => cipher.decrypt(c, { column: 'persons.my_number', row: 'subject-1' }), 'another column');
    assert.throws(() => cipher.encrypt('x', { column: 'subjects.my_number', row: '' }), 'a row is required');
  });

  it('reads the first form (column only) through decryptLegacy alone', () => {
    const iv = crypto.randomBytes(12);
    const e = crypto.createCipheriv('aes-256-gcm', keys.keys[keys.current], iv);
    e.setAAD(Buffer.from('subjects.my_number'));
    const ct = Buffer.concat([e.update('123456789018', 'utf8'), e.final()]);
    const first = [keys.current, iv.toString('base64url'), ct.toString('base64url'), e.getAuthTag().toString('base64url')].join('.');
    assert.ok(FieldCipher.isLegacy(first));
    assert.equal(cipher.decryptLegacy(first, 'subjects.my_number'), '123456789018');
    assert.throws(() => cipher.decrypt(first, { column: 'subjects.my_number', row: 'subject-1' }), 'not accepted as the current form');
  });
});

for (const backend of backends) {
  describe(`resealFirstFormat (${backend.name})`, () => {
    let fresh: FreshDatabase;
    let database: Database;
    let db: Kysely<any>;
    const keys = generateDataKeys();
    const cipher = new FieldCipher(keys);
    const firstForm = (plain: string, context: string) => {
      const iv = crypto.randomBytes(12);
      const e = crypto.createCipheriv('aes-256-gcm', keys.keys[keys.current], iv);
      e.setAAD(Buffer.from(context));
      const ct = Buffer.concat([e.update(plain, 'utf8'), e.final()]);
      return [keys.current, iv.toString('base64url'), ct.toString('base64url'), e.getAuthTag().toString('base64url')].join('.');
    };

    before(async () => {
      fresh = await freshDatabase('core_fieldcipher', [CHUNKS], { adminUrl: backend.adminUrl });
      database = await openDatabase(fresh.options);
      db = database.db;
    });
    after(async () => {
      await database.close();
      await fresh.drop();
    });

    it('re-seals every first-form value for its row (a composite key, more than a page), leaves the current form and nulls alone, and counts what does not open', async () => {
      const tasks = [crypto.randomUUID(), crypto.randomUUID()];
      const rows: Array<{ task_id: string; chunk_no: number; payload: string | null }> = [];
      for (const t of tasks)
        for (let n = 0; n < 1200; n++) rows.push({ task_id: t, chunk_no: n, payload: firstForm(`records ${t} ${n}`, legacyContext(t, n)) });
      rows[5].payload = null;
      rows[6].payload = cipher.encrypt(`records ${tasks[0]} 6`, at(tasks[0], 6));
      rows[7].payload = firstForm('tampered', 'another context'); // does not open
      await sql`insert into chunks select * from json_populate_recordset(null::chunks, ${JSON.stringify(rows)}::json)`.execute(db);
      const kept6 = rows[6].payload;

      const done = await db.transaction().execute((trx) =>
        resealFirstFormat(trx, cipher, {
          table: 'chunks',
          column: 'payload',
          key: [
            { column: 'task_id', type: 'uuid' },
            { column: 'chunk_no', type: 'integer' },
          ],
          legacyContext: ([t, n]) => legacyContext(t, n),
          at: ([t, n]) => at(t, n),
        }),
      );
      assert.deepEqual(done, { resealed: 2400 - 3, unopenable: 1 });
      const after = (await sql<{ task_id: string; chunk_no: number; payload: string | null }>`select task_id, chunk_no, payload from chunks`.execute(db)).rows;
      for (const r of after) {
        if (r.task_id === tasks[0] && r.chunk_no === 5) assert.equal(r.payload, null);
        else if (r.task_id === tasks[0] && r.chunk_no === 6) assert.equal(r.payload, kept6, 'the current form is left as it is');
        else if (r.task_id === tasks[0] && r.chunk_no === 7) assert.ok(FieldCipher.isLegacy(r.payload!), 'what does not open is left for an operator');
        else assert.equal(cipher.decrypt(r.payload!, at(r.task_id, r.chunk_no)), `records ${r.task_id} ${r.chunk_no}`);
      }
    });
  });
}
