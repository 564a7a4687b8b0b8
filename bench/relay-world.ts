/**
 * What the relay benches share (bench/vaccination-relay.ts, bench/checkup-venue.ts): the four services
 * as `pmh serve` processes on fresh PostgreSQL databases, N people enrolled with cards at the ID
 * server and OQS, registered by one municipality (the caller's registration), linked through the
 * federation, each consenting once at the clinic (a consent of 10 minutes); then autocannon runs with
 * the CPU each service spends per request and how busy the machine was.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import autocannon from 'autocannon';
import { TokenClient, generateClientKey } from '../packages/core/src/auth/index.ts';
import { freshDatabase, type FreshDatabase } from '../packages/core/src/db/index.ts';
import { generateSigningKey, randomIdentifier, randomLinkageNumber, signCardChallenge } from '../packages/core/src/crypto/index.ts';
import { ApiClient, idserverApi, oqsApi, portalApi, type ConsentScope } from '@pmh/protocol';
import { Rng, myNumber } from '../packages/testkit/src/fixtures.ts';
import { migrationsOf } from '../packages/cli/src/services.ts';
import { freePort, log, sleep, spawnService, stop, table, secs, tempDir, type Spawned } from './lib.ts';

export const SERVICES = ['hub', 'idserver', 'oqs', 'portal'] as const;
export type Name = (typeof SERVICES)[number];
export const INSTITUTION = '1312345674';
export const MUNICIPALITY = '131016';
export const WARM_UP_SECONDS = Number(process.env.PMH_BENCH_WARM_UP_SECONDS ?? 3);

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

export function machineCpuSeconds(): { busy: number; all: number } {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const all = f.reduce((a, b) => a + b, 0) / 100;
  return { busy: all - (f[3] + f[4]) / 100, all };
}

export interface RelayFigure {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  cpuPerRequest: Record<string, number>;
  machineBusy: number;
  loadAverage: number;
}

export async function load(
  bench: string,
  name: string,
  o: { url: string; method: 'GET' | 'POST'; headers: Record<string, string>; next: () => { path: string; body?: string } },
  connections: number,
  durationSeconds: number,
  watch: Record<string, number>,
): Promise<RelayFigure> {
  const requests = [
    {
      method: o.method,
      headers: { ...(o.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...o.headers },
      setupRequest: (req: Record<string, unknown>) => ({ ...req, ...o.next() }),
    },
  ];
  if (WARM_UP_SECONDS > 0) await autocannon({ url: o.url, connections, duration: WARM_UP_SECONDS, requests });
  const before = Object.fromEntries(Object.entries(watch).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const machineBefore = machineCpuSeconds();
  const self = process.cpuUsage();
  const r = await autocannon({ url: o.url, connections, duration: durationSeconds, requests });
  const served = r.requests.average * durationSeconds;
  const mine = process.cpuUsage(self);
  const machine = machineCpuSeconds();
  const f: RelayFigure = {
    name,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    cpuPerRequest: {
      ...Object.fromEntries(Object.entries(watch).map(([k, pid]) => [k, ((cpuSeconds(pid) - before[k]) * 1000) / served])),
      autocannon: (mine.user + mine.system) / 1000 / served,
    },
    machineBusy: (machine.busy - machineBefore.busy) / (machine.all - machineBefore.all),
    loadAverage: os.loadavg()[0],
  };
  log(
    `${bench}: ${name}: ${Math.round(f.requestsPerSecond).toLocaleString('en-US')} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, non-2xx ${f.non2xx}, errors ${f.errors}; ${cpuText(f)}`,
  );
  return f;
}

export function cpuText(f: RelayFigure): string {
  const each = Object.entries(f.cpuPerRequest)
    .map(([k, v]) => `${k} ${v.toFixed(2)} ms`)
    .join(', ');
  return `CPU per request: ${each}; machine ${(f.machineBusy * 100).toFixed(0)}% busy, load ${f.loadAverage.toFixed(1)}`;
}

export interface BenchPerson {
  myNumber: string;
  linkageNumber: string;
  pseudonym: string;
  cardSerial: string;
  card: Awaited<ReturnType<typeof generateSigningKey>>;
}

/** Registers the people at the hub, as the municipality (`MUNICIPALITY`). */
export type Register = (asMunicipality: ApiClient, people: BenchPerson[], rng: Rng) => Promise<void>;

export interface RelayWorld {
  url: (s: Name) => string;
  /** The clinic's bearer token at the portal. */
  auth: string;
  /** Each person's consent, in the order of `people`. */
  consents: string[];
  hubPool: pg.Pool;
  watch: Record<string, number>;
}

/**
 * Runs `fn` in a relay world of `n` people whom `register` registers at the hub (as the municipality),
 * consenting to `scopes`; everything is stopped and dropped afterwards.
 */
export async function withRelayWorld<T>(
  adminUrl: string,
  o: {
    bench: string;
    n: number;
    seed: number;
    scopes: ConsentScope[];
    register: Register;
  },
  fn: (w: RelayWorld) => Promise<T>,
): Promise<T> {
  const { n, bench } = o;
  const dir = tempDir('pmh-bench-relay-');
  const dbs = new Map<Name, FreshDatabase>();
  const procs: Spawned[] = [];
  try {
    const env: Record<string, string> = { PMH_DATA_DIR: dir, PMH_LOG_LEVEL: 'warn' };
    for (const s of SERVICES) {
      const port = await freePort();
      const db = await freshDatabase(s, await migrationsOf(s), { adminUrl });
      dbs.set(s, db);
      Object.assign(env, {
        [`PMH_${s.toUpperCase()}_PORT`]: String(port),
        [`PMH_${s.toUpperCase()}_PUBLIC_URL`]: `http://127.0.0.1:${port}`,
        [`PMH_${s.toUpperCase()}_DATABASE_URL`]: db.options.url!,
      });
    }
    const operator = await generateClientKey();
    const municipality = await generateClientKey();
    const clinic = await generateClientKey();
    const clients = path.join(dir, 'clients.json');
    fs.writeFileSync(
      clients,
      JSON.stringify([
        { clientId: 'operator', role: 'admin', jwks: { keys: [operator.publicJwk] } },
        { clientId: 'm', role: `municipality:${MUNICIPALITY}`, jwks: { keys: [municipality.publicJwk] } },
        { clientId: 'clinic', role: `clinic:${INSTITUTION}`, jwks: { keys: [clinic.publicJwk] } },
      ]),
    );
    const serve = (s: Name) => spawnService(['serve', s, '--port', env[`PMH_${s.toUpperCase()}_PORT`], '--clients', clients], env);
    procs.push(await serve('idserver'));
    const [oqsProc, portalProc, hubProc] = await Promise.all((['oqs', 'portal', 'hub'] as const).map(serve));
    procs.push(oqsProc, portalProc, hubProc);
    const url = (s: Name) => env[`PMH_${s.toUpperCase()}_PUBLIC_URL`];
    const client = (s: Name, tokens?: TokenClient) =>
      new ApiClient(url(s), { authorization: async () => tokens?.authorization(), invalidate: () => tokens?.invalidate(), timeoutMs: 600_000 });
    const op = (s: Name) => client(s, new TokenClient({ baseUrl: url(s), clientId: 'operator', privateJwk: operator.privateJwk }));

    log(`${bench}: enrolling, registering and linking ${n.toLocaleString('en-US')} people`);
    const rng = new Rng(o.seed);
    const people: BenchPerson[] = await Promise.all(
      Array.from({ length: n }, async () => ({
        myNumber: myNumber(rng),
        linkageNumber: randomLinkageNumber(),
        pseudonym: randomIdentifier('ps'),
        cardSerial: rng.digits(16),
        card: await generateSigningKey(),
      })),
    );
    await op('idserver').ok(idserverApi.importLinkageNumbers, {
      body: { entries: people.map((p) => ({ myNumber: p.myNumber, linkageNumber: p.linkageNumber })) },
    });
    await op('oqs').ok(oqsApi.importInsured, {
      body: {
        entries: people.map((p) => ({
          linkageNumber: p.linkageNumber,
          pseudonym: p.pseudonym,
          cards: [
            {
              cardSerial: p.cardSerial,
              publicJwk: { kty: 'EC' as const, crv: 'P-256' as const, x: p.card.publicJwk.x as string, y: p.card.publicJwk.y as string },
            },
          ],
        })),
      },
    });
    const asMunicipality = client('hub', new TokenClient({ baseUrl: url('hub'), clientId: 'm', privateJwk: municipality.privateJwk }));
    await o.register(asMunicipality, people, rng);
    const hubPool = new pg.Pool({ connectionString: dbs.get('hub')!.options.url, max: 1 });
    try {
      for (const t0 = Date.now(); ; ) {
        const linked = Number((await hubPool.query('select count(*) as n from pmh_links')).rows[0].n);
        if (linked >= n) break;
        if (Date.now() - t0 > 300_000) throw new Error(`only ${linked} of ${n} linked at the hub after 5 min`);
        await sleep(200);
      }

      log(`${bench}: ${n.toLocaleString('en-US')} people present their cards at the clinic (consents)`);
      const asClinic = new TokenClient({ baseUrl: url('portal'), clientId: 'clinic', privateJwk: clinic.privateJwk });
      const auth = await asClinic.authorization();
      const portal = new ApiClient(url('portal'), { authorization: async () => auth });
      const consents: string[] = [];
      for (let k = 0; k < n; k += 25) {
        const got = await Promise.all(
          people.slice(k, k + 25).map(async (p) => {
            const { challenge } = await portal.ok(portalApi.issueConsentChallenge, {});
            const granted = await portal.ok(portalApi.grantConsent, {
              body: {
                cardAuthentication: { cardSerial: p.cardSerial, challenge, signature: signCardChallenge(p.card.privateJwk, challenge) },
                scopes: o.scopes,
              },
            });
            return granted.consentId;
          }),
        );
        consents.push(...got);
      }

      return await fn({ url, auth, consents, hubPool, watch: { portal: portalProc.pid, hub: hubProc.pid } });
    } finally {
      await hubPool.end();
    }
  } finally {
    for (const p of procs) await stop(p).catch(() => {});
    for (const d of dbs.values()) await d.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A table of figures: req/s, p50, p99, non-2xx and the cost of each. */
export function figuresTable(connections: number, durationSeconds: number, figures: RelayFigure[]): string {
  const row = (f: RelayFigure) => [
    f.name,
    Math.round(f.requestsPerSecond).toLocaleString('en-US'),
    `${f.p50} ms`,
    `${f.p99} ms`,
    String(f.non2xx + f.errors),
    cpuText(f),
  ];
  return table([`endpoint (${connections} connections, ${secs(durationSeconds * 1000)})`, 'req/s', 'p50', 'p99', 'non-2xx', 'cost'], figures.map(row));
}
