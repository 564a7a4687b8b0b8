/**
 * Issue 3 benchmark: N registered subjects → all linked to the portal, on PostgreSQL.
 * The four services run as their own processes (`pmh serve`), each on a fresh database; people are
 * enrolled first (insurers' 紐付番号 at the ID server, pseudonyms at OQS), then the clock runs from
 * the first registration POST until the hub holds a PMH pseudonym link for every subject, with the
 * time at which each stage completed. Stages overlap: each starts as soon as its first items arrive.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { TokenClient, generateClientKey } from '../packages/core/src/auth/index.ts';
import { freshDatabase, type FreshDatabase } from '../packages/core/src/db/index.ts';
import { randomIdentifier, randomLinkageNumber } from '../packages/core/src/crypto/index.ts';
import { ApiClient, JsonBody, hubApi, idserverApi, oqsApi } from '@pmh/protocol';
import { Rng, childMedicalRecord, CHILD_PROGRAM, myNumber } from '../packages/testkit/src/fixtures.ts';
import { migrationsOf } from '../packages/cli/src/services.ts';
import { freePort, log, perSec, secs, sleep, spawnService, stop, table, tempDir, type Spawned } from './lib.ts';

const SERVICES = ['hub', 'idserver', 'oqs', 'portal'] as const;
type Name = (typeof SERVICES)[number];

export interface FederationResult {
  subjects: number;
  seconds: number;
  perSecond: number;
  stages: Array<{ stage: string; doneAtSeconds: number }>;
}

export async function benchFederation(adminUrl: string, n = Number(process.env.PMH_BENCH_SUBJECTS ?? 100_000)): Promise<FederationResult> {
  const dir = tempDir('pmh-bench-fed-');
  const dbs = new Map<Name, FreshDatabase>();
  const procs: Spawned[] = [];
  const pools = new Map<Name, pg.Pool>();
  try {
    const env: Record<string, string> = { PMH_DATA_DIR: dir, PMH_LOG_LEVEL: 'warn', PMH_OUTBOX_MAX_BACKOFF_MS: '2000' };
    for (const s of SERVICES) {
      const port = await freePort();
      const db = await freshDatabase(s, await migrationsOf(s), { adminUrl });
      dbs.set(s, db);
      pools.set(s, new pg.Pool({ connectionString: db.options.url, max: 1 }));
      Object.assign(env, {
        [`PMH_${s.toUpperCase()}_PORT`]: String(port),
        [`PMH_${s.toUpperCase()}_PUBLIC_URL`]: `http://127.0.0.1:${port}`,
        [`PMH_${s.toUpperCase()}_DATABASE_URL`]: db.options.url!,
      });
    }
    const operator = await generateClientKey();
    const municipality = await generateClientKey();
    const clients = path.join(dir, 'clients.json');
    fs.writeFileSync(
      clients,
      JSON.stringify([
        { clientId: 'operator', role: 'admin', jwks: { keys: [operator.publicJwk] } },
        { clientId: 'm', role: 'municipality:131016', jwks: { keys: [municipality.publicJwk] } },
      ]),
    );
    const serve = (s: Name) => spawnService(['serve', s, '--port', env[`PMH_${s.toUpperCase()}_PORT`], '--clients', clients], env);
    procs.push(await serve('idserver')); // makes every key file first
    procs.push(...(await Promise.all((['oqs', 'portal', 'hub'] as const).map(serve))));
    const url = (s: Name) => env[`PMH_${s.toUpperCase()}_PUBLIC_URL`];
    const client = (s: Name, tokens: TokenClient) =>
      new ApiClient(url(s), { authorization: () => tokens.authorization(), invalidate: () => tokens.invalidate(), timeoutMs: 600_000 });
    const op = (s: Name) => client(s, new TokenClient({ baseUrl: url(s), clientId: 'operator', privateJwk: operator.privateJwk }));
    const municipalityTokens = new TokenClient({ baseUrl: url('hub'), clientId: 'm', privateJwk: municipality.privateJwk });
    const asMunicipality = client('hub', municipalityTokens);

    log(`federation: enrolling ${n.toLocaleString('en-US')} people at the ID server and OQS`);
    const rng = new Rng(2026);
    const people = Array.from({ length: n }, () => ({ myNumber: myNumber(rng), linkageNumber: randomLinkageNumber(), pseudonym: randomIdentifier('ps') }));
    for (let i = 0; i < n; i += 10_000) {
      const batch = people.slice(i, i + 10_000);
      await op('idserver').ok(idserverApi.importLinkageNumbers, {
        body: { entries: batch.map((p) => ({ myNumber: p.myNumber, linkageNumber: p.linkageNumber })) },
      });
      await op('oqs').ok(oqsApi.importInsured, {
        body: { entries: batch.map((p) => ({ linkageNumber: p.linkageNumber, pseudonym: p.pseudonym, cards: [] })) },
      });
    }
    const { certificateTypeId, ...program } = CHILD_PROGRAM;
    await asMunicipality.ok(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program });
    const bodies = [];
    for (let i = 0; i < n; i += 10_000)
      bodies.push(
        JsonBody.of(people.slice(i, i + 10_000).map((p, j) => childMedicalRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `B${i + j}` }))),
      );
    await municipalityTokens.token();

    const count = async (s: Name, q: string) => Number((await pools.get(s)!.query(q)).rows[0].n);
    const stages: Array<{ stage: string; check: () => Promise<number>; doneAt?: number }> = [
      { stage: 'registered at the hub', check: () => count('hub', 'select count(*) as n from subjects') },
      { stage: 'PMH-ID issued (hub holds it)', check: () => count('hub', 'select count(*) as n from subjects where pmh_id is not null') },
      { stage: 'linked at OQS', check: () => count('oqs', 'select count(*) as n from insured where pmh_id is not null') },
      { stage: 'PMH pseudonym made at the portal', check: () => count('portal', 'select count(*) as n from accounts where pmh_pseudonym is not null') },
      { stage: 'link acknowledged by the hub', check: () => count('hub', 'select count(*) as n from pmh_links') },
      {
        stage: 'portal forgot the PMH-ID',
        check: () => count('portal', 'select count(*) as n from accounts where pmh_pseudonym is not null and pmh_id_sealed is null'),
      },
    ];
    log(`federation: registering ${n.toLocaleString('en-US')} subjects in ${bodies.length} tasks and following them to the portal`);
    const t0 = performance.now();
    for (const body of bodies) await asMunicipality.ok(hubApi.municipal.registerMedicalSubsidy, { body });
    for (let last = ''; ; ) {
      let done = true;
      const progress: string[] = [];
      for (const s of stages) {
        if (s.doneAt !== undefined) continue;
        const c = await s.check();
        progress.push(`${s.stage}: ${c}`);
        if (c >= n) s.doneAt = performance.now() - t0;
        else done = false;
      }
      if (done) break;
      const line = progress.join(' · ');
      if (line !== last && Math.round(performance.now() - t0) % 5000 < 250) log(line);
      last = line;
      if (performance.now() - t0 > 1_800_000) throw new Error(`federation did not settle in 30 min: ${line}`);
      await sleep(200);
    }
    const seconds = Math.max(...stages.map((s) => s.doneAt!)) / 1000;
    const result: FederationResult = {
      subjects: n,
      seconds,
      perSecond: n / seconds,
      stages: stages.map((s) => ({ stage: s.stage, doneAtSeconds: s.doneAt! / 1000 })),
    };
    console.log(
      table(
        ['stage (all subjects)', 'done at'],
        result.stages.map((s) => [s.stage, secs(s.doneAtSeconds * 1000)]),
      ),
    );
    log(
      `federation: ${n.toLocaleString('en-US')} subjects linked end to end in ${secs(seconds * 1000)} = ${perSec(result.perSecond)} (target ≥ 2,000/s on PostgreSQL)`,
    );
    return result;
  } finally {
    for (const p of procs) await stop(p).catch(() => {});
    for (const p of pools.values()) await p.end().catch(() => {});
    for (const d of dbs.values()) await d.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  await benchFederation(url);
}
