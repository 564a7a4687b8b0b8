import { UndeclaredAnswer, hubApi, oqsApi, type NoEligibilityReason } from '@pmh/protocol';
import { AuditGroupCommit, auditStream } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { todayInJapan } from '@pmh/core/text/japanese';
import type { OqsContext } from '../../context.ts';
import { challengeInvalid, checkSignature } from '../../domain/cards.ts';
import { useChallengeAndFindCard, type CardHolder } from '../../store/cards.ts';
import { mintLinkageKey } from '../../federation/linkage-key.ts';

/** How long a receptionist waits for the hub before being told it is unavailable. */
const HUB_TIMEOUT_MS = 5_000;

/**
 * What medical institutions call (role `clinic:<code>`): `POST /oqs/v1/eligibility-checks` (seed
 * A④): verify the card, check consent (no consent: the hub is not asked at all), find the PMH-ID by
 * the card, mint a one-time PMH linkage key, ask the hub, forget the key, relay the answer. Every
 * answer without eligibility names its reason. Served only when a hub is configured.
 */
export async function clinicRoutes(app: App, { base, db, hubKeys: keys }: OqsContext): Promise<void> {
  if (!keys) return;
  const hubKeys = keys;
  const clinics = surface(app, { access: base.auth.requireRole('clinic:*'), tags: ['eligibility'] });
  const auditLog = new AuditGroupCommit(db);
  const audit = (actor: string, subjectRef: string | null, outcome: string) =>
    auditLog.record([
      { stream: auditStream(actor, subjectRef ?? undefined), actor, action: 'eligibility.check', subjectRef, purpose: 'medical-subsidy', outcome },
    ]);
  clinics.serve(oqsApi.checkEligibility, async (req, reply) => {
    const { institutionCode, cardAuthentication, consent } = req.body;
    const principal = req.principal!;
    if (principal.role !== `clinic:${institutionCode}`)
      throw new ProblemError(403, 'forbidden', 'A medical institution may ask only as itself: institutionCode differs from the client’s.', {
        errors: [{ pointer: '/institutionCode', message: 'is not the calling institution' }],
      });
    const actor = `clinic:${institutionCode}`;
    const asOf = req.body.asOf ?? todayInJapan();
    // One round trip: the challenge used up and the card's holder found.
    const found = await useChallengeAndFindCard(db, cardAuthentication.challenge, principal.clientId, cardAuthentication.cardSerial);
    if (!found.live) throw challengeInvalid();
    let holder: CardHolder;
    try {
      holder = checkSignature(found.holder, cardAuthentication);
    } catch (e) {
      await audit(actor, null, 'card-authentication-failed');
      throw e;
    }
    const refuse = async (reason: NoEligibilityReason) => {
      await audit(actor, holder.id, reason);
      if (reason === 'hub-unavailable') reply.header('retry-after', '5');
      return { status: 'not-eligible' as const, reason, asOf, institutionCode, certificates: [] };
    };
    if (!consent.medicalSubsidy) return refuse('not-consented');
    if (!holder.pmhId) return refuse('not-linked');

    const hub = base.peer('hub');
    const ask = async (fresh: boolean) => {
      const key = fresh ? await hubKeys.refresh() : await hubKeys.current();
      const linkageKey = mintLinkageKey(key, { pmhId: holder.pmhId!, issuer: base.name, audience: hub.baseUrl });
      return hub.call(hubApi.counterpart.queryEligibility, { body: { linkageKey, institutionCode, asOf } }, { timeoutMs: HUB_TIMEOUT_MS });
    };
    let answer: Awaited<ReturnType<typeof ask>>;
    try {
      answer = await ask(false);
      // The hub rotated its keys past our cached one: fetch its JWKS and ask once more.
      if (answer.status === 403 && answer.body.reason === 'unknown-key') answer = await ask(true);
    } catch (e) {
      // A 4xx the query does not declare (a rate limit, a refused size) is a refusal, as a declared one is.
      if (e instanceof UndeclaredAnswer && e.status < 500) {
        req.log.error({ status: e.status }, 'hub refused an eligibility query');
        return refuse('hub-refused');
      }
      req.log.warn({ err: { message: (e as Error).message } }, 'hub unavailable for an eligibility query');
      return refuse('hub-unavailable');
    }
    if (answer.status !== 200) {
      req.log.error({ status: answer.status, reason: answer.status === 403 ? answer.body.reason : undefined }, 'hub refused an eligibility query');
      return refuse('hub-refused');
    }
    await audit(actor, holder.id, answer.body.status === 'eligible' ? 'ok' : answer.body.reason!);
    return answer.body;
  });
}
