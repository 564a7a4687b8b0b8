import type { FastifyRequest } from 'fastify';
import type { App } from './app.ts';
import { ProblemError } from './problem.ts';

/**
 * The deepest nesting of arrays and objects a request body may have. The deepest body any route
 * takes is six levels (an OQS enrolment: entries → entry → cards → card → publicJwk); hashing,
 * validating or storing a body recurses once per level, so a body nested thousands deep would
 * overflow the stack (a 500) rather than be refused.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting in a JSON text, counted without parsing it and stopping as soon as it exceeds
 * `limit` (brackets inside strings do not count). Malformed text is left to the parser.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export const tooDeep = () =>
  new ProblemError(400, 'validation', 'The request body is nested too deeply.', {
    errors: [{ pointer: '', message: `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep` }],
  });

/**
 * `application/json` for every route: the body's nesting is bounded before it is parsed, and then
 * Fastify's own parser (which refuses `__proto__` and `constructor` poisoning) reads it. The body's
 * size is bounded before that, by the route's `bodyLimit`. Every other media type is refused (415),
 * including the `text/plain` Fastify accepts by default.
 */
export function useJsonBodies(app: App): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req: FastifyRequest, body: string | Buffer, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) return done(tooDeep(), undefined);
    parse(req, text, done);
  });
}
