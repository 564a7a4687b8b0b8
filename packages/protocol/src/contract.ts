import type { Static, TSchema } from 'typebox';

/**
 * The contract of one HTTP endpoint: its method and path, who may call it, and the schemas of what
 * goes in and comes out. Both ends use the same object: the service registers its route from it
 * (core `serve`), and every caller — another service, the CLI, a test, a web page — calls it through
 * `ApiClient.call`, so a field renamed on one side fails the type check on the other.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call: `public` (no credential), `session` (a resident's portal session cookie), or the
 * OAuth client roles admitted (`municipality:*`, `admin`, `hub`, `clinic:*`, …).
 */
export type Callers = 'public' | 'session' | readonly [string, ...string[]];

export interface Endpoint {
  method: Method;
  /** Fastify-style path: `/hub/v1/residents/:pmhPseudonym/subsidies`. */
  path: string;
  callers: Callers;
  summary: string;
  description?: string;
  tags?: string[];
  params?: TSchema;
  querystring?: TSchema;
  headers?: TSchema;
  body?: TSchema;
  /** Media types of the body (default `application/json`). */
  consumes?: string[];
  /** Every status the endpoint answers on purpose, with its body's schema. */
  responses: Record<number, TSchema>;
}

/** Declares an endpoint, keeping its literal types (so `Answer` and `Input` can be read from it). */
export function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

type StaticOf<S> = S extends TSchema ? Static<S> : never;

/**
 * A JSON body serialized ahead of the call, typed by the value it was made from: a benchmark builds
 * its requests before the clock starts, and the type check still holds the value to the endpoint's
 * schema.
 */
export class JsonBody<T> {
  /** Never set: carries `T`, so a `JsonBody` fits only an endpoint whose body `T` is. */
  declare readonly of?: T;
  private constructor(readonly text: string) {}
  static of<T>(value: T): JsonBody<T> {
    return new JsonBody<T>(JSON.stringify(value));
  }
}

/** What a caller sends: path parameters, query, headers and body, each only where the endpoint has one. */
export type Input<E extends Endpoint> = (E['params'] extends TSchema ? { params: Static<E['params']> } : { params?: undefined }) &
  (E['querystring'] extends TSchema ? { query?: Static<E['querystring']> } : { query?: undefined }) &
  (E['body'] extends TSchema ? { body: Static<E['body']> | JsonBody<Static<E['body']>> } : { body?: undefined }) & { headers?: Record<string, string> };

/** The body an endpoint takes. */
export type Body<E extends Endpoint> = E['body'] extends TSchema ? Static<E['body']> : never;

/** One declared answer, discriminated by its status. */
export type Answer<E extends Endpoint> = {
  [S in keyof E['responses'] & number]: { status: S; body: StaticOf<E['responses'][S]>; headers: Headers };
}[keyof E['responses'] & number];

/** The body of the endpoint's success answers (2xx). */
export type Success<E extends Endpoint> = {
  [S in keyof E['responses'] & number]: `${S}` extends `2${string}` ? StaticOf<E['responses'][S]> : never;
}[keyof E['responses'] & number];

/** Fills `:name` segments from `params` (each value percent-encoded). */
export function pathOf(path: string, params?: Record<string, unknown>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new Error(`path parameter ${name} of ${path} is missing`);
    return encodeURIComponent(String(v));
  });
}

function queryOf(query?: Record<string, unknown>): string {
  if (!query) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) q.append(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** An answer with a status the endpoint does not declare (a 5xx, a 429, a 503 while a database is away). */
export class UndeclaredAnswer extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
  ) {
    super(`${endpoint} answered ${status}`);
    this.name = 'UndeclaredAnswer';
  }
  /** Retry-After in milliseconds, when the answer said when to come back (RFC 9110 §10.2.3). */
  get retryAfterMs(): number | undefined {
    const v = this.headers.get('retry-after')?.trim();
    if (!v) return undefined;
    if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
  }
}

export interface ApiClientOptions {
  /** The `Authorization` header to send (e.g. `Bearer …`), asked for before each call; none when it answers undefined. */
  authorization?: () => Promise<string | undefined>;
  /** Called when the answer refused the credential (401 with `WWW-Authenticate`): the client tries once more with a fresh one. */
  invalidate?: () => void;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Extra options for each request (the browser: `credentials: 'same-origin'`). */
  init?: RequestInit;
  /** Milliseconds before a call is abandoned (default 30 s). */
  timeoutMs?: number;
}

/**
 * Calls endpoints of one service. A declared status answers (typed by the endpoint's schema); any
 * other throws `UndeclaredAnswer`; a network failure throws the fetch error.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly opts: ApiClientOptions = {},
  ) {}

  async call<E extends Endpoint>(e: E, input: Input<E>, opts: { timeoutMs?: number } = {}): Promise<Answer<E>> {
    const i = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> };
    const url = this.baseUrl + pathOf(e.path, i.params) + queryOf(i.query);
    const send = async () => {
      const authorization = await this.opts.authorization?.();
      const serialized = i.body instanceof JsonBody ? i.body.text : undefined;
      const json = serialized !== undefined || (i.body !== undefined && !(e.consumes && !e.consumes.includes('application/json')));
      return (this.opts.fetch ?? fetch)(url, {
        ...this.opts.init,
        method: e.method,
        headers: {
          accept: 'application/json',
          ...(json ? { 'content-type': 'application/json' } : {}),
          ...(authorization ? { authorization } : {}),
          ...i.headers,
        },
        body: serialized ?? (i.body === undefined ? undefined : typeof i.body === 'string' && !json ? i.body : JSON.stringify(i.body)),
        signal: AbortSignal.timeout(opts.timeoutMs ?? this.opts.timeoutMs ?? 30_000),
      });
    };
    let res = await send();
    // Only a refused token (WWW-Authenticate) is worth a fresh one; a 401 of the endpoint itself is its answer.
    if (res.status === 401 && res.headers.has('www-authenticate') && this.opts.invalidate) {
      this.opts.invalidate();
      res = await send();
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (!(res.status in e.responses)) throw new UndeclaredAnswer(`${e.method} ${e.path}`, res.status, body, res.headers);
    return { status: res.status, body, headers: res.headers } as Answer<E>;
  }

  /** Calls and expects success: the 2xx body, or an `UndeclaredAnswer`-like error for anything else. */
  async ok<E extends Endpoint>(e: E, input: Input<E>, opts: { timeoutMs?: number } = {}): Promise<Success<E>> {
    const a = (await this.call(e, input, opts)) as { status: number; body: unknown; headers: Headers };
    if (a.status < 200 || a.status >= 300) throw new UndeclaredAnswer(`${e.method} ${e.path}`, a.status, a.body, a.headers);
    return a.body as Success<E>;
  }
}
