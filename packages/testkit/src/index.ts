export * from './world.ts';
export * from './net.ts';
export * from './fixtures.ts';
export * from './process.ts';
export * from './inspect.ts';
export * from './fake-peer.ts';
export * from './http.ts';
