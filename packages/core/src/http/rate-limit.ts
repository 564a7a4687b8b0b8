/**
 * How many writes a caller may make per route and time window before it is answered `429` with
 * `Retry-After`. Nobody-yet callers (token requests, login challenges and logins) are counted per IP
 * address; authenticated ones per client (a resident per account). The counts live in each process
 * (several processes behind one address each count on their own).
 */
export interface RateLimitSettings {
  /** False: no limits at all (the test world, benchmarks). */
  enabled: boolean;
  /** The window the numbers below count in. */
  windowMs: number;
  /** Writes per IP address per route, where the caller is not authenticated (yet). */
  perIp: number;
  /** Writes per client per route: municipalities, medical institutions, operators, residents. */
  perClient: number;
  /** Writes per peer service per route: the hub, ID server, OQS and portal carry the whole country's traffic. */
  perService: number;
  /** A route's own number, replacing its class's: `{ 'POST /portal/v1/sessions': 30 }`. */
  routes: Record<string, number>;
}

/** The peers' roles: each service calls the others as itself (docs/architecture.md#services). */
export const SERVICE_ROLES: ReadonlySet<string> = new Set(['hub', 'idserver', 'oqs', 'portal']);

/**
 * For a national service: a person logs in a few times a day (60 a minute per address leaves room
 * for a household or an office behind one address); a municipality or a clinic writes far less
 * than 10 a second on any one route; peers run batches and every clinic's eligibility check.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  enabled: true,
  windowMs: 60_000,
  perIp: 60,
  perClient: 600,
  perService: 60_000,
  routes: {},
};

function count(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, not "${value}".`);
  return n;
}

/**
 * The settings the environment gives: `PMH_RATE_LIMIT` (`off` or `on`), `PMH_RATE_LIMIT_PER_IP`,
 * `PMH_RATE_LIMIT_PER_CLIENT`, `PMH_RATE_LIMIT_PER_SERVICE`, `PMH_RATE_LIMIT_WINDOW_SECONDS`, and
 * `PMH_RATE_LIMIT_ROUTES` (`POST /oauth/token=120,POST /portal/v1/sessions=30`).
 */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<RateLimitSettings> {
  const out: Partial<RateLimitSettings> = {};
  const switched = env.PMH_RATE_LIMIT?.trim().toLowerCase();
  if (switched) {
    if (switched !== 'off' && switched !== 'on') throw new Error(`PMH_RATE_LIMIT must be "on" or "off", not "${env.PMH_RATE_LIMIT}".`);
    out.enabled = switched === 'on';
  }
  if (env.PMH_RATE_LIMIT_PER_IP) out.perIp = count('PMH_RATE_LIMIT_PER_IP', env.PMH_RATE_LIMIT_PER_IP);
  if (env.PMH_RATE_LIMIT_PER_CLIENT) out.perClient = count('PMH_RATE_LIMIT_PER_CLIENT', env.PMH_RATE_LIMIT_PER_CLIENT);
  if (env.PMH_RATE_LIMIT_PER_SERVICE) out.perService = count('PMH_RATE_LIMIT_PER_SERVICE', env.PMH_RATE_LIMIT_PER_SERVICE);
  if (env.PMH_RATE_LIMIT_WINDOW_SECONDS) out.windowMs = count('PMH_RATE_LIMIT_WINDOW_SECONDS', env.PMH_RATE_LIMIT_WINDOW_SECONDS) * 1000;
  if (env.PMH_RATE_LIMIT_ROUTES?.trim()) {
    out.routes = {};
    for (const item of env.PMH_RATE_LIMIT_ROUTES.split(',')) {
      const m = /^\s*([A-Z]+)\s+(\/\S*)\s*=\s*(\S+)\s*$/.exec(item);
      if (!m) throw new Error(`PMH_RATE_LIMIT_ROUTES: "${item.trim()}" is not "METHOD /path=number".`);
      out.routes[`${m[1]} ${m[2]}`] = count(`PMH_RATE_LIMIT_ROUTES (${m[1]} ${m[2]})`, m[3]!);
    }
  }
  return out;
}

/** Defaults, then the environment, then what the service's configuration says. */
export function resolveRateLimits(given: Partial<RateLimitSettings> = {}, env: NodeJS.ProcessEnv = process.env): RateLimitSettings {
  const fromEnv = rateLimitsFromEnv(env);
  return { ...DEFAULT_RATE_LIMITS, ...fromEnv, ...given, routes: { ...fromEnv.routes, ...given.routes } };
}
