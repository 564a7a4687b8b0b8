import { Type } from 'typebox';
import { EligibilityAnswer, HubEligibilityQuery, errorResponses, isSingleLineText, type EligibilityAnswer as EligibilityAnswerBody } from '@pmh/protocol';
import { appendAudit, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import type { ServiceBase } from '@pmh/core/service';
import { openCompactJwe, JweError } from '@pmh/core/crypto/index';
import type { KeyRing } from '../../federation/key-ring.ts';
import { LinkageKeyLedger } from '../../store/linkage-key-ledger.ts';
import { eligibilityAt } from '../../domain/medical-subsidy/eligibility.ts';

/** A linkage key lives at most this long (ARCHITECTURE.md §3 invariant 7: "an expiry of seconds"). */
export const MAX_LINKAGE_KEY_LIFETIME_SECONDS = 60;
/** Clock difference allowed between OQS and the hub. */
const CLOCK_SKEW_SECONDS = 5;

export const LINKAGE_KEY_REFUSALS = ['invalid', 'unknown-key', 'expired', 'wrong-audience', 'wrong-issuer', 'replayed'] as const;
type Refusal = (typeof LINKAGE_KEY_REFUSALS)[number];

const REFUSAL_DETAIL: Record<Refusal, string> = {
  invalid: 'The linkage key could not be decrypted or is malformed.',
  'unknown-key': 'The linkage key is encrypted to a key this hub does not hold (fetch /hub/v1/jwks.json again).',
  expired: 'The linkage key has expired or lives longer than 60 s.',
  'wrong-audience': 'The linkage key is meant for another audience.',
  'wrong-issuer': 'The linkage key was not issued by the calling client.',
  replayed: 'The linkage key was used before; each is good for one query.',
};

class Refused extends Error {
  constructor(readonly reason: Refusal) {
    super(reason);
  }
}

/** The `kid` of a compact JWE's protected header, if it can be read at all. */
function kidOf(token: string): string | undefined {
  try {
    const kid = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')).kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

/** Opens a PMH linkage key: the PMH-ID, its id and expiry; or why it is refused. */
async function openLinkageKey(ring: KeyRing, token: string, issuer: string, audience: string): Promise<{ pmhId: string; jti: string; exp: number }> {
  let opened: ReturnType<typeof openCompactJwe>;
  try {
    opened = openCompactJwe(token, await ring.usable(kidOf(token)));
  } catch (e) {
    if (e instanceof JweError) throw new Refused('invalid');
    throw e;
  }
  if (opened === 'unknown-key') throw new Refused('unknown-key');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(opened.plaintext.toString('utf8'));
  } catch {
    throw new Refused('invalid');
  }
  if (typeof claims !== 'object' || claims === null) throw new Refused('invalid');
  const { pmhId, jti, exp, iat, iss, aud } = claims as Record<string, any>;
  // The jti is stored (the replay register): held to the wire's text rule like anything that reaches SQL.
  if (typeof exp !== 'number' || typeof iat !== 'number' || typeof jti !== 'string' || jti.length === 0 || jti.length > 200 || !isSingleLineText(jti))
    throw new Refused('invalid');
  if (typeof pmhId !== 'string' || !/^pmh[a-z2-7]{26}$/.test(pmhId)) throw new Refused('invalid');
  const now = Date.now() / 1000;
  if (exp + CLOCK_SKEW_SECONDS <= now || exp - iat > MAX_LINKAGE_KEY_LIFETIME_SECONDS || iat > now + CLOCK_SKEW_SECONDS) throw new Refused('expired');
  if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience)))) throw new Refused('wrong-audience');
  if (iss !== issuer) throw new Refused('wrong-issuer');
  return { pmhId, jti, exp };
}

/**
 * The hub's side of eligibility at medical institutions (seed A④) and its encryption keys:
 * `POST /hub/v1/eligibility/queries`, `GET /hub/v1/jwks.json`, `POST /admin/v1/encryption-keys/rotate`.
 */
export async function eligibilityRoutes(base: ServiceBase, ring: KeyRing): Promise<void> {
  const ledger = new LinkageKeyLedger<EligibilityAnswerBody>(base.db);
  base.app.post(
    '/hub/v1/eligibility/queries',
    {
      config: { access: base.auth.requireRole('oqs') },
      schema: {
        tags: ['counterparts'],
        summary: 'Medical-subsidy eligibility of the person behind a one-time PMH linkage key (seed A④)',
        description:
          'The linkage key is a compact JWE (ECDH-ES+A256KW, A256GCM) to one of the keys of `/hub/v1/jwks.json`, with `iss` = the calling ' +
          'client, `aud` = this hub, a unique `jti` and `exp` at most 60 s after `iat`; its payload carries `pmhId`. A key is good for one ' +
          'query. A refused key answers 403 with `reason` one of ' +
          LINKAGE_KEY_REFUSALS.map((r) => `\`${r}\``).join(', ') +
          '. ' +
          'The answer lists every certificate valid at `asOf` across all municipalities, never a PMH-ID or a My Number.',
        body: HubEligibilityQuery,
        response: { 200: EligibilityAnswer, ...errorResponses },
      },
    },
    async (req) => {
      const { linkageKey, institutionCode, asOf } = req.body;
      const caller = req.principal!.clientId;
      const refusal = (reason: Refusal): AuditEntry => ({
        stream: auditStream(caller, req.id),
        actor: caller,
        action: 'eligibility.query',
        subjectRef: null,
        purpose: 'medical-subsidy',
        outcome: 'refused',
        detail: { reason, institutionCode, requestId: req.id },
      });
      const refuse = (reason: Refusal) => new ProblemError(403, 'linkage-key-refused', REFUSAL_DETAIL[reason], { extra: { reason } });
      let key: Awaited<ReturnType<typeof openLinkageKey>>;
      try {
        key = await openLinkageKey(ring, linkageKey, caller, base.config.publicUrl);
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
        await base.db.transaction().execute((trx) => appendAudit(trx, [refusal(e.reason)]));
        throw refuse(e.reason);
      }
      // Who looked: the institution, through OQS, at each of the person's subjects (the resident's access log reads these).
      const actor = `institution:${institutionCode}`;
      const stream = auditStream(actor, key.pmhId);
      const outcome = await ledger.run({
        jti: key.jti,
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
      });
      // The answer leaves only once the key is spent and the query audited, together.
      if (outcome.replayed) throw refuse('replayed');
      const answer = outcome.answer;
      return answer;
    },
  );

  base.app.get(
    '/hub/v1/jwks.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['counterparts'],
        summary: "The hub's public encryption keys for PMH linkage keys (JWKS); the current key comes first",
        description: 'Keys being rotated out stay listed (and usable) until their overlap ends. Public; cacheable for a minute.',
        response: { 200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return ring.jwks();
    },
  );

  base.app.post(
    '/admin/v1/encryption-keys/rotate',
    {
      config: { access: base.auth.requireRole('admin') },
      schema: {
        tags: ['operators'],
        summary: 'Adds a new linkage-key encryption key; the current ones stay usable for the overlap',
        body: Type.Optional(
          Type.Object(
            { overlapSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86400, description: 'default 3,600' })) },
            { additionalProperties: false },
          ),
        ),
        response: {
          200: Type.Object({ kid: Type.String(), retired: Type.Array(Type.Object({ kid: Type.String(), retiresAt: Type.String({ format: 'date-time' }) })) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const r = await ring.rotate(req.body?.overlapSeconds ?? 3600);
      await base.db
        .transaction()
        .execute((trx) =>
          appendAudit(trx, [
            { actor: `admin:${req.principal!.clientId}`, action: 'encryption-key.rotate', purpose: 'key-management', outcome: 'ok', detail: { kid: r.kid } },
          ]),
        );
      return { kid: r.kid, retired: r.retired.map((x) => ({ kid: x.kid, retiresAt: x.retiresAt.toISOString() })) };
    },
  );
}
