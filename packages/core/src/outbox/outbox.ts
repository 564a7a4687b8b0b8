import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { sqlMigration, type Migration } from '../db/migrate.ts';
import { ShreddingCipher, type SealedColumn } from '../crypto/shredding.ts';
import type { DatabaseHealth } from '../db/availability.ts';
import { isConnectionError, isTransientConflict, retrying } from '../db/errors.ts';
import { PollingLoop } from '../polling.ts';

/**
 * Transactional outbox (docs/architecture.md#outbox): a message to another service is written in the
 * same transaction as the change that causes it, and delivered afterwards, at least once, in
 * batches, with retries and exponential backoff. Work is claimed with FOR UPDATE SKIP LOCKED and
 * a lease, so several workers and processes share it, and no transaction is held open across a
 * network call. Delivered messages are deleted: an outbox keeps no identifier longer than needed,
 * and a payload carrying one its sender may not keep is sealed under a shreddable epoch key (see
 * ShreddingCipher), so the deleted row's bytes left in the table's files and the WAL open to nothing.
 */
export const outboxMigrations: Migration[] = [
  sqlMigration(
    'core-outbox-001',
    `create table outbox (
       id bigserial primary key,
       kind text not null,
       dedupe_key text,
       payload text not null,
       encrypted boolean not null default false,
       status text not null default 'pending',
       attempts integer not null default 0,
       next_attempt_at timestamptz not null default now(),
       locked_until timestamptz,
       last_error text,
       created_at timestamptz not null default now(),
       unique (kind, dedupe_key)
     );
     create index outbox_due on outbox (kind, next_attempt_at, id) where status = 'pending';`,
  ),
  // Sealed payloads by epoch: what re-sealing reads, and what is checked before an epoch key is destroyed.
  sqlMigration('core-outbox-002-sealed-epochs', `create index outbox_sealed_epoch on outbox (split_part(payload, '.', 2)) where payload like 's1.%';`),
];

/** The outbox's sealed payloads, bound to the message's id. */
export const OUTBOX_SEALED: SealedColumn = { table: 'outbox', column: 'payload', rowKey: 'id', rowKeyType: 'bigint', field: 'outbox.payload' };

export interface OutboxMessage<P = any> {
  id: string;
  kind: string;
  payload: P;
  attempts: number;
}

/** Per message: delivered, or refused for good (a permanent error), or to be retried. */
export type ItemOutcome = { ok: true } | { ok: false; permanent: boolean; error: string };

export interface OutboxHandler<P = any, R = unknown> {
  /** Messages per delivery (one HTTP request). */
  batchSize: number;
  /**
   * Sends a batch; throws when nothing was delivered (counterpart down): the whole batch is retried,
   * with backoff. An error carrying `retryAfterMs` (the counterpart answered 503 with Retry-After:
   * it is there, its own database is not) is retried after that long, and is not counted as an
   * attempt: waiting out a counterpart's outage must not use up a message's attempts.
   */
  send(messages: OutboxMessage<P>[]): Promise<{ result: R; items?: ItemOutcome[] }>;
  /**
   * Runs in the transaction that deletes the delivered messages (e.g. store what the answer carried),
   * after the delete: a follow-up it enqueues with a delivered message's dedupe key is queued anew.
   */
  onDelivered?(trx: Kysely<any>, delivered: OutboxMessage<P>[], result: R): Promise<void>;
  /**
   * Runs first in that transaction, before the delete: locks the records `onDelivered` will change.
   * A request locks its records and then queues a message (whose dedupe key may be a delivered
   * one's), so records are locked before outbox rows on both sides and the two cannot deadlock.
   */
  lockDelivered?(trx: Kysely<any>, delivered: OutboxMessage<P>[]): Promise<void>;
}

export interface EnqueueItem {
  kind: string;
  payload: unknown;
  /** With a key, enqueuing the same (kind, key) again while one is pending is a no-op. */
  dedupeKey?: string;
  /**
   * Seal the payload under the service's shreddable epoch key: for identifiers the sender may hold
   * only until the message is delivered (the portal's PMH-ID). The dedupe key stays in clear.
   */
  seal?: boolean;
}

/** How old a lease held by no delivery of this process must be to count as stuck. */
const STUCK_AFTER_MS = 5_000;
/** How often a settlement step the database gave up for a concurrent one is tried. */
const SETTLE_ATTEMPTS = 5;

/** Enqueue in the caller's transaction: the message exists if and only if the change commits. */
export async function enqueue(trx: Kysely<any>, items: EnqueueItem[], shredding?: ShreddingCipher): Promise<void> {
  if (items.length === 0) return;
  const sealed = items.filter((i) => i.seal).length;
  if (sealed && !shredding) throw new Error("enqueue: a sealed payload needs the service's ShreddingCipher");
  // A sealed payload is bound to its message's id, so its id is drawn before the row is written.
  const ids = sealed
    ? (await sql<{ id: string }>`select nextval('outbox_id_seq')::text as id from generate_series(1, ${sealed})`.execute(trx)).rows.map((r) => r.id)
    : [];
  const sealer = sealed ? await shredding!.sealer(trx) : undefined;
  const rows = items.map((i) => {
    const text = JSON.stringify(i.payload);
    if (!i.seal) return { id: null, kind: i.kind, dedupe_key: i.dedupeKey ?? null, payload: text, encrypted: false };
    const id = ids.shift()!;
    return { id, kind: i.kind, dedupe_key: i.dedupeKey ?? null, payload: sealer!.seal(text, OUTBOX_SEALED.field, id), encrypted: true };
  });
  await sql`
    insert into outbox (id, kind, dedupe_key, payload, encrypted)
    select coalesce(x.id, nextval('outbox_id_seq')), x.kind, x.dedupe_key, x.payload, x.encrypted
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(id bigint, kind text, dedupe_key text, payload text, encrypted boolean)
    on conflict (kind, dedupe_key) do nothing`.execute(trx);
}

/**
 * Which of these dedupe keys of `kind` belong to parked messages (`dead`: given up until an operator
 * retries them): what a service shows as "failed" for the things it sent, without reading the
 * outbox's table itself.
 */
export async function parkedDedupeKeys(db: Kysely<any>, kind: string, dedupeKeys: string[]): Promise<Set<string>> {
  if (dedupeKeys.length === 0) return new Set();
  const { rows } = await sql<{ dedupe_key: string }>`
    select dedupe_key from outbox where kind = ${kind} and status = 'dead' and dedupe_key = any(${dedupeKeys}::text[])`.execute(db);
  return new Set(rows.map((r) => r.dedupe_key));
}

export interface OutboxOptions {
  pollMs?: number;
  /** Lease on claimed messages; a crashed worker's messages are claimable again after it. */
  leaseMs?: number;
  /** Backoff after the n-th failure: min(baseBackoffMs · 2^(n-1), maxBackoffMs). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** After this many failed attempts a message is parked as `dead` until an operator retries it. */
  maxAttempts?: number;
}

export interface OutboxStatus {
  kind: string;
  pending: number;
  retrying: number;
  dead: number;
  /** Of the pending and retrying: leased by this process and not settled yet (being delivered, or their outcome waiting for the database). */
  inFlight: number;
  /** Of the pending and retrying: under a lease no delivery of this process holds (left by a process that stopped, or another process's). */
  stuck: number;
  oldestAgeSeconds: number | null;
  lastError: string | null;
  /** When the counts were read from the database: earlier than now when it cannot be reached. */
  countedAt: string | null;
}

/** What is left to write of one delivered (or failed) batch: steps in order, each dropped once written. */
interface Settlement {
  kind: string;
  ids: string[];
  steps: Array<() => Promise<void>>;
}

export class Outbox {
  private readonly loop: PollingLoop;
  private readonly o: Required<OutboxOptions>;
  /**
   * The messages this process holds a lease on and has not settled: being delivered, or their
   * outcome owed to the database. A lease on any other message was left by a process that stopped
   * (or is held by another process of this service).
   */
  private readonly held = new Map<string, string>();
  /**
   * Batches whose outcome is known here but could not be written, because the database went away:
   * written first when it is back, instead of their messages waiting out the lease and going again.
   */
  private unsettled: Settlement[] = [];
  private lastCounts = new Map<string, Omit<OutboxStatus, 'kind' | 'inFlight'>>();

  constructor(
    private readonly db: Kysely<any>,
    private readonly handlers: Record<string, OutboxHandler>,
    private readonly log: Logger,
    opts: OutboxOptions = {},
    private readonly shredding?: ShreddingCipher,
    private readonly health?: DatabaseHealth,
  ) {
    this.o = { pollMs: 250, leaseMs: 60_000, baseBackoffMs: 500, maxBackoffMs: 60_000, maxAttempts: 25, ...opts };
    this.loop = new PollingLoop(() => this.deliverDue(), { name: 'outbox', log, pollMs: this.o.pollMs, health });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  /** Settles what is owed, then one batch of every kind that has one due; true when any was delivered or tried. */
  private async deliverDue(): Promise<boolean> {
    // A connection error ends the round: the polling loop waits for the database's return.
    let worked = await this.settleOwed();
    for (const kind of Object.keys(this.handlers)) {
      try {
        worked = (await this.deliverOnce(kind)) || worked;
      } catch (e) {
        if (isConnectionError(e)) throw e;
        this.log.error({ kind, err: { message: (e as Error).message } }, 'outbox: delivery round failed, will retry');
      }
    }
    return worked;
  }

  /** Writes the settlements the database missed, oldest first; true when there were any. */
  private async settleOwed(): Promise<boolean> {
    if (this.unsettled.length === 0) return false;
    while (this.unsettled.length) {
      const s = this.unsettled[0];
      await this.runSteps(s);
      this.unsettled.shift();
      for (const id of s.ids) this.held.delete(id);
    }
    this.log.info('outbox: outcomes of deliveries made while the database was away are written');
    return true;
  }

  private async runSteps(s: Settlement): Promise<void> {
    while (s.steps.length) {
      // A step the database gave up for a concurrent transaction (a deadlock, a serialization
      // failure) wrote nothing: it runs again at once rather than leaving its messages leased.
      await retrying(s.steps[0], { attempts: SETTLE_ATTEMPTS, when: isTransientConflict, pauseMs: (n) => 10 * n + Math.random() * 20 });
      s.steps.shift();
    }
  }

  /**
   * Writes a batch's outcome. When the database is away, keeps it to be written on its return
   * (`settleOwed`) and rethrows: the messages stay held by this process until then.
   */
  private async settle(s: Settlement): Promise<void> {
    try {
      await this.runSteps(s);
    } catch (e) {
      if (isConnectionError(e)) this.unsettled.push(s);
      throw e;
    }
  }

  /** Claims and delivers one batch of `kind`; true when there was one. */
  async deliverOnce(kind: string): Promise<boolean> {
    const handler = this.handlers[kind];
    const claimed = await this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: string; payload: string; encrypted: boolean; attempts: number }>`
        select id, payload, encrypted, attempts from outbox
        where kind = ${kind} and status = 'pending' and next_attempt_at <= now()
          and (locked_until is null or locked_until < now())
        order by id limit ${handler.batchSize}
        for update skip locked`.execute(trx);
      if (rows.length === 0) return [];
      await sql`update outbox set locked_until = now() + make_interval(secs => ${this.o.leaseMs / 1000})
                where id = any(${rows.map((r) => r.id)}::bigint[])`.execute(trx);
      return rows;
    });
    if (claimed.length === 0) return false;
    const settlement: Settlement = { kind, ids: claimed.map((r) => r.id), steps: [] };
    for (const id of settlement.ids) this.held.set(id, kind);
    try {
      const messages: OutboxMessage[] = [];
      for (const r of claimed) {
        const m = { id: r.id, kind, attempts: r.attempts };
        try {
          messages.push({ ...m, payload: JSON.parse(this.payloadOf(r)) });
        } catch (e) {
          // A sealed payload that does not open (its key destroyed, or the row tampered with) can never be sent.
          this.log.error({ kind, id: r.id, err: { message: (e as Error).message } }, 'outbox: a payload does not open; parked');
          settlement.steps.push(() => this.fail([{ ...m, payload: null }], 'its sealed payload does not open (key destroyed or row tampered with)', true));
        }
      }
      if (messages.length === 0) {
        await this.settle(settlement);
        return true;
      }
      let sent: { result: unknown; items?: ItemOutcome[] };
      try {
        sent = await handler.send(messages);
      } catch (e) {
        const message = (e as Error).message;
        const ownDatabase = isConnectionError(e);
        const retryAfterMs = (e as { retryAfterMs?: unknown }).retryAfterMs;
        // Reading what to send can fail on our own database too: nothing was sent, and an outage
        // of ours is no attempt of the message's; it goes again as soon as the database is back.
        settlement.steps.push(() => this.fail(messages, message, false, ownDatabase ? 0 : typeof retryAfterMs === 'number' ? retryAfterMs : undefined));
        if (!ownDatabase)
          this.log.warn({ kind, messages: messages.length, attempt: messages[0].attempts + 1, err: { message } }, 'outbox: delivery failed, will retry');
        await this.settle(settlement);
        return true;
      }
      const delivered = messages.filter((_, i) => !sent.items || sent.items[i].ok);
      if (delivered.length)
        settlement.steps.push(() =>
          this.db.transaction().execute(async (trx) => {
            if (handler.lockDelivered) await handler.lockDelivered(trx, delivered);
            await sql`delete from outbox where id = any(${delivered.map((m) => m.id)}::bigint[])`.execute(trx);
            if (handler.onDelivered) await handler.onDelivered(trx, delivered, sent.result);
          }),
        );
      if (sent.items)
        messages.forEach((m, i) => {
          const o = sent.items![i];
          if (!o.ok) settlement.steps.push(() => this.fail([m], o.error, o.permanent));
        });
      await this.settle(settlement);
      return true;
    } finally {
      if (!this.unsettled.includes(settlement)) for (const id of settlement.ids) this.held.delete(id);
    }
  }

  private payloadOf(r: { id: string; payload: string; encrypted: boolean }): string {
    if (!r.encrypted) return r.payload;
    if (!this.shredding || !ShreddingCipher.isSealed(r.payload)) throw new Error('an encrypted payload this outbox cannot open');
    return this.shredding.open(r.payload, OUTBOX_SEALED.field, r.id);
  }

  private async fail(messages: OutboxMessage[], error: string, permanent: boolean, retryAfterMs?: number): Promise<void> {
    const attempts = messages[0].attempts + 1;
    // The counterpart said when to come back: then, and the attempt is not counted (see OutboxHandler.send).
    const counted = retryAfterMs === undefined || permanent;
    const delay = counted
      ? Math.min(this.o.baseBackoffMs * 2 ** (attempts - 1), this.o.maxBackoffMs)
      : Math.min(Math.max(retryAfterMs, this.o.baseBackoffMs), this.o.maxBackoffMs);
    const dead = permanent || (counted && attempts >= this.o.maxAttempts);
    await sql`
      update outbox set attempts = attempts + ${counted ? 1 : 0}, locked_until = null, last_error = ${error.slice(0, 500)},
        status = ${dead ? 'dead' : 'pending'}, next_attempt_at = now() + make_interval(secs => ${delay / 1000})
      where id = any(${messages.map((m) => m.id)}::bigint[])`.execute(this.db);
  }

  /** The kinds of message this outbox delivers: its pipelines. */
  kinds(): string[] {
    return Object.keys(this.handlers);
  }

  private heldIds(): string[] {
    return [...this.held.keys()];
  }

  /**
   * A lease is stuck when no delivery of this process holds it, and it was taken a while ago (a
   * claim of ours is held within milliseconds of its commit; "a while" keeps that instant out).
   */
  private stuck() {
    return sql`(locked_until > now() and locked_until < now() + make_interval(secs => ${(this.o.leaseMs - STUCK_AFTER_MS) / 1000})
      and not id = any(${this.heldIds()}::bigint[]))`;
  }

  /**
   * Backlog per kind: what `pmh status` shows. When the database cannot be read, the last counts
   * read (with `countedAt`) and what this process itself holds: an operator still sees something.
   */
  async status(opts: { count?: boolean } = {}): Promise<OutboxStatus[]> {
    if (opts.count !== false && this.health?.isReachable !== false) {
      try {
        await this.count();
      } catch (e) {
        if (!this.health?.report(e)) throw e;
      }
    }
    return Object.keys(this.handlers).map((kind) => ({
      kind,
      ...(this.lastCounts.get(kind) ?? { pending: 0, retrying: 0, dead: 0, stuck: 0, oldestAgeSeconds: null, lastError: null, countedAt: null }),
      inFlight: [...this.held.values()].filter((k) => k === kind).length,
    }));
  }

  private async count(): Promise<void> {
    const { rows } = await sql<any>`
      select kind,
        count(*) filter (where status = 'pending' and attempts = 0) as pending,
        count(*) filter (where status = 'pending' and attempts > 0) as retrying,
        count(*) filter (where status = 'dead') as dead,
        count(*) filter (where ${this.stuck()}) as stuck,
        extract(epoch from now() - min(created_at)) as oldest,
        (array_agg(last_error order by id desc) filter (where last_error is not null))[1] as last_error
      from outbox group by kind order by kind`.execute(this.db);
    const byKind = new Map(rows.map((r) => [r.kind as string, r]));
    const countedAt = new Date().toISOString();
    for (const kind of Object.keys(this.handlers)) {
      const r = byKind.get(kind);
      this.lastCounts.set(kind, {
        pending: Number(r?.pending ?? 0),
        retrying: Number(r?.retrying ?? 0),
        dead: Number(r?.dead ?? 0),
        stuck: Number(r?.stuck ?? 0),
        oldestAgeSeconds: r?.oldest == null ? null : Math.round(Number(r.oldest)),
        lastError: r?.last_error ?? null,
        countedAt,
      });
    }
  }

  /**
   * What `pmh retry` does: re-drives parked (dead) and backing-off messages now, and frees leases
   * that no running delivery of this process holds (their process stopped), so their messages go
   * now rather than when the lease runs out. With several processes of one service, a lease freed
   * this way may be another's delivery in flight: its messages may go twice, which every receiver
   * takes (idempotent).
   */
  async retry(kind?: string): Promise<number> {
    const { numAffectedRows } = await sql`
      update outbox set status = 'pending', next_attempt_at = now(), locked_until = null
      where (status = 'dead' or attempts > 0 or ${this.stuck()})
        and not id = any(${this.heldIds()}::bigint[])
        and (${kind ?? null}::text is null or kind = ${kind ?? null})`.execute(this.db);
    this.wake();
    return Number(numAffectedRows ?? 0);
  }
}
