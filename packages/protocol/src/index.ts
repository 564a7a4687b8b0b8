export * from './text.ts';
export * from './common.ts';
export * from './municipal.ts';
export * from './federation.ts';
export * from './eligibility.ts';
export * from './resident.ts';
export * from './notifications.ts';
export * from './vaccination.ts';
