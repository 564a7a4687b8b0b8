import crypto from 'node:crypto';
import { idserverApi } from '@pmh/protocol';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { randomIdentifier } from '@pmh/core/crypto/ids';
import { ProblemError } from '@pmh/core/http/problem';
import { holdsTwelveDigits } from '@pmh/core/text/my-number';
import type { IdserverContext } from '../../context.ts';
import { INVALID_MY_NUMBER, planIssue } from '../../domain/issuance.ts';
import { MY_NUMBER_CONTEXT, myNumberAt, inTransaction, issuePmhIds, type IssueCandidate } from '../../store/persons.ts';
import { queueOqsLinks } from '../../federation/oqs-links.ts';

/** What the hub calls (role hub): `POST /idserver/v1/pmh-ids/issue`, My Number → PMH-ID, idempotent per person (seed ②). */
export async function hubRoutes(app: App, { base, db }: IdserverContext): Promise<void> {
  const hub = surface(app, { access: base.auth.requireRole('hub'), tags: ['hub'] });

  // 1,000 requests of a request id (up to 64 characters) and a My Number: under 450 KB written out.
  hub.serve(
    idserverApi.issuePmhIds,
    async (req) => {
      const requests = req.body.requests;
      // A request id is the caller's reference, answered back as it came: a My Number is never one (found by the fuzz suite).
      const disguised = requests.flatMap((r, i) =>
        holdsTwelveDigits(r.requestId)
          ? [{ pointer: `/requests/${i}/requestId`, message: 'must not hold 12 digits in a row: a My Number is never a reference' }]
          : [],
      );
      if (disguised.length) throw new ProblemError(400, 'validation', 'A request id looks like a My Number.', { errors: disguised });
      const plan = planIssue(
        requests.map((r) => r.myNumber),
        (n) => base.cipher.blindIndex(n, MY_NUMBER_CONTEXT),
      );
      const encOf = new Map([...plan.people].map(([b, n]) => [b, base.cipher.encrypt(n, myNumberAt(b))]));
      plan.people.clear();
      // One audit chain (of 16 shards) per batch: concurrent batches rarely wait on each other.
      const stream = auditStream('hub', crypto.randomUUID());

      const { people, queued } = await inTransaction(db, async (trx) => {
        const candidates: IssueCandidate[] = [...encOf].map(([bidx, enc]) => ({ bidx, enc, pmhId: randomIdentifier('pmh') }));
        const issued = await issuePmhIds(trx, candidates);
        const people = new Map(issued.map((p) => [p.bidx, p]));
        const links = issued.filter((p) => p.newlyIssued && p.linkageNumber).map((p) => ({ linkageNumber: p.linkageNumber!, pmhId: p.pmhId }));
        await queueOqsLinks(trx, links);
        const common = { stream, actor: 'hub', action: 'pmh-id.issue', purpose: 'pmh-id-issuance' };
        const audit: AuditEntry[] = [
          ...issued.map((p) => ({ ...common, subjectRef: p.id, outcome: 'ok', detail: { newlyIssued: p.newlyIssued } })),
          ...plan.personOf.flatMap((b, index) =>
            b === null ? [{ ...common, subjectRef: null, outcome: 'rejected', detail: { index, reason: INVALID_MY_NUMBER.code } }] : [],
          ),
        ];
        await appendAudit(trx, audit);
        return { people, queued: links.length };
      });
      if (queued) base.wakeOutbox();
      return {
        results: requests.map((r, i) => {
          const b = plan.personOf[i];
          return b === null ? { requestId: r.requestId, error: { ...INVALID_MY_NUMBER } } : { requestId: r.requestId, pmhId: people.get(b)!.pmhId };
        }),
      };
    },
    { bodyLimit: 512 * 1024 },
  );
}
