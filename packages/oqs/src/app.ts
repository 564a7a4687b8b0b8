import { buildService, type Service, type ServiceConfig } from '@pmh/core/service';
import { oqsOwnMigrations } from './migrations/index.ts';
import { insuredRoutes } from './routes/insured.ts';
import { pmhLinkRoutes } from './routes/pmh-links.ts';
import { PORTAL_PMH_LINK, portalLinkHandler } from './federation/portal-links.ts';
import { cardRoutes } from './routes/cards.ts';
import { eligibilityRoutes } from './routes/eligibility.ts';
import { HubKeys } from './federation/linkage-key.ts';
import { purgeChallenges } from './store/cards.ts';
import { PollingLoop } from '@pmh/core/polling';

export interface OqsConfig extends ServiceConfig {
  /** How long the hub's published encryption key is used before its JWKS is fetched again. */
  hubKeys?: { refreshMs?: number };
}

export { PORTAL_PMH_LINK } from './federation/portal-links.ts';
export { InsuredImportAnswer } from './routes/insured.ts';
export { IMPORT_CONFLICT_REASONS, type ImportConflictReason } from './domain/insured.ts';

/**
 * OQS (オンライン資格確認等システム): holds 紐付番号 ↔ 仮名識別子 ↔ PMH-ID and the My Number Cards of
 * the insured; takes PMH-ID links from the ID server and passes them on to the portal by pseudonym
 * (ARCHITECTURE.md §2, seed ②③); authenticates cards for clinics and the portal, and answers
 * clinics' eligibility checks through the hub with one-time linkage keys (seed A④).
 * Peers: `portal`, `hub` (out). Callers: `idserver`, `portal`, `clinic:<code>`, `admin`.
 */
export async function buildOqs(config: OqsConfig): Promise<Service> {
  return buildService(
    {
      name: 'oqs',
      description: 'OQS (オンライン資格確認等システム): insured people and their cards, PMH-ID links from the ID server, pseudonym links to the portal.',
      migrations: oqsOwnMigrations,
      async setup(base) {
        await insuredRoutes(base);
        await pmhLinkRoutes(base);
        await cardRoutes(base);
        const hubUrl = config.peers?.hub;
        if (hubUrl) await eligibilityRoutes(base, new HubKeys(hubUrl, config.hubKeys?.refreshMs));
        const purge = new PollingLoop(() => purgeChallenges(base.db), { name: 'challenge purge', log: base.log, pollMs: 30_000, health: base.database.health });
        return { handlers: { [PORTAL_PMH_LINK]: portalLinkHandler(base) }, workers: [purge] };
      },
    },
    config,
  );
}
