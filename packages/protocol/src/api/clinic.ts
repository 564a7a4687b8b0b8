import { ProblemSchema, errorResponses } from '../common.ts';
import { endpoint } from '../contract.ts';
import { ClinicEligibilityCheck, Institution, ReaderCards } from '../clinic.ts';
import { CardChallenge, EligibilityAnswer } from '../eligibility.ts';

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
} as const;
