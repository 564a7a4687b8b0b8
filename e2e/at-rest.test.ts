import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hubApi } from '@pmh/protocol';
import { callAs } from '../packages/testkit/src/http.ts';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { World, backends, Rng, childRecord, CHILD_PROGRAM, myNumber, type ServiceName } from '../packages/testkit/src/index.ts';
import { attributeWalHits, filesUnder, isWalSegment, postgresFiles, searchFiles, snapshotWal, type Hit } from '../packages/testkit/src/raw-files.ts';
import { tempDir } from '../packages/testkit/src/index.ts';
import { ShreddingCipher, randomIdentifier } from '../packages/core/src/crypto/index.ts';
import { OUTBOX_SEALED } from '../packages/core/src/outbox/index.ts';
import { HELD_PMH_ID } from '../packages/portal/src/store/accounts.ts';

/**
 * What the disk keeps (docs/privacy.md#invariant-5, below SQL): after the whole identifier
 * federation, the portal's raw files — every table, index and TOAST file of its database, and the
 * write-ahead log — hold no PMH-ID in any encoding, although the portal held each one until the
 * hub acknowledged it: it held them only sealed under epoch keys that are destroyed since. The hub,
 * which keeps its PMH-IDs, is searched the same way: the search finds what is there.
 */
const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
const PEOPLE = 40;

async function count(w: World, service: ServiceName, query: ReturnType<typeof sql>): Promise<number> {
  return Number(((await query.execute(w.service(service).database.db)).rows[0] as { n: string }).n);
}

/** Every subject linked to the portal, every outbox empty, nothing held at the portal. */
async function settled(w: World, subjects: number): Promise<boolean> {
  if ((await count(w, 'hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) < subjects) return false;
  for (const s of SERVICES) if ((await count(w, s, sql`select count(*) as n from outbox`)) > 0) return false;
  return (await count(w, 'portal', sql`select count(*) as n from accounts where pmh_id_sealed is not null`)) === 0;
}

function summary(hits: Hit[], root: string): string {
  const byFile = new Map<string, number>();
  const name = (f: string) => (isWalSegment(f) ? `pg_wal/${path.basename(f)}` : path.relative(root, f));
  for (const h of hits) byFile.set(name(h.file), (byFile.get(name(h.file)) ?? 0) + 1);
  return `${hits.length} hits of ${new Set(hits.map((h) => h.identifier)).size} PMH-IDs (${[...new Set(hits.map((h) => h.encoding))].join(', ')}) in ${JSON.stringify(Object.fromEntries(byFile))}`;
}

/** The epochs of every sealed value (`s1.<epoch>.…`) lying in these files. */
function sealedEpochsIn(files: string[]): Set<string> {
  const epochs = new Set<string>();
  for (const f of files) {
    const text = fs.readFileSync(f, 'latin1');
    for (const m of text.matchAll(/s1\.(e\d{9,11})\.[A-Za-z0-9_-]{16}\./g)) epochs.add(m[1]);
  }
  return epochs;
}

for (const backend of backends()) {
  describe(`identifiers at rest after the federation flow (${backend})`, () => {
    let w: World;
    const started = Date.now();
    const snapshot = tempDir('pmh-wal-snapshot-');
    before(async () => {
      // Epochs of a second, so that the keys of what was held are destroyed within the test.
      w = await World.start({ backend, services: SERVICES, persistent: true, ephemeralKeys: { epochSeconds: 1, graceSeconds: 1 } });
    });
    after(async () => {
      await w.stop();
      fs.rmSync(snapshot, { recursive: true, force: true });
    });

    it("leaves no PMH-ID in the portal's data files or WAL, and what it sealed there opens to nothing", { timeout: 300_000 }, async (t) => {
      const rng = new Rng(1010);
      for (const code of ['131016', '271004']) {
        const { certificateTypeId, ...program } = CHILD_PROGRAM;
        const r = await callAs(w, w.municipality(code), hubApi.municipal.putProgram, {
          params: { orgSpecificCertificateTypeId: certificateTypeId },
          body: program,
        });
        assert.ok(r.status === 200 || r.status === 201, r.text);
      }
      const people = await w.enrol(Array.from({ length: PEOPLE }, () => myNumber(rng)));
      await w.register(
        w.municipality('131016'),
        'medical-subsidy',
        people.slice(0, PEOPLE / 2).map((p, i) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `R-A-${i}` })),
      );
      await w.register(
        w.municipality('271004'),
        'medical-subsidy',
        people.slice(PEOPLE / 2).map((p, i) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `R-B-${i}` })),
      );
      await w.until('every subject linked and nothing held', () => settled(w, PEOPLE));

      // The portal held each PMH-ID sealed; with nothing pending, its upkeep destroys every key.
      const keyDir = w.ephemeralKeyDir('portal');
      assert.ok(fs.existsSync(keyDir), 'the portal sealed under epoch keys kept beside its key file');
      await w.until('every epoch key of the portal destroyed', async () => new ShreddingCipher({ dir: keyDir }).epochs().length === 0, 30_000);

      const pmhIds = (await sql<{ pmh_id: string }>`select distinct pmh_id from subjects where pmh_id is not null`.execute(w.hub.database.db)).rows.map(
        (r) => r.pmh_id,
      );
      assert.equal(pmhIds.length, PEOPLE, 'one PMH-ID per person, each issued by the ID server and sent to the portal');

      let portalFiles: string[];
      let hubFiles: string[];
      let root: string;
      let portalHits: Hit[];
      let hubHits: Hit[];
      if (backend === 'pglite') {
        const portalDir = w.storage('portal').dataDir!;
        await w.stopService('portal'); // a clean stop: every page on disk
        root = portalDir;
        portalFiles = filesUnder(portalDir);
        hubFiles = filesUnder(w.storage('hub').dataDir!);
        portalHits = searchFiles(portalFiles, pmhIds);
        hubHits = searchFiles(hubFiles, pmhIds);
      } else {
        const portal = await postgresFiles(w.storage('portal').url!, ['accounts', 'outbox', 'audit_log']);
        const hub = await postgresFiles(w.storage('hub').url!, ['subjects']);
        if (!portal || !hub) return t.skip("the PostgreSQL data directory cannot be read here (needs a superuser and root or the server's user)");
        root = portal.dataDirectory;
        for (const [table, file] of Object.entries(portal.relations))
          assert.ok(file.startsWith(`base/${portal.databaseOid}/`), `${table} lies in the portal's database directory`);
        // The WAL is the cluster's: the segments written since this world began (recycled ones too,
        // read at the addresses their pages give), every hit attributed to its record's database.
        const wal = snapshotWal(portal.walDir, snapshot, started - 1000);
        assert.ok(wal.length > 0);
        portalFiles = [...filesUnder(portal.databaseDir), ...wal];
        hubFiles = filesUnder(hub.databaseDir);
        const all = searchFiles(portalFiles, pmhIds);
        assert.ok(attributeWalHits(wal, all), 'pg_waldump names the database of each WAL record');
        portalHits = all.filter((h) => h.lsn === undefined || h.databaseOid === portal.databaseOid || h.databaseOid == null);
        // The hub's WAL records are in the same segments: they are the search's proof that it finds what is there.
        hubHits = [...searchFiles(hubFiles, pmhIds), ...all.filter((h) => h.lsn !== undefined && h.databaseOid === hub.databaseOid)];
        // The server's log, where a failed statement would be written with its text: the portal's lines.
        const serverLog = '/var/log/postgresql/postgresql-15-main.log';
        if (fs.existsSync(serverLog)) {
          const name = new URL(w.storage('portal').url!).pathname.slice(1);
          const lines = fs
            .readFileSync(serverLog, 'utf8')
            .split('\n')
            .filter((l) => l.includes(`@${name} `));
          for (const id of pmhIds)
            assert.equal(
              lines.some((l) => l.includes(id.slice(3))),
              false,
              'no PMH-ID in the server log lines of the portal',
            );
          t.diagnostic(`server log: ${lines.length} lines of the portal's database searched`);
        }
      }
      const bytes = (files: string[]) => files.reduce((n, f) => n + (fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
      t.diagnostic(
        `searched ${pmhIds.length} PMH-IDs × 19 encodings in the portal's ${portalFiles.length} files (${(bytes(portalFiles) / 1e6).toFixed(1)} MB, ${portalFiles.filter(isWalSegment).length} WAL segments): ${summary(portalHits, root)}`,
      );
      t.diagnostic(`the hub's files (control): ${summary(hubHits, path.dirname(root))}`);

      assert.equal(new Set(hubHits.map((h) => h.identifier)).size, PEOPLE, 'the search finds every PMH-ID where it is kept (the hub)');
      assert.deepEqual(portalHits, [], 'no PMH-ID in any encoding in any file of the portal');

      // What the portal did write about them is sealed, under epochs whose keys are all gone.
      const epochs = sealedEpochsIn(portalFiles);
      t.diagnostic(`sealed values in the portal's files: ${epochs.size} epochs, keys left: ${new ShreddingCipher({ dir: keyDir }).epochs().length}`);
      assert.ok(epochs.size > 0, 'the held PMH-IDs and the messages to the hub were written sealed');
      for (const e of epochs) assert.equal(fs.existsSync(path.join(keyDir, `${e}.key`)), false, `the key of ${e} is destroyed`);
    });

    it('an upgraded portal seals the PMH-IDs it held in clear, at its first start, and still delivers them', async () => {
      await w.stopService('portal');
      await w.startService('portal');
      await w.stopService('hub'); // the links wait at the portal, as they would across an upgrade
      const held = Array.from({ length: 3 }, () => ({ ps: randomIdentifier('ps'), pp: randomIdentifier('pp'), pmhId: randomIdentifier('pmh') }));
      // The portal's database as the version before left it: PMH-IDs in clear on the accounts and in the outbox.
      await w
        .service('portal')
        .database.db.transaction()
        .execute(async (trx) => {
          await sql`alter table accounts add column pmh_id text`.execute(trx);
          for (const h of held) {
            await sql`insert into accounts (pseudonym, pmh_pseudonym, pmh_id) values (${h.ps}, ${h.pp}, ${h.pmhId})`.execute(trx);
            await sql`insert into outbox (kind, dedupe_key, payload) values ('hub-portal-link', ${h.pp}, ${JSON.stringify({ pmhPseudonym: h.pp, pmhId: h.pmhId })})`.execute(
              trx,
            );
          }
          await sql`delete from schema_migrations where name = 'portal-data-001-seal-held-pmh-ids'`.execute(trx);
        });
      await w.stopService('portal');
      await w.startService('portal');

      const portal = w.service('portal');
      const columns = (
        await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'accounts'`.execute(portal.database.db)
      ).rows.map((r) => r.column_name);
      assert.equal(columns.includes('pmh_id'), false, 'the clear column is gone');
      const accounts = (
        await sql<{
          pseudonym: string;
          pmh_id_sealed: string;
        }>`select pseudonym, pmh_id_sealed from accounts where pseudonym = any(${held.map((h) => h.ps)}::text[])`.execute(portal.database.db)
      ).rows;
      assert.deepEqual(
        accounts.map((a) => portal.base.shredding.open(a.pmh_id_sealed, HELD_PMH_ID.field, a.pseudonym)).sort(),
        held.map((h) => h.pmhId).sort(),
        'each held PMH-ID, sealed for its account',
      );
      const messages = (
        await sql<{
          id: string;
          payload: string;
          encrypted: boolean;
        }>`select id::text as id, payload, encrypted from outbox where kind = 'hub-portal-link'`.execute(portal.database.db)
      ).rows;
      assert.equal(messages.length, 3);
      for (const m of messages) {
        assert.ok(m.encrypted && ShreddingCipher.isSealed(m.payload), 'the message is sealed');
        assert.ok(held.some((h) => portal.base.shredding.open(m.payload, OUTBOX_SEALED.field, m.id).includes(h.pmhId)));
      }

      await w.startService('hub');
      await w.until(
        'the held links reach the hub and the portal forgets them',
        async () =>
          (await count(w, 'portal', sql`select count(*) as n from accounts where pmh_id_sealed is not null`)) === 0 &&
          (await count(w, 'portal', sql`select count(*) as n from outbox`)) === 0,
      );
      const linked = (
        await sql<{
          pmh_id: string;
          pmh_pseudonym: string;
        }>`select pmh_id, pmh_pseudonym from pmh_links where pmh_pseudonym = any(${held.map((h) => h.pp)}::text[])`.execute(w.hub.database.db)
      ).rows;
      assert.deepEqual(linked.map((l) => [l.pmh_pseudonym, l.pmh_id]).sort(), held.map((h) => [h.pp, h.pmhId]).sort());
    });
  });
}
