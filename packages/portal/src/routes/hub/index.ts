import { portalApi } from '@pmh/protocol';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { PortalContext } from '../../context.ts';
import { fileNotifications } from '../../store/notifications.ts';

/**
 * What the hub calls (role hub): notifications (お知らせ, seed B③ C③) for residents by PMH
 * pseudonym, which the portal files in the resident's inbox (read through routes/residents).
 */
export async function hubRoutes(app: App, { base, db }: PortalContext): Promise<void> {
  const hub = surface(app, { access: base.auth.requireRole('hub'), tags: ['counterparts'] });

  // 1,000 items of up to 4,000 characters each.
  hub.serve(
    portalApi.receiveNotifications,
    async (req) => {
      const items = req.body.items;
      const { known } = await db.transaction().execute(async (trx) => {
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
    { bodyLimit: 16 * 1024 * 1024 },
  );
}
