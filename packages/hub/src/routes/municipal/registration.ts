import crypto from 'node:crypto';
import { Type } from 'typebox';
import { MAX_TASK_RECORDS, hubApi } from '@pmh/protocol';
import { ProblemError } from '@pmh/core/http/problem';
import type { Surface } from '@pmh/core/http/serve';
import { IdempotencyConflict, type Process } from '../../store/tasks.ts';
import { onceMoreOnKeyRace } from '../../store/index.ts';
import type { MunicipalDeps } from './index.ts';
import { scopeOf } from './scope.ts';
import { sendCsv, toCsv, wantsCsv } from './csv.ts';

/**
 * Why the task's body is declared twice. The contract (protocol `hubApi.municipal.registerMedicalSubsidy`)
 * says what a task is — an array of MedicalSubsidyRecord — so callers are typed by it and
 * `/openapi.json` and `/docs` show the record, its required fields and its example. But the door
 * must not validate the records: a task is accepted whole and stored encrypted, and the worker
 * validates each record in full (schema and meaning, errors together), so that one bad record fails
 * alone instead of refusing the other 9,999. So the route validates only that the body is an array
 * (`AcceptedWhole`), and @fastify/swagger's per-route `swaggerTransform` puts the contract's body back
 * into the document. Both come from the one endpoint object; only the validation differs, on purpose.
 */
const AcceptedWhole = Type.Array(Type.Unknown(), { description: 'records, each validated when the task is applied' });

/** The registration endpoints: each accepts a task of its process whole, and documents its records. */
type RegistrationEndpoint =
  | typeof hubApi.municipal.registerMedicalSubsidy
  | typeof hubApi.municipal.registerVaccination
  | typeof hubApi.municipal.registerMaternalChild;

/** `POST /municipal/v1/{process}/registration-tasks`: the records stored, encrypted and unread, as one task of `process`. */
export function serveRegistrationTasks(s: Surface, deps: MunicipalDeps, documented: RegistrationEndpoint, process: Process): void {
  s.serve(
    { ...documented, body: AcceptedWhole },
    async (req, reply) => {
      const records = req.body;
      if (records.length === 0)
        throw new ProblemError(400, 'validation', 'A task needs at least one record.', { errors: [{ pointer: '', message: 'must have at least 1 record' }] });
      if (records.length > MAX_TASK_RECORDS)
        throw new ProblemError(
          413,
          'too-many-records',
          `A task takes at most ${MAX_TASK_RECORDS} records; this one has ${records.length}. Split it into several tasks.`,
        );
      const requestHash = crypto.createHash('sha256').update(JSON.stringify(records)).digest('base64url');
      const idempotencyKey = req.headers['idempotency-key'];
      const task = {
        process,
        clientId: req.principal!.clientId,
        idempotencyKey,
        requestHash,
        records,
      };
      try {
        const t = await onceMoreOnKeyRace(() => scopeOf(req).run((repo) => repo.createTask(task)), idempotencyKey !== undefined);
        deps.wakeWorker();
        reply.status(202).header('location', `/municipal/v1/registration-tasks/${t.taskId}`);
        return { taskId: t.taskId, status: t.status, total: t.total };
      } catch (e) {
        if (e instanceof IdempotencyConflict)
          throw new ProblemError(409, 'idempotency-key-reused', 'This Idempotency-Key was used before with a different body.');
        throw e;
      }
    },
    {
      bodyLimit: 64 * 1024 * 1024,
      // The records are stored encrypted, unread, and each is validated in full (the wire's text
      // rule included) by the worker before any of it reaches a table: one bad record fails alone.
      config: {
        textCheckedLater: true,
        swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, body: documented.body }, url }),
      },
    },
  );
}

/** `POST /municipal/v1/medical-subsidy/registration-tasks` and `GET /municipal/v1/registration-tasks/{taskId}`. */
export function registrationRoutes(s: Surface, deps: MunicipalDeps): void {
  serveRegistrationTasks(s, deps, hubApi.municipal.registerMedicalSubsidy, 'medical-subsidy');

  s.serve(hubApi.municipal.getTask, async (req, reply) => {
    const t = await scopeOf(req).run((repo) => repo.task(req.params.taskId));
    if (!t) throw new ProblemError(404, 'not-found', 'This municipality has no task with that id.');
    if (wantsCsv(req.headers.accept)) {
      // The errors of the records that failed: one line per error, by the record's index in the task.
      const lines = t.results.flatMap((r) => (r.errors ?? []).map((e) => ({ index: r.index, outcome: r.outcome, pointer: e.pointer, message: e.message })));
      return sendCsv(reply, toCsv(['index', 'outcome', 'pointer', 'message'] as const, lines), req.query.charset);
    }
    return {
      taskId: t.id,
      process: t.process,
      status: t.status,
      total: t.total,
      succeeded: t.succeeded,
      failed: t.failed,
      createdAt: new Date(t.createdAt).toISOString(),
      finishedAt: t.finishedAt ? new Date(t.finishedAt).toISOString() : null,
      results: t.results,
    };
  });
}
