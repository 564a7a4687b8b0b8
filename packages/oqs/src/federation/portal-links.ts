import type { EnqueueItem, OutboxHandler } from '@pmh/core/outbox/index';
import { deliver } from '@pmh/core/service';
import { portalApi, type PortalPmhLinks } from '@pmh/protocol';
import type { OqsContext } from '../context.ts';
import { pmhIdsOfPseudonyms } from '../store/insured.ts';

/** Outbox kind: tell the portal which PMH-ID belongs to a 仮名識別子 (seed A③). */
export const PORTAL_PMH_LINK = 'portal-pmh-link';

export type PortalLinkPayload = PortalPmhLinks['links'][number];

/**
 * One message per pseudonym (the portal is idempotent on it; a pending message for the same
 * pseudonym is not queued twice). The message carries a pseudonym and a PMH-ID, and nothing else:
 * the linkage number and card serials never leave OQS (docs/privacy.md#invariant-3).
 */
export function portalLinkItems(links: PortalLinkPayload[]): EnqueueItem[] {
  return links.map((l) => ({ kind: PORTAL_PMH_LINK, payload: { pseudonym: l.pseudonym, pmhId: l.pmhId }, dedupeKey: l.pseudonym }));
}

/**
 * Delivers queued links to the portal in batches of up to 1,000 (`POST /portal/v1/pmh-links`). Each
 * link is sent with the PMH-ID stored now (a message queued before the PMH-ID changed, and so not
 * queued again, carries the latest). A 2xx delivers the batch; a 4xx refuses it for good (each item
 * is parked with the answer's status and problem title, never its detail); a network error or a 5xx
 * throws, and the outbox retries the batch with backoff.
 */
export function portalLinkHandler({ base, db }: OqsContext): OutboxHandler<PortalLinkPayload, unknown> {
  return {
    batchSize: 1000,
    async send(messages) {
      const current = await pmhIdsOfPseudonyms(
        db,
        messages.map((m) => m.payload.pseudonym),
      );
      const links = messages.map((m) => ({ pseudonym: m.payload.pseudonym, pmhId: current.get(m.payload.pseudonym) ?? m.payload.pmhId }));
      const answer = await deliver(base.peer('portal'), portalApi.receivePmhLinks, { body: { links } }, messages.length);
      return answer.ok ? { result: answer.body } : { result: undefined, items: answer.items };
    },
  };
}
