/**
 * Issue 4 benchmark: eligibility checks on PostgreSQL under load (autocannon, 50 connections).
 *
 * - baseline: a bare Fastify route doing one primary-key select on the hub's database (own process);
 * - hub: `POST /hub/v1/eligibility/queries` alone, as OQS, each request with its own fresh linkage
 *   key (minted beforehand: a key is good for one query);
 * - whole path: `POST /oqs/v1/eligibility-checks` as a clinic (card signature over a challenge
 *   fetched beforehand, consent) → OQS mints a key → hub → answer.
 * The services run as `pmh serve` processes on fresh PostgreSQL databases; N people are enrolled
 * with cards and registered with a certificate valid at asOf, then linked through the federation.
 * Each measured run follows a few seconds of the same load, unmeasured (PMH_BENCH_WARM_UP_SECONDS,
 * default 3). Besides each service's CPU per request it prints the load generator's (autocannon
 * runs in this process) and how busy the whole machine was: on 2 cores, the services, PostgreSQL
 * and the load generator share them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import autocannon from 'autocannon';
import { TokenClient, generateClientKey } from '../packages/core/src/auth/index.ts';
import { freshDatabase, type FreshDatabase } from '../packages/core/src/db/index.ts';
import { generateSigningKey, randomIdentifier, randomLinkageNumber, signCardChallenge, parseKeys } from '../packages/core/src/crypto/index.ts';
import { ApiClient, hubApi, idserverApi, oqsApi, type Body } from '@pmh/protocol';
import { Rng, childMedicalRecord, CHILD_PROGRAM, myNumber } from '../packages/testkit/src/fixtures.ts';
import { migrationsOf } from '../packages/cli/src/services.ts';
import { mintLinkageKey, hubKeyFromJwk } from '../packages/oqs/src/federation/linkage-key.ts';
import { freePort, log, secs, sleep, spawnService, stop, table, tempDir, ROOT, type Spawned } from './lib.ts';

const SERVICES = ['hub', 'idserver', 'oqs', 'portal'] as const;
type Name = (typeof SERVICES)[number];
const INSTITUTION = '1312345674';
const AS_OF = '2026-06-01';

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The machine's CPU seconds so far, busy and all (from /proc/stat), to see whether its cores are used up. */
function machineCpuSeconds(): { busy: number; all: number } {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const all = f.reduce((a, b) => a + b, 0) / 100;
  return { busy: all - (f[3] + f[4]) / 100, all };
}

export interface LoadFigure {
  name: string;
  /** CPU ms per request of each service process during the run. */
  cpuPerRequest?: Record<string, number>;
  /** Share of the machine's CPU time (all cores) that was busy during the run. */
  machineBusy?: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface EligibilityResult {
  people: number;
  durationSeconds: number;
  baseline: LoadFigure;
  hub: LoadFigure;
  path: LoadFigure;
}

/**
 * Seconds of the same load, unmeasured, before each measured run: the first seconds of a fresh
 * process run cold code (the JIT) and a cold database, and would otherwise swing a 10 s figure by
 * a third from run to run.
 */
const WARM_UP_SECONDS = Number(process.env.PMH_BENCH_WARM_UP_SECONDS ?? 3);

async function load(
  name: string,
  url: string,
  headers: Record<string, string>,
  nextBody: () => string,
  durationSeconds: number,
  watch: Record<string, number> = {},
): Promise<LoadFigure> {
  const requests = [
    { method: 'POST' as const, headers: { 'content-type': 'application/json', ...headers }, setupRequest: (req: any) => ({ ...req, body: nextBody() }) },
  ];
  if (WARM_UP_SECONDS > 0) await autocannon({ url, connections: 50, duration: WARM_UP_SECONDS, requests });
  const before = Object.fromEntries(Object.entries(watch).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const machineBefore = machineCpuSeconds();
  const selfBefore = process.cpuUsage();
  const r = await autocannon({
    url,
    connections: 50,
    duration: durationSeconds,
    requests,
  });
  const served = r.requests.average * durationSeconds;
  const self = process.cpuUsage(selfBefore);
  const cpuPerRequest = {
    ...Object.fromEntries(Object.entries(watch).map(([k, pid]) => [k, ((cpuSeconds(pid) - before[k]) * 1000) / served])),
    autocannon: (self.user + self.system) / 1000 / served,
  };
  const machine = machineCpuSeconds();
  const busy = (machine.busy - machineBefore.busy) / (machine.all - machineBefore.all);
  const f = {
    name,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    cpuPerRequest,
    machineBusy: busy,
  };
  log(
    `eligibility: ${name}: ${Math.round(f.requestsPerSecond).toLocaleString('en-US')} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, non-2xx ${f.non2xx}, errors ${f.errors}; CPU per request: ${cpuText(f)}`,
  );
  return f;
}

export async function benchEligibility(
  adminUrl: string,
  n = Number(process.env.PMH_BENCH_PEOPLE ?? 2000),
  durationSeconds = Number(process.env.PMH_BENCH_SECONDS ?? 10),
): Promise<EligibilityResult> {
  const dir = tempDir('pmh-bench-elig-');
  const dbs = new Map<Name, FreshDatabase>();
  const procs: Spawned[] = [];
  let baselineProc: ReturnType<typeof spawn> | undefined;
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
        { clientId: 'm', role: 'municipality:131016', jwks: { keys: [municipality.publicJwk] } },
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

    log(`eligibility: enrolling and registering ${n.toLocaleString('en-US')} people with cards`);
    const rng = new Rng(4242);
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
    const { certificateTypeId, ...program } = CHILD_PROGRAM;
    await asMunicipality.ok(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program });
    await asMunicipality.ok(hubApi.municipal.registerMedicalSubsidy, {
      body: people.map((p, i) =>
        childMedicalRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `E${i}`, validFrom: '2026-04-01', validTo: '2027-03-31' }),
      ),
    });
    const oqsPool = new pg.Pool({ connectionString: dbs.get('oqs')!.options.url, max: 1 });
    const hubPool = new pg.Pool({ connectionString: dbs.get('hub')!.options.url, max: 1 });
    try {
      for (const t0 = Date.now(); ; ) {
        const linked = Number((await oqsPool.query('select count(*) as n from insured where pmh_id is not null')).rows[0].n);
        if (linked >= n) break;
        if (Date.now() - t0 > 300_000) throw new Error(`only ${linked} of ${n} linked after 5 min`);
        await sleep(200);
      }
      const pmhIds = (await oqsPool.query('select pmh_id from insured')).rows.map((r) => r.pmh_id as string);
      const subjectIds = (await hubPool.query('select id from subjects')).rows.map((r) => r.id as string);

      // Baseline: a bare route, one primary-key select, same database, own process.
      const port = await freePort();
      baselineProc = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'baseline-server.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: dbs.get('hub')!.options.url!, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        baselineProc!.stdout!.on('data', (d) => d.toString().includes('"ready"') && resolve());
        baselineProc!.once('exit', (code) => reject(new Error(`baseline server exited ${code}`)));
      });
      let i = 0;
      const baseline = await load(
        'baseline: bare Fastify + one PK select',
        `http://127.0.0.1:${port}/baseline`,
        {},
        () => JSON.stringify({ id: subjectIds[i++ % subjectIds.length] }),
        durationSeconds,
        { baseline: baselineProc.pid! },
      );

      // The hub alone, as OQS, one fresh linkage key per request.
      const oqsKeys = parseKeys(fs.readFileSync(path.join(dir, 'keys', 'oqs.json'), 'utf8'));
      const asOqs = new TokenClient({ baseUrl: url('hub'), clientId: 'oqs', privateJwk: oqsKeys.signing.privateJwk as any });
      const jwks = await client('hub').ok(hubApi.public.jwks, {});
      const hubKey = hubKeyFromJwk(jwks.keys[0]);
      const keyCount = Math.max(5_000, (durationSeconds + WARM_UP_SECONDS) * 4_000);
      log(`eligibility: minting ${keyCount.toLocaleString('en-US')} linkage keys`);
      const bodies: string[] = [];
      for (let k = 0; k < keyCount; k++)
        bodies.push(
          JSON.stringify({
            linkageKey: await mintLinkageKey(hubKey, { pmhId: pmhIds[k % pmhIds.length], issuer: 'oqs', audience: url('hub') }),
            institutionCode: INSTITUTION,
            asOf: AS_OF,
          } satisfies Body<typeof hubApi.counterpart.queryEligibility>),
        );
      let h = 0;
      const hub = await load(
        'hub: POST /hub/v1/eligibility/queries',
        url('hub') + hubApi.counterpart.queryEligibility.path,
        { authorization: await asOqs.authorization() },
        () => bodies[h++ % bodies.length],
        durationSeconds,
        { hub: hubProc.pid },
      );
      if (h > bodies.length) log(`eligibility: the hub run used up the ${bodies.length} keys; the rest were replays (refused, counted as non-2xx)`);

      // The whole path, as a clinic: challenges fetched and signed beforehand (each is single use, valid 60 s).
      const asClinic = new TokenClient({ baseUrl: url('oqs'), clientId: 'clinic', privateJwk: clinic.privateJwk });
      const challengeCount = Math.max(3_000, (durationSeconds + WARM_UP_SECONDS) * 1_500);
      log(`eligibility: fetching and signing ${challengeCount.toLocaleString('en-US')} card challenges`);
      const checks: string[] = [];
      const auth = await asClinic.authorization();
      const oqsAsClinic = new ApiClient(url('oqs'), { authorization: async () => auth });
      for (let k = 0; k < challengeCount; k += 50) {
        const got = await Promise.all(
          Array.from({ length: Math.min(50, challengeCount - k) }, async (_, j) => {
            const { challenge } = await oqsAsClinic.ok(oqsApi.issueCardChallenge, {});
            const p = people[(k + j) % people.length];
            return JSON.stringify({
              institutionCode: INSTITUTION,
              cardAuthentication: { cardSerial: p.cardSerial, challenge, signature: signCardChallenge(p.card.privateJwk, challenge) },
              consent: { medicalSubsidy: true },
              asOf: AS_OF,
            } satisfies Body<typeof oqsApi.checkEligibility>);
          }),
        );
        checks.push(...got);
      }
      let c = 0;
      const whole = await load(
        'whole path: clinic → OQS → hub',
        url('oqs') + oqsApi.checkEligibility.path,
        { authorization: auth },
        () => checks[c++ % checks.length],
        durationSeconds,
        { oqs: oqsProc.pid, hub: hubProc.pid },
      );
      if (c > checks.length) log(`eligibility: the path run used up the ${checks.length} challenges; the rest were refused (non-2xx)`);
      const result = { people: n, durationSeconds, baseline, hub, path: whole };
      console.log(eligibilityTable(result));
      return result;
    } finally {
      await oqsPool.end();
      await hubPool.end();
    }
  } finally {
    baselineProc?.kill('SIGTERM');
    for (const p of procs) await stop(p).catch(() => {});
    for (const d of dbs.values()) await d.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `hub 0.33 ms, autocannon 0.08 ms; machine 72% busy` */
function cpuText(f: LoadFigure): string {
  const each = Object.entries(f.cpuPerRequest ?? {})
    .map(([k, v]) => `${k} ${v.toFixed(2)} ms`)
    .join(', ');
  return each + (f.machineBusy === undefined ? '' : `; machine ${(f.machineBusy * 100).toFixed(0)}% busy`);
}

export function eligibilityTable(r: EligibilityResult): string {
  const row = (f: LoadFigure) => [
    f.name,
    Math.round(f.requestsPerSecond).toLocaleString('en-US'),
    `${f.p50} ms`,
    `${f.p99} ms`,
    `${((f.requestsPerSecond / r.baseline.requestsPerSecond) * 100).toFixed(1)}%`,
    String(f.non2xx + f.errors),
    cpuText(f),
  ];
  return table(
    [
      'endpoint (50 connections, ' + secs(r.durationSeconds * 1000) + ')',
      'req/s',
      'p50',
      'p99',
      'of baseline',
      'non-2xx/errors',
      'CPU per request (autocannon: the load generator)',
    ],
    [row(r.baseline), row(r.hub), row(r.path)],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  await benchEligibility(url);
}
