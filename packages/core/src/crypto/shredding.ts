import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';

/**
 * Crypto-shredding for identifiers a service may hold only for a moment (the portal's PMH-ID until
 * the hub acknowledges the link, docs/privacy.md#invariant-5; an outbox payload on its way).
 *
 * Deleting a row does not delete its bytes: old row versions stay in the table's files until
 * vacuumed, the write-ahead log keeps every version until it is recycled, and backups keep them for
 * as long as backups are kept. So such a value is stored only sealed (AES-256-GCM, RFC 5116) under
 * a short-lived *epoch key*, and the key is destroyed when no live row needs it any more: from then
 * on every copy of the ciphertext, wherever it lies, opens to nothing.
 *
 * The epoch keys live outside the database, one file each in a key store directory beside the
 * service's key file. A key kept in the database would itself survive in dead tuples and WAL.
 *
 * - A new epoch starts every `epochSeconds`; values are sealed under the current epoch's key,
 *   made on first use. The key file is written and fsynced (file and directory) before any row
 *   sealed under it can commit, so a crash never leaves a committed row without its key: faults
 *   delay a pending value, never lose it.
 * - `maintain()` (every service runs it in the background) re-seals the live rows of each epoch
 *   that ended more than `graceSeconds` ago under the current one, then destroys that epoch's key
 *   once no row uses it (overwritten, fsynced, unlinked). So no key outlives its epoch by much
 *   more than the grace, however long a value stays pending, and an old row version is unreadable
 *   at most about `epochSeconds + graceSeconds` after it was written.
 * - Several processes of one service share one key store directory (same host, or a shared volume
 *   with atomic link and unlink). A sealing transaction holds a shared advisory lock on its epoch;
 *   destroying a key takes the exclusive lock (without waiting) and checks, under it, that no
 *   committed row uses the epoch. A transaction still sealing under an epoch thus keeps its key
 *   alive until it commits, and its row is then seen by the check. The sealer reads the key file
 *   under its lock, and makes it again if a process with a slower clock destroyed it, so what it
 *   seals under always exists when it commits.
 *
 * Format of a sealed value: `s1.<epoch>.<iv>.<ciphertext>.<tag>` (base64url), associated data the
 * field's name and its row's identity, so a value copied to another row or column does not open.
 */
export interface ShreddingOptions {
  /** The key store: a directory outside the database (created 0700, key files 0600). */
  dir: string;
  /** Length of an epoch: how often the sealing key changes. Default 300 (5 minutes). */
  epochSeconds?: number;
  /**
   * How long after its epoch ends a key is kept before its rows are re-sealed and it is destroyed:
   * room for clocks that differ between hosts. Default the epoch's length, at most 60.
   */
  graceSeconds?: number;
  /** Clock (ms since the epoch), for tests that pass epochs without waiting. Default `Date.now`. */
  now?: () => number;
}

/** A column of sealed values: what `maintain` re-seals and checks before destroying a key. */
export interface SealedColumn {
  table: string;
  column: string;
  /** The column naming the row; its value is bound into each sealed value's associated data. */
  rowKey: string;
  rowKeyType: 'text' | 'uuid' | 'bigint';
  /** The field's name in the associated data (e.g. `accounts.pmh_id`). */
  field: string;
}

/** A value whose epoch key was destroyed: it can never be opened again. */
export class KeyDestroyedError extends Error {
  constructor(readonly epoch: string) {
    super(`the key of epoch ${epoch} has been destroyed: the sealed value cannot be opened`);
  }
}

export interface MaintenanceRound {
  /** Rows moved to the current epoch. */
  resealed: number;
  /** Rows whose value did not open under its own key and row (tampered with): they keep their key. */
  unopenable: number;
  /** Epochs whose keys were destroyed in this round. */
  destroyed: string[];
  /** Epochs past their grace whose keys are still needed (a row another transaction held, or an unopenable one). */
  kept: string[];
}

export interface Sealer {
  readonly epoch: string;
  seal(plaintext: string, field: string, row: string): string;
}

const FORMAT = 's1';
const IV_BYTES = 12;
// Advisory-lock namespace (the high 32 bits) of epoch locks; the low 32 bits are the epoch's start in seconds.
const LOCK_NAMESPACE = 7_100_200n;
const IDENT = /^[a-z_][a-z0-9_]*$/;

function lockKey(epoch: string): string {
  return String((LOCK_NAMESPACE << 32n) + BigInt(epoch.slice(1)));
}

function aad(field: string, row: string): Buffer {
  return Buffer.from(`${FORMAT}\0${field}\0${row}`, 'utf8');
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export class ShreddingCipher {
  readonly dir: string;
  readonly epochSeconds: number;
  readonly graceSeconds: number;
  private readonly now: () => number;
  /** Keys read for opening, by epoch; dropped when their file is gone. */
  private readonly cache = new Map<string, crypto.KeyObject>();

  constructor(opts: ShreddingOptions) {
    this.dir = path.resolve(opts.dir);
    this.epochSeconds = opts.epochSeconds ?? 300;
    this.graceSeconds = opts.graceSeconds ?? Math.min(60, this.epochSeconds);
    this.now = opts.now ?? Date.now;
    if (!(this.epochSeconds >= 1) || !(this.graceSeconds >= 0)) throw new Error('epochSeconds must be ≥ 1 and graceSeconds ≥ 0');
  }

  /** The epoch at `ms`: `e<start in unix seconds>`, the same in every process of the service. */
  epochAt(ms: number): string {
    const s = Math.floor(ms / 1000);
    return `e${s - (s % this.epochSeconds)}`;
  }

  private endOf(epoch: string): number {
    return (Number(epoch.slice(1)) + this.epochSeconds) * 1000;
  }

  private fileOf(epoch: string): string {
    return path.join(this.dir, `${epoch}.key`);
  }

  /** The epochs whose keys exist now, oldest first. */
  epochs(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => /^e\d+\.key$/.test(n))
      .map((n) => n.slice(0, -4))
      .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  }

  private readKey(epoch: string): Buffer | undefined {
    let b: Buffer;
    try {
      b = fs.readFileSync(this.fileOf(epoch));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    // All zeros: being destroyed by another process (overwritten before it is unlinked).
    if (b.length !== 32 || b.every((x) => x === 0)) return undefined;
    return b;
  }

  /** The epoch's key, made durably if it does not exist (another process may make it at the same time: one wins). */
  private ensureKey(epoch: string): Buffer {
    const existing = this.readKey(epoch);
    if (existing) return existing;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.dir, `.${epoch}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, crypto.randomBytes(32));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(tmp, this.fileOf(epoch)); // atomic: fails if another process made it first
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      fs.unlinkSync(tmp);
    }
    fsyncDir(this.dir);
    return this.readKey(epoch)!;
  }

  /**
   * A sealer for the current epoch, in `trx`: takes the epoch's shared lock (held until `trx`
   * ends), then the key. Every value sealed in a transaction must come from a sealer of that
   * transaction, so that its key cannot be destroyed before the row is visible.
   */
  async sealer(trx: Kysely<any>): Promise<Sealer> {
    const epoch = this.epochAt(this.now());
    await sql`select pg_advisory_xact_lock_shared(${lockKey(epoch)}::bigint)`.execute(trx);
    const key = crypto.createSecretKey(this.ensureKey(epoch));
    this.cache.set(epoch, key);
    return {
      epoch,
      seal(plaintext, field, row) {
        const iv = crypto.randomBytes(IV_BYTES);
        const c = crypto.createCipheriv('aes-256-gcm', key, iv);
        c.setAAD(aad(field, row));
        const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
        return [FORMAT, epoch, iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
      },
    };
  }

  static isSealed(value: string): boolean {
    return value.startsWith(`${FORMAT}.`);
  }

  static epochOf(sealed: string): string {
    return sealed.split('.')[1];
  }

  /** Opens a sealed value of `field` on `row`; throws KeyDestroyedError when its key is gone. */
  open(sealed: string, field: string, row: string): string {
    const parts = sealed.split('.');
    const [format, epoch, iv, ct, tag] = parts;
    if (parts.length !== 5 || format !== FORMAT || !/^e\d+$/.test(epoch)) throw new Error('not a sealed value');
    const attempt = (key: crypto.KeyObject) => {
      const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAAD(aad(field, row));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    };
    const cached = this.cache.get(epoch);
    if (cached) {
      try {
        return attempt(cached);
      } catch {
        // The file may have been made again (see `sealer`): read it below.
      }
    }
    const bytes = this.readKey(epoch);
    if (!bytes) {
      this.cache.delete(epoch);
      throw new KeyDestroyedError(epoch);
    }
    const key = crypto.createSecretKey(bytes);
    this.cache.set(epoch, key);
    return attempt(key);
  }

  /**
   * One round of upkeep over `columns`: re-seal the live rows of every epoch past its grace under
   * the current epoch, destroy the keys no row uses any more, and forget keys other processes
   * destroyed. Answers what it did.
   */
  async maintain(db: Kysely<any>, columns: SealedColumn[], batch = 500): Promise<MaintenanceRound> {
    for (const c of columns) for (const id of [c.table, c.column, c.rowKey]) if (!IDENT.test(id)) throw new Error(`not an SQL identifier: ${id}`);
    const now = this.now();
    const current = this.epochAt(now);
    const round: MaintenanceRound = { resealed: 0, unopenable: 0, destroyed: [], kept: [] };
    for (const epoch of this.epochs()) {
      if (epoch === current || this.endOf(epoch) + this.graceSeconds * 1000 > now) continue;
      for (const c of columns) await this.reseal(db, c, epoch, batch, round);
      if (await this.destroyIfUnused(db, columns, epoch)) round.destroyed.push(epoch);
      else round.kept.push(epoch);
    }
    const present = new Set(this.epochs());
    for (const epoch of this.cache.keys()) if (!present.has(epoch)) this.cache.delete(epoch);
    return round;
  }

  private inEpoch(c: SealedColumn, epoch: string) {
    const col = sql.ref(c.column);
    return sql`${col} like 's1.%' and split_part(${col}, '.', 2) = ${epoch}`;
  }

  /**
   * Moves the rows of `epoch` in `c` to the current epoch, a batch per transaction; rows other
   * transactions hold are left for the next round. A value that does not open (tampered with, or
   * copied from another row) is left where it is and counted: it keeps its key, for an operator.
   */
  private async reseal(db: Kysely<any>, c: SealedColumn, epoch: string, batch: number, round: MaintenanceRound): Promise<void> {
    for (;;) {
      const { selected, moved } = await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ k: string; v: string }>`
          select ${sql.ref(c.rowKey)}::text as k, ${sql.ref(c.column)} as v from ${sql.table(c.table)}
          where ${this.inEpoch(c, epoch)}
          limit ${batch} for update skip locked`.execute(trx);
        if (rows.length === 0) return { selected: 0, moved: 0 };
        const sealer = await this.sealer(trx);
        const resealed: Array<{ k: string; v: string }> = [];
        for (const r of rows) {
          let plain: string;
          try {
            plain = this.open(r.v, c.field, r.k);
          } catch {
            round.unopenable++;
            continue;
          }
          resealed.push({ k: r.k, v: sealer.seal(plain, c.field, r.k) });
        }
        if (resealed.length) {
          await sql`
            update ${sql.table(c.table)} t set ${sql.ref(c.column)} = x.v
            from json_to_recordset(${JSON.stringify(resealed)}::json) as x(k text, v text)
            where t.${sql.ref(c.rowKey)} = x.k::${sql.raw(c.rowKeyType)}`.execute(trx);
        }
        return { selected: rows.length, moved: resealed.length };
      });
      round.resealed += moved;
      if (selected < batch || moved === 0) return;
    }
  }

  /** Destroys `epoch`'s key if no transaction is sealing under it and no committed row uses it. */
  private async destroyIfUnused(db: Kysely<any>, columns: SealedColumn[], epoch: string): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${lockKey(epoch)}::bigint) as ok`.execute(trx);
      if (!rows[0]?.ok) return false;
      for (const c of columns) {
        const used = await sql`select 1 from ${sql.table(c.table)} where ${this.inEpoch(c, epoch)} limit 1`.execute(trx);
        if (used.rows.length) return false;
      }
      this.destroyKey(epoch);
      return true;
    });
  }

  /** Overwrites the key file, then unlinks it, each step made durable. */
  private destroyKey(epoch: string): void {
    const file = this.fileOf(epoch);
    try {
      const fd = fs.openSync(file, 'r+');
      try {
        fs.writeSync(fd, Buffer.alloc(32), 0, 32, 0);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.unlinkSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    fsyncDir(this.dir);
    this.cache.delete(epoch);
  }
}
