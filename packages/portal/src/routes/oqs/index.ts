import { Accepted, PortalPmhLinks, errorResponses } from '@pmh/protocol';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { randomIdentifier } from '@pmh/core/crypto/index';
import { enqueue } from '@pmh/core/outbox/index';
import type { ServiceBase } from '@pmh/core/service';
import { storeLinks } from '../store/accounts.ts';
import { hubLinkItems } from '../federation/hub-links.ts';

/** `POST /portal/v1/pmh-links` (role oqs): which PMH-ID belongs to a 仮名識別子 (seed A③). */
export async function pmhLinkRoutes(base: ServiceBase): Promise<void> {
  base.app.post(
    '/portal/v1/pmh-links',
    {
      config: { access: base.auth.requireRole('oqs') },
      // 1,000 links of a 仮名識別子 and a PMH-ID: about 80 KB.
      bodyLimit: 256 * 1024,
      schema: {
        tags: ['counterparts'],
        summary: 'PMH-ID links from OQS (仮名識別子 → PMH-ID), up to 1,000 per call',
        description:
          "Idempotent on the pseudonym: the resident's account is created when missing and given a PMH pseudonym " +
          '(PMH仮名識別子) when it has none — random, never derived from anything, and never changed afterwards. ' +
          'The link (PMH pseudonym, PMH-ID) is then passed on to the hub, also when the account was linked before ' +
          '(the hub acknowledges the same pair again). The PMH-ID is held only until the hub acknowledges the link, and ' +
          'only sealed under a short-lived key that is destroyed afterwards; after that the portal keeps none. A pseudonym named twice takes its last PMH-ID. Every link is accepted.',
        body: PortalPmhLinks,
        response: { 200: Accepted, ...errorResponses },
      },
    },
    async (req) => {
      const links = req.body.links;
      // Named twice: the last one is the one that holds (as if applied one by one).
      const last = new Map(links.map((l, index) => [l.pseudonym, { ...l, index }]));
      await base.db.transaction().execute(async (trx) => {
        const stored = await storeLinks(
          trx,
          base.shredding,
          [...last.values()].map((l) => ({ pseudonym: l.pseudonym, pmhId: l.pmhId, candidatePmhPseudonym: randomIdentifier('pp') })),
        );
        await enqueue(trx, hubLinkItems(stored.map((s) => ({ pmhPseudonym: s.pmhPseudonym, pmhId: last.get(s.pseudonym)!.pmhId }))), base.shredding);
        // Audit rows name the account by its reference, never by a pseudonym or a PMH-ID.
        const byPseudonym = new Map(stored.map((s) => [s.pseudonym, s]));
        const common = { actor: 'oqs', action: 'pmh-link.receive', purpose: 'pseudonym-link' };
        const audit: AuditEntry[] = links.map((l, index) => {
          const s = byPseudonym.get(l.pseudonym)!;
          const stream = auditStream('oqs', s.id);
          if (last.get(l.pseudonym)!.index !== index) return { ...common, stream, subjectRef: s.id, outcome: 'superseded', detail: { index } };
          return {
            ...common,
            stream,
            subjectRef: s.id,
            outcome: 'ok',
            detail: { index, accountCreated: s.accountCreated, pmhPseudonymCreated: s.pmhPseudonymCreated },
          };
        });
        await appendAudit(trx, audit);
      });
      base.wakeOutbox();
      return { accepted: links.length };
    },
  );
}
