import type { Logger } from 'pino';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { OutboxHandler, ItemOutcome } from '@pmh/core/outbox/index';
import { deliver, type PeerClient } from '@pmh/core/service';
import { idserverApi, type IssueResponse } from '@pmh/protocol';
import { MY_NUMBER_CONTEXT, myNumberAt } from '../store/medical-subsidy.ts';
import type { SystemStore } from '../store/index.ts';

/** Outbox kind: ask the ID server for a subject's PMH-ID (seed A②). */
export const ISSUE_PMH_ID = 'idserver-issue';

interface IssuePayload {
  subjectId: string;
}

/** The error a message is parked with when its subject's sealed My Number fails a check. Names nothing. */
export const INTEGRITY_ERROR = "the subject's sealed My Number failed its integrity check (operator action needed)";

/**
 * The hub's side of PMH-ID issuance. The outbox message names only the subject; its My Number is
 * read and decrypted at sending time, so the queue never holds one. The ID server answers each
 * request with the PMH-ID (the same for the same person), which the hub stores on the subject.
 *
 * Before a My Number leaves, it must be the subject's own: its ciphertext must open as this
 * subject's (the row is bound in its associated data, so one copied from another subject's row
 * does not), and the number must match the subject's blind index (the index every look-up and
 * re-registration went by). A subject failing either is not sent: its message is parked, the
 * subject marked `failed`, and the refusal logged by subject id, never with the number.
 */
export function issuanceHandler(deps: {
  system: SystemStore;
  cipher: FieldCipher;
  idserver: () => PeerClient;
  log: Logger;
}): OutboxHandler<IssuePayload, IssueResponse> {
  const { system, cipher } = deps;
  const log = deps.log.child({ component: 'issuance' });
  return {
    batchSize: 1000,
    async send(messages) {
      const ids = messages.map((m) => m.payload.subjectId);
      const rows = await system.autocommit.sealedMyNumbers(ids);
      const refused = new Map<string, string>();
      const requests: Array<{ requestId: string; myNumber: string }> = [];
      for (const r of rows) {
        let myNumber: string;
        try {
          myNumber = cipher.decrypt(r.myNumberEnc, myNumberAt(r.id));
        } catch {
          refused.set(r.id, "does not open as this subject's");
          continue;
        }
        if (cipher.blindIndex(myNumber, MY_NUMBER_CONTEXT) !== r.myNumberBidx) {
          refused.set(r.id, "does not match the subject's blind index");
          continue;
        }
        requests.push({ requestId: r.id, myNumber });
      }
      if (refused.size) {
        for (const [subjectId, reason] of refused)
          log.error({ subjectId, reason }, `issuance refused: the sealed My Number ${reason}; not sent, message parked`);
        await system.autocommit.markIssuanceFailed([...refused.keys()]);
      }
      const answer = requests.length
        ? await deliver(deps.idserver(), idserverApi.issuePmhIds, { body: { requests } }, requests.length)
        : { ok: true as const, body: { results: [] } };
      if (!answer.ok) {
        const refusedBatch = answer.items[0];
        return { result: { results: [] }, items: ids.map((id) => (refused.has(id) ? { ok: false, permanent: true, error: INTEGRITY_ERROR } : refusedBatch)) };
      }
      const byId = new Map(answer.body.results.map((r) => [r.requestId, r]));
      const failed: string[] = [];
      const items: ItemOutcome[] = ids.map((id) => {
        if (refused.has(id)) return { ok: false, permanent: true, error: INTEGRITY_ERROR };
        const r = byId.get(id);
        if (r && 'pmhId' in r) return { ok: true };
        failed.push(id);
        return { ok: false, permanent: true, error: r && 'error' in r ? `the ID server refused: ${r.error.code}` : 'no answer for this subject' };
      });
      if (failed.length) await system.autocommit.markIssuanceFailed(failed);
      return { result: answer.body, items };
    },
    async onDelivered(trx, _delivered, result) {
      const issued = result.results.filter((r): r is { requestId: string; pmhId: string } => 'pmhId' in r);
      await system.within(trx).setPmhIds(issued.map((r) => ({ subjectId: r.requestId, pmhId: r.pmhId })));
    },
  };
}
