export * from './database.ts';
export * from './migrate.ts';
export * from './lock.ts';
export * from './templates.ts';
export * from './availability.ts';
export * from './errors.ts';
