import { setTimeout as delay } from 'node:timers/promises';
import { scrubMyNumbers } from '../http/logging.ts';
import { isConnectionError } from './errors.ts';

/**
 * The database going away, told apart from everything else (`isConnectionError`, db/errors.ts).
 * These errors say "not now", never "never": requests answer them 503 with Retry-After,
 * background loops wait them out, and nothing counts them as a failure of the work itself.
 */

/** A connection error in a few words for an operator: its code and the driver's message, never data. */
export function describeConnectionError(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  const message = String((e as { message?: unknown })?.message ?? e).split('\n')[0];
  return scrubMyNumbers(`${typeof code === 'string' && !message.includes(code) ? code + ' ' : ''}${message}`).slice(0, 200);
}

/** How long callers are asked to wait (RFC 9110 §10.2.3) while the database is away. */
export const RETRY_AFTER_SECONDS = 2;

export interface DatabaseView {
  reachable: boolean;
  /** When the database was last found reachable, or unreachable (the start of the outage). */
  since: string;
  /** The last connection error seen (code and driver message), or null. */
  lastError: string | null;
  lastErrorAt: string | null;
  /** Outages seen since this process started. */
  outages: number;
}

type Listener = (view: DatabaseView & { downMs?: number }) => void;

/**
 * One process's view of its database: reachable or not, since when, and the last connection error.
 * Whoever meets a connection error reports it; one probe (a `select 1`, retried with backoff up to
 * `maxProbeMs`) then decides whether the database is away, and keeps watching until it is back.
 * Listeners hear once when an outage starts and once when it ends: that is what gets logged, not
 * every failed query of every loop and request.
 */
export class DatabaseHealth {
  private reachable = true;
  private since = new Date();
  private lastError: string | null = null;
  private lastErrorAt: Date | null = null;
  private outages = 0;
  private probing?: Promise<void>;
  private readonly closing = new AbortController();
  private readonly returnWaiters = new Set<() => void>();
  private readonly downListeners: Listener[] = [];
  private readonly upListeners: Listener[] = [];

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly opts: { minProbeMs?: number; maxProbeMs?: number } = {},
  ) {}

  get isReachable(): boolean {
    return this.reachable;
  }

  view(): DatabaseView {
    return {
      reachable: this.reachable,
      since: this.since.toISOString(),
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt?.toISOString() ?? null,
      outages: this.outages,
    };
  }

  onDown(l: Listener): void {
    this.downListeners.push(l);
  }

  onUp(l: Listener): void {
    this.upListeners.push(l);
  }

  /**
   * Tells the health of an error met while using the database. True when it is a connection error
   * (the database went away, or a connection to it did); the caller then treats it as "not now".
   */
  report(e: unknown): boolean {
    if (!isConnectionError(e)) return false;
    this.lastError = describeConnectionError(e);
    this.lastErrorAt = new Date();
    void this.check();
    return true;
  }

  /**
   * Resolves when an outage ends (the next time the database is found reachable after it was not),
   * or when the health is closed. A loop that met a connection error waits for this or its backoff,
   * whichever comes first: back at once when the database is, never hung on a probe.
   */
  nextReturn(): Promise<void> {
    if (this.closing.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.returnWaiters.add(resolve));
  }

  /** Probes now, unless a probe is already running. */
  private check(): Promise<void> {
    this.probing ??= this.watch().finally(() => (this.probing = undefined));
    return this.probing;
  }

  close(): void {
    this.closing.abort();
    for (const w of this.returnWaiters) w();
    this.returnWaiters.clear();
  }

  private async watch(): Promise<void> {
    let wait = this.opts.minProbeMs ?? 100;
    while (!this.closing.signal.aborted) {
      try {
        await withTimeout(this.probe(), PROBE_TIMEOUT_MS);
        this.up();
        return;
      } catch (e) {
        // A probe that fails for another reason (a bug, not an outage) still means the database answered.
        if (!isConnectionError(e)) return this.up();
        this.lastError = describeConnectionError(e);
        this.lastErrorAt = new Date();
        this.down();
      }
      await delay(wait, undefined, { signal: this.closing.signal }).catch(() => {});
      wait = Math.min(wait * 2, this.opts.maxProbeMs ?? 1000);
    }
  }

  private down(): void {
    if (!this.reachable) return;
    this.reachable = false;
    this.since = new Date();
    this.outages++;
    const v = this.view();
    for (const l of this.downListeners) l(v);
  }

  private up(): void {
    if (this.reachable) return;
    const downMs = Date.now() - this.since.getTime();
    this.reachable = true;
    this.since = new Date();
    const v = { ...this.view(), downMs };
    for (const l of this.upListeners) l(v);
    for (const w of this.returnWaiters) w();
    this.returnWaiters.clear();
  }
}

/** A probe that has not answered in this long counts as a failed one (a server that does not answer at all). */
const PROBE_TIMEOUT_MS = 10_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(Object.assign(new Error('the database did not answer the probe in time'), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}
