import { buildService, type Service, type ServiceConfig } from '@pmh/core/service';
import type { App } from '@pmh/core/http/app';
import type { Database } from '@pmh/core/db/index';
import { hubOwnMigrations } from './migrations/index.ts';
import { rowBoundCiphertexts } from './migrations/row-bound-ciphertexts.ts';
import { TaskWorker } from './worker/task-worker.ts';
import { municipalRoutes } from './routes/municipal/index.ts';
import type { HubContext } from './context.ts';
import { counterpartRoutes } from './routes/counterpart/index.ts';
import { ISSUE_PMH_ID, issuanceHandler } from './federation/issuance.ts';
import { NotificationRelease, PORTAL_NOTIFICATION, notificationHandler, releasingOnIssue } from './federation/notifications.ts';
import { notificationRoutes } from './routes/municipal/notifications.ts';
import { KeyRing } from './federation/key-ring.ts';
import { eligibilityRoutes } from './routes/counterpart/eligibility.ts';
import { purgeLinkageKeyUses } from './store/encryption-keys.ts';
import { PollingLoop } from '@pmh/core/polling';
import { residentRoutes } from './routes/residents/index.ts';
import { vaccinationCatalogueRoutes } from './routes/vaccination/catalogue.ts';

export interface HubConfig extends ServiceConfig {
  worker?: { enabled?: boolean; concurrency?: number; pollMs?: number };
}

export interface Hub {
  app: App;
  database: Database;
  context: HubContext;
  service: Service;
  /** Stops the workers (finishing their batch), the HTTP server and the database, in that order. */
  close(): Promise<void>;
}

export async function buildHub(config: HubConfig): Promise<Hub> {
  let context!: HubContext;
  const service = await buildService(
    {
      name: 'hub',
      description: 'Public Medical Hub: the municipal API and the counterpart API.',
      migrations: hubOwnMigrations,
      dataMigrations: [rowBoundCiphertexts],
      async setup(base) {
        const worker = new TaskWorker(base.db, base.cipher, base.log.child({ component: 'task-worker' }), {
          concurrency: config.worker?.concurrency ?? (base.database.kind === 'pglite' ? 1 : 2),
          pollMs: config.worker?.pollMs,
          health: base.database.health,
        });
        context = { db: base.db, cipher: base.cipher, clients: base.clients, worker, log: base.log, base };
        worker.onEnqueued = () => base.wakeOutbox();
        await municipalRoutes(base.app, context, base.auth);
        await counterpartRoutes(base);
        const release = new NotificationRelease(base.db, base.log.child({ component: 'notification-release' }), () => base.wakeOutbox(), {
          pollMs: config.worker?.pollMs,
          health: base.database.health,
        });
        await notificationRoutes(base.app, base.db, base.auth, release);
        await residentRoutes(base);
        await vaccinationCatalogueRoutes(base);
        const ring = new KeyRing(base.db, base.cipher, base.log.child({ component: 'key-ring' }));
        await eligibilityRoutes(base, ring);
        const replayPurge = new PollingLoop(() => purgeLinkageKeyUses(base.db), {
          name: 'linkage-key purge',
          log: base.log,
          pollMs: 30_000,
          health: base.database.health,
        });
        return {
          workers: config.worker?.enabled === false ? [replayPurge] : [worker, replayPurge, release],
          handlers: { [ISSUE_PMH_ID]: releasingOnIssue(issuanceHandler(base)), [PORTAL_NOTIFICATION]: notificationHandler(base) },
          prepare: () => ring.init(),
        };
      },
    },
    config,
  );
  return { app: service.app, database: service.database, context, service, close: () => service.close() };
}
