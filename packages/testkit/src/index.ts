export * from './world.ts';
export * from './fixtures.ts';
export * from './process.ts';
