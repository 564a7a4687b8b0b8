import type { Logger } from 'pino';
import { auditStream, type AuditEntry } from '@pmh/core/audit/index';
import type { RecordResult } from '@pmh/protocol';
import type { FieldError } from '@pmh/core/http/problem';
import { programIdsOf, validateSubsidyRecord, type SubsidyRecord } from '../domain/medical-subsidy/record.ts';
import { validateVaccinationRecord, type VaccinationRegistrationInput } from '../domain/vaccination/registration.ts';
import { fieldOfVaccinationStorageFailure } from '../store/vaccination.ts';
import { validateMaternalChildRecord, type MaternalChildRegistrationInput } from '../domain/maternal-child/registration.ts';
import { fieldOfMaternalChildStorageFailure } from '../store/maternal-child.ts';
import { fieldOfStorageFailure, type Applied } from '../store/medical-subsidy.ts';
import { classifyDatabaseError, databaseErrorFacts, describeError, isConnectionError } from '@pmh/core/db/errors';
import type { ClaimedChunk } from '../store/tasks.ts';
import type { MunicipalRepository, SystemStore, SystemTransaction } from '../store/index.ts';
import { PollingLoop } from '@pmh/core/polling';
import type { DatabaseHealth } from '@pmh/core/db/availability';
import { ISSUE_PMH_ID } from '../federation/issuance.ts';

/** After this many failed attempts a chunk's records are reported failed instead of retried for ever. */
export const MAX_ATTEMPTS = 8;

export interface WorkerOptions {
  concurrency?: number;
  pollMs?: number;
  /** The database's health: the loop waits out an outage instead of polling through it. */
  health?: DatabaseHealth;
}

/**
 * Applies registration tasks from the durable queue. One chunk = one transaction: its records,
 * their audit rows and the chunk's "done" mark commit together, so a crash at any point leaves the
 * chunk either wholly applied and marked, or untouched and claimable again — exactly once.
 */
export class TaskWorker {
  private readonly loop: PollingLoop;
  /** Called after a chunk enqueued messages (the service wakes its outbox). */
  onEnqueued?: () => void;
  private enqueued = false;

  constructor(
    private readonly system: SystemStore,
    private readonly log: Logger,
    opts: WorkerOptions = {},
  ) {
    this.loop = new PollingLoop(() => this.runOnce(), {
      name: 'task worker',
      log,
      pollMs: opts.pollMs ?? 500,
      concurrency: opts.concurrency,
      health: opts.health,
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** New work arrived in this process: don't wait for the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Applies one chunk if one is due; true when it did work. */
  async runOnce(): Promise<boolean> {
    let claimed: ClaimedChunk | undefined;
    try {
      return await this.system
        .transaction(async (sys) => {
          claimed = await sys.claimChunk();
          if (!claimed) return false;
          const chunk = claimed;
          const results = chunk.attempts >= MAX_ATTEMPTS ? this.giveUp(chunk) : await this.apply(sys, chunk);
          await sys.completeChunk(chunk, results);
          return true;
        })
        .finally(() => {
          // After the commit (or rollback): wake the outbox only for messages that now exist.
          if (this.enqueued) this.onEnqueued?.();
          this.enqueued = false;
        });
    } catch (e) {
      // The database went away: the chunk's transaction is rolled back, and the chunk is due again
      // as it was. An outage is no attempt of the chunk's (attempts run out: records fail).
      if (!claimed || isConnectionError(e)) throw e;
      // Names, never the database's message: it can quote a value of a record.
      const error = describeError(e);
      this.log.warn({ taskId: claimed.taskId, chunk: claimed.chunkNo, attempt: claimed.attempts + 1, error }, 'chunk failed; retrying later');
      await this.system.deferChunk(claimed.id, claimed.attempts, error).catch(() => {});
      return true;
    }
  }

  private giveUp(chunk: ClaimedChunk): RecordResult[] {
    this.log.error({ taskId: chunk.taskId, chunk: chunk.chunkNo }, 'chunk given up after repeated failures');
    return Array.from({ length: chunk.recordCount }, (_, i) => ({
      index: chunk.firstIndex + i,
      outcome: 'failed' as const,
      errors: [{ pointer: `/${chunk.firstIndex + i}`, message: 'could not be applied after repeated attempts; the operator has been alerted' }],
    }));
  }

  private async apply(sys: SystemTransaction, chunk: ClaimedChunk): Promise<RecordResult[]> {
    if (chunk.process === 'vaccination')
      return this.applyCheckupSubjects<VaccinationRegistrationInput>(sys, chunk, {
        validate: (r, index) => validateVaccinationRecord(r, index, chunk.municipalityCode),
        apply: (repo, part) => repo.applyVaccinationRecords(part),
        fieldOf: fieldOfVaccinationStorageFailure,
        action: (kind) => (kind === 'end' ? 'vaccination.end' : 'vaccination.register'),
      });
    if (chunk.process === 'maternal-child')
      return this.applyCheckupSubjects<MaternalChildRegistrationInput>(sys, chunk, {
        validate: (r, index) => validateMaternalChildRecord(r, index),
        apply: (repo, part) => repo.applyMaternalChildRecords(part),
        fieldOf: fieldOfMaternalChildStorageFailure,
        action: (kind) => (kind === 'end' ? 'maternal-child.end' : 'maternal-child.register'),
      });
    if (chunk.process !== 'medical-subsidy') {
      throw new Error(`no handler for process ${chunk.process}`);
    }
    const raw = chunk.records();
    // The records are applied in the municipality's scope; the queue's bookkeeping is the hub's own.
    const { results, applied } = await sys.inMunicipality(chunk.municipalityCode, async (repo) => {
      const programs = await repo.programs(programIdsOf(raw));

      const valid: SubsidyRecord[] = [];
      const results = new Map<number, RecordResult>();
      raw.forEach((r, i) => {
        const v = validateSubsidyRecord(r, chunk.firstIndex + i, programs);
        if ('record' in v) valid.push(v.record);
        else results.set(chunk.firstIndex + i, { index: chunk.firstIndex + i, outcome: 'failed', errors: v.errors });
      });

      const applied = await this.applyBisecting(chunk, valid, (part) => repo.applyRecords(part), fieldOfStorageFailure);
      await recordOutcomes(repo, chunk, applied, results, () => 'medical-subsidy.register');
      return { results, applied };
    });
    await this.requestPmhIds(sys, applied);
    return [...results.values()].sort((a, b) => a.index - b.index);
  }

  /** Each new subject's PMH-ID is requested from the ID server, through the outbox (seed A②). */
  private async requestPmhIds(sys: SystemTransaction, applied: Applied[]): Promise<void> {
    const created = applied.filter((a) => a.createdSubject).map((a) => a.subjectId!);
    if (created.length) {
      await sys.enqueue(created.map((subjectId) => ({ kind: ISSUE_PMH_ID, payload: { subjectId }, dedupeKey: subjectId })));
      this.enqueued = true;
    }
  }

  /**
   * A chunk of a checkup-subject process (vaccination, seed B①; maternal and child health, seed C①):
   * subjects and the process's data, or the end of a registration. Each record validated in full, the
   * valid ones applied together (bisecting on a refusal), each outcome audited with the process's action.
   */
  private async applyCheckupSubjects<R extends { index: number; kind: 'register' | 'end' }>(
    sys: SystemTransaction,
    chunk: ClaimedChunk,
    process: {
      validate: (raw: unknown, index: number) => { record: R } | { errors: FieldError[] };
      apply: (repo: MunicipalRepository, part: R[]) => Promise<Applied[]>;
      fieldOf: (facts: { column?: string; constraint?: string }) => string;
      action: (kind: R['kind']) => string;
    },
  ): Promise<RecordResult[]> {
    const raw = chunk.records();
    const { results, applied } = await sys.inMunicipality(chunk.municipalityCode, async (repo) => {
      const valid: R[] = [];
      const results = new Map<number, RecordResult>();
      raw.forEach((r, i) => {
        const v = process.validate(r, chunk.firstIndex + i);
        if ('record' in v) valid.push(v.record);
        else results.set(chunk.firstIndex + i, { index: chunk.firstIndex + i, outcome: 'failed', errors: v.errors });
      });
      const applied = await this.applyBisecting(chunk, valid, (part) => process.apply(repo, part), process.fieldOf);
      const kindOf = new Map(valid.map((v) => [v.index, v.kind]));
      await recordOutcomes(repo, chunk, applied, results, (index) => process.action(kindOf.get(index) ?? 'register'));
      return { results, applied };
    });
    await this.requestPmhIds(sys, applied);
    return [...results.values()].sort((a, b) => a.index - b.index);
  }

  /**
   * Applies validated records in one go. Should the database still refuse (validation is meant to
   * make that exceptional), the batch is halved and each half applied in turn, in order, each under
   * its own savepoint: k bad records among n cost about 2·k·log2(n) extra attempts, not n, so one bad
   * record never slows its neighbours to one-by-one. A record refused alone fails alone, naming the
   * field when the error tells it.
   */
  private async applyBisecting<R extends { index: number }>(
    chunk: ClaimedChunk,
    records: R[],
    applyPart: (part: R[]) => Promise<Applied[]>,
    fieldOf: (facts: { column?: string; constraint?: string }) => string,
  ): Promise<Applied[]> {
    if (records.length === 0) return [];
    try {
      // Whole or not at all: a refusal leaves the transaction as it was before this part.
      return await applyPart(records);
    } catch (e) {
      // Not a refusal of these rows but of every row (our own fault: class 42 includes a privilege or
      // row-level-security refusal), or not now (a lost connection, a serialization failure, a
      // shutdown, no resources): the whole chunk is retried later instead, and given up loudly.
      const kind = classifyDatabaseError(e);
      const facts = databaseErrorFacts(e);
      if (!facts || (kind !== 'refused-value' && kind !== 'unique-violation')) throw e;
      if (records.length > 1) {
        const half = Math.ceil(records.length / 2);
        return [
          ...(await this.applyBisecting(chunk, records.slice(0, half), applyPart, fieldOf)),
          ...(await this.applyBisecting(chunk, records.slice(half), applyPart, fieldOf)),
        ];
      }
      const r = records[0];
      this.log.error({ taskId: chunk.taskId, chunk: chunk.chunkNo, index: r.index, error: describeError(e) }, 'the database refused a validated record');
      return [
        {
          index: r.index,
          outcome: 'failed',
          errors: [
            {
              pointer: `/${r.index}${fieldOf(facts)}`,
              message: `could not be stored: the database refused it (SQLSTATE ${facts.code}); nothing of this record was written, and the operator has been alerted`,
            },
          ],
        },
      ];
    }
  }
}

/**
 * A chunk's applied records as results of its task, and each in the audit log under the
 * municipality, by the subject it concerns (or its index when it named none), with `action` of it.
 */
async function recordOutcomes(
  repo: MunicipalRepository,
  chunk: ClaimedChunk,
  applied: Applied[],
  results: Map<number, RecordResult>,
  action: (index: number) => string,
): Promise<void> {
  const actor = `municipality:${chunk.municipalityCode}`;
  const audit: AuditEntry[] = [];
  for (const a of applied) {
    results.set(a.index, { index: a.index, outcome: a.outcome, ...(a.errors ? { errors: a.errors } : {}) });
    audit.push({
      stream: auditStream(actor, a.subjectId ?? String(a.index)),
      actor,
      action: action(a.index),
      subjectRef: a.subjectId ?? null,
      purpose: 'registration-task',
      outcome: a.outcome === 'failed' ? 'rejected' : 'ok',
      detail: { taskId: chunk.taskId, index: a.index, result: a.outcome },
    });
  }
  if (audit.length) await repo.audit(audit);
}
