/**
 * The clinic's vaccination API (packages/clinic) as the vaccination screen reads it: each type is what
 * an endpoint of the contract (@pmh/protocol) answers, so a field renamed there fails here.
 */
import type { clinicApi } from '@pmh/protocol/api/clinic';
import type { Body, Success } from '@pmh/protocol/contract';

export type ConsentGranted = Success<typeof clinicApi.grantConsent>;
export type ConsentScope = ConsentGranted['scopes'][number];
export type RelayVaccinations = Success<typeof clinicApi.vaccinations>;
export type Person = RelayVaccinations['person'];
export type VaccinationRecord = RelayVaccinations['records'][number];
export type ForecastEntry = RelayVaccinations['forecast'][number];
export type Questionnaire = Success<typeof clinicApi.questionnaires>[number];
export type QuestionnaireItem = Questionnaire['items'][number];
export type Warning = Success<typeof clinicApi.checkDose>['warnings'][number];
export type WarningCode = Warning['code'];
export type RecordBody = Body<typeof clinicApi.recordVaccination>;
export type ClinicRecord = RecordBody['record'];
export type Route = NonNullable<ClinicRecord['route']>;
export type Recorded = Extract<Success<typeof clinicApi.recordVaccination>, { recorded: true }>;
export type NotRecorded = Extract<Success<typeof clinicApi.recordVaccination>, { recorded: false }>;
