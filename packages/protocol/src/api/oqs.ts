import { Accepted, InsuredImport, InsuredImportAnswer, OqsPmhLinks } from '../federation.ts';
import { errorResponses } from '../common.ts';
import { endpoint } from '../contract.ts';
import { CardChallenge, CardVerification, CardVerified, EligibilityAnswer, EligibilityCheck } from '../eligibility.ts';

/** The card signs the challenge string; said once for every endpoint that takes a signature. */
const SIGNING = 'The card signs the challenge string (UTF-8) with ES256; the signature is sent base64url-encoded in the JOSE form (r ‖ s, 64 bytes).';

/**
 * OQS's API (オンライン資格確認等システム), as its callers and OQS itself both read it: one endpoint
 * object per route (see contract.ts).
 */
export const oqsApi = {
  /** The ID server tells OQS which PMH-ID belongs to a 紐付番号 (seed A②). */
  receivePmhLinks: endpoint({
    method: 'POST',
    path: '/oqs/v1/pmh-links',
    callers: ['idserver'],
    tags: ['counterparts'],
    summary: 'PMH-ID links from the ID server (紐付番号 → PMH-ID), up to 1,000 per call',
    description:
      'Idempotent on the linkage number: the PMH-ID is stored (a linkage number not known yet is stored without a ' +
      "pseudonym, which may arrive later with the insurer's enrolment). When the PMH-ID is new or changed and the " +
      'pseudonym is known, the link is passed on to the portal (pseudonym → PMH-ID). A linkage number named twice ' +
      'takes its last PMH-ID. Every link is accepted.',
    body: OqsPmhLinks,
    responses: { 200: Accepted, ...errorResponses },
  }),

  /** A card reader (a medical institution at reception, the portal at login) asks for a challenge. */
  issueCardChallenge: endpoint({
    method: 'POST',
    path: '/oqs/v1/card-challenges',
    callers: ['clinic:*', 'portal'],
    tags: ['card authentication'],
    summary: 'A fresh challenge for card authentication: single use, valid 60 s, for the asking client only',
    description: SIGNING,
    responses: { 200: CardChallenge, ...errorResponses },
  }),

  /** The portal's resident login: whose card is this. */
  verifyCard: endpoint({
    method: 'POST',
    path: '/oqs/v1/card-verifications',
    callers: ['portal'],
    tags: ['card authentication'],
    summary: "Whose card is this: the portal's resident login",
    description:
      'Checks the signature against the registered key of the card serial and answers the card holder’s 仮名識別子. ' +
      'The portal issues and uses up its own challenges; this endpoint checks only the signature. 401 when the card cannot be authenticated; ' +
      '404 `no-portal-account` when the card holder has no pseudonym yet.',
    body: CardVerification,
    responses: { 200: CardVerified, ...errorResponses },
  }),

  /** A medical institution asks for a patient's medical-subsidy eligibility (seed A④). */
  checkEligibility: endpoint({
    method: 'POST',
    path: '/oqs/v1/eligibility-checks',
    callers: ['clinic:*'],
    tags: ['eligibility'],
    summary: 'Medical-subsidy eligibility of the card holder, after card authentication and consent',
    description:
      'The caller is a medical institution (role `clinic:<institutionCode>`) and may ask only as itself. The challenge must come from ' +
      '`POST /oqs/v1/card-challenges` by the same client. 401 `challenge-invalid` / `card-authentication-failed` when the card is not ' +
      'authenticated. Otherwise 200: `eligible` with the certificates, or `not-eligible` with a reason.',
    body: EligibilityCheck,
    responses: { 200: EligibilityAnswer, ...errorResponses },
  }),

  /** An operator imports who is insured: 紐付番号, 仮名識別子 and My Number Cards. */
  importInsured: endpoint({
    method: 'POST',
    path: '/oqs/v1/insured',
    callers: ['admin'],
    tags: ['operators'],
    summary: 'Import insured people: 紐付番号, 仮名識別子 and My Number Cards, up to 10,000 per call',
    description:
      'Entries apply as if one by one, in order, each whole or not at all. A new linkage number is stored with its ' +
      'pseudonym; a known one without a pseudonym gets it; cards not yet stored are added (only the public key ' +
      '{kty, crv, x, y} is kept). A pseudonym or card once bound is never rebound: an entry contradicting what is ' +
      'stored is reported in `conflicts`. A person whose PMH-ID the ID server linked before their pseudonym arrived ' +
      'is linked at the portal now (`linksQueued`). `accepted` counts the entries applied or already held.',
    body: InsuredImport,
    responses: { 200: InsuredImportAnswer, ...errorResponses },
  }),
} as const;
