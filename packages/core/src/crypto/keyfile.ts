import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import { generateDataKeys, type DataKeys } from './fieldcipher.ts';

/** A service's own secrets: its token-signing key and, where it holds identifiers, its data keys. */
export interface ServiceKeys {
  signing: { kid: string; privateJwk: JWK; publicJwk: JWK };
  data: DataKeys;
}

interface KeyFileJson {
  signing: ServiceKeys['signing'];
  data: { current: string; keys: Record<string, string>; indexKey: string };
}

export async function generateSigningKey(): Promise<ServiceKeys['signing']> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' },
    publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
  };
}

export async function generateServiceKeys(): Promise<ServiceKeys> {
  return { signing: await generateSigningKey(), data: generateDataKeys() };
}

export function serializeKeys(k: ServiceKeys): string {
  const json: KeyFileJson = {
    signing: k.signing,
    data: {
      current: k.data.current,
      keys: Object.fromEntries(Object.entries(k.data.keys).map(([kid, b]) => [kid, b.toString('base64')])),
      indexKey: k.data.indexKey.toString('base64'),
    },
  };
  return JSON.stringify(json, null, 2);
}

export function parseKeys(text: string): ServiceKeys {
  const json = JSON.parse(text) as KeyFileJson;
  return {
    signing: json.signing,
    data: {
      current: json.data.current,
      keys: Object.fromEntries(Object.entries(json.data.keys).map(([kid, b]) => [kid, Buffer.from(b, 'base64')])),
      indexKey: Buffer.from(json.data.indexKey, 'base64'),
    },
  };
}

/**
 * Loads the key file, creating it (mode 0600) on first start. In production the file is provisioned
 * from the operator's key store and mounted read-only; the format is the same.
 */
export async function loadOrCreateKeys(file: string): Promise<ServiceKeys> {
  if (fs.existsSync(file)) return parseKeys(fs.readFileSync(file, 'utf8'));
  const keys = await generateServiceKeys();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole under a name of its own, then linked into place: of several processes starting
  // together on one data directory (pmh serve --workers), one file wins whole and all use it.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, serializeKeys(keys), { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return keys;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return parseKeys(fs.readFileSync(file, 'utf8'));
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
