import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyError, type FastifyBaseLogger, type FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import type { Logger } from 'pino';
import { ProblemError, type FieldError, pointerSegment, databaseProblem, safeFieldErrors } from './problem.ts';
import { announcesBody, guardEveryRoute } from './access.ts';
import { useJsonBodies } from './json-body.ts';
import { resolveRateLimits, type RateLimitSettings } from './rate-limit.ts';
import { RouteLogController } from './request-log.ts';
import { WIRE_FORMATS, formatMessage } from '@pmh/protocol/text';
import { refuseUnstorableText } from './text-backstop.ts';
import { twelveDigitRuns } from '../text/my-number.ts';

export type App = FastifyInstance<any, any, any, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface AppOptions {
  service: string;
  version?: string;
  description?: string;
  logger: Logger;
  /** Largest request body accepted where a route does not say (`bodyLimit` in its options), in bytes. */
  bodyLimit?: number;
  /** Rate limits; what is not given comes from the environment (`PMH_RATE_LIMIT…`), then the defaults. */
  rateLimit?: Partial<RateLimitSettings>;
  /**
   * The reverse proxies in front of the service (addresses or CIDRs, comma-separated; default
   * `PMH_TRUST_PROXY`): their X-Forwarded-For names the caller's address, which per-address rate
   * limits count. Without it every caller behind a proxy shares the proxy's address.
   */
  trustProxy?: string;
  /** Checked by /readyz (e.g. a database ping); a ProblemError it throws is the answer (it names the dependency). */
  ready?: () => Promise<void>;
  /**
   * Whether an error means the database is away (and tells whoever watches it); such errors answer
   * 503 with Retry-After, not 500. Default: `isConnectionError`.
   */
  unavailable?: (err: unknown) => boolean;
  /** Sees every request that reached this service and its answer: tests record what crossed a boundary. */
  observe?: (e: ObservedExchange) => void;
}

export interface ObservedExchange {
  service: string;
  method: string;
  url: string;
  status: number;
  request: unknown;
  response: string;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Maps Ajv errors to problem+json field errors that name the field in plain words. */
export function ajvToFieldErrors(validation: any[], context?: string): FieldError[] {
  const prefix = context === 'body' || !context ? '' : `/${context}`;
  return safeFieldErrors(
    validation.map((v) => {
      const base = prefix + (v.instancePath ?? '');
      switch (v.keyword) {
        case 'required':
          return { pointer: `${base}/${pointerSegment(v.params.missingProperty)}`, message: 'is required' };
        case 'additionalProperties':
          return {
            pointer: `${base}/${pointerSegment(v.params.additionalProperty)}`,
            message: 'is not a known field',
          };
        case 'type':
          return { pointer: base, message: `must be of type ${v.params.type}` };
        case 'enum':
          return { pointer: base, message: `must be one of ${(v.params.allowedValues ?? []).join(', ')}` };
        case 'format':
          return { pointer: base, message: formatMessage(String(v.params.format)) };
        case 'minimum':
        case 'maximum':
          return { pointer: base, message: `must be ${v.keyword === 'minimum' ? 'at least' : 'at most'} ${Number(v.params.limit).toLocaleString('en-US')}` };
        default:
          return { pointer: base, message: String(v.message ?? 'is invalid') };
      }
    }),
  );
}

/** Most routes take a small JSON object; the ones that take batches or tasks say how much they need. */
export const DEFAULT_BODY_LIMIT = 16 * 1024;

/** The headers every answer carries, whichever way it leaves (a route, an error, the router's own refusals). */
const SECURITY_HEADERS: ReadonlyArray<[string, string]> = [
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['cross-origin-opener-policy', 'same-origin'],
];
const CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";

function securityHeaders(reply: FastifyReply, path: string): void {
  for (const [name, value] of SECURITY_HEADERS) reply.header(name, value);
  if (!path.startsWith('/docs')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
}

/** What the HTTP parser refuses before there is a request at all (Node's `clientError`), by its code. */
const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'headers-too-large', 'The request headers are larger than this service takes.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request-timeout', 'The request did not arrive in time.'],
};

/**
 * The answer to a request the HTTP parser refused (headers too large, a malformed request line):
 * problem+json with the headers of every other answer and a request id, never an echo of the input,
 * written on the socket itself (there is no request for Fastify's reply), then the connection closed.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: import('node:net').Socket, log?: FastifyBaseLogger): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, detail] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'bad-request', 'The request could not be read.'];
  const id = crypto.randomUUID();
  log?.info({ reqId: id, route: '(no request)', status, err: { code: err.code } }, 'request refused by the HTTP parser');
  const body = JSON.stringify(new ProblemError(status, code, detail).toProblem());
  const headers = [
    `HTTP/1.1 ${status} ${reason}`,
    'content-type: application/problem+json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    `x-request-id: ${id}`,
    ...SECURITY_HEADERS.map(([name, value]) => `${name}: ${value}`),
    `content-security-policy: ${CONTENT_SECURITY_POLICY}`,
    'cache-control: no-store',
    'connection: close',
  ];
  if (socket.writable) socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
  else socket.destroy();
}

/** Fastify's own 4xx (bad JSON, too large, bad media type, bad URL). Its messages quote the input, so each gets a fixed sentence. */
const FRAMEWORK_4XX: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed-json', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed-json', 'The request body is empty but JSON was declared.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'too-large', 'The request body is larger than this endpoint accepts.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'This content type is not accepted here.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad-length', 'Content-Length does not match the body.'],
  FST_ERR_BAD_URL: [400, 'bad-url', 'The URL is not valid: it has a malformed percent escape.'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'uri-too-long', 'A segment of the URL path is longer than any this service takes.'],
};

export async function createApp(opts: AppOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: (opts.trustProxy ?? process.env.PMH_TRUST_PROXY)?.trim() || false,
    // Request lines name the route, never the URL and its values.
    logController: new RouteLogController(),
    // Several services start at once in the demo on a 2-core machine: plugins may take a while.
    pluginTimeout: 60_000,
    genReqId(req) {
      const given = req.headers['x-request-id'];
      // A caller's id is kept only if it cannot be a My Number in disguise (it reaches every log line).
      return typeof given === 'string' && REQUEST_ID.test(given) && twelveDigitRuns(given).length === 0 ? given : crypto.randomUUID();
    },
    ajv: {
      // Unknown fields are rejected, not silently dropped; types are not coerced. The wire's own
      // formats (text, date windows: protocol text.ts) are checked like the standard ones.
      customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: true, formats: WIRE_FORMATS },
    },
    // The response serializer checks the branches of a union (anyOf) with Ajv too: it knows the wire's formats.
    serializerOpts: { ajv: { formats: WIRE_FORMATS } },
    routerOptions: { ignoreTrailingSlash: true },
    // What Node's HTTP parser refuses (headers over 16 KB, a broken request line) is answered like every other refusal.
    clientErrorHandler(err, socket) {
      answerClientError(err, socket, opts.logger);
    },
    // A URL the router cannot take (a malformed escape, an over-long segment) is answered like any
    // other refusal: problem+json, the same headers, the request id, and never the URL itself.
    frameworkErrors(err, req, res) {
      const reply = res as FastifyReply;
      const [status, code, detail] = FRAMEWORK_4XX[err.code] ?? [400, 'bad-request', 'The request could not be processed.'];
      req.log.info({ method: req.method, route: '(no route)', status, err: { code: err.code } }, 'request refused by the router');
      reply.header('x-request-id', req.id);
      securityHeaders(reply, '');
      reply
        .status(status)
        .type('application/problem+json')
        .send(JSON.stringify(new ProblemError(status, code, detail).toProblem()));
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    securityHeaders(reply, req.url);
    // Refused before its body arrived (no token, too large, wrong type): the connection is closed
    // rather than the rest of the body read and thrown away.
    if (reply.statusCode >= 400 && announcesBody(req) && !req.raw.complete) reply.header('connection', 'close');
    return payload;
  });

  // Whatever a route's schema forgot: nothing PostgreSQL cannot hold reaches a handler.
  refuseUnstorableText(app);

  if (opts.observe) {
    const observe = opts.observe;
    app.addHook('onSend', async (req, reply, payload) => {
      observe({
        service: opts.service,
        method: req.method,
        url: req.url,
        status: reply.statusCode,
        request: req.body,
        response: typeof payload === 'string' ? payload : '',
      });
      return payload;
    });
  }

  app.setErrorHandler((err: FastifyError | ProblemError, req, reply) => {
    let status: number;
    let body: Record<string, unknown>;
    let problem: ProblemError | undefined;
    if (err instanceof ProblemError) {
      status = err.status;
      body = err.toProblem();
      if (err.headers) reply.headers(err.headers);
    } else if ((problem = databaseProblem(err, opts.unavailable))) {
      // The database went away ("not now", not a fault of ours to trace per request: the outage is
      // logged once), or gave this transaction up for another: nothing was written, and a caller
      // that retries (as every counterpart does on 503) succeeds.
      status = problem.status;
      body = problem.toProblem();
      reply.headers(problem.headers!);
      if (problem.code === 'contended') req.log.warn({ err: { code: (err as { code?: string }).code } }, 'request gave way to a concurrent one; answered 503');
    } else if ((err as FastifyError).validation) {
      const fe = err as FastifyError;
      status = 400;
      body = new ProblemError(400, 'validation', 'The request does not match the schema.', {
        errors: ajvToFieldErrors(fe.validation!, fe.validationContext),
      }).toProblem();
    } else {
      const fe = err as FastifyError;
      const known = FRAMEWORK_4XX[fe.code ?? ''];
      status = known?.[0] ?? (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500);
      if (status >= 500) {
        req.log.error({ err: { type: fe.name, code: fe.code, message: fe.message, stack: fe.stack } }, 'request failed');
        body = new ProblemError(status, 'internal', `An internal error occurred (request ${req.id}).`).toProblem();
      } else {
        const [, code, detail] =
          known ?? (err instanceof SyntaxError ? FRAMEWORK_4XX.FST_ERR_CTP_INVALID_JSON_BODY! : [status, 'bad-request', 'The request could not be processed.']);
        body = new ProblemError(status, code, detail).toProblem();
      }
    }
    // The route's own members (OAuth's `error`) where the problem has none of its own.
    const members = req.routeOptions?.config?.problemMembers;
    if (members && status < 500) body = { ...body, ...Object.fromEntries(Object.entries(members).filter(([k]) => !(k in body))) };
    reply.status(status).type('application/problem+json').send(body);
  });

  app.setNotFoundHandler((_req, reply) => {
    reply
      .status(404)
      .type('application/problem+json')
      .send(new ProblemError(404, 'not-found', 'No route of this service matches the method and path.').toProblem());
  });

  useJsonBodies(app);
  const limits = resolveRateLimits(opts.rateLimit);
  await app.register(rateLimit, { global: false });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `PMH ${opts.service}`, version: opts.version ?? '1.0.0', description: opts.description },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // From here on, every route declares its access (the documentation's routes above are public).
  guardEveryRoute(app, limits);

  const open = { config: { access: 'public' as const }, schema: { hide: true } };
  app.get('/openapi.json', open, async () => app.swagger());
  app.get('/healthz', open, async () => ({ status: 'ok', service: opts.service }));
  app.get('/readyz', open, async (_req, reply) => {
    try {
      await opts.ready?.();
      return { status: 'ready', service: opts.service };
    } catch (e) {
      const p = e instanceof ProblemError ? e : new ProblemError(503, 'not-ready', 'A dependency of this service is not available.');
      if (p.headers) reply.headers(p.headers);
      return reply.status(503).type('application/problem+json').send(p.toProblem());
    }
  });
  return app;
}
