import type { Logger } from 'pino';
import type { EnqueueItem, ItemOutcome, OutboxHandler } from '@pmh/core/outbox/index';
import { PollingLoop } from '@pmh/core/polling';
import type { DatabaseHealth } from '@pmh/core/db/availability';
import { deliver, type PeerClient } from '@pmh/core/service';
import { portalApi, type IssueResponse, type PortalNotificationBatch } from '@pmh/protocol';
import type { SystemRepository, SystemStore } from '../store/index.ts';
import type { ReleasedTarget } from '../store/notifications.ts';

/** Outbox kind: a notification to one target, for the portal (seed B③ C③). */
export const PORTAL_NOTIFICATION = 'portal-notification';

/** The message names the target only: the text and the PMH pseudonym are read at sending time. */
interface NotificationPayload {
  notificationId: string;
  targetId: string;
}

/** One message per target (the dedupe key): enqueuing a target twice sends it once. */
export function notificationItems(targets: ReleasedTarget[]): EnqueueItem[] {
  return targets.map((t) => ({ kind: PORTAL_NOTIFICATION, payload: { notificationId: t.notificationId, targetId: t.targetId }, dedupeKey: t.targetId }));
}

/**
 * These persons' links are complete now: their waiting notifications go to the outbox, in the
 * transaction that completed the link. True when any was queued (wake the outbox after the commit).
 */
export async function releaseLinked(sys: SystemRepository, pmhIds: string[]): Promise<boolean> {
  const released = await sys.releaseWaiting(pmhIds);
  await sys.enqueue(notificationItems(released));
  return released.length > 0;
}

const UNKNOWN_RECIPIENT = 'the portal has no account with this PMH pseudonym';

/**
 * Delivers notifications to the portal (`POST /portal/v1/notifications`), 200 targets a request (a
 * body may be 4,000 characters). The portal files each in the resident's inbox once, whatever the
 * retries: it is idempotent on (notificationId, pmhPseudonym).
 *
 * - network error, 5xx, 408/425/429: throws, and the outbox retries the batch with backoff;
 * - other 4xx: every item is refused for good (parked: the municipality sees `failed`);
 * - 2xx: per item, `stored` is delivered, `unknown-recipient` is parked, no answer is retried.
 */
export function notificationHandler(deps: { system: SystemStore; portal: () => PeerClient }): OutboxHandler<NotificationPayload, null> {
  const { system } = deps;
  return {
    batchSize: 200,
    async send(messages) {
      const found = await system.autocommit.targetsToSend(messages.map((m) => m.payload.targetId));
      const items: PortalNotificationBatch['items'] = [];
      const outcomes: Array<ItemOutcome | number> = messages.map((m) => {
        const t = found.get(m.payload.targetId);
        if (!t) return { ok: false, permanent: true, error: 'the notification target no longer exists' };
        if (!t.pmhPseudonym) return { ok: false, permanent: true, error: 'the person has no PMH pseudonym link' };
        const { targetId: _t, pmhPseudonym, ...rest } = t;
        return items.push({ ...rest, pmhPseudonym }) - 1;
      });
      let answered = new Map<string, string>();
      if (items.length) {
        const answer = await deliver(deps.portal(), portalApi.receiveNotifications, { body: { items } }, items.length);
        if (!answer.ok) return { result: null, items: outcomes.map((o) => (typeof o === 'number' ? answer.items[o] : o)) };
        const results = answer.body?.results;
        if (!Array.isArray(results)) throw new Error('portal answered without results');
        answered = new Map(results.map((r) => [`${r?.notificationId} ${r?.pmhPseudonym}`, r?.status]));
      }
      return {
        result: null,
        items: outcomes.map((o): ItemOutcome => {
          if (typeof o !== 'number') return o;
          const status = answered.get(`${items[o].notificationId} ${items[o].pmhPseudonym}`);
          if (status === 'stored') return { ok: true };
          if (status === 'unknown-recipient') return { ok: false, permanent: true, error: UNKNOWN_RECIPIENT };
          return { ok: false, permanent: false, error: 'the portal did not answer for this notification' };
        }),
      };
    },
    async onDelivered(trx, delivered) {
      await system.within(trx).markDelivered(delivered.map((m) => m.payload.targetId));
    },
  };
}

/**
 * PMH-ID issuance completes a link too: a subject registered after its person was linked (by another
 * municipality) is linked the moment it gets its PMH-ID. Wraps the issuance handler so that, in the
 * same transaction, that subject's waiting notifications go out.
 */
export function releasingOnIssue<P>(system: SystemStore, handler: OutboxHandler<P, IssueResponse>): OutboxHandler<P, IssueResponse> {
  return {
    ...handler,
    async onDelivered(trx, delivered, result) {
      await handler.onDelivered?.(trx, delivered, result);
      await releaseLinked(
        system.within(trx),
        result.results.flatMap((r) => ('pmhId' in r ? [r.pmhId] : [])),
      );
    },
  };
}

/**
 * Sends scheduled notifications at their publishAt, not before: polls the due targets (a partial
 * index holds only scheduled ones) and releases them in batches, the linked to the outbox, the others
 * to wait for their link.
 */
export class NotificationRelease {
  private readonly loop: PollingLoop;
  private readonly batchSize: number;

  constructor(
    private readonly system: SystemStore,
    private readonly log: Logger,
    private readonly wakeOutbox: () => void,
    opts: { pollMs?: number; batchSize?: number; health?: DatabaseHealth } = {},
  ) {
    this.batchSize = opts.batchSize ?? 1000;
    this.loop = new PollingLoop(() => this.releaseOnce(), { name: 'notification release', log, pollMs: opts.pollMs ?? 1000, health: opts.health });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** New notifications in this process: release the due ones now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Releases one batch of due targets; true when there was one. */
  async releaseOnce(): Promise<boolean> {
    const { claimed, queued } = await this.system.transaction(async (sys) => {
      const r = await sys.releaseDue(this.batchSize);
      await sys.enqueue(notificationItems(r.queued));
      return r;
    });
    if (queued.length) this.wakeOutbox();
    if (claimed) this.log.debug({ released: claimed, queued: queued.length }, 'notification targets released');
    return claimed > 0;
  }
}
