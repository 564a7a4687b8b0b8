import type { FastifyInstance } from 'fastify';
import { isStorableText } from '@pmh/protocol/text';
import { ProblemError, pointerSegment, type FieldError } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route keeps its body without reading it as text (a registration task stores its records
     * encrypted), and every part of it is checked against the wire's text rule later, before any of
     * it reaches a table: the backstop leaves that body alone, so one bad record fails alone.
     */
    textCheckedLater?: boolean;
  }
}

/** At most this many places are named in one answer. */
const MAX_REPORTED = 20;

/**
 * Where in `value` a string (a value or a member name) holds what no database can store. Walked
 * with an explicit stack, so no nesting depth overflows it.
 */
export function unstorableTextAt(value: unknown, base: string): FieldError[] {
  const found: FieldError[] = [];
  const stack: Array<[unknown, string]> = [[value, base]];
  while (stack.length > 0 && found.length < MAX_REPORTED) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) found.push({ pointer: at, message: 'contains a character that cannot be stored (U+0000 or an unpaired surrogate)' });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}/${i}`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        // The name itself is never put in a pointer: it would be echoed.
        if (!isStorableText(k))
          found.push({ pointer: at, message: 'has a member whose name contains a character that cannot be stored (U+0000 or an unpaired surrogate)' });
        else stack.push([x, `${at}/${pointerSegment(k)}`]);
      }
    }
  }
  return found;
}

/**
 * The backstop of the wire's text rule (protocol `text.ts`): whatever a route's schema says — or
 * forgets to say — a string that PostgreSQL cannot hold (U+0000, an unpaired surrogate) in the body,
 * the query or the path never reaches a handler, so never SQL. It runs after schema validation
 * (whose field errors are more precise) and answers 400 naming each place, never the value.
 */
export function refuseUnstorableText(app: FastifyInstance<any, any, any, any, any>): void {
  app.addHook('preHandler', async (req) => {
    const errors = [
      ...(req.routeOptions.config?.textCheckedLater ? [] : unstorableTextAt(req.body, '')),
      ...unstorableTextAt(req.query, '/querystring'),
      ...unstorableTextAt(req.params, '/params'),
    ];
    if (errors.length > 0)
      throw new ProblemError(400, 'validation', 'The request holds text that cannot be stored.', { errors: errors.slice(0, MAX_REPORTED) });
  });
}
