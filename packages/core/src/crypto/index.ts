export * from './fieldcipher.ts';
export * from './keyfile.ts';
