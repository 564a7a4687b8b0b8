import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyError, type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import { WIRE_FORMATS, formatMessage } from '@pmh/protocol/text';
import { ProblemError, type FieldError, pointerSegment, safeFieldErrors } from './problem.ts';
import { refuseUnstorableText } from './text-backstop.ts';
import { twelveDigitRuns } from '../text/my-number.ts';

export type App = FastifyInstance<any, any, any, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface AppOptions {
  service: string;
  version?: string;
  description?: string;
  logger: Logger;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /** Checked by /readyz (e.g. a database ping). */
  ready?: () => Promise<void>;
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
  return safeFieldErrors(validation.map((v) => {
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
  }));
}

export async function createApp(opts: AppOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
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
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (!req.url.startsWith('/docs')) {
      reply.header('content-security-policy', "default-src 'self'; frame-ancestors 'none'; base-uri 'none'");
    }
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  // Whatever a route's schema forgot: nothing PostgreSQL cannot hold reaches a handler.
  refuseUnstorableText(app);

  if (opts.observe) {
    const observe = opts.observe;
    app.addHook('onSend', async (req, reply, payload) => {
      observe({ service: opts.service, method: req.method, url: req.url, status: reply.statusCode, request: req.body, response: typeof payload === 'string' ? payload : '' });
      return payload;
    });
  }

  app.setErrorHandler((err: FastifyError | ProblemError, req, reply) => {
    let status: number;
    let body: Record<string, unknown>;
    if (err instanceof ProblemError) {
      status = err.status;
      body = err.toProblem();
      if (err.headers) reply.headers(err.headers);
    } else if ((err as FastifyError).validation) {
      const fe = err as FastifyError;
      status = 400;
      body = new ProblemError(400, 'validation', 'The request does not match the schema.', {
        errors: ajvToFieldErrors(fe.validation!, fe.validationContext),
      }).toProblem();
    } else {
      const fe = err as FastifyError;
      status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
      if (status >= 500) {
        req.log.error({ err: { type: fe.name, code: fe.code, message: fe.message, stack: fe.stack } }, 'request failed');
        body = new ProblemError(status, 'internal', `An internal error occurred (request ${req.id}).`).toProblem();
      } else {
        // Fastify's own 4xx (bad JSON, too large, bad media type). Its messages can quote the input,
        // so we answer a fixed sentence per code instead.
        const fixed: Record<string, [string, string]> = {
          FST_ERR_CTP_INVALID_JSON_BODY: ['malformed-json', 'The request body is not valid JSON.'],
          FST_ERR_CTP_EMPTY_JSON_BODY: ['malformed-json', 'The request body is empty but JSON was declared.'],
          FST_ERR_CTP_BODY_TOO_LARGE: ['too-large', 'The request body is larger than this endpoint accepts.'],
          FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported-media-type', 'This content type is not accepted here.'],
          FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['bad-length', 'Content-Length does not match the body.'],
        };
        const known = fixed[fe.code ?? ''];
        const isJsonSyntax = err instanceof SyntaxError;
        const [code, detail] = known ?? (isJsonSyntax ? fixed.FST_ERR_CTP_INVALID_JSON_BODY : ['bad-request', 'The request could not be processed.']);
        body = new ProblemError(status, code, detail).toProblem();
      }
    }
    reply.status(status).type('application/problem+json').send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .type('application/problem+json')
      .send(new ProblemError(404, 'not-found', `No route ${req.method} ${req.url.split('?')[0]}.`).toProblem());
  });

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

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', service: opts.service }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await opts.ready?.();
      return { status: 'ready', service: opts.service };
    } catch {
      return reply
        .status(503)
        .type('application/problem+json')
        .send(new ProblemError(503, 'not-ready', 'A dependency of this service is not available.').toProblem());
    }
  });
  return app;
}
