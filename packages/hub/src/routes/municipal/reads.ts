import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditStream } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import { CLAIM_MONTH } from '@pmh/protocol';
import type { FeedPosition, MunicipalRepository } from '../../store/index.ts';
import { sendCsv, toCsv, wantsCsv } from './csv.ts';
import { actorOf, auditableRequestId, scopeOf } from './scope.ts';

/**
 * The municipality's audited reads (the cursor feeds, the follow-up list, the claims): each read in
 * the municipality's scope with its audit row in the same transaction, and answered as JSON or, on
 * `Accept: text/csv`, as CSV in UTF-8 or Shift_JIS.
 */

/** Reads in the request's municipality and audits the read under its actor (no subject: a list names no one person). */
export async function auditedRead<T>(
  req: FastifyRequest,
  what: { action: string; stream: string },
  read: (repo: MunicipalRepository) => Promise<T>,
  detail: (result: T) => Record<string, unknown>,
): Promise<T> {
  const scope = scopeOf(req);
  const actor = actorOf(req, scope.code);
  return scope.run(async (repo) => {
    // The read first, before this transaction writes anything (a feed's horizon is the oldest transaction still running).
    const result = await read(repo);
    await repo.audit([
      {
        stream: auditStream(actor, what.stream),
        actor,
        action: what.action,
        subjectRef: null,
        purpose: 'municipal-api',
        outcome: 'ok',
        detail: { ...detail(result), requestId: auditableRequestId(req.id) },
      },
    ]);
    return result;
  });
}

/** JSON, or the same rows as CSV when the caller asks for it. */
export function answerList<J>(
  req: FastifyRequest<{ Querystring: { charset?: 'utf-8' | 'shift_jis' } }>,
  reply: FastifyReply,
  json: J,
  csv: { columns: readonly string[]; rows: readonly object[] },
): J | FastifyReply {
  if (!wantsCsv(req.headers.accept)) return json;
  return sendCsv(reply, toCsv(csv.columns, csv.rows as ReadonlyArray<Record<string, unknown>>), req.query.charset);
}

const DEFAULT_FEED_LIMIT = 1000;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * A page of a cursor feed (`?since=&limit=`): read and audited, `nextCursor` the last entry's position
 * (the same cursor when nothing is new), JSON `{ items, nextCursor }` or CSV with a `Next-Cursor` header.
 */
export async function answerFeed<Row extends { position: FeedPosition }, Item>(
  req: FastifyRequest<{ Querystring: { since?: string; limit?: string; charset?: 'utf-8' | 'shift_jis' } }>,
  reply: FastifyReply,
  feed: {
    action: string;
    stream: string;
    read: (repo: MunicipalRepository, after: FeedPosition, limit: number) => Promise<Row[]>;
    item: (row: Row) => Item;
    csv: { columns: readonly string[]; row: (item: Item) => object };
  },
): Promise<{ items: Item[]; nextCursor: string } | FastifyReply> {
  const since = req.query.since ?? '0';
  const [xid, seq] = since === '0' ? ['0', '0'] : since.split('-');
  // The wire allows 20 digits; a position is two bigints, so a larger number is no cursor this feed gave.
  if (BigInt(xid) > MAX_BIGINT || BigInt(seq) > MAX_BIGINT)
    throw new ProblemError(400, 'validation', 'The request does not match the schema.', {
      errors: [{ pointer: '/querystring/since', message: 'is not a cursor of this feed' }],
    });
  const limit = req.query.limit === undefined ? DEFAULT_FEED_LIMIT : Number(req.query.limit);
  const rows = await auditedRead(
    req,
    feed,
    (repo) => feed.read(repo, { xid, seq }, limit),
    (rows) => ({ since, count: rows.length }),
  );
  const last = rows.at(-1);
  const nextCursor = last ? `${last.position.xid}-${last.position.seq}` : since;
  const items = rows.map(feed.item);
  if (wantsCsv(req.headers.accept)) reply.header('next-cursor', nextCursor);
  return answerList(req, reply, { items, nextCursor }, { columns: feed.csv.columns, rows: items.map(feed.csv.row) });
}

/** The month of `GET …/claims?month=`: YYYY-MM, or a 400 naming `/query/month`. */
export function monthOf(month: string | undefined): string {
  if (month !== undefined && CLAIM_MONTH.test(month)) return month;
  throw new ProblemError(400, 'validation', 'The request does not match the schema.', {
    errors: [{ pointer: '/query/month', message: month === undefined ? 'is required (YYYY-MM)' : 'must be a month written YYYY-MM' }],
  });
}
