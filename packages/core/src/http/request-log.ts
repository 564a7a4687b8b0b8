import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** The route's pattern (`/hub/v1/residents/:pmhPseudonym/subsidies`), never the URL with its values. */
export function routeOf(req: FastifyRequest): string {
  return req.routeOptions?.url || '(no route)';
}

const ms = (t: number) => Math.round(t * 10) / 10;

/**
 * Fastify's request log lines, saying which route was asked and how it went, but never the URL: its
 * path holds identifiers (PMH pseudonyms, subject keys) and its query anything a caller put there.
 * Each line carries the request id (`reqId`) as every line of a request does.
 */
export class RouteLogController extends LogController {
  override incomingRequest(req: FastifyRequest): void {
    if (this.isLogDisabled(req)) return;
    req.log.info({ method: req.method, route: routeOf(req) }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(req)) return;
    const line = { method: req.method, route: routeOf(req), status: reply.statusCode, responseTime: ms(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: { type: error.name, code: (error as { code?: string }).code } }, 'request errored');
    else reply.log.info(line, 'request completed');
  }

  override routeNotFound(req: FastifyRequest): void {
    if (this.isLogDisabled(req)) return;
    req.log.info({ method: req.method, route: '(no route)' }, 'route not found');
  }

  override defaultErrorLog(error: Error, req: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(req)) return;
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    reply.log[level](
      { method: req.method, route: routeOf(req), status: reply.statusCode, err: { type: error.name, code: (error as { code?: string }).code } },
      'request failed',
    );
  }

  override writeHeadError(error: Error, req: FastifyRequest): void {
    if (this.isLogDisabled(req)) return;
    req.log.warn({ route: routeOf(req), err: { type: error.name, code: (error as { code?: string }).code } }, 'could not write the response head');
  }

  override streamError(error: Error & { code?: string }, req: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(req)) return;
    if (error.code === 'ERR_STREAM_PREMATURE_CLOSE') reply.log.info({ route: routeOf(req) }, 'stream closed prematurely');
    else reply.log.warn({ route: routeOf(req), err: { type: error.name, code: error.code } }, 'response terminated with an error with headers already sent');
  }
}
