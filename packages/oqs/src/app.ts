import { buildService, type Service, type ServiceConfig } from '@pmh/core/service';
import { PollingLoop } from '@pmh/core/polling';
import type { OqsContext } from './context.ts';
import { oqsOwnMigrations } from './migrations/index.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { idserverRoutes } from './routes/idserver/index.ts';
import { cardReaderRoutes } from './routes/card-readers/index.ts';
import { portalRoutes } from './routes/portal/index.ts';
import { clinicRoutes } from './routes/clinics/index.ts';
import { PORTAL_PMH_LINK, portalLinkHandler } from './federation/portal-links.ts';
import { HubKeys } from './federation/linkage-key.ts';
import { purgeChallenges } from './store/cards.ts';
import type { Db } from './store/schema.ts';

export interface OqsConfig extends ServiceConfig {
  /** How long the hub's published encryption key is used before its JWKS is fetched again. */
  hubKeys?: { refreshMs?: number };
}

export { PORTAL_PMH_LINK } from './federation/portal-links.ts';

/**
 * OQS (オンライン資格確認等システム): holds 紐付番号 ↔ 仮名識別子 ↔ PMH-ID and the My Number Cards of
 * the insured; takes PMH-ID links from the ID server and passes them on to the portal by pseudonym
 * (seed ②③); authenticates cards for clinics and the portal, and answers clinics' eligibility
 * checks through the hub with one-time linkage keys (seed A④).
 * Peers: `portal`, `hub` (out). Callers: `idserver`, `portal`, `clinic:<code>`, `admin`.
 */
export async function buildOqs(config: OqsConfig): Promise<Service> {
  return buildService(
    {
      name: 'oqs',
      description: 'OQS (オンライン資格確認等システム): insured people and their cards, PMH-ID links from the ID server, pseudonym links to the portal.',
      migrations: oqsOwnMigrations,
      async setup(base) {
        const hubUrl = config.peers?.hub;
        const context: OqsContext = { base, db: base.db as Db, hubKeys: hubUrl ? new HubKeys(hubUrl, config.hubKeys?.refreshMs) : undefined };
        // One plugin per surface: each admits its own callers at its door.
        await base.app.register(adminRoutes, context);
        await base.app.register(idserverRoutes, context);
        await base.app.register(cardReaderRoutes, context);
        await base.app.register(portalRoutes, context);
        await base.app.register(clinicRoutes, context);
        const purge = new PollingLoop(() => purgeChallenges(context.db), {
          name: 'challenge purge',
          log: base.log,
          pollMs: 30_000,
          health: base.database.health,
        });
        return { handlers: { [PORTAL_PMH_LINK]: portalLinkHandler(context) }, workers: [purge] };
      },
    },
    config,
  );
}
