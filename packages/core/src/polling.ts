import type { Logger } from 'pino';
import type { DatabaseHealth } from './db/availability.ts';

/** Longest pause after repeated failures of a step (unless the loop polls even less often). */
const MAX_FAILURE_BACKOFF_MS = 5_000;

/**
 * Background work that polls its queue in the database: `step` does one unit and says whether
 * there was one. Idle loops sleep `pollMs` unless woken (new work in this process); busy loops
 * still yield a macrotask between steps, because PGlite answers in microtasks on this thread and
 * a busy loop would otherwise keep HTTP requests waiting until the queue is empty.
 *
 * A step that fails backs off (pollMs doubling, up to 5 s). When it failed because the database
 * went away, the loop says nothing (`health` logs the outage, once) and goes again when the
 * outage ends, or after its backoff if that comes first.
 */
export class PollingLoop {
  private running = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();

  constructor(
    private readonly step: () => Promise<boolean>,
    private readonly opts: { name: string; log: Logger; pollMs: number; concurrency?: number; health?: DatabaseHealth },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < (this.opts.concurrency ?? 1); i++) this.loops.push(this.loop());
  }

  /** Stops after the steps in progress finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  wake(): void {
    for (const w of this.wakers) w();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let worked = false;
      try {
        worked = await this.step();
        failures = 0;
      } catch (e) {
        failures++;
        const backoff = Math.min(this.opts.pollMs * 2 ** (failures - 1), Math.max(this.opts.pollMs, MAX_FAILURE_BACKOFF_MS));
        // The database (or a connection to it) went away: the health logs an outage once; the loop
        // says nothing, and goes again after its backoff, or at once when the outage ends.
        if (this.opts.health?.report(e)) await this.sleep(backoff, this.opts.health.nextReturn());
        else {
          this.opts.log.error({ err: { message: (e as Error).message }, failures }, `${this.opts.name}: step failed, will retry`);
          await this.sleep(backoff);
        }
        continue;
      }
      if (!worked && this.running) await this.sleep(this.opts.pollMs);
      else await new Promise((r) => setImmediate(r));
    }
  }

  /** Sleeps `ms`, or less when woken (new work, stop) or when `until` settles. */
  private sleep(ms: number, until?: Promise<unknown>): Promise<void> {
    let t: NodeJS.Timeout | undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        this.wakers.delete(done);
        resolve();
      };
      this.wakers.add(done);
      t = setTimeout(done, ms);
      until?.then(done, done);
    }).finally(() => clearTimeout(t));
  }
}
