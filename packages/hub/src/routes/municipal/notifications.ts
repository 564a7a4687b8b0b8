import crypto from 'node:crypto';
import { Type } from 'typebox';
import { IdempotencyHeaders, NotificationAccepted, NotificationRequest, NotificationStatusView, ProblemSchema, Uuid, errorResponses } from '@pmh/protocol';
import type { App } from '@pmh/core/http/app';
import { ProblemError } from '@pmh/core/http/problem';
import { normalizeKey } from '@pmh/core/text/japanese';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import type { OAuthServer } from '@pmh/core/auth/index';
import type { Db } from '../../store/scope.ts';
import { inMunicipality } from '../../store/scope.ts';
import { findByIdempotencyKey, insertNotification, notificationStatus, resolveTargets, type AcceptedNotification } from '../../store/notifications.ts';
import { notificationErrors } from '../../domain/notifications/message.ts';
import { PORTAL_NOTIFICATION, type NotificationRelease } from '../../federation/notifications.ts';

class IdempotencyConflict extends Error {}

/** `/municipal/v1/notifications` (role municipality:<code>): notifications to the municipality's own subjects. */
export async function notificationRoutes(app: App, db: Db, auth: OAuthServer, release: NotificationRelease): Promise<void> {
  const municipal = auth.requireRole('municipality:*');

  app.post(
    '/municipal/v1/notifications',
    {
      config: { access: municipal },
      // 10,000 targets of up to 64 characters (UTF-8), a title and a body: under 2.5 MB.
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['municipal'],
        summary: 'Send a notification (お知らせ) to subjects of this municipality, through the portal',
        description:
          'Each target must be a subject this municipality registered (422 naming every one that is not; nothing is stored). ' +
          'The hub delivers it to the portal once per target: at `publishAt` (now when absent), or later, when the person ' +
          'is linked to the portal. A title, body or URL that contains a My Number is refused. `Idempotency-Key`: the ' +
          'same key and body answer the first notification; the same key with another body is a 409.',
        headers: IdempotencyHeaders,
        body: NotificationRequest,
        response: { 202: NotificationAccepted, ...errorResponses, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (req, reply) => {
      const code = req.principal!.municipalityCode!;
      // Targets are read by the key as registration stored it (full-width → ASCII, trimmed).
      const n = { ...req.body, targets: req.body.targets.map((t) => ({ municipalityIdentityKey: normalizeKey(t.municipalityIdentityKey) })) };
      const invalid = notificationErrors(n);
      if (invalid.length) throw new ProblemError(422, 'validation', 'The notification is not valid.', { errors: invalid });
      const idempotencyKey = (req.headers['idempotency-key'] as string | undefined) ?? null;
      const requestHash = crypto.createHash('sha256').update(JSON.stringify(req.body)).digest('base64url');
      const attempt = () =>
        inMunicipality(db, code, async (trx): Promise<AcceptedNotification> => {
          if (idempotencyKey) {
            const prior = await findByIdempotencyKey(trx, code, idempotencyKey);
            if (prior) {
              if (prior.requestHash !== requestHash) throw new IdempotencyConflict();
              const { requestHash: _h, ...answer } = prior;
              return answer;
            }
          }
          const subjectIds = await resolveTargets(
            trx,
            code,
            n.targets.map((t) => t.municipalityIdentityKey),
          );
          const unknown = subjectIds.flatMap((id, i) =>
            id ? [] : [{ pointer: `/targets/${i}/municipalityIdentityKey`, message: 'is not a subject this municipality registered' }],
          );
          if (unknown.length)
            throw new ProblemError(422, 'unknown-targets', `${unknown.length} of the targets are not subjects of this municipality; nothing was sent.`, {
              errors: unknown,
            });
          const accepted = await insertNotification(trx, {
            id: crypto.randomUUID(),
            municipalityCode: code,
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
          const actor = `municipality:${code}`;
          await appendAudit(
            trx,
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
        try {
          accepted = await attempt();
        } catch (e) {
          // Two requests with one key raced; the loser answers the winner's notification.
          if ((e as { code?: string }).code === '23505' && idempotencyKey) accepted = await attempt();
          else throw e;
        }
      } catch (e) {
        if (e instanceof IdempotencyConflict)
          throw new ProblemError(409, 'idempotency-key-reused', 'This Idempotency-Key was used before with a different body.');
        throw e;
      }
      release.wake();
      reply.status(202).header('location', `/municipal/v1/notifications/${accepted.notificationId}`);
      return accepted;
    },
  );

  app.get(
    '/municipal/v1/notifications/:notificationId',
    {
      config: { access: municipal },
      schema: {
        tags: ['municipal'],
        summary: "A notification's delivery status, per target",
        description: 'Only the municipality that sent it may read it.',
        params: Type.Object({ notificationId: Uuid('the notification') }),
        response: { 200: NotificationStatusView, ...errorResponses },
      },
    },
    async (req) => {
      const code = req.principal!.municipalityCode!;
      const status = await inMunicipality(db, code, async (trx) => {
        const found = await notificationStatus(trx, code, req.params.notificationId, PORTAL_NOTIFICATION);
        const actor = `municipality:${code}`;
        // One row per read, not per target: the status tells how delivery went, not the persons' data.
        await appendAudit(trx, [
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
    },
  );
}
