export * from './app.ts';
export { portalMigrations, portalOwnMigrations } from './migrations/index.ts';
export { HUB_PORTAL_LINK, CONFLICT_ERROR } from './federation/hub-links.ts';
