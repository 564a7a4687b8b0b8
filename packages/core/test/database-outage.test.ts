import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, runMigrations, isConnectionError, type Database } from '../src/db/index.ts';
import { createLogger, LogCapture } from '../src/http/logging.ts';
import { Outbox, enqueue, outboxMigrations, type OutboxHandler } from '../src/outbox/index.ts';
import { startPrivatePostgres, privatePostgresUnavailable, type PrivatePostgres } from '../../testkit/src/private-postgres.ts';

/**
 * The database going away under the building blocks: a connection dropped while a client is
 * checked out, an outbox whose bookkeeping cannot be written, a polling loop through an outage.
 * PostgreSQL only, on a server of the test's own (it is stopped and cut here; the shared one never is).
 */
const skip = !process.env.PMH_TEST_DATABASE_URL
  ? 'PostgreSQL only (set PMH_TEST_DATABASE_URL): PGlite is embedded in the process and cannot go away'
  : privatePostgresUnavailable();

describe('a database that goes away (PostgreSQL)', { skip }, () => {
  let server: PrivatePostgres;
  let d: Database;
  const logs = new LogCapture();
  const log = createLogger({ service: 'test', destination: logs, level: 'debug' });

  before(async () => {
    server = await startPrivatePostgres();
    d = await openDatabase({ url: server.adminUrl });
    await runMigrations(d.db, outboxMigrations);
  });
  after(async () => {
    await d?.close();
    await server?.close();
  });

  /** Until `check` holds (polling). */
  const until = async (what: string, check: () => boolean | Promise<boolean>) => {
    for (let i = 0; !(await check()); i++) {
      assert.ok(i < 600, `timed out waiting for: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const outboxRows = async () =>
    (await sql<{ id: string; attempts: number; locked: boolean }>`select id, attempts, locked_until > now() as locked from outbox`.execute(d.db)).rows;

  it('a transaction whose connection is terminated fails with a connection error, and the process lives on', async () => {
    // Four transactions hold four checked-out clients; the pool has no listener on those.
    const inFlight = Array.from({ length: 4 }, () =>
      d.db
        .transaction()
        .execute((trx) => sql`select pg_sleep(5)`.execute(trx))
        .then(
          () => undefined,
          (e: unknown) => e,
        ),
    );
    await until(
      'four backends busy',
      async () =>
        Number(
          (await sql<{ n: string }>`select count(*) as n from pg_stat_activity where query like 'select pg_sleep%' and state = 'active'`.execute(d.db)).rows[0]
            .n,
        ) === 4,
    );
    assert.ok((await server.terminateBackends()) >= 4);
    const errors = await Promise.all(inFlight);
    for (const e of errors) assert.ok(isConnectionError(e), `a connection error: ${String(e)}`);
    // The pool reconnects for the next query; the health saw a lost connection, not an outage.
    assert.equal((await sql<{ one: number }>`select 1 as one`.execute(d.db)).rows[0].one, 1);
    assert.equal(d.health.view().outages, 0);
  });

  it('an outage is reported once when it starts and once when it ends, and the database is reachable again', async () => {
    const events: string[] = [];
    d.health.onDown(() => events.push('down'));
    d.health.onUp(() => events.push('up'));
    await server.stop();
    for (let i = 0; i < 5; i++) await sql`select 1`.execute(d.db).catch((e) => assert.ok(d.health.report(e)));
    await until('the outage seen', () => !d.health.isReachable);
    assert.match(d.health.view().lastError ?? '', /ECONNREFUSED|57P0[13]|terminat/);
    const returned = d.health.nextReturn();
    await server.start();
    await returned;
    assert.ok(d.health.isReachable);
    assert.deepEqual(events, ['down', 'up']);
    assert.equal(d.health.view().outages, 1);
  });

  /** An outbox whose only handler does `send` (and counts its calls); the lease is ten minutes, so nothing here can wait it out. */
  const outboxWith = (send: OutboxHandler['send']) => {
    const calls: string[][] = [];
    const outbox = new Outbox(
      d.db,
      {
        'test-kind': {
          batchSize: 10,
          send: async (messages) => {
            calls.push(messages.map((m) => m.payload.n));
            return send(messages);
          },
        },
      },
      log.child({ component: 'outbox' }),
      { pollMs: 25, baseBackoffMs: 50, maxBackoffMs: 200, leaseMs: 600_000 },
      undefined,
      d.health,
    );
    return { outbox, calls };
  };

  it('a delivery whose bookkeeping the database missed is written when it is back: not sent again, not left leased', async () => {
    await sql`delete from outbox`.execute(d.db);
    await d.db.transaction().execute((trx) =>
      enqueue(trx, [
        { kind: 'test-kind', payload: { n: 'a' } },
        { kind: 'test-kind', payload: { n: 'b' } },
      ]),
    );
    const linesBefore = logs.lines.length;
    let stopped = false;
    const { outbox, calls } = outboxWith(async () => {
      // Delivered; the database goes away before the delivery can be written down.
      if (!stopped) await server.stop();
      stopped = true;
      return { result: null };
    });
    outbox.start();
    try {
      await until('the outage seen', () => stopped && !d.health.isReachable);
      const during = await outbox.status();
      assert.equal(during[0].inFlight, 2, 'status answers without the database: two messages held, their outcome owed');
      await new Promise((r) => setTimeout(r, 1000));
      await server.start();
      await until('the outbox empty', async () => (await outboxRows()).length === 0);
      assert.deepEqual(calls, [['a', 'b']], 'delivered once');
    } finally {
      await outbox.stop();
    }
    // The polling loop said nothing through the outage (the health logs it, once, where a service runs).
    const loopLines = logs.lines.slice(linesBefore).filter((l) => /"level":(50|60)/.test(l));
    assert.deepEqual(loopLines, []);
  });

  it('a failed delivery whose failure the database missed goes again when it is back, not after the lease', async () => {
    await sql`delete from outbox`.execute(d.db);
    await d.db.transaction().execute((trx) => enqueue(trx, [{ kind: 'test-kind', payload: { n: 'c' } }]));
    let attempt = 0;
    let stopped = false;
    const { outbox, calls } = outboxWith(async () => {
      if (++attempt === 1) {
        await server.stop();
        stopped = true;
        throw new Error('peer answered 503');
      }
      return { result: null };
    });
    outbox.start();
    try {
      await until('the outage seen', () => stopped && !d.health.isReachable);
      await server.start();
      await until('the outbox empty', async () => (await outboxRows()).length === 0);
      assert.deepEqual(calls, [['c'], ['c']]);
    } finally {
      await outbox.stop();
    }
  });
});
