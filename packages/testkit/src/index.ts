export * from './world.ts';
export * from './fixtures.ts';
