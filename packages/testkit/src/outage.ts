import crypto from 'node:crypto';
import type { JWK } from 'jose';
import { TokenClient } from '@pmh/core/auth/index';
import { hubApi, oqsApi, operatorApi, pathOf, portalApi, type Endpoint } from '@pmh/protocol';
import { callAs } from './http.ts';
import { childRecord, CHILD_PROGRAM, type Rng } from './fixtures.ts';
import { MUNICIPALITY_CODES, type Enrolled, type ServiceName, type World } from './world.ts';

/**
 * What callers and operators see while a database goes away and comes back: the load (registrations
 * that flow on through the federation), probes of what callers are answered, and the outbox backlog
 * over time, each stamped against the faults. The fault test asserts on it; bench/database-outage.ts
 * prints it.
 */

export const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];

/** One answer a caller was given. */
export interface Seen {
  at: number;
  /** What asked: `register`, or a probe's name. */
  who: string;
  /** HTTP status, or 0 when nothing answered (connection refused: a process gone). */
  status: number;
  problemJson: boolean;
  retryAfter: string | null;
}

export interface BacklogSample {
  at: number;
  service: ServiceName;
  /** pending + retrying + failed. */
  queued: number;
  inFlight: number;
  stuck: number;
  databaseReachable: boolean;
}

export interface Fault {
  name: string;
  /** When the fault began (the stop, the termination). */
  at: number;
  /** When the database was back: the start returned; for a termination, the fault's own moment. */
  backAt?: number;
}

export class OutageRecord {
  readonly t0 = Date.now();
  readonly seen: Seen[] = [];
  readonly backlog: BacklogSample[] = [];
  readonly faults: Fault[] = [];

  fault(name: string): Fault {
    const f = { name, at: Date.now() };
    this.faults.push(f);
    return f;
  }

  async answer(who: string, res: Response | undefined): Promise<Seen> {
    const s: Seen = {
      at: Date.now(),
      who,
      status: res?.status ?? 0,
      problemJson: /^application\/problem\+json/.test(res?.headers.get('content-type') ?? ''),
      retryAfter: res?.headers.get('retry-after') ?? null,
    };
    await res?.arrayBuffer().catch(() => undefined);
    this.seen.push(s);
    return s;
  }

  /** Per fault: the answers callers got from its start until each probe's first success after the return, and that success's delay. */
  report(): FaultReport[] {
    return this.faults.map((f, i) => {
      const end = this.faults[i + 1]?.at ?? Infinity;
      const back = f.backAt ?? f.at;
      const window = this.seen.filter((s) => s.at >= f.at && s.at < end);
      const whos = [...new Set(window.map((s) => s.who))].sort();
      const recovery: Record<string, number | null> = {};
      const statuses: Record<string, Record<string, number>> = {};
      for (const who of whos) {
        const mine = window.filter((s) => s.who === who);
        const first = mine.find((s) => s.at >= back && s.status >= 200 && s.status < 500 && s.status !== 0);
        recovery[who] = first ? (first.at - back) / 1000 : null;
        const upTo = first?.at ?? Infinity;
        statuses[who] = {};
        for (const s of mine.filter((x) => x.at <= upTo)) statuses[who][String(s.status)] = (statuses[who][String(s.status)] ?? 0) + 1;
      }
      const samples = this.backlog.filter((b) => b.at >= f.at - 1000 && b.at < Math.min(end, back + 30_000));
      return { fault: f.name, downSeconds: (back - f.at) / 1000, recovery, statuses, backlog: samples.map((b) => ({ ...b, at: (b.at - back) / 1000 })) };
    });
  }
}

export interface FaultReport {
  fault: string;
  downSeconds: number;
  /** Seconds from the database's return to each probe's first success (null: none in the window). */
  recovery: Record<string, number | null>;
  /** Per probe, how many answers of each status it got from the fault's start to that first success. */
  statuses: Record<string, Record<string, number>>;
  /** Samples around the fault, `at` in seconds from the database's return. */
  backlog: Array<Omit<BacklogSample, 'at'> & { at: number }>;
}

/** Runs `tick` every `ms` until stopped; a tick never overlaps the next. */
function every(ms: number, tick: () => Promise<void>): () => Promise<void> {
  let running = true;
  const done = (async () => {
    while (running) {
      const t = Date.now();
      await tick().catch(() => {});
      await new Promise((r) => setTimeout(r, Math.max(0, ms - (Date.now() - t))));
    }
  })();
  return async () => {
    running = false;
    await done;
  };
}

/** What a caller's request was answered, or status 0 when nothing answered; never throws. */
async function ask(rec: OutageRecord, who: string, request: () => Promise<Response>): Promise<Seen> {
  return rec.answer(who, await request().catch(() => undefined));
}

/**
 * Callers that need each service's database: a municipality reading a subject at the hub (with the
 * token it already holds), a new token at the hub and at the ID server (the token endpoint records
 * each assertion), a clinic asking OQS for a card challenge, a resident's browser asking the portal
 * for one. Every `ms`. Callers' tokens must be taken before the first fault (`w.call` once each).
 */
export function probeCallers(w: World, rec: OutageRecord, subjectKey: string, ms = 200): () => Promise<void> {
  const m = w.municipality();
  // A token request's own answer, which TokenClient keeps to itself.
  const tokenProbe = (service: ServiceName, caller: { clientId: string; privateJwk: JWK }, who: string) =>
    ask(rec, who, async () => {
      let answer: Response | undefined;
      const fetchAndKeep: typeof fetch = async (url, init) => (answer = await fetch(url, init));
      await new TokenClient({ baseUrl: w.url(service), clientId: caller.clientId, privateJwk: caller.privateJwk, fetch: fetchAndKeep }).token().catch(() => {});
      if (!answer) throw new Error('no answer');
      return answer;
    });
  // Paths and methods from the contracts; the answers read raw, as during an outage they are ones
  // no endpoint declares (503 with Retry-After).
  const call = (who: string, service: ServiceName, caller: Parameters<World['call']>[0], e: Endpoint, params?: Record<string, string>) =>
    ask(rec, who, async () => {
      const r = await w.call(caller, e.method, pathOf(e.path, params), undefined, {}, service);
      return new Response(r.text || null, { status: r.status, headers: r.headers });
    });
  return every(ms, async () => {
    await Promise.all([
      call('hub subject read', 'hub', m, hubApi.municipal.getSubject, { municipalityIdentityKey: subjectKey }),
      tokenProbe('hub', m, 'hub token'),
      tokenProbe('idserver', w.operator, 'idserver token'),
      call('oqs card challenge', 'oqs', w.clinic(), oqsApi.issueCardChallenge),
      call('portal session challenge', 'portal', null, portalApi.issueSessionChallenge),
    ]);
  });
}

/** Samples every service's `/admin/v1/status` (the operator's token taken before any fault) every `ms`. */
export function sampleBacklog(w: World, rec: OutageRecord, ms = 250): () => Promise<void> {
  return every(ms, async () => {
    await Promise.all(
      SERVICES.map(async (service) => {
        const r = await callAs(w, w.operator, operatorApi.status, {}, service).catch(() => undefined);
        if (r?.status !== 200) return;
        const sum = (k: 'pending' | 'retrying' | 'dead' | 'inFlight' | 'stuck') => r.body.pipelines.reduce((n, p) => n + p[k], 0);
        rec.backlog.push({
          at: Date.now(),
          service,
          queued: sum('pending') + sum('retrying') + sum('dead'),
          inFlight: sum('inFlight'),
          stuck: sum('stuck'),
          databaseReachable: r.body.database.reachable,
        });
      }),
    );
  });
}

/**
 * Registers `people` in tasks of `taskSize`, one every `intervalMs`, alternating municipalities,
 * each with an Idempotency-Key; a 503 is retried with the same key after its Retry-After, as a
 * municipality's system would. Resolves with the tasks accepted, once every task is accepted.
 */
export async function registrationLoad(
  w: World,
  rec: OutageRecord,
  rng: Rng,
  people: Enrolled[],
  opts: { taskSize: number; intervalMs: number },
): Promise<Array<{ municipality: string; taskId: string; records: number }>> {
  const accepted: Array<{ municipality: string; taskId: string; records: number }> = [];
  const submissions: Promise<void>[] = [];
  for (let i = 0, n = 0; i < people.length; i += opts.taskSize, n++) {
    const code = MUNICIPALITY_CODES[n % MUNICIPALITY_CODES.length];
    const records = people.slice(i, i + opts.taskSize).map((p, j) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `O${i + j}` }));
    const key = crypto.randomUUID();
    submissions.push(
      (async () => {
        for (;;) {
          let taskId: string | undefined;
          const seen = await ask(rec, 'register', async () => {
            const r = await w.call(w.municipality(code), 'POST', hubApi.municipal.registerMedicalSubsidy.path, records, { 'idempotency-key': key });
            if (r.status === 202) taskId = r.body.taskId;
            return new Response(r.text || null, { status: r.status, headers: r.headers });
          });
          if (taskId) return void accepted.push({ municipality: code, taskId, records: records.length });
          if (seen.status !== 503 && seen.status !== 0) throw new Error(`registration task refused: ${seen.status}`);
          await new Promise((r) => setTimeout(r, Number(seen.retryAfter ?? 1) * 1000));
        }
      })(),
    );
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
  await Promise.all(submissions);
  return accepted;
}

/** Defines the child-medical programme at every municipality that registers in `registrationLoad`. */
export async function defineLoadPrograms(w: World): Promise<void> {
  const { certificateTypeId, ...program } = CHILD_PROGRAM;
  for (const code of MUNICIPALITY_CODES) {
    const r = await callAs(w, w.municipality(code), hubApi.municipal.putProgram, {
      params: { orgSpecificCertificateTypeId: certificateTypeId },
      body: program,
    });
    if (r.status !== 200 && r.status !== 201) throw new Error(`programme at ${code}: ${r.status} ${r.text}`);
  }
}
