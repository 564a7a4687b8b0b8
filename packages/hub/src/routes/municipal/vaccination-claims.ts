import { VACCINATION_CLAIMS_CSV_COLUMNS, hubApi, type VaccinationClaimLine } from '@pmh/protocol';
import { auditStream } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import type { Surface } from '@pmh/core/http/serve';
import type { StoredClaimLine, StoredReminderSetting } from '../../store/index.ts';
import type { MunicipalDeps } from './index.ts';
import { actorOf, auditableRequestId, scopeOf } from './scope.ts';
import { answerList, auditedRead, monthOf } from './reads.ts';

export const claimView = (c: StoredClaimLine): VaccinationClaimLine => ({
  claimId: c.claimId,
  month: c.month,
  institutionCode: c.institutionCode,
  vaccineCode: c.vaccineCode as VaccinationClaimLine['vaccineCode'],
  count: c.count,
  unitPrice: c.unitPrice,
  amount: c.amount,
  status: c.status,
  missingPrice: c.unitPrice === null,
  priceValidFrom: c.priceValidFrom,
  reason: c.reason,
  confirmedAt: c.confirmedAt ? c.confirmedAt.toISOString() : null,
  decidedAt: c.decidedAt ? c.decidedAt.toISOString() : null,
});

const reminderView = (r: StoredReminderSetting) => ({
  vaccineCode: r.vaccineCode as VaccinationClaimLine['vaccineCode'],
  enabled: r.enabled,
  updatedAt: r.updatedAt.toISOString(),
});

/**
 * Claims (seed B①): `GET /municipal/v1/vaccination/claims?month=` (JSON or CSV), `POST …/claims/confirmations`
 * and `PUT …/claims/{claimId}/status`; and the reminder opt-in, `PUT|GET …/vaccination/reminders`.
 * Every read and write is audited under the municipality (no subject: a claim line counts doses, it
 * names nobody).
 */
export function vaccinationClaimRoutes(s: Surface, _deps: MunicipalDeps): void {
  s.serve(hubApi.municipal.vaccinationClaims, async (req, reply) => {
    const month = monthOf(req.query.month);
    const lines = await auditedRead(
      req,
      { action: 'vaccination.claims.read', stream: `vaccination-claims:${month}` },
      (repo) => repo.vaccinationClaims(month),
      (lines) => ({ month, lines: lines.length }),
    );
    const claims = lines.map(claimView);
    return answerList(req, reply, { month, claims }, { columns: VACCINATION_CLAIMS_CSV_COLUMNS, rows: claims });
  });

  s.serve(hubApi.municipal.confirmVaccinationClaims, async (req, reply) => {
    const { month } = req.body;
    const scope = scopeOf(req);
    const actor = actorOf(req, scope.code);
    const outcome = await scope.run(async (repo) => {
      const outcome = await repo.confirmVaccinationClaims(month, actor);
      if (outcome.kind === 'confirmed')
        await repo.audit([
          {
            stream: auditStream(actor, `vaccination-claims:${month}`),
            actor,
            action: 'vaccination.claims.confirm',
            subjectRef: null,
            purpose: 'municipal-api',
            outcome: 'ok',
            detail: {
              month,
              lines: outcome.confirmed.map((c) => c.claimId),
              doses: outcome.doses,
              amount: outcome.confirmed.reduce((n, c) => n + (c.amount ?? 0), 0),
              requestId: auditableRequestId(req.id),
            },
          },
        ]);
      return outcome;
    });
    if (outcome.kind === 'missing-price')
      throw new ProblemError(
        409,
        'missing-price',
        `No unit price is in force for some doses of ${month} (${outcome.vaccineCodes.join(', ')}); set it with PUT /municipal/v1/vaccination/prices/{vaccineCode}, then confirm. Nothing was confirmed.`,
        { extra: { vaccineCodes: outcome.vaccineCodes } },
      );
    reply.status(outcome.confirmed.length ? 201 : 200);
    return { month, confirmed: outcome.confirmed.map(claimView), claims: outcome.claims.map(claimView) };
  });

  s.serve(hubApi.municipal.decideVaccinationClaim, async (req) => {
    const scope = scopeOf(req);
    const actor = actorOf(req, scope.code);
    const { claimId } = req.params;
    const outcome = await scope.run(async (repo) => {
      const outcome = await repo.decideVaccinationClaim(claimId, req.body, actor);
      if (outcome.kind === 'decided')
        await repo.audit([
          {
            stream: auditStream(actor, `vaccination-claim:${claimId}`),
            actor,
            action: `vaccination.claim.${req.body.status}`,
            subjectRef: null,
            purpose: 'municipal-api',
            outcome: 'ok',
            detail: { claimId, month: outcome.line.month, from: outcome.from, to: req.body.status, requestId: auditableRequestId(req.id) },
          },
        ]);
      return outcome;
    });
    if (outcome.kind === 'not-found') throw new ProblemError(404, 'not-found', 'This municipality has no confirmed claim line with that id.');
    if (outcome.kind === 'conflict')
      throw new ProblemError(409, 'claim-transition', `The claim line is ${outcome.line.status}; only a confirmed line can be marked ${req.body.status}.`, {
        extra: { claimStatus: outcome.line.status },
      });
    return claimView(outcome.line);
  });

  s.serve(hubApi.municipal.putVaccinationReminder, async (req, reply) => {
    const scope = scopeOf(req);
    const actor = actorOf(req, scope.code);
    const { vaccineCode } = req.params;
    const { created, setting } = await scope.run(async (repo) => {
      const r = await repo.putReminderSetting(vaccineCode, req.body.enabled);
      await repo.audit([
        {
          stream: auditStream(actor, `vaccination-reminder:${vaccineCode}`),
          actor,
          action: 'vaccination.reminder.setting',
          subjectRef: null,
          purpose: 'municipal-api',
          outcome: 'ok',
          detail: { vaccineCode, enabled: req.body.enabled, requestId: auditableRequestId(req.id) },
        },
      ]);
      return r;
    });
    reply.status(created ? 201 : 200);
    return reminderView(setting);
  });

  s.serve(hubApi.municipal.listVaccinationReminders, async (req) => {
    const settings = await scopeOf(req).run((repo) => repo.reminderSettings());
    return { reminders: settings.map(reminderView) };
  });
}
