import { Accepted, OqsPmhLinks, errorResponses } from '@pmh/protocol';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { enqueue } from '@pmh/core/outbox/index';
import type { ServiceBase } from '@pmh/core/service';
import { RaceLost, inTransaction, lockPmhLinks, setPmhIds } from '../store/insured.ts';
import { portalLinkItems } from '../federation/portal-links.ts';

/** `POST /oqs/v1/pmh-links` (role idserver): which PMH-ID belongs to a 紐付番号 (seed A②). */
export async function pmhLinkRoutes(base: ServiceBase): Promise<void> {
  base.app.post(
    '/oqs/v1/pmh-links',
    {
      config: { access: base.auth.requireRole('idserver') },
      // 1,000 links of a 紐付番号 and a PMH-ID: about 80 KB.
      bodyLimit: 256 * 1024,
      schema: {
        tags: ['counterparts'],
        summary: 'PMH-ID links from the ID server (紐付番号 → PMH-ID), up to 1,000 per call',
        description:
          'Idempotent on the linkage number: the PMH-ID is stored (a linkage number not known yet is stored without a ' +
          "pseudonym, which may arrive later with the insurer's enrolment). When the PMH-ID is new or changed and the " +
          'pseudonym is known, the link is passed on to the portal (pseudonym → PMH-ID). A linkage number named twice ' +
          'takes its last PMH-ID. Every link is accepted.',
        body: OqsPmhLinks,
        response: { 200: Accepted, ...errorResponses },
      },
    },
    async (req) => {
      const links = req.body.links;
      // Named twice: the last one is the one that holds (as if applied one by one).
      const last = new Map(links.map((l, index) => [l.linkageNumber, { ...l, index }]));
      const queued = await inTransaction(base.db, async (trx) => {
        const before = new Map((await lockPmhLinks(trx, [...last.keys()])).map((p) => [p.linkageNumber, p]));
        const changes = [...last.values()].filter((l) => before.get(l.linkageNumber)?.pmhId !== l.pmhId);
        const written = new Map((await setPmhIds(trx, changes)).map((p) => [p.linkageNumber, p]));
        if (written.size !== changes.length) throw new RaceLost();
        const toPortal = [...written.values()].filter((p) => p.pseudonym !== null).map((p) => ({ pseudonym: p.pseudonym!, pmhId: p.pmhId }));
        await enqueue(trx, portalLinkItems(toPortal));

        const common = { stream: auditStream('idserver'), actor: 'idserver', action: 'pmh-link.receive', purpose: 'pmh-id-link' };
        const audit: AuditEntry[] = links.map((l, index) => {
          const prior = before.get(l.linkageNumber);
          const set = written.get(l.linkageNumber);
          const subjectRef = set?.id ?? prior?.id ?? null;
          if (last.get(l.linkageNumber)!.index !== index) return { ...common, subjectRef, outcome: 'superseded', detail: { index } };
          if (!set) return { ...common, subjectRef, outcome: 'unchanged', detail: { index } };
          return {
            ...common,
            subjectRef,
            outcome: 'ok',
            detail: { index, change: prior?.pmhId ? 'replaced' : 'new', portalLinkQueued: set.pseudonym !== null },
          };
        });
        await appendAudit(trx, audit);
        return toPortal.length;
      });
      if (queued) base.wakeOutbox();
      return { accepted: links.length };
    },
  );
}
