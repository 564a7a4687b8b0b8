/**
 * How long the hub keeps the vaccination records of a subject whose registration ended
 * (modificationSeg "2"), as data by effective date: the purge job (worker/vaccination-jobs.ts) applies
 * the rule in force on the day it runs. Ended subjects' records are hidden from clinics meanwhile.
 * Sources and the reading of each: docs/vaccination-rules.md#retention.
 */
import { addDays, yearsReached, type IsoDate } from './japanese-age.ts';

export interface RetentionRule {
  /** The rule applies to purges run from this day. */
  validFrom: IsoDate;
  /**
   * `dose-date`: each record for `years` from the day of the dose;
   * `after-death`: until `years` have passed from the day after the person's death — known to the
   * hub only as the end date of a registration ended for `deceased`; any other end keeps the record.
   */
  basis: 'dose-date' | 'after-death';
  years: number;
  source: string;
}

export const RETENTION_RULES: readonly RetentionRule[] = [
  {
    validFrom: '2007-04-01',
    basis: 'dose-date',
    years: 5,
    // 予防接種法施行令 第6条の2 第1項 / 予防接種法施行規則 第3条第1項:「…記録を作成し、かつ、これを当該定期の
    // 予防接種等を行ったときから五年間保存しなければならない」(the five years were written into the law in 2007).
    source: '予防接種法施行規則 第3条第1項（予防接種を行ったときから5年間）',
  },
  {
    validFrom: '2026-06-01',
    basis: 'after-death',
    years: 5,
    // 厚生科学審議会 予防接種基本方針部会 (2025-07-02): 「接種後5年」から「被接種者の死亡後5年」へ、2026年6月までに適用;
    // the wording of 令和8年厚生労働省令第6号 (附則第17条, for 特例臨時接種 records): 「被接種者が死亡した日の翌日から
    // 5年を経過した日」まで. The amending 省令 for routine records was not found: secondary (council decision, press).
    source: '予防接種基本方針部会 2025-07-02 了承（被接種者の死亡した日の翌日から5年を経過した日まで）; 予防接種等関連情報データベース稼働 2026-06-01',
  },
];

/** The rule in force on `day`. */
export function retentionRuleAt(day: IsoDate, rules: readonly RetentionRule[] = RETENTION_RULES): RetentionRule {
  const inForce = rules.filter((r) => r.validFrom <= day).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1));
  return inForce[0] ?? rules[0];
}

export interface EndedRegistration {
  endedReason: 'moved-out' | 'deceased' | 'mistaken' | null;
  endedOn: IsoDate | null;
}

/**
 * The last day a record must be kept under `rule`, or null when the rule keeps it with no end the hub
 * can know. Periods count from the day after the event (民法 §140, 初日不算入): a dose on 2020-01-10 is
 * kept through 2025-01-10; a death on 2026-07-01 through 2031-07-02 (「翌日から5年を経過した日」まで).
 */
export function keptThrough(rule: RetentionRule, dose: { date: IsoDate }, ended: EndedRegistration): IsoDate | null {
  if (rule.basis === 'dose-date') return yearsReached(addDays(dose.date, 1), rule.years);
  if (ended.endedReason !== 'deceased' || !ended.endedOn) return null;
  return addDays(yearsReached(addDays(ended.endedOn, 1), rule.years), 1);
}

/** Whether a record of an ended registration may be purged on `today`. */
export function purgeable(rule: RetentionRule, dose: { date: IsoDate }, ended: EndedRegistration, today: IsoDate): boolean {
  const until = keptThrough(rule, dose, ended);
  return until !== null && until < today;
}
