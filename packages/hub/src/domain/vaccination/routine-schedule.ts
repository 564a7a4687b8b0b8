/**
 * The routine vaccinations (定期接種) as data: who may have each dose when, how many doses each
 * schedule has, and the intervals between them. Each rule names where it is written:
 *
 * - 令: 予防接種法施行令 第3条第1項の表 (対象者の年齢; renumbered from 第1条の3 by 令和6年政令第116号),
 *   and its 附則 (birth-cohort exceptions);
 * - 規則: 予防接種実施規則 (接種の方法: doses, intervals, route). The current article numbers could not be
 *   confirmed (chapters were added for rotavirus, COVID-19, zoster and RSV after the 平成28年 text, whose
 *   numbering is given as "H28 §n"); rules are cited by the chapter's disease;
 * - 要領: 定期接種実施要領 (厚生労働省健康局長通知, 標準的な接種期間・間隔 and the interpretations).
 *
 * Where only a secondary source (a municipality's or the Ministry's explanatory page) was found, the
 * comment says so; docs/vaccination-rules.md lists every rule with its source and what is unconfirmed.
 * A vaccine may have several versions, each valid from a date (施行日); `rulesAt(date)` picks them.
 */
import {
  addDays,
  afterBirth,
  days,
  fiscalYearEnd,
  fiscalYearOf,
  fiscalYearOfAge,
  fiscalYearStart,
  monthsReached,
  months,
  schoolEntry,
  yearsReached,
  type IsoDate,
} from './japanese-age.ts';
import type { DifferentVaccineIntervalRule, Person, StandardRule, VaccineRule, Window, WindowRule } from './rule-types.ts';

const REI = '予防接種法施行令 第3条第1項の表';
const KISOKU = '予防接種実施規則';
const YORYO = '定期接種実施要領';

// --- date helpers in the law's words ---------------------------------------------------------

type PersonDate = (p: Person) => IsoDate;
/** 生後n月 */
const m =
  (n: number): PersonDate =>
  (p) =>
    monthsReached(p.dateOfBirth, n);
/** 生後n月に至った日の翌日 */
const mAfter =
  (n: number): PersonDate =>
  (p) =>
    addDays(monthsReached(p.dateOfBirth, n), 1);
/** n歳 (に達する日) */
const y =
  (n: number): PersonDate =>
  (p) =>
    yearsReached(p.dateOfBirth, n);
/** 出生n週m日後 */
const wk =
  (weeks: number, d = 0): PersonDate =>
  (p) =>
    afterBirth(p.dateOfBirth, weeks, d);
const birth: PersonDate = (p) => p.dateOfBirth;

/** One window, both ends included: 「生後2月から生後60月に至るまでの間にある者」 = between(m(2), m(60)). */
const between =
  (from: PersonDate, to: PersonDate): WindowRule =>
  (p) => {
    const w = { from: from(p), to: to(p) };
    return w.from <= w.to ? w : null;
  };

/** Of several windows, the one holding `at`, else the next, else the last (for a "too late" answer). */
function pick(windows: Window[], at: IsoDate): Window | null {
  const sorted = windows.filter((w) => w.from <= w.to).sort((a, b) => (a.from < b.from ? -1 : 1));
  return sorted.find((w) => w.from <= at && at <= w.to) ?? sorted.find((w) => w.from > at) ?? sorted.at(-1) ?? null;
}

const standardAge =
  (from?: PersonDate, to?: PersonDate): StandardRule =>
  (p) => ({ from: from?.(p), to: to?.(p) });

function fiscalYearWindow(fy: number): Window {
  return { from: fiscalYearStart(fy), to: fiscalYearEnd(fy) };
}

/**
 * B類 seasonal vaccinations: one dose a 年度, given from 1 October to 31 March, to those 65 or older
 * (or 60–64 with the disabilities the 令 names).
 */
const seasonal =
  (ageFrom: (p: Person) => IsoDate): WindowRule =>
  (p, at) => {
    const from = ageFrom(p);
    for (let fy = Math.max(fiscalYearOf(at), fiscalYearOf(from) - 1); ; fy++) {
      const season = { from: `${fy}-10-01`, to: `${fy + 1}-03-31` };
      const w = { from: season.from < from ? from : season.from, to: season.to };
      if (w.from <= w.to && w.to >= at) return w;
      if (fy > fiscalYearOf(at) + 200) return null;
    }
  };

/** 65歳以上, or 60歳以上 for those with the disabilities of the 令's second row. */
const elderlyFrom = (p: Person): IsoDate => yearsReached(p.dateOfBirth, p.disability60to64 ? 60 : 65);

// --- the rules -----------------------------------------------------------------------------

/** 27日以上: the interval most primary series use (「二十七日以上の間隔をおいて」). */
const d27 = days(27);

export const ROUTINE_VACCINES: readonly VaccineRule[] = [
  {
    vaccineCode: 'hib',
    name: 'Hib（ヒブ）',
    class: 'A',
    validFrom: '2013-04-01', // 定期接種化: 予防接種法の一部を改正する法律 (平成25年法律第8号)
    source: `${REI} Hib感染症「生後二月から生後六十月に至るまでの間にある者」; ${KISOKU} Hib感染症の章 (H28 §17); ${YORYO}`,
    series: [
      {
        series: 'start-2m-7m',
        label: '初回接種の開始が生後2月から生後7月に至るまで（計4回）',
        appliesTo: (p, first) => first === null || first <= m(7)(p),
        live: false,
        route: 'subcutaneous',
        source: `${KISOKU} Hib感染症の章; ${YORYO} (初回2回目・3回目は生後12月に至るまでに行い、超えた場合は行わない)`,
        doses: [
          { doseNumber: 1, label: '初回1回目', window: between(m(2), m(7)), standard: standardAge(m(2), m(7)), source: `${REI}; ${YORYO}` },
          ...[2, 3].map((n) => ({
            doseNumber: n,
            label: `初回${n}回目`,
            window: between(m(2), m(12)),
            skippable: true,
            // 27日（医師が必要と認めた場合は20日）以上: the 20-day exception is a doctor's override of the warning.
            intervals: [{ after: 'previous' as const, min: d27, standard: { to: days(56) } }],
            source: `${KISOKU} Hib感染症の章「二十七日（医師が必要と認めた場合には二十日）以上の間隔」; ${YORYO} 標準 27–56日`,
          })),
          {
            doseNumber: 4,
            label: '追加',
            window: between(m(2), m(60)),
            intervals: [{ after: 'previous', min: months(7), standard: { to: months(13) }, minIfSkipped: d27 }],
            source: `${KISOKU} Hib感染症の章 (初回終了後七月以上); ${YORYO} 標準 7–13月; 初回未了で1歳を超えた場合は最後の注射から27日以上`,
          },
        ],
      },
      {
        series: 'start-7m-12m',
        label: '初回接種の開始が生後7月に至った日の翌日から生後12月に至るまで（計3回）',
        appliesTo: (p, first) => first !== null && first > m(7)(p) && first <= m(12)(p),
        live: false,
        route: 'subcutaneous',
        source: `${KISOKU} Hib感染症の章; ${YORYO}`,
        doses: [
          { doseNumber: 1, label: '初回1回目', window: between(mAfter(7), m(12)), source: REI },
          {
            doseNumber: 2,
            label: '初回2回目',
            window: between(mAfter(7), m(12)),
            skippable: true,
            intervals: [{ after: 'previous', min: d27, standard: { to: days(56) } }],
            source: `${KISOKU} Hib感染症の章; ${YORYO}`,
          },
          {
            doseNumber: 3,
            label: '追加',
            window: between(mAfter(7), m(60)),
            intervals: [{ after: 'previous', min: months(7), standard: { to: months(13) }, minIfSkipped: d27 }],
            source: `${KISOKU} Hib感染症の章; ${YORYO}`,
          },
        ],
      },
      {
        series: 'start-12m-60m',
        label: '接種の開始が生後12月に至った日の翌日から生後60月に至るまで（1回）',
        appliesTo: (p, first) => first !== null && first > m(12)(p),
        live: false,
        route: 'subcutaneous',
        source: `${KISOKU} Hib感染症の章`,
        doses: [{ doseNumber: 1, label: '1回', window: between(mAfter(12), m(60)), source: REI }],
      },
    ],
  },
  {
    vaccineCode: 'pcv',
    name: '小児の肺炎球菌',
    class: 'A',
    validFrom: '2013-04-01',
    source: `${REI} 肺炎球菌感染症（小児がかかるものに限る。）「生後二月から生後六十月に至るまでの間にある者」; ${KISOKU} 小児の肺炎球菌感染症の章 (H28 §18); ${YORYO}`,
    series: [
      {
        series: 'start-2m-7m',
        label: '初回接種の開始が生後2月から生後7月に至るまで（計4回）',
        appliesTo: (p, first) => first === null || first <= m(7)(p),
        live: false,
        route: 'subcutaneous-or-intramuscular',
        source: `${KISOKU} 小児の肺炎球菌感染症の章; ${YORYO}`,
        doses: [
          { doseNumber: 1, label: '初回1回目', window: between(m(2), m(7)), standard: standardAge(m(2), m(7)), source: `${REI}; ${YORYO}` },
          {
            doseNumber: 2,
            label: '初回2回目',
            window: between(m(2), m(24)),
            standard: standardAge(undefined, m(12)),
            skippable: true,
            intervals: [{ after: 'previous', min: d27 }],
            source: `${KISOKU} (初回2回目・3回目は生後24月に至るまでに行い、超えた場合は行わない); ${YORYO} 標準: 生後12月まで`,
          },
          {
            doseNumber: 3,
            label: '初回3回目',
            window: between(m(2), m(24)),
            standard: standardAge(undefined, m(12)),
            skippable: true,
            // 要領: 初回2回目が生後12月を超えた場合、初回3回目は行わない.
            skipWhen: (p, given) => (given.get(2) ?? '') > m(12)(p),
            intervals: [{ after: 'previous', min: d27 }],
            source: `${KISOKU}; ${YORYO} (2回目が生後12月を超えた場合は3回目を行わない)`,
          },
          {
            doseNumber: 4,
            label: '追加',
            window: between(m(12), m(60)),
            standard: standardAge(m(12), m(15)),
            intervals: [{ after: 'previous', min: days(60) }],
            source: `${KISOKU} (初回終了後六十日以上、生後十二月に至った日以降); ${YORYO} 標準 生後12–15月`,
          },
        ],
      },
      {
        series: 'start-7m-12m',
        label: '初回接種の開始が生後7月に至った日の翌日から生後12月に至るまで（計3回）',
        appliesTo: (p, first) => first !== null && first > m(7)(p) && first <= m(12)(p),
        live: false,
        route: 'subcutaneous-or-intramuscular',
        source: `${KISOKU} 小児の肺炎球菌感染症の章; ${YORYO}`,
        doses: [
          { doseNumber: 1, label: '初回1回目', window: between(mAfter(7), m(12)), source: REI },
          {
            doseNumber: 2,
            label: '初回2回目',
            window: between(mAfter(7), m(24)),
            standard: standardAge(undefined, m(12)),
            skippable: true,
            intervals: [{ after: 'previous', min: d27 }],
            source: `${KISOKU}; ${YORYO}`,
          },
          {
            doseNumber: 3,
            label: '追加',
            window: between(m(12), m(60)),
            intervals: [{ after: 'previous', min: days(60) }],
            source: `${KISOKU} (初回終了後六十日以上、生後十二月に至った日以降)`,
          },
        ],
      },
      {
        series: 'start-12m-24m',
        label: '接種の開始が生後12月に至った日の翌日から生後24月に至るまで（2回）',
        appliesTo: (p, first) => first !== null && first > m(12)(p) && first <= m(24)(p),
        live: false,
        route: 'subcutaneous-or-intramuscular',
        source: `${KISOKU} 小児の肺炎球菌感染症の章`,
        doses: [
          { doseNumber: 1, label: '1回目', window: between(mAfter(12), m(24)), source: REI },
          {
            doseNumber: 2,
            label: '2回目',
            window: between(mAfter(12), m(60)),
            intervals: [{ after: 1, min: days(60) }],
            source: `${KISOKU} (六十日以上の間隔をおいて二回)`,
          },
        ],
      },
      {
        series: 'start-24m-60m',
        label: '接種の開始が生後24月に至った日の翌日から生後60月に至るまで（1回）',
        appliesTo: (p, first) => first !== null && first > m(24)(p),
        live: false,
        route: 'subcutaneous-or-intramuscular',
        source: `${KISOKU} 小児の肺炎球菌感染症の章`,
        doses: [{ doseNumber: 1, label: '1回', window: between(mAfter(24), m(60)), source: REI }],
      },
    ],
  },
  {
    vaccineCode: 'hepb',
    name: 'B型肝炎',
    class: 'A',
    validFrom: '2016-10-01', // 平成28年政令第241号
    ineligible: (p) => (p.dateOfBirth < '2016-04-01' ? '平成28年4月1日以降に生まれた方が対象です' : null),
    source: `${REI} B型肝炎「一歳に至るまでの間にある者」; ${KISOKU} B型肝炎の章 (H28 §21); ${YORYO}`,
    series: [
      {
        series: 'primary',
        label: '3回',
        live: false,
        route: 'subcutaneous',
        source: `${KISOKU} B型肝炎の章「二十七日以上の間隔をおいて二回…第一回目の注射から百三十九日以上の間隔をおいて一回」`,
        doses: [
          { doseNumber: 1, label: '1回目', window: between(birth, m(12)), standard: standardAge(m(2), m(9)), source: `${REI}; ${YORYO} 標準 生後2–9月` },
          {
            doseNumber: 2,
            label: '2回目',
            window: between(birth, m(12)),
            standard: standardAge(undefined, m(9)),
            intervals: [{ after: 1, min: d27 }],
            source: KISOKU,
          },
          // A municipal page adds "2回目から6日以上"; not found in the 規則 text, so not enforced.
          {
            doseNumber: 3,
            label: '3回目',
            window: between(birth, m(12)),
            standard: standardAge(undefined, m(9)),
            intervals: [{ after: 1, min: days(139) }],
            source: KISOKU,
          },
        ],
      },
    ],
  },
  {
    vaccineCode: 'rota',
    name: 'ロタウイルス',
    class: 'A',
    validFrom: '2020-10-01', // 定期接種化 (施行日 2020-10-01; the amending 政令's number was not confirmed)
    ineligible: (p) => (p.dateOfBirth < '2020-08-01' ? '令和2年8月1日以降に生まれた方が対象です' : null),
    source: `${REI} ロタウイルス感染症「生後六週に至った日の翌日から、生後三十二週に至る日の翌日までの間で厚生労働省令で定める期間にある者」; ${KISOKU} ロタウイルス感染症の章; ロタウイルスワクチンに関するQ&A（厚生労働省）`,
    series: (
      [
        ['1-valent', '1価（2回）', 2, 24],
        ['5-valent', '5価（3回）', 3, 32],
      ] as const
    ).map(([series, label, count, weeks]) => ({
      series,
      label,
      product: series,
      live: true,
      route: 'oral' as const,
      source: `${KISOKU} ロタウイルス感染症の章 (${count}回、二十七日以上の間隔); Q&A: 出生6週0日後から出生${weeks}週0日後まで`,
      doses: Array.from({ length: count }, (_, i) => ({
        doseNumber: i + 1,
        label: `${i + 1}回目`,
        window: between(wk(6), wk(weeks)),
        standard: i === 0 ? standardAge(m(2), wk(14, 6)) : undefined,
        intervals: i === 0 ? undefined : [{ after: 'previous' as const, min: d27 }],
        notRecommendedAfter: i === 0 ? { date: wk(14, 6), message: '初回接種を出生15週0日後以降に行うことは、安全性の観点から推奨されていません' } : undefined,
        source: i === 0 ? 'ロタウイルスワクチンに関するQ&A 問6 (初回: 標準 生後2月–出生14週6日後; 15週0日後以降は推奨しない)' : KISOKU,
      })),
    })),
  },
  ...(
    [
      // 四種混合: routine from 2012-11-01; first dose from 生後3月 until 2023-03-31, from 生後2月 since 2023-04-01
      // (予防接種法施行令の一部を改正する政令, 令和5年4月1日施行).
      { code: 'dpt-ipv', name: '四種混合（DPT-IPV）', validFrom: '2012-11-01', validTo: '2023-03-31', start: 3, standardStart: [3, 12], boosterStandard: 12 },
      { code: 'dpt-ipv', name: '四種混合（DPT-IPV）', validFrom: '2023-04-01', validTo: undefined, start: 2, standardStart: [2, 7], boosterStandard: 12 },
      // 五種混合: routine from 2024-04-01 (令和6年政令第116号).
      {
        code: 'dpt-ipv-hib',
        name: '五種混合（DPT-IPV-Hib）',
        validFrom: '2024-04-01',
        validTo: undefined,
        start: 2,
        standardStart: [2, 7],
        boosterStandard: 6,
      },
    ] as const
  ).map(
    (v): VaccineRule => ({
      vaccineCode: v.code,
      name: v.name,
      class: 'A',
      validFrom: v.validFrom,
      validTo: v.validTo,
      combinationOf: v.code === 'dpt-ipv-hib' ? ['dpt-ipv', 'hib'] : undefined,
      source: `${REI} ジフテリア・百日せき・急性灰白髄炎・破傷風${v.code === 'dpt-ipv-hib' ? '・Hib感染症' : ''}「生後${v.start === 2 ? '二' : '三'}月から生後九十月に至るまでの間にある者」; ${KISOKU} 第2章 (H28 §9–§11); ${YORYO}`,
      series: [
        {
          series: 'period-1',
          label: '第1期（初回3回・追加1回）',
          live: false,
          route: v.code === 'dpt-ipv-hib' ? 'subcutaneous-or-intramuscular' : 'subcutaneous',
          source: `${KISOKU} 第2章「二十日以上の間隔をおいて三回…初回接種終了後六月以上の間隔をおいて一回」; ${YORYO} 標準 20–56日、追加 ${v.boosterStandard}–18月`,
          doses: [
            ...[1, 2, 3].map((n) => ({
              doseNumber: n,
              label: `第1期初回${n}回目`,
              window: between(m(v.start), m(90)),
              standard: standardAge(m(v.standardStart[0]), m(v.standardStart[1])),
              intervals: n === 1 ? undefined : [{ after: 'previous' as const, min: days(20), standard: { to: days(56) } }],
              source: `${KISOKU} 第2章; ${YORYO}`,
            })),
            {
              doseNumber: 4,
              label: '第1期追加',
              window: between(m(v.start), m(90)),
              intervals: [{ after: 3, min: months(6), standard: { from: months(v.boosterStandard), to: months(18) } }],
              source: `${KISOKU} 第2章 (初回終了後六月以上); ${YORYO}`,
            },
          ],
        },
      ],
    }),
  ),
  {
    vaccineCode: 'bcg',
    name: 'BCG',
    class: 'A',
    validFrom: '2013-04-01', // 1歳に至るまで (平成25年4月1日から; before: 生後6月に至るまで)
    source: `${REI} 結核「一歳に至るまでの間にある者」; ${KISOKU} 結核の章 (H28 §16, 経皮接種); ${YORYO} 標準 生後5–8月`,
    series: [
      {
        series: 'single',
        label: '1回',
        live: true,
        route: 'percutaneous',
        source: `${KISOKU} 結核の章`,
        doses: [{ doseNumber: 1, label: '1回', window: between(birth, m(12)), standard: standardAge(m(5), m(8)), source: `${REI}; ${YORYO}` }],
      },
    ],
  },
  {
    vaccineCode: 'mr',
    name: '麻しん風しん（MR）',
    class: 'A',
    validFrom: '2006-04-01', // 2回接種制 (第1期・第2期) の開始
    source: `${REI} 麻しん・風しん; ${KISOKU} 麻しん及び風しんの章 (H28 §12–§13)`,
    series: [
      {
        series: 'standard',
        label: '第1期・第2期（各1回）',
        live: true,
        route: 'subcutaneous',
        source: `${KISOKU} 麻しん及び風しんの章`,
        doses: [
          { doseNumber: 1, label: '第1期', window: between(m(12), m(24)), source: `${REI}「生後十二月から生後二十四月に至るまでの間にある者」` },
          {
            doseNumber: 2,
            label: '第2期',
            // 「五歳以上七歳未満の者であって、小学校就学の始期に達する日の一年前の日から当該始期に達する日の前日までの間にあるもの」
            // The school year starts on 1 April, so the window is 1 April … 31 March of the year before school.
            window: between(
              (p) => `${Number(schoolEntry(p.dateOfBirth).slice(0, 4)) - 1}-04-01`,
              (p) => addDays(schoolEntry(p.dateOfBirth), -1),
            ),
            source: `${REI} 麻しん・風しん 二 (小学校就学の始期: 学校教育法 §17①)`,
          },
        ],
      },
    ],
  },
  {
    vaccineCode: 'varicella',
    name: '水痘',
    class: 'A',
    validFrom: '2014-10-01',
    source: `${REI} 水痘「生後十二月から生後三十六月に至るまでの間にある者」; ${KISOKU} 水痘の章 (H28 §20); ${YORYO}`,
    series: [
      {
        series: 'standard',
        label: '2回',
        live: true,
        route: 'subcutaneous',
        source: `${KISOKU} 水痘の章「三月以上の間隔をおいて二回」; ${YORYO} 標準: 1回目 生後12–15月、2回目 6–12月後`,
        doses: [
          { doseNumber: 1, label: '1回目', window: between(m(12), m(36)), standard: standardAge(m(12), m(15)), source: `${REI}; ${YORYO}` },
          {
            doseNumber: 2,
            label: '2回目',
            window: between(m(12), m(36)),
            intervals: [{ after: 1, min: months(3), standard: { from: months(6), to: months(12) } }],
            source: `${KISOKU}; ${YORYO}`,
          },
        ],
      },
    ],
  },
  {
    vaccineCode: 'je',
    name: '日本脳炎',
    class: 'A',
    validFrom: '2010-04-01', // 乾燥細胞培養日本脳炎ワクチンでの第1期の積極的勧奨の再開 (not a rule change; the 令's ages are older)
    source: `${REI} 日本脳炎; 同 附則第2項 (平成7年4月2日から平成19年4月1日までの間に生まれた者: 四歳以上二十歳未満); ${KISOKU} 日本脳炎の章 (H28 §14–§15); ${YORYO}`,
    series: [
      {
        series: 'standard',
        label: '第1期（初回2回・追加1回）・第2期（1回）',
        appliesTo: (p) => !inJeCohort(p),
        live: false,
        route: 'subcutaneous',
        source: `${KISOKU} 日本脳炎の章「六日以上の間隔をおいて二回…おおむね一年を経過した時期に一回」; ${YORYO}`,
        doses: [
          {
            doseNumber: 1,
            label: '第1期初回1回目',
            window: between(m(6), m(90)),
            standard: standardAge(y(3), y(4)),
            source: `${REI}「生後六月から生後九十月に至るまでの間にある者」; ${YORYO} 標準 3歳`,
          },
          {
            doseNumber: 2,
            label: '第1期初回2回目',
            window: between(m(6), m(90)),
            standard: standardAge(undefined, y(4)),
            intervals: [{ after: 1, min: days(6), standard: { to: days(28) } }],
            source: `${KISOKU}; ${YORYO} 標準 6–28日`,
          },
          {
            doseNumber: 3,
            label: '第1期追加',
            window: between(m(6), m(90)),
            standard: standardAge(y(4), y(5)),
            intervals: [{ after: 2, min: months(6) }],
            source: `${KISOKU} (初回終了後六月以上; 標準 おおむね一年後); ${YORYO} 標準 4歳`,
          },
          {
            doseNumber: 4,
            label: '第2期',
            window: between(y(9), y(13)),
            standard: standardAge(y(9), y(10)),
            source: `${REI}「九歳以上十三歳未満の者」; ${YORYO} 標準 9歳`,
          },
        ],
      },
      {
        series: 'cohort-1995-2007',
        label: '特例（平成7年4月2日〜平成19年4月1日生まれ: 20歳未満まで4回）',
        appliesTo: (p) => inJeCohort(p),
        live: false,
        route: 'subcutaneous',
        source: `${REI} 附則第2項; ${YORYO} 日本脳炎の特例 (残りの回数を6日以上の間隔をおいて; 第2期は9歳以上)`,
        doses: [
          { doseNumber: 1, label: '第1期初回1回目', window: between(y(4), y(20)), source: `${REI} 附則第2項` },
          { doseNumber: 2, label: '第1期初回2回目', window: between(y(4), y(20)), intervals: [{ after: 1, min: days(6) }], source: `${YORYO} 特例` },
          { doseNumber: 3, label: '第1期追加', window: between(y(4), y(20)), intervals: [{ after: 2, min: days(6) }], source: `${YORYO} 特例` },
          {
            doseNumber: 4,
            label: '第2期',
            window: between(y(9), y(20)),
            intervals: [{ after: 3, min: days(6) }],
            source: `${YORYO} 特例 (第2期は9歳以上、第1期終了後6日以上)`,
          },
        ],
      },
    ],
  },
  {
    vaccineCode: 'dt',
    name: '二種混合（DT）',
    class: 'A',
    validFrom: '1994-10-01', // 11歳以上13歳未満 since the 平成6年 amendment (予防接種法施行令 附則, 平成6年政令第266号)
    source: `${REI} ジフテリア・破傷風 二「十一歳以上十三歳未満の者」; ${KISOKU} 第2章 (H28 §11); ${YORYO} 標準 11歳`,
    series: [
      {
        series: 'period-2',
        label: '第2期（1回）',
        live: false,
        route: 'subcutaneous',
        source: `${KISOKU} 第2章 (第二期: 沈降ジフテリア破傷風混合トキソイド 〇・一ミリリットル 一回)`,
        doses: [{ doseNumber: 1, label: '第2期', window: between(y(11), y(13)), standard: standardAge(y(11), y(12)), source: `${REI}; ${YORYO}` }],
      },
    ],
  },
  {
    vaccineCode: 'hpv',
    name: 'HPV（ヒトパピローマウイルス）',
    class: 'A',
    validFrom: '2013-04-01',
    ineligible: (p) => (p.sex !== '2' ? '女子が対象です' : null),
    source: `${REI} ヒトパピローマウイルス感染症「十二歳となる日の属する年度の初日から十六歳となる日の属する年度の末日までの間にある女子」; ${KISOKU} ヒトパピローマウイルス感染症の章 (H28 §19); ${YORYO}`,
    series: [
      {
        series: '9-valent-2-dose',
        label: '9価: 1回目を15歳に至るまでに接種した場合（2回）',
        product: '9-valent',
        validFrom: '2023-04-01',
        // 2回目を1回目から5月未満で接種した場合は3回接種 (9-valent 3-dose) になる.
        appliesTo: (p, first, given) =>
          (first === null || first <= y(15)(p)) && (!given.has(2) || !given.has(1) || given.get(2)! >= afterMonths(given.get(1)!, 5)),
        live: false,
        route: 'intramuscular',
        source: `${KISOKU} (9価: 十五歳に至るまでに初回を行う場合は五月以上の間隔をおいて二回); ${YORYO} 標準 6月 — 令和5年4月1日施行の改正; the notice's number is not confirmed`,
        doses: [
          { doseNumber: 1, label: '1回目', window: hpvWindow, standard: hpvStandard, source: REI },
          {
            doseNumber: 2,
            label: '2回目',
            window: hpvWindow,
            intervals: [{ after: 1, min: months(5), standard: { from: months(6), to: months(12) } }],
            source: KISOKU,
          },
        ],
      },
      {
        series: '9-valent',
        label: '9価（3回）',
        product: '9-valent',
        validFrom: '2023-04-01',
        live: false,
        route: 'intramuscular',
        source: `${KISOKU} (9価: 一月以上の間隔をおいて二回、二回目から三月以上の間隔をおいて一回); ${YORYO} 標準 2月・6月`,
        doses: [
          { doseNumber: 1, label: '1回目', window: hpvWindow, standard: hpvStandard, source: REI },
          { doseNumber: 2, label: '2回目', window: hpvWindow, intervals: [{ after: 1, min: months(1), standard: { from: months(2) } }], source: KISOKU },
          {
            doseNumber: 3,
            label: '3回目',
            window: hpvWindow,
            intervals: [
              { after: 2, min: months(3) },
              { after: 1, standard: { from: months(6) } },
            ],
            source: KISOKU,
          },
        ],
      },
      {
        series: '4-valent',
        label: '4価（3回）',
        product: '4-valent',
        live: false,
        route: 'intramuscular',
        source: `${KISOKU} (4価: 一月以上の間隔をおいて二回、二回目から三月以上の間隔をおいて一回); ${YORYO} 標準 2月・6月`,
        doses: [
          { doseNumber: 1, label: '1回目', window: hpvWindow, standard: hpvStandard, source: REI },
          { doseNumber: 2, label: '2回目', window: hpvWindow, intervals: [{ after: 1, min: months(1), standard: { from: months(2) } }], source: KISOKU },
          {
            doseNumber: 3,
            label: '3回目',
            window: hpvWindow,
            intervals: [
              { after: 2, min: months(3) },
              { after: 1, standard: { from: months(6) } },
            ],
            source: KISOKU,
          },
        ],
      },
      {
        series: '2-valent',
        label: '2価（3回）',
        product: '2-valent',
        live: false,
        route: 'intramuscular',
        source: `${KISOKU} (2価: 一月以上の間隔をおいて二回、一回目から五月以上かつ二回目から二月半以上の間隔をおいて一回); ${YORYO} 標準 1月・6月`,
        doses: [
          { doseNumber: 1, label: '1回目', window: hpvWindow, standard: hpvStandard, source: REI },
          { doseNumber: 2, label: '2回目', window: hpvWindow, intervals: [{ after: 1, min: months(1), standard: { from: months(1) } }], source: KISOKU },
          {
            doseNumber: 3,
            label: '3回目',
            window: hpvWindow,
            intervals: [
              { after: 1, min: months(5), standard: { from: months(6) } },
              { after: 2, min: months(2, true) },
            ],
            source: KISOKU,
          },
        ],
      },
    ],
  },
  {
    vaccineCode: 'rsv-maternal',
    name: 'RSウイルス（母子免疫）',
    class: 'A',
    validFrom: '2026-04-01',
    perPregnancy: true,
    ineligible: (p) => (p.expectedDeliveryDate === undefined || p.sex === '1' ? '妊娠中の方（出産予定日が分かる方）が対象です' : null),
    source:
      "RSウイルス感染症（母子免疫）の定期接種: 令和8年4月1日から、妊娠28週0日から36週6日までの妊婦 (厚生科学審議会 予防接種基本方針部会 2025-11-19 了承; municipalities' notices). The amending 政令・省令 text was not found.",
    series: [
      {
        series: 'pregnancy',
        label: '妊娠ごとに1回',
        live: false,
        route: 'intramuscular',
        source: 'municipal notices of the 2026-04-01 start (e.g. 山口市); 1 dose per pregnancy',
        doses: [
          {
            doseNumber: 1,
            label: '1回',
            // 妊娠w週d日 = 出産予定日 (妊娠40週0日) − 280 + 7w + d: 28週0日 = EDD − 84, 36週6日 = EDD − 22.
            window: (p) => (p.expectedDeliveryDate ? { from: addDays(p.expectedDeliveryDate, -84), to: addDays(p.expectedDeliveryDate, -22) } : null),
            source: '妊娠28週0日から妊娠36週6日まで (municipal notices; the 令 text not found)',
          },
        ],
      },
    ],
  },
  {
    vaccineCode: 'flu-elderly',
    name: 'インフルエンザ（高齢者）',
    class: 'B',
    validFrom: '2001-11-07', // 予防接種法の一部を改正する法律 (平成13年法律第116号): 二類疾病 (now B類)
    perFiscalYear: true,
    source: `${REI} インフルエンザ「六十五歳以上の者」「六十歳以上六十五歳未満の者であって、心臓、じん臓若しくは呼吸器の機能又はヒト免疫不全ウイルスによる免疫の機能に障害を有するもの」; ${KISOKU} インフルエンザの章 (H28 §22: 毎年度一回)`,
    series: [
      {
        series: 'seasonal',
        label: '毎年度1回',
        live: false,
        route: 'subcutaneous',
        source: `${KISOKU} インフルエンザの章`,
        doses: [
          {
            doseNumber: 1,
            label: '今シーズン',
            // The season is set by each municipality (typically 10月1日〜1月31日); we allow 10/1–3/31, the
            // period 規則 writes for COVID-19 (§24). Not confirmed for influenza.
            window: seasonal(elderlyFrom),
            source: `${REI}; season assumed 10/1–3/31 (not confirmed for influenza)`,
          },
        ],
      },
    ],
  },
  {
    vaccineCode: 'covid-elderly',
    name: '新型コロナウイルス（高齢者）',
    class: 'B',
    validFrom: '2024-04-01', // B類疾病 from 令和6年度 (令和6年政令第116号); the first season began 2024-10-01
    perFiscalYear: true,
    source: `${REI} 新型コロナウイルス感染症 (六十五歳以上、六十歳以上六十五歳未満で障害を有する者); ${KISOKU} 第24条「毎年十月一日から翌年三月三十一日までの間に」`,
    series: [
      {
        series: 'seasonal',
        label: '毎年度1回',
        live: false,
        route: 'intramuscular',
        source: `${KISOKU} 第24条`,
        doses: [{ doseNumber: 1, label: '今シーズン', window: seasonal(elderlyFrom), source: `${KISOKU} 第24条` }],
      },
    ],
  },
  {
    vaccineCode: 'pcv-elderly',
    name: '肺炎球菌（高齢者）',
    class: 'B',
    // From 2024-04-01 only "65歳の者" (the 5-year cohorts 70, 75, … of 2014–2023 ended 2024-03-31; not modelled).
    validFrom: '2024-04-01',
    oncePerLife: true,
    source: `${REI} 肺炎球菌感染症（高齢者がかかるものに限る。）「六十五歳の者」「六十歳以上六十五歳未満の者であって…障害を有するもの」; ${KISOKU} 高齢者の肺炎球菌感染症の章 (H28 §23: 一回)`,
    series: [
      {
        series: 'single',
        label: '1回',
        live: false,
        route: 'subcutaneous-or-intramuscular',
        source: `${KISOKU} 高齢者の肺炎球菌感染症の章`,
        doses: [
          {
            doseNumber: 1,
            label: '1回',
            // 「六十五歳の者」 = 65歳以上66歳未満: from the day before the 65th to the day before the 66th birthday.
            window: (p, at) => pick(mergeWindows([{ from: y(65)(p), to: y(66)(p) }, ...(p.disability60to64 ? [{ from: y(60)(p), to: y(65)(p) }] : [])]), at),
            source: REI,
          },
        ],
      },
    ],
  },
  {
    vaccineCode: 'zoster',
    name: '帯状疱疹',
    class: 'B',
    validFrom: '2025-04-01',
    oncePerLife: true,
    source:
      `${REI} 帯状疱疹 (令和7年4月1日施行: 六十五歳となる日の属する年度の初日から末日まで; 六十歳以上六十五歳未満でヒト免疫不全ウイルスによる免疫の機能に障害を有する者); ` +
      '経過措置 令和7–11年度: その年度に70・75・80・85・90・95・100歳となる者、令和7年度に限り100歳以上の者 (厚生科学審議会 予防接種基本方針部会 2024-12-18; municipal notices). The amending 政令 text was not found.',
    series: [
      {
        series: 'recombinant',
        label: '組換えワクチン（2回）',
        product: 'recombinant',
        live: false,
        route: 'intramuscular',
        source: `${KISOKU} 帯状疱疹の章 (乾燥組換え帯状疱疹ワクチン 二月以上の間隔をおいて二回筋肉内) — per municipal notices; 標準: 2月、遅くとも6月 (添付文書)`,
        doses: [
          { doseNumber: 1, label: '1回目', window: zosterWindow, source: 'zoster eligibility' },
          // Whether a 2nd dose after the eligible 年度 is still routine was not confirmed: kept inside the window.
          {
            doseNumber: 2,
            label: '2回目',
            window: zosterWindow,
            intervals: [{ after: 1, min: months(2), standard: { to: months(6) } }],
            source: '二月以上の間隔 (municipal notices, 添付文書)',
          },
        ],
      },
      {
        series: 'live',
        label: '生ワクチン（1回）',
        product: 'live',
        live: true,
        route: 'subcutaneous',
        source: `${KISOKU} 帯状疱疹の章 (乾燥弱毒生水痘ワクチン 一回皮下) — per municipal notices`,
        doses: [{ doseNumber: 1, label: '1回', window: zosterWindow, source: 'zoster eligibility (see vaccine source)' }],
      },
    ],
  },
];

/**
 * Different vaccines on different days (定期接種実施要領 第1 総論 「接種間隔」, 令和2年10月1日改正): since
 * 2020-10-01 only an injectable live vaccine followed by another injectable live vaccine needs 27 days
 * or more (oral live and inactivated vaccines: no rule); before, 27 days after any live vaccine and 6
 * days after an inactivated one, before any other vaccine. Same-day (同時接種) is not limited. Source
 * found only as municipalities' notices of the change (e.g. 塩竈市, 吉川市); BCG counts as an
 * injectable (non-oral) live vaccine as those notices list it.
 */
export const DIFFERENT_VACCINE_INTERVALS: readonly DifferentVaccineIntervalRule[] = [
  { validFrom: '1900-01-01', validTo: '2020-09-30', liveToAny: days(27), inactivatedToAny: days(6), source: `${YORYO} (令和2年10月1日改正前)` },
  { validFrom: '2020-10-01', injectableLiveToInjectableLive: days(27), source: `${YORYO} (令和2年10月1日改正)` },
];

// --- helpers the data above uses ---------------------------------------------------------

function afterMonths(date: IsoDate, n: number): IsoDate {
  return addDays(monthsReached(date, n), 1);
}

/** 平成7年4月2日から平成19年4月1日までの間に生まれた者 (令 附則第2項). */
function inJeCohort(p: Person): boolean {
  return p.dateOfBirth >= '1995-04-02' && p.dateOfBirth <= '2007-04-01';
}

/**
 * HPV: 小学校6年生から高校1年生相当 (12歳となる日の属する年度の初日 … 16歳となる日の属する年度の末日),
 * and the catch-up (キャッチアップ接種) for those born 1997-04-02 … 2009-04-01: 2022-04-01 … 2025-03-31,
 * extended to 2026-03-31 for those who had a dose by 2025-03-31 (municipal notices; the extension's
 * condition is not checked here).
 */
function hpvWindow(p: Person, at: IsoDate): Window | null {
  const regular = { from: fiscalYearStart(fiscalYearOfAge(p.dateOfBirth, 12)), to: fiscalYearEnd(fiscalYearOfAge(p.dateOfBirth, 16)) };
  const catchUp = p.dateOfBirth >= '1997-04-02' && p.dateOfBirth <= '2009-04-01' ? [{ from: '2022-04-01', to: '2026-03-31' }] : [];
  return pick(mergeWindows([regular, ...catchUp]), at);
}

/** 標準的な接種期間: 13歳となる日の属する年度 (中学1年生). */
function hpvStandard(p: Person): { from?: IsoDate; to?: IsoDate } {
  return fiscalYearWindow(fiscalYearOfAge(p.dateOfBirth, 13));
}

/** 帯状疱疹: the 年度 one turns 65, the transition 年度 (2025–2029) one turns 70 … 100, 100+ in 2025, or 60–64 with HIV. */
function zosterWindow(p: Person, at: IsoDate): Window | null {
  const windows: Window[] = [];
  const fy65 = fiscalYearOfAge(p.dateOfBirth, 65);
  if (fy65 >= 2025) windows.push(fiscalYearWindow(fy65));
  for (const age of [70, 75, 80, 85, 90, 95, 100]) {
    const fy = fiscalYearOfAge(p.dateOfBirth, age);
    if (fy >= 2025 && fy <= 2029) windows.push(fiscalYearWindow(fy));
  }
  if (fiscalYearOfAge(p.dateOfBirth, 100) <= 2025) windows.push(fiscalYearWindow(2025));
  if (p.disability60to64) windows.push({ from: yearsReached(p.dateOfBirth, 60), to: yearsReached(p.dateOfBirth, 65) });
  return pick(mergeWindows(windows), at);
}

function mergeWindows(ws: Window[]): Window[] {
  const sorted = ws.filter((w) => w.from <= w.to).sort((a, b) => (a.from < b.from ? -1 : 1));
  const out: Window[] = [];
  for (const w of sorted) {
    const last = out.at(-1);
    if (last && w.from <= addDays(last.to, 1)) last.to = w.to > last.to ? w.to : last.to;
    else out.push({ ...w });
  }
  return out;
}

/** The versions of the rules in force on `date`, one per vaccine. */
export function rulesAt(date: IsoDate): VaccineRule[] {
  return ROUTINE_VACCINES.filter((v) => v.validFrom <= date && (v.validTo === undefined || date <= v.validTo));
}

/**
 * The version of one vaccine's rule that applies at `date`: the one in force, else the next one to come
 * (a forecast before the start date), else none.
 */
export function ruleFor(code: string, date: IsoDate): VaccineRule | undefined {
  const versions = ROUTINE_VACCINES.filter((v) => v.vaccineCode === code);
  return (
    versions.find((v) => v.validFrom <= date && (v.validTo === undefined || date <= v.validTo)) ??
    versions.filter((v) => v.validFrom > date).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1))[0]
  );
}

export function differentVaccineIntervalAt(date: IsoDate): DifferentVaccineIntervalRule {
  return DIFFERENT_VACCINE_INTERVALS.find((r) => r.validFrom <= date && (r.validTo === undefined || date <= r.validTo))!;
}
