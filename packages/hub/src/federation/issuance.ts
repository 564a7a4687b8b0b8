import { sql } from 'kysely';
import type { OutboxHandler, ItemOutcome } from '@pmh/core/outbox/index';
import { deliverBatch, type ServiceBase } from '@pmh/core/service';
import type { IssueResponse } from '@pmh/protocol';
import { MY_NUMBER_CONTEXT } from '../store/medical-subsidy.ts';

/** Outbox kind: ask the ID server for a subject's PMH-ID (seed A②). */
export const ISSUE_PMH_ID = 'idserver-issue';

interface IssuePayload {
  subjectId: string;
}

/**
 * The hub's side of PMH-ID issuance. The outbox message names only the subject; its My Number is
 * read and decrypted at sending time, so the queue never holds one. The ID server answers each
 * request with the PMH-ID (the same for the same person), which the hub stores on the subject.
 */
export function issuanceHandler(base: ServiceBase): OutboxHandler<IssuePayload, IssueResponse> {
  return {
    batchSize: 1000,
    async send(messages) {
      const ids = messages.map((m) => m.payload.subjectId);
      const { rows } = await sql<{ id: string; my_number_enc: string }>`
        select id, my_number_enc from subjects where id = any(${ids}::uuid[])`.execute(base.db);
      const enc = new Map(rows.map((r) => [r.id, r.my_number_enc]));
      const requests = ids.filter((id) => enc.has(id)).map((id) => ({ requestId: id, myNumber: base.cipher.decrypt(enc.get(id)!, MY_NUMBER_CONTEXT) }));
      const answer = requests.length ? await deliverBatch<IssueResponse>(base.peer('idserver'), '/idserver/v1/pmh-ids/issue', { requests }, messages.length) : { ok: true as const, body: { results: [] } };
      if (!answer.ok) return { result: { results: [] }, items: answer.items };
      const byId = new Map(answer.body.results.map((r) => [r.requestId, r]));
      const failed: string[] = [];
      const items: ItemOutcome[] = ids.map((id) => {
        const r = byId.get(id);
        if (r && 'pmhId' in r) return { ok: true };
        failed.push(id);
        return { ok: false, permanent: true, error: r && 'error' in r ? `the ID server refused: ${r.error.code}` : 'no answer for this subject' };
      });
      if (failed.length) await sql`update subjects set pmh_id_status = 'failed' where id = any(${failed}::uuid[])`.execute(base.db);
      return { result: answer.body, items };
    },
    async onDelivered(trx, delivered, result) {
      const issued = result.results.filter((r): r is { requestId: string; pmhId: string } => 'pmhId' in r);
      if (!issued.length) return;
      await sql`
        update subjects s set pmh_id = x.pmh_id, pmh_id_status = 'issued', updated_at = now()
        from json_to_recordset(${JSON.stringify(issued.map((r) => ({ id: r.requestId, pmh_id: r.pmhId })))}::json) as x(id uuid, pmh_id text)
        where s.id = x.id`.execute(trx);
    },
  };
}
