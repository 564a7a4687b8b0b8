import { buildService, type Service, type ServiceConfig } from '@pmh/core/service';
import type { App } from '@pmh/core/http/app';
import type { Database } from '@pmh/core/db/index';
import { hubOwnMigrations } from './migrations/index.ts';
import { TaskWorker } from './worker/task-worker.ts';
import { municipalRoutes } from './routes/municipal/index.ts';
import type { HubContext } from './context.ts';
import { counterpartRoutes } from './routes/counterpart/index.ts';
import { ISSUE_PMH_ID, issuanceHandler } from './federation/issuance.ts';

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
      async setup(base) {
        const worker = new TaskWorker(base.db, base.cipher, base.log.child({ component: 'task-worker' }), {
          concurrency: config.worker?.concurrency ?? (base.database.kind === 'pglite' ? 1 : 2),
          pollMs: config.worker?.pollMs,
        });
        context = { db: base.db, cipher: base.cipher, clients: base.clients, worker, log: base.log, base };
        worker.onEnqueued = () => base.wakeOutbox();
        await municipalRoutes(base.app, context, base.auth);
        await counterpartRoutes(base);
        return { workers: config.worker?.enabled === false ? [] : [worker], handlers: { [ISSUE_PMH_ID]: issuanceHandler(base) } };
      },
    },
    config,
  );
  return { app: service.app, database: service.database, context, service, close: () => service.close() };
}
