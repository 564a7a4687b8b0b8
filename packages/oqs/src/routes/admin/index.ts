import { Type, type Static } from 'typebox';
import { Accepted, InsuredImport, errorResponses } from '@pmh/protocol';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { enqueue } from '@pmh/core/outbox/index';
import { ProblemError } from '@pmh/core/http/problem';
import type { ServiceBase } from '@pmh/core/service';
import { IMPORT_CONFLICT_REASONS, invalidCardKeys, planImport } from '../domain/insured.ts';
import { RaceLost, inTransaction, insertCards, lockCards, lockInsured, setPseudonyms } from '../store/insured.ts';
import { portalLinkItems } from '../federation/portal-links.ts';

/**
 * The answer to an import: `Accepted` plus how many portal links it queued and, by entry index,
 * the entries not applied. Entries are named by position only, never by an identifier.
 */
export const InsuredImportAnswer = Type.Object({
  accepted: Accepted.properties.accepted,
  linksQueued: Type.Integer({ description: 'people who already had a PMH-ID and got their pseudonym now: their link to the portal is queued' }),
  conflicts: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'position of the entry in `entries`' }),
      reason: Type.Enum([...IMPORT_CONFLICT_REASONS], {
        description:
          '`pseudonym-differs`: this linkage number already has another pseudonym; `pseudonym-taken`: another linkage number ' +
          'has this pseudonym; `card-taken`: a card serial belongs to another linkage number; `card-key-differs`: a card ' +
          'serial is stored (or named earlier) with another public key.',
      }),
    }),
    { description: 'Entries that contradict what is stored or an earlier entry of the batch; nothing of them was applied.' },
  ),
});
export type InsuredImportAnswer = Static<typeof InsuredImportAnswer>;

/** `POST /oqs/v1/insured` (role admin): who is insured, their portal pseudonym and their cards. */
export async function insuredRoutes(base: ServiceBase): Promise<void> {
  base.app.post(
    '/oqs/v1/insured',
    {
      config: { access: base.auth.requireRole('admin') },
      // 10,000 entries of up to five cards each: about 9 MB at most.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['operators'],
        summary: 'Import insured people: 紐付番号, 仮名識別子 and My Number Cards, up to 10,000 per call',
        description:
          'Entries apply as if one by one, in order, each whole or not at all. A new linkage number is stored with its ' +
          'pseudonym; a known one without a pseudonym gets it; cards not yet stored are added (only the public key ' +
          '{kty, crv, x, y} is kept). A pseudonym or card once bound is never rebound: an entry contradicting what is ' +
          'stored is reported in `conflicts`. A person whose PMH-ID the ID server linked before their pseudonym arrived ' +
          'is linked at the portal now (`linksQueued`). `accepted` counts the entries applied or already held.',
        body: InsuredImport,
        response: { 200: InsuredImportAnswer, ...errorResponses },
      },
    },
    async (req): Promise<InsuredImportAnswer> => {
      const entries = req.body.entries;
      const badKeys = invalidCardKeys(entries);
      if (badKeys.length) {
        throw new ProblemError(400, 'validation', 'A card public key is not a point on P-256.', {
          errors: badKeys.map((pointer) => ({ pointer, message: 'is not a valid P-256 public key' })),
        });
      }
      const actor = `admin:${req.principal!.clientId}`;
      const outcome = await inTransaction(base.db, async (trx) => {
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
  );
}
