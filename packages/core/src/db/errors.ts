import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import { redactTwelveDigits } from '../text/my-number.ts';

/**
 * The one place a database error is told apart. Every caller asks here — the HTTP error handler
 * (which turns the answer into problem+json, `databaseProblem` in http/problem.ts), the outbox,
 * the background workers and each service's transactions — rather than keeping its own SQLSTATEs.
 *
 * - `connection`: the database went away, or a connection to it did ("not now", never "never"):
 *   requests answer 503 with Retry-After, background loops wait for its return.
 * - `transient-conflict`: PostgreSQL gave this transaction up to let others go on (deadlock,
 *   serialization failure). Nothing was written; the same work, tried again, succeeds.
 * - `unique-violation`: a row with the same key exists; when two writers raced, the loser's retry
 *   sees the winner's commit.
 * - `refused-value`: the database refused these rows (a value it cannot hold, a constraint, a
 *   trigger's check): the fault is in the data, not in the database or in us.
 * - `other`: anything else, our own fault included (class 42: a privilege or row-level-security refusal).
 */
export type DatabaseErrorKind = 'connection' | 'transient-conflict' | 'unique-violation' | 'refused-value' | 'other';

/** What a database error may tell a log line, a stored note or an operator: names, never values. */
export interface DatabaseErrorFacts {
  /** SQLSTATE, e.g. `23505` (unique_violation), `22P05` (untranslatable character). */
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Socket errors of a connection to the server (Node's `code`). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs (PostgreSQL, Appendix A) of a connection that is gone or cannot serve: class 08
 * connection exception; 57P01 admin_shutdown (a restart, a stop, pg_terminate_backend), 57P02
 * crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, in recovery); 53300
 * too_many_connections (full for now); 25006 read_only_sql_transaction: the server reached is a
 * standby, as during a failover behind a proxy (Patroni reports the new primary a moment before
 * PostgreSQL leaves recovery; HAProxy counts every server up until its first check), so a write
 * must wait for the primary, not fail.
 */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '25006']);

/** What node-postgres and its pool say, without a code, when a connection is gone or never came. */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
];

/** 40P01 deadlock_detected, 40001 serialization_failure. */
const TRANSIENT_SQLSTATES = new Set(['40P01', '40001']);

/**
 * SQLSTATE classes that are not a refusal of the rows written but "not now" or our own fault:
 * 08 connection, 25 transaction state, 40 rollback, 42 syntax or access (privilege, row-level
 * security), 53 resources, 55 object state, 57 operator intervention, 58 system, XX internal.
 */
const NOT_A_REFUSAL = /^(08|25|40|42|53|55|57|58|XX)/;

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Which kind of database error `e` is (see `DatabaseErrorKind`). */
export function classifyDatabaseError(e: unknown): DatabaseErrorKind {
  if (isConnectionError(e)) return 'connection';
  const code = codeOf(e);
  if (code === undefined || !SQLSTATE.test(code)) return 'other';
  if (TRANSIENT_SQLSTATES.has(code)) return 'transient-conflict';
  if (code === '23505') return 'unique-violation';
  return NOT_A_REFUSAL.test(code) ? 'other' : 'refused-value';
}

/** The database, or a connection to it, went away (see `DatabaseErrorKind`). */
export function isConnectionError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const code = codeOf(e);
  if (code !== undefined && (NETWORK_CODES.has(code) || CONNECTION_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  // Connecting to a name with several addresses fails with every address's error at once.
  if (e instanceof AggregateError && e.errors.some(isConnectionError)) return true;
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && DRIVER_MESSAGES.some((m) => m.test(message));
}

/**
 * PostgreSQL gave up one transaction to let others go on: a deadlock (40P01) or a serialization
 * failure (40001). Nothing was written; the same work, tried again, succeeds.
 */
export function isTransientConflict(e: unknown): boolean {
  return classifyDatabaseError(e) === 'transient-conflict';
}

/** A unique violation (23505). */
export function isUniqueViolation(e: unknown): boolean {
  return classifyDatabaseError(e) === 'unique-violation';
}

/** Lost a race with a concurrent writer: given up for it (`transient-conflict`), or beaten to a key (`unique-violation`). */
export function lostARace(e: unknown): boolean {
  const kind = classifyDatabaseError(e);
  return kind === 'transient-conflict' || kind === 'unique-violation';
}

/** The SQLSTATE and the names of what it concerns, when `e` is an error PostgreSQL (or PGlite) raised. */
export function databaseErrorFacts(e: unknown): DatabaseErrorFacts | undefined {
  const x = e as Record<string, unknown> | undefined;
  if (typeof x?.code !== 'string' || !SQLSTATE.test(x.code)) return undefined;
  const name = (v: unknown) => (typeof v === 'string' && /^[A-Za-z0-9_.]{1,63}$/.test(v) ? v : undefined);
  return { code: x.code, constraint: name(x.constraint), table: name(x.table), column: name(x.column) };
}

/**
 * One line about an error, safe to log and to store: for a database error its SQLSTATE and names
 * only — the server's message can quote the offending value (`invalid input syntax for type date:
 * "…"`) and a driver's error carries the query's parameters; for any other error its message, with
 * every 12-digit run masked.
 */
export function describeError(e: unknown): string {
  const facts = databaseErrorFacts(e);
  if (facts) {
    const names = (['table', 'constraint', 'column'] as const).flatMap((k) => (facts[k] ? [`${k} ${facts[k]}`] : []));
    return `database error SQLSTATE ${facts.code}${names.length ? ` (${names.join(', ')})` : ''}`;
  }
  return redactTwelveDigits(String((e as Error)?.message ?? e)).slice(0, 500);
}

export interface RetryOptions {
  /** How many times in all `attempt` runs (default 3). */
  attempts?: number;
  /** Which errors are worth another attempt (default `lostARace`). */
  when?: (e: unknown) => boolean;
  /** A pause before attempt n+1 (ms), if any. */
  pauseMs?: (n: number) => number;
}

/** Runs `attempt`, again (up to `attempts` times in all) while it fails with an error `when` accepts. */
export async function retrying<T>(attempt: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const when = opts.when ?? lostARace;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (n >= attempts || !when(e)) throw e;
      const pause = opts.pauseMs?.(n);
      if (pause) await sleep(pause);
    }
  }
}

/**
 * Runs `work` in a transaction, again (up to `attempts` times) when it lost a race: a serialization
 * failure, a deadlock, or a unique violation from a concurrent writer (the retry sees its commit).
 * Each attempt is a transaction of its own; nothing of a lost one is kept.
 */
export function inTransaction<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  return retrying(() => db.transaction().execute(work), opts);
}
