/**
 * The clinic's checkup API (packages/clinic) as the checkup screens read it: each type is what an
 * endpoint of the contract (@pmh/protocol) answers, so a field renamed there fails here.
 */
import type { clinicApi } from '@pmh/protocol/api/clinic';
import type { Body, Success } from '@pmh/protocol/contract';

export type RelayCheckups = Success<typeof clinicApi.checkups>;
export type CheckupPerson = NonNullable<RelayCheckups['person']>;
export type Voucher = RelayCheckups['vouchers'][number];
export type ResultBody = Body<typeof clinicApi.recordCheckupResult>;
export type Recorded = Success<typeof clinicApi.recordCheckupResult>;
export type CheckupKind = ResultBody['checkupKind'];
export type Judgement = ResultBody['judgement'];
export type Questionnaire = Success<typeof clinicApi.questionnaires>[number];
