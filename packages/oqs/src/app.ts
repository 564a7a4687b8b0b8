import { buildService, type Service, type ServiceConfig } from '@pmh/core/service';
import { oqsOwnMigrations } from './migrations/index.ts';
import { insuredRoutes } from './routes/insured.ts';
import { pmhLinkRoutes } from './routes/pmh-links.ts';
import { PORTAL_PMH_LINK, portalLinkHandler } from './federation/portal-links.ts';

export { PORTAL_PMH_LINK } from './federation/portal-links.ts';
export { InsuredImportAnswer } from './routes/insured.ts';
export { IMPORT_CONFLICT_REASONS, type ImportConflictReason } from './domain/insured.ts';

/**
 * OQS (オンライン資格確認等システム): holds 紐付番号 ↔ 仮名識別子 ↔ PMH-ID and the My Number Cards of
 * the insured; takes PMH-ID links from the ID server and passes them on to the portal by pseudonym
 * (ARCHITECTURE.md §2, seed ②③). Card challenges and eligibility checks for clinics come later and
 * read the same tables. Peers: `portal` (out). Callers: `idserver`, `admin`.
 */
export async function buildOqs(config: ServiceConfig): Promise<Service> {
  return buildService(
    {
      name: 'oqs',
      description: 'OQS (オンライン資格確認等システム): insured people and their cards, PMH-ID links from the ID server, pseudonym links to the portal.',
      migrations: oqsOwnMigrations,
      async setup(base) {
        await insuredRoutes(base);
        await pmhLinkRoutes(base);
        return { handlers: { [PORTAL_PMH_LINK]: portalLinkHandler(base) } };
      },
    },
    config,
  );
}
