import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './app.ts';
import type { Guard } from './access.ts';
import { ProblemError } from './problem.ts';
import { routeOf } from './request-log.ts';

/**
 * A service's metrics in the Prometheus text format (prom-client), at `GET /metrics`.
 *
 * One registry per service instance, never prom-client's global one: the demo and the tests run
 * several services in one process, and each must show its own figures. Labels hold only what the
 * code chose — a route's pattern (`/municipal/v1/subjects/:municipalityIdentityKey`), a status, a
 * pipeline's name, a process — never a value a caller sent: no identifier, no pseudonym, no URL.
 *
 * What needs the database (outbox backlog, task queue) is read when scraped, by a cheap statement
 * whose reading is kept for `cacheMs`, so a storm of scrapes is not a load on the database; nothing
 * polls in the background.
 */
export interface MetricsOptions {
  /** `false`: no /metrics and no request timing at all (`PMH_METRICS=off`). */
  enabled: boolean;
  /** How long a reading from the database serves scrapes (`PMH_METRICS_CACHE_MS`, default 1,000 ms). */
  cacheMs: number;
  /**
   * Addresses (or CIDRs) that may scrape without a token (`PMH_METRICS_ALLOW`, comma-separated;
   * `none` for nobody); default the loopback addresses. Everyone else needs an `admin` bearer token.
   */
  allow: string[];
}

export const DEFAULT_METRICS: MetricsOptions = { enabled: true, cacheMs: 1_000, allow: ['127.0.0.0/8', '::1'] };

/** The settings the environment gives (`PMH_METRICS`, `PMH_METRICS_CACHE_MS`, `PMH_METRICS_ALLOW`), over the defaults. */
export function resolveMetrics(given: Partial<MetricsOptions> = {}, env: NodeJS.ProcessEnv = process.env): MetricsOptions {
  const out: MetricsOptions = { ...DEFAULT_METRICS };
  const switched = env.PMH_METRICS?.trim().toLowerCase();
  if (switched) {
    if (switched !== 'on' && switched !== 'off') throw new Error(`PMH_METRICS must be "on" or "off", not "${env.PMH_METRICS}".`);
    out.enabled = switched === 'on';
  }
  if (env.PMH_METRICS_CACHE_MS) {
    const n = Number(env.PMH_METRICS_CACHE_MS);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`PMH_METRICS_CACHE_MS must be a whole number of milliseconds, not "${env.PMH_METRICS_CACHE_MS}".`);
    out.cacheMs = n;
  }
  const allow = env.PMH_METRICS_ALLOW?.trim();
  if (allow) out.allow = allow.toLowerCase() === 'none' ? [] : allow.split(',').map((a) => a.trim());
  return { ...out, ...given };
}

/**
 * Request durations in seconds. Eligibility answers in milliseconds (its target: p99 < 25 ms), a
 * registration task's acceptance of 10,000 records in seconds: buckets from 1 ms to 30 s.
 */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Who was refused by a rate limit, by the kind of key it counts: never the key itself (an address, a client id). */
type CallerKind = 'address' | 'client' | 'resident' | 'service';

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests: Histogram<'method' | 'route' | 'status'>;
  readonly rateLimitRefusals: Counter<'route' | 'caller'>;

  constructor(
    readonly service: string,
    readonly options: MetricsOptions = DEFAULT_METRICS,
  ) {
    this.registry.setDefaultLabels({ service });
    // The process's CPU, memory, event-loop delay, GC and handles (prom-client's default set).
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Requests by method, route pattern and status, and how long each took to answer (seconds).',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    this.rateLimitRefusals = new Counter({
      name: 'pmh_rate_limit_refusals_total',
      help: 'Requests refused 429 by a rate limit, by route ("METHOD /pattern") and the kind of caller counted (address, client, resident, service).',
      labelNames: ['route', 'caller'],
      registers: [this.registry],
    });
  }

  /** Times one answered request (Fastify's `onResponse`): its route's pattern, never its URL. */
  observe(req: FastifyRequest, reply: FastifyReply): void {
    this.requests.observe({ method: req.method, route: routeOf(req), status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  }

  /** A rate limit refused a request (@fastify/rate-limit's `onExceeded`); `key` is only read for its kind. */
  refused(route: string, key: string, serviceCaller: boolean): void {
    const kind: CallerKind = key.startsWith('ip:') ? 'address' : key.startsWith('resident:') ? 'resident' : serviceCaller ? 'service' : 'client';
    this.rateLimitRefusals.inc({ route, caller: kind });
  }

  /**
   * A gauge set at each scrape from `read()`'s answer (a cached reading, see `cachedReading`). Label
   * sets are reset first, so one that disappeared does not linger at its last value.
   */
  gauge<L extends string, T>(
    def: { name: string; help: string; labelNames?: L[] },
    read: () => Promise<T | undefined>,
    set: (g: Gauge<L>, reading: T) => void,
  ): Gauge<L> {
    return new Gauge<L>({
      ...def,
      labelNames: def.labelNames ?? [],
      registers: [this.registry],
      async collect() {
        const reading = await read();
        if (reading === undefined) return;
        this.reset();
        set(this, reading);
      },
    });
  }

  /** `read` shared by every scrape for the configured `cacheMs` (see `cachedReading`). */
  cached<T>(read: () => Promise<T>, onError?: (e: unknown) => void): () => Promise<T | undefined> {
    return cachedReading(read, this.options.cacheMs, onError);
  }

  /** The exposition text (`text/plain; version=0.0.4`). */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * One reading shared by every scrape for `ttlMs` (and by concurrent scrapes while it is being
 * read). A reading that fails answers the last good one (`undefined` before any): a scrape while
 * the database is away still answers, with what was last known.
 */
export function cachedReading<T>(read: () => Promise<T>, ttlMs: number, onError?: (e: unknown) => void): () => Promise<T | undefined> {
  let last: T | undefined;
  let readAt = -Infinity;
  let pending: Promise<T | undefined> | undefined;
  return () => {
    if (performance.now() - readAt < ttlMs) return Promise.resolve(last);
    pending ??= read()
      .then(
        (v) => {
          last = v;
          readAt = performance.now();
          return v;
        },
        (e) => {
          onError?.(e);
          return last;
        },
      )
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

/** `::ffff:127.0.0.1` (an IPv4 caller on a dual-stack socket) is 127.0.0.1. */
function plainAddress(address: string | undefined): string | undefined {
  const m = address && /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}

function blockListOf(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const type = isIPv4(address ?? '') ? 'ipv4' : isIPv6(address ?? '') ? 'ipv6' : undefined;
    if (!type) throw new Error(`PMH_METRICS_ALLOW: "${entry}" is not an address or CIDR.`);
    if (bits === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, Number(bits), type);
  }
  return list;
}

/**
 * Who may read a service's metrics. Without a token: a caller whose connection comes from an
 * allowed address (default loopback) and was not forwarded by a proxy — a proxy on the same machine
 * would otherwise make every caller loopback. Anyone else: the `admin` role's bearer token, on a
 * service that issues tokens (`token`); on one that does not (the clinic), nobody else.
 */
export function metricsAccess(allow: string[], token?: Guard): Guard {
  const list = blockListOf(allow);
  return async (req, reply) => {
    const peer = plainAddress(req.socket.remoteAddress);
    const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
    if (peer && !forwarded && list.check(peer, isIPv6(peer) ? 'ipv6' : 'ipv4')) return;
    if (token) return token(req, reply);
    throw new ProblemError(403, 'forbidden', 'Metrics are served to the configured scrapers only.');
  };
}

/** Serves `GET /metrics` (hidden from the OpenAPI document, like `/healthz`: it is the operator's, not an API). */
export function serveMetrics(app: App, metrics: ServiceMetrics, access: Guard): void {
  app.get('/metrics', { config: { access }, schema: { hide: true } }, async (_req, reply) => {
    const text = await metrics.scrape();
    return reply.type(metrics.registry.contentType).send(text);
  });
}

/** One sample of an exposition: `name{labels} value`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;

/**
 * Reads the Prometheus text format (version 0.0.4) back into samples: what `pmh status` shows and
 * the tests check, read from the same /metrics a Prometheus server scrapes.
 */
export function parseMetrics(text: string): MetricSample[] {
  const out: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line.slice(0, 200)}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      LABEL.lastIndex = 0;
      let l: RegExpExecArray | null;
      while (LABEL.lastIndex < m[2].length && (l = LABEL.exec(m[2]))) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const v = m[3]!;
    out.push({ name: m[1]!, labels, value: v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v) });
  }
  return out;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none). */
export function sumOf(samples: MetricSample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
}
