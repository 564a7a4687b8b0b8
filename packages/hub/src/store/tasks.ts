import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { RecordResult } from '@pmh/protocol';
import type { Db, Trx } from './scope.ts';
import { inMunicipality } from './scope.ts';

/** Records per chunk: one transaction applies one chunk, so a crash loses at most a chunk's work, never a record's. */
export const CHUNK_SIZE = 1000;

export type Process = 'medical-subsidy' | 'vaccination' | 'maternal-child';

export interface NewTask {
  municipalityCode: string;
  process: Process;
  clientId: string;
  idempotencyKey?: string;
  requestHash: string;
  records: unknown[];
}

export class IdempotencyConflict extends Error {}

/** A chunk's records are bound to the chunk (task and number): they open as no other chunk's. */
export const chunkPayloadAt = (taskId: string, chunkNo: number) => ({ column: 'registration_task_chunks.payload', row: `${taskId}:${chunkNo}` });

/**
 * Accepts a task durably: the task and its records (encrypted: they carry My Numbers) commit
 * together, so an accepted task survives any crash. A retried request with the same
 * Idempotency-Key and body answers the first task.
 */
export async function createTask(db: Db, cipher: FieldCipher, t: NewTask): Promise<{ taskId: string; total: number; status: string; replayed: boolean }> {
  const attempt = () =>
    inMunicipality(db, t.municipalityCode, async (trx) => {
      if (t.idempotencyKey) {
        const prior = await findByIdempotencyKey(trx, t.municipalityCode, t.idempotencyKey);
        if (prior) {
          if (prior.request_hash !== t.requestHash) throw new IdempotencyConflict();
          return { taskId: prior.id, total: prior.total, status: prior.status, replayed: true };
        }
      }
      const taskId = crypto.randomUUID();
      const chunks = Math.ceil(t.records.length / CHUNK_SIZE);
      await sql`
        insert into registration_tasks (id, municipality_code, process, total, chunks, client_id, idempotency_key, request_hash)
        values (${taskId}, ${t.municipalityCode}, ${t.process}, ${t.records.length}, ${chunks}, ${t.clientId}, ${t.idempotencyKey ?? null}, ${t.requestHash})`.execute(
        trx,
      );
      // Plain multi-row VALUES: the payloads are large, and array parameters would be escaped char by char.
      await trx
        .insertInto('registration_task_chunks')
        .values(
          Array.from({ length: chunks }, (_, i) => ({
            task_id: taskId,
            municipality_code: t.municipalityCode,
            chunk_no: i,
            first_index: i * CHUNK_SIZE,
            record_count: Math.min(CHUNK_SIZE, t.records.length - i * CHUNK_SIZE),
            payload: cipher.encrypt(JSON.stringify(t.records.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE)), chunkPayloadAt(taskId, i)),
          })),
        )
        .execute();
      return { taskId, total: t.records.length, status: 'queued', replayed: false };
    });
  try {
    return await attempt();
  } catch (e) {
    // Two requests with one key raced; the loser answers the winner's task.
    if ((e as { code?: string }).code === '23505' && t.idempotencyKey) return attempt();
    throw e;
  }
}

async function findByIdempotencyKey(trx: Trx, municipalityCode: string, key: string) {
  const { rows } = await sql<{ id: string; total: number; status: string; request_hash: string }>`
    select id, total, status, request_hash from registration_tasks
    where municipality_code = ${municipalityCode} and idempotency_key = ${key}`.execute(trx);
  return rows[0];
}

export interface TaskRow {
  id: string;
  process: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  succeeded: number;
  failed: number;
  created_at: Date;
  finished_at: Date | null;
}

export async function getTask(db: Db, municipalityCode: string, taskId: string): Promise<(TaskRow & { results: RecordResult[] }) | undefined> {
  return inMunicipality(db, municipalityCode, async (trx) => {
    const { rows } = await sql<TaskRow>`
      select id, process, status, total, succeeded, failed, created_at, finished_at
      from registration_tasks where id = ${taskId} and municipality_code = ${municipalityCode}`.execute(trx);
    if (!rows[0]) return undefined;
    const chunks = await sql<{ results: RecordResult[] }>`
      select results from registration_task_chunks where task_id = ${taskId} and done order by chunk_no`.execute(trx);
    return { ...rows[0], results: chunks.rows.flatMap((c) => c.results ?? []) };
  });
}

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
export async function claimChunk(trx: Trx, cipher: FieldCipher): Promise<ClaimedChunk | undefined> {
  const { rows } = await sql<any>`
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
export async function completeChunk(trx: Trx, chunk: ClaimedChunk, results: RecordResult[]): Promise<void> {
  const succeeded = results.filter((r) => r.outcome !== 'failed').length;
  const failed = results.length - succeeded;
  await sql`
    update registration_task_chunks set done = true, payload = null, results = ${JSON.stringify(results)}::jsonb
    where id = ${chunk.id}`.execute(trx);
  await sql`
    update registration_tasks set
      succeeded = succeeded + ${succeeded}, failed = failed + ${failed}, chunks_done = chunks_done + 1,
      started_at = coalesce(started_at, now()),
      status = case when chunks_done + 1 >= chunks then 'done' else 'running' end,
      finished_at = case when chunks_done + 1 >= chunks then now() else null end
    where id = ${chunk.taskId}`.execute(trx);
}

/** A chunk whose transaction failed goes back to the queue, later (exponential backoff, at most 5 min). */
export async function deferChunk(db: Db, chunkId: string, attempts: number, error: string): Promise<void> {
  const delaySeconds = Math.min(300, 2 ** attempts);
  await sql`
    update registration_task_chunks set attempts = attempts + 1, last_error = ${error.slice(0, 500)},
      next_attempt_at = now() + make_interval(secs => ${delaySeconds})
    where id = ${chunkId}`.execute(db);
}
