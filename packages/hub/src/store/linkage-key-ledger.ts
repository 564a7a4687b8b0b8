import { sql, type Kysely } from 'kysely';
import { appendAudit, type AuditEntry } from '@pmh/core/audit/index';

interface Pending {
  jti: string;
  expiresAt: Date;
  /** Audit entries when the key is fresh (the query is answered). */
  answered: AuditEntry[];
  /** Audit entries when the key was used before (the query is refused). */
  replayed: AuditEntry[];
  resolve(fresh: boolean): void;
  reject(e: unknown): void;
}

/**
 * The eligibility hot path's one write (ARCHITECTURE.md §6): each query's linkage-key id goes into
 * the replay register and its audit rows into the audit log, in one transaction, and the answer
 * leaves only after that transaction commits — so no answered query is unaudited and no key is
 * good twice, even across a crash or several hub processes.
 *
 * Queries arriving while a transaction is in flight are grouped into the next one (group commit):
 * under load a few statements and one WAL flush serve hundreds of queries, instead of two
 * transactions and a chain-head lock per query.
 */
export class LinkageKeyLedger {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly db: Kysely<any>,
    private readonly maxBatch = 500,
  ) {}

  /** True when the key id was not seen before; its audit entries are then committed with it. */
  record(jti: string, expiresAt: Date, answered: AuditEntry[], replayed: AuditEntry[]): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ jti, expiresAt, answered, replayed, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const fresh = await this.write(batch);
          batch.forEach((p, i) => p.resolve(fresh[i]));
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private write(batch: Pending[]): Promise<boolean[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = JSON.stringify(batch.map((p) => ({ jti: p.jti, expires_at: p.expiresAt.toISOString() })));
      const { rows: inserted } = await sql<{ jti: string }>`
        insert into linkage_key_uses (jti, expires_at)
        select x.jti, x.expires_at from json_to_recordset(${rows}::json) as x(jti text, expires_at timestamptz)
        on conflict do nothing returning jti`.execute(trx);
      const unclaimed = new Set(inserted.map((r) => r.jti));
      // The same key twice in one batch: the first is fresh, the second a replay.
      const fresh = batch.map((p) => unclaimed.delete(p.jti));
      await appendAudit(trx, batch.flatMap((p, i) => (fresh[i] ? p.answered : p.replayed)));
      return fresh;
    });
  }
}
