import { portalApi } from '@pmh/protocol';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { randomIdentifier } from '@pmh/core/crypto/index';
import { enqueue } from '@pmh/core/outbox/index';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { PortalContext } from '../../context.ts';
import { storeLinks } from '../../store/accounts.ts';
import { hubLinkItems } from '../../federation/hub-links.ts';

/** What OQS calls (role oqs): `POST /portal/v1/pmh-links`, which PMH-ID belongs to a 仮名識別子 (seed A③). */
export async function oqsRoutes(app: App, { base, db }: PortalContext): Promise<void> {
  const oqs = surface(app, { access: base.auth.requireRole('oqs'), tags: ['counterparts'] });

  // 1,000 links of a 仮名識別子 and a PMH-ID: about 80 KB.
  oqs.serve(
    portalApi.receivePmhLinks,
    async (req) => {
      const links = req.body.links;
      // Named twice: the last one is the one that holds (as if applied one by one).
      const last = new Map(links.map((l, index) => [l.pseudonym, { ...l, index }]));
      await db.transaction().execute(async (trx) => {
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
    { bodyLimit: 256 * 1024 },
  );
}
