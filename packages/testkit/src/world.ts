import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JWK } from 'jose';
import { createLogger, LogCapture } from '@pmh/core/http/logging';
import { freshDatabase, type FreshDatabase } from '@pmh/core/db/index';
import { generateServiceKeys, type ServiceKeys } from '@pmh/core/crypto/index';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { buildHub, hubMigrations, type Hub } from '@pmh/hub';

export type Backend = 'pglite' | 'postgres';

/** Every backend the tests run on here: PGlite always, PostgreSQL when PMH_TEST_DATABASE_URL is set. */
export function backends(): Backend[] {
  return process.env.PMH_TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface Caller {
  clientId: string;
  role: string;
  privateJwk: JWK;
  publicJwk: JWK;
  tokens: TokenClient;
}

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Two real municipalities' codes (地方公共団体コード, with check digit). */
export const MUNICIPALITY_CODES = ['131016', '271004'] as const;

/**
 * A test world: the real services on ephemeral ports, each on a fresh database from a migrated
 * template, with callers holding real client keys. Everything said over HTTP.
 */
export class World {
  readonly logs = new LogCapture();
  hub!: Hub;
  hubUrl!: string;
  readonly callers = new Map<string, Caller>();
  private databases: FreshDatabase[] = [];
  private keys!: ServiceKeys;
  private hubDb!: FreshDatabase;

  private constructor(readonly backend: Backend) {}

  static async start(opts: { backend?: Backend; workerPollMs?: number } = {}): Promise<World> {
    const w = new World(opts.backend ?? 'pglite');
    w.keys = await generateServiceKeys();
    for (const code of MUNICIPALITY_CODES) await w.addCaller(`municipality-${code}`, `municipality:${code}`);
    await w.addCaller('operator', 'admin');
    w.hubDb = await freshDatabase('hub', hubMigrations, { adminUrl: w.backend === 'postgres' ? process.env.PMH_TEST_DATABASE_URL : undefined });
    w.databases.push(w.hubDb);
    await w.startHub(opts.workerPollMs);
    return w;
  }

  private async addCaller(clientId: string, role: string): Promise<Caller> {
    const k = await generateClientKey();
    const c: Caller = { clientId, role, privateJwk: k.privateJwk, publicJwk: k.publicJwk, tokens: undefined as unknown as TokenClient };
    this.callers.set(clientId, c);
    return c;
  }

  private async startHub(workerPollMs = 50): Promise<void> {
    const logger = createLogger({ service: 'hub', destination: this.logs, level: 'info' });
    // The issuer must be known before listening: take a free port first.
    const port = await freePort();
    this.hubUrl = `http://127.0.0.1:${port}`;
    this.hub = await buildHub({
      database: this.hubDb.options,
      keys: this.keys,
      publicUrl: this.hubUrl,
      logger,
      worker: { pollMs: workerPollMs },
      clients: [...this.callers.values()].map((c) => ({ clientId: c.clientId, role: c.role, jwks: { keys: [c.publicJwk] } })),
    });
    await this.hub.app.listen({ port, host: '127.0.0.1' });
    for (const c of this.callers.values()) c.tokens = new TokenClient({ baseUrl: this.hubUrl, clientId: c.clientId, privateJwk: c.privateJwk });
  }

  municipality(code: string = MUNICIPALITY_CODES[0]): Caller {
    return this.callers.get(`municipality-${code}`)!;
  }

  get operator(): Caller {
    return this.callers.get('operator')!;
  }

  /** An HTTP request to the hub as `caller` (or anonymous). */
  async call<T = any>(caller: Caller | null, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
    const h: Record<string, string> = { ...headers };
    if (caller) h.authorization = await caller.tokens.authorization();
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.hubUrl + urlPath, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /** Submits a registration task and waits until it is done. */
  async register(caller: Caller, process: string, records: unknown[], headers: Record<string, string> = {}) {
    const accepted = await this.call(caller, 'POST', `/municipal/v1/${process}/registration-tasks`, records, headers);
    if (accepted.status !== 202) throw new Error(`task refused: ${accepted.status} ${accepted.text}`);
    return this.waitForTask(caller, accepted.body.taskId);
  }

  async waitForTask(caller: Caller, taskId: string, timeoutMs = 120_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const t = await this.call(caller, 'GET', `/municipal/v1/registration-tasks/${taskId}`);
      if (t.status !== 200) throw new Error(`task read failed: ${t.status} ${t.text}`);
      if (t.body.status === 'done' || t.body.status === 'failed') return t.body;
      if (Date.now() > until) throw new Error(`task ${taskId} not done in ${timeoutMs} ms: ${JSON.stringify({ ...t.body, results: undefined })}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The hub's database, for tests that check what is stored (never for acting). */
  get hubDb_(): Hub['database'] {
    return this.hub.database;
  }

  async stop(): Promise<void> {
    await this.hub?.close().catch(() => {});
    for (const d of this.databases) await d.drop().catch(() => {});
  }
}

export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
