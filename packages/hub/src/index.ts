export * from './app.ts';
export { hubMigrations } from './migrations/index.ts';
