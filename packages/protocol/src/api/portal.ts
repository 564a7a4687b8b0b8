import { Type } from 'typebox';
import { ProblemSchema, errorResponses } from '../common.ts';
import { endpoint } from '../contract.ts';
import { Accepted, PortalPmhLinks } from '../federation.ts';
import { Inbox, InboxQuery, PortalNotificationBatch, PortalNotificationResults } from '../notifications.ts';
import {
  AccessLogQuery,
  DemoCards,
  PortalAccessLog,
  PortalMe,
  PortalSubsidies,
  ResidentSubsidiesQuery,
  SessionChallenge,
  SessionCreated,
  SessionLogin,
} from '../resident.ts';
import { PortalCheckups } from '../maternal-child-registration.ts';
import { Uuid } from '../text.ts';
import { PortalVaccinations, VaccinationWarnings } from '../vaccination.ts';
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
  RelayCheckups,
  RecordCheckupResult,
  RecordedCheckupResult,
  RelayParams,
  RelayQuestionnaires,
  RelayRecordParams,
  RelayVaccinations,
  WarningsNotOverridden,
} from '../clinic-relay.ts';
import { IdempotencyHeaders } from '../common.ts';
import { DependantAdd, Dependant, DependantList, ForDependant, ForQuery } from '../dependants.ts';
import { Questionnaire, QuestionnaireCreate, QuestionnaireList, QuestionnaireParams, QuestionnaireUpdate } from '../questionnaire.ts';

const FOR_NOTE = ' With `?for=<dependantId>` a guardian acts for a dependant (404 `dependant-not-found` for an id not theirs).';
import { FhirBundle } from '../fhir.ts';

/**
 * The portal's API (マイナポータル), as its callers and the portal itself both read it: one endpoint
 * object per route (see contract.ts). Counterparts call with OAuth client credentials; the resident
 * pages call the `session` endpoints on the same origin, with the session cookie.
 */
export const portalApi = {
  // --- counterparts ------------------------------------------------------------------------

  /** OQS tells the portal which PMH-ID belongs to a 仮名識別子 (seed A③). */
  receivePmhLinks: endpoint({
    method: 'POST',
    path: '/portal/v1/pmh-links',
    callers: ['oqs'],
    tags: ['counterparts'],
    summary: 'PMH-ID links from OQS (仮名識別子 → PMH-ID), up to 1,000 per call',
    description:
      "Idempotent on the pseudonym: the resident's account is created when missing and given a PMH pseudonym " +
      '(PMH仮名識別子) when it has none — random, never derived from anything, and never changed afterwards. ' +
      'The link (PMH pseudonym, PMH-ID) is then passed on to the hub, also when the account was linked before ' +
      '(the hub acknowledges the same pair again). The PMH-ID is held only until the hub acknowledges the link, and ' +
      'only sealed under a short-lived key that is destroyed afterwards; after that the portal keeps none. A pseudonym named twice takes its last PMH-ID. Every link is accepted.',
    body: PortalPmhLinks,
    responses: { 200: Accepted, ...errorResponses },
  }),

  /** The hub delivers municipalities' notifications by PMH pseudonym (seed B③ C③). */
  receiveNotifications: endpoint({
    method: 'POST',
    path: '/portal/v1/notifications',
    callers: ['hub'],
    tags: ['counterparts'],
    summary: 'Notifications from the hub, for residents by PMH pseudonym; each is acknowledged',
    description:
      'Idempotent on (notificationId, pmhPseudonym): an item delivered again is `stored` and filed once. ' +
      '`unknown-recipient`: no account has this PMH pseudonym; nothing is filed.',
    body: PortalNotificationBatch,
    responses: { 200: PortalNotificationResults, ...errorResponses },
  }),

  // --- resident login (anonymous until it succeeds) -------------------------------------------

  issueSessionChallenge: endpoint({
    method: 'POST',
    path: '/portal/v1/session-challenges',
    callers: 'public',
    tags: ['residents'],
    summary: 'A fresh login challenge for the My Number Card: single use, valid 60 s',
    description:
      'The card signs the challenge string (UTF-8) with ES256; send the signature base64url-encoded in the JOSE form (r ‖ s, 64 bytes) to POST /portal/v1/sessions.',
    responses: { 200: SessionChallenge },
  }),

  logIn: endpoint({
    method: 'POST',
    path: '/portal/v1/sessions',
    callers: 'public',
    tags: ['residents'],
    summary: 'Log in with the My Number Card: a session cookie',
    description:
      'Uses up the challenge (401 `challenge-invalid` when unknown, used or expired), has OQS authenticate the card (401 ' +
      '`card-authentication-failed`; 503 when OQS cannot be reached), and opens a session on the card holder’s account, ' +
      'creating the account on a first login. The session is the `pmh_session` cookie (HttpOnly, SameSite=Strict, Path=/, Secure ' +
      'over https); it ends after 30 minutes idle or 8 hours at most, and at logout.',
    body: SessionLogin,
    responses: { 201: SessionCreated, ...errorResponses, 503: ProblemSchema },
  }),

  logOut: endpoint({
    method: 'DELETE',
    path: '/portal/v1/sessions/current',
    callers: 'public',
    tags: ['residents'],
    summary: 'Log out: the session ends and its cookie is cleared',
    description: 'Answers 204 also when there was no live session. Refused (403 `cross-site-request`) from another site.',
    responses: { 204: Type.Null({ description: 'logged out' }), 403: ProblemSchema },
  }),

  // --- the logged-in resident (/portal/v1/me/…, the session cookie) ----------------------------

  me: endpoint({
    method: 'GET',
    path: '/portal/v1/me',
    callers: 'session',
    tags: ['residents'],
    summary: 'The logged-in resident: whether their account is linked to PMH yet',
    description: FOR_NOTE.trim(),
    querystring: ForQuery,
    responses: { 200: PortalMe, 401: ProblemSchema, 404: ProblemSchema },
  }),

  mySubsidies: endpoint({
    method: 'GET',
    path: '/portal/v1/me/subsidies',
    callers: 'session',
    tags: ['residents'],
    summary: 'My medical-subsidy certificates (受給者証) from every municipality, as in force at asOf (today by default)',
    description: 'Relayed from PMH. A subject under DV support measures never shows an address. 503 when PMH cannot be reached.' + FOR_NOTE,
    querystring: Type.Object({ ...ResidentSubsidiesQuery.properties, ...ForDependant }, { additionalProperties: false }),
    responses: { 200: PortalSubsidies, ...errorResponses, 503: ProblemSchema },
  }),

  myVaccinations: endpoint({
    method: 'GET',
    path: '/portal/v1/me/vaccinations',
    callers: 'session',
    tags: ['residents'],
    summary: 'My vaccination records (接種履歴) from every municipality, and my routine schedule today: due, overdue, upcoming, complete',
    description: 'Relayed from PMH. Dates are ISO (西暦); the pages show 和暦 beside them. 503 when PMH cannot be reached.' + FOR_NOTE,
    querystring: ForQuery,
    responses: { 200: PortalVaccinations, ...errorResponses, 503: ProblemSchema },
  }),

  myCheckups: endpoint({
    method: 'GET',
    path: '/portal/v1/me/checkups',
    callers: 'session',
    tags: ['residents'],
    summary: 'My checkup vouchers (受診券) and results (妊婦健診, 乳幼児健診) from every municipality, and a child’s growth chart',
    description:
      'Relayed from PMH: vouchers still unused first, results newest first; `growth` (height and weight over the national percentile ' +
      'curves) for a child. Dates are ISO (西暦); the pages show 和暦 beside them. 503 when PMH cannot be reached.',
    querystring: ForQuery,
    responses: { 200: PortalCheckups, ...errorResponses, 503: ProblemSchema },
  }),
  myVaccinationsFhir: endpoint({
    method: 'GET',
    path: '/portal/v1/me/vaccinations/fhir',
    callers: 'session',
    tags: ['residents'],
    summary: 'My vaccination records as a FHIR R4 Bundle of JP Core Immunization resources (application/fhir+json)',
    description:
      'The records of GET /portal/v1/me/vaccinations, each an Immunization (profile JP_Immunization): `status` completed, or ' +
      'entered-in-error for a cancelled record; `vaccineCode` the product’s HOT or YJ code where the record has one, and always the ' +
      'routine-vaccine code; `patient` a Patient (JP_Patient) of the Bundle, carrying no identifier. An account not linked to PMH gets an ' +
      'empty Bundle. 503 when PMH cannot be reached.',
    querystring: ForQuery,
    responses: { 200: FhirBundle, ...errorResponses, 503: ProblemSchema },
  }),

  myAccessLog: endpoint({
    method: 'GET',
    path: '/portal/v1/me/access-log',
    callers: 'session',
    tags: ['residents'],
    summary: 'Who looked at my data at PMH: medical institutions, municipalities, operators; newest first',
    description:
      'Relayed from PMH’s audit log, without my own views; what a guardian did for me is listed (actorKind `guardian`). Page with `before` = the ' +
      'previous `nextBefore`. 503 when PMH cannot be reached.' +
      FOR_NOTE,
    querystring: Type.Object({ ...AccessLogQuery.properties, ...ForDependant }, { additionalProperties: false }),
    responses: { 200: PortalAccessLog, ...errorResponses, 503: ProblemSchema },
  }),

  myNotifications: endpoint({
    method: 'GET',
    path: '/portal/v1/me/notifications',
    callers: 'session',
    tags: ['residents'],
    summary: 'My notifications (お知らせ), newest first, with the number unread',
    description: FOR_NOTE.trim(),
    querystring: Type.Object({ ...InboxQuery.properties, ...ForDependant }, { additionalProperties: false }),
    responses: { 200: Inbox, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema },
  }),

  markNotificationRead: endpoint({
    method: 'POST',
    path: '/portal/v1/me/notifications/:id/read',
    callers: 'session',
    tags: ['residents'],
    summary: 'Mark one of my notifications read (again: no change)',
    params: Type.Object({ id: Uuid('the inbox item') }),
    querystring: ForQuery,
    responses: { 204: Type.Null({ description: 'read' }), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
  }),

  myQuestionnaires: endpoint({
    method: 'GET',
    path: '/portal/v1/me/questionnaires',
    callers: 'session',
    tags: ['residents', 'questionnaires'],
    summary: 'My questionnaires (予診票, 問診票), newest first: draft, submitted or used, with their items and answers',
    description: 'Relayed from PMH; empty while the account is not linked to PMH. 503 when PMH cannot be reached.' + FOR_NOTE,
    querystring: ForQuery,
    responses: { 200: QuestionnaireList, ...errorResponses, 503: ProblemSchema },
  }),

  createQuestionnaire: endpoint({
    method: 'POST',
    path: '/portal/v1/me/questionnaires',
    callers: 'session',
    tags: ['residents', 'questionnaires'],
    summary: 'Start a questionnaire: a draft from the template of a vaccine’s dose or a checkup kind',
    description:
      '`{ process: "vaccination", vaccineCode, doseNumber }` or `{ process: "maternal-child", checkupKind, sequence? }`. 201 with a new draft; ' +
      '200 with my open (draft or submitted) questionnaire of the same template when there is one. A vaccine, checkup kind, dose or sequence ' +
      'no template exists for: 422 naming the field. 409 `not-linked` while the account is not linked to PMH.' +
      FOR_NOTE,
    querystring: ForQuery,
    body: QuestionnaireCreate,
    responses: { 200: Questionnaire, 201: Questionnaire, ...errorResponses, 409: ProblemSchema, 422: ProblemSchema, 503: ProblemSchema },
  }),

  updateQuestionnaire: endpoint({
    method: 'PUT',
    path: '/portal/v1/me/questionnaires/:questionnaireId',
    callers: 'session',
    tags: ['residents', 'questionnaires'],
    summary: 'Answer a questionnaire (save a draft), and submit it',
    description:
      '`{ answers: { itemId: value }, submit? }` (`null` clears an answer). Each answer is checked against its item; errors name ' +
      '`/answers/<itemId>` (422) and nothing is saved. `submit: true` needs every item answered beforehand; `submit: false` takes a ' +
      'submitted one back to draft. A submitted one can be changed until a clinic uses it; a used one cannot (409 `questionnaire-used`).' +
      FOR_NOTE,
    params: QuestionnaireParams,
    querystring: ForQuery,
    body: QuestionnaireUpdate,
    responses: { 200: Questionnaire, ...errorResponses, 409: ProblemSchema, 422: ProblemSchema, 503: ProblemSchema },
  }),

  addDependant: endpoint({
    method: 'POST',
    path: '/portal/v1/me/dependants',
    callers: 'session',
    tags: ['residents', 'guardians'],
    summary: 'Add a dependant (a child I act for as 代理人) with the child’s My Number Card',
    description:
      'The child’s card signs a fresh challenge of POST /portal/v1/session-challenges; the portal has OQS authenticate the card, as at ' +
      'login (401 `challenge-invalid`, 401 `card-authentication-failed`, 403 `no-portal-account`, 503 when OQS cannot be reached). 201 with ' +
      'the new dependant; 200 when the child was added before. My own card: 422 naming `/cardSerial`.',
    body: DependantAdd,
    responses: { 200: Dependant, 201: Dependant, ...errorResponses, 422: ProblemSchema, 503: ProblemSchema },
  }),

  myDependants: endpoint({
    method: 'GET',
    path: '/portal/v1/me/dependants',
    callers: 'session',
    tags: ['residents', 'guardians'],
    summary: 'The dependants I act for',
    responses: { 200: DependantList, 401: ProblemSchema },
  }),

  // --- clinics (role clinic:<institutionCode>): consent and the relay (seed B⑤) -----------------

  issueConsentChallenge: endpoint({
    method: 'POST',
    path: '/portal/v1/consent-challenges',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'A fresh challenge for the person’s card at this medical institution: single use, valid 60 s',
    description:
      'Bound to the calling institution: another institution cannot use it. The card signs it as at login (ES256 over the UTF-8 string, r ‖ s, base64url).',
    responses: { 200: ConsentChallenge, ...errorResponses },
  }),

  grantConsent: endpoint({
    method: 'POST',
    path: '/portal/v1/consents',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'The person presented their card and agreed to the scopes: a consent of minutes for this institution',
    description:
      'Uses up the challenge (401 `challenge-invalid` when unknown, used, expired or issued to another institution), has OQS authenticate ' +
      'the card (401 `card-authentication-failed`; 503 when OQS cannot be reached). The person is the card holder — a guardian presents the ' +
      'child’s card. The consent is bound to the institution and the person and lasts 10 minutes. 409 `not-linked` when the card holder is ' +
      'not linked to PMH yet. Audited at the portal under the account, never with the card serial.',
    body: ConsentRequest,
    responses: { 201: ConsentGranted, ...errorResponses, 409: ProblemSchema, 503: ProblemSchema },
  }),

  relayVaccinations: endpoint({
    method: 'GET',
    path: '/portal/v1/relay/:consentId/vaccinations',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'The person’s vaccination history and schedule today (scope vaccination.read)',
    description:
      'Relayed from PMH with the portal’s consent assertion; audited there under the institution and the consent id, so the person’s access log ' +
      'shows it. A registration the municipality ended (modificationSeg "2") is not shown, nor counted in the forecast. A consent of another ' +
      'institution, or none, is 404 `consent-not-found`; without the scope 403 `consent-scope`; after it ends 403 `consent-expired`.',
    params: RelayParams,
    responses: { 200: RelayVaccinations, ...errorResponses, 503: ProblemSchema },
  }),

  relayCheckDose: endpoint({
    method: 'POST',
    path: '/portal/v1/relay/:consentId/vaccinations/checks',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'Check a planned dose against the routine schedule and the person’s history (scope vaccination.read or vaccination.write)',
    description:
      'Warnings: too-early, too-late, interval, live-vaccine-interval (27-day rule), duplicate-dose, expired-lot, not-eligible, ' +
      'missing-previous-dose, not-recommended. None: go ahead. Writes nothing (the check is audited).',
    params: RelayParams,
    body: DoseCheck,
    responses: { 200: VaccinationWarnings, ...errorResponses, 503: ProblemSchema },
  }),

  relayRecordVaccination: endpoint({
    method: 'POST',
    path: '/portal/v1/relay/:consentId/vaccinations',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'Record a dose given (scope vaccination.write): 201 with the record; 409 while a warning is not overridden',
    description:
      'The dose is checked as by …/vaccinations/checks; each warning must be in `overrides` with a reason, else 409 `{ warnings }` and ' +
      'nothing is written. A temperature of 37.5 ℃ or more or `fit: false` records no dose: 200 `{ recorded: false, reason }`. ' +
      '`questionnaireId` (a submitted 予診票 of the person for this vaccine) is marked used in the same transaction. The record belongs to ' +
      'the municipality the person is registered with for vaccination (422 `not-registered` when none), appears in its records feed and ' +
      'in the person’s history; `institutionCode` is the consent’s. A field the hub refuses is a 422 naming it by pointer. `Idempotency-Key`: ' +
      'a retry with the same key answers the first record.',
    params: RelayParams,
    headers: IdempotencyHeaders,
    body: RecordVaccination,
    responses: {
      200: NoDoseRecorded,
      201: RecordedVaccination,
      ...errorResponses,
      409: WarningsNotOverridden,
      422: ProblemSchema,
      503: ProblemSchema,
    },
  }),

  relayCorrectVaccination: endpoint({
    method: 'PUT',
    path: '/portal/v1/relay/:consentId/vaccinations/:recordId',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'Correct a dose this institution recorded today (scope vaccination.write): a new version, status corrected',
    description:
      'Only the institution that recorded the dose, only on the day it was recorded (Japan time): afterwards 409 `correction-closed`. ' +
      'The earlier version is kept. The corrected dose is checked again (409 `{ warnings }` unless overridden).',
    params: RelayRecordParams,
    body: CorrectVaccination,
    responses: { 200: RecordedVaccination, ...errorResponses, 409: WarningsNotOverridden, 422: ProblemSchema, 503: ProblemSchema },
  }),

  relayCancelVaccination: endpoint({
    method: 'DELETE',
    path: '/portal/v1/relay/:consentId/vaccinations/:recordId',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'Cancel a dose this institution recorded today (scope vaccination.write): a new version, status cancelled',
    description:
      'Only the institution that recorded it, on the day it was recorded (409 `correction-closed` afterwards); the earlier version is kept, ' +
      'the forecast no longer counts the dose. The body names the reason.',
    params: RelayRecordParams,
    body: CancelVaccination,
    responses: { 200: RecordedVaccination, ...errorResponses, 409: ProblemSchema, 503: ProblemSchema },
  }),

  relayQuestionnaires: endpoint({
    method: 'GET',
    path: '/portal/v1/relay/:consentId/questionnaires',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'The person’s submitted and used questionnaires (予診票・問診票) (scope questionnaire.read)',
    description: 'Drafts are the person’s own and not shown. Relayed from PMH and audited there.',
    params: RelayParams,
    responses: { 200: RelayQuestionnaires, ...errorResponses, 503: ProblemSchema },
  }),

  relayCheckups: endpoint({
    method: 'GET',
    path: '/portal/v1/relay/:consentId/checkups',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'The person, their checkup vouchers and results, and a child’s growth chart (scope checkup.read)',
    description: 'As the person sees them (GET /portal/v1/me/checkups), with the person as a venue recognises them. Relayed from PMH and audited there.',
    params: RelayParams,
    responses: { 200: RelayCheckups, ...errorResponses, 503: ProblemSchema },
  }),

  relayRecordCheckupResult: endpoint({
    method: 'POST',
    path: '/portal/v1/relay/:consentId/checkup-results',
    callers: ['clinic:*'],
    tags: ['clinics'],
    summary: 'Record a checkup result entered at the venue (scope checkup.write): 201 with the stored result',
    description:
      'The result is checked as a municipality’s is (measurements for the age, the kind’s items, judgement, findings by area; a field ' +
      'refused is a 422 naming it by pointer, a schema error a 400). It is paid with the voucher `voucherNumber` names when that voucher is ' +
      'the person’s and pays for this kind, sequence and date; a voucher already used is 409 `voucher-used`; without a valid voucher (or ' +
      'with none) the result is recorded as self-paid, with `selfPaidReason`. `institutionCode` is the consent’s. `questionnaireId` (a ' +
      'submitted 問診票 of the person for this checkup kind) is marked used in the same transaction. The result belongs to the municipality ' +
      'that registered the person for maternal and child health (422 `not-registered` when none). `Idempotency-Key`: a retry with the same ' +
      'key answers the first result. Audited at PMH under the institution and the consent id.',
    params: RelayParams,
    headers: IdempotencyHeaders,
    body: RecordCheckupResult,
    responses: { 201: RecordedCheckupResult, ...errorResponses, 409: ProblemSchema, 422: ProblemSchema, 503: ProblemSchema },
  }),

  // --- the demo only ------------------------------------------------------------------------

  demoCards: endpoint({
    method: 'GET',
    path: '/portal/v1/demo/cards',
    callers: 'public',
    tags: ['demo'],
    summary: 'The demo’s simulated My Number Cards, private keys included (demo only)',
    description:
      'Exists only in the demo (when the portal is started with a demo cards file); absent (404) in any other deployment. The demo’s ' +
      'browser pages sign login challenges with these keys, standing in for the physical card and its reader.',
    responses: { 200: DemoCards, 404: ProblemSchema, 503: ProblemSchema },
  }),
} as const;
