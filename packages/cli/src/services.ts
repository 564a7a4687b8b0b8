import fs from 'node:fs';
import type { Logger } from 'pino';
import { loadOrCreateKeys } from '@pmh/core/crypto/index';
import { buildHub, type Hub } from '@pmh/hub';
import type { ServiceSettings } from './config.ts';

export interface Running {
  name: string;
  url: string;
  hub: Hub;
  close(): Promise<void>;
}

/** Starts the hub on its settings: PGlite under its data dir (locked), or PostgreSQL when a URL is set. */
export async function startHub(s: ServiceSettings, logger: Logger, opts: { port?: number; clientsFile?: string } = {}): Promise<Running> {
  const keys = await loadOrCreateKeys(s.keyFile);
  const clients = opts.clientsFile ? JSON.parse(fs.readFileSync(opts.clientsFile, 'utf8')) : undefined;
  const hub = await buildHub({
    database: s.databaseUrl ? { url: s.databaseUrl } : { dataDir: s.dataDir },
    keys,
    publicUrl: s.publicUrl,
    logger,
    clients,
  });
  try {
    await hub.app.listen({ port: opts.port ?? s.port, host: '127.0.0.1' });
  } catch (e) {
    await hub.close();
    throw e;
  }
  const addr = hub.app.server.address() as { port: number };
  return { name: 'hub', url: `http://127.0.0.1:${addr.port}`, hub, close: () => hub.close() };
}
