import { idserverApi, type LinkageImportAnswer } from '@pmh/protocol';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import type { IdserverContext } from '../../context.ts';
import { planLinkageImport } from '../../domain/linkage-import.ts';
import { MY_NUMBER_CONTEXT, myNumberAt, classifyLinkage, importLinkageNumbers, inTransaction } from '../../store/persons.ts';
import { queueOqsLinks } from '../../federation/oqs-links.ts';

/** What an operator calls (role admin): `POST /idserver/v1/linkage-numbers`, insurers' enrolments, My Number ↔ 紐付番号. */
export async function adminRoutes(app: App, { base, db }: IdserverContext): Promise<void> {
  const admin = surface(app, { access: base.auth.requireRole('admin'), tags: ['operators'] });

  // 10,000 entries of a My Number and a 紐付番号: about 620 KB.
  admin.serve(
    idserverApi.importLinkageNumbers,
    async (req): Promise<LinkageImportAnswer> => {
      const actor = `admin:${req.principal!.clientId}`;
      const plan = planLinkageImport(req.body.entries, (n) => base.cipher.blindIndex(n, MY_NUMBER_CONTEXT));
      const rounds = plan.rounds.map((round) => round.map(({ myNumber, ...e }) => ({ ...e, enc: base.cipher.encrypt(myNumber, myNumberAt(e.bidx)) })));

      const outcome = await inTransaction(db, async (trx) => {
        const stream = auditStream(actor);
        const common = { stream, actor, action: 'linkage-number.import', purpose: 'insurer-enrolment' };
        const audit: AuditEntry[] = [];
        const links: Array<{ linkageNumber: string; pmhId: string }> = [];
        const conflicts: LinkageImportAnswer['conflicts'] = [];
        let imported = 0;
        let unchanged = 0;
        for (const round of rounds) {
          const linked = await importLinkageNumbers(trx, round);
          const idOf = new Map(linked.map((p) => [p.bidx, p.id]));
          for (const p of linked) if (p.pmhId) links.push({ linkageNumber: p.linkageNumber, pmhId: p.pmhId });
          for (const c of round) if (idOf.has(c.bidx)) audit.push({ ...common, subjectRef: idOf.get(c.bidx)!, outcome: 'ok', detail: { index: c.index } });
          imported += linked.length;
          for (const c of await classifyLinkage(
            trx,
            round.filter((c) => !idOf.has(c.bidx)),
          )) {
            if (c.state === 'unchanged') unchanged += 1;
            else conflicts.push({ index: c.index, reason: c.state });
            audit.push({
              ...common,
              subjectRef: c.personId,
              outcome: c.state === 'unchanged' ? 'unchanged' : 'conflict',
              detail: c.state === 'unchanged' ? { index: c.index } : { index: c.index, reason: c.state },
            });
          }
        }
        for (const index of plan.duplicates) {
          conflicts.push({ index, reason: 'duplicate-in-batch' });
          audit.push({ ...common, subjectRef: null, outcome: 'conflict', detail: { index, reason: 'duplicate-in-batch' } });
        }
        for (const r of plan.rejected) audit.push({ ...common, subjectRef: null, outcome: 'rejected', detail: { index: r.index, reason: r.reason } });
        await queueOqsLinks(trx, links);
        await appendAudit(trx, audit);
        conflicts.sort((a, b) => a.index - b.index);
        return { imported, unchanged, linksQueued: links.length, conflicts };
      });
      if (outcome.linksQueued) base.wakeOutbox();
      return { ...outcome, rejected: plan.rejected };
    },
    { bodyLimit: 2 * 1024 * 1024 },
  );
}
