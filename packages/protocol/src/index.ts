export * from './common.ts';
export * from './municipal.ts';
export * from './federation.ts';
