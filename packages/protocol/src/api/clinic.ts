import { IdempotencyHeaders, ProblemSchema, errorResponses } from '../common.ts';
import { endpoint } from '../contract.ts';
import { ClinicEligibilityCheck, Institution, ReaderCards } from '../clinic.ts';
import {
  CancelVaccination,
  ConsentChallenge,
  ConsentGranted,
  ConsentRequest,
  CorrectVaccination,
  DoseCheck,
  NoDoseRecorded,
  RecordVaccination,
  RecordedVaccination,
  RelayParams,
  RelayQuestionnaires,
  RelayRecordParams,
  RelayCheckups,
  RecordCheckupResult,
  RecordedCheckupResult,
  RelayVaccinations,
  WarningsNotOverridden,
} from '../clinic-relay.ts';
import { CardChallenge, EligibilityAnswer } from '../eligibility.ts';
import { VaccinationWarnings } from '../vaccination.ts';

/**
 * The vaccination screen's calls (医療機関用アプリ, seed B⑤): each relays one portal endpoint as this
 * institution (client `clinic:<code>` at the portal, the key it uses at OQS too) and answers what the
 * portal answered — its problems with their status, type and `warnings`. The clinic keeps nothing:
 * the consent id is the only handle, and it lives minutes.
 */
const relayed = (portal: string) => `Relays \`${portal}\` of the portal as this institution. 503 (with Retry-After) when the portal cannot be reached.`;

/**
 * The medical-institution system's API (医療機関システム), as the reception page and the system
 * itself both read it: one endpoint object per route (see contract.ts). Open to the clinic's own
 * network (no credential of its own: the card and the patient's consent are what it relays).
 */
export const clinicApi = {
  institution: endpoint({
    method: 'GET',
    path: '/clinic/v1/institution',
    callers: 'public',
    tags: ['clinic'],
    summary: 'This medical institution',
    responses: { 200: Institution },
  }),

  readerCards: endpoint({
    method: 'GET',
    path: '/clinic/v1/card-reader/cards',
    callers: 'public',
    tags: ['clinic'],
    summary: 'The simulated card reader: the demo My Number Cards that can be "placed" on it',
    description: 'Demo only. A real card never gives up its private key; here the page signs with it in the browser, as the card would.',
    responses: { 200: ReaderCards },
  }),

  issueCardChallenge: endpoint({
    method: 'POST',
    path: '/clinic/v1/card-challenges',
    callers: 'public',
    tags: ['clinic'],
    summary: 'A challenge from OQS for the card to sign (single use, 60 s)',
    description: '503 (with Retry-After) when OQS cannot be reached.',
    responses: { 200: CardChallenge, ...errorResponses, 503: ProblemSchema },
  }),

  checkEligibility: endpoint({
    method: 'POST',
    path: '/clinic/v1/eligibility-checks',
    callers: 'public',
    tags: ['clinic'],
    summary: "The patient's medical-subsidy eligibility, after card authentication and the patient's consent",
    description:
      'Relays to OQS as this institution. 200 with `eligible` and the certificates, or `not-eligible` with a reason: `not-consented`, ' +
      '`not-linked`, `no-eligibility`, `expired`, `hub-unavailable`, `hub-refused`. 401 when the card is not authenticated; 503 when OQS is unreachable.',
    body: ClinicEligibilityCheck,
    responses: { 200: EligibilityAnswer, ...errorResponses, 503: ProblemSchema },
  }),

  // --- vaccination (seed B⑤): consent at the card reader, then the doctor's screen -------------

  issueConsentChallenge: endpoint({
    method: 'POST',
    path: '/clinic/v1/consent-challenges',
    callers: 'public',
    tags: ['clinic'],
    summary: 'A challenge from the portal for the card to sign before the person agrees to scopes (single use, 60 s, this institution only)',
    description: relayed('POST /portal/v1/consent-challenges'),
    responses: { 200: ConsentChallenge, ...errorResponses, 503: ProblemSchema },
  }),

  grantConsent: endpoint({
    method: 'POST',
    path: '/clinic/v1/consents',
    callers: 'public',
    tags: ['clinic'],
    summary: 'The person placed their card and agreed to the scopes on the screen: a consent of minutes for this institution',
    description: `${relayed('POST /portal/v1/consents')} 401 when the card is not authenticated; 409 \`not-linked\` when the person is not linked to PMH yet.`,
    body: ConsentRequest,
    responses: { 201: ConsentGranted, ...errorResponses, 409: ProblemSchema, 503: ProblemSchema },
  }),

  vaccinations: endpoint({
    method: 'GET',
    path: '/clinic/v1/consents/:consentId/vaccinations',
    callers: 'public',
    tags: ['clinic'],
    summary: 'The person (name, birth date, sex), their doses and their schedule today (scope vaccination.read)',
    description: `${relayed('GET /portal/v1/relay/{consentId}/vaccinations')} 403 without the scope; 403 \`consent-expired\` after the consent ends.`,
    params: RelayParams,
    responses: { 200: RelayVaccinations, ...errorResponses, 503: ProblemSchema },
  }),

  questionnaires: endpoint({
    method: 'GET',
    path: '/clinic/v1/consents/:consentId/questionnaires',
    callers: 'public',
    tags: ['clinic'],
    summary: 'The person’s submitted 予診票 (scope questionnaire.read)',
    description: relayed('GET /portal/v1/relay/{consentId}/questionnaires'),
    params: RelayParams,
    responses: { 200: RelayQuestionnaires, ...errorResponses, 503: ProblemSchema },
  }),

  checkDose: endpoint({
    method: 'POST',
    path: '/clinic/v1/consents/:consentId/vaccinations/checks',
    callers: 'public',
    tags: ['clinic'],
    summary: 'Today’s planned dose checked against the schedule and the history: the warnings the doctor must see',
    description: relayed('POST /portal/v1/relay/{consentId}/vaccinations/checks'),
    params: RelayParams,
    body: DoseCheck,
    responses: { 200: VaccinationWarnings, ...errorResponses, 503: ProblemSchema },
  }),

  recordVaccination: endpoint({
    method: 'POST',
    path: '/clinic/v1/consents/:consentId/vaccinations',
    callers: 'public',
    tags: ['clinic'],
    summary:
      'Record the dose given (scope vaccination.write): 201 with the record; 200 `recorded: false` for a fever or 接種不可; 409 while a warning is not overridden',
    description: `${relayed('POST /portal/v1/relay/{consentId}/vaccinations')} \`Idempotency-Key\` is passed on: a retry answers the first record.`,
    params: RelayParams,
    headers: IdempotencyHeaders,
    body: RecordVaccination,
    responses: { 200: NoDoseRecorded, 201: RecordedVaccination, ...errorResponses, 409: WarningsNotOverridden, 422: ProblemSchema, 503: ProblemSchema },
  }),

  correctVaccination: endpoint({
    method: 'PUT',
    path: '/clinic/v1/consents/:consentId/vaccinations/:recordId',
    callers: 'public',
    tags: ['clinic'],
    summary: 'Correct a dose this institution recorded today: a new version (status corrected)',
    description: `${relayed('PUT /portal/v1/relay/{consentId}/vaccinations/{recordId}')} 409 \`correction-closed\` after the day.`,
    params: RelayRecordParams,
    body: CorrectVaccination,
    responses: { 200: RecordedVaccination, ...errorResponses, 409: WarningsNotOverridden, 422: ProblemSchema, 503: ProblemSchema },
  }),

  cancelVaccination: endpoint({
    method: 'DELETE',
    path: '/clinic/v1/consents/:consentId/vaccinations/:recordId',
    callers: 'public',
    tags: ['clinic'],
    summary: 'Cancel a dose this institution recorded today: a new version (status cancelled), with the reason',
    description: `${relayed('DELETE /portal/v1/relay/{consentId}/vaccinations/{recordId}')} 409 \`correction-closed\` after the day.`,
    params: RelayRecordParams,
    body: CancelVaccination,
    responses: { 200: RecordedVaccination, ...errorResponses, 409: ProblemSchema, 503: ProblemSchema },
  }),

  // --- checkups (seed C⑤): an individual checkup at a clinic, a group checkup at a health centre --

  checkups: endpoint({
    method: 'GET',
    path: '/clinic/v1/consents/:consentId/checkups',
    callers: 'public',
    tags: ['clinic'],
    summary: 'The person (name, birth date, sex), their vouchers, previous results and a child’s growth chart (scope checkup.read)',
    description: `${relayed('GET /portal/v1/relay/{consentId}/checkups')} 403 without the scope; 403 \`consent-expired\` after the consent ends.`,
    params: RelayParams,
    responses: { 200: RelayCheckups, ...errorResponses, 503: ProblemSchema },
  }),

  recordCheckupResult: endpoint({
    method: 'POST',
    path: '/clinic/v1/consents/:consentId/checkup-results',
    callers: 'public',
    tags: ['clinic'],
    summary: 'Record the checkup result (scope checkup.write): 201 with the result, paid with its voucher or self-paid; 409 `voucher-used`',
    description: `${relayed('POST /portal/v1/relay/{consentId}/checkup-results')} \`Idempotency-Key\` is passed on: a retry answers the first result.`,
    params: RelayParams,
    headers: IdempotencyHeaders,
    body: RecordCheckupResult,
    responses: { 201: RecordedCheckupResult, ...errorResponses, 409: ProblemSchema, 422: ProblemSchema, 503: ProblemSchema },
  }),
} as const;
