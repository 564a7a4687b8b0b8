import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { normalizeIP } from '@fastify/rate-limit';
import type { App } from './app.ts';
import { CSV_CHARSET_NAMES } from '../text/csv-input.ts';
import { ProblemError } from './problem.ts';
import { SERVICE_ROLES, type RateLimitSettings } from './rate-limit.ts';

/**
 * A check of the caller that needs only the request's head: a bearer token and its role, a
 * resident's session cookie, the request's origin. It throws a ProblemError to refuse. A guard may
 * say what it checks as an OpenAPI security requirement (`[{ bearer: ['admin'] }]`); the route's
 * documentation then says so.
 */
export type Guard = ((req: FastifyRequest, reply: FastifyReply) => Promise<void>) & { security?: Array<Record<string, string[]>> };

/** Who may call a route: anyone (`'public'`), or whoever passes the guard. */
export type Access = 'public' | Guard;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Declared by every route (a route without it is refused at start-up); checked before the body is read. */
    access?: Access;
    /** Members added to every problem this route answers, unless the problem has its own (OAuth's `error`, RFC 6749 §5.2). */
    problemMembers?: Record<string, unknown>;
  }
  interface FastifyRequest {
    /** Who is calling, for rate limits: `client:<id>`, `resident:<account>`; unset while anonymous. Set by guards. */
    caller?: string;
  }
}

const JSON_MEDIA = 'application/json';
const BODILESS = new Set(['GET', 'HEAD']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request says a body follows (RFC 9112 §6.3). */
export function announcesBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The charsets a body of each media type may come in (absent: UTF-8 only — RFC 8259 §8.1 for JSON). */
const CHARSETS: Record<string, readonly string[]> = { 'text/csv': CSV_CHARSET_NAMES };

/** 415 unless a body is of a media type the route takes, in a charset that type may have. */
function mediaTypeCheck(accepted: string[]): Guard {
  const list = accepted.map((t) => t.toLowerCase());
  return async (req) => {
    if (!announcesBody(req)) return;
    const [type = '', ...params] = String(req.headers['content-type'] ?? '').split(';');
    const charset = params
      .map((p) => p.trim().toLowerCase())
      .find((p) => p.startsWith('charset='))
      ?.slice('charset='.length)
      .replace(/"/g, '');
    const media = type.trim().toLowerCase();
    const charsets = CHARSETS[media] ?? ['utf-8', 'utf8'];
    if (!list.includes(media) || (charset !== undefined && !charsets.includes(charset)))
      throw new ProblemError(
        415,
        'unsupported-media-type',
        `This endpoint takes a body of type ${list.join(' or ')} in ${list.includes('text/csv') ? 'UTF-8 or Shift_JIS' : 'UTF-8'}.`,
      );
  };
}

function rateLimiter(app: App, limits: RateLimitSettings, route: string): Guard {
  const own = limits.routes[route];
  return app.rateLimit({
    timeWindow: limits.windowMs,
    keyGenerator: (req) => req.caller ?? `ip:${normalizeIP(req.ip)}`,
    max: (req, key) => own ?? (key.startsWith('ip:') ? limits.perIp : SERVICE_ROLES.has(req.principal?.role ?? '') ? limits.perService : limits.perClient),
    errorResponseBuilder: (_req, ctx) =>
      new ProblemError(429, 'rate-limited', 'Too many requests to this endpoint; try again after the time Retry-After gives.', {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(ctx.ttl / 1000))) },
      }),
  }) as Guard;
}

/**
 * Makes every route's door the same, checked in `onRequest`, before a byte of the body is read:
 * first the route's guard (401/403 whatever the body), then the caller's rate limit on writes (429),
 * then the body's media type (415). A route that does not declare `config.access` cannot be added
 * (the service does not start), so a new route cannot forget its check.
 */
export function guardEveryRoute(app: App, limits: RateLimitSettings): void {
  if (!app.hasRequestDecorator('caller')) app.decorateRequest('caller', undefined);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = [route.method].flat();
    const name = `${methods.join(',')} ${route.url}`;
    const access = route.config?.access;
    if (access !== 'public' && typeof access !== 'function')
      throw new Error(`${name}: every route declares who may call it (config.access: 'public' or a guard).`);
    const door: Guard[] = [];
    if (access !== 'public') door.push(access);
    if (access !== 'public' && access.security && route.schema) (route.schema as { security?: unknown }).security = access.security;
    if (limits.enabled && methods.some((m) => !READS.has(m))) door.push(rateLimiter(app, limits, name));
    if (methods.some((m) => !BODILESS.has(m))) door.push(mediaTypeCheck((route.schema as { consumes?: string[] } | undefined)?.consumes ?? [JSON_MEDIA]));
    route.onRequest = [...door, ...[route.onRequest ?? []].flat()] as RouteOptions['onRequest'];
  });
}
