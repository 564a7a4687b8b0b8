import { buildService, type Service, type ServiceConfig } from '@pmh/core/service';
import type { IdserverContext } from './context.ts';
import { idserverOwnMigrations } from './migrations/index.ts';
import { rowBoundCiphertexts } from './migrations/row-bound-ciphertexts.ts';
import { hubRoutes } from './routes/hub/index.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { OQS_PMH_LINK, oqsLinkHandler } from './federation/oqs-links.ts';
import type { Db } from './store/schema.ts';

export { OQS_PMH_LINK } from './federation/oqs-links.ts';

/**
 * The ID server (医療保険者等向け中間サーバー): holds My Number ↔ 紐付番号 (insurers' enrolments) and
 * My Number → PMH-ID; issues PMH-IDs to the hub and tells OQS which PMH-ID belongs to which
 * 紐付番号 (seed ②). Peers: `oqs` (out). Callers: `hub`, `admin`.
 */
export async function buildIdServer(config: ServiceConfig): Promise<Service> {
  return buildService(
    {
      name: 'idserver',
      description: 'ID server (医療保険者等向け中間サーバー): PMH-ID issuance for the hub, 紐付番号 import, PMH-ID links to OQS.',
      migrations: idserverOwnMigrations,
      dataMigrations: [rowBoundCiphertexts],
      async setup(base) {
        const context: IdserverContext = { base, db: base.db as Db };
        // One plugin per surface: each admits its own callers at its door.
        await base.app.register(hubRoutes, context);
        await base.app.register(adminRoutes, context);
        return { handlers: { [OQS_PMH_LINK]: oqsLinkHandler(context) } };
      },
    },
    config,
  );
}
