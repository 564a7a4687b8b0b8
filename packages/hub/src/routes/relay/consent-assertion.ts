import type { FastifyRequest } from 'fastify';
import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { CONSENT_ASSERTION_HEADER, CONSENT_ASSERTION_TYP, CONSENT_SCOPES, MAX_CONSENT_ASSERTION_SECONDS, type ConsentScope } from '@pmh/protocol';
import type { ClientStore, OAuthClient } from '@pmh/core/auth/index';
import { ProblemError } from '@pmh/core/http/problem';

/**
 * The portal's consent assertion (`Consent-Assertion`), verified on every relay call: a JWT (ES256,
 * `typ` consent+jwt) signed with a key the calling portal client registered at the hub (its JWKS in
 * `oauth_clients`, the keys its client assertions are checked with), naming the person (`sub`, the
 * path's PMH pseudonym), the institution the consent was given to, the process, the scopes and the
 * consent id, and expiring within minutes. The hub trusts the portal to have authenticated the card
 * and asked the person; it checks that this call is within what the portal asserts.
 */

export interface VerifiedConsent {
  /** 医療機関コード of the institution the consent is bound to. */
  institutionCode: string;
  process: 'vaccination' | 'maternal-child';
  scopes: ConsentScope[];
  consentId: string;
  /** The portal client that asserted it. */
  portal: string;
}

export type ConsentRefusal = 'invalid' | 'subject' | 'scope' | 'institution';

const DETAIL: Record<ConsentRefusal, string> = {
  invalid: 'The consent assertion is missing, malformed, or not signed by the calling portal for this hub.',
  subject: 'The consent assertion is about another person than the one asked about.',
  scope: 'The consent does not cover this access (scope).',
  institution: 'The record belongs to another institution than the one the consent was given to.',
};

export function consentRefused(reason: ConsentRefusal): ProblemError {
  return new ProblemError(403, 'consent-assertion-refused', DETAIL[reason], { extra: { reason } });
}

export const consentExpired = () => new ProblemError(403, 'consent-expired', 'The consent has expired: the person must consent again at the institution.');

const INSTITUTION = /^[0-9]{10}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CLOCK_SKEW_SECONDS = 30;

export class ConsentVerifier {
  private readonly keySets = new WeakMap<OAuthClient, JWTVerifyGetKey>();

  constructor(
    private readonly clients: ClientStore,
    /** The hub's public URL: the assertion's audience. */
    private readonly audience: string,
  ) {}

  /**
   * The consent the assertion carries, when it is the calling portal's, for this person, unexpired,
   * and grants one of `anyOf` for one of `processes`; otherwise the 403 to answer (`consent-expired`, or
   * `consent-assertion-refused` with its reason).
   */
  async verify(req: FastifyRequest, pmhPseudonym: string, processes: Array<VerifiedConsent['process']>, anyOf: ConsentScope[]): Promise<VerifiedConsent> {
    const jwt = req.headers[CONSENT_ASSERTION_HEADER];
    const clientId = req.principal?.clientId;
    if (typeof jwt !== 'string' || !clientId) throw consentRefused('invalid');
    const client = await this.clients.get(clientId);
    if (!client) throw consentRefused('invalid');
    let keySet = this.keySets.get(client);
    if (!keySet) {
      keySet = createLocalJWKSet(client.jwks);
      this.keySets.set(client, keySet);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, keySet, {
        algorithms: ['ES256'],
        typ: CONSENT_ASSERTION_TYP,
        issuer: clientId,
        audience: this.audience,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        clockTolerance: CLOCK_SKEW_SECONDS,
      }));
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_JWT_EXPIRED') throw consentExpired();
      throw consentRefused('invalid');
    }
    const { institution, consent_id: consentId, scope } = payload as Record<string, unknown>;
    if (
      typeof institution !== 'string' ||
      !INSTITUTION.test(institution) ||
      typeof consentId !== 'string' ||
      !UUID.test(consentId) ||
      typeof scope !== 'string' ||
      (payload.process !== 'vaccination' && payload.process !== 'maternal-child') ||
      payload.exp! - payload.iat! > MAX_CONSENT_ASSERTION_SECONDS
    )
      throw consentRefused('invalid');
    if (payload.sub !== pmhPseudonym) throw consentRefused('subject');
    const scopes = scope.split(' ').filter((s): s is ConsentScope => (CONSENT_SCOPES as readonly string[]).includes(s));
    const process = payload.process;
    if (!processes.includes(process) || !anyOf.some((s) => scopes.includes(s))) throw consentRefused('scope');
    return { institutionCode: institution, process, scopes, consentId, portal: clientId };
  }
}
