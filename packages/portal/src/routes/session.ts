import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Guard } from '@pmh/core/http/access';
import { Type } from 'typebox';
import { SessionChallenge, SessionCreated, SessionLogin, ProblemSchema, errorResponses, type SessionLogin as Login } from '@pmh/protocol';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import { newChallenge } from '@pmh/core/crypto/index';
import { ProblemError } from '@pmh/core/http/problem';
import { PollingLoop } from '@pmh/core/polling';
import type { PeerAnswer, ServiceBase } from '@pmh/core/service';
import { sessionLifetimes } from '../config.ts';
import { accountForLogin, consumeChallenge, createSession, deleteSession, findSession, purgeExpired, storeChallenge, touchSession } from '../store/sessions.ts';

/** The logged-in resident, as `requireResident` leaves it on the request. */
export interface Resident {
  /** The account's reference (`accounts.id`): what audit rows name. */
  accountId: string;
  /** The PMH仮名識別子 the portal calls the hub with; null until the account is linked to PMH. */
  pmhPseudonym: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    resident?: Resident;
  }
}

export const SESSION_COOKIE = 'pmh_session';

/** The session token: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const PSEUDONYM = /^ps[a-z2-7]{26}$/;

/** A session's `last_seen_at` is written at most this often (the idle timeout need not be exact to the second). */
const TOUCH_EVERY_MS = 60_000;

/** The database keeps only this: a stolen copy of the table opens no session. */
const tokenHash = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

/** The session token sent in the Cookie header, or undefined (a malformed one counts as none). */
function sessionToken(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (TOKEN.test(value)) return value;
  }
  return undefined;
}

function cookieAttributes(base: ServiceBase): string {
  const secure = new URL(base.config.publicUrl).protocol === 'https:';
  return `HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

const sessionRequired = (detail = 'Log in with your My Number Card first.') => new ProblemError(401, 'session-required', detail);

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses a state-changing request made from another site (CSRF), besides the SameSite=Strict
 * cookie: `Origin`, when the browser sends it, must be the portal's own — its public URL, or the
 * host the request was sent to (the same page seen as 127.0.0.1 or localhost) — and
 * `Sec-Fetch-Site`, when sent, must say same-origin (or a user's own navigation).
 */
export function refuseCrossSite(base: ServiceBase): (req: FastifyRequest) => Promise<void> {
  const own = new URL(base.config.publicUrl);
  return async (req) => {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const sameOrigin =
      origin === undefined || origin === own.origin || (typeof req.headers.host === 'string' && origin === `${own.protocol}//${req.headers.host}`);
    if (!sameOrigin || (site !== undefined && site !== 'same-origin' && site !== 'none'))
      throw new ProblemError(403, 'cross-site-request', 'This request must come from the portal’s own pages.');
  };
}

/**
 * The guard of the resident's own endpoints (`/portal/v1/me/…`, `config: { access }`): a live
 * session cookie, or 401 `session-required` (none, unknown, logged out, past its absolute end, or
 * idle too long), checked before the body is read. Sets `req.resident`. State-changing methods are
 * also refused from another site (see refuseCrossSite).
 */
export function requireResident(base: ServiceBase): Guard {
  if (!base.app.hasRequestDecorator('resident')) base.app.decorateRequest('resident', undefined);
  const crossSite = refuseCrossSite(base);
  const { idleMs } = sessionLifetimes(base.config);
  const touchEveryMs = Math.min(TOUCH_EVERY_MS, idleMs / 10);
  return async (req) => {
    if (UNSAFE.has(req.method)) await crossSite(req);
    const token = sessionToken(req);
    if (!token) throw sessionRequired();
    const hash = tokenHash(token);
    const session = await findSession(base.db, hash, idleMs);
    if (!session) throw sessionRequired();
    if (!session.live) {
      await deleteSession(base.db, hash);
      throw sessionRequired('Your session has ended. Log in again.');
    }
    if (session.idleForMs >= touchEveryMs) await touchSession(base.db, hash);
    req.resident = { accountId: session.accountId, pmhPseudonym: session.pmhPseudonym };
    req.caller = `resident:${session.accountId}`;
  };
}

/** Purges expired challenges and ended sessions in the background. */
export function sessionPurge(base: ServiceBase): PollingLoop {
  const { idleMs } = sessionLifetimes(base.config);
  return new PollingLoop(() => purgeExpired(base.db, idleMs), { name: 'session purge', log: base.log, pollMs: 60_000, health: base.database.health });
}

async function audit(base: ServiceBase, action: string, accountId: string | null, outcome: string, detail: Record<string, unknown> = {}): Promise<void> {
  await base.db.transaction().execute((trx) =>
    appendAudit(trx, [
      {
        stream: auditStream('resident', accountId ?? undefined),
        actor: 'resident',
        action,
        subjectRef: accountId,
        purpose: 'resident-login',
        outcome,
        detail,
      },
    ]),
  );
}

/** The card holder's 仮名識別子 as OQS vouches for it, or the problem to answer. Never logs the serial or the pseudonym. */
async function verifyCard(base: ServiceBase, login: Login): Promise<string> {
  let answer: PeerAnswer<{ pseudonym?: unknown }>;
  try {
    answer = await base.peer('oqs').post<{ pseudonym?: unknown }>('/oqs/v1/card-verifications', login, { timeoutMs: 10_000 });
  } catch (e) {
    base.log.warn({ err: { message: (e as Error).message } }, 'card verification: OQS unavailable');
    throw new ProblemError(503, 'card-verification-unavailable', 'The card cannot be checked right now. Try again in a moment.');
  }
  if (answer.status === 200 && typeof answer.body?.pseudonym === 'string' && PSEUDONYM.test(answer.body.pseudonym)) return answer.body.pseudonym;
  if (answer.status === 401) throw new ProblemError(401, 'card-authentication-failed', 'The card could not be authenticated.');
  if (answer.status === 404)
    throw new ProblemError(403, 'no-portal-account', 'This card’s holder has no portal account yet: their insurer enrolment has not reached the system.');
  base.log.warn({ status: answer.status }, 'card verification: unexpected answer from OQS');
  throw new ProblemError(503, 'card-verification-unavailable', 'The card cannot be checked right now. Try again in a moment.');
}

/**
 * Resident sessions (マイナポータル login, seed A③): the portal issues a challenge, the resident's
 * card signs it, OQS says whose card it is (the 仮名識別子), and the portal opens a session on that
 * account. The session lives in an HttpOnly, SameSite=Strict cookie; the database holds only the
 * token's hash. Neither the card serial nor the 仮名識別子 appears in an answer, a log line or an
 * audit row (audit rows name the account by its reference).
 */
export async function sessionRoutes(base: ServiceBase): Promise<void> {
  const crossSite = refuseCrossSite(base);
  const { absoluteMs } = sessionLifetimes(base.config);

  base.app.post(
    '/portal/v1/session-challenges',
    {
      // Anyone may ask: this is how a login begins. Counted per IP address (rate limits).
      config: { access: 'public' },
      schema: {
        tags: ['residents'],
        summary: 'A fresh login challenge for the My Number Card: single use, valid 60 s',
        description:
          'The card signs the challenge string (UTF-8) with ES256; send the signature base64url-encoded in the JOSE form (r ‖ s, 64 bytes) to POST /portal/v1/sessions.',
        response: { 200: SessionChallenge },
      },
    },
    async () => {
      const challenge = newChallenge();
      const expiresAt = await storeChallenge(base.db, challenge);
      return { challenge, expiresAt: expiresAt.toISOString() };
    },
  );

  base.app.post(
    '/portal/v1/sessions',
    {
      config: { access: crossSite },
      schema: {
        tags: ['residents'],
        summary: 'Log in with the My Number Card: a session cookie',
        description:
          'Uses up the challenge (401 `challenge-invalid` when unknown, used or expired), has OQS authenticate the card (401 ' +
          '`card-authentication-failed`; 503 when OQS cannot be reached), and opens a session on the card holder’s account, ' +
          'creating the account on a first login. The session is the `pmh_session` cookie (HttpOnly, SameSite=Strict, Path=/, Secure ' +
          'over https); it ends after 30 minutes idle or 8 hours at most, and at logout.',
        body: SessionLogin,
        response: { 201: SessionCreated, ...errorResponses, 503: ProblemSchema },
      },
    },
    async (req, reply) => {
      if (!(await consumeChallenge(base.db, req.body.challenge))) {
        await audit(base, 'session.create', null, 'challenge-invalid');
        throw new ProblemError(401, 'challenge-invalid', 'The challenge is unknown, was already used or has expired. Ask for a new one.');
      }
      let pseudonym: string;
      try {
        pseudonym = await verifyCard(base, req.body);
      } catch (e) {
        if (e instanceof ProblemError && e.status < 500) await audit(base, 'session.create', null, e.code);
        throw e;
      }
      const token = crypto.randomBytes(32).toString('base64url');
      const { accountId, expiresAt } = await base.db.transaction().execute(async (trx) => {
        const account = await accountForLogin(trx, pseudonym);
        const expiresAt = await createSession(trx, tokenHash(token), account.id, absoluteMs);
        await appendAudit(trx, [
          {
            stream: auditStream('resident', account.id),
            actor: 'resident',
            action: 'session.create',
            subjectRef: account.id,
            purpose: 'resident-login',
            outcome: 'ok',
            detail: { accountCreated: account.created },
          },
        ]);
        return { accountId: account.id, expiresAt };
      });
      req.log.info({ account: accountId }, 'resident logged in');
      reply.status(201).header('set-cookie', `${SESSION_COOKIE}=${token}; ${cookieAttributes(base)}`);
      return { expiresAt: expiresAt.toISOString() };
    },
  );

  base.app.delete(
    '/portal/v1/sessions/current',
    {
      config: { access: crossSite },
      schema: {
        tags: ['residents'],
        summary: 'Log out: the session ends and its cookie is cleared',
        description: 'Answers 204 also when there was no live session. Refused (403 `cross-site-request`) from another site.',
        response: { 204: Type.Null({ description: 'logged out' }), 403: ProblemSchema },
      },
    },
    async (req, reply) => {
      const token = sessionToken(req);
      const accountId = token ? await deleteSession(base.db, tokenHash(token)) : undefined;
      if (accountId) await audit(base, 'session.delete', accountId, 'ok');
      return reply
        .status(204)
        .header('set-cookie', `${SESSION_COOKIE}=; ${cookieAttributes(base)}; Max-Age=0`)
        .send(null);
    },
  );
}
