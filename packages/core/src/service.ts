import { setTimeout as delay } from 'node:timers/promises';
import type { Gauge } from 'prom-client';
import type { Logger } from 'pino';
import type { JSONWebKeySet } from 'jose';
import type { Kysely } from 'kysely';
import { ApiClient, UndeclaredAnswer, type Answer, type Endpoint, type Input, type Success } from '@pmh/protocol/contract';
import { operatorApi } from '@pmh/protocol/api/operator';
import { createApp, type App, type ObservedExchange } from './http/app.ts';
import { serve } from './http/serve.ts';
import { openDatabase, ping, runMigrations, RETRY_AFTER_SECONDS, type Database, type DatabaseOptions, type Migration } from './db/index.ts';
import { FieldCipher, ShreddingCipher, type SealedColumn, type ServiceKeys, type ShreddingOptions } from './crypto/index.ts';
import { ClientStore, registerOAuth, TokenClient, authMigrations, type OAuthServer } from './auth/index.ts';
import { auditMigrations } from './audit/index.ts';
import { Outbox, OUTBOX_SEALED, outboxMigrations, type ItemOutcome, type OutboxHandler, type OutboxOptions, type OutboxStatus } from './outbox/index.ts';
import { ProblemError, databaseUnavailable, retryAfterMs } from './http/problem.ts';
import type { RateLimitSettings } from './http/rate-limit.ts';
import { metricsAccess, resolveMetrics, serveMetrics, ServiceMetrics, type MetricsOptions } from './http/metrics.ts';
import { PollingLoop } from './polling.ts';

/**
 * What every PMH service is made of: its own database (migrated at start), the HTTP base, OAuth
 * client credentials for its callers, an audit log, an outbox for what it tells others, and the
 * operator's status and retry endpoints. A service adds its routes and outbox handlers in `setup`.
 */
export interface ServiceConfig {
  database: Omit<DatabaseOptions, 'migrations'>;
  keys: ServiceKeys;
  /**
   * The key store of short-lived epoch keys for values the service may hold only for a moment
   * (ShreddingCipher): a directory outside the database, beside the key file, shared by every
   * process of the service and never backed up.
   */
  ephemeralKeys: ShreddingOptions;
  /** This service's public base URL: token issuer and client-assertion audience. */
  publicUrl: string;
  logger: Logger;
  /** Clients registered (upserted) at start: the operator's declarative list, the demo's, the tests'. */
  clients?: Array<{ clientId: string; role: string; jwks: JSONWebKeySet }>;
  /** Base URLs of the services this one calls. It calls them as client `<its name>` with its signing key. */
  peers?: Record<string, string>;
  outbox?: OutboxOptions & { enabled?: boolean };
  observe?: (e: ObservedExchange) => void;
  /** Rate limits; what is not given comes from the environment (`PMH_RATE_LIMIT…`), then the defaults. */
  rateLimit?: Partial<RateLimitSettings>;
  /** `/metrics`; what is not given comes from the environment (`PMH_METRICS…`), then the defaults. */
  metrics?: Partial<MetricsOptions>;
}

/** An authenticated caller of one peer service. */
export class PeerClient {
  private readonly tokens: TokenClient;
  private readonly api: ApiClient;
  constructor(
    readonly name: string,
    readonly baseUrl: string,
    clientId: string,
    keys: ServiceKeys,
  ) {
    this.tokens = new TokenClient({ baseUrl, clientId, privateJwk: keys.signing.privateJwk as any });
    this.api = new ApiClient(baseUrl, { authorization: () => this.tokens.authorization(), invalidate: () => this.tokens.invalidate() });
  }

  /**
   * Calls an endpoint of the peer by its contract: a declared status answers, typed; a 5xx (or any
   * other undeclared status) and a network failure throw — a 5xx as `PeerUnavailableError`, which
   * carries the peer's Retry-After for the outbox.
   */
  async call<E extends Endpoint>(e: E, input: Input<E>, opts: { timeoutMs?: number } = {}): Promise<Answer<E>> {
    try {
      return await this.api.call(e, input, opts);
    } catch (err) {
      if (err instanceof UndeclaredAnswer && err.status >= 500) throw new PeerUnavailableError(this.name, err.status, err.headers.get('retry-after'));
      throw err;
    }
  }
}

/**
 * A peer answered 5xx (or a "not now" 4xx). With Retry-After (RFC 9110 §10.2.3: seconds, or a
 * date) it said when to come back, e.g. while its database is away: the outbox retries then.
 */
export class PeerUnavailableError extends Error {
  readonly retryAfterMs?: number;
  constructor(
    readonly peer: string,
    readonly status: number,
    retryAfter: string | null,
  ) {
    super(`${peer} answered ${status}`);
    this.retryAfterMs = retryAfterMs(retryAfter);
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
 * Posts one outbox batch by an endpoint's contract: the batch is the endpoint's input, the answer
 * its typed success body. Read as every service reads a batch's answer: a 2xx answers; any other 4xx refuses
 * every item for good (naming only the status and the problem's title); a network error, a 5xx or
 * a "not now" 4xx throws, and the outbox retries.
 */
export async function deliver<E extends Endpoint>(
  peer: PeerClient,
  e: E,
  input: Input<E>,
  count: number,
): Promise<{ ok: true; body: Success<E> } | { ok: false; items: ItemOutcome[] }> {
  let answer: { status: number; body: unknown };
  try {
    answer = await peer.call(e, input);
  } catch (err) {
    if (!(err instanceof UndeclaredAnswer)) throw err;
    answer = err;
  }
  if (answer.status >= 200 && answer.status < 300) return { ok: true, body: answer.body as Success<E> };
  if (answer.status >= 400 && answer.status < 500 && !TRANSIENT_4XX.has(answer.status)) {
    const title = problemTitle(answer.body);
    const error = `${peer.name} refused the batch (${answer.status}${title ? ' ' + title : ''})`;
    return { ok: false, items: Array.from({ length: count }, () => ({ ok: false as const, permanent: true, error })) };
  }
  throw new PeerUnavailableError(peer.name, answer.status, null);
}

export interface ServiceBase {
  name: string;
  app: App;
  database: Database;
  db: Database['db'];
  cipher: FieldCipher;
  /** Seals what the service may hold only for a moment, under epoch keys that are destroyed (crypto-shredding). */
  shredding: ShreddingCipher;
  clients: ClientStore;
  auth: OAuthServer;
  log: Logger;
  config: ServiceConfig;
  peer(name: string): PeerClient;
  /** Wakes the outbox after a change enqueued messages, so they leave now rather than at the next poll. */
  wakeOutbox(): void;
  /** The service's metrics (`GET /metrics`), where a service adds its own gauges; absent with `PMH_METRICS=off`. */
  metrics?: ServiceMetrics;
}

export interface ServiceParts {
  handlers?: Record<string, OutboxHandler>;
  /** Background work with a lifecycle (e.g. the hub's task worker). Started once the database is ready. */
  workers?: Array<{ start(): void; stop(): Promise<void> }>;
  /** Work on the migrated database before the service is ready (e.g. the hub's first encryption key). */
  prepare?: () => Promise<void>;
  /** The service's own columns of values sealed with `base.shredding` (the outbox's is added). */
  sealedColumns?: SealedColumn[];
}

/**
 * A migration of data that needs the service's keys (re-sealing ciphertexts): runs once, when the
 * database is first ready, after the schema migrations, recorded beside them; in one transaction,
 * serialised between processes.
 */
export interface DataMigration {
  name: string;
  up(trx: Kysely<any>, base: ServiceBase): Promise<void>;
}

export interface ServiceDefinition {
  name: string;
  description: string;
  migrations: Migration[];
  /** Migrations of data that need the service's keys, after the schema migrations. */
  dataMigrations?: DataMigration[];
  setup(base: ServiceBase): Promise<ServiceParts>;
}

export interface Service {
  base: ServiceBase;
  outbox: Outbox;
  app: App;
  database: Database;
  /** Resolves once the database has been reached and migrated, and the workers run (at once, mostly). */
  ready: Promise<void>;
  isReady(): boolean;
  close(): Promise<void>;
}

export const serviceMigrations: Migration[] = [...authMigrations, ...auditMigrations, ...outboxMigrations];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers before the database is ready (the operator's status). */
    withoutDatabase?: boolean;
  }
}

/** What `/readyz` says of the database: `starting` until it has been reached and migrated. */
type DatabaseReadiness = 'ready' | 'starting' | 'unreachable';

function notReady(database: DatabaseReadiness): ProblemError {
  const detail = database === 'unreachable' ? 'The database is unreachable.' : 'The database is being reached and migrated.';
  return new ProblemError(503, 'not-ready', `Not ready: ${detail}`, {
    extra: { dependencies: { database } },
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  });
}

/**
 * Builds a service and brings it up. Its database may be away at the start (a PostgreSQL that is
 * restarting): the service listens all the same, `/healthz` answers, `/readyz` and every API route
 * answer 503, and once the database can be reached it is migrated and the service gets ready. Any
 * other failure to get ready (a migration that fails) fails the build.
 */
export async function buildService(def: ServiceDefinition, config: ServiceConfig): Promise<Service> {
  const database = await openDatabase(config.database);
  const { health } = database;
  const log = config.logger;
  health.onDown((v) => log.warn({ database: { lastError: v.lastError } }, 'database unreachable: requests answer 503, background work waits for its return'));
  health.onUp((v) => log.warn({ database: { downSeconds: Math.round((v.downMs ?? 0) / 100) / 10 } }, 'database reachable again'));
  let readiness: DatabaseReadiness = 'starting';
  const closing = new AbortController();
  try {
    const clients = new ClientStore(database.db);
    const metricsOptions = resolveMetrics(config.metrics);
    const metrics = metricsOptions.enabled ? new ServiceMetrics(def.name, metricsOptions) : undefined;
    if (metrics) databaseGauges(metrics, database);
    const app = await createApp({
      service: def.name,
      description: def.description,
      logger: log,
      observe: config.observe,
      rateLimit: config.rateLimit,
      metrics,
      unavailable: (e) => health.report(e),
      async ready() {
        if (readiness !== 'ready') throw notReady(readiness);
        try {
          await ping(database.db);
        } catch (e) {
          health.report(e);
          throw notReady('unreachable');
        }
      },
    });
    // Until the database is migrated, what needs it answers 503: every documented route. Health,
    // docs and pages are undocumented (hidden) and need no database.
    app.addHook('onRequest', async (req) => {
      if (readiness !== 'ready' && req.routeOptions.url && !req.routeOptions.schema?.hide && !req.routeOptions.config?.withoutDatabase)
        throw databaseUnavailable();
    });
    const auth = registerOAuth(app, { issuer: config.publicUrl, clients, signingKey: config.keys.signing });
    if (metrics) serveMetrics(app, metrics, metricsAccess(metricsOptions.allow, auth.requireRole('admin')));
    const peers = new Map<string, PeerClient>();
    let outbox: Outbox | undefined;
    const base: ServiceBase = {
      name: def.name,
      app,
      database,
      db: database.db,
      cipher: new FieldCipher(config.keys.data),
      shredding: new ShreddingCipher(config.ephemeralKeys),
      clients,
      auth,
      log,
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
      metrics,
    };
    const parts = await def.setup(base);
    const o = new Outbox(database.db, parts.handlers ?? {}, log.child({ component: 'outbox' }), config.outbox, base.shredding, health);
    outbox = o;
    adminRoutes(base, o, () => readiness === 'ready');
    if (metrics) outboxGauges(metrics, o, () => readiness === 'ready', log);
    await app.ready();
    const workers = [...(parts.workers ?? []), shreddingUpkeep(base, [OUTBOX_SEALED, ...(parts.sealedColumns ?? [])], health)];
    const migrations = [...serviceMigrations, ...def.migrations];
    const bringUp = async () => {
      await runMigrations(database.db, migrations);
      if (def.dataMigrations?.length)
        await runMigrations(
          database.db,
          def.dataMigrations.map((m) => ({ name: m.name, up: (trx) => m.up(trx, base) })),
        );
      for (const c of config.clients ?? []) await clients.register(c.clientId, c.role, c.jwks);
      await parts.prepare?.();
      readiness = 'ready';
      for (const w of workers) w.start();
      if (config.outbox?.enabled !== false) o.start();
    };
    let ready: Promise<void>;
    try {
      await bringUp();
      ready = Promise.resolve();
    } catch (e) {
      if (!health.report(e)) throw e;
      readiness = 'unreachable';
      // Each step is idempotent (applied migrations are skipped, clients upserted): try again, whole.
      ready = (async () => {
        for (let failures = 0; !closing.signal.aborted; failures++) {
          // At the database's return, or after a backoff (up to 30 s) if that comes first.
          const backoff = delay(Math.min(250 * 2 ** failures, 30_000), undefined, { signal: closing.signal }).catch(() => {});
          await Promise.race([health.nextReturn(), backoff]);
          if (closing.signal.aborted) return;
          readiness = 'starting';
          try {
            await bringUp();
            log.warn('database reached: migrations applied, service ready');
            return;
          } catch (err) {
            if (health.report(err)) readiness = 'unreachable';
            else log.error({ err: { message: (err as Error).message } }, 'could not get ready, will try again');
          }
        }
      })();
    }
    return {
      base,
      outbox: o,
      app,
      database,
      ready,
      isReady: () => readiness === 'ready',
      async close() {
        closing.abort();
        health.close();
        await ready;
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

/**
 * What every service's /metrics shows of its database: the pool's connections, read from the pool
 * itself, and the database's reachability as this process last found it. Registered before any
 * gauge that queries, so a scrape reads the pool before its own statements take a connection.
 */
function databaseGauges(metrics: ServiceMetrics, database: Database): void {
  const { pool, health } = database;
  const now = async () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 });
  metrics.gauge(
    { name: 'pmh_db_pool_connections', help: 'Connections of the database pool: open (total) and of those idle.', labelNames: ['state'] },
    now,
    (g, p) => {
      g.set({ state: 'total' }, p.total);
      g.set({ state: 'idle' }, p.idle);
    },
  );
  metrics.gauge({ name: 'pmh_db_pool_waiting_requests', help: 'Queries waiting for a connection of the pool.' }, now, (g, p) => g.set(p.waiting));
  metrics.gauge({ name: 'pmh_db_pool_max_connections', help: 'The pool’s largest size (PGlite: one connection).' }, now, (g, p) => g.set(p.max));
  const view = async () => health.view();
  metrics.gauge({ name: 'pmh_database_up', help: '1 while the database is reachable (as this process last found it), else 0.' }, view, (g, v) =>
    g.set(v.reachable ? 1 : 0),
  );
  metrics.gauge({ name: 'pmh_database_outages', help: 'Outages of the database seen since this process started.' }, view, (g, v) => g.set(v.outages));
}

/**
 * Each pipeline's backlog and oldest message on /metrics: one grouped count of the outbox, the same
 * `Outbox.status` the operator's status answers, cached like every reading from the database.
 */
function outboxGauges(metrics: ServiceMetrics, outbox: Outbox, isReady: () => boolean, log: Logger): void {
  const reading = metrics.cached(
    () => outbox.status({ count: isReady() }),
    (e) => log.debug({ err: { message: (e as Error).message } }, 'metrics: outbox counts not read'),
  );
  const pipelines = <L extends string>(name: string, help: string, set: (g: Gauge<L | 'pipeline'>, p: OutboxStatus) => void, labelNames: L[] = []) =>
    metrics.gauge({ name, help, labelNames: ['pipeline', ...labelNames] }, reading, (g, all) => {
      for (const p of all) set(g, p);
    });
  pipelines(
    'pmh_outbox_messages',
    'Messages of each pipeline not delivered yet, by state: pending (first delivery due), retrying (failed before), parked (given up until `pmh retry`).',
    (g, p) => {
      g.set({ pipeline: p.kind, state: 'pending' }, p.pending);
      g.set({ pipeline: p.kind, state: 'retrying' }, p.retrying);
      g.set({ pipeline: p.kind, state: 'parked' }, p.dead);
    },
    ['state'],
  );
  pipelines('pmh_outbox_in_flight_messages', 'Of those, leased by this process: being delivered now.', (g, p) => g.set({ pipeline: p.kind }, p.inFlight));
  pipelines('pmh_outbox_stuck_messages', 'Of those, under a lease no delivery of this process holds (`pmh retry` frees them).', (g, p) =>
    g.set({ pipeline: p.kind }, p.stuck),
  );
  pipelines('pmh_outbox_oldest_message_age_seconds', 'Age of the oldest message of each pipeline not delivered yet (0 when there is none).', (g, p) =>
    g.set({ pipeline: p.kind }, p.oldestAgeSeconds ?? 0),
  );
}

/**
 * Re-seals what is still pending under the current epoch and destroys the keys nothing needs any
 * more, about twice per grace period (or per epoch, when shorter).
 */
function shreddingUpkeep(base: ServiceBase, columns: SealedColumn[], health: Database['health']): PollingLoop {
  const s = base.shredding;
  const log = base.log.child({ component: 'shredding' });
  const pollMs = Math.max(100, (Math.min(s.epochSeconds, Math.max(s.graceSeconds, 1)) * 1000) / 2);
  return new PollingLoop(
    async () => {
      const round = await s.maintain(base.db, columns);
      if (round.destroyed.length || round.resealed)
        log.debug({ destroyed: round.destroyed, resealed: round.resealed }, 'epoch keys: pending values re-sealed, unused keys destroyed');
      if (round.unopenable)
        log.error(
          { rows: round.unopenable, kept: round.kept },
          'sealed values that do not open under their own key and row: their keys are kept for an operator',
        );
      return false;
    },
    { name: 'shredding upkeep', log, pollMs, health },
  );
}

function adminRoutes(base: ServiceBase, outbox: Outbox, isReady: () => boolean): void {
  const admin = base.auth.requireRole('admin');
  // An operator needs the status most when the database is away: it answers from this process's own view then.
  serve(base.app, operatorApi.status, { access: admin, config: { withoutDatabase: true } }, async () => ({
    service: base.name,
    database: { ready: isReady(), ...base.database.health.view() },
    pipelines: (await outbox.status({ count: isReady() })).map(({ kind, ...s }) => ({ name: kind, ...s })),
  }));
  serve(base.app, operatorApi.retry, { access: admin }, async (req) => {
    if (req.query.pipeline && !outbox.kinds().includes(req.query.pipeline))
      throw new ProblemError(404, 'not-found', 'This service has no pipeline by that name.');
    return { service: base.name, redriven: await outbox.retry(req.query.pipeline) };
  });
}
