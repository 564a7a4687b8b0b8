import { auditStream, type AuditEntry } from '@pmh/core/audit/index';
import { ProblemError, type FieldError } from '@pmh/core/http/problem';
import type { RelayPersonRow } from '../../store/clinic-vaccination.ts';
import type { VerifiedConsent } from './consent-assertion.ts';

/** What every relay route answers alike: its problems and its audit rows. */

export const notLinked = () => new ProblemError(404, 'not-linked', 'No person is linked to this PMH pseudonym.');
export const invalid = (errors: FieldError[]) => new ProblemError(422, 'validation', 'The record does not hold together.', { errors });
export const questionnaireRefused = (why: 'not-found' | 'not-submitted' | 'used') =>
  why === 'not-found'
    ? new ProblemError(422, 'validation', 'The questionnaire cannot be used.', {
        errors: [{ pointer: '/questionnaireId', message: 'names no questionnaire of this person' }],
      })
    : new ProblemError(
        409,
        why === 'used' ? 'questionnaire-used' : 'questionnaire-not-submitted',
        why === 'used' ? 'The questionnaire was already used (for a dose or a checkup).' : 'The questionnaire has not been submitted by the person yet.',
      );
/** Audit rows of one relay access: one per subject shown (the PMH-ID when none), under the institution. */
export function relayAudit(
  c: VerifiedConsent,
  person: RelayPersonRow | undefined,
  shown: ReadonlyArray<{ id: string }>,
  action: string,
  outcome: string,
  requestId: string,
  detail: Record<string, unknown> = {},
): AuditEntry[] {
  const actor = `institution:${c.institutionCode}`;
  const common = { actor, action, purpose: c.process, outcome, detail: { consentId: c.consentId, via: c.portal, requestId, ...detail } };
  if (!person) return [{ ...common, stream: auditStream(actor, requestId), subjectRef: null, outcome: 'not-linked' }];
  const stream = auditStream(actor, person.pmhId);
  const refs = shown.length ? shown.map((x) => x.id) : [person.pmhId];
  return refs.map((subjectRef) => ({ ...common, stream, subjectRef }));
}
