import type { Logger } from 'pino';
import type { JSONWebKeySet } from 'jose';
import { Type } from 'typebox';
import { Key } from '@pmh/protocol/text';
import { createApp, type App, type ObservedExchange } from './http/app.ts';
import { openDatabase, ping, type Database, type DatabaseOptions, type Migration } from './db/index.ts';
import { FieldCipher, type ServiceKeys } from './crypto/index.ts';
import { ClientStore, registerOAuth, TokenClient, authMigrations, type OAuthServer } from './auth/index.ts';
import { auditMigrations } from './audit/index.ts';
import { Outbox, outboxMigrations, type ItemOutcome, type OutboxHandler, type OutboxOptions } from './outbox/index.ts';
import { ProblemError } from './http/problem.ts';

/**
 * What every PMH service is made of: its own database (migrated at start), the HTTP base, OAuth
 * client credentials for its callers, an audit log, an outbox for what it tells others, and the
 * operator's status and retry endpoints. A service adds its routes and outbox handlers in `setup`.
 */
export interface ServiceConfig {
  database: Omit<DatabaseOptions, 'migrations'>;
  keys: ServiceKeys;
  /** This service's public base URL: token issuer and client-assertion audience. */
  publicUrl: string;
  logger: Logger;
  /** Clients registered (upserted) at start: the operator's declarative list, the demo's, the tests'. */
  clients?: Array<{ clientId: string; role: string; jwks: JSONWebKeySet }>;
  /** Base URLs of the services this one calls. It calls them as client `<its name>` with its signing key. */
  peers?: Record<string, string>;
  outbox?: OutboxOptions & { enabled?: boolean };
  observe?: (e: ObservedExchange) => void;
}

export interface PeerAnswer<T = any> {
  status: number;
  body: T;
}

/** An authenticated caller of one peer service. */
export class PeerClient {
  private readonly tokens: TokenClient;
  constructor(
    readonly name: string,
    readonly baseUrl: string,
    clientId: string,
    keys: ServiceKeys,
  ) {
    this.tokens = new TokenClient({ baseUrl, clientId, privateJwk: keys.signing.privateJwk as any });
  }

  /** POSTs JSON; a network failure or a 5xx throws (the outbox retries), a 4xx answers. */
  async post<T = any>(path: string, body: unknown, opts: { timeoutMs?: number } = {}): Promise<PeerAnswer<T>> {
    return this.request<T>('POST', path, body, opts.timeoutMs);
  }

  /** GETs JSON; a network failure or a 5xx throws, a 4xx answers. */
  async get<T = any>(path: string, opts: { timeoutMs?: number } = {}): Promise<PeerAnswer<T>> {
    return this.request<T>('GET', path, undefined, opts.timeoutMs);
  }

  private async request<T>(method: string, path: string, body: unknown, timeoutMs = 30_000): Promise<PeerAnswer<T>> {
    const send = async () =>
      fetch(this.baseUrl + path, {
        method,
        headers: { authorization: await this.tokens.authorization(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    let res = await send();
    // Only a refused token (WWW-Authenticate: Bearer) is worth a fresh one, e.g. the peer restarted
    // with a new signing key; a 401 of the endpoint itself (a card that failed) is its answer.
    if (res.status === 401 && res.headers.has('www-authenticate')) {
      this.tokens.invalidate();
      res = await send();
    }
    const text = await res.text();
    if (res.status >= 500) throw new Error(`${this.name} answered ${res.status}`);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
}

/** 4xx answers that say "not now" rather than "never": retried like a 5xx. */
const TRANSIENT_4XX = new Set([408, 425, 429]);

/** A problem's title (a fixed phrase like "Bad Request"), or nothing: never a detail, never input. */
function problemTitle(body: unknown): string {
  const title = (body as { title?: unknown } | undefined)?.title;
  return typeof title === 'string' && /^[A-Za-z][A-Za-z '-]{0,60}$/.test(title) ? title : '';
}

/**
 * Posts one outbox batch and reads the answer as every service does: a 2xx answers its body; any
 * other 4xx refuses every item for good (the error names only the status and the problem title,
 * never a payload); a network error, a 5xx or a "not now" 4xx throws, and the outbox retries.
 */
export async function deliverBatch<T>(peer: PeerClient, path: string, body: unknown, count: number): Promise<{ ok: true; body: T } | { ok: false; items: ItemOutcome[] }> {
  const answer = await peer.post<T>(path, body);
  if (answer.status >= 200 && answer.status < 300) return { ok: true, body: answer.body };
  if (answer.status >= 400 && answer.status < 500 && !TRANSIENT_4XX.has(answer.status)) {
    const title = problemTitle(answer.body);
    const error = `${peer.name} refused the batch (${answer.status}${title ? ' ' + title : ''})`;
    return { ok: false, items: Array.from({ length: count }, () => ({ ok: false as const, permanent: true, error })) };
  }
  throw new Error(`${peer.name} answered ${answer.status}`);
}

export interface ServiceBase {
  name: string;
  app: App;
  database: Database;
  db: Database['db'];
  cipher: FieldCipher;
  clients: ClientStore;
  auth: OAuthServer;
  log: Logger;
  config: ServiceConfig;
  peer(name: string): PeerClient;
  /** Wakes the outbox after a change enqueued messages, so they leave now rather than at the next poll. */
  wakeOutbox(): void;
}

export interface ServiceParts {
  handlers?: Record<string, OutboxHandler>;
  /** Background work with a lifecycle (e.g. the hub's task worker). */
  workers?: Array<{ start(): void; stop(): Promise<void> }>;
}

export interface ServiceDefinition {
  name: string;
  description: string;
  migrations: Migration[];
  setup(base: ServiceBase): Promise<ServiceParts>;
}

export interface Service {
  base: ServiceBase;
  outbox: Outbox;
  app: App;
  database: Database;
  close(): Promise<void>;
}

export const serviceMigrations: Migration[] = [...authMigrations, ...auditMigrations, ...outboxMigrations];

export async function buildService(def: ServiceDefinition, config: ServiceConfig): Promise<Service> {
  const database = await openDatabase({ ...config.database, migrations: [...serviceMigrations, ...def.migrations] });
  try {
    const clients = new ClientStore(database.db);
    for (const c of config.clients ?? []) await clients.register(c.clientId, c.role, c.jwks);
    const app = await createApp({ service: def.name, description: def.description, logger: config.logger, ready: () => ping(database.db), observe: config.observe });
    const auth = registerOAuth(app, { issuer: config.publicUrl, clients, signingKey: config.keys.signing });
    const peers = new Map<string, PeerClient>();
    let outbox: Outbox | undefined;
    const base: ServiceBase = {
      name: def.name,
      app,
      database,
      db: database.db,
      cipher: new FieldCipher(config.keys.data),
      clients,
      auth,
      log: config.logger,
      config,
      peer(name) {
        let p = peers.get(name);
        if (!p) {
          const url = config.peers?.[name];
          if (!url) throw new Error(`${def.name}: no URL configured for peer ${name}`);
          p = new PeerClient(name, url, def.name, config.keys);
          peers.set(name, p);
        }
        return p;
      },
      wakeOutbox: () => outbox?.wake(),
    };
    const parts = await def.setup(base);
    outbox = new Outbox(database.db, parts.handlers ?? {}, config.logger.child({ component: 'outbox' }), config.outbox, base.cipher);
    adminRoutes(base, outbox);
    await app.ready();
    const workers = parts.workers ?? [];
    for (const w of workers) w.start();
    if (config.outbox?.enabled !== false) outbox.start();
    const o = outbox;
    return {
      base,
      outbox: o,
      app,
      database,
      async close() {
        await o.stop();
        for (const w of workers) await w.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}

const PipelineStatus = Type.Object({
  name: Type.String(),
  pending: Type.Integer(),
  retrying: Type.Integer(),
  dead: Type.Integer(),
  oldestAgeSeconds: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

function adminRoutes(base: ServiceBase, outbox: Outbox): void {
  const admin = base.auth.requireRole('admin');
  base.app.get(
    '/admin/v1/status',
    {
      preHandler: admin,
      schema: {
        tags: ['operators'],
        summary: "Each pipeline's backlog: pending, retrying and given-up deliveries, the oldest's age and the last error",
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ service: Type.String(), pipelines: Type.Array(PipelineStatus) }) },
      },
    },
    async () => ({ service: base.name, pipelines: (await outbox.status()).map(({ kind, ...s }) => ({ name: kind, ...s })) }),
  );
  base.app.post(
    '/admin/v1/retry',
    {
      preHandler: admin,
      schema: {
        tags: ['operators'],
        summary: 'Re-drive failed deliveries now',
        security: [{ bearer: [] }],
        querystring: Type.Object({ pipeline: Type.Optional(Key({ maxLength: 100, description: 'one pipeline (outbox kind) only' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ service: Type.String(), redriven: Type.Integer() }) },
      },
    },
    async (req) => {
      if (req.query.pipeline && !(await outbox.status()).some((s) => s.kind === req.query.pipeline))
        throw new ProblemError(404, 'not-found', 'This service has no pipeline by that name.');
      return { service: base.name, redriven: await outbox.retry(req.query.pipeline) };
    },
  );
}
