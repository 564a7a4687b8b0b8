import { oqsApi } from '@pmh/protocol';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { enqueue } from '@pmh/core/outbox/index';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { OqsContext } from '../../context.ts';
import { RaceLost, inTransaction, lockPmhLinks, setPmhIds } from '../../store/insured.ts';
import { portalLinkItems } from '../../federation/portal-links.ts';

/** What the ID server calls (role idserver): `POST /oqs/v1/pmh-links`, which PMH-ID belongs to a 紐付番号 (seed A②). */
export async function idserverRoutes(app: App, { base, db }: OqsContext): Promise<void> {
  const idserver = surface(app, { access: base.auth.requireRole('idserver'), tags: ['counterparts'] });

  // 1,000 links of a 紐付番号 and a PMH-ID: about 80 KB.
  idserver.serve(
    oqsApi.receivePmhLinks,
    async (req) => {
      const links = req.body.links;
      // Named twice: the last one is the one that holds (as if applied one by one).
      const last = new Map(links.map((l, index) => [l.linkageNumber, { ...l, index }]));
      const queued = await inTransaction(db, async (trx) => {
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
    { bodyLimit: 256 * 1024 },
  );
}
