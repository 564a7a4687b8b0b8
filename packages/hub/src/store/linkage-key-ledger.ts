import { sql, type Kysely } from 'kysely';
import { appendAudit, type AuditEntry } from '@pmh/core/audit/index';
import { certificatesOfPeople, type PersonCertificates } from './eligibility.ts';

/** One eligibility query whose linkage key has been opened, waiting for its batch. */
export interface SpentKeyQuery<A> {
  jti: string;
  expiresAt: Date;
  pmhId: string;
  /** The answer and its audit entries, from what the hub holds about the person. */
  decide(person: PersonCertificates): { answer: A; audit: AuditEntry[] };
  /** The audit entries when the key was used before. */
  replayed: AuditEntry[];
}

interface Pending<A> {
  query: SpentKeyQuery<A>;
  resolve(outcome: { replayed: true } | { replayed: false; answer: A }): void;
  reject(e: unknown): void;
}

/**
 * The eligibility hot path's database work (ARCHITECTURE.md §6): each query's linkage-key id goes
 * into the replay register, the person's certificates are read, and the query's audit rows are
 * appended — in one transaction, and the answer leaves only after it commits. So no answered query
 * is unaudited and no key is good twice, even across a crash or several hub processes.
 *
 * Queries arriving while a transaction is in flight go together into the next one (group commit):
 * under load a handful of statements and one WAL flush serve many queries, instead of a
 * transaction, a read and a chain-head lock per query.
 */
export class LinkageKeyLedger<A> {
  private queue: Array<Pending<A>> = [];
  private flushing = false;

  constructor(
    private readonly db: Kysely<any>,
    private readonly maxBatch = 500,
  ) {}

  run(query: SpentKeyQuery<A>): Promise<{ replayed: true } | { replayed: false; answer: A }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ query, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const outcomes = await this.write(batch.map((p) => p.query));
          batch.forEach((p, i) => p.resolve(outcomes[i]));
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private write(batch: Array<SpentKeyQuery<A>>): Promise<Array<{ replayed: true } | { replayed: false; answer: A }>> {
    return this.db.transaction().execute(async (trx) => {
      const rows = JSON.stringify(batch.map((q) => ({ jti: q.jti, expires_at: q.expiresAt.toISOString() })));
      const { rows: inserted } = await sql<{ jti: string }>`
        insert into linkage_key_uses (jti, expires_at)
        select x.jti, x.expires_at from json_to_recordset(${rows}::json) as x(jti text, expires_at timestamptz)
        on conflict do nothing returning jti`.execute(trx);
      const unclaimed = new Set(inserted.map((r) => r.jti));
      // The same key twice in one batch: the first is fresh, the second a replay.
      const fresh = batch.map((q) => unclaimed.delete(q.jti));
      const people = await certificatesOfPeople(trx, batch.filter((_, i) => fresh[i]).map((q) => q.pmhId));
      const audit: AuditEntry[] = [];
      const outcomes = batch.map((q, i) => {
        if (!fresh[i]) {
          audit.push(...q.replayed);
          return { replayed: true as const };
        }
        const decided = q.decide(people.get(q.pmhId)!);
        audit.push(...decided.audit);
        return { replayed: false as const, answer: decided.answer };
      });
      await appendAudit(trx, audit);
      return outcomes;
    });
  }
}
