import { sql } from 'kysely';
import { Accepted, HubPmhIds, HubPortalLinks, HubPortalLinksAck, errorResponses } from '@pmh/protocol';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import type { ServiceBase } from '@pmh/core/service';
import { releaseLinked } from '../../federation/notifications.ts';

/** The hub's counterpart API (`/hub/v1`): what the ID server and the portal tell it. */
export async function counterpartRoutes(base: ServiceBase): Promise<void> {
  base.app.post(
    '/hub/v1/portal-links',
    {
      config: { access: base.auth.requireRole('portal') },
      // 1,000 links of two identifiers each: about 90 KB.
      bodyLimit: 256 * 1024,
      schema: {
        tags: ['counterparts'],
        summary: 'PMH pseudonym links from the portal (seed A③); each is acknowledged',
        description:
          'A link is `linked` when stored or already stored with the same pair, `conflict` when the PMH-ID or the PMH pseudonym is bound to another. The portal deletes the PMH-ID only after `linked`.',
        body: HubPortalLinks,
        response: { 200: HubPortalLinksAck, ...errorResponses },
      },
    },
    async (req) => {
      const links = req.body.links;
      const rows = JSON.stringify(links.map((l) => ({ pmh_id: l.pmhId, pmh_pseudonym: l.pmhPseudonym })));
      let released = false;
      const answer = await base.db.transaction().execute(async (trx) => {
        await sql`
          insert into pmh_links (pmh_id, pmh_pseudonym)
          select x.pmh_id, x.pmh_pseudonym from json_to_recordset(${rows}::json) as x(pmh_id text, pmh_pseudonym text)
          on conflict do nothing`.execute(trx);
        const stored = await sql<{ pmh_id: string; pmh_pseudonym: string }>`
          select l.pmh_id, l.pmh_pseudonym from pmh_links l
          join json_to_recordset(${rows}::json) as x(pmh_id text, pmh_pseudonym text) on l.pmh_id = x.pmh_id and l.pmh_pseudonym = x.pmh_pseudonym`.execute(
          trx,
        );
        const ok = new Set(stored.rows.map((r) => r.pmh_pseudonym));
        const results = links.map((l) => ({ pmhPseudonym: l.pmhPseudonym, status: ok.has(l.pmhPseudonym) ? ('linked' as const) : ('conflict' as const) }));
        // Notifications that waited for these persons' links go out now, with the links.
        released = await releaseLinked(
          trx,
          stored.rows.map((r) => r.pmh_id),
        );
        await appendAudit(
          trx,
          links.map((l, i) => ({
            stream: auditStream('portal', l.pmhId),
            actor: 'portal',
            action: 'portal-link.receive',
            subjectRef: l.pmhId,
            purpose: 'pseudonym-link',
            outcome: results[i].status === 'linked' ? 'ok' : 'conflict',
          })),
        );
        return { results };
      });
      if (released) base.wakeOutbox();
      return answer;
    },
  );

  base.app.post(
    '/hub/v1/pmh-ids',
    {
      config: { access: base.auth.requireRole('idserver') },
      // 1,000 results of a request id (up to 64 characters) and a PMH-ID: under 450 KB written out.
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['counterparts'],
        summary: 'PMH-IDs issued asynchronously by the ID server',
        body: HubPmhIds,
        response: { 200: Accepted, ...errorResponses },
      },
    },
    async (req) => {
      const rows = JSON.stringify(req.body.results.filter((r) => /^[0-9a-f-]{36}$/.test(r.requestId)).map((r) => ({ id: r.requestId, pmh_id: r.pmhId })));
      const { accepted, released } = await base.db.transaction().execute(async (trx) => {
        const { numAffectedRows } = await sql`
          update subjects s set pmh_id = x.pmh_id, pmh_id_status = 'issued', updated_at = now()
          from json_to_recordset(${rows}::json) as x(id uuid, pmh_id text)
          where s.id = x.id and (s.pmh_id is null or s.pmh_id = x.pmh_id)`.execute(trx);
        // A subject whose person was linked already (through another municipality) is linked now.
        return {
          accepted: Number(numAffectedRows ?? 0),
          released: await releaseLinked(
            trx,
            req.body.results.map((r) => r.pmhId),
          ),
        };
      });
      if (released) base.wakeOutbox();
      return { accepted };
    },
  );
}
