import { hubApi } from '@pmh/protocol';
import { auditStream } from '@pmh/core/audit/index';
import type { Surface } from '@pmh/core/http/serve';
import { releaseLinked } from '../../federation/notifications.ts';
import { callersOf, type HubRouteOptions } from '../options.ts';

/** Identifier links (seed A②③): PMH-IDs from the ID server, PMH pseudonyms from the portal. */
export function linkRoutes(s: Surface, opts: HubRouteOptions): void {
  const e = hubApi.counterpart;

  s.serve(
    e.receivePortalLinks,
    async (req) => {
      const links = req.body.links;
      const { results, released } = await opts.store.system.transaction(async (sys) => {
        const stored = await sys.storePortalLinks(links);
        const ok = new Set(stored.map((l) => l.pmhPseudonym));
        const results = links.map((l) => ({ pmhPseudonym: l.pmhPseudonym, status: ok.has(l.pmhPseudonym) ? ('linked' as const) : ('conflict' as const) }));
        // Notifications that waited for these persons' links go out now, with the links.
        const released = await releaseLinked(
          sys,
          stored.map((l) => l.pmhId),
        );
        await sys.audit(
          links.map((l, i) => ({
            stream: auditStream('portal', l.pmhId),
            actor: 'portal',
            action: 'portal-link.receive',
            subjectRef: l.pmhId,
            purpose: 'pseudonym-link',
            outcome: results[i].status === 'linked' ? 'ok' : 'conflict',
          })),
        );
        return { results, released };
      });
      if (released) opts.wakeOutbox();
      return { results };
    },
    // 1,000 links of two identifiers each: about 90 KB.
    { ...callersOf(opts.auth, e.receivePortalLinks), bodyLimit: 256 * 1024 },
  );

  s.serve(
    e.receivePmhIds,
    async (req) => {
      // Only requests the hub made carry its subjects' ids (UUIDs); anything else names no subject.
      const issued = req.body.results.filter((r) => /^[0-9a-f-]{36}$/.test(r.requestId)).map((r) => ({ subjectId: r.requestId, pmhId: r.pmhId }));
      const { accepted, released } = await opts.store.system.transaction(async (sys) => ({
        accepted: await sys.setPmhIds(issued),
        // A subject whose person was linked already (through another municipality) is linked now.
        released: await releaseLinked(
          sys,
          req.body.results.map((r) => r.pmhId),
        ),
      }));
      if (released) opts.wakeOutbox();
      return { accepted };
    },
    // 1,000 results of a request id (up to 64 characters) and a PMH-ID: under 450 KB written out.
    { ...callersOf(opts.auth, e.receivePmhIds), bodyLimit: 512 * 1024 },
  );
}
