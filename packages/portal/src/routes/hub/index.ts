import { Type } from 'typebox';
import { Inbox, InboxQuery, PortalNotificationBatch, PortalNotificationResults, ProblemSchema, Uuid, WIRE_FORMATS, errorResponses } from '@pmh/protocol';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import type { ServiceBase } from '@pmh/core/service';
import { fileNotifications, inbox, markRead, type InboxCursor } from '../store/notifications.ts';
import { requireResident } from './session.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The inbox page cursor: opaque to the client (base64url of the last item's time and id). */
function encodeCursor(c: InboxCursor): string {
  return Buffer.from(`${c.publishedAt} ${c.id}`, 'utf8').toString('base64url');
}

function decodeCursor(s: string): InboxCursor {
  const [publishedAt, id] = Buffer.from(s, 'base64url').toString('utf8').split(' ');
  // Decoded here, past the schema: held to the wire's rules (an RFC 3339 moment, not any text Date.parse takes) before it reaches SQL.
  if (!publishedAt || !id || !UUID.test(id) || !WIRE_FORMATS['past-time'](publishedAt))
    throw new ProblemError(400, 'validation', 'The page cursor is not one this inbox gave.', {
      errors: [{ pointer: '/query/before', message: 'is not a valid cursor' }],
    });
  return { publishedAt, id };
}

/**
 * Notifications (お知らせ, seed B③ C③): the hub delivers municipalities' notifications by PMH
 * pseudonym (`POST /portal/v1/notifications`, role hub), the portal files them in the resident's
 * inbox, and the resident reads them (`/portal/v1/me/notifications`, a session cookie).
 */
export async function notificationRoutes(base: ServiceBase): Promise<void> {
  const resident = requireResident(base);

  base.app.post(
    '/portal/v1/notifications',
    {
      config: { access: base.auth.requireRole('hub') },
      // 1,000 items of up to 4,000 characters each.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['counterparts'],
        summary: 'Notifications from the hub, for residents by PMH pseudonym; each is acknowledged',
        description:
          'Idempotent on (notificationId, pmhPseudonym): an item delivered again is `stored` and filed once. ' +
          '`unknown-recipient`: no account has this PMH pseudonym; nothing is filed.',
        body: PortalNotificationBatch,
        response: { 200: PortalNotificationResults, ...errorResponses },
      },
    },
    async (req) => {
      const items = req.body.items;
      const { known } = await base.db.transaction().execute(async (trx) => {
        const batch = await fileNotifications(trx, items);
        // Audit rows name the account by its reference, never by a PMH pseudonym.
        await appendAudit(
          trx,
          batch.filed.map((f) => ({
            stream: auditStream('hub', f.accountId),
            actor: 'hub',
            action: 'notification.receive',
            subjectRef: f.accountId,
            purpose: 'notification',
            outcome: 'ok',
            detail: { notificationId: f.notificationId },
          })),
        );
        return batch;
      });
      return {
        results: items.map((i) => ({
          notificationId: i.notificationId,
          pmhPseudonym: i.pmhPseudonym,
          status: known.has(i.pmhPseudonym) ? ('stored' as const) : ('unknown-recipient' as const),
        })),
      };
    },
  );

  base.app.get(
    '/portal/v1/me/notifications',
    {
      config: { access: resident },
      schema: {
        tags: ['residents'],
        summary: 'My notifications (お知らせ), newest first, with the number unread',
        querystring: InboxQuery,
        response: { 200: Inbox, 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (req) => {
      const before = req.query.before ? decodeCursor(req.query.before) : undefined;
      const page = await inbox(base.db, req.resident!.accountId, req.query.limit ? Number(req.query.limit) : 50, before);
      return { items: page.items, unread: page.unread, ...(page.next ? { nextBefore: encodeCursor(page.next) } : {}) };
    },
  );

  base.app.post(
    '/portal/v1/me/notifications/:id/read',
    {
      config: { access: resident },
      schema: {
        tags: ['residents'],
        summary: 'Mark one of my notifications read (again: no change)',
        params: Type.Object({ id: Uuid('the inbox item') }),
        response: { 204: Type.Null({ description: 'read' }), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      if (!(await markRead(base.db, req.resident!.accountId, req.params.id)))
        throw new ProblemError(404, 'not-found', 'You have no notification with that id.');
      return reply.status(204).send(null);
    },
  );
}
