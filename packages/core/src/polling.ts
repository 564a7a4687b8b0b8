import type { Logger } from 'pino';

/**
 * Background work that polls its queue in the database: `step` does one unit and says whether
 * there was one. Idle loops sleep `pollMs` unless woken (new work in this process); busy loops
 * still yield a macrotask between steps, because PGlite answers in microtasks on this thread and
 * a busy loop would otherwise keep HTTP requests waiting until the queue is empty.
 */
export class PollingLoop {
  private running = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();

  constructor(
    private readonly step: () => Promise<boolean>,
    private readonly opts: { name: string; log: Logger; pollMs: number; concurrency?: number },
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
    while (this.running) {
      let worked = false;
      try {
        worked = await this.step();
      } catch (e) {
        this.opts.log.error({ err: { message: (e as Error).message } }, `${this.opts.name}: database unavailable, will retry`);
      }
      if (!worked && this.running) await this.sleep(this.opts.pollMs);
      else await new Promise((r) => setImmediate(r));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wakers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}
