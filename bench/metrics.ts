/**
 * What /metrics costs (issue 15): the hub on PostgreSQL with metrics on and off (`PMH_METRICS=off`),
 * in the same run, rounds alternating (on, off, on, off) so that a machine that grows busier does
 * not favour one side. Each round is a fresh `pmh serve hub` process on a fresh database:
 *
 * - registration: N records (PMH_BENCH_METRICS_RECORDS, default 20,000) from the first POST until
 *   every task is done; with metrics on, a scraper reads /metrics every second meanwhile
 *   (PMH_BENCH_SCRAPE_MS), as a Prometheus server with a tight interval would;
 * - requests: `GET /municipal/v1/subjects/:key` under autocannon (50 connections, PMH_BENCH_SECONDS,
 *   default 5 s, after 2 s unmeasured), the per-request cost of timing every request;
 * - a scrape's duration and the hub's CPU per scrape: during the registration (the outbox holding
 *   the new subjects' messages to the ID server, the queue its chunks) and idle, each read fresh
 *   from the database (the 1 s cache run out).
 * The ID server runs beside the hub, as in service; besides throughput (which a machine that others
 * keep busy blurs) the hub's own CPU per record, per request and per scrape is reported.
 *
 *   node --import tsx bench/metrics.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freshDatabase } from '@pmh/core/db/index';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { parseMetrics, sumOf } from '@pmh/core/http/metrics';
import { migrationsOf } from '../packages/cli/src/services.ts';
import { ApiClient, JsonBody, hubApi, type MedicalSubsidyRecord } from '@pmh/protocol';
import { Rng, childMedicalRecord, CHILD_PROGRAM } from '@pmh/testkit/fixtures';
import { freePort, int, log, sleep, spawnService, stop, table, tempDir } from './lib.ts';
import { cpuSeconds } from './eligibility.ts';

const CODE = '131016';
const TASK = 10_000;
const RECORDS = Number(process.env.PMH_BENCH_METRICS_RECORDS ?? 20_000);
const SECONDS = Number(process.env.PMH_BENCH_SECONDS ?? 5);
const SCRAPE_MS = Number(process.env.PMH_BENCH_SCRAPE_MS ?? 1_000);
const ROUNDS: Array<'on' | 'off'> = ['on', 'off', 'on', 'off'];

interface Round {
  metrics: 'on' | 'off';
  registrationRate: number;
  /** The hub's CPU (ms) per record registered and per request served: what a busy machine does not blur. */
  cpuPerRecord: number;
  requestRate: number;
  cpuPerRequest: number;
  p99: number;
  /** The hub's CPU (ms) per scrape read fresh from the database, less what it spent meanwhile without scrapes. */
  cpuPerScrape?: number;
  scrapesDuringMs: number[];
  scrapesIdleMs: number[];
  backlogSeen: number;
}

function records(round: number): MedicalSubsidyRecord[] {
  const rng = new Rng(15_000 + round);
  return Array.from({ length: RECORDS }, (_, i) => childMedicalRecord(rng, { municipalityIdentityKey: `M${round}${String(i).padStart(8, '0')}` }));
}

async function scrape(url: string): Promise<{ ms: number; text: string }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/metrics`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return { ms: performance.now() - t0, text };
}

async function round(no: number, metrics: 'on' | 'off', adminUrl: string): Promise<Round> {
  const dir = tempDir('pmh-bench-metrics-');
  const db = await freshDatabase('hub', await migrationsOf('hub'), { adminUrl });
  const idDb = await freshDatabase('idserver', await migrationsOf('idserver'), { adminUrl });
  const key = await generateClientKey();
  const clients = path.join(dir, 'clients.json');
  fs.writeFileSync(clients, JSON.stringify([{ clientId: 'bench', role: `municipality:${CODE}`, jwks: { keys: [key.publicJwk] } }]));
  const port = await freePort();
  const idPort = await freePort();
  // The ID server runs beside the hub (its own process and database) and issues the new subjects'
  // PMH-IDs, so the hub's outbox drains as it does in service, rather than retrying (and decrypting)
  // thousands of messages to a peer that is not there while the hub's CPU is measured.
  const env = {
    PMH_DATA_DIR: dir,
    PMH_HUB_DATABASE_URL: db.options.url!,
    PMH_HUB_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PMH_IDSERVER_DATABASE_URL: idDb.options.url!,
    PMH_IDSERVER_PORT: String(idPort),
    PMH_IDSERVER_PUBLIC_URL: `http://127.0.0.1:${idPort}`,
    PMH_LOG_LEVEL: 'warn',
    PMH_RATE_LIMIT: 'off',
    PMH_METRICS: metrics,
  };
  const idserver = await spawnService(['serve', 'idserver', '--port', String(idPort)], env);
  const hub = await spawnService(['serve', 'hub', '--port', String(port), '--clients', clients], env).catch(async (e) => {
    await stop(idserver, 'SIGTERM');
    throw e;
  });
  try {
    const auth = await new TokenClient({ baseUrl: hub.url, clientId: 'bench', privateJwk: key.privateJwk }).authorization();
    const api = new ApiClient(hub.url, { authorization: async () => auth, timeoutMs: 600_000 });
    const { certificateTypeId, ...program } = CHILD_PROGRAM;
    await api.ok(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program });
    const all = records(no);
    const bodies: Array<JsonBody<MedicalSubsidyRecord[]>> = [];
    for (let i = 0; i < all.length; i += TASK) bodies.push(JsonBody.of(all.slice(i, i + TASK)));

    // Registration, scraped meanwhile when metrics are on.
    const scrapesDuringMs: number[] = [];
    let backlogSeen = 0;
    let running = true;
    const scraper = (async () => {
      while (metrics === 'on' && running) {
        const s = await scrape(hub.url);
        scrapesDuringMs.push(s.ms);
        backlogSeen = Math.max(backlogSeen, sumOf(parseMetrics(s.text), 'pmh_outbox_messages'));
        await sleep(SCRAPE_MS);
      }
    })();
    const t0 = performance.now();
    const cpu0 = cpuSeconds(hub.pid);
    const ids: string[] = [];
    for (const body of bodies) ids.push((await api.ok(hubApi.municipal.registerMedicalSubsidy, { body })).taskId);
    for (const id of ids)
      for (;;) {
        const t = await api.ok(hubApi.municipal.getTask, { params: { taskId: id } });
        if (t.status === 'done' || t.status === 'failed') {
          if (t.succeeded !== t.total) throw new Error(`task ${id}: ${t.succeeded}/${t.total} succeeded`);
          break;
        }
        await sleep(100);
      }
    const registrationMs = performance.now() - t0;
    const cpuPerRecord = ((cpuSeconds(hub.pid) - cpu0) * 1000) / RECORDS;
    running = false;
    await scraper;

    // Requests: one subject read per request, keys in turn.
    let k = 0;
    const request = {
      url: `${hub.url}/municipal/v1/subjects/M${no}00000000`,
      connections: 50,
      headers: { authorization: auth },
      requests: [
        { method: 'GET' as const, setupRequest: (req: any) => ({ ...req, path: `/municipal/v1/subjects/M${no}${String(k++ % RECORDS).padStart(8, '0')}` }) },
      ],
    };
    await autocannon({ ...request, duration: 2 });
    const cpu1 = cpuSeconds(hub.pid);
    const load = await autocannon({ ...request, duration: SECONDS });
    if (load.non2xx || load.errors) throw new Error(`requests: ${load.non2xx} non-2xx, ${load.errors} errors`);
    const cpuPerRequest = ((cpuSeconds(hub.pid) - cpu1) * 1000) / (load.requests.average * SECONDS);

    // Idle scrapes, each after the cache ran out: what a scrape costs when it reads the database;
    // its CPU is the hub's during 20 of them less the hub's during as long without any.
    const scrapesIdleMs: number[] = [];
    let cpuPerScrape: number | undefined;
    if (metrics === 'on') {
      const quiet0 = cpuSeconds(hub.pid);
      const q0 = performance.now();
      await sleep(20 * 1_100);
      const quietPerMs = (cpuSeconds(hub.pid) - quiet0) / (performance.now() - q0);
      const busy0 = cpuSeconds(hub.pid);
      const b0 = performance.now();
      for (let i = 0; i < 20; i++) {
        await sleep(1_100);
        scrapesIdleMs.push((await scrape(hub.url)).ms);
      }
      const spent = cpuSeconds(hub.pid) - busy0 - quietPerMs * (performance.now() - b0);
      cpuPerScrape = (Math.max(0, spent) * 1000) / 20;
    }
    const r: Round = {
      metrics,
      registrationRate: (RECORDS * 1000) / registrationMs,
      cpuPerRecord,
      requestRate: load.requests.average,
      cpuPerRequest,
      p99: load.latency.p99,
      cpuPerScrape,
      scrapesDuringMs,
      scrapesIdleMs,
      backlogSeen,
    };
    log(
      `metrics ${metrics}: registration ${int(r.registrationRate)} records/s (hub CPU ${r.cpuPerRecord.toFixed(3)} ms per record); ` +
        `GET subject ${int(r.requestRate)} req/s (p99 ${r.p99} ms, hub CPU ${r.cpuPerRequest.toFixed(2)} ms per request)` +
        (r.cpuPerScrape !== undefined ? `; hub CPU ${r.cpuPerScrape.toFixed(1)} ms per scrape` : '') +
        (metrics === 'on' ? `; ${scrapesDuringMs.length} scrapes during it (backlog up to ${int(backlogSeen)} messages)` : ''),
    );
    return r;
  } finally {
    await stop(hub, 'SIGTERM');
    await stop(idserver, 'SIGTERM');
    await db.drop().catch(() => {});
    await idDb.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function benchMetrics(adminUrl: string): Promise<string> {
  log(
    `metrics: ${os.cpus().length} CPU(s), load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; rounds ${ROUNDS.join(', ')}; ${int(RECORDS)} records each`,
  );
  const rounds: Round[] = [];
  for (const [i, m] of ROUNDS.entries()) rounds.push(await round(i, m, adminUrl));
  const side = (m: 'on' | 'off') => rounds.filter((r) => r.metrics === m);
  const on = side('on');
  const off = side('off');
  const ratio = (f: (r: Round) => number) => mean(on.map(f)) / mean(off.map(f));
  const reg = ratio((r) => r.registrationRate);
  const req = ratio((r) => r.requestRate);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const during = on.flatMap((r) => r.scrapesDuringMs);
  const idle = on.flatMap((r) => r.scrapesIdleMs);
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} scrapes)`;
  const out = [
    table(
      ['round', 'metrics', 'registration (records/s)', 'hub CPU per record', 'GET subject (req/s)', 'p99', 'hub CPU per request'],
      rounds.map((r, i) => [
        String(i + 1),
        r.metrics,
        int(r.registrationRate),
        `${r.cpuPerRecord.toFixed(3)} ms`,
        int(r.requestRate),
        `${r.p99} ms`,
        `${r.cpuPerRequest.toFixed(2)} ms`,
      ]),
    ),
    `on/off throughput: registration ${pct(reg)}, GET subject ${pct(req)}`,
    `on/off hub CPU: per record ${pct(ratio((r) => r.cpuPerRecord))}, per request ${pct(ratio((r) => r.cpuPerRequest))}`,
    `hub CPU per scrape read fresh: ${on.map((r) => `${r.cpuPerScrape?.toFixed(1)} ms`).join(', ')}`,
    `a scrape during registration (outbox backlog up to ${int(Math.max(...on.map((r) => r.backlogSeen)))} messages): ${fmt(during)}`,
    `a scrape idle, read fresh from the database: ${fmt(idle)}`,
    `load after: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  ].join('\n');
  console.log(out);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchMetrics(process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
}
