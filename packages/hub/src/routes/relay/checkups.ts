import crypto from 'node:crypto';
import { hubApi, type RecordedCheckupResult, type RelayCheckups } from '@pmh/protocol';
import { ProblemError, type FieldError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { normalizeKey, todayInJapan } from '@pmh/core/text/japanese';
import { containsMyNumber } from '@pmh/core/text/my-number';
import { validateCheckupResult, type ResultWarning } from '../../domain/maternal-child/checkup-result.ts';
import { residentCheckups } from '../../domain/maternal-child/resident-view.ts';
import type { Sex } from '../../domain/maternal-child/growth-chart.ts';
import { paymentFor } from '../../domain/maternal-child/vouchers.ts';
import type { RelaySubject } from '../../domain/vaccination/clinic-record.ts';
import { onceMoreOnKeyRace, type SystemRepository } from '../../store/index.ts';
import type { RelayPersonRow } from '../../store/clinic-vaccination.ts';
import type { VenueResultRow } from '../../store/venue-checkups.ts';
import type { HubRouteOptions } from '../options.ts';
import type { ConsentVerifier } from './consent-assertion.ts';
import { invalid, notLinked, questionnaireRefused, relayAudit } from './shared.ts';

const notRegistered = () =>
  new ProblemError(
    422,
    'not-registered',
    'No municipality has registered this person for maternal and child health (or every registration has ended): a checkup result cannot be recorded here.',
  );
const voucherUsed = () =>
  new ProblemError(409, 'voucher-used', 'The voucher (受診券) was already used for another checkup: a voucher pays for one checkup. Nothing was recorded.', {
    errors: [{ pointer: '/voucherNumber', message: 'was already used for another checkup' }],
  });

/** The result as the venue is answered: the contract's result, how it was paid, and the warnings it was stored with. */
function recordedView(row: VenueResultRow, warnings: ResultWarning[]): RecordedCheckupResult {
  return {
    resultId: row.resultId,
    ...row.body,
    source: 'venue',
    payment: row.payment,
    ...(row.selfPaidReason ? { selfPaidReason: row.selfPaidReason as RecordedCheckupResult['selfPaidReason'] } : {}),
    ...(row.subsidyCap !== null ? { subsidyCap: row.subsidyCap } : {}),
    warnings,
  };
}

/**
 * The person's live maternal and child health registration a venue's result is recorded under: the
 * newest one still registered (the municipality the person lives in now), with its pregnancy.
 */
async function checkupSubject(sys: SystemRepository, person: RelayPersonRow) {
  const regs = (await sys.checkupSubjects(person.subjects.map((s) => s.id))).filter((r) => r.status === 'registered');
  const order = new Map(person.subjects.map((s, i) => [s.id, i]));
  const reg = regs.sort((a, b) => order.get(b.subjectId)! - order.get(a.subjectId)!)[0];
  return reg && { reg, subject: person.subjects.find((s) => s.id === reg.subjectId)! };
}

/** The person as a venue recognises them: the registered subject's name, date of birth and sex. */
const personOf = (s: RelaySubject): NonNullable<RelayCheckups['person']> => ({ displayName: s.name, dateOfBirth: s.dateOfBirth, sex: s.sex });

/**
 * A checkup venue's access to a person's maternal and child health data (seed C⑤), relayed by the
 * portal as the vaccination relay is (index.ts): the consent assertion verified first, every read and
 * write audited under the institution with the consent id. A result is checked as a municipality's is
 * (domain/maternal-child/checkup-result.ts) and paid as one is (`paymentFor`: with its voucher, or
 * self-paid with the reason); a voucher already used is a 409 and writes nothing.
 */
export async function checkupRelayRoutes(app: App, opts: HubRouteOptions, consents: ConsentVerifier): Promise<void> {
  const s = surface(app, { access: opts.auth.requireRole('portal'), tags: ['counterparts'] });
  const system = opts.store.system;

  s.serve(hubApi.relay.checkups, async (req) => {
    const c = await consents.verify(req, req.params.pmhPseudonym, ['maternal-child'], ['checkup.read']);
    const found = await system.transaction(async (sys) => {
      const person = await sys.relayPerson(req.params.pmhPseudonym);
      await sys.audit(relayAudit(c, person, person ? person.subjects : [], 'checkup.relay.read', person ? 'ok' : 'not-linked', req.id));
      if (!person) return undefined;
      // What the person sees of their checkups (vouchers, results, a child's growth chart), as the resident's own read.
      const ids = person.subjects.map((x) => x.id);
      const registered = (await checkupSubject(sys, person))?.subject ?? person.subjects[0];
      const seen = residentCheckups(registered, await sys.checkupVouchersOf(ids), await sys.checkupResultsOf(ids), todayInJapan());
      return { ...(registered ? { person: personOf(registered) } : {}), ...seen };
    });
    if (!found) throw notLinked();
    return found;
  });

  s.serve(hubApi.relay.recordCheckupResult, async (req, reply) => {
    const c = await consents.verify(req, req.params.pmhPseudonym, ['maternal-child'], ['checkup.write']);
    const { questionnaireId, ...entered } = req.body;
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const today = todayInJapan();
    const outcome = await onceMoreOnKeyRace(
      () =>
        system.transaction(async (sys) => {
          if (key) {
            const first = await sys.venueResultByIdempotencyKey(c.institutionCode, key);
            if (first) return { kind: 'recorded' as const, row: first, warnings: [] };
          }
          const person = await sys.relayPerson(req.params.pmhPseudonym);
          if (!person) throw notLinked();
          const found = await checkupSubject(sys, person);
          if (!found) throw notRegistered();
          const { reg, subject } = found;
          const errors: FieldError[] = [];
          if (entered.institutionCode !== undefined && entered.institutionCode !== c.institutionCode)
            errors.push({ pointer: '/institutionCode', message: 'must be the institution the consent was given to (or left out)' });
          const checked = validateCheckupResult(
            { ...entered, institutionCode: c.institutionCode },
            { subject: { dateOfBirth: subject.dateOfBirth, sex: subject.sex as Sex }, pregnancy: reg.pregnancy, today },
          );
          if ('errors' in checked) errors.push(...checked.errors);
          else
            checked.result.findings.forEach((f, i) => {
              if (containsMyNumber(f.finding)) errors.push({ pointer: `/findings/${i}/finding`, message: 'must not hold a My Number' });
            });
          if (errors.length || 'errors' in checked) throw invalid(errors);
          const result = {
            ...checked.result,
            ...(checked.result.voucherNumber !== undefined ? { voucherNumber: normalizeKey(checked.result.voucherNumber) } : {}),
          };
          // One venue write per person at a time: a voucher cannot pay twice between this check and the insert.
          if (!(await sys.lockCheckupRegistration(subject.id))) throw notRegistered();
          const vouchers = await sys.checkupVouchersOf([subject.id]);
          const named = result.voucherNumber !== undefined ? vouchers.find((v) => v.voucherNumber === result.voucherNumber) : undefined;
          if (named?.used) {
            await sys.audit(relayAudit(c, person, [subject], 'checkup.relay.record', 'voucher-used', req.id, { checkupKind: result.checkupKind }));
            return { kind: 'voucher-used' as const };
          }
          const payment = paymentFor(result, vouchers, reg.pregnancy);
          const resultId = crypto.randomUUID();
          if (questionnaireId) {
            // The person's submitted 問診票 for this checkup, used by this result in this transaction.
            const used = await sys.useQuestionnaire({
              pmhId: person.pmhId,
              questionnaireId,
              usedBy: resultId,
              today,
              dateOfBirth: subject.dateOfBirth,
              base: '/questionnaireId',
            });
            if ('errors' in used) throw invalid(used.errors);
            if ('refused' in used) throw questionnaireRefused(used.refused);
            const q = used.questionnaire;
            if (q.process !== 'maternal-child' || q.checkupKind !== result.checkupKind || (q.sequence !== null && q.sequence !== (result.sequence ?? null)))
              throw invalid([{ pointer: '/questionnaireId', message: 'is a questionnaire for another checkup' }]);
          }
          const row = await sys.insertVenueResult({
            id: resultId,
            municipalityCode: reg.municipalityCode,
            subjectId: subject.id,
            body: result,
            payment: payment.payment,
            selfPaidReason: payment.payment === 'self-paid' ? payment.reason : null,
            consentId: c.consentId,
            questionnaireId: questionnaireId ?? null,
            idempotencyKey: key,
          });
          await sys.audit(
            relayAudit(c, person, [subject], 'checkup.relay.record', 'ok', req.id, {
              resultId,
              checkupKind: result.checkupKind,
              payment: payment.payment,
              ...(payment.payment === 'self-paid' ? { selfPaidReason: payment.reason } : {}),
            }),
          );
          return { kind: 'recorded' as const, row, warnings: checked.warnings };
        }),
      key !== null,
    );
    if (outcome.kind === 'voucher-used') throw voucherUsed();
    return reply.status(201).send(recordedView(outcome.row, outcome.warnings));
  });
}
