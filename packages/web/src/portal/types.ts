/**
 * The portal's resident API as the pages read it: each type is what an endpoint of the contract
 * (@pmh/protocol) answers, so a field renamed there fails here.
 */
import type { portalApi } from '@pmh/protocol/api/portal';
import type { Success } from '@pmh/protocol/contract';

export type Me = Success<typeof portalApi.me>;
export type Subsidies = Success<typeof portalApi.mySubsidies>;
export type Certificate = Subsidies['certificates'][number];
export type Subject = Subsidies['subjects'][number];
export type Inbox = Success<typeof portalApi.myNotifications>;
export type InboxItem = Inbox['items'][number];
export type AccessLog = Success<typeof portalApi.myAccessLog>;
export type AccessLogEntry = AccessLog['items'][number];
export type DemoCard = Success<typeof portalApi.demoCards>['cards'][number];
export type Vaccinations = Success<typeof portalApi.myVaccinations>;
export type ForecastEntry = Vaccinations['forecast'][number];
export type VaccinationRecord = Vaccinations['records'][number];
export type Questionnaire = Success<typeof portalApi.myQuestionnaires>[number];
export type QuestionnaireItem = Questionnaire['items'][number];
export type Dependants = Success<typeof portalApi.myDependants>;
export type Checkups = Success<typeof portalApi.myCheckups>;
export type CheckupVoucher = Checkups['vouchers'][number];
export type CheckupResult = Checkups['results'][number];
export type GrowthChart = NonNullable<Checkups['growth']>['height'];
