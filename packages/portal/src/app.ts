import { buildService, type Service } from '@pmh/core/service';
import { servePages, webDist } from '@pmh/core/http/pages';
import { PollingLoop } from '@pmh/core/polling';
import { sessionLifetimes, type PortalConfig } from './config.ts';
import type { PortalContext } from './context.ts';
import { portalOwnMigrations } from './migrations/index.ts';
import { sealHeldPmhIds } from './migrations/seal-held-pmh-ids.ts';
import { HELD_PMH_ID } from './store/accounts.ts';
import { purgeExpired } from './store/sessions.ts';
import type { Db } from './store/schema.ts';
import { HUB_PORTAL_LINK, hubLinkHandler } from './federation/hub-links.ts';
import { oqsRoutes } from './routes/oqs/index.ts';
import { hubRoutes } from './routes/hub/index.ts';
import { publicRoutes } from './routes/public/index.ts';
import { sessionRoutes } from './routes/sessions/index.ts';
import { residentRoutes } from './routes/residents/index.ts';
import { clinicRoutes } from './routes/clinics/index.ts';
import { purgeExpiredConsents } from './store/consents.ts';

export type { PortalConfig } from './config.ts';

/**
 * The portal (マイナポータル): residents' accounts keyed by their 仮名識別子, with the PMH pseudonym
 * (PMH仮名識別子) it makes for each. In the identifier federation (seed ③) it takes PMH-ID links from
 * OQS, makes the PMH pseudonym, tells the hub the pair, and forgets the PMH-ID once the hub
 * acknowledges it; residents log in with their card (OQS vouches for it) and read what PMH holds
 * about them and their notifications; clinics (role `clinic:<code>`) read and write a person's
 * vaccination data through the portal with the person's consent (card and scopes, for minutes).
 * Peers: `hub`, `oqs` (out). Callers: `oqs`, `hub`, `admin`, clinics, residents' pages.
 */
export async function buildPortal(config: PortalConfig): Promise<Service> {
  return buildService(
    {
      name: 'portal',
      description: 'マイナポータル: resident accounts by 仮名識別子, PMH pseudonyms, PMH-ID links from OQS passed on to the hub.',
      migrations: portalOwnMigrations,
      dataMigrations: [sealHeldPmhIds],
      async setup(base) {
        const context: PortalContext = { base, db: base.db as Db, config };
        base.app.decorateRequest('resident', undefined);
        // One plugin per surface: each admits its own callers at its door.
        await base.app.register(oqsRoutes, context);
        await base.app.register(hubRoutes, context);
        await base.app.register(publicRoutes, context);
        await base.app.register(sessionRoutes, context);
        await base.app.register(residentRoutes, context);
        await base.app.register(clinicRoutes, context);
        await servePages(base.app, { root: webDist('portal') }); // the resident pages at /
        const { idleMs } = sessionLifetimes(config);
        const sessionPurge = new PollingLoop(() => purgeExpired(context.db, idleMs), {
          name: 'session purge',
          log: base.log,
          pollMs: 60_000,
          health: base.database.health,
        });
        const consentPurge = new PollingLoop(() => purgeExpiredConsents(context.db), {
          name: 'consent purge',
          log: base.log,
          pollMs: 60_000,
          health: base.database.health,
        });
        return { handlers: { [HUB_PORTAL_LINK]: hubLinkHandler(context) }, workers: [sessionPurge, consentPurge], sealedColumns: [HELD_PMH_ID] };
      },
    },
    config,
  );
}
