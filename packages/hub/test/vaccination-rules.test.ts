/**
 * The routine-vaccination rules, table by table: Japanese age arithmetic with the Ministry's own
 * examples, each vaccine's first and last allowed day, intervals at their edges (±1 day), schedules that
 * depend on the age at the first dose or the product, the 27-day rule between injectable live vaccines,
 * and the forecast's statuses. Pure functions: no service is needed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  afterBirth,
  afterInterval,
  checkDose,
  days,
  dualDate,
  fiscalYearOfAge,
  forecast,
  formatDualDate,
  months,
  monthsReached,
  schoolEntry,
  yearsReached,
  type GivenDose,
  type Person,
  type PlannedDose,
} from '../src/domain/vaccination/index.ts';

const codes = (person: Person, history: GivenDose[], planned: PlannedDose) => checkDose(person, history, planned).map((w) => w.code);
const dose = (vaccineCode: string, doseNumber: number, date: string, series?: string): GivenDose => ({
  vaccineCode,
  doseNumber,
  date,
  ...(series ? { series } : {}),
});

describe('Japanese age arithmetic', () => {
  it('生後n月 is the day before the same date n months later, or the month end (born 31 July → 生後2月 on 30 September)', () => {
    const table: Array<[string, number, string]> = [
      ['2024-07-31', 2, '2024-09-30'], // the Ministry's example (ロタウイルスワクチンに関するQ&A)
      ['2020-08-01', 2, '2020-09-30'], // same Q&A: born 2020-08-01 → 生後2月 2020-09-30
      ['2024-07-15', 2, '2024-09-14'],
      ['2023-12-31', 2, '2024-02-29'], // leap-year February has no 31st: its last day
      ['2022-12-31', 2, '2023-02-28'],
      ['2024-03-31', 1, '2024-04-30'],
      ['2024-03-30', 1, '2024-04-29'],
      ['2024-07-31', 60, '2029-07-30'],
    ];
    for (const [dob, n, expected] of table) assert.equal(monthsReached(dob, n), expected, `${dob} 生後${n}月`);
  });

  it('an age is reached the day before the birthday (29 February: 28 February)', () => {
    const table: Array<[string, number, string]> = [
      ['2014-04-01', 12, '2026-03-31'],
      ['2014-04-02', 12, '2026-04-01'],
      ['2020-02-29', 1, '2021-02-28'],
      ['2020-02-29', 4, '2024-02-28'],
    ];
    for (const [dob, n, expected] of table) assert.equal(yearsReached(dob, n), expected, `${dob} ${n}歳`);
  });

  it('出生n週m日後 counts the day after birth as day 1 (the Q&A: born 2020-08-01 → 6週0日後 2020-09-12, 14週6日後 2020-11-13)', () => {
    assert.equal(afterBirth('2020-08-01', 6, 0), '2020-09-12');
    assert.equal(afterBirth('2020-08-01', 14, 6), '2020-11-13');
    assert.equal(afterBirth('2024-07-31', 6), addDays('2024-07-31', 42));
    assert.equal(afterBirth('2024-07-31', 14, 6), addDays('2024-07-31', 104));
    assert.equal(afterBirth('2024-07-31', 24), addDays('2024-07-31', 168));
    assert.equal(afterBirth('2024-07-31', 32), addDays('2024-07-31', 224));
  });

  it('intervals: 27日以上 → the same weekday four weeks later; n月 → the same date n months later; n月半 → plus half that month', () => {
    const table: Array<[string, Parameters<typeof afterInterval>[1], string]> = [
      ['2026-04-04', days(27), '2026-05-02'],
      ['2026-04-01', days(6), '2026-04-08'],
      ['2026-04-01', days(139), '2026-08-19'],
      ['2023-04-01', months(3), '2023-07-01'], // 予防接種基本方針部会 資料: 4/1 + 3月 → 7/1
      ['2023-11-30', months(3), '2024-03-01'], // … a month with no such date: from the 1st of the next
      ['2024-08-31', months(6), '2025-03-01'],
      ['2023-04-01', months(2, true), '2023-06-16'], // 2月半: 6/1 + 15 (June has 30 days)
      ['2026-05-10', months(2, true), '2026-07-26'], // 7/10 + 16 (July has 31 days)
    ];
    for (const [from, period, expected] of table) assert.equal(afterInterval(from, period), expected, `${from} + ${JSON.stringify(period)}`);
  });

  it('school years run from 2 April: school entry and 「n歳となる日の属する年度」', () => {
    assert.equal(schoolEntry('2019-04-01'), '2025-04-01');
    assert.equal(schoolEntry('2019-04-02'), '2026-04-01');
    assert.equal(fiscalYearOfAge('2014-04-01', 12), 2025);
    assert.equal(fiscalYearOfAge('2014-04-02', 12), 2026);
  });

  it('formats dates in 和暦 beside 西暦 for the resident', () => {
    assert.deepEqual(dualDate('2019-05-01'), { date: '2019-05-01', wareki: '令和元年5月1日' });
    assert.equal(dualDate('2019-04-30').wareki, '平成31年4月30日');
    assert.equal(formatDualDate('2026-04-01'), '令和8年4月1日（2026-04-01）');
  });
});

describe('first and last allowed day of each vaccination', () => {
  const child: Person = { dateOfBirth: '2024-07-31', sex: '1' };
  const girl = (dateOfBirth: string): Person => ({ dateOfBirth, sex: '2' });
  type Row = {
    what: string;
    person: Person;
    history?: GivenDose[];
    planned: Omit<PlannedDose, 'date'>;
    from: string;
    to?: string;
    beforeFrom?: 'not-eligible';
    afterTo?: 'too-late' | 'too-early';
    ignore?: string[];
  };
  const table: Row[] = [
    { what: 'Hib 1回目 (生後2月から生後60月に至るまで)', person: child, planned: { vaccineCode: 'hib', doseNumber: 1 }, from: '2024-09-30', to: '2029-07-30' },
    { what: '小児肺炎球菌 1回目', person: child, planned: { vaccineCode: 'pcv', doseNumber: 1 }, from: '2024-09-30', to: '2029-07-30' },
    { what: 'B型肝炎 1回目 (1歳に至るまで)', person: child, planned: { vaccineCode: 'hepb', doseNumber: 1 }, from: '2024-07-31', to: '2025-07-30' },
    {
      what: 'ロタ 1価 1回目 (出生6週0日後から24週0日後)',
      person: child,
      planned: { vaccineCode: 'rota', doseNumber: 1, series: '1-valent' },
      from: '2024-09-11',
      to: '2025-01-15',
      ignore: ['not-recommended'],
    },
    {
      what: 'ロタ 5価 1回目 (… 32週0日後)',
      person: child,
      planned: { vaccineCode: 'rota', doseNumber: 1, series: '5-valent' },
      from: '2024-09-11',
      to: '2025-03-12',
      ignore: ['not-recommended'],
    },
    {
      what: '五種混合 第1期初回1回目 (生後2月から生後90月)',
      person: child,
      planned: { vaccineCode: 'dpt-ipv-hib', doseNumber: 1 },
      from: '2024-09-30',
      to: '2032-01-30',
    },
    { what: 'BCG (1歳に至るまで)', person: child, planned: { vaccineCode: 'bcg', doseNumber: 1 }, from: '2024-07-31', to: '2025-07-30' },
    { what: 'MR 第1期 (生後12月から生後24月)', person: child, planned: { vaccineCode: 'mr', doseNumber: 1 }, from: '2025-07-30', to: '2026-07-30' },
    {
      what: 'MR 第2期 (就学前の1年間)',
      person: child,
      history: [dose('mr', 1, '2025-08-01')],
      planned: { vaccineCode: 'mr', doseNumber: 2 },
      from: '2030-04-01',
      to: '2031-03-31',
    },
    { what: '水痘 1回目 (生後12月から生後36月)', person: child, planned: { vaccineCode: 'varicella', doseNumber: 1 }, from: '2025-07-30', to: '2027-07-30' },
    {
      what: '日本脳炎 第1期初回1回目 (生後6月から生後90月)',
      person: child,
      planned: { vaccineCode: 'je', doseNumber: 1 },
      from: '2025-01-30',
      to: '2032-01-30',
    },
    { what: '日本脳炎 第2期 (9歳以上13歳未満)', person: child, planned: { vaccineCode: 'je', doseNumber: 4 }, from: '2033-07-30', to: '2037-07-30' },
    {
      what: '日本脳炎 特例 (平成19年4月1日生まれ: 20歳未満まで)',
      person: { dateOfBirth: '2007-04-01' },
      planned: { vaccineCode: 'je', doseNumber: 1 },
      from: '2011-03-31',
      to: '2027-03-31',
    },
    { what: 'DT 第2期 (11歳以上13歳未満)', person: child, planned: { vaccineCode: 'dt', doseNumber: 1 }, from: '2035-07-30', to: '2037-07-30' },
    {
      what: 'HPV (12歳となる日の属する年度の初日から16歳となる日の属する年度の末日): born 1 April',
      person: girl('2014-04-01'),
      planned: { vaccineCode: 'hpv', doseNumber: 1, series: '4-valent' },
      from: '2025-04-01',
      to: '2030-03-31',
    },
    {
      what: 'HPV: born 2 April is a school year later',
      person: girl('2014-04-02'),
      planned: { vaccineCode: 'hpv', doseNumber: 1, series: '4-valent' },
      from: '2026-04-01',
      to: '2031-03-31',
    },
    {
      what: 'RSV 母子免疫 (妊娠28週0日から36週6日)',
      person: { dateOfBirth: '1995-05-05', sex: '2', expectedDeliveryDate: '2026-12-31' },
      planned: { vaccineCode: 'rsv-maternal', doseNumber: 1 },
      from: '2026-10-08',
      to: '2026-12-09',
    },
    {
      what: '高齢者肺炎球菌 (65歳の者)',
      person: { dateOfBirth: '1961-06-15' },
      planned: { vaccineCode: 'pcv-elderly', doseNumber: 1 },
      from: '2026-06-14',
      to: '2027-06-14',
    },
    {
      what: '帯状疱疹 (65歳となる年度)',
      person: { dateOfBirth: '1961-06-15' },
      planned: { vaccineCode: 'zoster', doseNumber: 1, series: 'live' },
      from: '2026-04-01',
      to: '2027-03-31',
    },
    {
      what: '帯状疱疹 経過措置 (令和8年度に70歳)',
      person: { dateOfBirth: '1956-04-02' },
      planned: { vaccineCode: 'zoster', doseNumber: 1 },
      from: '2026-04-01',
      to: '2027-03-31',
    },
    {
      what: '帯状疱疹 経過措置 (令和7年度に66歳 → 令和11年度に70歳)',
      person: { dateOfBirth: '1959-04-02' },
      planned: { vaccineCode: 'zoster', doseNumber: 1 },
      from: '2029-04-01',
      to: '2030-03-31',
    },
    {
      what: '帯状疱疹 100歳以上 (令和7年度に限り)',
      person: { dateOfBirth: '1920-01-01' },
      planned: { vaccineCode: 'zoster', doseNumber: 1 },
      from: '2025-04-01',
      to: '2026-03-31',
      beforeFrom: 'not-eligible',
    },
    {
      what: 'インフルエンザ (65歳以上, 10月1日から翌年3月31日)',
      person: { dateOfBirth: '1961-06-15' },
      planned: { vaccineCode: 'flu-elderly', doseNumber: 1 },
      from: '2026-10-01',
      to: '2027-03-31',
      afterTo: 'too-early',
    },
    {
      what: '新型コロナ (65歳以上)',
      person: { dateOfBirth: '1961-06-15' },
      planned: { vaccineCode: 'covid-elderly', doseNumber: 1 },
      from: '2026-10-01',
      to: '2027-03-31',
      afterTo: 'too-early',
    },
  ];
  for (const row of table) {
    it(row.what, () => {
      const at = (date: string) => codes(row.person, row.history ?? [], { ...row.planned, date }).filter((c) => !row.ignore?.includes(c));
      assert.deepEqual(at(row.from), [], `allowed on ${row.from}`);
      const before = row.beforeFrom ?? 'too-early';
      assert.ok(at(addDays(row.from, -1)).includes(before), `${before} on the day before ${row.from}: ${at(addDays(row.from, -1))}`);
      if (row.to) {
        assert.deepEqual(at(row.to), [], `allowed on ${row.to}`);
        assert.ok(at(addDays(row.to, 1)).includes(row.afterTo ?? 'too-late'), `closed the day after ${row.to}: ${at(addDays(row.to, 1))}`);
      }
    });
  }

  it('a person of 64 is too early for the elderly influenza until the day before the 65th birthday (or 60 with the disabilities)', () => {
    const p: Person = { dateOfBirth: '1962-06-15' };
    assert.ok(codes(p, [], { vaccineCode: 'flu-elderly', doseNumber: 1, date: '2026-12-01' }).includes('too-early'));
    assert.deepEqual(codes({ ...p, disability60to64: true }, [], { vaccineCode: 'flu-elderly', doseNumber: 1, date: '2026-12-01' }), []);
  });
});

describe('intervals between doses of one vaccine, at their edges', () => {
  const child: Person = { dateOfBirth: '2024-07-31' };
  type Row = { what: string; person?: Person; history: GivenDose[]; planned: Omit<PlannedDose, 'date'>; next: string };
  const table: Row[] = [
    {
      what: 'ロタ: 27日以上',
      history: [dose('rota', 1, '2024-10-01', '1-valent')],
      planned: { vaccineCode: 'rota', doseNumber: 2, series: '1-valent' },
      next: '2024-10-29',
    },
    { what: 'Hib 初回: 27日以上', history: [dose('hib', 1, '2024-10-01')], planned: { vaccineCode: 'hib', doseNumber: 2 }, next: '2024-10-29' },
    {
      what: 'Hib 追加: 初回終了後7月以上',
      history: [dose('hib', 1, '2024-10-01'), dose('hib', 2, '2024-11-01'), dose('hib', 3, '2024-12-01')],
      planned: { vaccineCode: 'hib', doseNumber: 4 },
      next: '2025-07-01',
    },
    {
      what: '五種混合 初回: 20日以上',
      history: [dose('dpt-ipv-hib', 1, '2024-10-01')],
      planned: { vaccineCode: 'dpt-ipv-hib', doseNumber: 2 },
      next: '2024-10-22',
    },
    {
      what: '五種混合 追加: 初回終了後6月以上',
      history: [dose('dpt-ipv-hib', 1, '2024-10-01'), dose('dpt-ipv-hib', 2, '2024-11-01'), dose('dpt-ipv-hib', 3, '2024-12-01')],
      planned: { vaccineCode: 'dpt-ipv-hib', doseNumber: 4 },
      next: '2025-06-01',
    },
    {
      what: '小児肺炎球菌 追加: 60日以上かつ生後12月以降',
      history: [dose('pcv', 1, '2024-10-01'), dose('pcv', 2, '2024-11-01'), dose('pcv', 3, '2025-07-01')],
      planned: { vaccineCode: 'pcv', doseNumber: 4 },
      next: '2025-08-31',
    },
    {
      what: 'B型肝炎 3回目: 1回目から139日以上',
      history: [dose('hepb', 1, '2024-10-01'), dose('hepb', 2, '2024-11-01')],
      planned: { vaccineCode: 'hepb', doseNumber: 3 },
      next: '2025-02-18',
    },
    { what: '水痘 2回目: 3月以上', history: [dose('varicella', 1, '2025-08-01')], planned: { vaccineCode: 'varicella', doseNumber: 2 }, next: '2025-11-01' },
    { what: '日本脳炎 初回2回目: 6日以上', history: [dose('je', 1, '2027-08-01')], planned: { vaccineCode: 'je', doseNumber: 2 }, next: '2027-08-08' },
    {
      what: '日本脳炎 追加: 6月以上',
      history: [dose('je', 1, '2027-08-01'), dose('je', 2, '2027-08-20')],
      planned: { vaccineCode: 'je', doseNumber: 3 },
      next: '2028-02-20',
    },
    {
      what: 'HPV 2価 3回目: 1回目から5月以上かつ2回目から2月半以上',
      person: { dateOfBirth: '2013-06-01', sex: '2' },
      history: [dose('hpv', 1, '2026-04-10', '2-valent'), dose('hpv', 2, '2026-05-10', '2-valent')],
      planned: { vaccineCode: 'hpv', doseNumber: 3, series: '2-valent' },
      next: '2026-09-10',
    },
    {
      what: 'HPV 2価 3回目: the 2月半 after a late 2回目 decides',
      person: { dateOfBirth: '2013-06-01', sex: '2' },
      history: [dose('hpv', 1, '2026-04-10', '2-valent'), dose('hpv', 2, '2026-08-10', '2-valent')],
      planned: { vaccineCode: 'hpv', doseNumber: 3, series: '2-valent' },
      next: '2026-10-26',
    },
    {
      what: 'HPV 4価 3回目: 2回目から3月以上',
      person: { dateOfBirth: '2013-06-01', sex: '2' },
      history: [dose('hpv', 1, '2026-04-10', '4-valent'), dose('hpv', 2, '2026-06-10', '4-valent')],
      planned: { vaccineCode: 'hpv', doseNumber: 3, series: '4-valent' },
      next: '2026-09-10',
    },
    {
      what: 'HPV 9価 15歳未満で開始: 2回目は5月以上',
      person: { dateOfBirth: '2013-06-01', sex: '2' },
      history: [dose('hpv', 1, '2026-04-10', '9-valent')],
      planned: { vaccineCode: 'hpv', doseNumber: 2, series: '9-valent' },
      next: '2026-09-10',
    },
    {
      what: '帯状疱疹 組換え 2回目: 2月以上',
      person: { dateOfBirth: '1961-06-15' },
      history: [dose('zoster', 1, '2026-05-01', 'recombinant')],
      planned: { vaccineCode: 'zoster', doseNumber: 2, series: 'recombinant' },
      next: '2026-07-01',
    },
  ];
  for (const row of table) {
    it(row.what, () => {
      const person = row.person ?? child;
      const before = checkDose(person, row.history, { ...row.planned, date: addDays(row.next, -1) });
      const interval = before.find((w) => w.code === 'interval');
      assert.ok(interval, `interval warning the day before ${row.next}: ${JSON.stringify(before)}`);
      assert.equal(interval.nextAllowed, row.next);
      assert.match(interval.message, new RegExp(`次に接種できる日: ${row.next}`));
      assert.deepEqual(codes(person, row.history, { ...row.planned, date: row.next }), [], `no warning on ${row.next}`);
    });
  }

  it('says it in plain Japanese: 前回の接種から27日以上の間隔が必要です（次に接種できる日: …）', () => {
    const [w] = checkDose(child, [dose('hib', 1, '2024-10-01')], { vaccineCode: 'hib', doseNumber: 2, date: '2024-10-15' });
    assert.equal(w.message, '前回の接種（初回1回目、2024-10-01）から27日以上の間隔が必要です（次に接種できる日: 2024-10-29）');
  });

  it('warns of a dose given without the one before it', () => {
    assert.ok(codes(child, [], { vaccineCode: 'dpt-ipv-hib', doseNumber: 2, date: '2024-11-01' }).includes('missing-previous-dose'));
    assert.ok(codes(child, [dose('hepb', 1, '2024-10-01')], { vaccineCode: 'hepb', doseNumber: 3, date: '2025-03-01' }).includes('missing-previous-dose'));
    // MR 第2期 does not need 第1期.
    assert.deepEqual(codes(child, [], { vaccineCode: 'mr', doseNumber: 2, date: '2030-06-01' }), []);
  });
});

describe('schedules that depend on the age at the first dose (Hib, PCV) or the product (HPV, rotavirus)', () => {
  const dob = '2024-07-31'; // 生後7月 = 2025-02-28 (month end), 生後12月 = 2025-07-30, 生後24月 = 2026-07-30
  const child: Person = { dateOfBirth: dob };
  const seriesAfter = (code: string, first: string, asOf = first) => {
    const entries = forecast(child, [dose(code, 1, first)], asOf).filter((e) => e.vaccineCode === code);
    return { series: entries[0]?.series, doses: entries.length };
  };

  it('Hib: 4 doses when started by 生後7月, 3 from the next day, 1 after 生後12月', () => {
    assert.deepEqual(seriesAfter('hib', '2025-02-28'), { series: 'start-2m-7m', doses: 4 });
    assert.deepEqual(seriesAfter('hib', '2025-03-01'), { series: 'start-7m-12m', doses: 3 });
    assert.deepEqual(seriesAfter('hib', '2025-07-30'), { series: 'start-7m-12m', doses: 3 });
    assert.deepEqual(seriesAfter('hib', '2025-07-31'), { series: 'start-12m-60m', doses: 1 });
    assert.ok(
      codes(child, [dose('hib', 1, '2025-03-01'), dose('hib', 2, '2025-04-01'), dose('hib', 3, '2025-11-01')], {
        vaccineCode: 'hib',
        doseNumber: 4,
        date: '2026-01-01',
      }).includes('not-eligible'),
    );
  });

  it('PCV: 4, 3, 2 or 1 doses by the age at the first', () => {
    assert.deepEqual(seriesAfter('pcv', '2025-02-28'), { series: 'start-2m-7m', doses: 4 });
    assert.deepEqual(seriesAfter('pcv', '2025-03-01'), { series: 'start-7m-12m', doses: 3 });
    assert.deepEqual(seriesAfter('pcv', '2025-07-31'), { series: 'start-12m-24m', doses: 2 });
    assert.deepEqual(seriesAfter('pcv', '2026-07-31'), { series: 'start-24m-60m', doses: 1 });
  });

  it('Hib: primary doses past 生後12月 are left out and the booster follows 27 days after the last one', () => {
    const history = [dose('hib', 1, '2025-01-15'), dose('hib', 2, '2025-02-20')];
    const f = forecast(child, history, '2025-09-01').filter((e) => e.vaccineCode === 'hib');
    assert.deepEqual(
      f.map((e) => [e.doseNumber, e.status]),
      [
        [1, 'complete'],
        [2, 'complete'],
        [3, 'not-eligible'],
        [4, 'due'],
      ],
    );
    // 27 days after the 2nd dose, once the 3rd is left out: from the day after 生後12月.
    assert.equal(f[3].earliest, '2025-07-31');
    assert.ok(
      codes(child, history, { vaccineCode: 'hib', doseNumber: 4, date: '2025-07-30' }).includes('interval'),
      'while the 3rd may still be given, 7 months',
    );
    assert.deepEqual(codes(child, history, { vaccineCode: 'hib', doseNumber: 4, date: '2025-07-31' }), []);
    assert.ok(codes(child, history, { vaccineCode: 'hib', doseNumber: 3, date: '2025-07-31' }).includes('too-late'));
    assert.deepEqual(codes(child, history, { vaccineCode: 'hib', doseNumber: 3, date: '2025-07-30' }), []);
  });

  it('PCV: a 2nd primary dose after 生後12月 means no 3rd; the booster follows it by 60 days', () => {
    const history = [dose('pcv', 1, '2025-02-01'), dose('pcv', 2, '2025-08-01')];
    const f = forecast(child, history, '2025-08-02').filter((e) => e.vaccineCode === 'pcv');
    assert.deepEqual(
      f.map((e) => [e.doseNumber, e.status]),
      [
        [1, 'complete'],
        [2, 'complete'],
        [3, 'not-eligible'],
        [4, 'upcoming'],
      ],
    );
    assert.equal(f[3].earliest, '2025-10-01');
    assert.ok(codes(child, history, { vaccineCode: 'pcv', doseNumber: 3, date: '2025-09-01' }).includes('not-eligible'));
  });

  it('HPV 9価: 2 doses when the first is given by 15歳, 3 after; a 2nd dose under 5 months turns it into 3', () => {
    const girl: Person = { dateOfBirth: '2011-06-01', sex: '2' }; // 15歳 on 2026-05-31
    const seriesOf = (history: GivenDose[], asOf: string) =>
      forecast(girl, history, asOf)
        .filter((e) => e.vaccineCode === 'hpv')
        .map((e) => [e.series, e.doseNumber, e.status]);
    assert.deepEqual(seriesOf([dose('hpv', 1, '2026-05-31', '9-valent')], '2026-06-01'), [
      ['9-valent-2-dose', 1, 'complete'],
      ['9-valent-2-dose', 2, 'upcoming'],
    ]);
    assert.deepEqual(seriesOf([dose('hpv', 1, '2026-06-01', '9-valent')], '2026-06-02'), [
      ['9-valent', 1, 'complete'],
      ['9-valent', 2, 'upcoming'],
      ['9-valent', 3, 'upcoming'],
    ]);
    const early = [dose('hpv', 1, '2026-01-10', '9-valent'), dose('hpv', 2, '2026-04-10', '9-valent')];
    const f = forecast(girl, early, '2026-04-11').filter((e) => e.vaccineCode === 'hpv');
    assert.deepEqual(
      f.map((e) => [e.series, e.doseNumber, e.status]),
      [
        ['9-valent', 1, 'complete'],
        ['9-valent', 2, 'complete'],
        ['9-valent', 3, 'upcoming'],
      ],
    );
    assert.equal(f[2].earliest, '2026-07-10');
  });

  it('HPV: boys are not eligible; 9価 is routine only from 2023-04-01', () => {
    assert.ok(codes({ dateOfBirth: '2013-06-01', sex: '1' }, [], { vaccineCode: 'hpv', doseNumber: 1, date: '2026-06-01' }).includes('not-eligible'));
    assert.ok(
      codes({ dateOfBirth: '2009-06-01', sex: '2' }, [], { vaccineCode: 'hpv', doseNumber: 1, series: '9-valent', date: '2023-03-31' }).includes(
        'not-eligible',
      ),
    );
    assert.deepEqual(codes({ dateOfBirth: '2009-06-01', sex: '2' }, [], { vaccineCode: 'hpv', doseNumber: 1, series: '9-valent', date: '2023-04-01' }), []);
  });

  it('ロタ: the 2nd dose of 1価 ends on 出生24週0日後, the 3rd of 5価 on 32週0日後; a first dose after 14週6日後 is advised against', () => {
    const r1 = [dose('rota', 1, '2024-10-01', '1-valent')];
    assert.deepEqual(codes(child, r1, { vaccineCode: 'rota', doseNumber: 2, series: '1-valent', date: addDays(dob, 168) }), []);
    assert.ok(codes(child, r1, { vaccineCode: 'rota', doseNumber: 2, series: '1-valent', date: addDays(dob, 169) }).includes('too-late'));
    const r5 = [dose('rota', 1, '2024-10-01', '5-valent'), dose('rota', 2, '2024-11-01', '5-valent')];
    assert.deepEqual(codes(child, r5, { vaccineCode: 'rota', doseNumber: 3, series: '5-valent', date: addDays(dob, 224) }), []);
    assert.ok(codes(child, r5, { vaccineCode: 'rota', doseNumber: 3, series: '5-valent', date: addDays(dob, 225) }).includes('too-late'));
    assert.ok(codes(child, r1, { vaccineCode: 'rota', doseNumber: 3, series: '1-valent', date: '2025-01-01' }).includes('not-eligible'), '1価 has no 3rd dose');
    assert.deepEqual(codes(child, [], { vaccineCode: 'rota', doseNumber: 1, date: addDays(dob, 104) }), []);
    assert.deepEqual(codes(child, [], { vaccineCode: 'rota', doseNumber: 1, date: addDays(dob, 105) }), ['not-recommended']);
    assert.ok(
      codes({ dateOfBirth: '2020-07-31' }, [], { vaccineCode: 'rota', doseNumber: 1, date: '2020-10-01' }).includes('not-eligible'),
      'born before 2020-08-01',
    );
  });
});

describe('the 27-day rule between injectable live vaccines', () => {
  const child: Person = { dateOfBirth: '2024-07-31' };
  it('MR then 水痘: from the 28th day, not before; the same day is allowed', () => {
    const history = [dose('mr', 1, '2025-08-01')];
    const before = checkDose(child, history, { vaccineCode: 'varicella', doseNumber: 1, date: '2025-08-28' });
    assert.deepEqual(
      before.map((w) => w.code),
      ['live-vaccine-interval'],
    );
    assert.equal(before[0].nextAllowed, '2025-08-29');
    assert.match(before[0].message, /27日以上の間隔が必要です（次に接種できる日: 2025-08-29）/);
    assert.deepEqual(codes(child, history, { vaccineCode: 'varicella', doseNumber: 1, date: '2025-08-29' }), []);
    assert.deepEqual(codes(child, history, { vaccineCode: 'varicella', doseNumber: 1, date: '2025-08-01' }), []);
  });

  it('since 2020-10-01 neither an oral live vaccine nor an inactivated one imposes an interval', () => {
    assert.deepEqual(codes(child, [dose('hib', 1, '2025-07-30')], { vaccineCode: 'mr', doseNumber: 1, date: '2025-07-31' }), []);
    assert.deepEqual(codes(child, [dose('rota', 1, '2024-09-20', '1-valent')], { vaccineCode: 'bcg', doseNumber: 1, date: '2024-09-21' }), []);
    assert.deepEqual(codes(child, [dose('bcg', 1, '2024-09-20')], { vaccineCode: 'rota', doseNumber: 1, date: '2024-09-21' }), []);
  });

  it('BCG counts as an injectable (non-oral) live vaccine', () => {
    const late: Person = { dateOfBirth: '2024-08-10' };
    assert.deepEqual(codes(late, [dose('bcg', 1, '2025-07-20')], { vaccineCode: 'mr', doseNumber: 1, date: '2025-08-09' }), ['live-vaccine-interval']);
  });

  it('before 2020-10-01: 27 days after any live vaccine, 6 days after an inactivated one, before any other', () => {
    const older: Person = { dateOfBirth: '2019-01-15' };
    assert.deepEqual(codes(older, [dose('mr', 1, '2020-01-20')], { vaccineCode: 'hib', doseNumber: 1, date: '2020-02-10' }), ['live-vaccine-interval']);
    assert.deepEqual(codes(older, [dose('hib', 1, '2020-02-01')], { vaccineCode: 'pcv', doseNumber: 1, date: '2020-02-05' }), ['interval']);
    assert.deepEqual(codes(older, [dose('hib', 1, '2020-02-01')], { vaccineCode: 'pcv', doseNumber: 1, date: '2020-02-08' }), []);
  });

  it('the forecast moves an injectable live dose past the 27 days', () => {
    const f = forecast(child, [dose('mr', 1, '2025-08-01')], '2025-08-05').find((e) => e.vaccineCode === 'varicella' && e.doseNumber === 1)!;
    assert.equal(f.earliest, '2025-08-29');
    assert.equal(f.status, 'upcoming');
  });

  it('帯状疱疹: the live schedule is held to it, the recombinant one is not', () => {
    const old: Person = { dateOfBirth: '1961-06-15' };
    // No other injectable live routine vaccine exists at 65; the rule is checked against any recorded one.
    const history = [dose('varicella', 2, '2026-05-01')];
    assert.deepEqual(codes(old, history, { vaccineCode: 'zoster', doseNumber: 1, series: 'live', date: '2026-05-10' }), ['live-vaccine-interval']);
    assert.deepEqual(codes(old, history, { vaccineCode: 'zoster', doseNumber: 1, series: 'recombinant', date: '2026-05-10' }), []);
    // A zoster record that does not say which product counts as live for the next injectable live vaccine.
    const child: Person = { dateOfBirth: '2025-05-01' };
    assert.deepEqual(codes(child, [dose('zoster', 1, '2026-05-01')], { vaccineCode: 'mr', doseNumber: 1, date: '2026-05-10' }), ['live-vaccine-interval']);
    assert.deepEqual(codes(child, [dose('zoster', 1, '2026-05-01', 'recombinant')], { vaccineCode: 'mr', doseNumber: 1, date: '2026-05-10' }), []);
  });
});

describe('duplicates, expired lots and eligibility', () => {
  const child: Person = { dateOfBirth: '2024-07-31' };
  it('a second record of the same dose is a duplicate; so is a second influenza dose in one 年度', () => {
    assert.ok(codes(child, [dose('hib', 1, '2024-10-01')], { vaccineCode: 'hib', doseNumber: 1, date: '2024-10-02' }).includes('duplicate-dose'));
    const elder: Person = { dateOfBirth: '1950-01-01' };
    assert.ok(
      codes(elder, [dose('flu-elderly', 1, '2026-10-10')], { vaccineCode: 'flu-elderly', doseNumber: 1, date: '2027-01-10' }).includes('duplicate-dose'),
    );
    assert.deepEqual(codes(elder, [dose('flu-elderly', 1, '2026-03-10')], { vaccineCode: 'flu-elderly', doseNumber: 1, date: '2026-10-10' }), [], 'a new 年度');
  });

  it('帯状疱疹 once in a life: a live dose after a completed recombinant schedule is a duplicate', () => {
    const p: Person = { dateOfBirth: '1961-06-15' };
    const history = [dose('zoster', 1, '2026-05-01', 'recombinant'), dose('zoster', 2, '2026-07-01', 'recombinant')];
    assert.ok(codes(p, history, { vaccineCode: 'zoster', doseNumber: 1, series: 'live', date: '2026-09-01' }).includes('duplicate-dose'));
    assert.ok(
      forecast(p, history, '2026-09-01')
        .filter((e) => e.vaccineCode === 'zoster')
        .every((e) => e.status === 'complete'),
    );
  });

  it('RSV 母子免疫: once per pregnancy', () => {
    const p: Person = { dateOfBirth: '1995-05-05', sex: '2', expectedDeliveryDate: '2026-12-31' };
    assert.ok(codes(p, [dose('rsv-maternal', 1, '2026-10-20')], { vaccineCode: 'rsv-maternal', doseNumber: 1, date: '2026-11-20' }).includes('duplicate-dose'));
    const next: Person = { ...p, expectedDeliveryDate: '2028-06-30' };
    assert.deepEqual(codes(next, [dose('rsv-maternal', 1, '2026-10-20')], { vaccineCode: 'rsv-maternal', doseNumber: 1, date: '2028-05-01' }), []);
  });

  it('a lot past its expiry', () => {
    assert.deepEqual(codes(child, [], { vaccineCode: 'bcg', doseNumber: 1, date: '2025-02-01', lotExpiry: '2025-01-31' }), ['expired-lot']);
    assert.deepEqual(codes(child, [], { vaccineCode: 'bcg', doseNumber: 1, date: '2025-02-01', lotExpiry: '2025-02-01' }), []);
  });

  it('not eligible: before a vaccine became routine, outside the birth cohort, an unknown vaccine or dose', () => {
    assert.ok(codes({ dateOfBirth: '1960-06-15' }, [], { vaccineCode: 'zoster', doseNumber: 1, date: '2025-03-31' }).includes('not-eligible'));
    assert.ok(
      codes({ dateOfBirth: '1990-01-01', sex: '2', expectedDeliveryDate: '2026-05-31' }, [], {
        vaccineCode: 'rsv-maternal',
        doseNumber: 1,
        date: '2026-03-31',
      }).includes('not-eligible'),
    );
    assert.ok(codes({ dateOfBirth: '2016-03-31' }, [], { vaccineCode: 'hepb', doseNumber: 1, date: '2016-10-01' }).includes('not-eligible'));
    assert.ok(codes(child, [], { vaccineCode: 'mumps', doseNumber: 1, date: '2025-09-01' }).includes('not-eligible'));
    assert.ok(codes(child, [], { vaccineCode: 'bcg', doseNumber: 2, date: '2025-02-01' }).includes('not-eligible'));
    assert.ok(
      codes({ dateOfBirth: '1990-01-01', sex: '2' }, [], { vaccineCode: 'rsv-maternal', doseNumber: 1, date: '2026-05-01' }).includes('not-eligible'),
      'no pregnancy known',
    );
  });

  it('四種混合 could start at 生後3月 before 2023-04-01, at 生後2月 since', () => {
    const p: Person = { dateOfBirth: '2022-10-15' }; // 生後2月 2022-12-14, 生後3月 2023-01-14
    assert.ok(codes(p, [], { vaccineCode: 'dpt-ipv', doseNumber: 1, date: '2022-12-20' }).includes('too-early'));
    assert.deepEqual(codes(p, [], { vaccineCode: 'dpt-ipv', doseNumber: 1, date: '2023-01-14' }), []);
    const q: Person = { dateOfBirth: '2023-02-15' };
    assert.deepEqual(codes(q, [], { vaccineCode: 'dpt-ipv', doseNumber: 1, date: '2023-04-14' }), []);
  });
});

describe('forecast', () => {
  it("a baby: due now, upcoming later, in the contract's shape, with 五種混合 standing for 四種混合 + Hib", () => {
    const f = forecast({ dateOfBirth: '2026-09-15', sex: '2' }, [], '2026-12-02');
    const pick = (code: string, n: number) => f.find((e) => e.vaccineCode === code && e.doseNumber === n)!;
    assert.deepEqual(pick('dpt-ipv-hib', 1), {
      vaccineCode: 'dpt-ipv-hib',
      series: 'period-1',
      doseNumber: 1,
      label: '第1期初回1回目',
      status: 'due',
      earliest: '2026-11-14',
      recommended: '2026-11-14',
      latest: '2034-03-14',
    });
    assert.equal(pick('mr', 1).status, 'upcoming');
    assert.equal(pick('mr', 1).earliest, '2027-09-14');
    assert.ok(!f.some((e) => e.vaccineCode === 'hib' || e.vaccineCode === 'dpt-ipv'), '五種混合 stands for them');
    assert.ok(!f.some((e) => e.vaccineCode === 'flu-elderly' || e.vaccineCode === 'zoster'), 'nothing decades ahead');
    for (const e of f) assert.ok(!e.recommended || (e.recommended >= e.earliest! && e.recommended <= e.latest!), JSON.stringify(e));
  });

  it('a child who started 四種混合 and Hib goes on with them', () => {
    const f = forecast({ dateOfBirth: '2024-01-10' }, [dose('dpt-ipv', 1, '2024-03-15'), dose('hib', 1, '2024-03-15')], '2024-04-20');
    assert.ok(f.some((e) => e.vaccineCode === 'dpt-ipv' && e.doseNumber === 2 && e.status === 'due'));
    assert.ok(f.some((e) => e.vaccineCode === 'hib' && e.doseNumber === 2 && e.status === 'due'));
    assert.ok(!f.some((e) => e.vaccineCode === 'dpt-ipv-hib'));
  });

  it('overdue past the standard period while still allowed, not-eligible once the window closed', () => {
    const child: Person = { dateOfBirth: '2024-07-31' };
    const bcg = (asOf: string) => forecast(child, [], asOf, { includeNotEligible: true }).find((e) => e.vaccineCode === 'bcg')!;
    assert.equal(bcg('2025-03-01').status, 'due'); // 標準 生後5–8月 (until 2025-03-30)
    assert.equal(bcg('2025-04-01').status, 'overdue');
    assert.equal(bcg('2025-07-30').status, 'overdue');
    assert.equal(bcg('2025-07-31').status, 'not-eligible');
  });

  it('marks doses given complete, and the elderly seasonal ones per 年度', () => {
    const f = forecast({ dateOfBirth: '1956-06-01' }, [dose('flu-elderly', 1, '2026-10-20')], '2026-12-02');
    assert.deepEqual(
      f.find((e) => e.vaccineCode === 'flu-elderly'),
      { vaccineCode: 'flu-elderly', series: 'seasonal', doseNumber: 1, label: '2026年度', status: 'complete' },
    );
    const covid = f.find((e) => e.vaccineCode === 'covid-elderly')!;
    assert.deepEqual([covid.status, covid.earliest, covid.latest], ['due', '2026-10-01', '2027-03-31']);
    const zoster = f.filter((e) => e.vaccineCode === 'zoster');
    assert.deepEqual(
      zoster.map((e) => [e.series, e.doseNumber, e.status]),
      [
        ['recombinant', 1, 'due'],
        ['recombinant', 2, 'upcoming'],
      ],
    );
  });

  it('日本脳炎 特例: a person born 2007-04-01 may still complete the four doses before turning 20', () => {
    const f = forecast({ dateOfBirth: '2007-04-01' }, [dose('je', 1, '2010-05-01')], '2026-12-02').filter((e) => e.vaccineCode === 'je');
    assert.deepEqual(
      f.map((e) => [e.series, e.doseNumber, e.status, e.latest]),
      [
        ['cohort-1995-2007', 1, 'complete', undefined],
        ['cohort-1995-2007', 2, 'due', '2027-03-31'],
        ['cohort-1995-2007', 3, 'upcoming', '2027-03-31'],
        ['cohort-1995-2007', 4, 'upcoming', '2027-03-31'],
      ],
    );
    assert.equal(
      forecast({ dateOfBirth: '2007-04-02' }, [dose('je', 1, '2010-05-01')], '2026-12-02').filter(
        (e) => e.vaccineCode === 'je' && e.status !== 'complete' && e.status !== 'not-eligible',
      ).length,
      0,
    );
  });

  it('RSV 母子免疫 for a pregnant person, from 2026-04-01', () => {
    const p: Person = { dateOfBirth: '1995-05-05', sex: '2', expectedDeliveryDate: '2026-05-31' };
    const early = forecast(p, [], '2026-02-01').find((e) => e.vaccineCode === 'rsv-maternal')!;
    assert.deepEqual([early.status, early.earliest, early.latest], ['upcoming', '2026-04-01', '2026-05-09']);
  });
});
