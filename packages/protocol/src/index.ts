export * from './common.ts';
export * from './municipal.ts';
