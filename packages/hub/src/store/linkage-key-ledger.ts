import { sql } from 'kysely';
import { appendAuditWithHeads, AuditHeadCache, type AuditEntry } from '@pmh/core/audit/index';
import { certificateRows, groupCertificates, type CertificateRow, type PersonCertificates } from './eligibility.ts';
import type { HubDb } from './schema.ts';

/** One eligibility query whose linkage key has been opened, waiting for its batch. */
export interface SpentKeyQuery<A> {
  jti: string;
  /** The hub key the linkage key was opened with: it must still be usable when the key is spent. */
  kid: string;
  expiresAt: Date;
  pmhId: string;
  /** The answer and its audit entries, from what the hub holds about the person. */
  decide(person: PersonCertificates): { answer: A; audit: AuditEntry[] };
  /** The audit entries when the key was used before. */
  replayed: AuditEntry[];
  /** The audit entries when the hub key it was opened with has retired meanwhile (a rotation by any process). */
  retired: AuditEntry[];
}

/** What became of a query: answered, refused as a replay, or refused because its hub key has retired. */
export type SpentKeyOutcome<A> = { replayed: true } | { retired: true } | { replayed: false; answer: A };

interface Pending<A> {
  query: SpentKeyQuery<A>;
  resolve(outcome: SpentKeyOutcome<A>): void;
  reject(e: unknown): void;
}

/**
 * The eligibility hot path's database work (docs/architecture.md#national-scale): each query's linkage-key id goes
 * into the replay register and the person's certificates are read, in one statement; then the
 * query's audit rows are appended, in another; the answer leaves only after both have committed.
 * So no answered query is unaudited and no key is good twice, even across a crash or several hub
 * processes. (A crash between the two leaves keys spent whose answers never left: OQS asks again
 * with a new key. Nothing is disclosed unaudited.)
 *
 * Queries arriving while a batch is with the database go together into the next one (group
 * commit): under load two statements and two WAL flushes serve many queries. Few statements
 * matter more than little work: under load each round trip waits its turn on a busy event loop
 * and a busy database. Hence no transaction around them (begin and commit are two more round
 * trips) and audit rows appended to the chain heads this process remembers, compare-and-set in
 * one statement, instead of locking and reading them first (`appendAuditWithHeads`). Measured in
 * bench/eligibility.ts: the single transaction of seven statements it replaces served about
 * 1,400 queries a second; this, about 2,100–2,400.
 */
export class LinkageKeyLedger<A> {
  private queue: Array<Pending<A>> = [];
  private flushing = false;
  private readonly heads = new AuditHeadCache();

  constructor(
    private readonly db: HubDb,
    private readonly maxBatch = 500,
  ) {}

  run(query: SpentKeyQuery<A>): Promise<SpentKeyOutcome<A>> {
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

  private async write(batch: Array<SpentKeyQuery<A>>): Promise<Array<SpentKeyOutcome<A>>> {
    const keys = JSON.stringify(batch.map((q) => ({ jti: q.jti, kid: q.kid, expires_at: q.expiresAt.toISOString() })));
    // Certificates of everyone in the batch are read; a replayed key's person is simply not used.
    // A key is spent only while the hub key it was opened with is usable *in the database*: a
    // rotation that retired it, made by any hub process, counts from its commit, whatever this
    // process's ring still remembers (docs/architecture.md#several-processes).
    const { rows } = await sql<{ spent: string[]; retired: string[]; people: CertificateRow[] }>`
      with x as (
        select * from json_to_recordset(${keys}::json) as x(jti text, kid text, expires_at timestamptz)
      ), usable as (
        select x.* from x where exists (
          select 1 from encryption_keys k where k.kid = x.kid and (k.retires_at is null or k.retires_at > now()))
      ), spent as (
        insert into linkage_key_uses (jti, expires_at)
        select jti, expires_at from usable
        on conflict do nothing returning jti
      )
      select coalesce((select json_agg(jti) from spent), '[]') as spent,
             coalesce((select json_agg(jti) from x where not exists (select 1 from usable u where u.jti = x.jti)), '[]') as retired,
             coalesce((select json_agg(p) from (${certificateRows(batch.map((q) => q.pmhId))}) p), '[]') as people`.execute(this.db);
    const unclaimed = new Set(rows[0].spent);
    const retired = new Set(rows[0].retired);
    // The same key twice in one batch: the first is fresh, the second a replay.
    const fresh = batch.map((q) => unclaimed.delete(q.jti));
    const people = groupCertificates(
      batch.map((q) => q.pmhId),
      rows[0].people,
    );
    const audit: AuditEntry[] = [];
    const outcomes = batch.map((q, i): SpentKeyOutcome<A> => {
      if (retired.has(q.jti)) {
        audit.push(...q.retired);
        return { retired: true as const };
      }
      if (!fresh[i]) {
        audit.push(...q.replayed);
        return { replayed: true as const };
      }
      const decided = q.decide(people.get(q.pmhId)!);
      audit.push(...decided.audit);
      return { replayed: false as const, answer: decided.answer };
    });
    await appendAuditWithHeads(this.db, audit, this.heads);
    return outcomes;
  }
}
