/**
 * What refusing unauthenticated bodies costs: the hub (`pmh serve hub`, PGlite) receives many large
 * request bodies in parallel with no token, at the registration endpoint (the one with the largest
 * body limit). Reports the hub's RSS before and at its peak, the answers, and how long its /healthz
 * took meanwhile. A service that checks the token before reading the body keeps its memory flat.
 *
 *   node --import tsx bench/door.ts        (PMH_BENCH_DOOR_BODIES=16, PMH_BENCH_DOOR_MB=60)
 */
import http from 'node:http';
import { hubApi } from '@pmh/protocol';
import { currentRss, freePort, log, mb, peakRss, resetPeakRss, sleep, spawnService, stop, table, tempDir } from './lib.ts';

/**
 * The endpoint's path from its contract; the request itself stays raw on purpose: no token, and a
 * body no type admits (megabytes of numbers), written piece by piece.
 */
const PATH = hubApi.municipal.registerMedicalSubsidy.path;

/** One POST of `bytes` of a JSON array, written in 1 MB pieces as fast as the server takes them. */
function postLarge(url: string, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    const u = new URL(PATH, url);
    let answered: string | undefined;
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(bytes) },
    });
    req.on('response', (res) => {
      answered = String(res.statusCode);
      res.resume();
      res.on('end', () => resolve(answered!));
    });
    req.on('error', (e) => resolve(answered ?? `error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    const piece = Buffer.alloc(1024 * 1024, '[1,2,3,4,5,6,7],');
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const n = Math.min(piece.length, bytes - sent);
        const chunk = sent === 0 ? Buffer.concat([Buffer.from('['), piece.subarray(0, n - 1)]) : piece.subarray(0, n);
        sent += n;
        if (sent >= bytes) {
          req.end(chunk);
          return;
        }
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

async function healthLatency(url: string, stopAt: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (!stopAt()) {
    const t0 = performance.now();
    try {
      await fetch(url + '/healthz', { signal: AbortSignal.timeout(30_000) }).then((r) => r.text());
      out.push(performance.now() - t0);
    } catch {
      out.push(Infinity);
    }
    await sleep(100);
  }
  return out;
}

async function main(): Promise<void> {
  const bodies = Number(process.env.PMH_BENCH_DOOR_BODIES ?? 16);
  const bytes = Number(process.env.PMH_BENCH_DOOR_MB ?? 60) * 1024 * 1024;
  const dir = tempDir('pmh-bench-door-');
  const port = await freePort();
  const hub = await spawnService(['serve', 'hub', '--port', String(port)], {
    PMH_DATA_DIR: dir,
    PMH_HUB_DATABASE_URL: undefined,
    DATABASE_URL: undefined,
    PMH_HUB_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PMH_LOG_LEVEL: 'warn',
  });
  try {
    await sleep(2000);
    const before = currentRss(hub.pid);
    const reset = resetPeakRss(hub.pid);
    log(`hub pid ${hub.pid}: ${mb(before)} RSS; sending ${bodies} unauthenticated bodies of ${mb(bytes)} in parallel`);
    let done = false;
    const health = healthLatency(hub.url, () => done);
    const t0 = performance.now();
    const answers = await Promise.all(Array.from({ length: bodies }, () => postLarge(hub.url, bytes)));
    const elapsed = performance.now() - t0;
    done = true;
    const latencies = (await health).filter(Number.isFinite).sort((a, b) => a - b);
    const after = currentRss(hub.pid);
    const peak = peakRss(hub.pid);
    const counts = new Map<string, number>();
    for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
    console.log(
      table(
        ['figure', 'value'],
        [
          ['RSS before', mb(before)],
          [reset ? 'peak RSS during the refusals' : 'peak RSS since start (clear_refs not permitted)', mb(peak)],
          ['RSS after', mb(after)],
          ['answers', [...counts].map(([k, v]) => `${k} ×${v}`).join(', ')],
          ['all refused in', `${(elapsed / 1000).toFixed(2)} s`],
          [
            '/healthz meanwhile (median / max)',
            latencies.length ? `${latencies[Math.floor(latencies.length / 2)]!.toFixed(0)} ms / ${latencies[latencies.length - 1]!.toFixed(0)} ms` : 'n/a',
          ],
        ],
      ),
    );
  } finally {
    await stop(hub);
  }
}

await main();
