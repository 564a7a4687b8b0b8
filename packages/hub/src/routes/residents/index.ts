import { ACTING_GUARDIAN_HEADER, WIRE_FORMATS, hubApi, isSingleLineText, type Questionnaire } from '@pmh/protocol';
import { auditStream, type AuditCursor, type AuditEntry } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { todayInJapan } from '@pmh/core/text/japanese';
import { decodeCursor, encodeCursor } from '../audit-cursor.ts';
import { accessLogActor, actorName, residentCertificates } from '../../domain/medical-subsidy/resident-view.ts';
import type { ResidentPerson } from '../../store/residents.ts';
import type { StoredQuestionnaire, SystemRepository } from '../../store/index.ts';
import { changeQuestionnaire, chooseTemplate, templateOf, wireItems } from '../../domain/questionnaires/index.ts';
import { residentVaccinations } from '../../domain/vaccination/resident-view.ts';
import { residentCheckups } from '../../domain/maternal-child/resident-view.ts';
import type { HubRouteOptions } from '../options.ts';

/** The purpose of the resident's own reads: the access log leaves them out (the resident knows). */
export const RESIDENT_SELF_VIEW = 'resident-self-view';

/**
 * The purpose of what a guardian (代理人) does for a person through the portal (the portal says so with
 * the `Acting-Guardian` header): audited with actor `guardian`, so the person's access log lists it.
 */
export const GUARDIAN_ACTING = 'guardian-acting';

/** Who acts, as the audit log names them: the resident themself, or a guardian (and which, by PMH-ID when known). */
type Acting = { guardian: false } | { guardian: true; guardianPmhId: string | null };

/** The wire view of a stored questionnaire: its template's items (the current version of the template), its answers (the clinic relay's too). */
export function questionnaireView(q: StoredQuestionnaire): Questionnaire {
  const t = templateOf(q);
  return {
    questionnaireId: q.id,
    process: q.process,
    title: t.title,
    ...(q.vaccineCode !== null ? { vaccineCode: q.vaccineCode } : {}),
    ...(q.doseNumber !== null ? { doseNumber: q.doseNumber } : {}),
    ...(q.checkupKind !== null ? { checkupKind: q.checkupKind } : {}),
    ...(q.sequence !== null ? { sequence: q.sequence } : {}),
    status: q.status,
    items: wireItems(t),
    answers: q.answers,
    createdAt: q.createdAt,
    updatedAt: q.updatedAt,
    ...(q.submittedAt ? { submittedAt: q.submittedAt } : {}),
    ...(q.usedAt ? { usedAt: q.usedAt } : {}),
  };
}

const notLinked = () => new ProblemError(404, 'not-linked', 'No person is linked to this PMH pseudonym.');

/**
 * The resident API (`/hub/v1/residents/{pmhPseudonym}/…`, role portal): what the hub holds about the
 * person behind a PMH pseudonym, merged across every municipality that registered them (one person,
 * one PMH-ID), and who accessed it. The portal asks on behalf of the logged-in resident; the answers
 * carry neither the PMH-ID nor a My Number, and never the address of a subject under DV support
 * measures. Every read is audited against each of the person's subjects. The national view: the
 * store's system door.
 */
export async function residentRoutes(app: App, opts: HubRouteOptions): Promise<void> {
  const s = surface(app, { access: opts.auth.requireRole('portal'), tags: ['counterparts'] });
  const system = opts.store.system;

  /**
   * Who acts: the `Acting-Guardian` header (the portal's word; only the portal may call here) names a
   * guardian by PMH pseudonym, resolved to their PMH-ID for the audit row (null: not linked to PMH).
   */
  const acting = async (sys: SystemRepository, headers: Record<string, unknown>): Promise<Acting> => {
    const h = headers[ACTING_GUARDIAN_HEADER];
    if (typeof h !== 'string') return { guardian: false };
    if (h === 'unlinked') return { guardian: true, guardianPmhId: null };
    return { guardian: true, guardianPmhId: (await sys.personByPmhPseudonym(h))?.pmhId ?? null };
  };

  /**
   * Audits a read or write (one row per subject) in its transaction: the resident's own (left out of
   * their access log), or a guardian's for them (listed there).
   */
  const audit = (person: ResidentPerson | undefined, action: string, requestId: string, who: Acting = { guardian: false }): AuditEntry[] => {
    const common = who.guardian
      ? { actor: 'guardian', action, purpose: GUARDIAN_ACTING, detail: { requestId, guardianPmhId: who.guardianPmhId } }
      : { actor: 'portal', action, purpose: RESIDENT_SELF_VIEW, detail: { requestId } };
    if (!person) return [{ ...common, stream: auditStream('portal', requestId), subjectRef: null, outcome: 'not-linked' }];
    const stream = auditStream('portal', person.pmhId);
    const refs = person.subjects.length ? person.subjects.map((s) => s.id) : [person.pmhId];
    return refs.map((subjectRef) => ({ ...common, stream, subjectRef, outcome: 'ok' }));
  };

  s.serve(hubApi.residents.subsidies, async (req) => {
    const asOf = req.query.asOf ?? todayInJapan();
    const answer = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      await sys.audit(audit(person, 'resident.subsidies.read', req.id, await acting(sys, req.headers)));
      if (!person) return undefined;
      const versions = await sys.certificateVersionsOf(person.subjects.map((s) => s.id));
      return {
        subjects: person.subjects.map(({ id: _id, sex: _sex, ...s }) => s),
        certificates: residentCertificates(versions, asOf),
      };
    });
    if (!answer) throw notLinked();
    return answer;
  });

  s.serve(hubApi.residents.vaccinations, async (req) => {
    const today = todayInJapan();
    const answer = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      await sys.audit(audit(person, 'resident.vaccinations.read', req.id, await acting(sys, req.headers)));
      if (!person) return undefined;
      return residentVaccinations(person.subjects, await sys.vaccinationRecordsOf(person.subjects.map((s) => s.id)), today);
    });
    if (!answer) throw notLinked();
    return answer;
  });

  s.serve(hubApi.residents.checkups, async (req) => {
    const today = todayInJapan();
    const answer = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      await sys.audit(audit(person, 'resident.checkups.read', req.id, await acting(sys, req.headers)));
      if (!person) return undefined;
      const ids = person.subjects.map((s) => s.id);
      // One person, one date of birth: the first registration's (subjects come in a stable order).
      return residentCheckups(person.subjects[0], await sys.checkupVouchersOf(ids), await sys.checkupResultsOf(ids), today);
    });
    if (!answer) throw notLinked();
    return answer;
  });

  s.serve(hubApi.residents.accessLog, async (req) => {
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    const before = req.query.before === undefined ? undefined : decodeCursor(req.query.before);
    const read = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      // Read before this read is recorded, so a first page never shows it (it would be left out anyway).
      const found = person
        ? await sys.readAudit({
            subjectRef: [...person.subjects.map((s) => s.id), person.pmhId],
            limit,
            before,
            exclude: [{ actor: 'portal', purpose: RESIDENT_SELF_VIEW }],
          })
        : undefined;
      await sys.audit(audit(person, 'resident.access-log.read', req.id, await acting(sys, req.headers)));
      if (!found) return undefined;
      const actors = found.map((r) => accessLogActor(r.actor));
      const institutions = await sys.institutionNames(actors.flatMap((a) => (a.actorKind === 'medical-institution' && a.actorCode ? [a.actorCode] : [])));
      return { rows: found, actors, institutions };
    });
    if (!read) throw notLinked();
    const { rows, actors, institutions } = read;
    const items = rows.map((r, i) => ({
      at: r.at,
      ...actors[i],
      actorName: actorName(actors[i], institutions),
      action: r.action,
      purpose: r.purpose,
      outcome: r.outcome,
    }));
    const last = rows[rows.length - 1];
    return rows.length === limit && last ? { items, nextBefore: encodeCursor(last) } : { items };
  });

  s.serve(hubApi.residents.profile, async (req) => {
    const answer = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      await sys.audit(audit(person, 'resident.profile.read', req.id, await acting(sys, req.headers)));
      const first = person?.subjects[0];
      return first && { displayName: first.name, dateOfBirth: first.dateOfBirth };
    });
    if (!answer) throw notLinked();
    return answer;
  });

  s.serve(hubApi.residents.questionnaires, async (req) => {
    const answer = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      await sys.audit(audit(person, 'resident.questionnaires.read', req.id, await acting(sys, req.headers)));
      return person && (await sys.questionnairesOf(person.pmhId));
    });
    if (!answer) throw notLinked();
    return answer.map(questionnaireView);
  });

  s.serve(hubApi.residents.createQuestionnaire, async (req, reply) => {
    const chosen = chooseTemplate(req.body);
    if ('errors' in chosen) throw new ProblemError(422, 'validation', 'No questionnaire exists for this request.', { errors: chosen.errors });
    const answer = await system.transaction(async (sys) => {
      // A write for nobody writes nothing, not even its audit row (a refused write leaves no trace but the log line).
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      if (!person) return undefined;
      await sys.audit(audit(person, 'resident.questionnaire.create', req.id, await acting(sys, req.headers)));
      return sys.draftQuestionnaire(person.pmhId, chosen.template);
    });
    if (!answer) throw notLinked();
    reply.status(answer.created ? 201 : 200);
    return questionnaireView(answer.questionnaire);
  });

  s.serve(hubApi.residents.updateQuestionnaire, async (req) => {
    const today = todayInJapan();
    const answer = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      if (!person) return undefined;
      const q = await sys.questionnaire(person.pmhId, req.params.questionnaireId, true);
      if (!q) throw new ProblemError(404, 'not-found', 'This person has no questionnaire with that id.');
      const outcome = changeQuestionnaire(templateOf(q), q, req.body.answers, req.body.submit, {
        today,
        dateOfBirth: person.subjects[0]?.dateOfBirth,
      });
      if ('refused' in outcome) throw new ProblemError(409, 'questionnaire-used', 'This questionnaire was used at a visit and can no longer be changed.');
      if ('errors' in outcome)
        throw new ProblemError(422, 'validation', 'Some answers do not fit their questions; nothing was saved.', { errors: outcome.errors });
      const action = outcome.submitted ? 'resident.questionnaire.submit' : 'resident.questionnaire.update';
      await sys.audit(audit(person, action, req.id, await acting(sys, req.headers)));
      return sys.saveQuestionnaire(q.id, outcome as { status: 'draft' | 'submitted'; answers: typeof outcome.answers; submitted: boolean });
    });
    if (!answer) throw notLinked();
    return questionnaireView(answer);
  });
}
