import path from 'node:path';

/** Where things are, from the environment (defaults: docs/architecture.md#services). */
export type ServiceName = 'hub' | 'idserver' | 'oqs' | 'portal';
export const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
/** Who calls whom (docs/architecture.md#services). */
export const PEERS: Record<ServiceName, ServiceName[]> = { hub: ['idserver', 'portal'], idserver: ['oqs'], oqs: ['portal', 'hub'], portal: ['hub', 'oqs'] };

export interface ServiceSettings {
  name: ServiceName;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  keyFile: string;
  /** The service's store of short-lived epoch keys (crypto-shredding), beside its key file. */
  ephemeralKeyDir: string;
  /** Length of an epoch (how often those keys change), seconds. */
  ephemeralKeySeconds?: number;
}

export const DEFAULT_PORTS = { hub: 7100, idserver: 7200, oqs: 7300, portal: 7400, clinic: 7500 } as const;

export function dataDir(env = process.env): string {
  return path.resolve(env.PMH_DATA_DIR ?? 'data');
}

export function serviceSettings(name: ServiceSettings['name'], env = process.env, overrides: { port?: number; single?: boolean } = {}): ServiceSettings {
  const upper = name.toUpperCase();
  const port = overrides.port ?? Number(env[`PMH_${upper}_PORT`] ?? DEFAULT_PORTS[name]);
  const dir = dataDir(env);
  return {
    name,
    port,
    publicUrl: env[`PMH_${upper}_PUBLIC_URL`] ?? `http://127.0.0.1:${port}`,
    dataDir: path.join(dir, name),
    // DATABASE_URL serves a command about one service (`pmh serve hub`); the launcher runs several,
    // and each needs its own database.
    databaseUrl: env[`PMH_${upper}_DATABASE_URL`] ?? (overrides.single ? env.DATABASE_URL : undefined),
    keyFile: path.join(dir, 'keys', `${name}.json`),
    ephemeralKeyDir: path.join(dir, 'keys', `${name}.ephemeral`),
    ephemeralKeySeconds: env.PMH_EPHEMERAL_KEY_SECONDS ? Number(env.PMH_EPHEMERAL_KEY_SECONDS) : undefined,
  };
}
