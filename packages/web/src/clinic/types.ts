/**
 * The clinic's JSON API (packages/clinic) as the reception page reads it: each type is what an
 * endpoint of the contract (@pmh/protocol) answers, so a field renamed there fails here.
 */
import type { clinicApi } from '@pmh/protocol/api/clinic';
import type { Success } from '@pmh/protocol/contract';

export type Institution = Success<typeof clinicApi.institution>;
export type EligibilityAnswer = Success<typeof clinicApi.checkEligibility>;
export type EligibleCertificate = EligibilityAnswer['certificates'][number];
export type Reason = NonNullable<EligibilityAnswer['reason']>;
export type ReaderCard = Success<typeof clinicApi.readerCards>['cards'][number];
