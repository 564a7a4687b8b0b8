import type { Kysely } from 'kysely';
import { appendAudit, appendAuditWithHeads, AuditHeadCache, type AuditEntry } from './audit.ts';

interface Waiting<R> {
  item: R;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Audit writes on a hot path, grouped (docs/architecture.md#national-scale): entries recorded while a write is in
 * flight go together into the next one, so that under load one statement and one WAL flush serve
 * many requests. Each write is one statement on the chain heads this process remembers
 * (`appendAuditWithHeads`), committed by itself: use it for audit rows that need not commit with
 * other data. `record` resolves only once its entries are committed: a request that awaits it
 * answers only what is audited.
 */
export class AuditGroupCommit {
  private queue: Array<Waiting<AuditEntry[]>> = [];
  private flushing = false;
  private readonly heads = new AuditHeadCache();

  constructor(
    private readonly db: Kysely<any>,
    private readonly maxEntries = 1000,
  ) {}

  record(entries: AuditEntry[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item: entries, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        let n = 0;
        let count = 0;
        while (n < this.queue.length && (n === 0 || count + this.queue[n].item.length <= this.maxEntries)) count += this.queue[n++].item.length;
        const batch = this.queue.splice(0, n);
        try {
          await appendAuditWithHeads(
            this.db,
            batch.flatMap((w) => w.item),
            this.heads,
          );
          for (const w of batch) w.resolve();
        } catch (e) {
          // One bad entry must not fail its neighbours: retry each alone.
          if (batch.length === 1) batch[0].reject(e);
          else
            for (const w of batch)
              await this.db
                .transaction()
                .execute((trx) => appendAudit(trx, w.item))
                .then(w.resolve, w.reject);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
