import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshDatabase, openDatabase, type Database, type FreshDatabase } from '../src/db/index.ts';
import { createApp } from '../src/http/app.ts';
import { createLogger, LogCapture } from '../src/http/logging.ts';
import { enqueue, Outbox, outboxMigrations, type OutboxHandler } from '../src/outbox/index.ts';

/**
 * PostgreSQL may give one transaction up so that others go on: a deadlock (40P01) or a
 * serialization failure (40001). Nothing of it was written, so the same work succeeds when tried
 * again: a request answers 503 with Retry-After (counterparts retry), and an outbox settlement runs
 * again at once instead of leaving its delivered messages leased for the whole lease.
 */
function gaveWay(code: '40P01' | '40001'): Error {
  return Object.assign(new Error(code === '40P01' ? 'deadlock detected' : 'could not serialize access due to concurrent update'), { code });
}

describe('a request the database gave up for a concurrent one', () => {
  for (const code of ['40P01', '40001'] as const) {
    it(`answers 503 problem+json with Retry-After on ${code}, never 500`, async () => {
      const logs = new LogCapture();
      const app = await createApp({ service: 't', logger: createLogger({ service: 't', destination: logs }), rateLimit: { enabled: false } });
      app.post('/t/v1/things', { config: { access: 'public' } }, async () => {
        throw gaveWay(code);
      });
      await app.ready();
      const res = await app.inject({ method: 'POST', url: '/t/v1/things', payload: {} });
      assert.equal(res.statusCode, 503);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(res.json().status, 503);
      assert.match(res.json().type, /contended/);
      assert.doesNotMatch(logs.text(), /"level":50/, 'not logged as a server error');
      await app.close();
    });
  }
});

const backends = [{ name: 'pglite' }, ...(process.env.PMH_TEST_DATABASE_URL ? [{ name: 'postgres', adminUrl: process.env.PMH_TEST_DATABASE_URL }] : [])];

for (const backend of backends) {
  describe(`an outbox settlement the database gave up (${backend.name})`, () => {
    let fresh: FreshDatabase;
    let database: Database;
    before(async () => {
      fresh = await freshDatabase('core_contention', outboxMigrations, { adminUrl: backend.adminUrl });
      database = await openDatabase(fresh.options);
    });
    after(async () => {
      await database.close();
      await fresh.drop();
    });

    it('runs again at once: the message is delivered once, deleted, and not left leased', async () => {
      const sent: string[] = [];
      let refusals = 2;
      let settled = 0;
      const handler: OutboxHandler<{ n: number }, null> = {
        batchSize: 10,
        async send(messages) {
          sent.push(...messages.map((m) => m.id));
          return { result: null };
        },
        async onDelivered(trx) {
          // Writes, then is given up: the retry must not see this write.
          await sql`insert into outbox (id, kind, dedupe_key, payload, encrypted) values (999999, 'noise', null, '{}', false)`.execute(trx);
          if (refusals-- > 0) throw gaveWay('40P01');
          await sql`delete from outbox where id = 999999`.execute(trx);
          settled++;
        },
      };
      const outbox = new Outbox(database.db, { t: handler }, createLogger({ service: 't', destination: new LogCapture() }), { pollMs: 10_000 });
      await database.db.transaction().execute((trx) => enqueue(trx, [{ kind: 't', payload: { n: 1 } }]));
      // Without the retry, deliverOnce rejects and the message stays leased until the lease ends.
      assert.equal(await outbox.deliverOnce('t'), true);
      assert.equal(sent.length, 1, 'sent once');
      assert.equal(settled, 1);
      const { rows } = await sql<{ n: string }>`select count(*) as n from outbox`.execute(database.db);
      assert.equal(Number(rows[0].n), 0, 'delivered and deleted; nothing of the given-up attempts kept');
    });

    it('gives up after a few tries, leaving the message to the lease as before (no endless loop)', async () => {
      const handler: OutboxHandler<{ n: number }, null> = {
        batchSize: 10,
        async send() {
          return { result: null };
        },
        async onDelivered() {
          throw gaveWay('40001');
        },
      };
      const outbox = new Outbox(database.db, { u: handler }, createLogger({ service: 't', destination: new LogCapture() }), { pollMs: 10_000 });
      await database.db.transaction().execute((trx) => enqueue(trx, [{ kind: 'u', payload: { n: 2 } }]));
      await assert.rejects(outbox.deliverOnce('u'), /could not serialize/);
      const { rows } = await sql<{ n: string }>`select count(*) as n from outbox where kind = 'u'`.execute(database.db);
      assert.equal(Number(rows[0].n), 1, 'kept, to be delivered again');
    });
  });
}
