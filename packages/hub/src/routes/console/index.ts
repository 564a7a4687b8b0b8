import { hubApi, type OfficerView } from '@pmh/protocol';
import { auditStream } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { HubRouteOptions } from '../options.ts';
import type { StoredOfficer } from '../../store/officers.ts';
import {
  CONSOLE_COOKIE,
  DUMMY_HASH,
  LOCKOUT_MS,
  MAX_FAILED_ATTEMPTS,
  cookieAttributes,
  consoleCookieValue,
  hashPassword,
  newSessionToken,
  newTotpSecret,
  tokenHash,
  totpStep,
  totpUri,
  verifyPassword,
} from '../../domain/console/officers.ts';
import { ConsoleSessions, officerActor } from './sessions.ts';

/**
 * The municipal console's own API (`/console/v1`): officers sign in with password and TOTP, see
 * who they are and their municipality's figures, and a 管理 officer manages the officers. Every
 * sign-in (good or bad), sign-out and officer change is audited under the officer, in the
 * municipality's scope.
 */
export async function consoleRoutes(app: App, opts: HubRouteOptions): Promise<void> {
  const sessions = opts.consoleSessions;
  if (!app.hasRequestDecorator('officer')) app.decorateRequest('officer', undefined);
  const cookie = cookieAttributes(opts.publicUrl);
  const open = surface(app, { access: 'public', tags: ['console'] });
  const signedIn = surface(app, { access: sessions.guard(), tags: ['console'] });
  const admins = surface(app, { access: sessions.guard(['admin']), tags: ['console'] });

  const view = (o: StoredOfficer, now: number): OfficerView => {
    const locked = o.lockedUntil !== null && o.lockedUntil.getTime() > now;
    return {
      municipalityCode: o.municipalityCode,
      loginId: o.loginId,
      role: o.role,
      locked,
      ...(locked ? { lockedUntil: o.lockedUntil!.toISOString() } : {}),
      ...(o.disabled ? { disabled: true } : {}),
    };
  };
  const failed = () => new ProblemError(401, 'sign-in-failed', 'The login id, password or code is not right.');
  const tryLater = () =>
    new ProblemError(429, 'try-later', 'Too many failed sign-ins. Try later.', { headers: { 'retry-after': String(Math.ceil(LOCKOUT_MS / 1000)) } });

  open.serve(hubApi.console.signIn, async (req, reply) => {
    const { municipalityCode, loginId, password, totp } = req.body;
    const now = sessions.now();
    const scope = opts.store.municipality(municipalityCode);
    const actor = officerActor({ municipalityCode, loginId });
    const audit = (outcome: string, detail: Record<string, unknown> = {}) => ({
      stream: auditStream(actor, 'console-session'),
      actor,
      action: 'console.session.create',
      subjectRef: null,
      purpose: 'console-sign-in',
      outcome,
      detail,
    });
    // The password is checked outside the transaction (scrypt takes tens of ms); the counting and the
    // session inside it, on the locked row, so concurrent guesses are each counted.
    const before = await scope.run((repo) => repo.officers.get(loginId));
    const passwordOk = await verifyPassword(password, before?.passwordHash ?? (await DUMMY_HASH));
    const token = newSessionToken();
    const result = await scope.run(async (repo) => {
      const o = await repo.officers.get(loginId, true);
      if (!o || !before || o.passwordHash !== before.passwordHash) {
        await repo.audit([audit('unknown-officer')]);
        return { refused: failed() };
      }
      // A disabled officer is told no more than anyone with a wrong factor.
      if (o.disabled) {
        await repo.audit([audit('disabled')]);
        return { refused: failed() };
      }
      if (o.lockedUntil && o.lockedUntil.getTime() > now) {
        await repo.audit([audit('locked')]);
        return { refused: tryLater() };
      }
      const step = passwordOk ? totpStep(repo.officers.totpSecret(o), totp, now) : undefined;
      if (!passwordOk || step === undefined || step <= o.totpLastStep) {
        const attempts = o.failedAttempts + 1;
        const lock = attempts >= MAX_FAILED_ATTEMPTS;
        await repo.officers.update(loginId, { failedAttempts: lock ? 0 : attempts, lockedUntil: lock ? new Date(now + LOCKOUT_MS) : null });
        // Which factor failed is recorded for the municipality's own review, never answered.
        await repo.audit([audit(lock ? 'locked-out' : 'failed', { factor: passwordOk ? 'totp' : 'password' })]);
        return { refused: lock ? tryLater() : failed() };
      }
      await repo.officers.update(loginId, { failedAttempts: 0, lockedUntil: null, totpLastStep: step });
      const expiresAt = new Date(now + sessions.absoluteMs);
      await repo.officers.insertSession({ tokenHash: tokenHash(token), loginId, now: new Date(now), expiresAt });
      await repo.audit([audit('ok')]);
      return { officer: view({ ...o, failedAttempts: 0, lockedUntil: null }, now), expiresAt };
    });
    if ('refused' in result) throw result.refused;
    req.log.info({ officer: actor }, 'officer signed in');
    reply.status(201).header('set-cookie', `${CONSOLE_COOKIE}=${municipalityCode}.${token}; ${cookie}`);
    return { officer: result.officer, expiresAt: result.expiresAt.toISOString() };
  });

  open.serve(hubApi.console.signOut, async (req, reply) => {
    ConsoleSessions.requireCsrfHeader(req);
    const c = consoleCookieValue(req.headers.cookie);
    if (c)
      await opts.store.municipality(c.municipalityCode).run(async (repo) => {
        const loginId = await repo.officers.deleteSession(tokenHash(c.token));
        if (loginId) {
          const actor = officerActor({ municipalityCode: c.municipalityCode, loginId });
          await repo.audit([
            {
              stream: auditStream(actor, 'console-session'),
              actor,
              action: 'console.session.delete',
              subjectRef: null,
              purpose: 'console-sign-in',
              outcome: 'ok',
              detail: {},
            },
          ]);
        }
      });
    return reply.status(204).header('set-cookie', `${CONSOLE_COOKIE}=; ${cookie}; Max-Age=0`).send(null);
  });

  signedIn.serve(hubApi.console.me, async (req) => {
    const o = req.officer!;
    return { officer: { municipalityCode: o.municipalityCode, loginId: o.loginId, role: o.role, locked: false }, expiresAt: o.expiresAt.toISOString() };
  });

  signedIn.serve(hubApi.console.dashboard, async (req) => {
    const o = req.officer!;
    const c = await opts.store.municipality(o.municipalityCode).run((repo) => repo.officers.dashboard());
    return {
      municipalityCode: o.municipalityCode,
      subjects: {
        total: c.total,
        byProcess: { 'medical-subsidy': c.subsidy, vaccination: c.vaccination },
        pmhIdIssued: c.issued,
        pmhIdPending: c.pending,
        portalLinked: c.linked,
      },
      tasks: c.tasks,
    };
  });

  admins.serve(hubApi.console.listOfficers, async (req) => {
    const now = sessions.now();
    const list = await opts.store.municipality(req.officer!.municipalityCode).run((repo) => repo.officers.list());
    return { officers: list.map((o) => view(o, now)) };
  });

  const changeAudit = (req: { officer?: { municipalityCode: string; loginId: string } }, action: string, target: string, detail: Record<string, unknown>) => {
    const actor = officerActor(req.officer!);
    return {
      stream: auditStream(actor, `officer:${target}`),
      actor,
      action,
      subjectRef: null,
      purpose: 'console-officers',
      outcome: 'ok',
      detail: { officer: target, ...detail },
    };
  };

  admins.serve(hubApi.console.createOfficer, async (req, reply) => {
    const code = req.officer!.municipalityCode;
    const { loginId, role, password } = req.body;
    const totpSecret = newTotpSecret();
    const passwordHash = await hashPassword(password);
    const created = await opts.store.municipality(code).run(async (repo) => {
      if (!(await repo.officers.insert({ loginId, role, passwordHash, totpSecret }))) return false;
      await repo.audit([changeAudit(req, 'console.officer.create', loginId, { role })]);
      return true;
    });
    if (!created) throw new ProblemError(409, 'conflict', 'An officer with this login id exists.', { errors: [{ pointer: '/loginId', message: 'is taken' }] });
    reply.status(201);
    return { officer: { municipalityCode: code, loginId, role, locked: false }, totpSecret, otpauthUri: totpUri(totpSecret, `${code}:${loginId}`) };
  });

  admins.serve(hubApi.console.updateOfficer, async (req) => {
    const code = req.officer!.municipalityCode;
    const { loginId } = req.params;
    const { role, password, resetTotp, unlock, disabled } = req.body;
    if (disabled === true && loginId === req.officer!.loginId) throw new ProblemError(409, 'own-account', 'An officer cannot disable their own account.');
    const totpSecret = resetTotp ? newTotpSecret() : undefined;
    const passwordHash = password ? await hashPassword(password) : undefined;
    const now = sessions.now();
    const updated = await opts.store.municipality(code).run(async (repo) => {
      const o = await repo.officers.get(loginId, true);
      if (!o) return undefined;
      await repo.officers.update(loginId, {
        ...(role ? { role } : {}),
        ...(passwordHash ? { passwordHash } : {}),
        ...(totpSecret ? { totpSecret, totpLastStep: 0 } : {}),
        ...(unlock ? { failedAttempts: 0, lockedUntil: null } : {}),
        ...(disabled !== undefined ? { disabled } : {}),
      });
      if (passwordHash || totpSecret || (role && role !== o.role) || disabled === true) await repo.officers.deleteSessionsOf(loginId);
      await repo.audit([
        changeAudit(req, 'console.officer.update', loginId, {
          role,
          password: Boolean(password),
          resetTotp: Boolean(resetTotp),
          unlock: Boolean(unlock),
          ...(disabled !== undefined ? { disabled } : {}),
        }),
      ]);
      return (await repo.officers.get(loginId))!;
    });
    if (!updated) throw new ProblemError(404, 'not-found', 'This municipality has no officer with that login id.');
    return { officer: view(updated, now), ...(totpSecret ? { totpSecret, otpauthUri: totpUri(totpSecret, `${code}:${loginId}`) } : {}) };
  });
}
