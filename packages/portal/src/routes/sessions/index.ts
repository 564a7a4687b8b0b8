import { portalApi } from '@pmh/protocol';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { sessionLifetimes } from '../../config.ts';
import type { PortalContext } from '../../context.ts';
import { SESSION_COOKIE, cookieAttributes, newSessionToken, sessionToken, tokenHash } from '../../domain/sessions.ts';
import { accountForLogin, consumeChallenge, createSession, deleteSession } from '../../store/sessions.ts';
import { refuseCrossSite } from '../doors.ts';
import { verifyCard } from '../card.ts';

/**
 * Resident login and logout (マイナポータル login, seed A③), from the portal's own pages only: the
 * portal issues a challenge (routes/public), the resident's card signs it, OQS says whose card it is
 * (the 仮名識別子), and the portal opens a session on that account. The session lives in an HttpOnly,
 * SameSite=Strict cookie; the database holds only the token's hash. Neither the card serial nor the
 * 仮名識別子 appears in an answer, a log line or an audit row (audit rows name the account by its
 * reference).
 */
export async function sessionRoutes(app: App, ctx: PortalContext): Promise<void> {
  const { base, db } = ctx;
  const ownPages = surface(app, { access: refuseCrossSite(ctx), tags: ['residents'] });
  const { absoluteMs } = sessionLifetimes(ctx.config);
  const cookie = cookieAttributes(base.config.publicUrl);

  const audit = (action: string, accountId: string | null, outcome: string) =>
    db.transaction().execute((trx) =>
      appendAudit(trx, [
        {
          stream: auditStream('resident', accountId ?? undefined),
          actor: 'resident',
          action,
          subjectRef: accountId,
          purpose: 'resident-login',
          outcome,
          detail: {},
        },
      ]),
    );

  ownPages.serve(portalApi.logIn, async (req, reply) => {
    if (!(await consumeChallenge(db, req.body.challenge))) {
      await audit('session.create', null, 'challenge-invalid');
      throw new ProblemError(401, 'challenge-invalid', 'The challenge is unknown, was already used or has expired. Ask for a new one.');
    }
    let pseudonym: string;
    try {
      pseudonym = await verifyCard(base, req.body);
    } catch (e) {
      if (e instanceof ProblemError && e.status < 500) await audit('session.create', null, e.code);
      throw e;
    }
    const token = newSessionToken();
    const { accountId, expiresAt } = await db.transaction().execute(async (trx) => {
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
    reply.status(201).header('set-cookie', `${SESSION_COOKIE}=${token}; ${cookie}`);
    return { expiresAt: expiresAt.toISOString() };
  });

  ownPages.serve(portalApi.logOut, async (req, reply) => {
    const token = sessionToken(req.headers.cookie);
    const accountId = token ? await deleteSession(db, tokenHash(token)) : undefined;
    if (accountId) await audit('session.delete', accountId, 'ok');
    return reply.status(204).header('set-cookie', `${SESSION_COOKIE}=; ${cookie}; Max-Age=0`).send(null);
  });
}
