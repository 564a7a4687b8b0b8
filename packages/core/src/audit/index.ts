export * from './audit.ts';
export * from './migrations.ts';
export * from './group-commit.ts';
