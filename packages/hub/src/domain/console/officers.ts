import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { Secret, TOTP } from 'otpauth';
import type { OfficerRole } from '@pmh/protocol';

/**
 * The rules of console officers, without I/O: password hashes, TOTP codes, lock-out, the session
 * cookie, and what each role may do.
 */

// --- Passwords ---------------------------------------------------------------------------------

/**
 * scrypt (RFC 7914) with N=2^15, r=8, p=1: the OWASP Password Storage Cheat Sheet's minimum for
 * scrypt; the parameters are stored with the hash, so they can be raised later.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };
const scrypt = promisify(crypto.scrypt) as (pw: crypto.BinaryLike, salt: crypto.BinaryLike, keylen: number, o: crypto.ScryptOptions) => Promise<Buffer>;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const { N, r, p, keylen } = SCRYPT;
  const dk = await scrypt(password.normalize('NFC'), salt, keylen, { N, r, p, maxmem: 128 * N * r * 2 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${dk.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const N = Number(n);
  const dk = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 128 * N * Number(r) * 2,
  });
  return crypto.timingSafeEqual(dk, expected);
}

/** A hash of a random password: what a sign-in for an unknown officer is checked against, so it takes as long as a real one. */
export const DUMMY_HASH = hashPassword(crypto.randomBytes(16).toString('base64url'));

// --- TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) ---------------------------------------

export const TOTP_PERIOD_S = 30;
/** One step either side for clock drift between the terminal and the hub (RFC 6238 §5.2). */
const TOTP_WINDOW = 1;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(secret: string, label = 'officer', issuer = 'PMH municipal console'): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_S, secret: Secret.fromBase32(secret) });
}

/** The otpauth:// URI an authenticator app reads (as a QR code). */
export function totpUri(secret: string, label: string): string {
  return totpOf(secret, label).toString();
}

/**
 * The time step of a valid code at `nowMs`, or undefined. The caller refuses a step not after the
 * last one accepted, so a code is good once.
 */
export function totpStep(secret: string, code: string, nowMs: number): number | undefined {
  const delta = totpOf(secret).validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW });
  return delta === null ? undefined : Math.floor(nowMs / 1000 / TOTP_PERIOD_S) + delta;
}

// --- Lock-out ------------------------------------------------------------------------------------

/**
 * Five failed sign-ins in a row lock the account for 15 minutes (NISC 政府機関等の対策基準策定のための
 * ガイドライン 6.2.1: 認証の試行回数の制限; NIST SP 800-63B §5.2.2 rate limiting).
 */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60_000;

// --- Sessions ------------------------------------------------------------------------------------

export const CONSOLE_COOKIE = 'pmh_console';
/** Console sessions: 30 minutes idle, 8 hours at most (a working day), as the portal's. */
export const DEFAULT_CONSOLE_SESSION = { idleMs: 30 * 60_000, absoluteMs: 8 * 3600_000 };

/** The cookie's value: `<municipalityCode>.<token>` — the code says which municipality's scope holds the session. */
const COOKIE_VALUE = /^([0-9]{6})\.([A-Za-z0-9_-]{43})$/;

export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export const tokenHash = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

export function consoleCookieValue(cookieHeader: string | undefined): { municipalityCode: string; token: string } | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== CONSOLE_COOKIE) continue;
    const m = COOKIE_VALUE.exec(part.slice(eq + 1).trim());
    if (m) return { municipalityCode: m[1], token: m[2] };
  }
  return undefined;
}

export function cookieAttributes(publicUrl: string): string {
  const secure = new URL(publicUrl).protocol === 'https:';
  return `HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

/** The header every state-changing request with the cookie must carry (a cross-site form cannot set it). */
export const CSRF_HEADER = 'x-requested-with';

// --- Roles ---------------------------------------------------------------------------------------

/** What a request through the municipal API needs. */
export type Right = 'read' | 'register' | 'notify';

/** 閲覧 reads; 登録 also registers and uploads; 通知 also sends notifications; 管理 everything. */
export function roleAllows(role: OfficerRole, right: Right): boolean {
  if (role === 'admin' || right === 'read') return true;
  return role === right;
}

/** The right a municipal API request needs: a read, a notification, or (any other write) a registration. */
export function rightFor(method: string, url: string): Right {
  if (method === 'GET' || method === 'HEAD') return 'read';
  const path = url.split('?')[0];
  if (path.endsWith('/subjects/search')) return 'read';
  if (path.startsWith('/municipal/v1/notifications')) return 'notify';
  return 'register';
}
