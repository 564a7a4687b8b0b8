import { buildService, type Service } from '@pmh/core/service';
import { servePages, webDist } from '@pmh/core/http/pages';
import { portalOwnMigrations } from './migrations/index.ts';
import { sealHeldPmhIds } from './migrations/seal-held-pmh-ids.ts';
import { HELD_PMH_ID } from './store/accounts.ts';
import { pmhLinkRoutes } from './routes/pmh-links.ts';
import { HUB_PORTAL_LINK, hubLinkHandler } from './federation/hub-links.ts';
import type { PortalConfig } from './config.ts';
import { sessionRoutes, sessionPurge } from './routes/session.ts';
import { meRoutes } from './routes/me.ts';
import { notificationRoutes } from './routes/notifications.ts';

export type { PortalConfig } from './config.ts';

/**
 * The portal (マイナポータル): residents' accounts keyed by their 仮名識別子, with the PMH pseudonym
 * (PMH仮名識別子) it makes for each. For now its part in the identifier federation (ARCHITECTURE.md
 * §2, seed ③): it takes PMH-ID links from OQS, makes the PMH pseudonym, tells the hub the pair, and
 * forgets the PMH-ID once the hub acknowledges it. Peers: `hub` (out). Callers: `oqs`, `admin`.
 */
export async function buildPortal(config: PortalConfig): Promise<Service> {
  return buildService(
    {
      name: 'portal',
      description: 'マイナポータル: resident accounts by 仮名識別子, PMH pseudonyms, PMH-ID links from OQS passed on to the hub.',
      migrations: portalOwnMigrations,
      dataMigrations: [sealHeldPmhIds],
      async setup(base) {
        await pmhLinkRoutes(base);
        await sessionRoutes(base);
        await meRoutes(base);
        await notificationRoutes(base);
        await servePages(base.app, { root: webDist('portal') }); // the resident pages at /
        return { handlers: { [HUB_PORTAL_LINK]: hubLinkHandler(base) }, workers: [sessionPurge(base)], sealedColumns: [HELD_PMH_ID] };
      },
    },
    config,
  );
}
