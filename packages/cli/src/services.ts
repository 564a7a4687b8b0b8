import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadOrCreateKeys, parseKeys, type ServiceKeys } from '@pmh/core/crypto/index';
import type { Service, ServiceConfig } from '@pmh/core/service';
import { cachedPgliteTemplate, type Migration } from '@pmh/core/db/index';
import { PEERS, SERVICES, serviceSettings, type ServiceName, type ServiceSettings } from './config.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface Running {
  name: ServiceName;
  url: string;
  service: Service;
  close(): Promise<void>;
}

/**
 * Each service's code, loaded when it is first needed: `pmh serve idserver` or `pmh audit verify oqs`
 * does not load the hub (seconds of start-up for a process that never runs it).
 */
const MODULES: Record<ServiceName, () => Promise<{ migrations: Migration[]; build: (c: ServiceConfig) => Promise<Service> }>> = {
  hub: async () => {
    const m = await import('@pmh/hub');
    return { migrations: m.hubMigrations, build: async (c) => (await m.buildHub(c)).service };
  },
  idserver: async () => {
    const m = await import('@pmh/idserver');
    return { migrations: m.idserverMigrations, build: m.buildIdServer };
  },
  oqs: async () => {
    const m = await import('@pmh/oqs');
    return { migrations: m.oqsMigrations, build: m.buildOqs };
  },
  portal: async () => {
    const m = await import('@pmh/portal');
    return { migrations: m.portalMigrations, build: m.buildPortal };
  },
};

/** What only `pmh start` runs: the demo seed and the clinic app. */
export async function demoParts() {
  const [seed, clinic] = await Promise.all([import('@pmh/seed/demo'), import('./clinic.ts')]);
  return { ...seed, startClinic: clinic.startClinic };
}

/** A service's migrations, in order. */
export async function migrationsOf(name: ServiceName): Promise<Migration[]> {
  return (await MODULES[name]()).migrations;
}

/** The peers that call `name`, registered as its clients with the public keys from their key files. */
function peerClients(name: ServiceName, keysDir: string): NonNullable<ServiceConfig['clients']> {
  return SERVICES.filter((caller) => PEERS[caller].includes(name))
    .map((caller) => {
      const file = path.join(keysDir, `${caller}.json`);
      if (!fs.existsSync(file)) return undefined;
      const keys: ServiceKeys = parseKeys(fs.readFileSync(file, 'utf8'));
      return { clientId: caller, role: caller, jwks: { keys: [keys.signing.publicJwk] } };
    })
    .filter((c): c is NonNullable<typeof c> => !!c);
}

/**
 * Starts one service on its settings: PGlite under its data dir (locked), or PostgreSQL when a URL
 * is set; its peers' URLs from their settings, and the peers that call it admitted by their keys.
 */
export async function startService(s: ServiceSettings, logger: Logger, opts: { clientsFile?: string; demo?: boolean } = {}): Promise<Running> {
  const keys = await loadOrCreateKeys(s.keyFile);
  const extra = opts.clientsFile ? JSON.parse(fs.readFileSync(opts.clientsFile, 'utf8')) : [];
  const { build } = await MODULES[s.name]();
  const service = await build({
    database: s.databaseUrl ? { url: s.databaseUrl } : await pgliteStore(s),
    keys,
    ephemeralKeys: { dir: s.ephemeralKeyDir, epochSeconds: s.ephemeralKeySeconds },
    publicUrl: s.publicUrl,
    logger,
    clients: [...peerClients(s.name, path.dirname(s.keyFile)), ...extra],
    peers: Object.fromEntries(PEERS[s.name].map((p) => [p, serviceSettings(p).publicUrl])),
    outbox: process.env.PMH_OUTBOX_MAX_BACKOFF_MS ? { maxBackoffMs: Number(process.env.PMH_OUTBOX_MAX_BACKOFF_MS) } : undefined,
    // The demo's simulated cards, for the resident pages to sign with (only under `pmh start`).
    ...(opts.demo && s.name === 'portal' ? { demo: { cardsFile: path.join(path.dirname(s.dataDir), 'demo', 'cards.json') } } : {}),
  });
  try {
    await service.app.listen({ port: s.port, host: '127.0.0.1' });
  } catch (e) {
    await service.close();
    throw e;
  }
  const addr = service.app.server.address() as { port: number };
  return { name: s.name, url: `http://127.0.0.1:${addr.port}`, service, close: () => service.close() };
}

export const TEMPLATE_CACHE = path.join(ROOT, 'node_modules', '.cache', 'pmh');

/** A PGlite store; a new one starts from the cached migrated template (see `pmh prepare`). */
async function pgliteStore(s: ServiceSettings): Promise<{ dataDir: string; loadDataDir?: Blob }> {
  if (fs.existsSync(path.join(s.dataDir, 'pgdata', 'PG_VERSION'))) return { dataDir: s.dataDir };
  return { dataDir: s.dataDir, loadDataDir: await cachedPgliteTemplate(s.name, await migrationsOf(s.name), TEMPLATE_CACHE) };
}

/** Builds every service's PGlite template into the cache (npm install runs it), so the first start is fast. */
export async function prepareTemplates(): Promise<void> {
  for (const name of SERVICES) await cachedPgliteTemplate(name, await migrationsOf(name), TEMPLATE_CACHE);
}

/** Every service's key file exists before any starts, so each can admit the peers that call it. */
export async function ensureKeys(): Promise<void> {
  for (const name of SERVICES) await loadOrCreateKeys(serviceSettings(name).keyFile);
}
