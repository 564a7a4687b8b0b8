import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { openDatabase, freshDatabase, type FreshDatabase, type Database } from '@pmh/core/db/index';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { randomIdentifier, randomLinkageNumber } from '@pmh/core/crypto/index';
import { verifyAudit } from '@pmh/core/audit/index';
import {
  backends,
  freePort,
  tempDir,
  Rng,
  childRecord,
  CHILD_PROGRAM,
  myNumber,
  spawnService,
  stopProcess,
  type ServiceName,
  type HubProcess,
} from '../packages/testkit/src/index.ts';
import { migrationsOf } from '../packages/cli/src/services.ts';

const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
// Enough subjects that links are still in flight when the hub is killed (they are, at any N above a
// few dozen: the kill comes as soon as the task is applied, before issuance has begun to drain).
const N = 400;

/**
 * The services as four OS processes (`pmh serve`), sharing a data directory for their key files as
 * one operator's machine would. The hub is killed (SIGKILL: no shutdown code runs) while PMH-IDs
 * and links are in flight, and started again; the portal is killed while it holds every link
 * (sealed under epoch keys of a second), and started again epochs later: nothing is lost and
 * nothing is doubled.
 */
for (const backend of backends()) {
  describe(`the hub killed in the middle of delivery (${backend})`, () => {
    const dir = tempDir('pmh-fedcrash-');
    const env: Record<string, string> = { PMH_DATA_DIR: dir, PMH_OUTBOX_MAX_BACKOFF_MS: '1000', PMH_EPHEMERAL_KEY_SECONDS: '1' };
    const dbs: FreshDatabase[] = [];
    const procs = new Map<ServiceName, HubProcess>();
    const all: ChildProcess[] = [];
    let clientsFile = '';
    let operator: Awaited<ReturnType<typeof generateClientKey>>;
    let municipality: Awaited<ReturnType<typeof generateClientKey>>;

    const start = async (name: ServiceName, extra: Record<string, string> = {}) => {
      const p = await spawnService(['serve', name, '--port', env[`PMH_${name.toUpperCase()}_PORT`], '--clients', clientsFile], { ...env, ...extra });
      procs.set(name, p);
      all.push(p.child);
    };
    const openStore = async (name: ServiceName): Promise<Database> =>
      openDatabase({
        ...(env[`PMH_${name.toUpperCase()}_DATABASE_URL`] ? { url: env[`PMH_${name.toUpperCase()}_DATABASE_URL`] } : { dataDir: path.join(dir, name) }),
        migrations: await migrationsOf(name),
      });

    before(async () => {
      for (const name of SERVICES) {
        const port = await freePort();
        env[`PMH_${name.toUpperCase()}_PORT`] = String(port);
        env[`PMH_${name.toUpperCase()}_PUBLIC_URL`] = `http://127.0.0.1:${port}`;
        if (backend === 'postgres') {
          const db = await freshDatabase(name, await migrationsOf(name), { adminUrl: process.env.PMH_TEST_DATABASE_URL });
          dbs.push(db);
          env[`PMH_${name.toUpperCase()}_DATABASE_URL`] = db.options.url!;
        }
      }
      operator = await generateClientKey();
      municipality = await generateClientKey();
      clientsFile = path.join(dir, 'clients.json');
      fs.writeFileSync(
        clientsFile,
        JSON.stringify([
          { clientId: 'operator', role: 'admin', jwks: { keys: [operator.publicJwk] } },
          { clientId: 'm', role: 'municipality:131016', jwks: { keys: [municipality.publicJwk] } },
        ]),
      );
      // Key files first (each service admits the peers that call it by their key files), then all four.
      await start('idserver');
      await Promise.all(['oqs', 'portal', 'hub'].map((n) => start(n as ServiceName)));
    });
    after(async () => {
      for (const c of all) await stopProcess(c, 'SIGKILL');
      for (const d of dbs) await d.drop().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('loses nothing and doubles nothing', { timeout: 300_000 }, async () => {
      const url = (n: ServiceName) => env[`PMH_${n.toUpperCase()}_PUBLIC_URL`];
      const asOperator = new Map(SERVICES.map((n) => [n, new TokenClient({ baseUrl: url(n), clientId: 'operator', privateJwk: operator.privateJwk })]));
      let asMunicipality = new TokenClient({ baseUrl: url('hub'), clientId: 'm', privateJwk: municipality.privateJwk });
      const call = async (n: ServiceName, method: string, p: string, body: unknown, tokens: TokenClient) => {
        const res = await fetch(url(n) + p, {
          method,
          headers: { authorization: await tokens.authorization(), 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        assert.ok(res.ok, `${n} ${p}: ${res.status} ${text}`);
        return JSON.parse(text);
      };
      const rng = new Rng(909);
      const people = Array.from({ length: N }, () => ({ myNumber: myNumber(rng), linkageNumber: randomLinkageNumber(), pseudonym: randomIdentifier('ps') }));
      await call(
        'idserver',
        'POST',
        '/idserver/v1/linkage-numbers',
        { entries: people.map((p) => ({ myNumber: p.myNumber, linkageNumber: p.linkageNumber })) },
        asOperator.get('idserver')!,
      );
      await call(
        'oqs',
        'POST',
        '/oqs/v1/insured',
        { entries: people.map((p) => ({ linkageNumber: p.linkageNumber, pseudonym: p.pseudonym, cards: [] })) },
        asOperator.get('oqs')!,
      );
      const { certificateTypeId, ...program } = CHILD_PROGRAM;
      await call('hub', 'PUT', `/municipal/v1/medical-subsidy/programs/${certificateTypeId}`, program, asMunicipality);
      // The portal is started again unable to reach the hub, so that it holds every link it gets.
      const nowhere = { PMH_HUB_PUBLIC_URL: `http://127.0.0.1:${await freePort()}` };
      await stopProcess(procs.get('portal')!.child);
      await start('portal', nowhere);
      const { taskId } = await call(
        'hub',
        'POST',
        '/municipal/v1/medical-subsidy/registration-tasks',
        people.map((p, i) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `C${i}` })),
        asMunicipality,
      );

      // Kill the hub as soon as the first links come back, while the rest are in flight.
      const status = async () => (await call('portal', 'GET', '/admin/v1/status', undefined, asOperator.get('portal')!)).pipelines;
      for (let i = 0; i < 3000; i++) {
        const task = await call('hub', 'GET', `/municipal/v1/registration-tasks/${taskId}`, undefined, asMunicipality);
        if (task.status === 'done') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await stopProcess(procs.get('hub')!.child, 'SIGKILL');
      await status(); // the portal is still up, holding what it could not deliver
      await start('hub');
      asMunicipality = new TokenClient({ baseUrl: url('hub'), clientId: 'm', privateJwk: municipality.privateJwk });
      const task = await call('hub', 'GET', `/municipal/v1/registration-tasks/${taskId}`, undefined, asMunicipality);
      for (let i = 0; task.status !== 'done' && i < 100; i++) await new Promise((r) => setTimeout(r, 100));

      // The portal holds all N PMH-IDs, sealed under epoch keys of a second. Killed, down for
      // several epochs, started again: every one still opens (each key was on disk before its
      // rows committed) and is re-sealed under a new epoch; then it reaches the hub.
      const held = async () =>
        (await status())
          .filter((p: { name: string }) => p.name === 'hub-portal-link')
          .reduce((n: number, p: { pending: number; retrying: number }) => n + p.pending + p.retrying, 0);
      for (let i = 0; (await held()) < N; i++) {
        assert.ok(i < 1200, `links did not reach the portal (${await held()})`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await stopProcess(procs.get('portal')!.child, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 3000));
      await start('portal', nowhere);
      assert.equal(await held(), N, 'every held link survived the crash');
      await stopProcess(procs.get('portal')!.child);
      await start('portal');

      // Wait until every pipeline of every service is empty.
      for (let i = 0; ; i++) {
        let backlog = 0;
        for (const n of SERVICES)
          for (const p of (await call(n, 'GET', '/admin/v1/status', undefined, asOperator.get(n)!)).pipelines) backlog += p.pending + p.retrying + p.dead;
        if (backlog === 0) break;
        assert.ok(i < 1200, `pipelines did not drain (backlog ${backlog})`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Nothing is held any more: the portal's upkeep destroys every epoch key.
      const portalKeys = path.join(dir, 'keys', 'portal.ephemeral');
      for (let i = 0; fs.readdirSync(portalKeys).some((f) => f.endsWith('.key')); i++) {
        assert.ok(i < 200, `epoch keys left: ${fs.readdirSync(portalKeys)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const n of SERVICES) await stopProcess(procs.get(n)!.child);

      const counts: Record<string, number> = {};
      for (const n of SERVICES) {
        const d = await openStore(n);
        try {
          const q = async (query: ReturnType<typeof sql>) => Number(((await query.execute(d.db)).rows[0] as { n: string }).n);
          if (n === 'hub') {
            counts.subjects = await q(sql`select count(*) as n from subjects`);
            counts.issued = await q(sql`select count(*) as n from subjects where pmh_id is not null`);
            counts.distinctPmhIds = await q(sql`select count(distinct pmh_id) as n from subjects`);
            counts.hubLinks = await q(sql`select count(*) as n from pmh_links l join subjects s on s.pmh_id = l.pmh_id`);
          }
          if (n === 'idserver') counts.persons = await q(sql`select count(*) as n from persons where pmh_id is not null`);
          if (n === 'oqs') counts.oqsLinked = await q(sql`select count(*) as n from insured where pmh_id is not null`);
          if (n === 'portal') {
            counts.accounts = await q(sql`select count(distinct pmh_pseudonym) as n from accounts`);
            counts.portalPmhIds = await q(sql`select count(*) as n from accounts where pmh_id_sealed is not null`);
          }
          counts[`${n}Outbox`] = await q(sql`select count(*) as n from outbox`);
          const audit = await verifyAudit(d.db);
          assert.ok(audit.ok, `${n} audit chain intact: ${JSON.stringify(audit.problems.slice(0, 2))}`);
        } finally {
          await d.close();
        }
      }
      assert.deepEqual(counts, {
        subjects: N,
        issued: N,
        distinctPmhIds: N,
        hubLinks: N,
        hubOutbox: 0,
        persons: N,
        idserverOutbox: 0,
        oqsLinked: N,
        oqsOutbox: 0,
        accounts: N,
        portalPmhIds: 0,
        portalOutbox: 0,
      });
    });
  });
}
