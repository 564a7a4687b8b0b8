import { Type, type Static } from 'typebox';
import { LinkageImport, LinkageImportResult, errorResponses } from '@pmh/protocol';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { isValidMyNumber } from '@pmh/core/text/checkdigits';
import type { ServiceBase } from '@pmh/core/service';
import { MY_NUMBER_CONTEXT, myNumberAt, classifyLinkage, importLinkageNumbers, inTransaction, type LinkageCandidate } from '../store/persons.ts';
import { queueOqsLinks } from '../federation/oqs-links.ts';

export const CONFLICT_REASONS = ['linkage-number-differs', 'linkage-number-taken', 'duplicate-in-batch'] as const;
export type ConflictReason = (typeof CONFLICT_REASONS)[number];

/** Entries naming a person or a 紐付番号 more often than this in one batch are not applied. */
export const MAX_ROUNDS = 16;

/**
 * The answer to an import: `LinkageImportResult` (imported, unchanged, linksQueued) plus, by entry
 * index, the entries not applied. It names entries by position only, never by My Number.
 */
export const LinkageImportAnswer = Type.Object({
  ...LinkageImportResult.properties,
  conflicts: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'position of the entry in `entries`' }),
      reason: Type.Enum([...CONFLICT_REASONS], {
        description:
          '`linkage-number-differs`: this person already holds another 紐付番号 (stored, or from an earlier entry); ' +
          '`linkage-number-taken`: another person holds this 紐付番号; `duplicate-in-batch`: the batch names this ' +
          `person or this 紐付番号 more than ${MAX_ROUNDS} times.`,
      }),
    }),
    { description: 'Entries that contradict what is stored (or an earlier entry); nothing of them was applied.' },
  ),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.Enum(['invalid-my-number']) }), {
    description: 'Entries refused as given: the My Number fails its check digit.',
  }),
});
export type LinkageImportAnswer = Static<typeof LinkageImportAnswer>;

/** `POST /idserver/v1/linkage-numbers` (role admin): insurers' enrolments, My Number ↔ 紐付番号. */
export async function linkageRoutes(base: ServiceBase): Promise<void> {
  base.app.post(
    '/idserver/v1/linkage-numbers',
    {
      config: { access: base.auth.requireRole('admin') },
      // 10,000 entries of a My Number and a 紐付番号: about 620 KB.
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['operators'],
        summary: "Import 紐付番号 (linkage numbers) from insurers' enrolments, up to 10,000 per call",
        description:
          'Entries apply as if one by one, in order. Each is `imported` (the person is new, or had no 紐付番号), ' +
          '`unchanged` (already held), a conflict, or rejected. A 紐付番号 once set is never replaced. A person who already holds a PMH-ID and gets a 紐付番号 now ' +
          'is linked at OQS (`linksQueued`). Every entry is accounted for: imported + unchanged + conflicts + rejected = entries.',
        body: LinkageImport,
        response: { 200: LinkageImportAnswer, ...errorResponses },
      },
    },
    async (req): Promise<LinkageImportAnswer> => {
      const entries = req.body.entries;
      const actor = `admin:${req.principal!.clientId}`;
      const rejected: LinkageImportAnswer['rejected'] = [];
      const duplicates: number[] = [];
      // Entries apply as if one by one, in order. An entry goes in the round after the last earlier
      // entry naming the same person or the same 紐付番号; entries of one round share neither, so
      // each round is one set-based statement. Real files need one round, a repeated row two.
      const rounds: Array<Array<LinkageCandidate & { index: number }>> = [];
      const roundOfPerson = new Map<string, number>();
      const roundOfNumber = new Map<string, number>();
      entries.forEach((e, index) => {
        if (!isValidMyNumber(e.myNumber)) {
          rejected.push({ index, reason: 'invalid-my-number' });
          return;
        }
        const bidx = base.cipher.blindIndex(e.myNumber, MY_NUMBER_CONTEXT);
        const round = Math.max(roundOfPerson.get(bidx) ?? -1, roundOfNumber.get(e.linkageNumber) ?? -1) + 1;
        if (round >= MAX_ROUNDS) {
          duplicates.push(index);
          return;
        }
        roundOfPerson.set(bidx, round);
        roundOfNumber.set(e.linkageNumber, round);
        (rounds[round] ??= []).push({ index, bidx, enc: base.cipher.encrypt(e.myNumber, myNumberAt(bidx)), linkageNumber: e.linkageNumber });
      });

      const outcome = await inTransaction(base.db, async (trx) => {
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
        for (const index of duplicates) {
          conflicts.push({ index, reason: 'duplicate-in-batch' });
          audit.push({ ...common, subjectRef: null, outcome: 'conflict', detail: { index, reason: 'duplicate-in-batch' } });
        }
        for (const r of rejected) audit.push({ ...common, subjectRef: null, outcome: 'rejected', detail: { index: r.index, reason: r.reason } });
        await queueOqsLinks(trx, links);
        await appendAudit(trx, audit);
        conflicts.sort((a, b) => a.index - b.index);
        return { imported, unchanged, linksQueued: links.length, conflicts };
      });
      if (outcome.linksQueued) base.wakeOutbox();
      return { ...outcome, rejected };
    },
  );
}
