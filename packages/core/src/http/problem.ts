import { RETRY_AFTER_SECONDS } from '../db/availability.ts';
import { classifyDatabaseError, isConnectionError } from '../db/errors.ts';
import { isSingleLineText } from '@pmh/protocol/text';
import { twelveDigitRuns } from '../text/my-number.ts';

/**
 * RFC 9457 problem details. Every error a service answers has this one shape, and none carries
 * personal data: `detail` and `errors[].message` are written by us, never copied from input.
 */
export interface FieldError {
  /** JSON pointer (RFC 6901) into the request body, e.g. `/0/basicFiveInfo/dateOfBirth`. */
  pointer: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Throw from a route or hook; the error handler turns it into application/problem+json. */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    opts: { errors?: FieldError[]; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = status;
    this.code = code;
    this.errors = opts.errors;
    this.extra = opts.extra;
    this.headers = opts.headers;
  }

  toProblem(): Problem {
    return {
      type: `urn:pmh:problem:${this.code}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return new ProblemError(status, code, detail, { errors }).toProblem();
}

/** Escape one JSON-pointer segment (RFC 6901 §3). */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => '/' + pointerSegment(s)).join('');
}

/**
 * The service cannot reach its database just now (a restart, an outage, still starting): 503 and
 * when to try again (RFC 9110 §15.6.4, §10.2.3). Says nothing of the cause; the operator's
 * `/admin/v1/status` and the log do.
 */
export function databaseUnavailable(): ProblemError {
  return new ProblemError(503, 'database-unavailable', 'This service cannot reach its database just now. Try again shortly.', {
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  });
}

/** A Retry-After header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) in milliseconds from now, if it is one. */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const v = header.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The error of a member whose name cannot be shown: it names the object that holds the member. */
export const MEMBER_NAME_NOT_ALLOWED = 'has a member whose name is not allowed (it holds a control character or what could be a My Number)';

/** One RFC 6901 segment back to the member name it escapes. */
const unescapeSegment = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Field errors whose pointers never carry what a caller should not see again: a member name the
 * caller chose (an unknown field) that holds a control character, U+0000, an unpaired surrogate or
 * twelve digits is cut off, and the error names the object that holds it instead. Pointers of task
 * results are stored (jsonb) as well as answered, so this also keeps them storable.
 */
export function safeFieldErrors(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    const segments = e.pointer.split('/').slice(1);
    const bad = segments.findIndex((s) => {
      const name = unescapeSegment(s);
      return !isSingleLineText(name) || twelveDigitRuns(name).length > 0;
    });
    const fixed =
      bad < 0
        ? e
        : {
            pointer: segments
              .slice(0, bad)
              .map((s) => '/' + s)
              .join(''),
            message: MEMBER_NAME_NOT_ALLOWED,
          };
    const key = `${fixed.pointer}\u0000${fixed.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(fixed);
    }
  }
  return out;
}

/**
 * The database chose this request's transaction to give way to another (a deadlock or a
 * serialization failure): nothing was written, and the same request succeeds when sent again.
 */
export function contended(): ProblemError {
  return new ProblemError(503, 'contended', 'This request met another one changing the same records and was not applied. Send it again.', {
    headers: { 'retry-after': '1' },
  });
}

/**
 * The one place a database error becomes problem+json: a database that went away answers
 * `databaseUnavailable`, a transaction given up for another `contended` (both 503 with Retry-After);
 * any other error is not the database's to answer (undefined). `unavailable` tells a connection
 * error (a service passes its health's `report`, which also starts a probe).
 */
export function databaseProblem(e: unknown, unavailable: (e: unknown) => boolean = isConnectionError): ProblemError | undefined {
  if (unavailable(e)) return databaseUnavailable();
  if (classifyDatabaseError(e) === 'transient-conflict') return contended();
  return undefined;
}
