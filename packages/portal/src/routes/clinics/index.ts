import type { FastifyRequest } from 'fastify';
import { CONSENT_ASSERTION_HEADER, UndeclaredAnswer, hubApi, portalApi, type ConsentScope } from '@pmh/protocol';
import { appendAudit, auditStream } from '@pmh/core/audit/index';
import { ConsentAssertionSigner } from '@pmh/core/auth/consent-assertion';
import { newChallenge } from '@pmh/core/crypto/index';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { Endpoint } from '@pmh/protocol/contract';
import { consentTtlSeconds } from '../../config.ts';
import type { PortalContext } from '../../context.ts';
import { accountForLogin } from '../../store/sessions.ts';
import { consumeConsentChallenge, createConsent, findConsent, storeConsentChallenge, type FoundConsent } from '../../store/consents.ts';
import { verifyCard } from '../../federation/card.ts';

/** How long a clinic's call waits for the hub before it is told PMH is unavailable. */
const HUB_TIMEOUT_MS = 10_000;

const hubUnavailable = () => new ProblemError(503, 'hub-unavailable', 'PMH cannot be reached right now. Try again in a moment.');

/** The institution a clinic client acts for: its role `clinic:<institutionCode>`. */
function institutionOf(req: FastifyRequest): string {
  return req.principal!.role.slice('clinic:'.length);
}

/**
 * Clinics (医療機関用アプリ, seed B⑤), clients of the portal with role `clinic:<institutionCode>`:
 * the person presents their card at the clinic's app and agrees to scopes; the portal has OQS
 * authenticate the card (as at login) and grants a consent of minutes bound to the institution and
 * the card holder. Each relay call then names the consent; the portal checks it (404 when it is not
 * this institution's, 403 `consent-expired`, 403 `consent-scope`) and calls the hub for the person's
 * PMH pseudonym with its own token and a consent assertion it signs. The clinic is never told a
 * PMH-ID, a PMH pseudonym, a 仮名識別子 or a My Number: the hub's answers are relayed through the
 * contract's schemas, which let nothing else through.
 */
export async function clinicRoutes(app: App, ctx: PortalContext): Promise<void> {
  const { base, db } = ctx;
  const clinics = surface(app, { access: base.auth.requireRole('clinic:*'), tags: ['clinics'] });
  const ttlSeconds = consentTtlSeconds(ctx.config);
  const hub = () => base.peer('hub');
  let signer: ConsentAssertionSigner | undefined;
  const assertions = () => (signer ??= new ConsentAssertionSigner(base.name, base.config.keys.signing.privateJwk as never, hub().baseUrl));

  /** A consent refusal, audited at the portal under the institution (the account when known). */
  const auditConsent = (institutionCode: string, accountId: string | null, outcome: string, detail: Record<string, unknown>) =>
    db.transaction().execute((trx) =>
      appendAudit(trx, [
        {
          stream: auditStream(`institution:${institutionCode}`, accountId ?? undefined),
          actor: `institution:${institutionCode}`,
          action: 'consent.grant',
          subjectRef: accountId,
          purpose: 'clinic-consent',
          outcome,
          detail,
        },
      ]),
    );

  clinics.serve(portalApi.issueConsentChallenge, async (req) => {
    const challenge = newChallenge();
    const expiresAt = await storeConsentChallenge(db, challenge, institutionOf(req));
    return { challenge, expiresAt: expiresAt.toISOString() };
  });

  clinics.serve(portalApi.grantConsent, async (req, reply) => {
    const institutionCode = institutionOf(req);
    const { cardAuthentication: card, scopes } = req.body;
    if (!(await consumeConsentChallenge(db, card.challenge, institutionCode))) {
      await auditConsent(institutionCode, null, 'challenge-invalid', {});
      throw new ProblemError(
        401,
        'challenge-invalid',
        'The challenge is unknown, was already used, has expired or was issued to another institution. Ask for a new one.',
      );
    }
    let pseudonym: string;
    try {
      pseudonym = await verifyCard(base, card);
    } catch (e) {
      if (e instanceof ProblemError && e.status < 500) await auditConsent(institutionCode, null, e.code, {});
      throw e;
    }
    const granted = await db.transaction().execute(async (trx) => {
      // The card holder's account (created as a first login would: OQS knows them).
      const account = await accountForLogin(trx, pseudonym);
      const linked = await trx.selectFrom('accounts').select('pmh_pseudonym').where('id', '=', account.id).executeTakeFirstOrThrow();
      if (!linked.pmh_pseudonym) return { accountId: account.id, consent: undefined };
      const consent = await createConsent(trx, { accountId: account.id, institutionCode, clientId: req.principal!.clientId, scopes, ttlSeconds });
      await appendAudit(trx, [
        {
          stream: auditStream(`institution:${institutionCode}`, account.id),
          actor: `institution:${institutionCode}`,
          action: 'consent.grant',
          subjectRef: account.id,
          purpose: 'clinic-consent',
          outcome: 'ok',
          detail: { consentId: consent.id, scopes },
        },
      ]);
      return { accountId: account.id, consent };
    });
    if (!granted.consent) {
      await auditConsent(institutionCode, granted.accountId, 'not-linked', {});
      throw new ProblemError(409, 'not-linked', 'The card holder is not linked to PMH yet: there is nothing to show or record for them.');
    }
    req.log.info({ account: granted.accountId, consent: granted.consent.id }, 'clinic consent granted');
    reply.status(201);
    return { consentId: granted.consent.id, scopes, expiresAt: granted.consent.expiresAt.toISOString() };
  });

  /**
   * The consent a relay call names, when it is this institution's, live and grants one of `anyOf`;
   * otherwise the problem to answer. A consent of another institution answers as one that does not
   * exist (404), so consent ids cannot be probed.
   */
  async function consentFor(req: FastifyRequest, consentId: string, anyOf: ConsentScope[]): Promise<FoundConsent & { pmhPseudonym: string }> {
    const c = await findConsent(db, consentId);
    if (!c || c.institutionCode !== institutionOf(req)) throw new ProblemError(404, 'consent-not-found', 'This institution has no consent with this id.');
    if (!c.live) throw new ProblemError(403, 'consent-expired', 'The consent has expired: ask the person to consent again with their card.');
    if (!anyOf.some((s) => c.scopes.includes(s)))
      throw new ProblemError(403, 'consent-scope', `The person did not consent to this (${anyOf.join(' or ')}).`, { extra: { required: anyOf } });
    if (!c.pmhPseudonym) throw new ProblemError(409, 'not-linked', 'The card holder is not linked to PMH.');
    return c as FoundConsent & { pmhPseudonym: string };
  }

  /**
   * Calls the hub for the consent's person with a fresh consent assertion. The hub's declared answers
   * come back as they are (the relay answers them through its own schema); a refusal of the hub's
   * own making (its token, the assertion) or no answer at all is a 503 to the clinic.
   */
  async function relay<E extends Endpoint>(
    consentId: string,
    process: 'vaccination' | 'maternal-child',
    c: FoundConsent & { pmhPseudonym: string },
    e: E,
    input: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown }> {
    const assertion = await assertions().sign({
      pmhPseudonym: c.pmhPseudonym,
      consentEnds: c.expiresAt,
      institution: c.institutionCode,
      process,
      scope: c.scopes.join(' '),
      consent_id: consentId,
    });
    let answer: { status: number; body: unknown };
    try {
      answer = await hub().call(
        e,
        {
          params: { pmhPseudonym: c.pmhPseudonym, ...input.params },
          body: input.body,
          headers: { [CONSENT_ASSERTION_HEADER]: assertion, ...input.headers },
        } as never,
        { timeoutMs: HUB_TIMEOUT_MS },
      );
    } catch (err) {
      if (err instanceof UndeclaredAnswer && err.status < 500) answer = err;
      else {
        base.log.warn({ err: { message: (err as Error).message } }, 'clinic relay: hub unavailable');
        throw hubUnavailable();
      }
    }
    const problem = answer.body as { type?: string; errors?: unknown; warnings?: unknown } | undefined;
    if (answer.status < 300 || answer.status === 409 || answer.status === 422) return answer;
    if (answer.status === 403 && problem?.type?.endsWith('consent-expired'))
      throw new ProblemError(403, 'consent-expired', 'The consent has expired: ask the person to consent again with their card.');
    if (answer.status === 403 && (problem as { reason?: string })?.reason === 'institution')
      throw new ProblemError(403, 'other-institution', 'The record was made by another institution: only it may correct or cancel it.');
    if (answer.status === 404 && problem?.type?.endsWith('record-not-found'))
      throw new ProblemError(404, 'record-not-found', 'The person has no vaccination record with this id.');
    if (answer.status === 404 && problem?.type?.endsWith('not-linked')) throw new ProblemError(409, 'not-linked', 'The card holder is not linked to PMH.');
    if (answer.status === 400) throw new ProblemError(400, 'validation', 'The request does not match the schema.', { errors: fieldErrors(problem) });
    base.log.warn({ status: answer.status, type: problem?.type }, 'clinic relay: unexpected answer from the hub');
    throw hubUnavailable();
  }

  /** The hub's 409/422 as the portal's own problem: its type, words, field errors and warnings, nothing else. */
  function passOn(answer: { status: number; body: unknown }): never {
    const p = answer.body as { type?: string; detail?: string; errors?: unknown; warnings?: unknown };
    const code = typeof p?.type === 'string' ? p.type.replace(/^.*:/, '') : 'refused';
    throw new ProblemError(answer.status, /^[a-z-]{1,60}$/.test(code) ? code : 'refused', typeof p?.detail === 'string' ? p.detail : 'Refused by PMH.', {
      errors: fieldErrors(p),
      ...(Array.isArray(p?.warnings) ? { extra: { warnings: p.warnings } } : {}),
    });
  }

  const r = portalApi;

  clinics.serve(r.relayVaccinations, async (req) => {
    const c = await consentFor(req, req.params.consentId, ['vaccination.read']);
    const a = await relay(req.params.consentId, 'vaccination', c, hubApi.relay.vaccinations, {});
    if (a.status !== 200) passOn(a);
    return a.body as never;
  });

  clinics.serve(r.relayCheckDose, async (req) => {
    const c = await consentFor(req, req.params.consentId, ['vaccination.read', 'vaccination.write']);
    const a = await relay(req.params.consentId, 'vaccination', c, hubApi.relay.checkDose, { body: req.body });
    if (a.status !== 200) passOn(a);
    return a.body as never;
  });

  clinics.serve(r.relayRecordVaccination, async (req, reply) => {
    const c = await consentFor(req, req.params.consentId, ['vaccination.write']);
    const key = req.headers['idempotency-key'];
    const a = await relay(req.params.consentId, 'vaccination', c, hubApi.relay.recordVaccination, {
      body: req.body,
      ...(typeof key === 'string' ? { headers: { 'idempotency-key': key } } : {}),
    });
    if (a.status !== 200 && a.status !== 201) passOn(a);
    return reply.status(a.status).send(a.body);
  });

  clinics.serve(r.relayCorrectVaccination, async (req) => {
    const c = await consentFor(req, req.params.consentId, ['vaccination.write']);
    const a = await relay(req.params.consentId, 'vaccination', c, hubApi.relay.correctVaccination, {
      params: { recordId: req.params.recordId },
      body: req.body,
    });
    if (a.status !== 200) passOn(a);
    return a.body as never;
  });

  clinics.serve(r.relayCancelVaccination, async (req) => {
    const c = await consentFor(req, req.params.consentId, ['vaccination.write']);
    const a = await relay(req.params.consentId, 'vaccination', c, hubApi.relay.cancelVaccination, {
      params: { recordId: req.params.recordId },
      body: req.body,
    });
    if (a.status !== 200) passOn(a);
    return a.body as never;
  });

  clinics.serve(r.relayQuestionnaires, async (req) => {
    const c = await consentFor(req, req.params.consentId, ['questionnaire.read']);
    const a = await relay(req.params.consentId, 'vaccination', c, hubApi.relay.questionnaires, {});
    if (a.status !== 200) passOn(a);
    return a.body as never;
  });

  clinics.serve(r.relayCheckups, async (req) => {
    const c = await consentFor(req, req.params.consentId, ['checkup.read']);
    const a = await relay(req.params.consentId, 'maternal-child', c, hubApi.relay.checkups, {});
    if (a.status !== 200) passOn(a);
    return a.body as never;
  });

  clinics.serve(r.relayRecordCheckupResult, async (req, reply) => {
    const c = await consentFor(req, req.params.consentId, ['checkup.write']);
    const key = req.headers['idempotency-key'];
    const a = await relay(req.params.consentId, 'maternal-child', c, hubApi.relay.recordCheckupResult, {
      body: req.body,
      ...(typeof key === 'string' ? { headers: { 'idempotency-key': key } } : {}),
    });
    if (a.status !== 201) passOn(a);
    return reply.status(201).send(a.body);
  });
}

/** The field errors of a problem the hub answered (pointers and messages are the hub's words, never input). */
function fieldErrors(body: unknown): Array<{ pointer: string; message: string }> {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is { pointer: string; message: string } => typeof e?.pointer === 'string' && typeof e?.message === 'string')
    .map((e) => ({ pointer: e.pointer, message: e.message }));
}
