import { enqueue, type OutboxHandler } from '@pmh/core/outbox/index';
import { deliver } from '@pmh/core/service';
import { oqsApi, type OqsPmhLinks } from '@pmh/protocol';
import type { IdserverContext } from '../context.ts';
import type { Trx } from '../store/schema.ts';

/** Outbox kind: tell OQS which PMH-ID belongs to a 紐付番号 (seed A②). */
export const OQS_PMH_LINK = 'oqs-pmh-link';

export type OqsLinkPayload = OqsPmhLinks['links'][number];

/**
 * Queues OQS links in the caller's transaction, one per linkage number (the natural key: OQS is
 * idempotent on it, and a pending message for the same number is not queued twice).
 */
export async function queueOqsLinks(trx: Trx, links: OqsLinkPayload[]): Promise<void> {
  await enqueue(
    trx,
    links.map((l) => ({ kind: OQS_PMH_LINK, payload: { linkageNumber: l.linkageNumber, pmhId: l.pmhId }, dedupeKey: l.linkageNumber })),
  );
}

/**
 * Delivers queued links to OQS in batches of up to 1,000 (`POST /oqs/v1/pmh-links`). A 2xx
 * delivers the batch; a 4xx refuses it for good (each item is parked with the answer's status
 * and problem title, never the payload); a network error or a 5xx throws, and the outbox retries
 * the batch with backoff.
 */
export function oqsLinkHandler({ base }: IdserverContext): OutboxHandler<OqsLinkPayload, unknown> {
  return {
    batchSize: 1000,
    async send(messages) {
      const links = messages.map((m) => ({ linkageNumber: m.payload.linkageNumber, pmhId: m.payload.pmhId }));
      const answer = await deliver(base.peer('oqs'), oqsApi.receivePmhLinks, { body: { links } }, messages.length);
      return answer.ok ? { result: answer.body } : { result: undefined, items: answer.items };
    },
  };
}
