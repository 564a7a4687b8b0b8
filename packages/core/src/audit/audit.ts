import { createHash } from 'node:crypto';
import { sql, type Kysely, type QueryResult, type RawBuilder } from 'kysely';
import { holdsTwelveDigits } from '../text/my-number.ts';

/**
 * Append-only, hash-chained audit log (docs/privacy.md#invariant-10; docs/architecture.md#national-scale).
 *
 * Every read or write of personal data is recorded: who (actor), which subject (subjectRef), what
 * (action), why (purpose), and the outcome. Rows are chained per *stream* — one chain per actor, or
 * per actor shard for busy actors — so that audit writes on the hot path never serialise on one
 * global lock: a writer locks only its stream's head row in `audit_heads`.
 *
 * PRIVACY: an audit row must never hold a My Number (nor a 紐付番号, a 仮名識別子 or a card serial).
 * `subjectRef` and `detail` carry *references* (a subject id, a PMH-ID where allowed, a request id),
 * never identifiers. That is the caller's duty; `appendAudit` additionally refuses, as a last line
 * of defence, any value that looks like a bare 12-digit number.
 *
 * Tamper evidence: each row's hash covers its content and the previous row's hash; `verifyAudit`
 * recomputes every chain and compares its tail with the head. Someone able to rewrite both a whole
 * chain and its head is only caught by anchoring heads outside the database (periodic seals).
 */

export interface AuditEntry {
  /** Chain to append to; default `auditStream(actor)`. */
  stream?: string;
  /** Who: `municipality:131016`, `oqs`, `institution:1311234567`, … */
  actor: string;
  /** What: `subject.register`, `subject.read`, `eligibility.query`, … */
  action: string;
  /** Which subject, as a reference (never a My Number). */
  subjectRef?: string | null;
  /** Why: the process (事務) or legal purpose. */
  purpose?: string | null;
  /** `ok` | `denied` | `error` | … */
  outcome: string;
  /** JSON details: references only, never identifiers. */
  detail?: Record<string, unknown>;
}

/** A stored audit row. */
export interface AuditRecord {
  stream: string;
  seq: number;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  actor: string;
  action: string;
  subjectRef: string | null;
  purpose: string | null;
  outcome: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Keyset position for `readAudit` paging: pass the last record of the previous page. */
export interface AuditCursor {
  at: string;
  stream: string;
  seq: number;
}

export type AuditProblemKind = 'hash-mismatch' | 'chain-break' | 'gap' | 'head-mismatch' | 'missing-tail' | 'orphan-stream';

export interface AuditProblem {
  stream: string;
  seq?: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  streams: number;
  rows: number;
  problems: AuditProblem[];
}

/** `prev_hash` of the first row of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/** Rows per INSERT statement (11 parameters a row, well under PostgreSQL's 65,535). */
const INSERT_CHUNK = 5000;

const AUDIT_COLUMNS = sql.raw('stream, seq, at, actor, action, subject_ref, purpose, outcome, detail, prev_hash, hash');

// ---------------------------------------------------------------------------------------------
// Streams per process

let processTag = '';

/** Names a process tag: 1–32 of a–z, 0–9 and `-`. */
const PROCESS_TAG = /^[a-z0-9-]{1,32}$/;

/**
 * Makes every stream this OS process appends to its own (docs/architecture.md#several-processes):
 * with a tag, the stream `S` an entry names is written as `S@tag`. Several processes of one service
 * on one database then append to disjoint chains and never wait on each other's chain heads (and
 * the heads each remembers, `AuditHeadCache`, stay right). Without a tag (one process, the demo,
 * the tests) streams keep their plain names: the rows written before tags existed are simply the
 * untagged process's chains, continued by it and verified like any other. Called once at start-up,
 * before the first append; two live processes given the same tag stay correct (they lock the same
 * heads, as one process's concurrent writers do), only slower.
 */
export function setAuditProcess(tag: string | undefined): void {
  if (tag !== undefined && tag !== '' && !PROCESS_TAG.test(tag)) throw new Error('the audit process tag must be 1-32 of a-z, 0-9 and -');
  processTag = tag ?? '';
}

/** This process's tag ('' when none). */
export function auditProcess(): string {
  return processTag;
}

/** The stream an entry is written to: its named stream, in this process's own chain of it. */
function processStream(stream: string): string {
  return processTag ? `${stream}@${processTag}` : stream;
}

/**
 * The stream an actor's entries go to. Without a key, the actor's single chain; with a key (e.g. a
 * request id or a subject reference), one of `shards` chains of that actor chosen by a stable hash
 * of the key, so one busy actor's concurrent writes spread over a few chains.
 */
export function auditStream(actor: string, key?: string, shards = 16): string {
  if (!actor) throw new Error('auditStream: actor is required');
  if (key === undefined) return actor;
  if (!Number.isInteger(shards) || shards < 1) throw new Error('auditStream: shards must be a positive integer');
  const shard = createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) % shards;
  return `${actor}#${shard}`;
}

// ---------------------------------------------------------------------------------------------
// Hashing

/** JSON with object keys sorted (by UTF-16 code units) at every depth; `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    const v = obj[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The hash of a row: hex SHA-256 over a canonical JSON of its fields in a fixed order. */
export function computeAuditHash(r: Omit<AuditRecord, 'hash'>): string {
  const text =
    '{' +
    [
      `"stream":${JSON.stringify(r.stream)}`,
      `"seq":${JSON.stringify(r.seq)}`,
      `"at":${JSON.stringify(r.at)}`,
      `"actor":${JSON.stringify(r.actor)}`,
      `"action":${JSON.stringify(r.action)}`,
      `"subjectRef":${JSON.stringify(r.subjectRef ?? null)}`,
      `"purpose":${JSON.stringify(r.purpose ?? null)}`,
      `"outcome":${JSON.stringify(r.outcome)}`,
      `"detail":${canonicalJson(r.detail ?? {})}`,
      `"prevHash":${JSON.stringify(r.prevHash)}`,
    ].join(',') +
    '}';
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// My Number guard

// A 12-digit run not embedded in a longer token (so a hex digest or a UUID segment that happens to
// be all digits is not mistaken for one): the one rule of text/my-number.ts, in its token mode.
function looksLikeMyNumber(s: string): boolean {
  return holdsTwelveDigits(s);
}

/** Throws (naming the field, never the value) if anything looks like a bare 12-digit number. */
function guardNoMyNumber(value: unknown, path: string, depth = 0): void {
  if (depth > 64) throw new Error(`audit entry: ${path} is nested too deeply`);
  if (typeof value === 'string') {
    if (looksLikeMyNumber(value)) throw refuse(path);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) >= 1e11 && Math.abs(value) < 1e12) throw refuse(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => guardNoMyNumber(v, `${path}[${i}]`, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (looksLikeMyNumber(k)) throw refuse(`${path} (a key)`);
      guardNoMyNumber(v, `${path}.${k.replace(/\d/g, '#')}`, depth + 1);
    }
  }
}

function refuse(path: string): Error {
  return new Error(`audit entry refused: ${path} holds a 12-digit number (possible My Number); ` + 'audit rows carry references, never identifiers');
}

// ---------------------------------------------------------------------------------------------
// Append

/** Byte-wise (UTF-8) order, identical to PostgreSQL's `collate "C"`: the lock order of streams. */
function compareStreams(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function requireText(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new Error(`audit entry: ${name} must be a non-empty string`);
  return v;
}

/**
 * Append entries to the audit log. MUST be called inside the caller's transaction, so that the
 * audit rows commit (or roll back) atomically with the data they describe.
 *
 * The stream heads touched stay locked until that transaction ends: call this once per transaction,
 * as late as possible (just before commit), so that writers on the same stream wait only briefly.
 * Streams are locked in a fixed (byte-wise) order, so two transactions touching the same streams
 * cannot deadlock on them. Under REPEATABLE READ / SERIALIZABLE, contention on a head surfaces as a
 * serialization failure (40001) for the caller to retry; READ COMMITTED simply waits.
 */
export async function appendAudit(trx: Kysely<any>, entries: AuditEntry[]): Promise<void> {
  if (!trx.isTransaction) throw new Error('appendAudit must be called inside a transaction');
  if (entries.length === 0) return;
  const { byStream, streams } = prepareEntries(entries);

  // Lock the heads, in a fixed order: create missing ones, then SELECT … FOR UPDATE.
  await sql`insert into audit_heads (stream, seq, hash)
    values ${sql.join(streams.map((s) => sql`(${s}, 0, ${GENESIS_HASH})`))}
    on conflict (stream) do nothing`.execute(trx);
  const heads = await sql<{ stream: string; seq: string | number; hash: string }>`
    select stream, seq, hash from audit_heads
    where stream in (${sql.join(streams)})
    order by stream collate "C"
    for update`.execute(trx);
  const headOf = headsByStream(heads.rows);

  // The instant is taken once the heads are held, so it does not go backwards within a stream.
  const { rows, newHeads } = chainEntries(streams, byStream, headOf, new Date().toISOString());

  // One JSON parameter per statement: PostgreSQL parses it in C, far cheaper than thousands of
  // bind parameters or array literals escaped in JavaScript.
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await sql`insert into audit_log (${AUDIT_COLUMNS}) select ${AUDIT_COLUMNS} from ${rowsParameter(rows.slice(i, i + INSERT_CHUNK))}`.execute(trx);
  }

  await sql`update audit_heads as h set seq = v.seq, hash = v.hash
    from (values ${sql.join(newHeads.map((h) => sql`(${h.stream}::text, ${h.seq}::bigint, ${h.hash}::text)`))})
      as v(stream, seq, hash)
    where h.stream = v.stream`.execute(trx);
}

type PendingRecord = Omit<AuditRecord, 'seq' | 'at' | 'prevHash' | 'hash'>;
type Head = { seq: number; hash: string };

/** `audit_heads` rows by stream (`seq` is a bigint, read as a string by pg). */
function headsByStream(rows: Array<{ stream: string; seq: string | number; hash: string }>): Map<string, Head> {
  return new Map(rows.map((h) => [h.stream, { seq: Number(h.seq), hash: h.hash }]));
}

/** Validates and normalises entries, grouped by stream; the streams in lock order. Nothing is written if any is refused. */
function prepareEntries(entries: AuditEntry[]): { byStream: Map<string, PendingRecord[]>; streams: string[] } {
  const byStream = new Map<string, PendingRecord[]>();
  entries.forEach((e, i) => {
    const where = `entries[${i}]`;
    const actor = requireText(e.actor, `${where}.actor`);
    const action = requireText(e.action, `${where}.action`);
    const outcome = requireText(e.outcome, `${where}.outcome`);
    const stream = processStream(e.stream === undefined ? auditStream(actor) : requireText(e.stream, `${where}.stream`));
    const subjectRef = e.subjectRef ?? null;
    const purpose = e.purpose ?? null;
    if (subjectRef !== null && typeof subjectRef !== 'string') throw new Error(`${where}.subjectRef must be a string`);
    if (purpose !== null && typeof purpose !== 'string') throw new Error(`${where}.purpose must be a string`);
    const raw = e.detail ?? {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new Error(`${where}.detail must be a JSON object`);
    }
    // Exactly what jsonb will store and give back (Dates become strings, undefined disappears…).
    const detail = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
    for (const [name, v] of [
      ['stream', stream],
      ['actor', actor],
      ['action', action],
      ['subjectRef', subjectRef],
      ['purpose', purpose],
      ['outcome', outcome],
    ] as const) {
      guardNoMyNumber(v, `${where}.${name}`);
    }
    guardNoMyNumber(detail, `${where}.detail`);
    const list = byStream.get(stream) ?? [];
    list.push({ stream, actor, action, subjectRef, purpose, outcome, detail });
    byStream.set(stream, list);
  });
  return { byStream, streams: [...byStream.keys()].sort(compareStreams) };
}

/** The rows that continue each stream's chain from its head, and the heads they leave. */
function chainEntries(streams: string[], byStream: Map<string, PendingRecord[]>, headOf: Map<string, Head>, at: string) {
  const rows: AuditRecord[] = [];
  const newHeads: Array<{ stream: string; seq: number; hash: string; prevSeq: number; prevHash: string }> = [];
  for (const stream of streams) {
    const head = headOf.get(stream);
    if (!head) throw new Error('appendAudit: stream head vanished');
    let { seq, hash } = head;
    for (const p of byStream.get(stream)!) {
      seq += 1;
      const rec = { ...p, seq, at, prevHash: hash };
      hash = computeAuditHash(rec);
      rows.push({ ...rec, hash });
    }
    newHeads.push({ stream, seq, hash, prevSeq: head.seq, prevHash: head.hash });
  }
  return { rows, newHeads };
}

/** Audit rows as one JSON parameter, read back as a record set with the table's columns. */
function rowsParameter(rows: AuditRecord[]): RawBuilder<unknown> {
  const json = rows.map((r) => ({
    stream: r.stream,
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject_ref: r.subjectRef,
    purpose: r.purpose,
    outcome: r.outcome,
    detail: r.detail,
    prev_hash: r.prevHash,
    hash: r.hash,
  }));
  return sql`json_to_recordset(${JSON.stringify(json)}::json) as x(stream text, seq bigint, at timestamptz, actor text,
    action text, subject_ref text, purpose text, outcome text, detail jsonb, prev_hash text, hash text)`;
}

/**
 * The chain heads this process wrote last, remembered so that a hot path can append without
 * reading and locking them first (`appendAuditWithHeads`). A head remembered wrongly — another
 * process wrote the stream since, or the transaction that wrote it rolled back — costs a fallback
 * to the locking path, never a broken chain: the database only takes rows that continue its head.
 */
export class AuditHeadCache {
  private readonly heads = new Map<string, Head>();

  constructor(private readonly maxStreams = 100_000) {}

  get(stream: string): Head | undefined {
    return this.heads.get(stream);
  }

  set(stream: string, head: Head): void {
    this.heads.delete(stream);
    this.heads.set(stream, head);
    // Forget the stream written longest ago (a Map iterates in insertion order).
    if (this.heads.size > this.maxStreams) this.heads.delete(this.heads.keys().next().value!);
  }

  forget(stream: string): void {
    this.heads.delete(stream);
  }
}

/**
 * `appendAudit` in one statement on a hot path: the rows continue the heads remembered in `cache`
 * (those not remembered are read first, once), and each stream's head moves only if it is still
 * where it was remembered — compare-and-set in the same statement, so its rows go in with it or
 * not at all. Streams whose head had moved (another writer) are appended again the locking way.
 * Inside a transaction it is part of it; outside one it commits by itself (one statement).
 */
export async function appendAuditWithHeads(db: Kysely<any>, entries: AuditEntry[], cache: AuditHeadCache): Promise<void> {
  if (entries.length === 0) return;
  const { byStream, streams } = prepareEntries(entries);
  const unknown = streams.filter((s) => cache.get(s) === undefined);
  if (unknown.length > 0) {
    const { rows } = await sql<{ stream: string; seq: string | number; hash: string }>`
      select stream, seq, hash from audit_heads where stream = any(${unknown}::text[])`.execute(db);
    const found = headsByStream(rows);
    for (const s of unknown) cache.set(s, found.get(s) ?? { seq: 0, hash: GENESIS_HASH });
  }
  const headOf = new Map(streams.map((s) => [s, cache.get(s)!]));
  const { rows, newHeads } = chainEntries(streams, byStream, headOf, new Date().toISOString());
  const heads = JSON.stringify(newHeads.map((h) => ({ stream: h.stream, seq: h.seq, hash: h.hash, prev_seq: h.prevSeq, prev_hash: h.prevHash })));
  // A head moves from where it was remembered (or is created, for a new stream); a stream's rows go
  // in only if its head moved. A head locked by another writer is waited for and then re-checked.
  const { rows: moved } = await sql<{ stream: string }>`
    with v as (
      select * from json_to_recordset(${heads}::json) as v(stream text, seq bigint, hash text, prev_seq bigint, prev_hash text)
    ), moved as (
      update audit_heads h set seq = v.seq, hash = v.hash from v
      where v.prev_seq > 0 and h.stream = v.stream and h.seq = v.prev_seq and h.hash = v.prev_hash
      returning h.stream
    ), created as (
      insert into audit_heads (stream, seq, hash) select stream, seq, hash from v where prev_seq = 0
      on conflict (stream) do nothing returning stream
    ), ok as (
      select stream from moved union all select stream from created
    ), appended as (
      insert into audit_log (${AUDIT_COLUMNS}) select ${AUDIT_COLUMNS} from ${rowsParameter(rows)}
      where x.stream in (select stream from ok)
    )
    select stream from ok`.execute(db);
  const done = new Set(moved.map((r) => r.stream));
  for (const h of newHeads) if (done.has(h.stream)) cache.set(h.stream, { seq: h.seq, hash: h.hash });
  const late = streams.filter((s) => !done.has(s));
  if (late.length === 0) return;
  for (const s of late) cache.forget(s);
  const rest: AuditEntry[] = late.flatMap((s) => byStream.get(s)!);
  if (db.isTransaction) await appendAudit(db, rest);
  else await db.transaction().execute((trx) => appendAudit(trx, rest));
}

// ---------------------------------------------------------------------------------------------
// Read

interface LogRow {
  stream: string;
  seq: string | number;
  at: Date | string;
  actor: string;
  action: string;
  subject_ref: string | null;
  purpose: string | null;
  outcome: string;
  detail: Record<string, unknown> | string;
  prev_hash: string;
  hash: string;
}

function toRecord(r: LogRow): AuditRecord {
  return {
    stream: r.stream,
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    subjectRef: r.subject_ref,
    purpose: r.purpose,
    outcome: r.outcome,
    detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * A subject's audit entries, newest first (the resident's access log). Page with `before`. Several
 * references (one person registered by several municipalities) read as one log; `exclude` leaves out
 * rows by actor and purpose (e.g. the resident's own views).
 */
export async function readAudit(
  db: Kysely<any>,
  opts: { subjectRef: string | readonly string[]; limit: number; before?: AuditCursor; exclude?: ReadonlyArray<{ actor: string; purpose: string }> },
): Promise<AuditRecord[]> {
  const limit = Math.max(1, Math.min(1000, Math.floor(opts.limit)));
  const refs = typeof opts.subjectRef === 'string' ? [opts.subjectRef] : [...opts.subjectRef];
  if (refs.length === 0) return [];
  const b = opts.before;
  const after = b
    ? sql`and at <= ${b.at}::timestamptz
          and (at, stream, seq) < (${b.at}::timestamptz, ${b.stream}::text, ${b.seq}::bigint)`
    : sql``;
  const exclude = (opts.exclude ?? []).map((x) => sql`and not (actor = ${x.actor} and purpose is not distinct from ${x.purpose})`);
  const res = await sql<LogRow>`select ${AUDIT_COLUMNS} from audit_log
    where subject_ref = any(${refs}::text[]) ${after} ${exclude.length ? sql.join(exclude, sql` `) : sql``}
    order by at desc, stream desc, seq desc
    limit ${limit}`.execute(db);
  return res.rows.map(toRecord);
}

// ---------------------------------------------------------------------------------------------
// Verify

/**
 * Recompute every chain: each row's hash, seq continuity from 1, prev_hash linkage, and that the
 * last row is the head (seq and hash); streams with rows but no head are reported. Reads stream by
 * stream, each in its own read-only REPEATABLE READ snapshot (so concurrent appends do not show up
 * as false head mismatches), with keyset pagination of `batchSize` rows.
 */
export async function verifyAudit(db: Kysely<any>, opts: { batchSize?: number; maxProblems?: number } = {}): Promise<AuditVerifyResult> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 1000));
  const maxProblems = opts.maxProblems ?? 10_000;
  const result: AuditVerifyResult = { ok: true, streams: 0, rows: 0, problems: [] };
  const report = (p: AuditProblem) => {
    result.ok = false;
    if (result.problems.length < maxProblems) result.problems.push(p);
  };

  // 1. Every stream that has a head.
  let after: string | null = null;
  for (;;) {
    const cond: RawBuilder<unknown> = after === null ? sql`` : sql`where stream > ${after}`;
    const page: QueryResult<{ stream: string }> = await sql<{ stream: string }>`select stream from audit_heads ${cond}
      order by stream limit ${batchSize}`.execute(db);
    for (const { stream } of page.rows) await verifyStream(db, stream, batchSize, result, report);
    if (page.rows.length < batchSize) break;
    after = page.rows[page.rows.length - 1].stream;
  }

  // 2. Streams with rows but no head (a loose index scan over audit_log's primary key).
  after = null;
  for (;;) {
    const first: RawBuilder<unknown> = after === null ? sql`` : sql`where stream > ${after}`;
    const page: QueryResult<{ stream: string }> = await sql<{ stream: string }>`
      with recursive s(stream) as (
        (select stream from audit_log ${first} order by stream limit 1)
        union all
        select (select l.stream from audit_log l where l.stream > s.stream order by l.stream limit 1)
        from s where s.stream is not null
      )
      select stream from s where stream is not null limit ${batchSize}`.execute(db);
    if (page.rows.length === 0) break;
    const names: string[] = page.rows.map((r) => r.stream);
    const orphans = await sql<{ stream: string }>`
      select n.stream from unnest(${names}::text[]) as n(stream)
      where not exists (select 1 from audit_heads h where h.stream = n.stream)
      order by n.stream`.execute(db);
    for (const { stream } of orphans.rows) await verifyStream(db, stream, batchSize, result, report);
    if (page.rows.length < batchSize) break;
    after = names[names.length - 1];
  }
  return result;
}

async function verifyStream(db: Kysely<any>, stream: string, batchSize: number, result: AuditVerifyResult, report: (p: AuditProblem) => void): Promise<void> {
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const headRes = await sql<{ seq: string | number; hash: string }>`
        select seq, hash from audit_heads where stream = ${stream}`.execute(trx);
      const head = headRes.rows[0] ? { seq: Number(headRes.rows[0].seq), hash: headRes.rows[0].hash } : null;
      result.streams += 1;

      let expected = 1;
      let prevHash: string | null = GENESIS_HASH; // null: the previous row is missing
      let last: { seq: number; hash: string } | null = null;
      let count = 0;
      for (;;) {
        const page = await sql<LogRow>`select ${AUDIT_COLUMNS} from audit_log
          where stream = ${stream} and seq > ${last?.seq ?? 0}
          order by seq limit ${batchSize}`.execute(trx);
        for (const row of page.rows) {
          const r = toRecord(row);
          count += 1;
          if (r.seq !== expected) {
            report({
              stream,
              seq: expected,
              kind: 'gap',
              message: r.seq - 1 === expected ? `seq ${expected} is missing` : `seq ${expected}..${r.seq - 1} are missing`,
            });
            prevHash = null;
          }
          if (prevHash !== null && r.prevHash !== prevHash) {
            report({ stream, seq: r.seq, kind: 'chain-break', message: `prev_hash of seq ${r.seq} does not link to its predecessor` });
          }
          if (computeAuditHash(r) !== r.hash) {
            report({ stream, seq: r.seq, kind: 'hash-mismatch', message: `seq ${r.seq} does not match its hash (edited)` });
          }
          prevHash = r.hash;
          expected = r.seq + 1;
          last = { seq: r.seq, hash: r.hash };
        }
        if (page.rows.length < batchSize) break;
      }
      result.rows += count;

      if (!head) {
        report({ stream, kind: 'orphan-stream', message: `${count} row(s) but no head` });
        return;
      }
      const lastSeq = last?.seq ?? 0;
      if (lastSeq < head.seq) {
        report({
          stream,
          seq: lastSeq + 1,
          kind: 'missing-tail',
          message: `rows end at seq ${lastSeq} but the head is at seq ${head.seq}`,
        });
      } else if (lastSeq > head.seq) {
        report({
          stream,
          seq: head.seq + 1,
          kind: 'head-mismatch',
          message: `rows run to seq ${lastSeq} beyond the head at seq ${head.seq}`,
        });
      } else if ((last?.hash ?? GENESIS_HASH) !== head.hash) {
        report({ stream, seq: lastSeq, kind: 'head-mismatch', message: `the hash of seq ${lastSeq} differs from the head's` });
      }
    });
}
