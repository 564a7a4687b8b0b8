/** Routine vaccination (予防接種, seed B): the schedule rules, forecast, dose checks and catalogue. Pure. */
export * from './japanese-age.ts';
export * from './rule-types.ts';
export { ROUTINE_VACCINES, DIFFERENT_VACCINE_INTERVALS, rulesAt, ruleFor } from './routine-schedule.ts';
export * from './schedule.ts';
export * from './catalogue.ts';
export * from './display.ts';
export * from './registration.ts';
export * from './resident-view.ts';
export * from './reminders.ts';
export * from './retention.ts';
export * from './clinic-record.ts';
