export * from './app.ts';
export { idserverMigrations, idserverOwnMigrations } from './migrations/index.ts';
