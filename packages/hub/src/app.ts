import { buildService, type Service, type ServiceConfig } from '@pmh/core/service';
import type { App } from '@pmh/core/http/app';
import { servePages, webDist } from '@pmh/core/http/pages';
import type { Database } from '@pmh/core/db/index';
import { PollingLoop } from '@pmh/core/polling';
import { hubOwnMigrations } from './migrations/index.ts';
import { rowBoundCiphertexts } from './migrations/row-bound-ciphertexts.ts';
import { TaskWorker } from './worker/task-worker.ts';
import { queueMetrics } from './worker/queue-metrics.ts';
import { VaccinationJobs, type VaccinationJobsOptions } from './worker/vaccination-jobs.ts';
import { ISSUE_PMH_ID, issuanceHandler } from './federation/issuance.ts';
import { NotificationRelease, PORTAL_NOTIFICATION, notificationHandler, releasingOnIssue } from './federation/notifications.ts';
import { KeyRing } from './federation/key-ring.ts';
import { HubStore } from './store/index.ts';
import type { HubRouteOptions } from './routes/options.ts';
import { municipalRoutes } from './routes/municipal/index.ts';
import { counterpartRoutes } from './routes/counterpart/index.ts';
import { residentRoutes } from './routes/residents/index.ts';
import { relayRoutes } from './routes/relay/index.ts';
import { publicRoutes } from './routes/public/index.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { consoleRoutes } from './routes/console/index.ts';
import { ConsoleSessions, type ConsoleSettings } from './routes/console/sessions.ts';
import type { HubContext } from './context.ts';

export interface HubConfig extends ServiceConfig {
  worker?: { enabled?: boolean; concurrency?: number; pollMs?: number };
  /** The scheduled vaccination jobs (reminders, retention purge): their clock and how often they run. */
  vaccinationJobs?: Omit<VaccinationJobsOptions, 'health'>;
  /** The municipal console: officers' session lifetimes, and (tests) the clock. */
  console?: ConsoleSettings;
}

export interface Hub {
  app: App;
  database: Database;
  context: HubContext;
  service: Service;
  /** Stops the workers (finishing their batch), the HTTP server and the database, in that order. */
  close(): Promise<void>;
}

/**
 * Builds the hub: its store (one typed database, two doors), its route plugins — one per surface
 * (municipal, counterpart, residents, public, admin), each given the same options — its workers
 * and its outbox handlers.
 */
export async function buildHub(config: HubConfig): Promise<Hub> {
  let context!: HubContext;
  const service = await buildService(
    {
      name: 'hub',
      description: 'Public Medical Hub: the municipal API and the counterpart API.',
      migrations: hubOwnMigrations,
      dataMigrations: [rowBoundCiphertexts],
      async setup(base) {
        const store = new HubStore(base.db, base.cipher);
        const worker = new TaskWorker(store.system, base.log.child({ component: 'task-worker' }), {
          concurrency: config.worker?.concurrency ?? (base.database.kind === 'pglite' ? 1 : 2),
          pollMs: config.worker?.pollMs,
          health: base.database.health,
        });
        worker.onEnqueued = () => base.wakeOutbox();
        const release = new NotificationRelease(store.system, base.log.child({ component: 'notification-release' }), () => base.wakeOutbox(), {
          pollMs: config.worker?.pollMs,
          health: base.database.health,
        });
        const jobs = new VaccinationJobs(store.system, base.log.child({ component: 'vaccination-jobs' }), () => release.wake(), {
          ...config.vaccinationJobs,
          health: base.database.health,
        });
        const ring = new KeyRing(store.system, base.cipher, base.log.child({ component: 'key-ring' }));
        context = { store, cipher: base.cipher, clients: base.clients, worker, jobs, log: base.log, base };
        if (base.metrics) queueMetrics(base.metrics, store.system, base.log);

        const options: HubRouteOptions = {
          auth: base.auth,
          clients: base.clients,
          store,
          ring,
          publicUrl: base.config.publicUrl,
          wakeWorker: () => worker.wake(),
          wakeRelease: () => release.wake(),
          wakeOutbox: () => base.wakeOutbox(),
          consoleSessions: new ConsoleSessions(store, config.console),
        };
        for (const plugin of [municipalRoutes, counterpartRoutes, residentRoutes, relayRoutes, publicRoutes, adminRoutes, consoleRoutes])
          await base.app.register(plugin as never, options);
        await servePages(base.app, { root: webDist('console'), prefix: '/console' }); // the municipal console at /console/

        const replayPurge = new PollingLoop(() => store.system.purgeLinkageKeyUses(), {
          name: 'linkage-key purge',
          log: base.log,
          pollMs: 30_000,
          health: base.database.health,
        });
        const peer = (name: string) => () => base.peer(name);
        return {
          workers: config.worker?.enabled === false ? [replayPurge] : [worker, replayPurge, release, jobs],
          handlers: {
            [ISSUE_PMH_ID]: releasingOnIssue(
              store.system,
              issuanceHandler({ system: store.system, cipher: base.cipher, idserver: peer('idserver'), log: base.log }),
            ),
            [PORTAL_NOTIFICATION]: notificationHandler({ system: store.system, portal: peer('portal') }),
          },
          prepare: () => ring.init(),
        };
      },
    },
    config,
  );
  return { app: service.app, database: service.database, context, service, close: () => service.close() };
}
