import { hubApi, type LinkageKeyRefusal } from '@pmh/protocol';
import { auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { linkageKeyKid, openLinkageKey } from '@pmh/core/crypto/linkage-key';
import { ProblemError } from '@pmh/core/http/problem';
import type { Surface } from '@pmh/core/http/serve';
import { eligibilityAt } from '../../domain/medical-subsidy/eligibility.ts';
import { callersOf, type HubRouteOptions } from '../options.ts';

const REFUSAL_DETAIL: Record<LinkageKeyRefusal, string> = {
  invalid: 'The linkage key could not be decrypted or is malformed.',
  'unknown-key': 'The linkage key is encrypted to a key this hub does not hold (fetch /hub/v1/jwks.json again).',
  expired: 'The linkage key has expired or lives longer than 60 s.',
  'wrong-audience': 'The linkage key is meant for another audience.',
  'wrong-issuer': 'The linkage key was not issued by the calling client.',
  replayed: 'The linkage key was used before; each is good for one query.',
};

/** `POST /hub/v1/eligibility/queries` (role oqs): the hub's side of eligibility at medical institutions (seed A④). */
export function eligibilityRoutes(s: Surface, opts: HubRouteOptions): void {
  const e = hubApi.counterpart.queryEligibility;
  const system = opts.store.system;
  s.serve(
    e,
    async (req) => {
      const { linkageKey, institutionCode, asOf } = req.body;
      const caller = req.principal!.clientId;
      const refusal = (reason: LinkageKeyRefusal): AuditEntry => ({
        stream: auditStream(caller, req.id),
        actor: caller,
        action: 'eligibility.query',
        subjectRef: null,
        purpose: 'medical-subsidy',
        outcome: 'refused',
        detail: { reason, institutionCode, requestId: req.id },
      });
      const refuse = (reason: LinkageKeyRefusal) => new ProblemError(403, 'linkage-key-refused', REFUSAL_DETAIL[reason], { extra: { reason } });
      // The ring reloads first when the key names a kid it does not know (a rotation made elsewhere).
      const opened = openLinkageKey(linkageKey, await opts.ring.usable(linkageKeyKid(linkageKey)), { issuer: caller, audience: opts.publicUrl });
      if (!opened.ok) {
        await system.transaction((sys) => sys.audit([refusal(opened.reason)]));
        throw refuse(opened.reason);
      }
      const key = opened.claims;
      // Who looked: the institution, through OQS, at each of the person's subjects (the resident's access log reads these).
      const actor = `institution:${institutionCode}`;
      const stream = auditStream(actor, key.pmhId);
      const kid = linkageKeyKid(linkageKey)!;
      const outcome = await system.ledger.run({
        jti: key.jti,
        kid,
        expiresAt: new Date(key.exp * 1000),
        pmhId: key.pmhId,
        decide: ({ subjectIds, versions }) => {
          const answer = eligibilityAt(versions, asOf, institutionCode);
          const detail = { via: caller, asOf, certificates: answer.certificates.length };
          const result = answer.status === 'eligible' ? 'ok' : answer.reason!;
          const audit: AuditEntry[] = subjectIds.length
            ? subjectIds.map((subjectRef) => ({ stream, actor, action: 'eligibility.query', subjectRef, purpose: 'medical-subsidy', outcome: result, detail }))
            : [{ stream, actor, action: 'eligibility.query', subjectRef: null, purpose: 'medical-subsidy', outcome: 'unknown-person', detail }];
          return { answer, audit };
        },
        replayed: [refusal('replayed')],
        retired: [refusal('unknown-key')],
      });
      // The answer leaves only once the key is spent and the query audited, together.
      if ('retired' in outcome) throw refuse('unknown-key');
      if (outcome.replayed) throw refuse('replayed');
      return outcome.answer;
    },
    callersOf(opts.auth, e),
  );
}
