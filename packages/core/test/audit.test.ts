import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type Database } from '../src/db/index.ts';
import {
  appendAudit,
  appendAuditWithHeads,
  AuditHeadCache,
  auditMigrations,
  auditStream,
  computeAuditHash,
  GENESIS_HASH,
  readAudit,
  verifyAudit,
  type AuditEntry,
  type AuditRecord,
} from '../src/audit/index.ts';

// The same suite runs on every available backend: embedded PGlite always, and PostgreSQL when
// PMH_TEST_DATABASE_URL is set (on a fresh database that is dropped afterwards).
interface Backend {
  name: string;
  open(): Promise<{ database: Database; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'pglite',
    async open() {
      const database = await openDatabase({ dataDir: 'memory://', migrations: auditMigrations });
      return { database, cleanup: () => database.close() };
    },
  },
];

const PG_URL = process.env.PMH_TEST_DATABASE_URL;
if (PG_URL) {
  backends.push({
    name: 'postgres',
    async open() {
      const name = `pmh_t_${randomBytes(6).toString('hex')}`;
      const admin = async (text: string) => {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        try {
          await client.query(text);
        } finally {
          await client.end();
        }
      };
      await admin(`create database ${name}`);
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      let database: Database;
      try {
        database = await openDatabase({ url: url.toString(), migrations: auditMigrations, poolSize: 20 });
      } catch (e) {
        await admin(`drop database if exists ${name} with (force)`);
        throw e;
      }
      return {
        database,
        async cleanup() {
          await database.close();
          await admin(`drop database if exists ${name} with (force)`);
        },
      };
    },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function append(db: Kysely<any>, entries: AuditEntry[]): Promise<void> {
  return db.transaction().execute((trx) => appendAudit(trx, entries));
}

async function rowsOf(db: Kysely<any>, stream: string): Promise<Array<{ seq: number; prev_hash: string; hash: string }>> {
  const res = await sql<{ seq: string; prev_hash: string; hash: string }>`
    select seq, prev_hash, hash from audit_log where stream = ${stream} order by seq`.execute(db);
  return res.rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

async function headOf(db: Kysely<any>, stream: string): Promise<{ seq: number; hash: string } | undefined> {
  const res = await sql<{ seq: string; hash: string }>`
    select seq, hash from audit_heads where stream = ${stream}`.execute(db);
  return res.rows[0] && { seq: Number(res.rows[0].seq), hash: res.rows[0].hash };
}

/** Run `fn` as an attacker with direct database access: the append-only triggers are disabled. */
async function asAttacker(db: Kysely<any>, fn: () => Promise<void>): Promise<void> {
  await sql`alter table audit_log disable trigger user`.execute(db);
  await sql`alter table audit_heads disable trigger user`.execute(db);
  try {
    await fn();
  } finally {
    await sql`alter table audit_log enable trigger user`.execute(db);
    await sql`alter table audit_heads enable trigger user`.execute(db);
  }
}

async function appendMany(db: Kysely<any>, stream: string, n: number): Promise<void> {
  await append(
    db,
    Array.from({ length: n }, (_, i) => ({
      stream,
      actor: 'municipality:131016',
      action: 'subject.read',
      subjectRef: `subject:${stream}:${i}`,
      purpose: 'child-medical-subsidy',
      outcome: 'ok',
      detail: { requestId: `req-${i}`, fields: ['name', 'address'] },
    })),
  );
}

async function assertClean(db: Kysely<any>): Promise<void> {
  const v = await verifyAudit(db);
  assert.deepEqual(v.problems, []);
  assert.equal(v.ok, true);
}

function suite(backend: Backend): void {
  let database: Database;
  let cleanup: () => Promise<void>;
  let db: Kysely<any>;

  before(async () => {
    ({ database, cleanup } = await backend.open());
    db = database.db;
  });
  after(async () => {
    await cleanup?.();
  });

  it('auditStream: the actor alone, or one of a few stable shards per key', () => {
    assert.equal(auditStream('oqs'), 'oqs');
    const s = auditStream('institution:1311234567', 'req-1');
    assert.match(s, /^institution:1311234567#(\d|1[0-5])$/);
    assert.equal(auditStream('institution:1311234567', 'req-1'), s);
    const shards = new Set(Array.from({ length: 200 }, (_, i) => auditStream('oqs', `k${i}`, 4)));
    assert.deepEqual([...shards].sort(), ['oqs#0', 'oqs#1', 'oqs#2', 'oqs#3']);
  });

  it('appends across several streams, chains each from genesis, and verifies', async () => {
    const when = new Date('2024-04-01T09:00:00.123Z');
    await append(db, [
      { actor: 'municipality:131016', action: 'subject.register', subjectRef: 'subject:a', purpose: 'vaccination', outcome: 'ok' },
      { actor: 'oqs', action: 'eligibility.query', subjectRef: 'subject:a', outcome: 'denied', detail: { reason: 'no-consent' } },
      {
        actor: 'municipality:131016',
        action: 'subject.read',
        subjectRef: 'subject:b',
        outcome: 'ok',
        // Survives jsonb: nested, unsorted, integer-like keys, unicode, a Date, an undefined member.
        detail: { z: 1, a: { y: [1, 'x', null, true], b: 0.1 }, '10': 'ten', '9': 'nine', jp: '東京都', when, gone: undefined },
      },
    ]);
    await append(db, [
      { actor: 'oqs', action: 'eligibility.query', subjectRef: 'subject:b', outcome: 'ok' },
      { stream: auditStream('institution:1311234567', 'req-9'), actor: 'institution:1311234567', action: 'eligibility.query', outcome: 'error' },
    ]);

    const muni = await rowsOf(db, 'municipality:131016');
    assert.deepEqual(
      muni.map((r) => r.seq),
      [1, 2],
    );
    assert.equal(muni[0].prev_hash, GENESIS_HASH);
    assert.equal(muni[1].prev_hash, muni[0].hash);
    assert.deepEqual(await headOf(db, 'municipality:131016'), { seq: 2, hash: muni[1].hash });
    const oqs = await rowsOf(db, 'oqs');
    assert.deepEqual(
      oqs.map((r) => r.seq),
      [1, 2],
    );
    assert.equal(oqs[1].prev_hash, oqs[0].hash);

    const [rec] = await readAudit(db, { subjectRef: 'subject:b', limit: 10 }).then((r) => r.filter((x) => x.actor !== 'oqs'));
    assert.equal(rec.detail.when, when.toISOString());
    assert.equal('gone' in rec.detail, false);
    assert.match(rec.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(computeAuditHash(rec), rec.hash);

    const v = await verifyAudit(db, { batchSize: 1 }); // tiny pages exercise the keyset paging
    assert.deepEqual(v.problems, []);
    assert.equal(v.ok, true);
    assert.equal(v.streams, 3);
    assert.equal(v.rows, 5);
  });

  it('commits atomically with the caller: a rolled-back transaction leaves neither row nor head', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await appendAudit(trx, [{ actor: 'rollback:test', action: 'subject.read', outcome: 'ok' }]);
        throw new Error('business failure');
      }),
      /business failure/,
    );
    assert.deepEqual(await rowsOf(db, 'rollback:test'), []);
    assert.equal(await headOf(db, 'rollback:test'), undefined);
  });

  it('refuses to run outside a transaction', async () => {
    await assert.rejects(appendAudit(db, [{ actor: 'oqs', action: 'x', outcome: 'ok' }]), /inside a transaction/);
  });

  it('200 concurrent transactions on one stream make a gap-free chain', async () => {
    const stream = 'busy:stream';
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        append(db, [{ stream, actor: 'oqs', action: 'eligibility.query', subjectRef: `subject:c${i}`, outcome: 'ok', detail: { i } }]),
      ),
    );
    const rows = await rowsOf(db, stream);
    assert.deepEqual(
      rows.map((r) => r.seq),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
    assert.deepEqual(await headOf(db, stream), { seq: 200, hash: rows[199].hash });
    await assertClean(db);
  });

  it('concurrent transactions touching the same two streams in opposite orders do not deadlock', async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const pair: AuditEntry[] = [
          { stream: 'pair:x', actor: 'oqs', action: 'a', outcome: 'ok' },
          { stream: 'pair:y', actor: 'oqs', action: 'a', outcome: 'ok' },
        ];
        return append(db, i % 2 ? pair : pair.reverse());
      }),
    );
    assert.equal((await rowsOf(db, 'pair:x')).length, 60);
    assert.equal((await rowsOf(db, 'pair:y')).length, 60);
    await assertClean(db);
  });

  it('appendAuditWithHeads: new streams start at genesis, later appends continue the remembered heads, in or out of a transaction', async () => {
    const cache = new AuditHeadCache();
    const entry = (stream: string, i: number): AuditEntry => ({
      stream,
      actor: 'institution:1312345674',
      action: 'eligibility.query',
      subjectRef: `subject:h${i}`,
      outcome: 'ok',
      detail: { i },
    });
    await appendAuditWithHeads(db, [entry('cached:a', 1), entry('cached:b', 2), entry('cached:a', 3)], cache);
    assert.deepEqual(
      (await rowsOf(db, 'cached:a')).map((r) => r.seq),
      [1, 2],
    );
    // The head it wrote is remembered: the next append needs no read of it.
    assert.deepEqual(cache.get('cached:a'), await headOf(db, 'cached:a'));
    assert.deepEqual(cache.get('cached:b'), await headOf(db, 'cached:b'));
    await appendAuditWithHeads(db, [entry('cached:a', 4)], cache);
    await db.transaction().execute((trx) => appendAuditWithHeads(trx, [entry('cached:a', 5), entry('cached:b', 6)], cache));
    const a = await rowsOf(db, 'cached:a');
    assert.deepEqual(
      a.map((r) => r.seq),
      [1, 2, 3, 4],
    );
    for (let i = 1; i < a.length; i++) assert.equal(a[i].prev_hash, a[i - 1].hash);
    assert.deepEqual(cache.get('cached:a'), { seq: 4, hash: a[3].hash });
    assert.deepEqual(await headOf(db, 'cached:b'), cache.get('cached:b'));
    await assertClean(db);
  });

  it('appendAuditWithHeads: a head moved by another writer, or remembered from a rolled-back transaction, never breaks the chain', async () => {
    const cache = new AuditHeadCache();
    const entry = (i: number): AuditEntry => ({ stream: 'cached:stale', actor: 'oqs', action: 'eligibility.query', outcome: 'ok', detail: { i } });
    await appendAuditWithHeads(db, [entry(1)], cache);
    await append(db, [entry(2), entry(3)]); // another process, the locking way
    await appendAuditWithHeads(db, [entry(4)], cache); // remembers seq 1: appended the locking way instead
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await appendAuditWithHeads(trx, [entry(5)], cache);
        throw new Error('business failure');
      }),
      /business failure/,
    );
    await appendAuditWithHeads(db, [entry(6)], cache); // remembers the rolled-back seq 5
    await appendAuditWithHeads(db, [entry(7)], cache);
    const rows = await rowsOf(db, 'cached:stale');
    assert.deepEqual(
      rows.map((r) => r.seq),
      [1, 2, 3, 4, 5, 6],
    );
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
    const details = await sql<{ i: number }>`select (detail->>'i')::int as i from audit_log where stream = 'cached:stale' order by seq`.execute(db);
    assert.deepEqual(
      details.rows.map((r) => r.i),
      [1, 2, 3, 4, 6, 7],
    );
    assert.deepEqual(cache.get('cached:stale'), await headOf(db, 'cached:stale'));
    await assertClean(db);
  });

  it('appendAuditWithHeads: two processes appending to the same streams at once make gap-free chains', async () => {
    const caches = [new AuditHeadCache(), new AuditHeadCache()];
    await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        appendAuditWithHeads(
          db,
          [
            { stream: `race:${i % 3}`, actor: 'oqs', action: 'a', outcome: 'ok', detail: { i } },
            { stream: 'race:all', actor: 'oqs', action: 'a', outcome: 'ok' },
          ],
          caches[i % 2],
        ),
      ),
    );
    const all = await rowsOf(db, 'race:all');
    assert.deepEqual(
      all.map((r) => r.seq),
      Array.from({ length: 80 }, (_, i) => i + 1),
    );
    const perStream = await Promise.all([0, 1, 2].map((k) => rowsOf(db, `race:${k}`)));
    assert.deepEqual(
      perStream.map((r) => r.length),
      [27, 27, 26],
    );
    await assertClean(db);
  });

  it('a large batch is inserted in chunks and chains across them', async () => {
    await appendMany(db, 'bulk:stream', 2500);
    const rows = await rowsOf(db, 'bulk:stream');
    assert.equal(rows.length, 2500);
    assert.equal(rows[1000].prev_hash, rows[999].hash);
    await assertClean(db);
  });

  it('UPDATE, DELETE and TRUNCATE of audit_log are refused; heads only move forward', async () => {
    await appendMany(db, 'guard:stream', 2);
    await assert.rejects(sql`update audit_log set outcome = 'denied' where stream = 'guard:stream' and seq = 1`.execute(db), /append-only/);
    await assert.rejects(sql`delete from audit_log where stream = 'guard:stream' and seq = 2`.execute(db), /append-only/);
    await assert.rejects(sql`truncate audit_log`.execute(db), /append-only/);
    await assert.rejects(sql`delete from audit_heads where stream = 'guard:stream'`.execute(db), /append-only/);
    await assert.rejects(sql`update audit_heads set seq = 1 where stream = 'guard:stream'`.execute(db), /append-only/);
    assert.equal((await rowsOf(db, 'guard:stream')).length, 2);
    await assertClean(db);
  });

  it('detects an edited row as a hash mismatch at its stream and seq', async () => {
    const stream = 'tamper:edit';
    await appendMany(db, stream, 5);
    await sql`create table tamper_backup as select * from audit_log where stream = ${stream} and seq = 3`.execute(db);
    await asAttacker(db, async () => {
      await sql`update audit_log set detail = '{"requestId":"forged"}' where stream = ${stream} and seq = 3`.execute(db);
    });
    const v = await verifyAudit(db);
    assert.equal(v.ok, false);
    assert.deepEqual(
      v.problems.map(({ stream, seq, kind }) => ({ stream, seq, kind })),
      [{ stream, seq: 3, kind: 'hash-mismatch' }],
    );
    // An attacker who also recomputes the edited row's hash breaks the link to the next row.
    await asAttacker(db, async () => {
      const [row] = (await sql<any>`select * from audit_log where stream = ${stream} and seq = 3`.execute(db)).rows;
      const rec: Omit<AuditRecord, 'hash'> = {
        stream,
        seq: 3,
        at: new Date(row.at).toISOString(),
        actor: row.actor,
        action: row.action,
        subjectRef: row.subject_ref,
        purpose: row.purpose,
        outcome: row.outcome,
        detail: row.detail,
        prevHash: row.prev_hash,
      };
      await sql`update audit_log set hash = ${computeAuditHash(rec)} where stream = ${stream} and seq = 3`.execute(db);
    });
    const v2 = await verifyAudit(db);
    assert.deepEqual(
      v2.problems.map(({ stream, seq, kind }) => ({ stream, seq, kind })),
      [{ stream, seq: 4, kind: 'chain-break' }],
    );
    // Restore the original row.
    await asAttacker(db, async () => {
      await sql`delete from audit_log where stream = ${stream} and seq = 3`.execute(db);
      await sql`insert into audit_log select * from tamper_backup`.execute(db);
    });
    await sql`drop table tamper_backup`.execute(db);
    await assertClean(db);
  });

  it('detects a deleted middle row (gap) and a deleted last row (missing tail)', async () => {
    const stream = 'tamper:delete';
    await appendMany(db, stream, 5);
    await sql`create table tamper_backup as select * from audit_log where stream = ${stream}`.execute(db);
    try {
      await asAttacker(db, async () => {
        await sql`delete from audit_log where stream = ${stream} and seq = 3`.execute(db);
      });
      let v = await verifyAudit(db);
      assert.deepEqual(
        v.problems.map(({ stream, seq, kind }) => ({ stream, seq, kind })),
        [{ stream, seq: 3, kind: 'gap' }],
      );
      await sql`insert into audit_log select * from tamper_backup where seq = 3`.execute(db);
      await assertClean(db);

      await asAttacker(db, async () => {
        await sql`delete from audit_log where stream = ${stream} and seq = 5`.execute(db);
      });
      v = await verifyAudit(db);
      assert.deepEqual(
        v.problems.map(({ stream, seq, kind }) => ({ stream, seq, kind })),
        [{ stream, seq: 5, kind: 'missing-tail' }],
      );
      await sql`insert into audit_log select * from tamper_backup where seq = 5`.execute(db);
      await assertClean(db);

      // Every row of the stream deleted: the head still remembers it.
      await asAttacker(db, async () => {
        await sql`delete from audit_log where stream = ${stream}`.execute(db);
      });
      v = await verifyAudit(db);
      assert.deepEqual(
        v.problems.map(({ stream, seq, kind }) => ({ stream, seq, kind })),
        [{ stream, seq: 1, kind: 'missing-tail' }],
      );
      await sql`insert into audit_log select * from tamper_backup`.execute(db);
      await assertClean(db);
    } finally {
      await sql`drop table tamper_backup`.execute(db);
    }
  });

  it('detects a forged row beyond the head, and rows whose head was deleted (orphan stream)', async () => {
    const stream = 'tamper:head';
    await appendMany(db, stream, 3);
    const head = (await headOf(db, stream))!;
    // A correctly hashed row appended without moving the head (INSERT is not blocked by triggers).
    const forged: Omit<AuditRecord, 'hash'> = {
      stream,
      seq: 4,
      at: new Date().toISOString(),
      actor: 'oqs',
      action: 'subject.read',
      subjectRef: null,
      purpose: null,
      outcome: 'ok',
      detail: {},
      prevHash: head.hash,
    };
    await sql`insert into audit_log (stream, seq, at, actor, action, outcome, detail, prev_hash, hash)
      values (${stream}, 4, ${forged.at}, 'oqs', 'subject.read', 'ok', '{}', ${head.hash}, ${computeAuditHash(forged)})`.execute(db);
    let v = await verifyAudit(db);
    assert.deepEqual(
      v.problems.map(({ stream, seq, kind }) => ({ stream, seq, kind })),
      [{ stream, seq: 4, kind: 'head-mismatch' }],
    );
    await asAttacker(db, async () => {
      await sql`delete from audit_log where stream = ${stream} and seq = 4`.execute(db);
    });
    await assertClean(db);

    await asAttacker(db, async () => {
      await sql`delete from audit_heads where stream = ${stream}`.execute(db);
    });
    v = await verifyAudit(db);
    assert.deepEqual(
      v.problems.map(({ stream, seq, kind }) => ({ stream, seq, kind })),
      [{ stream, seq: undefined, kind: 'orphan-stream' }],
    );
    await sql`insert into audit_heads (stream, seq, hash) values (${stream}, ${head.seq}, ${head.hash})`.execute(db);
    await assertClean(db);
  });

  it('refuses a 12-digit number (possible My Number) without echoing it, and writes nothing', async () => {
    const base = { stream: 'mynumber:guard', actor: 'municipality:131016', action: 'subject.register', outcome: 'ok' };
    const bad: AuditEntry[] = [
      { ...base, detail: { note: '123456789012' } },
      { ...base, detail: { nested: [{ deeper: 'my number is 1234 5678 9012' }] } },
      { ...base, detail: { n: 123456789012 } },
      { ...base, detail: { fullwidth: '１２３４５６７８９０１２' } },
      { ...base, subjectRef: '123456789012' },
    ];
    for (const entry of bad) {
      await assert.rejects(append(db, [entry]), (e: Error) => {
        assert.match(e.message, /12-digit/);
        assert.doesNotMatch(e.message, /\d{4}\D?\d{4}\D?\d{4}|１２３/);
        return true;
      });
    }
    assert.deepEqual(await rowsOf(db, 'mynumber:guard'), []);
    // Not confused with other digit runs: institution codes, longer numbers, digests, UUIDs.
    await append(db, [
      {
        ...base,
        detail: {
          institution: '1311234567',
          thirteen: '1234567890123',
          uuid: '00000000-0000-4000-8000-123456789012',
          digest: 'ab123456789012cd',
        },
      },
    ]);
    assert.equal((await rowsOf(db, 'mynumber:guard')).length, 1);
    await assertClean(db);
  });

  it('readAudit returns a subject’s entries newest first, paged by keyset', async () => {
    const subjectRef = 'subject:reader';
    const actions = ['subject.register', 'subject.read', 'eligibility.query', 'subject.update', 'subject.read'];
    for (const [i, action] of actions.entries()) {
      await append(db, [
        { actor: i % 2 ? 'oqs' : 'municipality:131016', action, subjectRef, outcome: 'ok', detail: { i } },
        { actor: 'oqs', action: 'subject.read', subjectRef: 'subject:someone-else', outcome: 'ok' },
      ]);
      await sleep(3);
    }
    const page1 = await readAudit(db, { subjectRef, limit: 3 });
    assert.deepEqual(
      page1.map((r) => r.detail.i),
      [4, 3, 2],
    );
    assert.ok(page1.every((r) => r.subjectRef === subjectRef));
    const page2 = await readAudit(db, { subjectRef, limit: 3, before: page1[2] });
    assert.deepEqual(
      page2.map((r) => r.detail.i),
      [1, 0],
    );
    assert.deepEqual(
      page2.map((r) => r.action),
      ['subject.read', 'subject.register'],
    );
    assert.deepEqual(await readAudit(db, { subjectRef, limit: 3, before: page2[1] }), []);
    for (let i = 1; i < page1.length; i++) assert.ok(page1[i - 1].at >= page1[i].at);
  });
}

for (const backend of backends) {
  describe(`audit log on ${backend.name}`, () => suite(backend));
}
