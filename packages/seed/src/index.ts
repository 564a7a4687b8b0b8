export * from './synthetic.ts';
export * from './demo.ts';
