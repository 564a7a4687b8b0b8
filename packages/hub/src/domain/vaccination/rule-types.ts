/**
 * The shape of the routine-vaccination rules (定期接種のスケジュール). The rules themselves are data in
 * `routine-schedule.ts`; `schedule.ts` reads them to forecast and to check a dose. A rule computes
 * dates from the person with the helpers of `japanese-age.ts`, so the wording of the law ("生後2月から
 * 生後60月に至るまで") becomes one line of data.
 */
import type { IsoDate, Period } from './japanese-age.ts';

/** Our vaccine codes (the contract's list). */
export const VACCINE_CODES = [
  'hib',
  'pcv',
  'hepb',
  'rota',
  'dpt-ipv-hib',
  'dpt-ipv',
  'bcg',
  'mr',
  'varicella',
  'je',
  'dt',
  'hpv',
  'rsv-maternal',
  'flu-elderly',
  'pcv-elderly',
  'covid-elderly',
  'zoster',
] as const;
export type VaccineCode = (typeof VACCINE_CODES)[number];

export type Route = 'subcutaneous' | 'intramuscular' | 'subcutaneous-or-intramuscular' | 'oral' | 'percutaneous';

/** What the schedule needs to know of a person. */
export interface Person {
  dateOfBirth: IsoDate;
  /** ISO 5218: "1" male, "2" female, "0"/"9" unknown / not applicable. */
  sex?: string;
  /** 出産予定日 of a current pregnancy: the RSV maternal vaccination counts 妊娠週数 from it. */
  expectedDeliveryDate?: IsoDate;
  /**
   * 60歳以上65歳未満で、心臓・腎臓・呼吸器の機能又はヒト免疫不全ウイルスによる免疫の機能に障害を
   * 有する者 (施行令 B類 second rows; for zoster only the HIV one). Nothing else tells us this.
   */
  disability60to64?: boolean;
}

/** A dose given, as registration and the clinic record it. */
export interface GivenDose {
  vaccineCode: string;
  doseNumber: number;
  /** The schedule or product (HPV 2-/4-/9-valent, rotavirus 1-/5-valent, zoster live/recombinant). */
  series?: string;
  date: IsoDate;
}

/** A window of days, both ends included. */
export interface Window {
  from: IsoDate;
  to: IsoDate;
}

/**
 * The window a dose may be given in. `at` is the date asked about (planned dose, or the forecast's
 * day): rules with one window ignore it; recurring ones (a season a year, an age in a fiscal year)
 * answer the window containing `at`, else the next one, else the last one. null: never for this person.
 */
export type WindowRule = (p: Person, at: IsoDate) => Window | null;

/** A date computed from the person and the window: the standard period (標準的な接種期間). */
export type StandardRule = (p: Person, window: Window) => { from?: IsoDate; to?: IsoDate };

export interface IntervalRule {
  /** The dose counted from: a dose number of the same vaccine, or the previous dose actually given. */
  after: number | 'previous';
  /** 「…以上の間隔をおいて」 (absent: the entry gives only a standard interval) */
  min?: Period;
  /** 標準的な接種間隔 「…から…までの間隔」 */
  standard?: { from?: Period; to?: Period };
  /** When an earlier dose of the schedule was left out (行わない), the minimum after the previous one. */
  minIfSkipped?: Period;
}

export interface DoseRule {
  doseNumber: number;
  /** As the 予診票 and the 母子健康手帳 name it: 初回1回目, 追加, 第2期. */
  label: string;
  window: WindowRule;
  standard?: StandardRule;
  intervals?: IntervalRule[];
  /**
   * The schedule goes on without this dose once its window closes (「…までに行い、超えた場合は行わない」):
   * Hib and PCV primary doses.
   */
  skippable?: boolean;
  /** Left out for another reason, from the doses given so far (PCV: 3rd primary after a 2nd past 12 months). */
  skipWhen?: (p: Person, given: ReadonlyMap<number, IsoDate>) => boolean;
  /** Allowed but advised against after this date (rotavirus 1st dose after 出生14週6日後). */
  notRecommendedAfter?: { date: (p: Person) => IsoDate; message: string };
  /** Where the rule is written. */
  source: string;
}

export interface SeriesRule {
  /** Our id of the schedule, as the catalogue lists it and a record's `series` names it. */
  series: string;
  label: string;
  /**
   * The product this schedule is for, when a vaccine has several (HPV 2-/4-/9-valent, rotavirus
   * 1-/5-valent, zoster live/recombinant). Schedules of one product are alternatives chosen by age
   * (Hib, PCV, HPV 9-valent 2 or 3 doses); a record's `series` may name the schedule or the product.
   */
  product?: string;
  /** Whether this schedule is the one, from the first dose's date (given or planned; null: none yet). */
  appliesTo?: (p: Person, firstDose: IsoDate | null, given: ReadonlyMap<number, IsoDate>) => boolean;
  live: boolean;
  route: Route;
  /** The product behind this schedule is routine from (HPV 9-valent: 2023-04-01). */
  validFrom?: IsoDate;
  doses: DoseRule[];
  source: string;
}

export interface VaccineRule {
  vaccineCode: VaccineCode;
  name: string;
  /** 予防接種法 §2: A類疾病 (努力義務) / B類疾病 (個人の重症化予防). */
  class: 'A' | 'B';
  /** This version of the rule is in force from (定期接種の開始・改正の施行日) … */
  validFrom: IsoDate;
  /** … to (the day before the next version). */
  validTo?: IsoDate;
  /** Why the person can never have it under this version (sex, birth cohort), or null. */
  ineligible?: (p: Person) => string | null;
  /** One dose a fiscal year (インフルエンザ, 新型コロナ): a dose in the same 年度 completes it. */
  perFiscalYear?: boolean;
  /** Once per pregnancy (RSV maternal): a dose within the current pregnancy completes it. */
  perPregnancy?: boolean;
  /** Once in a lifetime across all its schedules (帯状疱疹, 高齢者肺炎球菌): any completed schedule completes it. */
  oncePerLife?: boolean;
  /**
   * Schedules in order of preference: a record naming a schedule (or an alias) picks it; otherwise the
   * first whose `appliesTo` holds (age at the first dose, birth cohort, or simply the first listed).
   */
  series: SeriesRule[];
  /**
   * A combined vaccine standing for others (五種混合 = 四種混合 + Hib): the forecast shows either the
   * combination or its parts, by which one the person has started.
   */
  combinationOf?: VaccineCode[];
  source: string;
}

/** Injectable live vaccines must be 27 days apart (different vaccines); which rule applies by date. */
export interface DifferentVaccineIntervalRule {
  validFrom: IsoDate;
  validTo?: IsoDate;
  /** Minimum after an injectable live vaccine before another injectable live vaccine. */
  injectableLiveToInjectableLive?: Period;
  /** Before 2020-10-01: after any live vaccine, before any other vaccine. */
  liveToAny?: Period;
  /** Before 2020-10-01: after an inactivated vaccine, before any other vaccine. */
  inactivatedToAny?: Period;
  source: string;
}
