import type { FastifyRequest } from 'fastify';
import { MAX_SEARCH_RESULTS, hubApi, type MaternalChildEnrolmentView, type SubjectView, type VaccinationEnrolmentView } from '@pmh/protocol';
import { auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import type { Surface } from '@pmh/core/http/serve';
import { normalizeKey } from '@pmh/core/text/japanese';
import { subjectQuestion } from '../../domain/subjects/search.ts';
import type { MunicipalRepository } from '../../store/index.ts';
import type { StoredSubject } from '../../store/subjects.ts';
import { municipalCallers, type MunicipalDeps } from './index.ts';
import { actorOf, auditableRequestId, scopeOf } from './scope.ts';

/**
 * A subject as the caller may see it: a municipality never gets the PMH-ID; an operator does, but is
 * outside the registering municipality, so a subject under DV support measures keeps its address there.
 */
function shown(req: FastifyRequest, subject: StoredSubject): SubjectView {
  const { id: _id, pmhId, ...view } = subject;
  if (req.principal!.role !== 'admin') return view;
  const forOperator = view.isNotDisclosed ? { ...view, basicFiveInfo: { ...view.basicFiveInfo, address: null } } : view;
  return pmhId ? { ...forOperator, pmhId } : forOperator;
}

/** The subject with its vaccination and maternal and child health registrations, where it has them. */
function withEnrolments(
  subject: StoredSubject,
  enrolments: { vaccination: ReadonlyMap<string, VaccinationEnrolmentView>; maternalChild: ReadonlyMap<string, MaternalChildEnrolmentView> },
): StoredSubject {
  const vaccination = enrolments.vaccination.get(subject.id);
  const maternalChild = enrolments.maternalChild.get(subject.id);
  return { ...subject, ...(vaccination ? { vaccination } : {}), ...(maternalChild ? { maternalChild } : {}) };
}

/** The registrations of these subjects for each checkup-subject process. */
async function enrolmentsOf(repo: MunicipalRepository, ids: string[]) {
  return { vaccination: await repo.vaccinationEnrolments(ids), maternalChild: await repo.maternalChildEnrolments(ids) };
}

/** `GET /municipal/v1/subjects/{municipalityIdentityKey}` and `POST /municipal/v1/subjects/search`. */
export function subjectRoutes(s: Surface, deps: MunicipalDeps): void {
  s.serve(
    hubApi.municipal.getSubject,
    async (req) => {
      const scope = scopeOf(req);
      const actor = actorOf(req, scope.code);
      // Read by the key as registration stored it (full-width → ASCII, trimmed): the same key finds the same subject.
      const key = normalizeKey(req.params.municipalityIdentityKey);
      const subject = await scope.run(async (repo) => {
        const [found] = await repo.subjects({ municipalityIdentityKey: key });
        await repo.audit([
          {
            stream: auditStream(actor, found?.id ?? key),
            actor,
            action: 'subject.read',
            subjectRef: found?.id ?? null,
            purpose: 'municipal-api',
            outcome: found ? 'ok' : 'not-found',
            detail: { requestId: auditableRequestId(req.id) },
          },
        ]);
        return found && withEnrolments(found, await enrolmentsOf(repo, [found.id]));
      });
      if (!subject) throw new ProblemError(404, 'not-found', 'This municipality has no subject with that key.');
      return shown(req, subject);
    },
    municipalCallers(deps, hubApi.municipal.getSubject),
  );

  s.serve(
    hubApi.municipal.searchSubjects,
    async (req) => {
      const asked = subjectQuestion(req.body);
      if ('errors' in asked)
        throw new ProblemError(asked.status, 'validation', asked.status === 400 ? 'The search does not match the schema.' : 'The search is not valid.', {
          errors: asked.errors,
        });
      const q = asked.question;
      const scope = scopeOf(req);
      const actor = actorOf(req, scope.code);
      // What was asked, as the audit trail may hold it: never the My Number itself.
      const by = 'myNumber' in q ? 'my-number' : 'municipalityIdentityKey' in q ? 'municipality-identity-key' : 'name';
      const subjects = await scope.run(async (repo) => {
        const found = await repo.subjects(q, MAX_SEARCH_RESULTS);
        const entry = (subjectRef: string | null, outcome: string): AuditEntry => ({
          stream: auditStream(actor, subjectRef ?? req.id),
          actor,
          action: 'subject.search',
          subjectRef,
          purpose: 'municipal-api',
          outcome,
          detail: { by, requestId: auditableRequestId(req.id) },
        });
        await repo.audit(found.length ? found.map((f) => entry(f.id, 'ok')) : [entry(null, 'not-found')]);
        const enrolments = await enrolmentsOf(
          repo,
          found.map((f) => f.id),
        );
        return found.map((f) => withEnrolments(f, enrolments));
      });
      return { subjects: subjects.map((subject) => shown(req, subject)) };
    },
    municipalCallers(deps, hubApi.municipal.searchSubjects),
  );
}
