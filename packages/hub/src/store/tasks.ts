import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { RecordResult } from '@pmh/protocol';
import type { HubDb, HubTrx } from './schema.ts';

/** Records per chunk: one transaction applies one chunk, so a crash loses at most a chunk's work, never a record's. */
export const CHUNK_SIZE = 1000;

export type Process = 'medical-subsidy' | 'vaccination' | 'maternal-child';

export interface NewTask {
  process: Process;
  clientId: string;
  idempotencyKey?: string;
  requestHash: string;
  records: unknown[];
}

export interface AcceptedTask {
  taskId: string;
  total: number;
  status: string;
  replayed: boolean;
}

export class IdempotencyConflict extends Error {}

/** A chunk's records are bound to the chunk (task and number): they open as no other chunk's. */
export const chunkPayloadAt = (taskId: string, chunkNo: number) => ({ column: 'registration_task_chunks.payload', row: `${taskId}:${chunkNo}` });

/**
 * Accepts a task durably, in the municipality's scope: the task and its records (encrypted: they
 * carry My Numbers) commit together, so an accepted task survives any crash. A retried request with
 * the same Idempotency-Key and body answers the first task; another body is an IdempotencyConflict.
 */
export async function createTask(trx: HubTrx, cipher: FieldCipher, municipalityCode: string, t: NewTask): Promise<AcceptedTask> {
  if (t.idempotencyKey) {
    const prior = await taskByIdempotencyKey(trx, municipalityCode, t.idempotencyKey);
    if (prior) {
      if (prior.requestHash !== t.requestHash) throw new IdempotencyConflict();
      return { taskId: prior.taskId, total: prior.total, status: prior.status, replayed: true };
    }
  }
  const taskId = crypto.randomUUID();
  const chunks = Math.ceil(t.records.length / CHUNK_SIZE);
  await trx
    .insertInto('registration_tasks')
    .values({
      id: taskId,
      municipality_code: municipalityCode,
      process: t.process,
      total: t.records.length,
      chunks,
      client_id: t.clientId,
      idempotency_key: t.idempotencyKey ?? null,
      request_hash: t.requestHash,
    })
    .execute();
  // Plain multi-row VALUES: the payloads are large, and array parameters would be escaped char by char.
  await trx
    .insertInto('registration_task_chunks')
    .values(
      Array.from({ length: chunks }, (_, i) =>
        chunkRow(cipher, municipalityCode, taskId, i, i * CHUNK_SIZE, t.records.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE)),
      ),
    )
    .execute();
  return { taskId, total: t.records.length, status: 'queued', replayed: false };
}

/** One chunk's row: its records encrypted, bound to the chunk. */
function chunkRow(cipher: FieldCipher, municipalityCode: string, taskId: string, chunkNo: number, firstIndex: number, records: unknown[]) {
  return {
    task_id: taskId,
    municipality_code: municipalityCode,
    chunk_no: chunkNo,
    first_index: firstIndex,
    record_count: records.length,
    payload: cipher.encrypt(JSON.stringify(records), chunkPayloadAt(taskId, chunkNo)),
  };
}

/** A task accepted before, by its Idempotency-Key. */
export async function taskByIdempotencyKey(
  trx: HubTrx,
  municipalityCode: string,
  key: string,
): Promise<{ taskId: string; total: number; status: string; requestHash: string } | undefined> {
  const prior = await trx
    .selectFrom('registration_tasks')
    .select(['id', 'total', 'status', 'request_hash'])
    .where('municipality_code', '=', municipalityCode)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return prior && { taskId: prior.id, total: prior.total, status: prior.status, requestHash: prior.request_hash };
}

/**
 * A task written as its records arrive (a registration file, read as it streams): `open` it, `add`
 * each chunk, `close` it with its totals — all in the caller's one transaction, so the worker sees
 * the task only whole, and a file refused or broken off leaves nothing.
 */
export class StreamedTask {
  private chunks = 0;
  private total = 0;

  private constructor(
    private readonly trx: HubTrx,
    private readonly cipher: FieldCipher,
    private readonly municipalityCode: string,
    readonly taskId: string,
  ) {}

  static async open(trx: HubTrx, cipher: FieldCipher, municipalityCode: string, t: { process: Process; clientId: string }): Promise<StreamedTask> {
    const taskId = crypto.randomUUID();
    await trx
      .insertInto('registration_tasks')
      .values({ id: taskId, municipality_code: municipalityCode, process: t.process, total: 0, chunks: 0, client_id: t.clientId, request_hash: '' })
      .execute();
    return new StreamedTask(trx, cipher, municipalityCode, taskId);
  }

  async add(records: unknown[]): Promise<void> {
    await this.trx
      .insertInto('registration_task_chunks')
      .values(chunkRow(this.cipher, this.municipalityCode, this.taskId, this.chunks, this.total, records))
      .execute();
    this.chunks++;
    this.total += records.length;
  }

  async close(requestHash: string, idempotencyKey: string | undefined): Promise<AcceptedTask> {
    await this.trx
      .updateTable('registration_tasks')
      .set({ total: this.total, chunks: this.chunks, request_hash: requestHash, idempotency_key: idempotencyKey ?? null })
      .where('id', '=', this.taskId)
      .execute();
    return { taskId: this.taskId, total: this.total, status: 'queued', replayed: false };
  }
}

export interface StoredTask {
  id: string;
  process: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  succeeded: number;
  failed: number;
  createdAt: Date;
  finishedAt: Date | null;
  /** The results of the chunks applied so far, in record order. */
  results: RecordResult[];
}

/** A task of the municipality in scope, with the results of its applied chunks. */
export async function getTask(trx: HubTrx, municipalityCode: string, taskId: string): Promise<StoredTask | undefined> {
  const t = await trx
    .selectFrom('registration_tasks')
    .select(['id', 'process', 'status', 'total', 'succeeded', 'failed', 'created_at', 'finished_at'])
    .where('id', '=', taskId)
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
  if (!t) return undefined;
  const chunks = await trx
    .selectFrom('registration_task_chunks')
    .select('results')
    .where('task_id', '=', taskId)
    .where('done', '=', true)
    .orderBy('chunk_no')
    .execute();
  return {
    id: t.id,
    process: t.process,
    status: t.status,
    total: t.total,
    succeeded: t.succeeded,
    failed: t.failed,
    createdAt: t.created_at,
    finishedAt: t.finished_at,
    results: chunks.flatMap((c) => c.results ?? []),
  };
}

// --- The hub as itself: the task worker's queue -----------------------------------------------

export interface ClaimedChunk {
  id: string;
  taskId: string;
  municipalityCode: string;
  process: Process;
  chunkNo: number;
  firstIndex: number;
  recordCount: number;
  attempts: number;
  records(): unknown[];
}

/** Claims the oldest chunk due, skipping ones other workers hold (several workers and processes share the queue). */
export async function claimChunk(trx: HubTrx, cipher: FieldCipher): Promise<ClaimedChunk | undefined> {
  const { rows } = await sql<{
    id: string;
    task_id: string;
    municipality_code: string;
    chunk_no: number;
    first_index: number;
    record_count: number;
    attempts: number;
    payload: string;
    process: Process;
  }>`
    select c.id, c.task_id, c.municipality_code, c.chunk_no, c.first_index, c.record_count, c.attempts, c.payload, t.process
    from registration_task_chunks c join registration_tasks t on t.id = c.task_id
    where not c.done and (c.next_attempt_at is null or c.next_attempt_at <= now())
      -- One municipality's chunks apply in the order they were accepted (a later record must see an
      -- earlier one, across chunks and tasks); different municipalities still run in parallel.
      and not exists (
        select 1 from registration_task_chunks p
        where not p.done and p.municipality_code = c.municipality_code and p.id < c.id)
    order by c.id
    limit 1
    for update of c skip locked`.execute(trx);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    taskId: r.task_id,
    municipalityCode: r.municipality_code,
    process: r.process,
    chunkNo: r.chunk_no,
    firstIndex: r.first_index,
    recordCount: r.record_count,
    attempts: r.attempts,
    records: () => JSON.parse(cipher.decrypt(r.payload, chunkPayloadAt(r.task_id, r.chunk_no))),
  };
}

/** Marks a chunk applied and rolls its counts into the task, in the transaction that applied it. */
export async function completeChunk(trx: HubTrx, chunk: ClaimedChunk, results: RecordResult[]): Promise<void> {
  const succeeded = results.filter((r) => r.outcome !== 'failed').length;
  const failed = results.length - succeeded;
  await trx
    .updateTable('registration_task_chunks')
    .set({ done: true, payload: null, results: JSON.stringify(results) })
    .where('id', '=', chunk.id)
    .execute();
  await sql`
    update registration_tasks set
      succeeded = succeeded + ${succeeded}, failed = failed + ${failed}, chunks_done = chunks_done + 1,
      started_at = coalesce(started_at, now()),
      status = case when chunks_done + 1 >= chunks then 'done' else 'running' end,
      finished_at = case when chunks_done + 1 >= chunks then now() else null end
    where id = ${chunk.taskId}`.execute(trx);
}

/** A chunk whose transaction failed goes back to the queue, later (exponential backoff, at most 5 min). */
export async function deferChunk(db: HubDb, chunkId: string, attempts: number, error: string): Promise<void> {
  const delaySeconds = Math.min(300, 2 ** attempts);
  await sql`
    update registration_task_chunks set attempts = attempts + 1, last_error = ${error.slice(0, 500)},
      next_attempt_at = now() + make_interval(secs => ${delaySeconds})
    where id = ${chunkId}`.execute(db);
}
