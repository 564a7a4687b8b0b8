import { hubApi, type MunicipalAccessLogEntry } from '@pmh/protocol';
import { auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import type { Surface } from '@pmh/core/http/serve';
import { normalizeKanaName, normalizeKey } from '@pmh/core/text/japanese';
import { PORTAL_NOTIFICATION } from '../../federation/notifications.ts';
import type { AccessLogFilter } from '../../store/index.ts';
import { decodeCursor, encodeCursor } from '../audit-cursor.ts';
import { sendCsv, toCsv, wantsCsv } from './csv.ts';
import type { MunicipalDeps } from './index.ts';
import { actorOf, auditableRequestId, scopeOf } from './scope.ts';

/**
 * What the municipal console's pages list, on the municipal API: the subjects a page at a time
 * (`GET /municipal/v1/subjects`), who looked at the subjects' data (`GET /municipal/v1/access-log`),
 * the notifications sent (`GET /municipal/v1/notifications`) and the cancel of a scheduled one.
 */

const badCursor = (pointer: string) =>
  new ProblemError(400, 'validation', 'The request does not match the schema.', {
    errors: [{ pointer, message: 'is not a cursor this endpoint gave' }],
  });

function decodeJson(text: string, pointer: string): unknown[] {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(v)) return v;
  } catch {
    /* answered below */
  }
  throw badCursor(pointer);
}

const encodeJson = (v: unknown[]) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The actors of a kind, as the audit trail names them. */
function actorsOf(kind: string | undefined): AccessLogFilter['actor'] {
  switch (kind) {
    case 'medical-institution':
      return { prefix: 'institution:' };
    case 'municipality':
      return { prefix: 'municipality:' };
    case 'officer':
      return { prefix: 'officer:' };
    case 'operator':
      return { prefix: 'admin:' };
    case 'guardian':
      return { exact: 'guardian' };
    case 'system':
      return { other: ['institution:', 'municipality:', 'officer:', 'admin:', 'guardian'] };
    default:
      return undefined;
  }
}

/** Who acted, as the municipality's access log shows it. */
export function accessActor(actor: string): Pick<MunicipalAccessLogEntry, 'actorKind' | 'actorCode' | 'officerLoginId'> {
  let m = /^officer:([0-9]{6}):(.+)$/.exec(actor);
  if (m) return { actorKind: 'officer', actorCode: m[1], officerLoginId: m[2] };
  m = /^municipality:([0-9]{6})$/.exec(actor);
  if (m) return { actorKind: 'municipality', actorCode: m[1], officerLoginId: null };
  m = /^institution:([0-9]{10})$/.exec(actor);
  if (m) return { actorKind: 'medical-institution', actorCode: m[1], officerLoginId: null };
  if (actor.startsWith('admin:')) return { actorKind: 'operator', actorCode: null, officerLoginId: null };
  if (actor === 'guardian') return { actorKind: 'guardian', actorCode: null, officerLoginId: null };
  return { actorKind: 'system', actorCode: null, officerLoginId: null };
}

/** The next day of a YYYY-MM-DD. */
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const ACCESS_LOG_CSV_COLUMNS = ['at', 'actorKind', 'actorCode', 'officerLoginId', 'action', 'purpose', 'outcome', 'municipalityIdentityKey'] as const;

export function consolePageRoutes(s: Surface, _deps: MunicipalDeps): void {
  s.serve(hubApi.municipal.listSubjects, async (req) => {
    const q = req.query;
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    let after: { key: string; id: string } | undefined;
    if (q.cursor !== undefined) {
      const [key, id] = decodeJson(q.cursor, '/querystring/cursor');
      if (typeof key !== 'string' || key.length > 64 || typeof id !== 'string' || !UUID.test(id)) throw badCursor('/querystring/cursor');
      after = { key, id };
    }
    let kanaPrefix: string | undefined;
    if (q.kana !== undefined) {
      kanaPrefix = normalizeKanaName(q.kana).replace(/\u3000/g, '');
      if (!/^[\u30A1-\u30FC\u30FB]+$/.test(kanaPrefix))
        throw new ProblemError(400, 'validation', 'The request does not match the schema.', {
          errors: [{ pointer: '/querystring/kana', message: 'must be kana (hiragana or katakana)' }],
        });
    }
    const scope = scopeOf(req);
    const actor = actorOf(req, scope.code);
    const subjects = await scope.run(async (repo) => {
      const rows = await repo.views.subjects({
        municipalityIdentityKey: q.municipalityIdentityKey === undefined ? undefined : normalizeKey(q.municipalityIdentityKey),
        kanaPrefix,
        dateOfBirth: q.birthDate,
        status: q.status,
        process: q.process,
        after,
        limit: limit + 1,
      });
      const shown = rows.slice(0, limit);
      // Which filters were used, never their values (a name or a birth date is the person's data).
      const by = ['municipalityIdentityKey', 'kana', 'birthDate', 'status', 'process'].filter((k) => (q as Record<string, unknown>)[k] !== undefined);
      const entry = (subjectRef: string | null, outcome: string): AuditEntry => ({
        stream: auditStream(actor, subjectRef ?? req.id),
        actor,
        action: 'subject.list',
        subjectRef,
        purpose: 'municipal-api',
        outcome,
        detail: { by, requestId: auditableRequestId(req.id) },
      });
      await repo.audit(shown.length ? shown.map((r) => entry(r.id, 'ok')) : [entry(null, 'not-found')]);
      return { shown, more: rows.length > limit };
    });
    const last = subjects.shown[subjects.shown.length - 1];
    return {
      subjects: subjects.shown.map(({ id: _id, sortKey: _k, ...view }) => view),
      ...(subjects.more && last ? { nextCursor: encodeJson([last.sortKey, last.id]) } : {}),
    };
  });

  s.serve(hubApi.municipal.accessLog, async (req, reply) => {
    if (req.officer && req.officer.role !== 'admin' && req.officer.role !== 'read')
      throw new ProblemError(403, 'forbidden', 'Your role may not do this: the access log is for 閲覧 and 管理 officers.');
    const q = req.query;
    if (q.from !== undefined && q.to !== undefined && q.from > q.to)
      throw new ProblemError(400, 'validation', 'The request does not match the schema.', {
        errors: [{ pointer: '/querystring/to', message: 'must not be before from' }],
      });
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    const before = q.before === undefined ? undefined : decodeCursor(q.before, '/querystring/before');
    const scope = scopeOf(req);
    const actor = actorOf(req, scope.code);
    const rows = await scope.run(async (repo) => {
      // Read before this read is recorded: the page shows what was there when it was asked for.
      const found = await repo.views.accessLog({
        from: q.from === undefined ? undefined : `${q.from}T00:00:00+09:00`,
        to: q.to === undefined ? undefined : `${nextDay(q.to)}T00:00:00+09:00`,
        actor: actorsOf(q.actorKind),
        municipalityIdentityKey: q.subjectKey === undefined ? undefined : normalizeKey(q.subjectKey),
        before,
        limit,
      });
      await repo.audit([
        {
          stream: auditStream(actor, req.id),
          actor,
          action: 'access-log.read',
          subjectRef: null,
          purpose: 'municipal-api',
          outcome: 'ok',
          detail: { rows: found.length, requestId: auditableRequestId(req.id) },
        },
      ]);
      return found;
    });
    const items = rows.map((r) => ({
      at: r.at,
      ...accessActor(r.actor),
      action: r.action,
      purpose: r.purpose,
      outcome: r.outcome,
      municipalityIdentityKey: r.municipalityIdentityKey,
    }));
    const last = rows[rows.length - 1];
    const nextBefore = rows.length === limit && last ? encodeCursor(last) : undefined;
    if (wantsCsv(req.headers.accept)) {
      if (nextBefore) reply.header('next-before', nextBefore);
      return sendCsv(reply, toCsv(ACCESS_LOG_CSV_COLUMNS, items), q.charset);
    }
    return nextBefore ? { items, nextBefore } : { items };
  });

  s.serve(hubApi.municipal.listNotifications, async (req) => {
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    let before: { createdAt: string; id: string } | undefined;
    if (req.query.before !== undefined) {
      const [createdAt, id] = decodeJson(req.query.before, '/querystring/before');
      if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !UUID.test(id))
        throw badCursor('/querystring/before');
      before = { createdAt: new Date(createdAt).toISOString(), id };
    }
    const scope = scopeOf(req);
    const rows = await scope.run((repo) => repo.views.notifications({ limit, before }));
    const last = rows[rows.length - 1];
    return rows.length === limit && last ? { notifications: rows, nextBefore: encodeJson([last.createdAt, last.notificationId]) } : { notifications: rows };
  });

  s.serve(hubApi.municipal.cancelNotification, async (req) => {
    const scope = scopeOf(req);
    const actor = actorOf(req, scope.code);
    const id = req.params.notificationId;
    const status = await scope.run(async (repo) => {
      const done = await repo.views.cancelNotification(id);
      if (done.outcome === 'not-found') throw new ProblemError(404, 'not-found', 'This municipality has no notification with that id.');
      // Thrown inside the transaction: a cancel that came too late changes nothing.
      if (done.outcome === 'published')
        throw new ProblemError(409, 'already-published', 'The notification is published (its publishAt has come): it can no longer be cancelled.');
      const audit: AuditEntry[] = done.subjectIds.map((subjectId) => ({
        stream: auditStream(actor, subjectId),
        actor,
        action: 'notification.cancel',
        subjectRef: subjectId,
        purpose: 'notification',
        outcome: 'ok',
        detail: { notificationId: id, requestId: auditableRequestId(req.id) },
      }));
      if (audit.length) await repo.audit(audit);
      return repo.notificationStatus(id, PORTAL_NOTIFICATION);
    });
    if (!status) throw new ProblemError(404, 'not-found', 'This municipality has no notification with that id.');
    return status;
  });
}
