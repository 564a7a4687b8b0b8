import type { FastifyRequest } from 'fastify';
import type { Guard } from '@pmh/core/http/access';
import { ProblemError } from '@pmh/core/http/problem';
import type { OfficerRole } from '@pmh/protocol';
import type { HubStore } from '../../store/index.ts';
import { CSRF_HEADER, DEFAULT_CONSOLE_SESSION, consoleCookieValue, roleAllows, rightFor, tokenHash } from '../../domain/console/officers.ts';

/** The console's settings (HubConfig `console`): session lifetimes and, for tests, the clock. */
export interface ConsoleSettings {
  idleMs?: number;
  absoluteMs?: number;
  /** The time in ms (default Date.now): sessions, lock-outs and TOTP codes are judged by it. */
  now?: () => number;
}

/** The officer a request acts as, set by the console's guards. */
export interface Officer {
  municipalityCode: string;
  loginId: string;
  role: OfficerRole;
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request came with a console session: the officer it acts as. */
    officer?: Officer;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Who the audit trail names for an officer. */
export const officerActor = (o: { municipalityCode: string; loginId: string }) => `officer:${o.municipalityCode}:${o.loginId}`;

/**
 * Console sessions: the `pmh_console` cookie, checked in the municipality's scope it names. A
 * session ends when idle longer than `idleMs` or older than `absoluteMs`, by the injected clock.
 */
export class ConsoleSessions {
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly now: () => number;

  constructor(
    private readonly store: HubStore,
    settings: ConsoleSettings = {},
  ) {
    this.idleMs = settings.idleMs ?? DEFAULT_CONSOLE_SESSION.idleMs;
    this.absoluteMs = settings.absoluteMs ?? DEFAULT_CONSOLE_SESSION.absoluteMs;
    this.now = settings.now ?? Date.now;
  }

  /** The live session's officer, or undefined (none, unknown, ended: an ended one is deleted). */
  async officerOf(req: FastifyRequest): Promise<Officer | undefined> {
    const c = consoleCookieValue(req.headers.cookie);
    if (!c) return undefined;
    const hash = tokenHash(c.token);
    const now = this.now();
    return this.store.municipality(c.municipalityCode).run(async (repo) => {
      const s = await repo.officers.session(hash);
      if (!s) return undefined;
      if (s.expiresAt.getTime() <= now || s.lastSeenAt.getTime() + this.idleMs <= now) {
        await repo.officers.deleteSession(hash);
        return undefined;
      }
      // Written back at most once a minute (at least ten times per idle timeout).
      if (now - s.lastSeenAt.getTime() >= Math.min(60_000, this.idleMs / 10)) await repo.officers.touchSession(hash, new Date(now));
      return { municipalityCode: c.municipalityCode, loginId: s.loginId, role: s.role, expiresAt: s.expiresAt };
    });
  }

  /** Refuses a state-changing request without the CSRF header (SameSite=Strict is the first defence, this the second). */
  static requireCsrfHeader(req: FastifyRequest): void {
    if (UNSAFE.has(req.method) && !req.headers[CSRF_HEADER])
      throw new ProblemError(403, 'csrf', 'A change through the console needs the X-Requested-With header.');
  }

  /** A console route's guard: a live session (401 otherwise), the CSRF header on writes, and, when given, the officer's role. */
  guard(roles?: OfficerRole[]): Guard {
    return async (req) => {
      const officer = await this.officerOf(req);
      if (!officer) throw new ProblemError(401, 'unauthorized', 'Sign in to the console first.');
      ConsoleSessions.requireCsrfHeader(req);
      if (roles && !roles.includes(officer.role)) throw new ProblemError(403, 'forbidden', 'Your role may not do this.');
      this.admit(req, officer);
    };
  }

  /**
   * The municipal API's guard: a bearer token as before (`bearer`), or, without an Authorization
   * header, an officer's session acting as its municipality — its role limiting what it may change.
   */
  orBearer(bearer: Guard): Guard {
    const guard: Guard = async (req, reply) => {
      if (req.headers.authorization || !consoleCookieValue(req.headers.cookie)) return bearer(req, reply);
      const officer = await this.officerOf(req);
      if (!officer) throw new ProblemError(401, 'unauthorized', 'The console session has ended; sign in again.');
      ConsoleSessions.requireCsrfHeader(req);
      if (!roleAllows(officer.role, rightFor(req.method, req.url))) throw new ProblemError(403, 'forbidden', 'Your role may not do this.');
      this.admit(req, officer);
    };
    return Object.assign(guard, { security: bearer.security });
  }

  private admit(req: FastifyRequest, officer: Officer): void {
    const actor = officerActor(officer);
    req.officer = officer;
    req.principal = { clientId: actor, role: `municipality:${officer.municipalityCode}`, municipalityCode: officer.municipalityCode };
    req.caller = actor;
  }
}
