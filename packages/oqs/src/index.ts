export * from './app.ts';
export { oqsMigrations, oqsOwnMigrations } from './migrations/index.ts';
