import crypto from 'node:crypto';
import { hubApi, type RecordedVaccination } from '@pmh/protocol';
import { auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { ProblemError, type FieldError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { todayInJapan } from '@pmh/core/text/japanese';
import {
  NO_DOSE_MESSAGE,
  doseToStore,
  doseWarnings,
  noDoseReason,
  recordErrors,
  recordingSubject,
  relayPerson,
  relayVaccinations,
  unoverridden,
  visibleSubjects,
  type RelaySubject,
} from '../../domain/vaccination/clinic-record.ts';
import { recordOf } from '../../domain/vaccination/resident-view.ts';
import type { DoseWarning } from '../../domain/vaccination/schedule.ts';
import type { ClinicRecordRow, RelayPersonRow } from '../../store/clinic-vaccination.ts';
import { onceMoreOnKeyRace, type SystemTransaction } from '../../store/index.ts';
import type { HubRouteOptions } from '../options.ts';
import { questionnaireView } from '../residents/index.ts';
import { checkupRelayRoutes } from './checkups.ts';
import { invalid, notLinked, questionnaireRefused, relayAudit } from './shared.ts';
import { ConsentVerifier, consentRefused, type VerifiedConsent } from './consent-assertion.ts';

const notRegistered = () =>
  new ProblemError(
    422,
    'not-registered',
    'No municipality has registered this person for vaccination (or every registration has ended): a dose cannot be recorded here.',
  );
const warningsNotOverridden = (warnings: DoseWarning[]) =>
  new ProblemError(409, 'warnings-not-overridden', 'Each warning of the schedule check must be overridden with a reason before the dose is recorded.', {
    extra: { warnings },
  });

/** A clinic's record as the relay answers it: the contract's record, its version and the overrides. */
function recordedView(r: ClinicRecordRow): RecordedVaccination {
  return { ...recordOf(r), recorded: true, version: r.version, overrides: r.overrides as RecordedVaccination['overrides'] };
}

/**
 * A clinic's access to a person's vaccination data, relayed by the portal (seed B⑤,
 * `/hub/v1/residents/{pmhPseudonym}/relay/…`, role portal): every call carries the portal's consent
 * assertion, verified before anything is read (consent-assertion.ts), and is audited with the
 * institution as the actor and the consent id, against each subject of the person the clinic was
 * shown — so the person's access log names the institution. A clinic sees and counts only the
 * registrations the municipalities have not ended. Its answers carry no PMH-ID, PMH pseudonym or My
 * Number.
 */
export async function relayRoutes(app: App, opts: HubRouteOptions): Promise<void> {
  const s = surface(app, { access: opts.auth.requireRole('portal'), tags: ['counterparts'] });
  const system = opts.store.system;
  const consents = new ConsentVerifier(opts.clients, opts.publicUrl);
  const audit = relayAudit;

  /** The person and the doses a clinic may see, read in `sys`. */
  const seen = async (sys: SystemTransaction, person: RelayPersonRow) => {
    const shown = visibleSubjects(person.subjects);
    return { shown, doses: await sys.vaccinationRecordsOf(shown.map((x) => x.id)) };
  };

  s.serve(hubApi.relay.vaccinations, async (req) => {
    const c = await consents.verify(req, req.params.pmhPseudonym, ['vaccination'], ['vaccination.read']);
    const today = todayInJapan();
    const answer = await system.transaction(async (sys) => {
      const person = await sys.relayPerson(req.params.pmhPseudonym);
      if (!person) {
        await sys.audit(audit(c, person, [], 'vaccination.relay.read', 'not-linked', req.id));
        return undefined;
      }
      const { shown, doses } = await seen(sys, person);
      await sys.audit(audit(c, person, shown, 'vaccination.relay.read', 'ok', req.id));
      return { person: relayPerson(person.subjects)!, ...relayVaccinations(person.subjects, doses, today) };
    });
    if (!answer) throw notLinked();
    return answer;
  });

  s.serve(hubApi.relay.checkDose, async (req) => {
    const c = await consents.verify(req, req.params.pmhPseudonym, ['vaccination'], ['vaccination.read', 'vaccination.write']);
    const answer = await system.transaction(async (sys) => {
      const person = await sys.relayPerson(req.params.pmhPseudonym);
      if (!person) {
        await sys.audit(audit(c, person, [], 'vaccination.relay.check', 'not-linked', req.id));
        return undefined;
      }
      const { shown, doses } = await seen(sys, person);
      const facts = relayPerson(person.subjects)!;
      const warnings = doseWarnings(facts, doses, req.body);
      await sys.audit(audit(c, person, shown, 'vaccination.relay.check', 'ok', req.id, { warnings: warnings.map((w) => w.code) }));
      return { warnings };
    });
    if (!answer) throw notLinked();
    return answer;
  });

  s.serve(hubApi.relay.recordVaccination, async (req, reply) => {
    const c = await consents.verify(req, req.params.pmhPseudonym, ['vaccination'], ['vaccination.write']);
    const { assessment, record, overrides = [], questionnaireId } = req.body;
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const today = todayInJapan();
    const outcome = await onceMoreOnKeyRace(
      () =>
        system.transaction(async (sys) => {
          if (key) {
            const first = await sys.clinicRecordByIdempotencyKey(c.institutionCode, key);
            if (first) return { kind: 'recorded' as const, row: first };
          }
          const person = await sys.relayPerson(req.params.pmhPseudonym);
          if (!person) throw notLinked();
          const subject = recordingSubject(person.subjects);
          if (!subject) throw notRegistered();
          const errors = recordErrors(record, { base: '/record', institutionCode: c.institutionCode, today, dateOfBirth: subject.dateOfBirth, overrides });
          if (errors.length) throw invalid(errors);
          const why = noDoseReason(assessment);
          const shown = visibleSubjects(person.subjects);
          if (why) {
            await sys.audit(
              audit(c, person, shown, 'vaccination.relay.assess', why, req.id, { vaccineCode: record.vaccineCode, doseNumber: record.doseNumber }),
            );
            return { kind: 'no-dose' as const, why };
          }
          // One write per person at a time: two writes of one dose cannot both pass the duplicate check.
          if (!(await sys.lockVaccinationRegistration(subject.id))) throw notRegistered();
          const doses = await sys.vaccinationRecordsOf(shown.map((x) => x.id));
          const warnings = doseWarnings(subject, doses, record);
          const missing = unoverridden(warnings, overrides);
          if (missing.length) {
            await sys.audit(audit(c, person, shown, 'vaccination.relay.record', 'warnings', req.id, { warnings: missing.map((w) => w.code) }));
            return { kind: 'warnings' as const, warnings };
          }
          const recordId = crypto.randomUUID();
          if (questionnaireId) {
            // The person's submitted 予診票 for this dose, completed with what the visit answers (the
            // temperature taken, the wish to be vaccinated that recording the dose declares) and used
            // by this record, in this transaction: used exactly when the dose is recorded.
            const used = await sys.useQuestionnaire({
              pmhId: person.pmhId,
              questionnaireId,
              usedBy: recordId,
              visitAnswers: { temperature: Math.round(assessment.temperatureC * 10) / 10, consent: 'wish' },
              today,
              dateOfBirth: subject.dateOfBirth,
              base: '/questionnaireId',
            });
            if ('errors' in used) throw invalid(used.errors);
            if ('refused' in used) throw questionnaireRefused(used.refused);
            const q = used.questionnaire;
            if (q.process !== 'vaccination' || q.vaccineCode !== record.vaccineCode || (q.doseNumber !== null && q.doseNumber !== record.doseNumber))
              throw invalid([{ pointer: '/questionnaireId', message: 'is a questionnaire for another vaccine or dose' }]);
          }
          const row = await sys.insertClinicRecord({
            id: recordId,
            municipalityCode: subject.municipalityCode,
            subjectId: subject.id,
            institutionCode: c.institutionCode,
            consentId: c.consentId,
            dose: doseToStore(record, assessment.doctorName),
            assessment,
            overrides: overrides.filter((o) => warnings.some((w) => w.code === o.code)),
            questionnaireId: questionnaireId ?? null,
            recordedOn: today,
            idempotencyKey: key,
          });
          await sys.audit(
            audit(c, person, [subject], 'vaccination.relay.record', 'ok', req.id, { recordId: row.id, overridden: row.overrides.map((o) => o.code) }),
          );
          return { kind: 'recorded' as const, row };
        }),
      key !== null,
    );
    if (outcome.kind === 'warnings') throw warningsNotOverridden(outcome.warnings);
    if (outcome.kind === 'no-dose') return reply.status(200).send({ recorded: false, reason: outcome.why, message: NO_DOSE_MESSAGE[outcome.why] });
    return reply.status(201).send(recordedView(outcome.row));
  });

  /**
   * The record a correction or cancellation is about, locked, when this institution may still change
   * it: its own clinic record, not cancelled, recorded today (Japan time).
   */
  const changeable = async (sys: SystemTransaction, c: VerifiedConsent, pmhPseudonym: string, recordId: string) => {
    const person = await sys.relayPerson(pmhPseudonym);
    if (!person) throw notLinked();
    const shown = visibleSubjects(person.subjects);
    // The order every clinic write locks in: the registrations (by id), then the record.
    for (const x of [...shown].sort((a, b) => a.id.localeCompare(b.id))) await sys.lockVaccinationRegistration(x.id);
    const row = await sys.lockClinicRecord(
      recordId,
      shown.map((x) => x.id),
    );
    if (!row) throw new ProblemError(404, 'record-not-found', 'The person has no vaccination record with this id that this consent shows.');
    if (row.source !== 'clinic' || row.institutionCode !== c.institutionCode) throw consentRefused('institution');
    if (row.status === 'cancelled') throw new ProblemError(409, 'record-cancelled', 'The record has been cancelled; it cannot be changed.');
    // 予防接種の記録の訂正: the recording institution, on the day it recorded the dose; afterwards through the municipality.
    if (row.recordedOn !== todayInJapan())
      throw new ProblemError(
        409,
        'correction-closed',
        'A record can be corrected or cancelled only on the day it was recorded; ask the municipality afterwards.',
      );
    const subject = person.subjects.find((x) => x.id === row.subjectId)!;
    return { person, shown, row, subject };
  };

  s.serve(hubApi.relay.correctVaccination, async (req) => {
    const c = await consents.verify(req, req.params.pmhPseudonym, ['vaccination'], ['vaccination.write']);
    const { record, reason, overrides = [] } = req.body;
    const outcome = await system.transaction(async (sys) => {
      const { person, shown, row, subject } = await changeable(sys, c, req.params.pmhPseudonym, req.params.recordId);
      const errors = recordErrors(record, {
        base: '/record',
        institutionCode: c.institutionCode,
        today: todayInJapan(),
        dateOfBirth: subject.dateOfBirth,
        overrides,
      });
      if (reason.trim() === '') errors.push({ pointer: '/reason', message: 'must say why the record is corrected (not blank)' });
      if (errors.length) throw invalid(errors);
      const doses = await sys.vaccinationRecordsOf(shown.map((x) => x.id));
      const warnings = doseWarnings(subject, doses, record, row.id);
      const missing = unoverridden(warnings, overrides);
      if (missing.length) {
        await sys.audit(
          audit(c, person, [subject], 'vaccination.relay.correct', 'warnings', req.id, { recordId: row.id, warnings: missing.map((w) => w.code) }),
        );
        return { kind: 'warnings' as const, warnings };
      }
      const corrected = await sys.replaceClinicRecord(row.id, {
        kind: 'corrected',
        dose: doseToStore(record, row.doctorName ?? record.doctorName ?? ''),
        overrides: overrides.filter((o) => warnings.some((w) => w.code === o.code)),
        reason,
        consentId: c.consentId,
      });
      await sys.audit(audit(c, person, [subject], 'vaccination.relay.correct', 'ok', req.id, { recordId: row.id, version: corrected.version }));
      return { kind: 'corrected' as const, row: corrected };
    });
    if (outcome.kind === 'warnings') throw warningsNotOverridden(outcome.warnings);
    return recordedView(outcome.row);
  });

  s.serve(hubApi.relay.cancelVaccination, async (req) => {
    const c = await consents.verify(req, req.params.pmhPseudonym, ['vaccination'], ['vaccination.write']);
    if (req.body.reason.trim() === '')
      throw new ProblemError(400, 'validation', 'The request does not match the schema.', {
        errors: [{ pointer: '/reason', message: 'must say why the record is cancelled (not blank)' }],
      });
    const row = await system.transaction(async (sys) => {
      const { person, row, subject } = await changeable(sys, c, req.params.pmhPseudonym, req.params.recordId);
      const cancelled = await sys.replaceClinicRecord(row.id, { kind: 'cancelled', reason: req.body.reason, consentId: c.consentId });
      await sys.audit(audit(c, person, [subject], 'vaccination.relay.cancel', 'ok', req.id, { recordId: row.id, version: cancelled.version }));
      return cancelled;
    });
    return recordedView(row);
  });

  s.serve(hubApi.relay.questionnaires, async (req) => {
    const c = await consents.verify(req, req.params.pmhPseudonym, ['vaccination', 'maternal-child'], ['questionnaire.read']);
    const found = await system.transaction(async (sys) => {
      const person = await sys.relayPerson(req.params.pmhPseudonym);
      await sys.audit(audit(c, person, person ? visibleSubjects(person.subjects) : [], 'questionnaire.relay.read', person ? 'ok' : 'not-linked', req.id));
      return person && (await sys.questionnairesOf(person.pmhId));
    });
    if (!found) throw notLinked();
    // Drafts are the person's own until submitted.
    return found.filter((q) => q.status !== 'draft').map(questionnaireView);
  });

  await checkupRelayRoutes(app, opts, consents);
}
