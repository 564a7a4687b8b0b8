import crypto from 'node:crypto';

/**
 * The rules of resident sessions (マイナポータル login, seed A③), without I/O: the session token and
 * its cookie, what the database keeps of it, when a session is written back as used, and which
 * requests count as the portal's own pages'.
 */

export const SESSION_COOKIE = 'pmh_session';

/** The session token: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A 仮名識別子 as OQS answers it: anything else is not taken as an account's key. */
export const PSEUDONYM = /^ps[a-z2-7]{26}$/;

/** A session's `last_seen_at` is written at most this often (the idle timeout need not be exact to the second)… */
const TOUCH_EVERY_MS = 60_000;

/** …and at least ten times per idle timeout, however short. */
export function touchInterval(idleMs: number): number {
  return Math.min(TOUCH_EVERY_MS, idleMs / 10);
}

export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The database keeps only this: a stolen copy of the table opens no session. */
export const tokenHash = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

/** The session token sent in the Cookie header, or undefined (a malformed one counts as none). */
export function sessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (TOKEN.test(value)) return value;
  }
  return undefined;
}

/** The cookie's attributes: never readable by scripts, never sent cross-site, Secure over https. */
export function cookieAttributes(publicUrl: string): string {
  const secure = new URL(publicUrl).protocol === 'https:';
  return `HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

/** Methods that change state: refused from another site. */
export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A request from the portal's own pages: `Origin`, when the browser sends it, is the portal's own —
 * its public URL, or the host the request was sent to (the same page seen as 127.0.0.1 or
 * localhost) — and `Sec-Fetch-Site`, when sent, says same-origin (or a user's own navigation).
 */
export function fromOwnPages(publicUrl: string, h: { origin?: string; secFetchSite?: string | string[]; host?: string }): boolean {
  const own = new URL(publicUrl);
  const sameOrigin = h.origin === undefined || h.origin === own.origin || (typeof h.host === 'string' && h.origin === `${own.protocol}//${h.host}`);
  return sameOrigin && (h.secFetchSite === undefined || h.secFetchSite === 'same-origin' || h.secFetchSite === 'none');
}
