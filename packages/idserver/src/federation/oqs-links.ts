import type { Kysely } from 'kysely';
import { enqueue, type OutboxHandler } from '@pmh/core/outbox/index';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { ServiceBase } from '@pmh/core/service';
import type { OqsPmhLinks } from '@pmh/protocol';

/** Outbox kind: tell OQS which PMH-ID belongs to a 紐付番号 (seed A②). */
export const OQS_PMH_LINK = 'oqs-pmh-link';

export interface OqsLinkPayload {
  linkageNumber: string;
  pmhId: string;
}

/**
 * Queues OQS links in the caller's transaction, one per linkage number (the natural key: OQS is
 * idempotent on it, and a pending message for the same number is not queued twice).
 */
export async function queueOqsLinks(trx: Kysely<any>, links: OqsLinkPayload[], cipher: FieldCipher): Promise<void> {
  await enqueue(
    trx,
    links.map((l) => ({ kind: OQS_PMH_LINK, payload: { linkageNumber: l.linkageNumber, pmhId: l.pmhId }, dedupeKey: l.linkageNumber })),
    cipher,
  );
}

/** 4xx answers that say "not now" rather than "never": retried like a 5xx. */
const TRANSIENT_4XX = new Set([408, 425, 429]);

/**
 * Delivers queued links to OQS in batches of up to 1,000 (`POST /oqs/v1/pmh-links`). A 2xx
 * delivers the batch; a 4xx refuses it for good (each item is parked with the answer's status
 * and problem title, never the payload); a network error or a 5xx throws, and the outbox retries
 * the batch with backoff.
 */
export function oqsLinkHandler(base: ServiceBase): OutboxHandler<OqsLinkPayload, unknown> {
  return {
    batchSize: 1000,
    async send(messages) {
      const body: OqsPmhLinks = { links: messages.map((m) => ({ linkageNumber: m.payload.linkageNumber, pmhId: m.payload.pmhId })) };
      const answer = await base.peer('oqs').post('/oqs/v1/pmh-links', body);
      if (answer.status >= 200 && answer.status < 300) return { result: answer.body };
      if (answer.status >= 400 && answer.status < 500 && !TRANSIENT_4XX.has(answer.status)) {
        const title = problemTitle(answer.body);
        const error = `oqs refused the batch (${answer.status}${title ? ' ' + title : ''})`;
        return { result: answer.body, items: messages.map(() => ({ ok: false as const, permanent: true, error })) };
      }
      throw new Error(`oqs answered ${answer.status}`);
    },
  };
}

/** A problem's title (a fixed phrase like "Bad Request"), or nothing: never a detail, never input. */
function problemTitle(body: unknown): string {
  const title = (body as { title?: unknown } | undefined)?.title;
  return typeof title === 'string' && /^[A-Za-z][A-Za-z '-]{0,60}$/.test(title) ? title : '';
}
