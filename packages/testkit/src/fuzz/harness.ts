import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import fc from 'fast-check';
import { IDENTIFIER_PATTERNS } from '@pmh/protocol';
import { isValidMyNumber } from '@pmh/core/text/checkdigits';
import { twelveDigitRuns } from '@pmh/core/text/my-number';
import type { WriteEndpoint } from './endpoints.ts';
import { bodyOf, describeCase, requestsOf, urlOf, type FuzzRequest, type Seeds } from './request.ts';

/**
 * The properties every write endpoint keeps under fuzzing (issue 9), whatever it is sent:
 * - it answers, and never with a 5xx;
 * - an answer of 400 or more is RFC 9457 problem+json;
 * - an answer of 400 or more wrote nothing: every table of the service's database has as many rows
 *   after as before (a refusal audited by design excepted, table by table, where the endpoint says);
 * - no answer holds a My Number the request carried (in any width or grouping), a My Number the
 *   world holds, or a PMH-ID, PMH pseudonym, pseudonym or 紐付番号 the request did not carry.
 */

export interface FuzzTarget extends WriteEndpoint {
  /** Where the endpoint is served. */
  url: string;
  /** Headers that admit the caller (a token holding the right role, a session cookie), asked for before each case. */
  credentials: () => Promise<Record<string, string>>;
  /** The databases whose row counts must not move on a refusal (the service's own; a relay's: the service it writes through). */
  databases: Array<{ name: string; db: Kysely<any> }>;
  /** Tables a refusal of these statuses writes by design (an audited refusal): none else may move. */
  refusalsWrite?: Array<{ database: string; tables: string[]; statuses: number[] }>;
  seeds?: Seeds;
  /** Its 2xx answers carry identifiers the request did not (an issuer's answer): only its refusals are held to that property. */
  answersIdentifiers?: boolean;
  /** After a 2xx: more checks of what the request started (a task's outcome), and waiting for background work to end. */
  afterSuccess?: (answer: FuzzAnswer, request: FuzzRequest) => Promise<void>;
}

export interface FuzzAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface FuzzWorld {
  /** My Numbers the world's services hold: none may ever appear in an answer. */
  knownMyNumbers: Set<string>;
  /** Every My Number a case sent (the harness adds them): none may reach a log line. */
  sentMyNumbers: Set<string>;
  /** Waits until background work of every service has ended (outboxes delivered, tasks applied). */
  settle: () => Promise<void>;
}

/**
 * Written beside a case, never by it: the token endpoint's replay guard records each client assertion
 * when a service's token for a peer expires (the clinic's at OQS while it relays a case, the hub's at
 * the ID server), whatever the case.
 */
const UNRELATED_TABLES = ['oauth_assertion_jti'];

/**
 * Tables whose expired rows a service purges in the background (login and card challenges): only
 * rows that cannot expire during a case are counted (those valid half a minute after the case
 * began, `until`), so a purge running meanwhile is not taken for the case's write.
 */
const PURGED_IN_BACKGROUND: Record<string, string> = {
  card_challenges: 'expires_at',
  session_challenges: 'expires_at',
  // the portal's clinic consent challenges (60 s), purged once expired: a CI run saw 30 purged
  // during a case of another endpoint and took it for the case's write
  consent_challenges: 'expires_at',
};
const PURGE_MARGIN_MS = 30_000;

const lastCounts = new WeakMap<Kysely<any>, { counts: Record<string, number>; credentials: string; until: Date }>();
const tablesOf = new WeakMap<Kysely<any>, string[]>();

/** Rows per table of a database (information_schema: every base table of its schema, read once). */
export async function rowCounts(db: Kysely<any>, until = new Date(Date.now() + PURGE_MARGIN_MS)): Promise<Record<string, number>> {
  let tables = tablesOf.get(db);
  if (!tables) {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
    if (rows.length === 0) throw new Error('a database without tables: nothing to count');
    tables = rows.map((r) => r.table_name);
    tablesOf.set(db, tables);
  }
  const query = sql.join(
    tables.map((t) =>
      PURGED_IN_BACKGROUND[t]
        ? sql`select ${t}::text as t, count(*)::int as n from ${sql.table(t)} where ${sql.ref(PURGED_IN_BACKGROUND[t])} > ${until}`
        : sql`select ${t}::text as t, count(*)::int as n from ${sql.table(t)}`,
    ),
    sql` union all `,
  );
  const { rows } = await sql<{ t: string; n: number }>`${query}`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Every My Number (valid check digit) written in a text, in any width or grouping, as 12 ASCII
 * digits. UUIDs are no My Numbers: their last group is 12 digits with a valid check digit now and then.
 */
export function myNumbersIn(s: string): Set<string> {
  return new Set(
    twelveDigitRuns(s.replace(UUID, 'uuid'))
      .map((r) => r.digits)
      .filter(isValidMyNumber),
  );
}

/**
 * The lines of a log that hold one of `numbers` (a My Number in a 12-digit run of any width or
 * grouping). Only those: a request id's last UUID group may be 12 digits with a valid check digit by chance.
 */
export function linesHoldingMyNumbers(log: string, numbers: Set<string>): string[] {
  return log.split('\n').filter((line) => [...myNumbersIn(line)].some((n) => numbers.has(n)) || [...numbers].some((n) => line.includes(n)));
}

function identifiersIn(s: string): Set<string> {
  const out = new Set<string>();
  for (const re of Object.values(IDENTIFIER_PATTERNS)) for (const m of s.match(new RegExp(re.source, 'g')) ?? []) out.add(m);
  return out;
}

/** The text a request carried, decoded: body as sent and as parsed, URL as sent and percent-decoded. */
function requestText(url: string, r: FuzzRequest, body: string | undefined): string {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    /* a lone surrogate's bytes: the raw URL is what was sent */
  }
  return [url, decoded, body ?? '', JSON.stringify(r.headers ?? {}), JSON.stringify(r.body ?? null) ?? ''].join('\n');
}

/** One case: sends it and checks the properties; throws an assertion naming the endpoint and the case. */
export async function checkCase(t: FuzzTarget, world: FuzzWorld, r: FuzzRequest): Promise<void> {
  const label = `${t.name} (${t.endpoint.method} ${t.endpoint.path}) ${describeCase(r)}`;
  const url = urlOf(t.endpoint, r);
  const body = bodyOf(r);
  // Credentials first: fetching a token writes at the service (its assertion's jti), which is no part of the case.
  const admitted = await t.credentials();
  const headers: Record<string, string> = { ...admitted, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
  for (const [k, v] of Object.entries(r.headers ?? {})) if (typeof v === 'string' && /^[\x20-\x7E]*$/.test(v)) headers[k] = v;
  // The counts a refusal left are the next case's "before" while the same credentials are used and nothing succeeded since.
  const credentials = JSON.stringify(admitted);
  const reusable = (c: { credentials: string; until: Date } | undefined) =>
    c?.credentials === credentials && c.until.getTime() - Date.now() > PURGE_MARGIN_MS / 2;
  const measured = await Promise.all(
    t.databases.map(async (d) => {
      const c = lastCounts.get(d.db);
      if (c && reusable(c)) return { counts: c.counts, until: c.until };
      const until = new Date(Date.now() + PURGE_MARGIN_MS);
      return { counts: await rowCounts(d.db, until), until };
    }),
  );
  const before = measured.map((m) => m.counts);
  for (const d of t.databases) lastCounts.delete(d.db);

  const res = await fetch(t.url + url, { method: t.endpoint.method, headers, body });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const answer: FuzzAnswer = { status: res.status, headers: res.headers, text, body: parsed };
  const cut = text.length > 500 ? `${text.slice(0, 500)}…` : text;

  assert.ok(res.status < 500, `${label}\n→ ${res.status} ${cut}`);
  if (res.status >= 400) {
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, `${label}\n→ ${res.status} not problem+json: ${cut}`);
    assert.equal(parsed?.status, res.status, `${label}\n→ the problem's status: ${cut}`);
    const after = await Promise.all(t.databases.map((d, i) => rowCounts(d.db, measured[i].until)));
    t.databases.forEach((d, i) => {
      const skip = new Set([
        ...UNRELATED_TABLES,
        ...(t.refusalsWrite ?? []).filter((x) => x.database === d.name && x.statuses.includes(res.status)).flatMap((x) => x.tables),
      ]);
      const moved = Object.keys({ ...before[i], ...after[i] }).filter((table) => !skip.has(table) && before[i][table] !== after[i][table]);
      assert.deepEqual(
        moved.map((table) => `${d.name}.${table}: ${before[i][table]} → ${after[i][table]}`),
        [],
        `${label}\n→ ${res.status} ${cut}\nand yet rows were written`,
      );
      lastCounts.set(d.db, { counts: after[i], credentials, until: measured[i].until });
    });
  }

  const sent = requestText(url, r, body);
  const answerText = parsed === undefined ? text : `${text}\n${JSON.stringify(parsed)}`;
  const sentNumbers = myNumbersIn(sent);
  for (const n of sentNumbers) world.sentMyNumbers.add(n);
  for (const n of myNumbersIn(answerText)) {
    assert.ok(!sentNumbers.has(n), `${label}\n→ ${res.status}: the answer echoes a My Number the request carried: ${cut}`);
    assert.ok(!world.knownMyNumbers.has(n), `${label}\n→ ${res.status}: the answer holds a My Number the world holds: ${cut}`);
  }
  const sentIds = identifiersIn(sent);
  if (!(t.answersIdentifiers && res.status < 300))
    for (const id of identifiersIn(answerText))
      assert.ok(sentIds.has(id), `${label}\n→ ${res.status}: the answer holds an identifier the request did not carry: ${cut}`);

  if (res.status < 300) {
    await t.afterSuccess?.(answer, r);
    await world.settle();
  }
}

export interface FuzzSettings {
  seed: number;
  numRuns: number;
}

/** Runs the cases of one endpoint: fast-check with the given seed, shrinking a failure to its smallest case. */
export async function fuzzEndpoint(t: FuzzTarget, world: FuzzWorld, settings: FuzzSettings): Promise<void> {
  const requests = requestsOf(t.endpoint, t.seeds);
  const out = await fc.check(
    fc.asyncProperty(requests, (r) => checkCase(t, world, r)),
    { seed: settings.seed, numRuns: settings.numRuns, endOnFailure: process.env.PMH_FUZZ_SHRINK === '0' },
  );
  if (out.failed) {
    const error = out.errorInstance as Error | undefined;
    throw new Error(
      `${t.name} failed after ${out.numRuns} cases (seed ${out.seed}, path "${out.counterexamplePath}", shrunk ${out.numShrinks} times; ` +
        `replay: PMH_FUZZ_SEED=${out.seed} PMH_FUZZ_ONLY=${t.name} npm run fuzz)\n${error?.message ?? String(error)}`,
    );
  }
}
