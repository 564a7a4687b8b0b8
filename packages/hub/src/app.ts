import type { Logger } from 'pino';
import type { JSONWebKeySet } from 'jose';
import { createApp, type App } from '@pmh/core/http/app';
import { openDatabase, ping, type Database, type DatabaseOptions } from '@pmh/core/db/index';
import { FieldCipher, type ServiceKeys } from '@pmh/core/crypto/index';
import { ClientStore, registerOAuth } from '@pmh/core/auth/index';
import { hubMigrations } from './migrations/index.ts';
import { TaskWorker } from './worker/task-worker.ts';
import { municipalRoutes } from './routes/municipal/index.ts';
import type { HubContext } from './context.ts';

export interface HubConfig {
  database: Omit<DatabaseOptions, 'migrations'>;
  keys: ServiceKeys;
  /** This hub's public base URL: the issuer of its tokens and the audience of client assertions. */
  publicUrl: string;
  logger: Logger;
  worker?: { enabled?: boolean; concurrency?: number; pollMs?: number };
  /** Clients registered (upserted) at start: the operator's declarative list, and the demo's. */
  clients?: Array<{ clientId: string; role: string; jwks: JSONWebKeySet }>;
}

export interface Hub {
  app: App;
  database: Database;
  context: HubContext;
  /** Stops the worker (finishing its chunk), the HTTP server and the database, in that order. */
  close(): Promise<void>;
}

export async function buildHub(config: HubConfig): Promise<Hub> {
  const database = await openDatabase({ ...config.database, migrations: hubMigrations });
  try {
    const cipher = new FieldCipher(config.keys.data);
    const clients = new ClientStore(database.db);
    for (const c of config.clients ?? []) await clients.register(c.clientId, c.role, c.jwks);
    const worker = new TaskWorker(database.db, cipher, config.logger.child({ component: 'task-worker' }), {
      concurrency: config.worker?.concurrency ?? (database.kind === 'pglite' ? 1 : 2),
      pollMs: config.worker?.pollMs,
    });
    const context: HubContext = { db: database.db, cipher, clients, worker, log: config.logger };
    const app = await createApp({
      service: 'hub',
      description: 'Public Medical Hub: the municipal API and the counterpart API.',
      logger: config.logger,
      ready: () => ping(database.db),
    });
    const auth = registerOAuth(app, { issuer: config.publicUrl, clients, signingKey: config.keys.signing });
    await municipalRoutes(app, context, auth);
    await app.ready();
    if (config.worker?.enabled !== false) worker.start();
    return {
      app,
      database,
      context,
      async close() {
        await worker.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
