export * from './audit.ts';
export * from './migrations.ts';
