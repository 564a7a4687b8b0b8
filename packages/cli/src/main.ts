#!/usr/bin/env -S node --import tsx
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { createLogger } from '@pmh/core/http/logging';
import { openDatabase } from '@pmh/core/db/index';
import { DataDirLockedError } from '@pmh/core/db/lock';
import { verifyAudit } from '@pmh/core/audit/index';
import { TokenClient } from '@pmh/core/auth/index';
import { signCardChallenge } from '@pmh/core/crypto/index';
import {
  ApiClient,
  UndeclaredAnswer,
  hubApi,
  idserverApi,
  operatorApi,
  type Answer,
  type Endpoint,
  type Input,
  type ProblemBody,
  type Success,
} from '@pmh/protocol';
import { dataDir, serviceSettings, SERVICES, type ServiceName } from './config.ts';
import { demoParts, ensureKeys, migrationsOf, prepareTemplates, startService, type Running } from './services.ts';
import { parseMetrics, type MetricSample } from '@pmh/core/http/metrics';
import { describeMetrics } from './status-metrics.ts';

const USAGE = `pmh — Public Medical Hub

  pmh start                 run every service on its default port; seeds a demo world on an empty data dir
  pmh serve SERVICE [--port N] [--clients FILE]
                            run one service (hub, idserver, oqs, portal): one process per service
  pmh migrate [SERVICE]     apply database migrations and exit
  pmh audit verify [SERVICE]
                            check the audit logs' hash chains; exit 1 when tampering is found
  pmh import linkage-numbers FILE.csv
                            insurers' enrolments (header myNumber,linkageNumber) into the ID server
  pmh prepare               build the cached empty databases a first start copies (npm install runs it)
  pmh status                each service's database (reachable or not) and pipelines: pending, retrying,
                            failed, in-flight and stuck deliveries; from its /metrics: database pool,
                            registration queue, requests and refusals, the process
  pmh retry [SERVICE] [--pipeline NAME]
                            re-drive failed deliveries now, and free stuck leases
  pmh token --municipality CODE | --operator | --clinic CODE
                            print an access token of a demo client (for curl): a municipality's or the
                            operator's at the hub, a clinic's (医療機関コード) at the portal
  pmh card sign SERIAL CHALLENGE
                            sign a challenge with a demo My Number Card (the card's part, for curl)
  pmh keys rotate [--overlap SECONDS]
                            give the running hub a new linkage-key encryption key; the previous one
                            stays usable for the overlap (default 3600 s); OQS picks it up by itself

Environment: PMH_DATA_DIR (default ./data); PMH_CLINIC_PORT (7500) and PMH_CLINIC_INSTITUTION_CODE
(which demo clinic the reception page is); per service (HUB, IDSERVER, OQS, PORTAL): PMH_<S>_PORT,
PMH_<S>_DATABASE_URL (PostgreSQL instead of embedded PGlite; DATABASE_URL for a lone "pmh serve"),
PMH_<S>_PUBLIC_URL; PMH_LOG_LEVEL.`;

function fail(message: string): never {
  process.stderr.write(`pmh: ${message}\n`);
  process.exit(2);
}

async function start(): Promise<void> {
  const t0 = performance.now();
  const dir = dataDir();
  const level = process.env.PMH_LOG_LEVEL ?? 'warn';
  const running: Running[] = [];
  const stop = async () => {
    for (const r of running.reverse()) await r.close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await ensureKeys();
  // Each service is its own Fastify app, database and port; they speak only HTTP to each other.
  const started = await Promise.allSettled(SERVICES.map((name) => startService(serviceSettings(name), createLogger({ service: name, level }), { demo: true })));
  for (const r of started) if (r.status === 'fulfilled') running.push(r.value);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    for (const r of running) await r.close().catch(() => {});
    throw failed.reason;
  }
  const url = (name: ServiceName) => running.find((r) => r.name === name)!.url;
  // The demo seed and the clinic app are only for `pmh start`: loaded here, not by every command.
  const { isSeeded, seedDemo, seedOfficers, startClinic } = await demoParts();
  let seeded = '';
  if (!isSeeded(dir)) {
    const s = await seedDemo({
      dataDir: dir,
      urls: Object.fromEntries(running.map((r) => [r.name, r.url])) as Record<ServiceName, string>,
      services: Object.fromEntries(running.map((r) => [r.name, r.service])) as any,
    });
    seeded = `\nSeeded a demo world: ${s.municipalities.length} municipalities, ${s.residents.length} residents (files in ${path.join(dir, 'demo')}).`;
  }
  const officersFile = await seedOfficers(dir, running.find((r) => r.name === 'hub')!.service);
  const clinic = await startClinic(dir, createLogger({ service: 'clinic', level }));
  running.push({ close: clinic.close } as Running);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const rss = Math.round(process.memoryUsage().rss / 1e6);
  const hub = url('hub');
  process.stdout.write(`PMH is running (ready in ${seconds} s, ${rss} MB RSS).${seeded}

  hub       ${hub}   (API docs ${hub}/docs, OpenAPI ${hub}/openapi.json)
  idserver  ${url('idserver')}   (中間サーバー)
  oqs       ${url('oqs')}   (オンライン資格確認等システム)
  portal    ${url('portal')}   (マイナポータル: resident pages)
  clinic    ${clinic.url}   (医療機関: reception page of ${clinic.name}, ${clinic.institutionCode};
            vaccination screen ${clinic.url}/vaccination)

Try, as the demo municipality 千代田区:
  TOKEN=$(npm run -s pmh -- token --municipality 131016)
  curl -s -H "authorization: Bearer $TOKEN" ${hub}/municipal/v1/subjects/1300100001
  curl -s -H "authorization: Bearer $TOKEN" ${hub}/municipal/v1/medical-subsidy/programs/child-medical
As the operator:  npm run -s pmh -- status
Municipal console: ${hub}/console/  (demo officers, their passwords and TOTP secrets: ${officersFile})

Data: ${dir}   Stop with Ctrl-C.
`);
}

async function serve(service: string | undefined, values: { port?: string; clients?: string }): Promise<void> {
  if (!SERVICES.includes(service as ServiceName)) fail(`unknown service ${service ?? '(none)'}; known: ${SERVICES.join(', ')}`);
  const name = service as ServiceName;
  const s = serviceSettings(name, process.env, { port: values.port ? Number(values.port) : undefined, single: true });
  await ensureKeys();
  const r = await startService(s, createLogger({ service: name }), { clientsFile: values.clients });
  const stop = async () => {
    await r.close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Listening; its database may still be away (then /readyz says so, and it gets ready when it returns).
  process.stdout.write(JSON.stringify({ event: 'ready', service: name, url: r.url, pid: process.pid, databaseReady: r.service.isReady() }) + '\n');
}

function serviceArg(arg: string | undefined): ServiceName {
  const name = (arg ?? 'hub') as ServiceName;
  if (!SERVICES.includes(name)) fail(`unknown service ${name}; known: ${SERVICES.join(', ')}`);
  return name;
}

async function openServiceDatabase(name: ServiceName, single: boolean) {
  const s = serviceSettings(name, process.env, { single });
  return openDatabase({ ...(s.databaseUrl ? { url: s.databaseUrl } : { dataDir: s.dataDir }), migrations: await migrationsOf(name) });
}

async function migrate(arg?: string): Promise<void> {
  for (const name of arg ? [serviceArg(arg)] : SERVICES) {
    const d = await openServiceDatabase(name, !!arg);
    await d.close();
    process.stdout.write(`${name}: migrations applied\n`);
  }
}

async function auditVerify(arg?: string): Promise<void> {
  let ok = true;
  for (const name of arg ? [serviceArg(arg)] : SERVICES) {
    const d = await openServiceDatabase(name, !!arg);
    try {
      const r = await verifyAudit(d.db);
      ok &&= r.ok;
      process.stdout.write(`${name} audit log: ${r.rows} rows in ${r.streams} streams — ${r.ok ? 'intact' : `${r.problems.length} problem(s)`}\n`);
      for (const p of r.problems) process.stdout.write(`  ${p.kind}: stream ${p.stream}${p.seq !== undefined ? ` seq ${p.seq}` : ''} — ${p.message}\n`);
    } finally {
      await d.close();
    }
  }
  process.exitCode = ok ? 0 : 1;
}

function operatorTokens(name: ServiceName): TokenClient {
  const file = path.join(dataDir(), 'demo', 'operator.json');
  if (!fs.existsSync(file)) fail(`no operator key at ${file}; run npm start once to seed the demo`);
  const op = JSON.parse(fs.readFileSync(file, 'utf8'));
  return new TokenClient({ baseUrl: serviceSettings(name).publicUrl, clientId: op.clientId, privateJwk: op.privateJwk });
}

/**
 * `pmh import linkage-numbers FILE`: insurers' enrolments (My Number ↔ 紐付番号) into the ID server,
 * from a CSV with the header `myNumber,linkageNumber` (UTF-8), in batches of 10,000.
 */
async function importLinkageNumbers(file: string | undefined): Promise<void> {
  if (!file) fail('usage: pmh import linkage-numbers FILE.csv');
  const tokens = operatorTokens('idserver');
  const idserver = new ApiClient(serviceSettings('idserver').publicUrl, { authorization: () => tokens.authorization(), invalidate: () => tokens.invalidate() });
  let batch: Array<{ myNumber: string; linkageNumber: string }> = [];
  const totals = { imported: 0, unchanged: 0, linksQueued: 0, conflicts: 0, rejected: 0, rows: 0 };
  const problemRows: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const refused = (status: number, problem: unknown): never => {
      const p = problem as Partial<ProblemBody> | undefined;
      return fail(
        `the ID server refused rows ${totals.rows - batch.length + 1}–${totals.rows}: ${p?.detail ?? status}${p?.errors ? ' ' + JSON.stringify(p.errors.slice(0, 5)) : ''}`,
      );
    };
    let answer: Answer<typeof idserverApi.importLinkageNumbers>;
    try {
      answer = await idserver.call(idserverApi.importLinkageNumbers, { body: { entries: batch } });
    } catch (e) {
      if (e instanceof UndeclaredAnswer) return refused(e.status, e.body);
      throw e;
    }
    if (answer.status !== 200) return refused(answer.status, answer.body);
    const body = answer.body;
    totals.imported += body.imported;
    totals.unchanged += body.unchanged;
    totals.linksQueued += body.linksQueued;
    totals.conflicts += body.conflicts.length;
    totals.rejected += body.rejected.length;
    // Rows are named by their line in the file (header = line 1), never by their content.
    const first = totals.rows - batch.length + 2;
    for (const p of [...body.conflicts, ...body.rejected]) problemRows.push(`line ${first + p.index}: ${p.reason}`);
    batch = [];
  };
  const parser = fs.createReadStream(file).pipe(parse({ columns: true, trim: true, skip_empty_lines: true, bom: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    totals.rows++;
    batch.push({ myNumber: row.myNumber, linkageNumber: row.linkageNumber });
    if (batch.length === 10_000) await flush();
  }
  await flush();
  process.stdout.write(
    `${totals.rows} rows: ${totals.imported} imported, ${totals.unchanged} unchanged, ${totals.conflicts} conflicts, ${totals.rejected} rejected, ${totals.linksQueued} links to OQS queued\n`,
  );
  for (const line of problemRows.slice(0, 100)) process.stdout.write(`  ${line}\n`);
  process.exitCode = totals.conflicts + totals.rejected > 0 ? 1 : 0;
}

/** Local time of day, for an operator reading along (the API answers ISO 8601). */
const clock = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

/**
 * An operator's call of one service's endpoint. While a service's database is away its token
 * endpoint answers 503 (a token's use is recorded in the database): then `/readyz`, which needs no
 * token, says what is not ready, and the service is reported running but not ready, not unreachable.
 */
async function operatorCall<E extends Endpoint>(
  name: ServiceName,
  e: E,
  input: Input<E>,
): Promise<{ ok: true; body: Success<E> } | { ok: false; line: string; status?: number }> {
  const base = serviceSettings(name).publicUrl;
  const tokens = operatorTokens(name);
  try {
    await tokens.authorization();
  } catch (err) {
    if ((err as { status?: number }).status !== 503) return { ok: false, line: `unreachable at ${base}: ${(err as Error).message}` };
    // The probe of a load balancer, not an API endpoint: no contract, no token.
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.json() as Promise<{ dependencies?: Record<string, string> }>,
      () => undefined,
    );
    const why =
      Object.entries(ready?.dependencies ?? {})
        .map(([d, st]) => `${d} ${st}`)
        .join(', ') || 'its database is unreachable';
    return { ok: false, line: `running at ${base}, not ready: ${why} (try again when it is back)` };
  }
  const api = new ApiClient(base, { authorization: () => tokens.authorization(), invalidate: () => tokens.invalidate() });
  try {
    const answer = (await api.call(e, input)) as { status: number; body: unknown };
    if (answer.status >= 200 && answer.status < 300) return { ok: true, body: answer.body as Success<E> };
    return { ok: false, line: (answer.body as ProblemBody | undefined)?.detail ?? `answered ${answer.status}`, status: answer.status };
  } catch (err) {
    if (err instanceof UndeclaredAnswer)
      return { ok: false, line: (err.body as ProblemBody | undefined)?.detail ?? `answered ${err.status}`, status: err.status };
    return { ok: false, line: `unreachable at ${base}: ${(err as Error).message}` };
  }
}

/**
 * A service's /metrics, as a Prometheus server scrapes it: with the operator's token (what a
 * scraper from another machine needs), or without one while the token endpoint cannot answer (its
 * database is away), which a scraper on the service's own machine may.
 */
async function scrapeMetrics(name: ServiceName): Promise<MetricSample[] | string> {
  const base = serviceSettings(name).publicUrl;
  const authorization = await operatorTokens(name)
    .authorization()
    .catch(() => undefined);
  try {
    const res = await fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) return `metrics not read: answered ${res.status}`;
    return parseMetrics(await res.text());
  } catch (err) {
    return `metrics not read: ${(err as Error).message}`;
  }
}

async function writeMetrics(name: ServiceName): Promise<void> {
  const m = await scrapeMetrics(name);
  for (const line of typeof m === 'string' ? [m] : describeMetrics(m)) process.stdout.write(`${name.padEnd(9)} ${line}\n`);
}

/**
 * `pmh status`: each service's database and pipelines, as its operator endpoint reports them, then
 * the figures of its /metrics (pool, registration queue, requests, the process).
 */
async function status(): Promise<void> {
  let troubled = 0;
  for (const name of SERVICES) {
    const r = await operatorCall(name, operatorApi.status, {});
    if (!r.ok) {
      troubled++;
      process.stdout.write(`${name.padEnd(9)} ${r.line}\n`);
      // Running but not ready: its metrics still say what the process sees.
      if (r.line.startsWith('running at')) await writeMetrics(name);
      continue;
    }
    const d = r.body.database;
    if (d && !d.reachable) {
      troubled++;
      const counted = r.body.pipelines.find((p) => p.countedAt)?.countedAt;
      process.stdout.write(
        `${name.padEnd(9)} database UNREACHABLE since ${clock(d.since)} (${d.lastError ?? 'no error recorded'}); ${counted ? `counts as of ${clock(counted)}` : 'no counts read yet'}\n`,
      );
    } else if (d?.outages)
      process.stdout.write(
        `${name.padEnd(9)} database reachable since ${clock(d.since)}; ${d.outages} outage(s) since start, last error at ${d.lastErrorAt ? clock(d.lastErrorAt) : '?'}: ${d.lastError}\n`,
      );
    if (r.body.pipelines.length === 0) process.stdout.write(`${name.padEnd(9)} (no pipelines)\n`);
    for (const p of r.body.pipelines)
      process.stdout.write(
        `${name.padEnd(9)} ${p.name.padEnd(20)} pending ${String(p.pending).padStart(6)}  retrying ${String(p.retrying).padStart(6)}  failed ${String(p.dead).padStart(6)}` +
          `${p.inFlight ? `  in flight ${p.inFlight}` : ''}${p.stuck ? `  stuck ${p.stuck} (pmh retry frees them)` : ''}` +
          `${p.oldestAgeSeconds !== null ? `  oldest ${p.oldestAgeSeconds} s` : ''}${p.lastError ? `  last error: ${p.lastError}` : ''}\n`,
      );
    await writeMetrics(name);
  }
  process.exitCode = troubled ? 1 : 0;
}

/** `pmh retry [service] [--pipeline NAME]`: re-drive failed deliveries now, and free stuck leases. */
async function retry(arg: string | undefined, pipeline?: string): Promise<void> {
  let troubled = 0;
  for (const name of arg ? [serviceArg(arg)] : SERVICES) {
    const r = await operatorCall(name, operatorApi.retry, { query: pipeline ? { pipeline } : {} });
    // A pipeline that this service does not have (404) is no trouble when all services are asked.
    if (!r.ok && !(r.status === 404 && !arg)) troubled++;
    process.stdout.write(r.ok ? `${name}: ${r.body.redriven} deliveries re-driven\n` : `${name}: ${r.line}\n`);
  }
  process.exitCode = troubled ? 1 : 0;
}

/** `pmh keys rotate`: a new encryption key for PMH linkage keys at the running hub. */
async function rotateKeys(overlap: string | undefined): Promise<void> {
  const overlapSeconds = overlap === undefined ? undefined : Number(overlap);
  if (overlapSeconds !== undefined && !(Number.isInteger(overlapSeconds) && overlapSeconds >= 60))
    fail('--overlap must be a whole number of seconds, at least 60');
  const base = serviceSettings('hub').publicUrl;
  const tokens = operatorTokens('hub');
  const hub = new ApiClient(base, { authorization: () => tokens.authorization(), invalidate: () => tokens.invalidate() });
  let answer: Answer<typeof hubApi.admin.rotateEncryptionKey>;
  try {
    answer = await hub.call(hubApi.admin.rotateEncryptionKey, { body: overlapSeconds === undefined ? {} : { overlapSeconds } });
  } catch (e) {
    if (e instanceof UndeclaredAnswer) fail(`the hub refused: ${(e.body as { detail?: string } | undefined)?.detail ?? e.status}`);
    fail(`the hub is not reachable at ${base}; start it first`);
  }
  if (answer.status !== 200) fail(`the hub refused: ${answer.body.detail ?? answer.status}`);
  const body = answer.body;
  process.stdout.write(`new key ${body.kid}\n`);
  for (const r of body.retired) process.stdout.write(`previous key ${r.kid} stays usable until ${r.retiresAt}\n`);
}

async function token(values: { municipality?: string; operator?: boolean; clinic?: string }): Promise<void> {
  const demo = path.join(dataDir(), 'demo');
  let client: { clientId: string; privateJwk: any };
  let service: 'hub' | 'portal' = 'hub';
  if (values.operator) client = JSON.parse(fs.readFileSync(path.join(demo, 'operator.json'), 'utf8'));
  else if (values.clinic !== undefined) {
    // A clinic's app is a client of the portal (the consent relay), not of the hub.
    const all = JSON.parse(fs.readFileSync(path.join(demo, 'clinics.json'), 'utf8')) as Array<{ institutionCode: string; clientId: string; privateJwk: any }>;
    const c = all.find((x) => x.institutionCode === values.clinic);
    if (!c) fail(`no demo clinic ${values.clinic || '(none)'}; known: ${all.map((x) => x.institutionCode).join(', ')}`);
    client = c;
    service = 'portal';
  } else {
    const all = JSON.parse(fs.readFileSync(path.join(demo, 'municipalities.json'), 'utf8')) as Array<{ code: string; clientId: string; privateJwk: any }>;
    const m = all.find((x) => x.code === values.municipality);
    if (!m) fail(`no demo municipality ${values.municipality ?? '(none)'}; known: ${all.map((x) => x.code).join(', ')}`);
    client = m;
  }
  const t = new TokenClient({ baseUrl: serviceSettings(service).publicUrl, clientId: client.clientId, privateJwk: client.privateJwk });
  process.stdout.write((await t.token()) + '\n');
}

/** A demo card signs a challenge (ES256 over its UTF-8, r ‖ s, base64url): what the card and its reader do. */
function cardSign(serial: string | undefined, challenge: string | undefined): void {
  if (!serial || !challenge) fail('usage: pmh card sign SERIAL CHALLENGE');
  const cards = JSON.parse(fs.readFileSync(path.join(dataDir(), 'demo', 'cards.json'), 'utf8')) as Array<{ cardSerial: string; privateJwk: any }>;
  const card = cards.find((c) => c.cardSerial === serial);
  if (!card) fail(`no demo card ${serial}`);
  process.stdout.write(signCardChallenge(card.privateJwk, challenge) + '\n');
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      clients: { type: 'string' },
      municipality: { type: 'string' },
      operator: { type: 'boolean' },
      clinic: { type: 'string' },
      pipeline: { type: 'string' },
      overlap: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, sub] = positionals;
  if (values.help || !cmd) return void process.stdout.write(USAGE + '\n');
  switch (cmd) {
    case 'start':
      return start();
    case 'serve':
      return serve(sub, values);
    case 'migrate':
      return migrate(sub);
    case 'audit':
      if (sub !== 'verify') fail('usage: pmh audit verify [service]');
      return auditVerify(positionals[2]);
    case 'status':
      return status();
    case 'prepare':
      return prepareTemplates();
    case 'import':
      if (sub !== 'linkage-numbers') fail('usage: pmh import linkage-numbers FILE.csv');
      return importLinkageNumbers(positionals[2]);
    case 'retry':
      return retry(sub, values.pipeline);
    case 'token':
      return token(values);
    case 'card':
      if (sub !== 'sign') fail('usage: pmh card sign SERIAL CHALLENGE');
      return cardSign(positionals[2], positionals[3]);
    case 'keys':
      if (sub !== 'rotate') fail('usage: pmh keys rotate [--overlap SECONDS]');
      return rotateKeys(values.overlap);
    default:
      fail(`unknown command ${cmd}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof DataDirLockedError) fail(e.message);
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
    fail(`a port is already in use (${(e as Error).message}); set PMH_HUB_PORT or stop the other process`);
  process.stderr.write(`pmh: ${(e as Error).message}\n`);
  process.exit(1);
});
