import crypto from 'node:crypto';
import { idserverApi } from '@pmh/protocol';
import { serve } from '@pmh/core/http/serve';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { randomIdentifier } from '@pmh/core/crypto/ids';
import { isValidMyNumber } from '@pmh/core/text/checkdigits';
import type { ServiceBase } from '@pmh/core/service';
import { MY_NUMBER_CONTEXT, myNumberAt, inTransaction, issuePmhIds, type IssueCandidate } from '../store/persons.ts';
import { queueOqsLinks } from '../federation/oqs-links.ts';

export const INVALID_MY_NUMBER = {
  code: 'invalid-my-number',
  message: 'The My Number is not valid: its check digit does not match.',
} as const;

/** `POST /idserver/v1/pmh-ids/issue` (role hub): My Number → PMH-ID, idempotent per person (seed ②). */
export async function issueRoutes(base: ServiceBase): Promise<void> {
  // 1,000 requests of a request id (up to 64 characters) and a My Number: under 450 KB written out.
  serve(base.app, idserverApi.issuePmhIds, { access: base.auth.requireRole('hub'), bodyLimit: 512 * 1024 }, async (req) => {
    const requests = req.body.requests;
    // Per request: its person's blind index, or null when the My Number fails its check digit.
    const bidxOf = requests.map((r) => (isValidMyNumber(r.myNumber) ? base.cipher.blindIndex(r.myNumber, MY_NUMBER_CONTEXT) : null));
    const plainOf = new Map<string, string>();
    requests.forEach((r, i) => {
      const b = bidxOf[i];
      if (b !== null && !plainOf.has(b)) plainOf.set(b, r.myNumber);
    });
    const encOf = new Map([...plainOf].map(([b, n]) => [b, base.cipher.encrypt(n, myNumberAt(b))]));
    plainOf.clear();
    // One audit chain (of 16 shards) per batch: concurrent batches rarely wait on each other.
    const stream = auditStream('hub', crypto.randomUUID());

    const { people, queued } = await inTransaction(base.db, async (trx) => {
      const candidates: IssueCandidate[] = [...encOf].map(([bidx, enc]) => ({ bidx, enc, pmhId: randomIdentifier('pmh') }));
      const issued = await issuePmhIds(trx, candidates);
      const people = new Map(issued.map((p) => [p.bidx, p]));
      const links = issued.filter((p) => p.newlyIssued && p.linkageNumber).map((p) => ({ linkageNumber: p.linkageNumber!, pmhId: p.pmhId }));
      await queueOqsLinks(trx, links);
      const audit: AuditEntry[] = [
        ...issued.map((p) => ({
          stream,
          actor: 'hub',
          action: 'pmh-id.issue',
          subjectRef: p.id,
          purpose: 'pmh-id-issuance',
          outcome: 'ok',
          detail: { newlyIssued: p.newlyIssued },
        })),
        ...bidxOf.flatMap((b, index) =>
          b === null
            ? [
                {
                  stream,
                  actor: 'hub',
                  action: 'pmh-id.issue',
                  subjectRef: null,
                  purpose: 'pmh-id-issuance',
                  outcome: 'rejected',
                  detail: { index, reason: INVALID_MY_NUMBER.code },
                },
              ]
            : [],
        ),
      ];
      await appendAudit(trx, audit);
      return { people, queued: links.length };
    });
    if (queued) base.wakeOutbox();
    return {
      results: requests.map((r, i) => {
        const b = bidxOf[i];
        return b === null ? { requestId: r.requestId, error: { ...INVALID_MY_NUMBER } } : { requestId: r.requestId, pmhId: people.get(b)!.pmhId };
      }),
    };
  });
}
