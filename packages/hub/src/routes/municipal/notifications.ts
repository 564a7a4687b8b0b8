import crypto from 'node:crypto';
import { hubApi } from '@pmh/protocol';
import { ProblemError } from '@pmh/core/http/problem';
import type { Surface } from '@pmh/core/http/serve';
import { normalizeKey } from '@pmh/core/text/japanese';
import { auditStream } from '@pmh/core/audit/index';
import { notificationErrors } from '../../domain/notifications/message.ts';
import { PORTAL_NOTIFICATION } from '../../federation/notifications.ts';
import { onceMoreOnKeyRace } from '../../store/index.ts';
import type { AcceptedNotification } from '../../store/notifications.ts';
import type { MunicipalDeps } from './index.ts';
import { scopeOf } from './scope.ts';

class IdempotencyConflict extends Error {}

/** `/municipal/v1/notifications`: notifications to the municipality's own subjects (お知らせ, seed B③ C③). */
export function notificationRoutes(s: Surface, deps: MunicipalDeps): void {
  s.serve(
    hubApi.municipal.sendNotification,
    async (req, reply) => {
      const scope = scopeOf(req);
      // Targets are read by the key as registration stored it (full-width → ASCII, trimmed).
      const n = { ...req.body, targets: req.body.targets.map((t) => ({ municipalityIdentityKey: normalizeKey(t.municipalityIdentityKey) })) };
      const invalid = notificationErrors(n);
      if (invalid.length) throw new ProblemError(422, 'validation', 'The notification is not valid.', { errors: invalid });
      const idempotencyKey = req.headers['idempotency-key'] ?? null;
      const requestHash = crypto.createHash('sha256').update(JSON.stringify(req.body)).digest('base64url');
      const attempt = () =>
        scope.run(async (repo): Promise<AcceptedNotification> => {
          if (idempotencyKey) {
            const prior = await repo.notificationByIdempotencyKey(idempotencyKey);
            if (prior) {
              if (prior.requestHash !== requestHash) throw new IdempotencyConflict();
              const { requestHash: _h, ...answer } = prior;
              return answer;
            }
          }
          const subjectIds = await repo.resolveTargets(n.targets.map((t) => t.municipalityIdentityKey));
          const unknown = subjectIds.flatMap((id, i) =>
            id ? [] : [{ pointer: `/targets/${i}/municipalityIdentityKey`, message: 'is not a subject this municipality registered' }],
          );
          if (unknown.length)
            throw new ProblemError(422, 'unknown-targets', `${unknown.length} of the targets are not subjects of this municipality; nothing was sent.`, {
              errors: unknown,
            });
          const accepted = await repo.insertNotification({
            id: crypto.randomUUID(),
            category: n.category,
            title: n.title,
            body: n.body,
            url: n.url ?? null,
            publishAt: n.publishAt ?? null,
            clientId: req.principal!.clientId,
            idempotencyKey,
            requestHash,
            subjectIds: subjectIds as string[],
          });
          const actor = `municipality:${scope.code}`;
          await repo.audit(
            (subjectIds as string[]).map((subjectId) => ({
              stream: auditStream(actor, subjectId),
              actor,
              action: 'notification.create',
              subjectRef: subjectId,
              purpose: 'notification',
              outcome: 'ok',
              detail: { notificationId: accepted.notificationId, category: n.category },
            })),
          );
          return accepted;
        });
      let accepted: AcceptedNotification;
      try {
        accepted = await onceMoreOnKeyRace(attempt, idempotencyKey !== null);
      } catch (e) {
        if (e instanceof IdempotencyConflict)
          throw new ProblemError(409, 'idempotency-key-reused', 'This Idempotency-Key was used before with a different body.');
        throw e;
      }
      deps.wakeRelease();
      reply.status(202).header('location', `/municipal/v1/notifications/${accepted.notificationId}`);
      return accepted;
    },
    // 10,000 targets of up to 64 characters (UTF-8), a title and a body: under 2.5 MB.
    { bodyLimit: 4 * 1024 * 1024 },
  );

  s.serve(hubApi.municipal.getNotification, async (req) => {
    const scope = scopeOf(req);
    const status = await scope.run(async (repo) => {
      const found = await repo.notificationStatus(req.params.notificationId, PORTAL_NOTIFICATION);
      const actor = `municipality:${scope.code}`;
      // One row per read, not per target: the status tells how delivery went, not the persons' data.
      await repo.audit([
        {
          stream: auditStream(actor, req.params.notificationId),
          actor,
          action: 'notification.status.read',
          subjectRef: null,
          purpose: 'notification',
          outcome: found ? 'ok' : 'not-found',
          detail: { notificationId: req.params.notificationId },
        },
      ]);
      return found;
    });
    if (!status) throw new ProblemError(404, 'not-found', 'This municipality has no notification with that id.');
    return status;
  });
}
