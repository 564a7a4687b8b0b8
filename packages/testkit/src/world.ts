import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JWK } from 'jose';
import { createLogger, LogCapture } from '@pmh/core/http/logging';
import type { ObservedExchange } from '@pmh/core/http/app';
import type { RateLimitSettings } from '@pmh/core/http/rate-limit';
import type { MetricsOptions } from '@pmh/core/http/metrics';
import { freshDatabase, type FreshDatabase, type Migration } from '@pmh/core/db/index';
import { generateServiceKeys, randomIdentifier, randomLinkageNumber, generateSigningKey, type ServiceKeys } from '@pmh/core/crypto/index';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import type { OutboxOptions } from '@pmh/core/outbox/index';
import type { ShreddingOptions } from '@pmh/core/crypto/index';
import type { Service, ServiceConfig } from '@pmh/core/service';
import type { Answer as Declared, Endpoint, Input } from '@pmh/protocol/contract';
import { callEndpoint } from './http.ts';
import { buildHub, hubMigrations, type Hub, type HubConfig } from '@pmh/hub';
import { buildIdServer, idserverMigrations } from '@pmh/idserver';
import { buildOqs, oqsMigrations } from '@pmh/oqs';
import { buildPortal, portalMigrations, type PortalConfig } from '@pmh/portal';

export type Backend = 'pglite' | 'postgres';
export type ServiceName = 'hub' | 'idserver' | 'oqs' | 'portal';

/** Every backend the tests run on here: PGlite always, PostgreSQL when PMH_TEST_DATABASE_URL is set. */
export function backends(): Backend[] {
  return process.env.PMH_TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface Caller {
  clientId: string;
  role: string;
  privateJwk: JWK;
  publicJwk: JWK;
  tokens: Map<string, TokenClient>;
}

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Two real municipalities' codes (地方公共団体コード, with check digit). */
export const MUNICIPALITY_CODES = ['131016', '271004'] as const;
/** Two medical institutions (医療機関コード, 10 digits), clients of OQS and of the portal (its clinic relay) as `clinic:<code>`. */
export const INSTITUTION_CODES = ['1312345674', '2714567890'] as const;

/** Who calls whom (docs/architecture.md#services): each service calls its peers as client `<its name>` with its signing key. */
const PEERS: Record<ServiceName, ServiceName[]> = { hub: ['idserver', 'portal'], idserver: ['oqs'], oqs: ['portal', 'hub'], portal: ['hub', 'oqs'] };
const MIGRATIONS: Record<ServiceName, Migration[]> = { hub: hubMigrations, idserver: idserverMigrations, oqs: oqsMigrations, portal: portalMigrations };

/** A person as the world outside PMH knows them: insurer enrolment (紐付番号), portal account, card. */
export interface Enrolled {
  myNumber: string;
  linkageNumber: string;
  pseudonym: string;
  cardSerial: string;
  cardKey: { privateJwk: JWK; publicJwk: JWK };
}

interface Running {
  name: ServiceName;
  url: string;
  port: number;
  db: FreshDatabase;
  keys: ServiceKeys;
  service?: Service;
  hub?: Hub;
}

export interface WorldOptions {
  backend?: Backend;
  /**
   * The PostgreSQL server's admin URL for backend `postgres` (default PMH_TEST_DATABASE_URL): a
   * fault test points it at a server of its own (`startPrivatePostgres`).
   */
  adminUrl?: string;
  services?: ServiceName[];
  /** Keep PGlite stores on disk, so a service can be stopped and started again on its data. */
  persistent?: boolean;
  workerPollMs?: number;
  /** The hub's scheduled vaccination jobs: an injected clock (`today`) and how often they run. */
  hubJobs?: HubConfig['vaccinationJobs'];
  outbox?: OutboxOptions;
  /** How long OQS uses the hub's published encryption key before fetching its JWKS again. */
  hubKeysRefreshMs?: number;
  /** The hub's own settings (the municipal console's session lifetimes and clock). */
  hub?: Pick<HubConfig, 'console'>;
  /** The portal's own settings (resident session lifetimes, demo cards, clinics' consent lifetime). */
  portal?: Pick<PortalConfig, 'session' | 'demo' | 'consent'>;
  /**
   * Rate limits of every service. Off unless given: a test world makes many more calls from one
   * address and one client in a second than any real caller may.
   */
  rateLimit?: Partial<RateLimitSettings>;
  /** Epoch length and grace of every service's shreddable keys (each service's key store is the world's own). */
  ephemeralKeys?: Omit<ShreddingOptions, 'dir'>;
  /** Every service's /metrics settings (default: on, readings cached 1 s, loopback scrapers). */
  metrics?: Partial<MetricsOptions>;
  /** `false`: the hub's task worker does not run, so accepted tasks stay queued. */
  hubWorker?: boolean;
  /**
   * Peers that are not in this world, answered at these addresses instead (a FakePeer that records
   * what reaches it): a service alone with its counterparts stood in for.
   */
  standIns?: Partial<Record<ServiceName, string>>;
  /** World callers a service admits besides those it admits by role (e.g. a municipality at the ID server, to be refused by role). */
  admit?: Partial<Record<ServiceName, string[]>>;
  /** A service's keys (default: new ones): a second world with the same keys and another database. */
  keys?: Partial<Record<ServiceName, ServiceKeys>>;
}

/**
 * A test world: the real services on ephemeral ports, each on a fresh database from a migrated
 * template, with callers holding real client keys. Everything said over HTTP; every exchange that
 * crossed a service boundary is recorded in `exchanges`.
 */
export class World {
  readonly logs = new LogCapture();
  readonly exchanges: ObservedExchange[] = [];
  readonly callers = new Map<string, Caller>();
  private readonly running = new Map<ServiceName, Running>();
  /** Client keys of the peers that are not in this world, for tests that call as them (`peerCaller`). */
  private readonly absentPeers = new Map<ServiceName, Caller>();
  private tmp?: string;
  /** Each service's store of epoch keys: `<keys>/<service>.ephemeral`, kept across restarts. */
  private readonly keysDir = tempDir('pmh-world-keys-');

  private constructor(
    readonly backend: Backend,
    private readonly opts: WorldOptions,
  ) {}

  static async start(opts: WorldOptions = {}): Promise<World> {
    const w = new World(opts.backend ?? 'pglite', opts);
    const names = opts.services ?? ['hub'];
    for (const code of MUNICIPALITY_CODES) await w.addCaller(`municipality-${code}`, `municipality:${code}`);
    await w.addCaller('operator', 'admin');
    for (const code of INSTITUTION_CODES) await w.addCaller(`clinic-${code}`, `clinic:${code}`);
    if (opts.persistent && w.backend === 'pglite') w.tmp = tempDir('pmh-world-');
    for (const peer of (Object.keys(PEERS) as ServiceName[]).filter((p) => !names.includes(p))) {
      const k = await generateClientKey();
      w.absentPeers.set(peer, { clientId: peer, role: peer, privateJwk: k.privateJwk, publicJwk: k.publicJwk, tokens: new Map() });
    }
    const { freePort } = await import('./net.ts');
    for (const name of names) {
      const port = await freePort();
      const db = await freshDatabase(name, MIGRATIONS[name], {
        adminUrl: w.backend === 'postgres' ? (opts.adminUrl ?? process.env.PMH_TEST_DATABASE_URL) : undefined,
        dataDir: w.tmp ? path.join(w.tmp, name) : undefined,
      });
      w.running.set(name, { name, port, url: `http://127.0.0.1:${port}`, db, keys: opts.keys?.[name] ?? (await generateServiceKeys()) });
    }
    for (const name of names) await w.startService(name);
    return w;
  }

  private async addCaller(clientId: string, role: string): Promise<Caller> {
    const k = await generateClientKey();
    const c: Caller = { clientId, role, privateJwk: k.privateJwk, publicJwk: k.publicJwk, tokens: new Map() };
    this.callers.set(clientId, c);
    return c;
  }

  /** The clients a service admits: the world's callers (hub only for municipalities) and the peers that call it. */
  private clientsOf(name: ServiceName): ServiceConfig['clients'] {
    const callers = [...this.callers.values()].filter(
      (c) =>
        c.role === 'admin' ||
        (c.role.startsWith('municipality:') && name === 'hub') ||
        (c.role.startsWith('clinic:') && (name === 'oqs' || name === 'portal')) ||
        this.opts.admit?.[name]?.includes(c.clientId),
    );
    const peers = (Object.keys(PEERS) as ServiceName[]).filter((p) => PEERS[p].includes(name));
    return [
      ...callers.map((c) => ({ clientId: c.clientId, role: c.role, jwks: { keys: [c.publicJwk] } })),
      ...peers.map((p) => ({ clientId: p, role: p, jwks: { keys: [this.running.get(p)?.keys.signing.publicJwk ?? this.absentPeers.get(p)!.publicJwk] } })),
    ];
  }

  /** Starts (or restarts, on the same port and data) one service. */
  async startService(name: ServiceName): Promise<void> {
    const r = this.running.get(name)!;
    if (r.service) throw new Error(`${name} is running`);
    const config = {
      database: r.db.options,
      keys: r.keys,
      ephemeralKeys: { ...this.opts.ephemeralKeys, dir: this.ephemeralKeyDir(name) },
      publicUrl: r.url,
      logger: createLogger({ service: name, destination: this.logs, level: 'info' }),
      clients: this.clientsOf(name),
      peers: Object.fromEntries(
        PEERS[name].flatMap((p) => {
          const url = this.running.get(p)?.url ?? this.opts.standIns?.[p];
          return url ? [[p, url]] : [];
        }),
      ),
      outbox: { pollMs: 25, baseBackoffMs: 50, maxBackoffMs: 500, ...this.opts.outbox },
      observe: (e: ObservedExchange) => this.exchanges.push(e),
      rateLimit: this.opts.rateLimit ?? { enabled: false },
      metrics: this.opts.metrics,
    };
    if (name === 'hub') {
      r.hub = await buildHub({
        ...config,
        ...this.opts.hub,
        worker: { pollMs: this.opts.workerPollMs ?? 50, enabled: this.opts.hubWorker },
        vaccinationJobs: this.opts.hubJobs,
      });
      r.service = r.hub.service;
    } else {
      r.service = await (name === 'idserver'
        ? buildIdServer(config)
        : name === 'oqs'
          ? buildOqs({ ...config, hubKeys: { refreshMs: this.opts.hubKeysRefreshMs } })
          : buildPortal({ ...config, ...this.opts.portal }));
    }
    await r.service.app.listen({ port: r.port, host: '127.0.0.1' });
    // A PGlite store opened from a template dump must not be reloaded from it on restart.
    if (r.db.options.dataDir && r.db.options.dataDir !== 'memory://') r.db.options.loadDataDir = undefined;
  }

  /** Stops one service (its workers finish their batch); its data stays for `startService`. */
  async stopService(name: ServiceName): Promise<void> {
    const r = this.running.get(name)!;
    await r.service?.close();
    r.service = undefined;
    r.hub = undefined;
  }

  get hub(): Hub {
    return this.running.get('hub')!.hub!;
  }

  get hubUrl(): string {
    return this.url('hub');
  }

  url(name: ServiceName): string {
    return this.running.get(name)!.url;
  }

  /** Where a service's shreddable epoch keys are kept (outside its database). */
  ephemeralKeyDir(name: ServiceName): string {
    return path.join(this.keysDir, `${name}.ephemeral`);
  }

  /** Where a service's database is: its PGlite data directory (persistent worlds), or its PostgreSQL URL. */
  storage(name: ServiceName): { dataDir?: string; url?: string } {
    const o = this.running.get(name)!.db.options;
    return { dataDir: o.dataDir && o.dataDir !== 'memory://' ? o.dataDir : undefined, url: o.url };
  }

  /** The service's keys (its data keys included): for tests that tamper with or inspect sealed values. */
  keys(name: ServiceName): ServiceKeys {
    return this.running.get(name)!.keys;
  }

  service(name: ServiceName): Service {
    const s = this.running.get(name)?.service;
    if (!s) throw new Error(`${name} is not running`);
    return s;
  }

  municipality(code: string = MUNICIPALITY_CODES[0]): Caller {
    return this.callers.get(`municipality-${code}`)!;
  }

  /** A caller with a service's own client credentials, to act as that service towards its peers. */
  peerCaller(name: ServiceName): Caller {
    const id = `peer-${name}`;
    let c = this.callers.get(id) ?? this.absentPeers.get(name);
    if (!c) {
      const k = this.running.get(name)!.keys.signing;
      c = { clientId: name, role: name, privateJwk: k.privateJwk, publicJwk: k.publicJwk, tokens: new Map() };
      this.callers.set(id, c);
    }
    return c;
  }

  clinic(code: string = INSTITUTION_CODES[0]): Caller {
    return this.callers.get(`clinic-${code}`)!;
  }

  get operator(): Caller {
    return this.callers.get('operator')!;
  }

  private tokens(caller: Caller, name: ServiceName): TokenClient {
    let t = caller.tokens.get(name);
    if (!t) {
      t = new TokenClient({ baseUrl: this.url(name), clientId: caller.clientId, privateJwk: caller.privateJwk });
      caller.tokens.set(name, t);
    }
    return t;
  }

  /** The Authorization header `caller` sends to a service (a token fetched once, then cached). */
  authorization(caller: Caller, service: ServiceName = 'hub'): Promise<string> {
    return this.tokens(caller, service).authorization();
  }

  /** An HTTP request to a service (the hub unless named) as `caller`, or anonymous. */
  async call<T = any>(
    caller: Caller | null,
    method: string,
    urlPath: string,
    body?: unknown,
    headers: Record<string, string> = {},
    service: ServiceName = 'hub',
  ): Promise<HttpAnswer<T>> {
    const h: Record<string, string> = { ...headers };
    if (caller) h.authorization = await this.tokens(caller, service).authorization();
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.url(service) + urlPath, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /**
   * A call by one of the portal's resident endpoints (`portalApi.me…`), with the session cookie of
   * `loginResident`, as the resident's pages make it: the declared answer, typed by its status.
   */
  asResident<E extends Endpoint>(cookie: string, e: E, input: Input<E>): Promise<Declared<E> & { text: string }> {
    return callEndpoint({ url: this.url('portal') }, null, e, { ...input, headers: { ...input.headers, cookie } } as Input<E>);
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

  /**
   * Enrols people as the world outside PMH does before any registration: the insurer's enrolment
   * gives the ID server a 紐付番号 (seed A②), and OQS knows that number's portal pseudonym and card.
   */
  async enrol(myNumbers: string[], opts: { idserver?: boolean; oqs?: boolean } = {}): Promise<Enrolled[]> {
    const people: Enrolled[] = [];
    for (const myNumber of myNumbers) {
      const card = await generateSigningKey();
      people.push({
        myNumber,
        linkageNumber: randomLinkageNumber(),
        pseudonym: randomIdentifier('ps'),
        cardSerial: crypto.randomBytes(8).toString('hex').toUpperCase(),
        cardKey: { privateJwk: card.privateJwk, publicJwk: card.publicJwk },
      });
    }
    for (let i = 0; i < people.length; i += 10_000) {
      const batch = people.slice(i, i + 10_000);
      if (opts.idserver !== false) {
        const r = await this.call(
          this.operator,
          'POST',
          '/idserver/v1/linkage-numbers',
          { entries: batch.map((p) => ({ myNumber: p.myNumber, linkageNumber: p.linkageNumber })) },
          {},
          'idserver',
        );
        if (r.status !== 200) throw new Error(`enrolment at idserver: ${r.status} ${r.text}`);
      }
      if (opts.oqs !== false) {
        const r = await this.call(
          this.operator,
          'POST',
          '/oqs/v1/insured',
          {
            entries: batch.map((p) => ({
              linkageNumber: p.linkageNumber,
              pseudonym: p.pseudonym,
              cards: [{ cardSerial: p.cardSerial, publicJwk: { kty: 'EC', crv: 'P-256', x: p.cardKey.publicJwk.x, y: p.cardKey.publicJwk.y } }],
            })),
          },
          {},
          'oqs',
        );
        if (r.status !== 200) throw new Error(`enrolment at oqs: ${r.status} ${r.text}`);
      }
    }
    return people;
  }

  /** Logs a person in at the portal with their card, as the resident pages do: the cookie a browser sends back. */
  async loginResident(p: Enrolled): Promise<string> {
    const { signCardChallenge } = await import('@pmh/core/crypto/index');
    const c = await this.call(null, 'POST', '/portal/v1/session-challenges', undefined, {}, 'portal');
    if (c.status !== 200) throw new Error(`session challenge: ${c.status} ${c.text}`);
    const r = await this.call(
      null,
      'POST',
      '/portal/v1/sessions',
      { cardSerial: p.cardSerial, challenge: c.body.challenge, signature: signCardChallenge(p.cardKey.privateJwk, c.body.challenge) },
      {},
      'portal',
    );
    if (r.status !== 201) throw new Error(`login: ${r.status} ${r.text}`);
    return r.headers.get('set-cookie')!.split(';')[0];
  }

  /** Waits until `check` is true, polling; throws with `what` after the timeout. */
  async until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    for (const r of this.running.values()) await r.service?.close().catch(() => {});
    for (const r of this.running.values()) await r.db.drop().catch(() => {});
    if (this.tmp) fs.rmSync(this.tmp, { recursive: true, force: true });
    fs.rmSync(this.keysDir, { recursive: true, force: true });
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const keyStores: string[] = [];

/** A key store of epoch keys for one service started outside a World, removed when the test process exits. */
export function tempKeyStore(): { dir: string; epochSeconds?: number; graceSeconds?: number } {
  if (keyStores.length === 0) process.once('exit', () => keyStores.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const dir = tempDir('pmh-ephemeral-');
  keyStores.push(dir);
  return { dir };
}
