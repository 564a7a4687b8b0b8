import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { sqlMigration, type Migration } from '../db/migrate.ts';
import { ShreddingCipher, type SealedColumn } from '../crypto/shredding.ts';
import { PollingLoop } from '../polling.ts';

/**
 * Transactional outbox (ARCHITECTURE.md §2, §6): a message to another service is written in the
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
  /** Sends a batch; throws when nothing was delivered (counterpart down): the whole batch is retried. */
  send(messages: OutboxMessage<P>[]): Promise<{ result: R; items?: ItemOutcome[] }>;
  /** Runs in the transaction that deletes the delivered messages (e.g. store what the answer carried). */
  onDelivered?(trx: Kysely<any>, delivered: OutboxMessage<P>[], result: R): Promise<void>;
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

/** Enqueue in the caller's transaction: the message exists if and only if the change commits. */
export async function enqueue(trx: Kysely<any>, items: EnqueueItem[], shredding?: ShreddingCipher): Promise<void> {
  if (items.length === 0) return;
  const sealed = items.filter((i) => i.seal).length;
  if (sealed && !shredding) throw new Error('enqueue: a sealed payload needs the service\'s ShreddingCipher');
  // A sealed payload is bound to its message's id, so its id is drawn before the row is written.
  const ids = sealed ? (await sql<{ id: string }>`select nextval('outbox_id_seq')::text as id from generate_series(1, ${sealed})`.execute(trx)).rows.map((r) => r.id) : [];
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
  oldestAgeSeconds: number | null;
  lastError: string | null;
}

export class Outbox {
  private readonly loop: PollingLoop;
  private readonly o: Required<OutboxOptions>;

  constructor(
    private readonly db: Kysely<any>,
    private readonly handlers: Record<string, OutboxHandler>,
    private readonly log: Logger,
    opts: OutboxOptions = {},
    private readonly shredding?: ShreddingCipher,
  ) {
    this.o = { pollMs: 250, leaseMs: 60_000, baseBackoffMs: 500, maxBackoffMs: 60_000, maxAttempts: 25, ...opts };
    this.loop = new PollingLoop(() => this.deliverDue(), { name: 'outbox', log, pollMs: this.o.pollMs });
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

  /** One batch of every kind that has one due; true when any was delivered or tried. */
  private async deliverDue(): Promise<boolean> {
    let worked = false;
    for (const kind of Object.keys(this.handlers)) {
      try {
        worked = (await this.deliverOnce(kind)) || worked;
      } catch (e) {
        this.log.error({ kind, err: { message: (e as Error).message } }, 'outbox: database unavailable, will retry');
      }
    }
    return worked;
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
    const messages: OutboxMessage[] = [];
    for (const r of claimed) {
      const m = { id: r.id, kind, attempts: r.attempts };
      try {
        messages.push({ ...m, payload: JSON.parse(this.payloadOf(r)) });
      } catch (e) {
        // A sealed payload that does not open (its key destroyed, or the row tampered with) can never be sent.
        this.log.error({ kind, id: r.id, err: { message: (e as Error).message } }, 'outbox: a payload does not open; parked');
        await this.fail([{ ...m, payload: null }], 'its sealed payload does not open (key destroyed or row tampered with)', true);
      }
    }
    if (messages.length === 0) return true;
    let sent: { result: unknown; items?: ItemOutcome[] };
    try {
      sent = await handler.send(messages);
    } catch (e) {
      await this.fail(messages, (e as Error).message, false);
      this.log.warn({ kind, messages: messages.length, attempt: messages[0].attempts + 1, err: { message: (e as Error).message } }, 'outbox: delivery failed, will retry');
      return true;
    }
    const delivered = messages.filter((_, i) => !sent.items || sent.items[i].ok);
    await this.db.transaction().execute(async (trx) => {
      if (handler.onDelivered && delivered.length) await handler.onDelivered(trx, delivered, sent.result);
      if (delivered.length) await sql`delete from outbox where id = any(${delivered.map((m) => m.id)}::bigint[])`.execute(trx);
    });
    if (sent.items) {
      const failed = messages.map((m, i) => [m, sent.items![i]] as const).filter(([, o]) => !o.ok);
      for (const [m, o] of failed) if (!o.ok) await this.fail([m], o.error, o.permanent);
    }
    return true;
  }

  private payloadOf(r: { id: string; payload: string; encrypted: boolean }): string {
    if (!r.encrypted) return r.payload;
    if (!this.shredding || !ShreddingCipher.isSealed(r.payload)) throw new Error('an encrypted payload this outbox cannot open');
    return this.shredding.open(r.payload, OUTBOX_SEALED.field, r.id);
  }

  private async fail(messages: OutboxMessage[], error: string, permanent: boolean): Promise<void> {
    const attempts = messages[0].attempts + 1;
    const delay = Math.min(this.o.baseBackoffMs * 2 ** (attempts - 1), this.o.maxBackoffMs);
    const dead = permanent || attempts >= this.o.maxAttempts;
    await sql`
      update outbox set attempts = attempts + 1, locked_until = null, last_error = ${error.slice(0, 500)},
        status = ${dead ? 'dead' : 'pending'}, next_attempt_at = now() + make_interval(secs => ${delay / 1000})
      where id = any(${messages.map((m) => m.id)}::bigint[])`.execute(this.db);
  }

  /** Backlog per kind: what `pmh status` shows. */
  async status(): Promise<OutboxStatus[]> {
    const { rows } = await sql<any>`
      select kind,
        count(*) filter (where status = 'pending' and attempts = 0) as pending,
        count(*) filter (where status = 'pending' and attempts > 0) as retrying,
        count(*) filter (where status = 'dead') as dead,
        extract(epoch from now() - min(created_at)) as oldest,
        (array_agg(last_error order by id desc) filter (where last_error is not null))[1] as last_error
      from outbox group by kind order by kind`.execute(this.db);
    const byKind = new Map(rows.map((r) => [r.kind, r]));
    return Object.keys(this.handlers).map((kind) => {
      const r = byKind.get(kind);
      return {
        kind,
        pending: Number(r?.pending ?? 0),
        retrying: Number(r?.retrying ?? 0),
        dead: Number(r?.dead ?? 0),
        oldestAgeSeconds: r?.oldest == null ? null : Math.round(Number(r.oldest)),
        lastError: r?.last_error ?? null,
      };
    });
  }

  /** Re-drives parked (dead) and backing-off messages now: what `pmh retry` does. */
  async retry(kind?: string): Promise<number> {
    const { numAffectedRows } = await sql`
      update outbox set status = 'pending', next_attempt_at = now(), locked_until = null
      where (status = 'dead' or attempts > 0) and (${kind ?? null}::text is null or kind = ${kind ?? null})`.execute(this.db);
    this.wake();
    return Number(numAffectedRows ?? 0);
  }
}
