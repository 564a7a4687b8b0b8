import { redactTwelveDigits } from '../text/my-number.ts';

/** What a database error may tell a log line, a stored note or an operator: names, never values. */
export interface DatabaseErrorFacts {
  /** SQLSTATE, e.g. `23505` (unique_violation), `22P05` (untranslatable character). */
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

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
