export * from './fieldcipher.ts';
export * from './keyfile.ts';
export * from './ids.ts';
