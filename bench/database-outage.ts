/**
 * Issue 10, measured: what a database outage does to the services and their callers.
 *
 * The four services (the testkit World, in this process) on a PostgreSQL server of their own
 * (a temporary directory, a free port: the machine's shared cluster is never touched), N people
 * registered in tasks that flow on through the federation while the database is cut or stopped.
 *
 * - End-to-end linking (first registration request → every subject linked at the hub), with no
 *   fault and with a half-second stop in the middle.
 * - Per fault: seconds from the database's return to each caller's first success, the statuses
 *   callers got until then, and the outbox backlog (queued / in flight, per service) each second.
 *
 *   node --import tsx bench/database-outage.ts
 *   (PMH_BENCH_OUTAGE_SUBJECTS, default 2000; PMH_BENCH_OUTAGE_ROUNDS of the end-to-end pair, default 3)
 *
 * Not part of `npm run bench`: it stops and starts a database server.
 */
import { sql } from 'kysely';
import { hubApi, oqsApi, operatorApi } from '@pmh/protocol';
import { callAs } from '../packages/testkit/src/http.ts';
import {
  World,
  Rng,
  myNumber,
  startPrivatePostgres,
  privatePostgresUnavailable,
  OutageRecord,
  probeCallers,
  sampleBacklog,
  registrationLoad,
  defineLoadPrograms,
  type PrivatePostgres,
  type FaultReport,
  type ServiceName,
} from '../packages/testkit/src/index.ts';
import { log, table } from './lib.ts';

const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
const N = Number(process.env.PMH_BENCH_OUTAGE_SUBJECTS ?? 2000);
const TASK = 100;
const ROUNDS = Number(process.env.PMH_BENCH_OUTAGE_ROUNDS ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function linked(w: World): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`
    .execute(w.service('hub').database.db)
    .catch(() => undefined);
  return r ? Number(r.rows[0].n) : -1;
}

/** A World on the server with N people enrolled and every caller's token taken. */
async function world(server: PrivatePostgres, seed: number) {
  const w = await World.start({ backend: 'postgres', adminUrl: server.adminUrl, services: SERVICES });
  await defineLoadPrograms(w);
  const rng = new Rng(seed);
  const people = await w.enrol(Array.from({ length: N }, () => myNumber(rng)));
  for (const s of SERVICES) await callAs(w, w.operator, operatorApi.status, {}, s);
  for (const code of ['131016', '271004']) await callAs(w, w.municipality(code), hubApi.municipal.getSubject, { params: { municipalityIdentityKey: 'none' } });
  await callAs(w, w.clinic(), oqsApi.issueCardChallenge, {});
  return { w, rng, people };
}

/** Seconds from the first registration request until all N are linked; `fault` runs alongside. */
async function endToEnd(server: PrivatePostgres, fault?: (rec: OutageRecord) => Promise<void>): Promise<{ seconds: number; rec: OutageRecord }> {
  const { w, rng, people } = await world(server, 42);
  const rec = new OutageRecord();
  try {
    const t0 = Date.now();
    const load = registrationLoad(w, rec, rng, people, { taskSize: TASK, intervalMs: 100 });
    const faulted = fault?.(rec);
    await load;
    await faulted;
    while ((await linked(w)) < N) await sleep(100);
    return { seconds: (Date.now() - t0) / 1000, rec };
  } finally {
    await w.stop();
  }
}

async function faultSeries(server: PrivatePostgres): Promise<FaultReport[]> {
  const { w, rng, people } = await world(server, 43);
  const rec = new OutageRecord();
  try {
    const stopProbes = probeCallers(w, rec, 'O0');
    const stopSampling = sampleBacklog(w, rec);
    // Tasks keep coming through every fault below (about 30 s of them).
    const load = registrationLoad(w, rec, rng, people, { taskSize: TASK / 2, intervalMs: 700 });
    const stopFor = async (name: string, ms: number, mode: 'fast' | 'immediate' = 'fast') => {
      const f = rec.fault(name);
      await server.stop(mode);
      await sleep(ms);
      await server.start();
      f.backAt = Date.now();
    };
    await sleep(1500);
    const cut = rec.fault('backends terminated, 3 times 300 ms apart');
    for (let i = 0; i < 3; i++) {
      await server.terminateBackends();
      await sleep(300);
    }
    cut.backAt = Date.now();
    await sleep(4000);
    await stopFor('restart: fast stop, 3 s down', 3000);
    await sleep(4000);
    await stopFor('crash: immediate stop, 1 s down', 1000, 'immediate');
    await sleep(4000);
    await stopFor('outage: fast stop, 10 s down', 10_000);
    await load;
    while ((await linked(w)) < N) await sleep(250);
    await sleep(1000);
    await stopProbes();
    await stopSampling();
    return rec.report();
  } finally {
    await w.stop();
  }
}

function printFault(r: FaultReport): void {
  log(`\n${r.fault} (database away ${r.downSeconds.toFixed(1)} s)`);
  const whos = Object.keys(r.recovery);
  log(
    table(
      ['caller', 'first success after return', 'statuses until then'],
      whos.map((who) => [
        who,
        r.recovery[who] === null ? 'none' : `${r.recovery[who]!.toFixed(2)} s`,
        Object.entries(r.statuses[who])
          .map(([s, n]) => `${s}×${n}`)
          .join(' '),
      ]),
    ),
  );
  // The backlog each second around the return: the largest queue and in-flight count of the second.
  const seconds = [...new Set(r.backlog.map((b) => Math.floor(b.at)))].sort((a, b) => a - b);
  log(
    table(
      ['t from return', ...SERVICES.map((s) => `${s} queued/in flight`), 'stuck'],
      seconds.map((sec) => {
        const at = r.backlog.filter((b) => Math.floor(b.at) === sec);
        const cell = (s: ServiceName) => {
          const mine = at.filter((b) => b.service === s);
          if (!mine.length) return '-';
          return `${Math.max(...mine.map((b) => b.queued))}/${Math.max(...mine.map((b) => b.inFlight))}${mine.some((b) => !b.databaseReachable) ? ' (db away)' : ''}`;
        };
        return [`${sec} s`, ...SERVICES.map(cell), String(Math.max(0, ...at.map((b) => b.stuck)))];
      }),
    ),
  );
}

async function main(): Promise<void> {
  const why = privatePostgresUnavailable();
  if (why) {
    log(`skipped: ${why}`);
    return;
  }
  const server = await startPrivatePostgres();
  try {
    log(`database outage benchmark: ${N} subjects in tasks of ${TASK}, four services in one process, PostgreSQL 15 of its own`);
    // Alternating rounds: on a shared machine one pair of runs says little.
    const clean: number[] = [];
    const blip: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      clean.push((await endToEnd(server)).seconds);
      blip.push(
        (
          await endToEnd(server, async (rec) => {
            await sleep(1000);
            const f = rec.fault('blip');
            await server.stop();
            await sleep(500);
            await server.start();
            f.backAt = Date.now();
          })
        ).seconds,
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    log(
      table(
        ['end-to-end linking', 'median s', 'each round (s)'],
        [
          ['no fault', median(clean).toFixed(1), clean.map((s) => s.toFixed(1)).join(' ')],
          ['0.5 s stop after 1 s', median(blip).toFixed(1), blip.map((s) => s.toFixed(1)).join(' ')],
        ],
      ),
    );
    for (const r of await faultSeries(server)) printFault(r);
  } finally {
    await server.close();
  }
}

await main();
