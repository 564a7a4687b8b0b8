import type { FastifyReply, FastifyRequest, FastifyContextConfig } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Endpoint, Success } from '@pmh/protocol/contract';
import type { App } from './app.ts';
import type { Access } from './access.ts';

type StaticOr<S, D> = S extends TSchema ? Static<S> : D;

/** The request of an endpoint's handler, typed by its contract. */
export type EndpointRequest<E extends Endpoint> = FastifyRequest<{
  Body: StaticOr<E['body'], undefined>;
  Querystring: StaticOr<E['querystring'], Record<string, never>>;
  Params: StaticOr<E['params'], Record<string, never>>;
  Headers: StaticOr<E['headers'], Record<string, string | string[] | undefined>>;
}>;

export type EndpointHandler<E extends Endpoint> = (req: EndpointRequest<E>, reply: FastifyReply) => Promise<Success<E> | FastifyReply>;

export interface ServeOptions {
  /** Who may call (checked in onRequest, before the body is read): `'public'` or a guard. */
  access: Access;
  /** Largest body this endpoint takes, in bytes (the service default otherwise). */
  bodyLimit?: number;
  /** Further route config (e.g. `withoutDatabase`, `textCheckedLater`). */
  config?: Omit<FastifyContextConfig, 'access'>;
  /** Hidden from the OpenAPI document. */
  hide?: boolean;
}

/**
 * Registers a route from its contract: method, path, schemas (validation, serialization and the
 * OpenAPI document) all come from the endpoint the callers use too.
 */
export function serve<E extends Endpoint>(app: App, e: E, opts: ServeOptions, handler: EndpointHandler<E>): void {
  app.route({
    method: e.method,
    url: e.path,
    ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
    config: { ...opts.config, access: opts.access },
    schema: {
      summary: e.summary,
      ...(e.description ? { description: e.description } : {}),
      ...(e.tags ? { tags: e.tags } : {}),
      ...(e.params ? { params: e.params } : {}),
      ...(e.querystring ? { querystring: e.querystring } : {}),
      ...(e.headers ? { headers: e.headers } : {}),
      ...(e.body ? { body: e.body } : {}),
      ...(e.consumes ? { consumes: e.consumes } : {}),
      ...(opts.hide ? { hide: true } : {}),
      response: e.responses,
    },
    handler: handler as never,
  });
}

/**
 * A surface of a service (municipal, counterpart, operators, …): the routes one kind of caller uses,
 * behind one door. Every route served through it gets the surface's access unless it names its own.
 */
export interface Surface {
  serve<E extends Endpoint>(e: E, handler: EndpointHandler<E>, opts?: Partial<ServeOptions>): void;
}

export function surface(app: App, defaults: { access: Access; tags?: string[] }): Surface {
  return {
    serve(e, handler, opts = {}) {
      const withTags = defaults.tags && !e.tags ? { ...e, tags: defaults.tags } : e;
      serve(app, withTags, { access: defaults.access, ...opts }, handler);
    },
  };
}
