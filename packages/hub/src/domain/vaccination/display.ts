/**
 * Dates as the resident's view shows them: 西暦 and 和暦 side by side (令和8年4月1日), the era from
 * the core's table (明治 … 令和, 元年 for the first year).
 */
import { toJapaneseEraDate } from '@pmh/core/text/japanese';
import type { IsoDate } from './japanese-age.ts';

export interface DualDate {
  /** 西暦 YYYY-MM-DD */
  date: IsoDate;
  /** 和暦, e.g. 令和元年5月1日 */
  wareki: string;
}

/** 2019-05-01 → { date: '2019-05-01', wareki: '令和元年5月1日' }; 2019-04-30 → 平成31年4月30日. */
export function dualDate(date: IsoDate): DualDate {
  return { date, wareki: toJapaneseEraDate(date) };
}

/** 令和8年4月1日（2026-04-01）: one string for a line of text. */
export function formatDualDate(date: IsoDate): string {
  return `${toJapaneseEraDate(date)}（${date}）`;
}
