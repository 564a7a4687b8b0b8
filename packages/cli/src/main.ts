#!/usr/bin/env -S node --import tsx
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@pmh/core/http/logging';
import { openDatabase } from '@pmh/core/db/index';
import { DataDirLockedError } from '@pmh/core/db/lock';
import { verifyAudit } from '@pmh/core/audit/index';
import { TokenClient } from '@pmh/core/auth/index';
import { hubMigrations } from '@pmh/hub';
import { dataDir, serviceSettings } from './config.ts';
import { startHub, type Running } from './services.ts';
import { isSeeded, seedDemo } from './seed.ts';

const USAGE = `pmh — Public Medical Hub

  pmh start                 run every service (hub) on its default port; seeds a demo world on an empty data dir
  pmh serve hub [--port N] [--clients FILE]
                            run one service (for production: one process per service)
  pmh migrate [hub]         apply database migrations and exit
  pmh audit verify [hub]    check the audit log's hash chains; exit 1 when tampering is found
  pmh token --municipality CODE | --operator
                            print an access token of a demo client (for curl)

Environment: PMH_DATA_DIR (default ./data), PMH_HUB_PORT (7100), PMH_HUB_DATABASE_URL or DATABASE_URL
(PostgreSQL instead of embedded PGlite), PMH_HUB_PUBLIC_URL, PMH_LOG_LEVEL.`;

function fail(message: string): never {
  process.stderr.write(`pmh: ${message}\n`);
  process.exit(2);
}

async function start(): Promise<void> {
  const t0 = performance.now();
  const dir = dataDir();
  const hubSettings = serviceSettings('hub');
  const logger = createLogger({ service: 'hub', level: process.env.PMH_LOG_LEVEL ?? 'warn' });
  const running: Running[] = [];
  const stop = async () => {
    for (const r of running.reverse()) await r.close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const hub = await startHub(hubSettings, logger);
  running.push(hub);
  let seeded = '';
  if (!isSeeded(dir)) {
    const s = await seedDemo({ dataDir: dir, hubUrl: hub.url, hubClients: hub.hub.context.clients });
    seeded = `\nSeeded a demo world: ${s.municipalities.length} municipalities, ${s.residents.length} residents (files in ${path.join(dir, 'demo')}).`;
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const rss = Math.round(process.memoryUsage().rss / 1e6);
  process.stdout.write(`PMH is running (ready in ${seconds} s, ${rss} MB RSS).${seeded}

  hub       ${hub.url}   (API docs ${hub.url}/docs, OpenAPI ${hub.url}/openapi.json)

Try, as the demo municipality 千代田区:
  TOKEN=$(npm run -s pmh -- token --municipality 131016)
  curl -s -H "authorization: Bearer $TOKEN" ${hub.url}/municipal/v1/subjects/1300100001
  curl -s -H "authorization: Bearer $TOKEN" ${hub.url}/municipal/v1/medical-subsidy/programs/child-medical

Data: ${dir}   Stop with Ctrl-C.
`);
}

async function serve(service: string | undefined, values: { port?: string; clients?: string }): Promise<void> {
  if (service !== 'hub') fail(`unknown service ${service ?? '(none)'}; known: hub`);
  const s = serviceSettings('hub', process.env, { port: values.port ? Number(values.port) : undefined });
  const logger = createLogger({ service: 'hub' });
  const r = await startHub(s, logger, { clientsFile: values.clients });
  const stop = async () => {
    await r.close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(JSON.stringify({ event: 'ready', service: 'hub', url: r.url, pid: process.pid }) + '\n');
}

async function openHubDatabase() {
  const s = serviceSettings('hub');
  return openDatabase({ ...(s.databaseUrl ? { url: s.databaseUrl } : { dataDir: s.dataDir }), migrations: hubMigrations });
}

async function migrate(): Promise<void> {
  const d = await openHubDatabase();
  await d.close();
  process.stdout.write('hub: migrations applied\n');
}

async function auditVerify(): Promise<void> {
  const d = await openHubDatabase();
  try {
    const r = await verifyAudit(d.db);
    process.stdout.write(`hub audit log: ${r.rows} rows in ${r.streams} streams — ${r.ok ? 'intact' : `${r.problems.length} problem(s)`}\n`);
    for (const p of r.problems) process.stdout.write(`  ${p.kind}: stream ${p.stream}${p.seq !== undefined ? ` seq ${p.seq}` : ''} — ${p.message}\n`);
    process.exitCode = r.ok ? 0 : 1;
  } finally {
    await d.close();
  }
}

async function token(values: { municipality?: string; operator?: boolean }): Promise<void> {
  const demo = path.join(dataDir(), 'demo');
  let client: { clientId: string; privateJwk: any };
  if (values.operator) client = JSON.parse(fs.readFileSync(path.join(demo, 'operator.json'), 'utf8'));
  else {
    const all = JSON.parse(fs.readFileSync(path.join(demo, 'municipalities.json'), 'utf8')) as Array<{ code: string; clientId: string; privateJwk: any }>;
    const m = all.find((x) => x.code === values.municipality);
    if (!m) fail(`no demo municipality ${values.municipality ?? '(none)'}; known: ${all.map((x) => x.code).join(', ')}`);
    client = m;
  }
  const t = new TokenClient({ baseUrl: serviceSettings('hub').publicUrl, clientId: client.clientId, privateJwk: client.privateJwk });
  process.stdout.write((await t.token()) + '\n');
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
      return migrate();
    case 'audit':
      if (sub !== 'verify') fail('usage: pmh audit verify');
      return auditVerify();
    case 'token':
      return token(values);
    default:
      fail(`unknown command ${cmd}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof DataDirLockedError) fail(e.message);
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`a port is already in use (${(e as Error).message}); set PMH_HUB_PORT or stop the other process`);
  process.stderr.write(`pmh: ${(e as Error).message}\n`);
  process.exit(1);
});
