import type { FastifyRequest } from 'fastify';
import type { Guard } from '@pmh/core/http/access';
import { ProblemError } from '@pmh/core/http/problem';
import { sessionLifetimes } from '../config.ts';
import type { PortalContext } from '../context.ts';
import { UNSAFE_METHODS, fromOwnPages, sessionToken, tokenHash, touchInterval } from '../domain/sessions.ts';
import { deleteSession, findSession, touchSession } from '../store/sessions.ts';

/**
 * The doors of the portal's own pages' surfaces: a request from those pages (login, logout), and a
 * logged-in resident (`/portal/v1/me/…`). Each is checked before the body is read.
 */

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

const sessionRequired = (detail = 'Log in with your My Number Card first.') => new ProblemError(401, 'session-required', detail);

/**
 * Refuses a state-changing request made from another site (CSRF), besides the SameSite=Strict
 * cookie (see `fromOwnPages`).
 */
export function refuseCrossSite({ base }: PortalContext): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    const h = req.headers;
    if (!fromOwnPages(base.config.publicUrl, { origin: h.origin, secFetchSite: h['sec-fetch-site'], host: h.host }))
      throw new ProblemError(403, 'cross-site-request', 'This request must come from the portal’s own pages.');
  };
}

/**
 * The door of the resident's own endpoints (`/portal/v1/me/…`): a live session cookie, or 401
 * `session-required` (none, unknown, logged out, past its absolute end, or idle too long). Sets
 * `req.resident`. State-changing methods are also refused from another site.
 */
export function requireResident(ctx: PortalContext): Guard {
  const { db } = ctx;
  const crossSite = refuseCrossSite(ctx);
  const { idleMs } = sessionLifetimes(ctx.config);
  const touchEveryMs = touchInterval(idleMs);
  return async (req) => {
    if (UNSAFE_METHODS.has(req.method)) await crossSite(req);
    const token = sessionToken(req.headers.cookie);
    if (!token) throw sessionRequired();
    const hash = tokenHash(token);
    const session = await findSession(db, hash, idleMs);
    if (!session) throw sessionRequired();
    if (!session.live) {
      await deleteSession(db, hash);
      throw sessionRequired('Your session has ended. Log in again.');
    }
    if (session.idleForMs >= touchEveryMs) await touchSession(db, hash);
    req.resident = { accountId: session.accountId, pmhPseudonym: session.pmhPseudonym };
    req.caller = `resident:${session.accountId}`;
  };
}
