/**
 * Crypto-shredding (ShreddingCipher): values sealed under short-lived epoch keys kept outside the
 * database, re-sealed while pending, and the keys destroyed when no row needs them. On PGlite, and
 * on PostgreSQL when PMH_TEST_DATABASE_URL is set (where two connections can race).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { freshDatabase, openDatabase, sqlMigration, type Database, type FreshDatabase } from '../src/db/index.ts';
import { KeyDestroyedError, ShreddingCipher, type SealedColumn } from '../src/crypto/index.ts';
import { enqueue, Outbox, outboxMigrations, OUTBOX_SEALED, type OutboxMessage } from '../src/outbox/index.ts';
import { createLogger, LogCapture } from '../src/http/logging.ts';

const HELD = sqlMigration(
  'test-held-001',
  `create table held (ref text primary key, value text);
   create index held_epoch on held (split_part(value, '.', 2)) where value like 's1.%';`,
);
const HELD_COLUMN: SealedColumn = { table: 'held', column: 'value', rowKey: 'ref', rowKeyType: 'text', field: 'held.value' };
const COLUMNS = [OUTBOX_SEALED, HELD_COLUMN];

const backends = [{ name: 'pglite' }, ...(process.env.PMH_TEST_DATABASE_URL ? [{ name: 'postgres', adminUrl: process.env.PMH_TEST_DATABASE_URL }] : [])];
/** The ciphers' clock: it moves only when a test moves it, so an epoch passes without waiting. */
let clock = Date.now();
const now = () => clock;

/** Lets one epoch pass (1 s here), so the current one is past. */
async function nextEpoch(s: ShreddingCipher): Promise<void> {
  clock += s.epochSeconds * 1000;
}

async function hold(db: Kysely<any>, s: ShreddingCipher, ref: string, plain: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const v = (await s.sealer(trx)).seal(plain, HELD_COLUMN.field, ref);
    await sql`insert into held (ref, value) values (${ref}, ${v}) on conflict (ref) do update set value = excluded.value`.execute(trx);
    return v;
  });
}

async function heldValue(db: Kysely<any>, ref: string): Promise<string | null> {
  return (await sql<{ value: string | null }>`select value from held where ref = ${ref}`.execute(db)).rows[0]?.value ?? null;
}

for (const backend of backends) {
  describe(`ShreddingCipher (${backend.name})`, () => {
    let fresh: FreshDatabase;
    let database: Database;
    let db: Kysely<any>;
    let dir: string;
    let s: ShreddingCipher;

    before(async () => {
      fresh = await freshDatabase('core_shredding', [...outboxMigrations, HELD], { adminUrl: backend.adminUrl });
      database = await openDatabase(fresh.options);
      db = database.db;
      dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pmh-shredding-')), 'store');
      s = new ShreddingCipher({ dir, epochSeconds: 1, graceSeconds: 0, now });
    });
    after(async () => {
      await database.close();
      await fresh.drop();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    it('seals under the current epoch key, kept in its own file (0600, directory 0700), outside the database', async () => {
      const v = await hold(db, s, 'a', 'pmhaaaaaaaaaaaaaaaaaaaaaaaaaa');
      assert.match(v, /^s1\.e\d+\.[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal(v.includes('pmhaaaa'), false);
      const epoch = ShreddingCipher.epochOf(v);
      assert.deepEqual(s.epochs().includes(epoch), true);
      assert.equal(fs.statSync(path.join(dir, `${epoch}.key`)).mode & 0o777, 0o600);
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      assert.equal(s.open(v, HELD_COLUMN.field, 'a'), 'pmhaaaaaaaaaaaaaaaaaaaaaaaaaa');
    });

    it('a sealed value opens only as its own field of its own row, and not once altered', async () => {
      const v = await hold(db, s, 'b', 'secret-b');
      assert.throws(() => s.open(v, HELD_COLUMN.field, 'a'), 'bound to its row');
      assert.throws(() => s.open(v, 'other.field', 'b'), 'bound to its field');
      const parts = v.split('.');
      const ct = Buffer.from(parts[3], 'base64url');
      ct[0] ^= 1;
      parts[3] = ct.toString('base64url');
      assert.throws(() => s.open(parts.join('.'), HELD_COLUMN.field, 'b'), 'tampered');
    });

    it('re-seals pending rows under the current epoch, then destroys the old key: old copies open to nothing', async () => {
      await sql`delete from held`.execute(db);
      const old = await hold(db, s, 'c', 'secret-c');
      const oldEpoch = ShreddingCipher.epochOf(old);
      await nextEpoch(s);
      const round = await s.maintain(db, COLUMNS);
      assert.ok(round.destroyed.includes(oldEpoch), JSON.stringify(round));
      assert.ok(round.resealed >= 1);
      assert.equal(fs.existsSync(path.join(dir, `${oldEpoch}.key`)), false, 'the key file is gone');
      const now = (await heldValue(db, 'c'))!;
      assert.notEqual(ShreddingCipher.epochOf(now), oldEpoch, 'the pending row moved to the current epoch');
      assert.equal(s.open(now, HELD_COLUMN.field, 'c'), 'secret-c', 'a pending value is never lost');
      // The old ciphertext (as an old row version, the WAL or a backup still hold it) opens no more.
      assert.throws(() => s.open(old, HELD_COLUMN.field, 'c'), KeyDestroyedError);
    });

    it('destroys a key once nothing uses it: a forgotten value is unreadable everywhere', async () => {
      await sql`delete from held`.execute(db);
      await nextEpoch(s);
      const v = await hold(db, s, 'd', 'secret-d');
      await sql`update held set value = null where ref = 'd'`.execute(db);
      await nextEpoch(s);
      const round = await s.maintain(db, COLUMNS);
      assert.ok(round.destroyed.includes(ShreddingCipher.epochOf(v)));
      assert.equal(round.resealed, 0);
      assert.throws(() => s.open(v, HELD_COLUMN.field, 'd'), KeyDestroyedError);
    });

    it('another process of the service (same key store) opens what this one sealed, and forgets a key another destroyed', async () => {
      await sql`delete from held`.execute(db);
      const other = new ShreddingCipher({ dir, epochSeconds: 1, graceSeconds: 0, now });
      const v = await hold(db, s, 'e', 'secret-e');
      assert.equal(other.open(v, HELD_COLUMN.field, 'e'), 'secret-e');
      await sql`delete from held`.execute(db);
      await nextEpoch(s);
      assert.ok((await other.maintain(db, COLUMNS)).destroyed.includes(ShreddingCipher.epochOf(v)));
      // This process held the key in memory; its next upkeep round drops it, file gone.
      await s.maintain(db, COLUMNS);
      assert.throws(() => s.open(v, HELD_COLUMN.field, 'e'), KeyDestroyedError);
    });

    it('after a restart (a new instance on the same key store) pending values still open: the key was on disk before the row committed', async () => {
      await sql`delete from held`.execute(db);
      const v = await hold(db, s, 'f', 'secret-f');
      const restarted = new ShreddingCipher({ dir, epochSeconds: 1, graceSeconds: 0, now });
      assert.equal(restarted.open(v, HELD_COLUMN.field, 'f'), 'secret-f');
      await nextEpoch(s);
      await restarted.maintain(db, COLUMNS);
      assert.equal(restarted.open((await heldValue(db, 'f'))!, HELD_COLUMN.field, 'f'), 'secret-f');
    });

    it('a value copied into another row does not open there and keeps its key, reported for an operator', async () => {
      await sql`delete from held`.execute(db);
      await nextEpoch(s);
      const v = await hold(db, s, 'g', 'secret-g');
      await sql`insert into held (ref, value) values ('h', ${v})`.execute(db);
      await nextEpoch(s);
      const round = await s.maintain(db, COLUMNS);
      assert.equal(round.unopenable, 1);
      assert.ok(round.kept.includes(ShreddingCipher.epochOf(v)), 'kept while a row names it');
      assert.equal(s.open((await heldValue(db, 'g'))!, HELD_COLUMN.field, 'g'), 'secret-g');
      await sql`delete from held`.execute(db);
      assert.ok((await s.maintain(db, COLUMNS)).destroyed.includes(ShreddingCipher.epochOf(v)));
    });

    it('the outbox seals a payload bound to its message: delivered as sent; copied into another message it is parked, not sent', async () => {
      const sent: OutboxMessage[] = [];
      const logs = new LogCapture();
      const outbox = new Outbox(
        db,
        {
          probe: {
            batchSize: 10,
            async send(ms) {
              sent.push(...ms);
              return { result: null };
            },
          },
        },
        createLogger({ service: 'test', destination: logs, level: 'info' }),
        {},
        s,
      );
      await db.transaction().execute((trx) =>
        enqueue(
          trx,
          [
            { kind: 'probe', payload: { pmhId: 'pmhxxxxxxxxxxxxxxxxxxxxxxxxxx' }, dedupeKey: 'p1', seal: true },
            { kind: 'probe', payload: { plain: true } },
          ],
          s,
        ),
      );
      const rows = (
        await sql<{
          id: string;
          payload: string;
          encrypted: boolean;
        }>`select id::text as id, payload, encrypted from outbox where kind = 'probe' order by id`.execute(db)
      ).rows;
      assert.equal(rows.length, 2);
      assert.ok(ShreddingCipher.isSealed(rows[0].payload) && rows[0].encrypted);
      assert.equal(rows[0].payload.includes('pmhx'), false);
      assert.equal(rows[1].payload, '{"plain":true}', 'what is not sealed stays as it was');
      // A copy of the sealed payload into another message: bound to the first message's id, it does not open.
      await sql`insert into outbox (kind, dedupe_key, payload, encrypted) values ('probe', 'copy', ${rows[0].payload}, true)`.execute(db);
      while (await outbox.deliverOnce('probe'));
      assert.deepEqual(
        sent.map((m) => m.payload),
        [{ pmhId: 'pmhxxxxxxxxxxxxxxxxxxxxxxxxxx' }, { plain: true }],
      );
      const left = (
        await sql<{ dedupe_key: string; status: string; last_error: string }>`select dedupe_key, status, last_error from outbox where kind = 'probe'`.execute(
          db,
        )
      ).rows;
      assert.deepEqual(
        left.map((r) => [r.dedupe_key, r.status]),
        [['copy', 'dead']],
      );
      assert.match(left[0].last_error, /does not open/);
      assert.match(logs.text(), /a payload does not open; parked/);
      await sql`delete from outbox`.execute(db);
    });

    if (backend.name === 'postgres') {
      it('a key is not destroyed while a transaction that sealed under it is open: the row it commits still opens', async () => {
        await sql`delete from held`.execute(db);
        await nextEpoch(s);
        let sealedEpoch = '';
        let release!: () => void;
        const released = new Promise<void>((r) => (release = r));
        let sealedIt!: () => void;
        const sealed = new Promise<void>((r) => (sealedIt = r));
        const slow = db.transaction().execute(async (trx) => {
          const sealer = await s.sealer(trx);
          sealedEpoch = sealer.epoch;
          await sql`insert into held (ref, value) values ('slow', ${sealer.seal('secret-slow', HELD_COLUMN.field, 'slow')})`.execute(trx);
          sealedIt();
          await released; // still open while the epoch ends and the upkeep runs
        });
        await sealed;
        await nextEpoch(s);
        const during = await s.maintain(db, COLUMNS);
        assert.ok(!during.destroyed.includes(sealedEpoch), 'the sealing transaction holds its epoch');
        assert.ok(fs.existsSync(path.join(dir, `${sealedEpoch}.key`)));
        release();
        await slow;
        const afterCommit = await s.maintain(db, COLUMNS);
        assert.ok(afterCommit.destroyed.includes(sealedEpoch), JSON.stringify(afterCommit));
        assert.equal(s.open((await heldValue(db, 'slow'))!, HELD_COLUMN.field, 'slow'), 'secret-slow', 'nothing lost');
      });
    }
  });
}
