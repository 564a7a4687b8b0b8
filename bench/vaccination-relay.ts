/**
 * Vaccination records written through the clinic relay, on PostgreSQL (issue 12 item 4): a clinic's
 * app → `POST /portal/v1/relay/{consentId}/vaccinations` → the portal checks the consent and signs a
 * consent assertion → `POST /hub/v1/residents/{pmhPseudonym}/relay/vaccinations` → the hub verifies
 * it, reads the person's doses, checks the dose, writes the record (and its feed entry) and the
 * audit row in one transaction. Target: ≥ 500 records/s with p99 < 100 ms.
 *
 * The four services run as `pmh serve` processes on fresh PostgreSQL databases. N people (default
 * 1,000, PMH_BENCH_RELAY_PEOPLE) are enrolled with cards, registered for vaccination by one
 * municipality and linked through the federation; each presents the card at the clinic once (a
 * consent of 10 minutes). Each write records `flu-elderly` dose 1 today for one of them in turn, so
 * from the second round on the dose is a duplicate: every write carries an override of each warning
 * code with a reason, so each is a 201 and none is refused (the check still runs in full).
 *
 * Same-run baselines: the portal's `GET /healthz` (the HTTP floor of one process) and the relay's
 * read (`GET …/relay/{consentId}/vaccinations`: the same two hops, consent and assertion, no write).
 * Connections: PMH_BENCH_RELAY_CONNECTIONS (default 20: at 500/s that leaves 40 ms per request on
 * average, under the p99 target). Reports requests/s, p50, p99, CPU per request of each service and
 * how busy the machine was (its 2 cores also run PostgreSQL and the load generator).
 *
 *   PMH_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/vaccination-relay.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import autocannon from 'autocannon';
import { TokenClient, generateClientKey } from '../packages/core/src/auth/index.ts';
import { freshDatabase, type FreshDatabase } from '../packages/core/src/db/index.ts';
import { generateSigningKey, randomIdentifier, randomLinkageNumber, signCardChallenge } from '../packages/core/src/crypto/index.ts';
import { todayInJapan } from '../packages/core/src/text/japanese.ts';
import { ApiClient, hubApi, idserverApi, oqsApi, portalApi, type Body } from '@pmh/protocol';
import { Rng, myNumber, personName } from '../packages/testkit/src/fixtures.ts';
import { migrationsOf } from '../packages/cli/src/services.ts';
import { WARNING_CODES } from '../packages/hub/src/domain/vaccination/schedule.ts';
import { freePort, log, secs, sleep, spawnService, stop, table, tempDir, type Spawned } from './lib.ts';

const SERVICES = ['hub', 'idserver', 'oqs', 'portal'] as const;
type Name = (typeof SERVICES)[number];
const INSTITUTION = '1312345674';
const MUNICIPALITY = '131016';
const WARM_UP_SECONDS = Number(process.env.PMH_BENCH_WARM_UP_SECONDS ?? 3);

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

function machineCpuSeconds(): { busy: number; all: number } {
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

export interface RelayResult {
  people: number;
  connections: number;
  durationSeconds: number;
  healthz: RelayFigure;
  read: RelayFigure;
  write: RelayFigure;
  /** Records the hub holds from clinics after the runs (warm-ups included). */
  recordsWritten: number;
}

async function load(
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
    `vaccination relay: ${name}: ${Math.round(f.requestsPerSecond).toLocaleString('en-US')} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, non-2xx ${f.non2xx}, errors ${f.errors}; ${cpuText(f)}`,
  );
  return f;
}

function cpuText(f: RelayFigure): string {
  const each = Object.entries(f.cpuPerRequest)
    .map(([k, v]) => `${k} ${v.toFixed(2)} ms`)
    .join(', ');
  return `CPU per request: ${each}; machine ${(f.machineBusy * 100).toFixed(0)}% busy, load ${f.loadAverage.toFixed(1)}`;
}

export async function benchVaccinationRelay(
  adminUrl: string,
  n = Number(process.env.PMH_BENCH_RELAY_PEOPLE ?? 1000),
  durationSeconds = Number(process.env.PMH_BENCH_SECONDS ?? 10),
  connections = Number(process.env.PMH_BENCH_RELAY_CONNECTIONS ?? 20),
): Promise<RelayResult> {
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

    log(`vaccination relay: enrolling, registering and linking ${n.toLocaleString('en-US')} people aged 70 or so`);
    const rng = new Rng(1204);
    const people = await Promise.all(
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
    await asMunicipality.ok(hubApi.municipal.registerVaccination, {
      body: people.map((p, i) => ({
        modificationSeg: '1' as const,
        myNumber: p.myNumber,
        municipalityIdentityKey: `V${i}`,
        basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: '1955-05-05', sex: i % 2 ? '1' : '2' },
        isNotDisclosed: false,
      })) as Body<typeof hubApi.municipal.registerVaccination>,
    });
    const hubPool = new pg.Pool({ connectionString: dbs.get('hub')!.options.url, max: 1 });
    try {
      for (const t0 = Date.now(); ; ) {
        const linked = Number((await hubPool.query('select count(*) as n from pmh_links')).rows[0].n);
        if (linked >= n) break;
        if (Date.now() - t0 > 300_000) throw new Error(`only ${linked} of ${n} linked at the hub after 5 min`);
        await sleep(200);
      }

      log(`vaccination relay: ${n.toLocaleString('en-US')} people present their cards at the clinic (consents)`);
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
                scopes: ['vaccination.read', 'vaccination.write'],
              },
            });
            return granted.consentId;
          }),
        );
        consents.push(...got);
      }

      const watch = { portal: portalProc.pid, hub: hubProc.pid };
      const healthz = await load(
        'baseline: portal GET /healthz',
        { url: url('portal'), method: 'GET', headers: {}, next: () => ({ path: '/healthz' }) },
        connections,
        durationSeconds,
        watch,
      );
      let r = 0;
      const read = await load(
        'relay read: GET /portal/v1/relay/{consentId}/vaccinations',
        { url: url('portal'), method: 'GET', headers: { authorization: auth }, next: () => ({ path: `/portal/v1/relay/${consents[r++ % n]}/vaccinations` }) },
        connections,
        durationSeconds,
        watch,
      );
      const today = todayInJapan();
      const body = JSON.stringify({
        assessment: { temperatureC: 36.4, fit: true, doctorName: '千代田 太郎' },
        record: {
          vaccineCode: 'flu-elderly',
          doseNumber: 1,
          date: today,
          productName: 'インフルエンザHAワクチン',
          lotNumber: 'FLU-2611',
          expirationDate: '2027-06-30',
          doseVolumeMl: 0.5,
          site: '左上腕',
          route: 'subcutaneous',
        },
        overrides: WARNING_CODES.map((code) => ({ code, reason: 'ベンチマーク: 同一接種の再登録' })),
      } satisfies Body<typeof portalApi.relayRecordVaccination>);
      let wr = 0;
      const write = await load(
        'relay write: POST /portal/v1/relay/{consentId}/vaccinations',
        {
          url: url('portal'),
          method: 'POST',
          headers: { authorization: auth },
          next: () => ({ path: `/portal/v1/relay/${consents[wr++ % n]}/vaccinations`, body }),
        },
        connections,
        durationSeconds,
        watch,
      );
      const recordsWritten = Number((await hubPool.query(`select count(*) as n from vaccination_records where source = 'clinic'`)).rows[0].n);
      const result: RelayResult = { people: n, connections, durationSeconds, healthz, read, write, recordsWritten };
      console.log(relayTable(result));
      return result;
    } finally {
      await hubPool.end();
    }
  } finally {
    for (const p of procs) await stop(p).catch(() => {});
    for (const d of dbs.values()) await d.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function relayTable(r: RelayResult): string {
  const row = (f: RelayFigure) => [
    f.name,
    Math.round(f.requestsPerSecond).toLocaleString('en-US'),
    `${f.p50} ms`,
    `${f.p99} ms`,
    String(f.non2xx + f.errors),
    cpuText(f),
  ];
  return table(
    [`endpoint (${r.connections} connections, ${secs(r.durationSeconds * 1000)})`, 'req/s', 'p50', 'p99', 'non-2xx', 'cost'],
    [row(r.healthz), row(r.read), row(r.write)],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pgUrl = process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  benchVaccinationRelay(pgUrl).then(
    (r) => log(`vaccination relay: ${r.recordsWritten.toLocaleString('en-US')} clinic records at the hub after the runs`),
    (e) => {
      process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
