import { enqueue, type EnqueueItem, type ItemOutcome, type OutboxHandler } from '@pmh/core/outbox/index';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import { deliver } from '@pmh/core/service';
import { hubApi, type HubPortalLinks } from '@pmh/protocol';
import type { PortalContext } from '../context.ts';
import type { Trx } from '../store/schema.ts';
import { acknowledgeLinks, heldPmhIds, lockAccounts } from '../store/accounts.ts';

/** Outbox kind: tell the hub which PMH-ID belongs to a PMH pseudonym (seed A③). */
export const HUB_PORTAL_LINK = 'hub-portal-link';

export interface HubLinkPayload {
  pmhPseudonym: string;
  pmhId: string;
}

/** What was sent: the links, as the hub acknowledged them. */
export interface HubLinkResult {
  sent: Map<string, string>;
}

/** The error of a link the hub answered `conflict` for. Names nothing. */
export const CONFLICT_ERROR = 'the hub holds another link for this PMH-ID or PMH pseudonym (operator action needed)';

/**
 * One message per PMH pseudonym (the hub is idempotent on the pair; a pending message for the same
 * PMH pseudonym is not queued twice). It carries the PMH pseudonym and the PMH-ID, and nothing else:
 * the 仮名識別子 never leaves the portal towards the hub (docs/privacy.md, invariants 4 and 6).
 * The payload is sealed under the shreddable epoch key: the portal may not keep the PMH-ID, and a
 * delivered (deleted) message's bytes stay in the outbox's files and the WAL (invariant 5).
 */
export function hubLinkItems(links: HubLinkPayload[]): EnqueueItem[] {
  return links.map((l) => ({ kind: HUB_PORTAL_LINK, payload: { pmhPseudonym: l.pmhPseudonym, pmhId: l.pmhId }, dedupeKey: l.pmhPseudonym, seal: true }));
}

/**
 * Delivers queued links to the hub in batches of up to 1,000 (`POST /hub/v1/portal-links`). Each
 * link is sent with the PMH-ID the account holds now (a message queued before the PMH-ID changed,
 * and so not queued again, carries the latest), or the message's own (an account already linked).
 *
 * - network error, 5xx, 408/425/429: throws, and the outbox retries the batch with backoff;
 * - other 4xx: every link is refused for good (parked with the status and problem title only);
 * - 2xx: per link, `linked` is delivered, `conflict` is parked for an operator, a link the hub did
 *   not answer for is retried.
 *
 * On delivery, in the transaction that deletes the delivered messages, the accounts forget the
 * PMH-ID: from then on the portal's database holds none (invariant 5), but as sealed bytes whose
 * epoch key is destroyed within minutes.
 */
export function hubLinkHandler({ base, db }: PortalContext): OutboxHandler<HubLinkPayload, HubLinkResult> {
  return {
    batchSize: 1000,
    async send(messages) {
      const held = await heldPmhIds(
        db,
        base.shredding,
        messages.map((m) => m.payload.pmhPseudonym),
      );
      const body: HubPortalLinks = {
        links: messages.map((m) => ({ pmhPseudonym: m.payload.pmhPseudonym, pmhId: held.get(m.payload.pmhPseudonym) ?? m.payload.pmhId })),
      };
      const sent = new Map(body.links.map((l) => [l.pmhPseudonym, l.pmhId]));
      const answer = await deliver(base.peer('hub'), hubApi.counterpart.receivePortalLinks, { body }, messages.length);
      if (answer.ok) {
        // Typed, not checked: a peer that broke its contract is retried, not believed.
        if (!Array.isArray(answer.body?.results)) throw new Error('hub answered without results');
        const status = new Map(answer.body.results.map((r) => [r?.pmhPseudonym, r?.status]));
        const items: ItemOutcome[] = messages.map((m) => {
          const s = status.get(m.payload.pmhPseudonym);
          if (s === 'linked') return { ok: true };
          if (s === 'conflict') return { ok: false, permanent: true, error: CONFLICT_ERROR };
          return { ok: false, permanent: false, error: 'the hub did not acknowledge this link' };
        });
        return { result: { sent }, items };
      }
      return { result: { sent }, items: answer.items };
    },

    // The accounts before the outbox rows, as a link request locks them: no deadlock between the two.
    async lockDelivered(outboxTrx, delivered) {
      await lockAccounts(
        outboxTrx as Trx,
        delivered.map((m) => m.payload.pmhPseudonym),
      );
    },

    async onDelivered(outboxTrx, delivered, result) {
      const trx = outboxTrx as Trx;
      const acked = delivered.map((m) => ({ pmhPseudonym: m.payload.pmhPseudonym, pmhId: result.sent.get(m.payload.pmhPseudonym) ?? m.payload.pmhId }));
      const accounts = await acknowledgeLinks(trx, base.shredding, acked);
      // A PMH-ID that reached an account while its previous one was on the way to the hub was not
      // queued (the message for that PMH pseudonym was pending): queue it now, in place of the
      // delivered message (already deleted: the outbox deletes before this runs), so it is not left
      // behind on the account.
      const later = accounts.filter((a) => a.heldPmhId !== null);
      if (later.length) await enqueue(trx, hubLinkItems(later.map((a) => ({ pmhPseudonym: a.pmhPseudonym, pmhId: a.heldPmhId! }))), base.shredding);
      await appendAudit(
        trx,
        accounts.map((a) => ({
          stream: auditStream('portal', a.id),
          actor: 'portal',
          action: 'pmh-link.acknowledged',
          subjectRef: a.id,
          purpose: 'pseudonym-link',
          outcome: 'ok',
        })),
      );
    },
  };
}
