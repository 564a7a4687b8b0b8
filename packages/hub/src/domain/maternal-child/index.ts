/** Maternal and child health (母子保健, seed C): checkup kinds, vouchers, results and growth charts. Pure. */
export * from './child-age.ts';
export * from './checkup-kinds.ts';
export * from './subsidy-caps.ts';
export * from './checkup-result.ts';
export * from './plausible-ranges.ts';
export * from './growth-chart.ts';
export { GROWTH_REFERENCE_SOURCE, HEAD_CM, HEIGHT_CM, WEIGHT_KG, type PercentileRow, type ReferenceRow } from './growth-reference.ts';
export * from './vouchers.ts';
export * from './registration.ts';
