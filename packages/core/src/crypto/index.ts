export * from './fieldcipher.ts';
export * from './keyfile.ts';
export * from './ids.ts';
export * from './card.ts';
export * from './jwe.ts';
export * from './shredding.ts';
export * from './reseal.ts';
