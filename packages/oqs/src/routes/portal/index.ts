import { oqsApi } from '@pmh/protocol';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { OqsContext } from '../../context.ts';
import { checkSignature } from '../../domain/cards.ts';
import { cardHolder, type CardHolder } from '../../store/cards.ts';

/** What the portal calls (role portal): whose card is this, at the resident's login. */
export async function portalRoutes(app: App, { base, db }: OqsContext): Promise<void> {
  const portal = surface(app, { access: base.auth.requireRole('portal'), tags: ['card authentication'] });
  const audit = (subjectRef: string | null, outcome: string) =>
    db
      .transaction()
      .execute((trx) =>
        appendAudit(trx, [
          { stream: auditStream('portal', subjectRef ?? undefined), actor: 'portal', action: 'card.verify', subjectRef, purpose: 'portal-login', outcome },
        ]),
      );

  portal.serve(oqsApi.verifyCard, async (req) => {
    let holder: CardHolder;
    try {
      holder = checkSignature(await cardHolder(db, req.body.cardSerial), req.body);
    } catch (e) {
      await audit(null, 'card-authentication-failed');
      throw e;
    }
    if (!holder.pseudonym)
      throw new ProblemError(404, 'no-portal-account', 'The card holder has no portal account yet (their insurer enrolment has not reached OQS).');
    await audit(holder.id, 'ok');
    return { pseudonym: holder.pseudonym };
  });
}
