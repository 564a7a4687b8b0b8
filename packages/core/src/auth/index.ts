export * from './migrations.ts';
export * from './clients.ts';
export * from './oauth.ts';
export * from './client.ts';
export * from './consent-assertion.ts';
