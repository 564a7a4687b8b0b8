import crypto from 'node:crypto';
import { Type } from 'typebox';
import {
  IdempotencyHeaders,
  MedicalSubsidyProgram,
  MunicipalityIdentityKey,
  MedicalSubsidyProgramView,
  MAX_TASK_RECORDS,
  ProblemSchema,
  SubjectView,
  TaskAccepted,
  TaskView,
  Uuid,
  errorResponses,
} from '@pmh/protocol';
import type { App } from '@pmh/core/http/app';
import { ProblemError } from '@pmh/core/http/problem';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import type { OAuthServer } from '@pmh/core/auth/index';
import type { FastifyRequest } from 'fastify';
import { normalizeDigits, normalizeKey } from '@pmh/core/text/japanese';
import { holdsTwelveDigits } from '@pmh/core/text/my-number';
import type { HubContext } from '../../context.ts';
import { programErrors } from '../../domain/medical-subsidy/program.ts';
import { inMunicipality } from '../../store/scope.ts';
import { getProgram, upsertProgram } from '../../store/programs.ts';
import { createTask, getTask, IdempotencyConflict, type Process } from '../../store/tasks.ts';
import { getSubjectByKey } from '../../store/subjects.ts';

/** 制度マスタ ID as a path segment: ASCII letters, digits and `._-`. */
const CertificateTypeId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: '制度マスタ ID' });

/** The municipality a request acts for: its own, from the token; an admin names one. */
function municipalityOf(req: FastifyRequest, asked?: string): string {
  const p = req.principal!;
  if (p.municipalityCode) {
    if (asked && asked !== p.municipalityCode) throw new ProblemError(403, 'forbidden', 'A municipality may act only for itself.');
    return p.municipalityCode;
  }
  if (!asked)
    throw new ProblemError(400, 'validation', 'An admin must name the municipality.', {
      errors: [{ pointer: '/query/municipalityCode', message: 'is required for admin' }],
    });
  return asked;
}

/**
 * The request id as the audit trail may hold it. A client chooses it (X-Request-Id); one that looks
 * like a My Number is left out, since appendAudit refuses such a value and the read would fail (500).
 */
const auditableRequestId = (id: string): string | undefined => (holdsTwelveDigits(id) ? undefined : id);

export async function municipalRoutes(app: App, ctx: HubContext, auth: OAuthServer): Promise<void> {
  const municipal = auth.requireRole('municipality:*');
  const municipalOrAdmin = auth.requireRole('municipality:*', 'admin');

  app.put(
    '/municipal/v1/medical-subsidy/programs/:certificateTypeId',
    {
      config: { access: municipal },
      // Up to 200 additional-condition codes with names of up to 200 characters (UTF-8): about 140 KB.
      bodyLimit: 256 * 1024,
      schema: {
        tags: ['municipal'],
        summary: 'Define or update a subsidy programme (制度マスタ)',
        params: Type.Object({ certificateTypeId: CertificateTypeId }),
        body: MedicalSubsidyProgram,
        response: { 200: MedicalSubsidyProgramView, 201: MedicalSubsidyProgramView, ...errorResponses, 422: ProblemSchema },
      },
    },
    async (req, reply) => {
      const code = municipalityOf(req);
      const errors = programErrors(req.body);
      if (errors.length) throw new ProblemError(422, 'validation', 'The programme is not valid.', { errors });
      const insurer = normalizeDigits(req.body.medicalSubsidyInsurerNumber);
      const { created, program } = await inMunicipality(ctx.db, code, (trx) =>
        upsertProgram(trx, code, {
          certificateTypeId: req.params.certificateTypeId,
          certificationName: req.body.certificationName,
          insurerNumber: insurer,
          legalBasisCode: req.body.legalBasisCode,
          additionalConditionCodes: req.body.additionalConditionCodes ?? [],
        }),
      );
      reply.status(created ? 201 : 200);
      return {
        certificateTypeId: program.certificateTypeId,
        municipalityCode: code,
        certificationName: program.certificationName,
        medicalSubsidyInsurerNumber: program.insurerNumber,
        legalBasisCode: program.legalBasisCode,
        additionalConditionCodes: program.additionalConditionCodes,
        updatedAt: program.updatedAt,
      };
    },
  );

  app.get(
    '/municipal/v1/medical-subsidy/programs/:certificateTypeId',
    {
      config: { access: municipal },
      schema: {
        tags: ['municipal'],
        summary: 'Read a subsidy programme',
        params: Type.Object({ certificateTypeId: CertificateTypeId }),
        response: { 200: MedicalSubsidyProgramView, ...errorResponses },
      },
    },
    async (req) => {
      const code = municipalityOf(req);
      const program = await inMunicipality(ctx.db, code, (trx) => getProgram(trx, code, req.params.certificateTypeId));
      if (!program) throw new ProblemError(404, 'not-found', 'This municipality has no programme with that id.');
      return {
        certificateTypeId: program.certificateTypeId,
        municipalityCode: code,
        certificationName: program.certificationName,
        medicalSubsidyInsurerNumber: program.insurerNumber,
        legalBasisCode: program.legalBasisCode,
        additionalConditionCodes: program.additionalConditionCodes,
        updatedAt: program.updatedAt,
      };
    },
  );

  const registration = (process: Process) =>
    app.post(
      `/municipal/v1/${process}/registration-tasks`,
      {
        bodyLimit: 64 * 1024 * 1024,
        // The records are stored encrypted, unread, and each is validated in full (the wire's text
        // rule included) by the worker before any of it reaches a table: one bad record fails alone.
        config: { access: municipal, textCheckedLater: true },
        schema: {
          tags: ['municipal'],
          summary: `Register ${process} records (a task, applied asynchronously)`,
          description: `An array of up to ${MAX_TASK_RECORDS} records. Each record is validated and applied whole or not at all; GET /municipal/v1/registration-tasks/{taskId} reports each record's outcome.`,
          headers: IdempotencyHeaders,
          body: Type.Array(Type.Unknown(), { description: 'records' }),
          response: { 202: TaskAccepted, ...errorResponses, 409: ProblemSchema, 413: ProblemSchema },
        },
      },
      async (req, reply) => {
        const code = municipalityOf(req);
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
        try {
          const t = await createTask(ctx.db, ctx.cipher, {
            municipalityCode: code,
            process,
            clientId: req.principal!.clientId,
            idempotencyKey: req.headers['idempotency-key'] as string | undefined,
            requestHash,
            records,
          });
          ctx.worker.wake();
          reply.status(202).header('location', `/municipal/v1/registration-tasks/${t.taskId}`);
          return { taskId: t.taskId, status: t.status, total: t.total };
        } catch (e) {
          if (e instanceof IdempotencyConflict)
            throw new ProblemError(409, 'idempotency-key-reused', 'This Idempotency-Key was used before with a different body.');
          throw e;
        }
      },
    );
  registration('medical-subsidy');

  app.get(
    '/municipal/v1/registration-tasks/:taskId',
    {
      config: { access: municipal },
      schema: {
        tags: ['municipal'],
        summary: 'A registration task: status, counts and per-record results',
        params: Type.Object({ taskId: Uuid('the task') }),
        response: { 200: TaskView, ...errorResponses },
      },
    },
    async (req) => {
      const code = municipalityOf(req);
      const t = await getTask(ctx.db, code, req.params.taskId);
      if (!t) throw new ProblemError(404, 'not-found', 'This municipality has no task with that id.');
      return {
        taskId: t.id,
        process: t.process,
        status: t.status,
        total: t.total,
        succeeded: t.succeeded,
        failed: t.failed,
        createdAt: new Date(t.created_at).toISOString(),
        finishedAt: t.finished_at ? new Date(t.finished_at).toISOString() : null,
        results: t.results,
      };
    },
  );

  app.get(
    '/municipal/v1/subjects/:municipalityIdentityKey',
    {
      config: { access: municipalOrAdmin },
      schema: {
        tags: ['municipal'],
        summary: 'One subject with its PMH-ID issuance and portal-link status',
        description:
          'The PMH-ID itself is shown to admin callers only. An admin caller is never shown the address of a subject under DV support measures (isNotDisclosed).',
        params: Type.Object({ municipalityIdentityKey: MunicipalityIdentityKey }),
        querystring: Type.Object(
          { municipalityCode: Type.Optional(Type.String({ maxLength: 6, pattern: '^[0-9]{6}$', description: 'admin only: the municipality' })) },
          { additionalProperties: false },
        ),
        response: { 200: SubjectView, ...errorResponses },
      },
    },
    async (req) => {
      const code = municipalityOf(req, req.query.municipalityCode);
      const actor = req.principal!.role === 'admin' ? `admin:${req.principal!.clientId}` : `municipality:${code}`;
      // Read by the key as registration stored it (full-width → ASCII, trimmed): the same key finds the same subject.
      const key = normalizeKey(req.params.municipalityIdentityKey);
      const subject = await inMunicipality(ctx.db, code, async (trx) => {
        const s = await getSubjectByKey(trx, code, key);
        await appendAudit(trx, [
          {
            stream: auditStream(actor, s?.id ?? key),
            actor,
            action: 'subject.read',
            subjectRef: s?.id ?? null,
            purpose: 'municipal-api',
            outcome: s ? 'ok' : 'not-found',
            detail: { requestId: auditableRequestId(req.id) },
          },
        ]);
        return s;
      });
      if (!subject) throw new ProblemError(404, 'not-found', 'This municipality has no subject with that key.');
      const { id: _id, pmhId, ...view } = subject;
      if (req.principal!.role !== 'admin') return view;
      // An operator is outside the registering municipality: a subject under DV support measures keeps its address there.
      const shown = view.isNotDisclosed ? { ...view, basicFiveInfo: { ...view.basicFiveInfo, address: null } } : view;
      return pmhId ? { ...shown, pmhId } : shown;
    },
  );
}
