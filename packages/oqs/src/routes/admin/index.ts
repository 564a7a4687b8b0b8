import { oqsApi, type InsuredImportAnswer } from '@pmh/protocol';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { enqueue } from '@pmh/core/outbox/index';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { OqsContext } from '../../context.ts';
import { invalidCardKeys, planImport } from '../../domain/insured.ts';
import { RaceLost, inTransaction, insertCards, lockCards, lockInsured, setPseudonyms } from '../../store/insured.ts';
import { portalLinkItems } from '../../federation/portal-links.ts';

/** What an operator calls (role admin): `POST /oqs/v1/insured`, who is insured, their portal pseudonym and their cards. */
export async function adminRoutes(app: App, { base, db }: OqsContext): Promise<void> {
  const admin = surface(app, { access: base.auth.requireRole('admin'), tags: ['operators'] });

  // 10,000 entries of up to five cards each: about 9 MB at most.
  admin.serve(
    oqsApi.importInsured,
    async (req): Promise<InsuredImportAnswer> => {
      const entries = req.body.entries;
      const badKeys = invalidCardKeys(entries);
      if (badKeys.length) {
        throw new ProblemError(400, 'validation', 'A card public key is not a point on P-256.', {
          errors: badKeys.map((pointer) => ({ pointer, message: 'is not a valid P-256 public key' })),
        });
      }
      const actor = `admin:${req.principal!.clientId}`;
      const outcome = await inTransaction(db, async (trx) => {
        const stored = {
          insured: await lockInsured(trx, [...new Set(entries.map((e) => e.linkageNumber))], [...new Set(entries.map((e) => e.pseudonym))]),
          cards: await lockCards(trx, [...new Set(entries.flatMap((e) => e.cards.map((c) => c.cardSerial)))]),
        };
        const plan = planImport(entries, stored);
        const written = await setPseudonyms(trx, plan.insured);
        if (written.length !== plan.insured.length) throw new RaceLost();
        if ((await insertCards(trx, plan.cards)) !== plan.cards.length) throw new RaceLost();
        const links = written.filter((p) => p.pmhId !== null).map((p) => ({ pseudonym: p.pseudonym, pmhId: p.pmhId! }));
        await enqueue(trx, portalLinkItems(links));

        const refOf = new Map([...stored.insured, ...written].map((p) => [p.linkageNumber, p.id]));
        const common = { stream: auditStream(actor), actor, action: 'insured.import', purpose: 'insurer-enrolment' };
        const audit: AuditEntry[] = plan.decisions.map((d) => ({
          ...common,
          subjectRef: refOf.get(entries[d.index].linkageNumber) ?? null,
          outcome: d.outcome === 'conflict' ? 'conflict' : d.changed ? 'ok' : 'unchanged',
          detail: d.outcome === 'conflict' ? { index: d.index, reason: d.reason } : { index: d.index, cards: entries[d.index].cards.length },
        }));
        await appendAudit(trx, audit);
        const conflicts = plan.decisions.flatMap((d) => (d.outcome === 'conflict' ? [{ index: d.index, reason: d.reason }] : []));
        return { accepted: entries.length - conflicts.length, linksQueued: links.length, conflicts };
      });
      if (outcome.linksQueued) base.wakeOutbox();
      return outcome;
    },
    { bodyLimit: 16 * 1024 * 1024 },
  );
}
