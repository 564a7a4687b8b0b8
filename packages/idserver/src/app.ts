import { buildService, type Service, type ServiceConfig } from '@pmh/core/service';
import { idserverOwnMigrations } from './migrations/index.ts';
import { rowBoundCiphertexts } from './migrations/row-bound-ciphertexts.ts';
import { issueRoutes } from './routes/issue.ts';
import { linkageRoutes } from './routes/linkage.ts';
import { OQS_PMH_LINK, oqsLinkHandler } from './federation/oqs-links.ts';

export { OQS_PMH_LINK } from './federation/oqs-links.ts';
export { LinkageImportAnswer } from './routes/linkage.ts';

/**
 * The ID server (医療保険者等向け中間サーバー): holds My Number ↔ 紐付番号 (insurers' enrolments) and
 * My Number → PMH-ID; issues PMH-IDs to the hub and tells OQS which PMH-ID belongs to which
 * 紐付番号 (ARCHITECTURE.md §2, seed ②). Peers: `oqs` (out). Callers: `hub`, `admin`.
 */
export async function buildIdServer(config: ServiceConfig): Promise<Service> {
  return buildService(
    {
      name: 'idserver',
      description: 'ID server (医療保険者等向け中間サーバー): PMH-ID issuance for the hub, 紐付番号 import, PMH-ID links to OQS.',
      migrations: idserverOwnMigrations,
      dataMigrations: [rowBoundCiphertexts],
      async setup(base) {
        await issueRoutes(base);
        await linkageRoutes(base);
        return { handlers: { [OQS_PMH_LINK]: oqsLinkHandler(base) } };
      },
    },
    config,
  );
}
