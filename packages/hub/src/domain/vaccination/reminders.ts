/**
 * Reminders (勧奨通知, seed B③): which doses of a person have fallen due, and what the notification
 * says. Pure: the job (worker/vaccination-jobs.ts) reads the subjects and doses, sends once per
 * (subject, vaccine, dose, occasion).
 */
import { fiscalYearOf, type IsoDate } from './japanese-age.ts';
import { formatDualDate } from './display.ts';
import { ruleFor } from './routine-schedule.ts';
import type { GivenDose } from './rule-types.ts';
import { forecast, type ForecastEntry } from './schedule.ts';

/** Vaccines given once per 年度 (B類, 予防接種法施行令 第3条: インフルエンザ, 新型コロナ): each season is its own occasion. */
const SEASONAL = new Set(['flu-elderly', 'covid-elderly']);

export interface DueDose {
  vaccineCode: string;
  series: string | null;
  doseNumber: number;
  /** '' or, for a seasonal vaccine, the 年度 (e.g. "2026"): a dose is reminded once per occasion. */
  occasion: string;
  entry: ForecastEntry;
}

/** The doses of the person's schedule that are `due` on `today`, of the vaccines in `vaccines`. */
export function dueDoses(person: { dateOfBirth: IsoDate; sex: string }, given: GivenDose[], today: IsoDate, vaccines: ReadonlySet<string>): DueDose[] {
  return forecast(person, given, today)
    .filter((e) => e.status === 'due' && vaccines.has(e.vaccineCode))
    .map((e) => ({
      vaccineCode: e.vaccineCode,
      series: e.series ?? null,
      doseNumber: e.doseNumber,
      occasion: SEASONAL.has(e.vaccineCode) ? String(fiscalYearOf(today)) : '',
      entry: e,
    }));
}

/** The notification of one due dose, in Japanese, its dates in 和暦 and 西暦. */
export function reminderText(d: DueDose, today: IsoDate): { title: string; body: string } {
  const name = ruleFor(d.vaccineCode, today)?.name ?? d.vaccineCode;
  const { label, earliest, recommended, latest } = d.entry;
  const lines = [`${name}（${label}）の予防接種を受けられる時期になりました。`];
  if (earliest || latest) lines.push(`接種できる期間: ${earliest ? formatDualDate(earliest) : ''}から${latest ? `${formatDualDate(latest)}まで` : ''}`);
  if (recommended) lines.push(`標準的な接種時期: ${formatDualDate(recommended)}から`);
  lines.push('医療機関に予約のうえ、マイナンバーカードをお持ちください。予診票はマイナポータルで事前に入力できます。');
  return { title: `予防接種のお知らせ: ${name}（${label}）`, body: lines.join('\n') };
}
