/**
 * Start-up of the whole demo: `pmh start` from spawn to its "PMH is running" line, first on an
 * empty data dir (creates the stores and seeds the demo world) then again on the same, now seeded,
 * dir; with the peak RSS of the process (and of any children it has). Every service it runs gets a
 * free port.
 *
 *   node --import tsx bench/startup.ts
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { freePort, log, mb, memorySampler, secs, sleep, spawnPmh, stop, table, tempDir } from './lib.ts';

/** Every service `pmh start` may run (config.ts DEFAULT_PORTS), as in their PMH_<S>_PORT variables. */
const SERVICES = ['HUB', 'IDSERVER', 'OQS', 'PORTAL', 'CLINIC'];

export interface StartupResult {
  run: 'empty data dir (seeds)' | 'seeded data dir';
  /** Spawn → "PMH is running" line, as seen from outside. */
  readyMs: number;
  /** What `pmh start` itself printed ("ready in X s"), ms. */
  reportedMs?: number;
  /** What `pmh start` itself printed ("N MB RSS"), bytes. */
  reportedRss?: number;
  /** Sum over the process tree of VmHWM, shortly after ready, bytes. */
  peakRss: number;
  processes: number;
  /** Command names of its children, if any. */
  children: string[];
}

/** One `pmh start`, stopped with SIGTERM once ready. */
async function startOnce(run: StartupResult['run'], dataDir: string): Promise<StartupResult> {
  // Every service on a free port (a demo someone runs on the default ports must not collide), as a
  // new user runs it otherwise: embedded PGlite, default public URLs.
  const env: Record<string, string | undefined> = { PMH_DATA_DIR: dataDir, DATABASE_URL: undefined, PMH_LOG_LEVEL: 'warn' };
  const ports: string[] = [];
  for (const s of SERVICES) {
    const port = await freePort();
    ports.push(`${s.toLowerCase()} ${port}`);
    Object.assign(env, { [`PMH_${s}_PORT`]: String(port), [`PMH_${s}_PUBLIC_URL`]: undefined, [`PMH_${s}_DATABASE_URL`]: undefined });
  }
  log(`startup: pmh start on ${run === 'seeded data dir' ? 'the seeded' : 'an empty'} data dir (ports: ${ports.join(', ')})`);
  const p = spawnPmh(['start'], env);
  const mem = memorySampler(p.pid, 100);
  try {
    const { line, at } = await p.waitForLine((l) => l.startsWith('PMH is running'), 180_000);
    const readyMs = at - p.spawnedAt;
    // Anything it does right after printing (background work) counts too.
    await sleep(1000);
    mem.sample();
    const m = /ready in ([\d.]+) s, (\d+) MB RSS/.exec(line);
    const r: StartupResult = {
      run,
      readyMs,
      reportedMs: m ? Number(m[1]) * 1000 : undefined,
      reportedRss: m ? Number(m[2]) * 1e6 : undefined,
      peakRss: mem.hwm(),
      processes: mem.processes(),
      children: mem.children(),
    };
    log(
      `startup: ready in ${secs(readyMs)} (it says "${line.trim()}"); peak RSS ${mb(r.peakRss)} over ${r.processes} process(es)${r.children.length ? ` (children seen: ${r.children.join(', ')})` : ''}`,
    );
    return r;
  } finally {
    mem.stop();
    const exit = await stop(p, 'SIGTERM');
    log(`startup: stopped (${exit.signal ?? `exit ${exit.code}`})`);
  }
}

export interface StartupBench {
  /** `pmh --help`: loads every module once so tsx's cache is warm (a "warm install"). */
  warmupMs: number;
  results: StartupResult[];
}

export async function benchStartup(): Promise<StartupBench> {
  const dir = tempDir('pmh-bench-start-');
  try {
    log('startup: warming up (pmh --help loads every module once, as any earlier run would have)');
    const w = spawnPmh(['--help'], {});
    const done = await w.exited;
    if (done.code !== 0) throw new Error(`pmh --help exited ${done.code ?? done.signal}: ${w.output()}`);
    const warmupMs = performance.now() - w.spawnedAt;
    const results = [await startOnce('empty data dir (seeds)', dir), await startOnce('seeded data dir', dir)];
    return { warmupMs, results };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function startupTable(b: StartupBench): string {
  return table(
    ['pmh start', 'ready (spawn → line)', 'it says: ready in', 'peak RSS (VmHWM)', 'it says: RSS at ready', 'processes'],
    b.results.map((r) => [
      r.run,
      secs(r.readyMs),
      r.reportedMs === undefined ? 'n/a' : secs(r.reportedMs),
      mb(r.peakRss),
      mb(r.reportedRss),
      r.children.length ? `node + ${r.children.join(', ')}` : 'node',
    ]),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchStartup().then(
    (b) => {
      process.stdout.write(`\nStart-up (warm-up pmh --help: ${secs(b.warmupMs)})\n` + startupTable(b) + '\n');
    },
    (e) => {
      process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
