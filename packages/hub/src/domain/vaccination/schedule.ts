/**
 * The routine schedule applied to one person: `forecast` (which doses are due, when, until when) and
 * `checkDose` (what is wrong with a dose planned for a date). Both read the same rules
 * (`routine-schedule.ts`) through the same dose plan, so a forecast's `earliest` is exactly the first
 * day `checkDose` accepts. Pure: no I/O, no clock (the caller passes `asOf`).
 */
import { addDays, afterInterval, describePeriod, fiscalYearOf, maxDate, minDate, type IsoDate, type Period } from './japanese-age.ts';
import { DIFFERENT_VACCINE_INTERVALS, ROUTINE_VACCINES, differentVaccineIntervalAt, ruleFor } from './routine-schedule.ts';
import type { DoseRule, GivenDose, Person, SeriesRule, VaccineRule } from './rule-types.ts';

export type ForecastStatus = 'due' | 'overdue' | 'upcoming' | 'complete' | 'not-eligible';

/** One dose of the forecast (the contract's shape, plus `label` and, when not eligible, `reason`). */
export interface ForecastEntry {
  vaccineCode: string;
  series?: string;
  doseNumber: number;
  /** 初回1回目, 第2期, 2026年度 … */
  label: string;
  status: ForecastStatus;
  /** First day the dose is allowed (age, intervals, the 27-day rule between injectable live vaccines). */
  earliest?: IsoDate;
  /** First day of the standard period (標準的な接種期間・間隔), when the rules give one. */
  recommended?: IsoDate;
  /** Last day the dose is a routine vaccination. */
  latest?: IsoDate;
  /** Why the dose cannot be given (not-eligible). */
  reason?: string;
}

export interface ForecastOptions {
  /** Leave out vaccines whose first open dose is further ahead than this (days after asOf). Default 13 years. */
  horizonDays?: number;
  /** List vaccines the person cannot have at all (and missed ones with no dose) as not-eligible. Default false. */
  includeNotEligible?: boolean;
}

export const WARNING_CODES = [
  'too-early',
  'too-late',
  'interval',
  'live-vaccine-interval',
  'duplicate-dose',
  'expired-lot',
  'not-eligible',
  'missing-previous-dose',
  'not-recommended',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface DoseWarning {
  code: WarningCode;
  /** Plain Japanese for the doctor's screen. */
  message: string;
  /** The first day the rule that raised the warning would accept, where there is one. */
  nextAllowed?: IsoDate;
}

export interface PlannedDose {
  vaccineCode: string;
  doseNumber: number;
  series?: string;
  date: IsoDate;
  /** 有効期限 of the lot (from the GS1 AI 17 element), when known. */
  lotExpiry?: IsoDate;
}

const DEFAULT_HORIZON_DAYS = 365 * 13;

// --- series and doses --------------------------------------------------------------------

/** The doses of one vaccine that count for this schedule decision (this season, this pregnancy, all). */
function countedDoses(rule: VaccineRule, p: Person, own: GivenDose[], at: IsoDate): GivenDose[] {
  if (rule.perFiscalYear) return own.filter((d) => fiscalYearOf(d.date) === seasonOf(rule, p, at));
  if (rule.perPregnancy) {
    const conception = p.expectedDeliveryDate ? addDays(p.expectedDeliveryDate, -280) : null;
    return own.filter((d) => conception !== null && d.date > conception);
  }
  return own;
}

function byDose(doses: GivenDose[]): Map<number, IsoDate> {
  const given = new Map<number, IsoDate>();
  for (const d of doses) if (!given.has(d.doseNumber) || d.date < given.get(d.doseNumber)!) given.set(d.doseNumber, d.date);
  return given;
}

/** Does a record's `series` (a schedule id or a product) name this schedule or its product? */
function matchesTag(rule: VaccineRule, s: SeriesRule, tag: string): boolean {
  const named = rule.series.find((o) => o.series === tag);
  return s.series === tag || (named ? s.product === named.product : s.product === tag);
}

/**
 * Which schedule applies: one the records (or the planned dose) name, else by the first dose's date
 * (given, planned, or — for a forecast — the first day it could still be given).
 */
function resolveSeries(
  rule: VaccineRule,
  p: Person,
  doses: GivenDose[],
  tag: string | undefined,
  at: IsoDate,
  firstPlanned: IsoDate | null,
): SeriesRule | undefined {
  const tags = [tag, ...doses.map((d) => d.series)].filter((t): t is string => !!t && rule.series.some((s) => matchesTag(rule, s, t)));
  const candidates = tags.length ? rule.series.filter((s) => matchesTag(rule, s, tags[0])) : rule.series;
  const given = byDose(doses);
  const first = given.get(1) ?? minDate(...doses.map((d) => d.date)) ?? firstPlanned;
  for (const s of candidates) {
    if (first !== null) {
      if (!s.appliesTo || s.appliesTo(p, first, given)) return s;
      continue;
    }
    // Forecast with nothing given: the first day dose 1 could still be given decides.
    const w = s.doses[0].window(p, at);
    if (!w) continue;
    const projected = maxDate(at, w.from, s.validFrom, rule.validFrom)!;
    if (projected > w.to) continue;
    if (!s.appliesTo || s.appliesTo(p, projected, given)) return s;
  }
  // Nothing fits any more: show the first candidate (its doses come out not-eligible).
  return first === null ? candidates[0] : undefined;
}

/**
 * What kind of vaccine a recorded dose was (BCG counts as injectable: percutaneous, not oral). A record
 * that does not say which product of a vaccine with live and non-live ones (帯状疱疹) is taken as live,
 * so the 27-day rule is rather shown once too often than missed.
 */
function liveKind(d: GivenDose): 'injectable-live' | 'oral-live' | 'inactivated' {
  const rule = ruleFor(d.vaccineCode, d.date);
  if (!rule) return 'inactivated';
  const named = d.series ? rule.series.find((s) => matchesTag(rule, s, d.series!)) : undefined;
  const kinds = (named ? [named] : rule.series).map(seriesKind);
  return kinds.includes('injectable-live') ? 'injectable-live' : kinds.includes('oral-live') ? 'oral-live' : 'inactivated';
}

function seriesKind(s: SeriesRule): 'injectable-live' | 'oral-live' | 'inactivated' {
  return !s.live ? 'inactivated' : s.route === 'oral' ? 'oral-live' : 'injectable-live';
}

interface DifferentVaccineConflict {
  code: 'live-vaccine-interval' | 'interval';
  other: GivenDose;
  period: Period;
  nextAllowed: IsoDate;
}

/** Doses of other vaccines before `date` that the different-vaccine interval rule in force forbids. */
function differentVaccineConflicts(code: string, kind: ReturnType<typeof seriesKind>, others: GivenDose[], date: IsoDate): DifferentVaccineConflict[] {
  const rule = differentVaccineIntervalAt(date);
  const out: DifferentVaccineConflict[] = [];
  for (const o of others) {
    if (o.vaccineCode === code || o.date >= date) continue; // same day (同時接種) is allowed
    const otherKind = liveKind(o);
    let period: Period | undefined;
    let conflictCode: DifferentVaccineConflict['code'] = 'live-vaccine-interval';
    if (rule.injectableLiveToInjectableLive && kind === 'injectable-live' && otherKind === 'injectable-live') period = rule.injectableLiveToInjectableLive;
    if (rule.liveToAny && otherKind !== 'inactivated') period = rule.liveToAny;
    if (rule.inactivatedToAny && otherKind === 'inactivated') {
      period = rule.inactivatedToAny;
      conflictCode = 'interval';
    }
    if (!period) continue;
    const nextAllowed = afterInterval(o.date, period);
    if (date < nextAllowed) out.push({ code: conflictCode, other: o, period, nextAllowed });
  }
  return out;
}

/** The first day on or after `date` that no different-vaccine interval forbids. */
function clearOfOtherVaccines(code: string, kind: ReturnType<typeof seriesKind>, others: GivenDose[], date: IsoDate): IsoDate {
  let d = date;
  for (let i = 0; i < 50; i++) {
    const conflicts = differentVaccineConflicts(code, kind, others, d);
    if (!conflicts.length) return d;
    // The rule may change before the interval ends (2020-10-01): look again from the change.
    const change = DIFFERENT_VACCINE_INTERVALS.find((r) => r.validFrom > d)?.validFrom;
    d = minDate(maxDate(...conflicts.map((c) => c.nextAllowed)), change)!;
  }
  return d;
}

/** The last day on or before `date` (and not before `floor`) that no different-vaccine interval forbids. */
function lastClearOfOtherVaccines(code: string, kind: ReturnType<typeof seriesKind>, others: GivenDose[], date: IsoDate, floor: IsoDate): IsoDate {
  let d = date;
  for (let i = 0; i < 50 && d >= floor; i++) {
    const conflicts = differentVaccineConflicts(code, kind, others, d);
    if (!conflicts.length) return d;
    d = minDate(...conflicts.map((c) => c.other.date))!; // the other dose's own day is allowed (同時接種)
  }
  return d < floor ? addDays(floor, -1) : d;
}

interface PlannedEntry {
  dose: DoseRule;
  status: ForecastStatus;
  earliest?: IsoDate;
  recommended?: IsoDate;
  latest?: IsoDate;
  reason?: string;
}

/**
 * Every dose of one schedule at `asOf`: given ones complete; the rest with their earliest, standard
 * and last day, each counted from the doses before it (given, or else the first day they could be given).
 */
function planSeries(rule: VaccineRule, series: SeriesRule, p: Person, doses: GivenDose[], others: GivenDose[], asOf: IsoDate): PlannedEntry[] {
  const given = byDose(doses);
  const dates = new Map<number, IsoDate>(); // given, or the first day it could be given
  const recommendedDates = new Map<number, IsoDate>(); // given, or its recommended day
  const out: PlannedEntry[] = [];
  let previous: IsoDate | undefined;
  let previousRecommended: IsoDate | undefined;
  let skipped = false;
  let skippedFrom: IsoDate | undefined; // a dose left out because its window closed is left out only after it
  const blocked = (dose: DoseRule, reason: string): PlannedEntry => ({ dose, status: 'not-eligible', reason });

  for (const dose of series.doses) {
    const g = given.get(dose.doseNumber);
    if (g) {
      dates.set(dose.doseNumber, g);
      recommendedDates.set(dose.doseNumber, g);
      previous = previousRecommended = g;
      out.push({ dose, status: 'complete' });
      continue;
    }
    if (dose.skipWhen?.(p, given)) {
      skipped = true;
      out.push(blocked(dose, 'この回は行いません（前の回の接種時期による）'));
      continue;
    }
    // Before a rule's start, the window that matters is the one open at the start.
    const window = dose.window(p, maxDate(asOf, rule.validFrom, series.validFrom)!);
    if (!window) {
      out.push(blocked(dose, '対象期間がありません'));
      continue;
    }
    let earliest = maxDate(window.from, rule.validFrom, series.validFrom)!;
    // The standard period follows the predecessors' recommended days; its end (for "overdue") and the
    // earliest day follow what was given or could be given first.
    let standardFrom: IsoDate | undefined;
    let standardTo: IsoDate | undefined;
    let missing = false;
    for (const iv of dose.intervals ?? []) {
      const ref = iv.after === 'previous' ? previous : dates.get(iv.after);
      const refRecommended = (iv.after === 'previous' ? previousRecommended : recommendedDates.get(iv.after)) ?? ref;
      if (ref === undefined || refRecommended === undefined) {
        const refDose = iv.after === 'previous' ? undefined : series.doses.find((d) => d.doseNumber === iv.after);
        if (refDose?.skippable) continue;
        missing = true;
        break;
      }
      const min = skipped && iv.minIfSkipped ? iv.minIfSkipped : iv.min;
      if (skipped && iv.minIfSkipped && skippedFrom) earliest = maxDate(earliest, skippedFrom)!;
      if (min) {
        earliest = maxDate(earliest, afterInterval(ref, min))!;
        standardFrom = maxDate(standardFrom, afterInterval(refRecommended, min))!;
      }
      if (iv.standard?.from) standardFrom = maxDate(standardFrom, afterInterval(refRecommended, iv.standard.from))!;
      if (iv.standard?.to) standardTo = minDate(standardTo, afterInterval(ref, iv.standard.to))!;
    }
    if (missing) {
      out.push(blocked(dose, '前の回が接種できないため'));
      continue;
    }
    const std = dose.standard?.(p, window) ?? {};
    standardFrom = maxDate(standardFrom, std.from) ?? undefined;
    standardTo = minDate(standardTo, std.to) ?? undefined;
    let latest = minDate(doseLatest(rule, series, dose, p, window, given.size === 0, asOf), hasSuccessor(rule) ? undefined : rule.validTo)!;
    // The interval after other vaccines (27 days after an injectable live one) looks back from the day of
    // the dose: it may move the first allowed day, hold today back, and close the window's last days.
    const kind = seriesKind(series);
    earliest = clearOfOtherVaccines(rule.vaccineCode, kind, others, earliest);
    if (earliest < asOf && differentVaccineConflicts(rule.vaccineCode, kind, others, asOf).length)
      earliest = clearOfOtherVaccines(rule.vaccineCode, kind, others, asOf);
    latest = lastClearOfOtherVaccines(rule.vaccineCode, kind, others, latest, earliest);
    if (earliest > latest || asOf > latest) {
      if (dose.skippable) {
        skipped = true;
        skippedFrom = maxDate(skippedFrom, addDays(latest, 1))!;
      }
      out.push({ ...blocked(dose, asOf > latest ? `接種できる期間（${latest}まで）を過ぎました` : '接種できる期間内に間隔がとれません'), latest });
      continue;
    }
    const projected = maxDate(earliest, asOf)!;
    const recommended = standardFrom && standardFrom <= latest ? maxDate(standardFrom, earliest)! : earliest;
    dates.set(dose.doseNumber, projected);
    recommendedDates.set(dose.doseNumber, maxDate(recommended, asOf)!);
    previous = projected;
    previousRecommended = maxDate(recommended, asOf)!;
    const status: ForecastStatus = asOf < earliest ? 'upcoming' : standardTo !== undefined && asOf > standardTo ? 'overdue' : 'due';
    out.push({ dose, status, earliest, recommended, latest });
  }
  return out;
}

/** A later version of the same vaccine's rule takes over when this one ends (四種混合 2023-04-01). */
function hasSuccessor(rule: VaccineRule): boolean {
  return rule.validTo !== undefined && ROUTINE_VACCINES.some((v) => v.vaccineCode === rule.vaccineCode && v.validFrom > rule.validTo!);
}

/**
 * The last day of a dose. A first dose not yet given may still start another schedule of the same
 * product chosen by age (Hib started after 生後7月: 3 doses; after 生後12月: 1), so its last day is
 * the latest of theirs.
 */
function doseLatest(rule: VaccineRule, series: SeriesRule, dose: DoseRule, p: Person, window: { to: IsoDate }, nothingGiven: boolean, at: IsoDate): IsoDate {
  if (dose.doseNumber !== 1 || !nothingGiven) return window.to;
  let latest = window.to;
  for (const other of rule.series) {
    if (other === series || other.product !== series.product) continue;
    const w = other.doses[0].window(p, at);
    if (w && w.to > latest && (!other.appliesTo || other.appliesTo(p, w.to, new Map()))) latest = w.to;
  }
  return latest;
}

// --- forecast ------------------------------------------------------------------------------

/**
 * The routine schedule of a person at `asOf`: for each vaccine that concerns them, every dose with
 * its status (complete, due, overdue — past the standard period but still allowed —, upcoming,
 * not-eligible) and its earliest / recommended / latest day.
 */
export function forecast(person: Person, history: GivenDose[], asOf: IsoDate, opts: ForecastOptions = {}): ForecastEntry[] {
  const horizon = addDays(asOf, opts.horizonDays ?? DEFAULT_HORIZON_DAYS);
  const codes = [...new Set(ROUTINE_VACCINES.map((v) => v.vaccineCode))];
  const started = (code: string) => history.some((d) => d.vaccineCode === code);
  const out: ForecastEntry[] = [];

  for (const code of codes) {
    let rule = ruleFor(code, asOf);
    if (!rule) continue;
    // A dose that can only come after this version ends falls under the next one (四種混合 from 生後2月 since 2023-04-01).
    const successor = rule.validTo ? ruleFor(code, addDays(rule.validTo, 1)) : undefined;
    if (successor && successor !== rule) {
      const own = countedDoses(
        rule,
        person,
        history.filter((d) => d.vaccineCode === code),
        asOf,
      );
      const plan = seriesPlan(
        rule,
        person,
        own,
        history.filter((d) => d.vaccineCode !== code),
        asOf,
      );
      const next = plan?.entries.find((e) => e.status === 'due' || e.status === 'overdue' || e.status === 'upcoming');
      if (next?.earliest !== undefined && next.earliest > rule.validTo!) rule = successor;
    }
    if (!showCombinationOrParts(rule, asOf, started)) continue;
    const own = history.filter((d) => d.vaccineCode === code).sort((a, b) => (a.date < b.date ? -1 : 1));
    const others = history.filter((d) => d.vaccineCode !== code);
    const ineligible = rule.ineligible?.(person);
    if (ineligible) {
      if (opts.includeNotEligible || own.length)
        out.push({ vaccineCode: code, doseNumber: 1, label: rule.series[0].doses[0].label, status: 'not-eligible', reason: ineligible });
      continue;
    }
    const counted = countedDoses(rule, person, own, asOf);
    const entries = seriesPlan(rule, person, counted, others, asOf);
    if (!entries) continue;
    const relevant =
      own.length > 0 ||
      opts.includeNotEligible ||
      entries.entries.some((e) => e.status !== 'not-eligible' && e.status !== 'complete' && e.earliest !== undefined && e.earliest <= horizon);
    if (!relevant) continue;
    for (const e of entries.entries) {
      out.push({
        vaccineCode: code,
        series: entries.series.series,
        doseNumber: e.dose.doseNumber,
        label: rule.perFiscalYear ? `${seasonOf(rule, person, asOf)}年度` : e.dose.label,
        status: e.status,
        ...(e.earliest ? { earliest: e.earliest } : {}),
        ...(e.recommended ? { recommended: e.recommended } : {}),
        ...(e.latest ? { latest: e.latest } : {}),
        ...(e.reason ? { reason: e.reason } : {}),
      });
    }
  }
  return out;
}

/** The 年度 a per-year vaccination's forecast is about: this season, or the next one to open. */
function seasonOf(rule: VaccineRule, p: Person, asOf: IsoDate): number {
  return fiscalYearOf(rule.series[0].doses[0].window(p, asOf)?.from ?? asOf);
}

function seriesPlan(rule: VaccineRule, p: Person, doses: GivenDose[], others: GivenDose[], asOf: IsoDate) {
  const series = resolveSeries(rule, p, doses, undefined, asOf, null);
  if (!series) return undefined;
  return { series, entries: planSeries(rule, series, p, doses, others, asOf) };
}

/**
 * 五種混合 or 四種混合 + Hib: a person who has started the parts goes on with them; otherwise the
 * combination, once it is routine, stands for them.
 */
function showCombinationOrParts(rule: VaccineRule, asOf: IsoDate, started: (code: string) => boolean): boolean {
  const combination = ROUTINE_VACCINES.find((v) => v.combinationOf?.includes(rule.vaccineCode));
  if (rule.combinationOf) {
    const partsStarted = rule.combinationOf.some(started);
    return started(rule.vaccineCode) || (!partsStarted && rule.validFrom <= asOf);
  }
  if (combination) {
    const partsStarted = combination.combinationOf!.some(started);
    const combinationRoutine = combination.validFrom <= asOf;
    return partsStarted || !(combinationRoutine || started(combination.vaccineCode));
  }
  return true;
}

// --- check of a planned dose ---------------------------------------------------------------

/**
 * What is wrong with giving `planned` to this person, given the doses recorded so far: each warning
 * is something the doctor must see and override with a reason before recording (none: go ahead).
 */
export function checkDose(person: Person, history: GivenDose[], planned: PlannedDose): DoseWarning[] {
  const warnings: DoseWarning[] = [];
  const warn = (code: WarningCode, message: string, nextAllowed?: IsoDate) => warnings.push({ code, message, ...(nextAllowed ? { nextAllowed } : {}) });
  const date = planned.date;

  if (planned.lotExpiry !== undefined && planned.lotExpiry < date) warn('expired-lot', `有効期限（${planned.lotExpiry}）を過ぎたロットです`);

  const rule = ruleFor(planned.vaccineCode, date);
  if (!rule) {
    warn('not-eligible', 'このワクチンは定期接種の対象ではありません');
    return warnings;
  }
  if (rule.validFrom > date) {
    warn('not-eligible', `${rule.name}の定期接種は${rule.validFrom}からです`, rule.validFrom);
    return warnings;
  }
  const ineligible = rule.ineligible?.(person);
  if (ineligible) {
    warn('not-eligible', ineligible);
    return warnings;
  }

  const own = history.filter((d) => d.vaccineCode === planned.vaccineCode);
  const counted = countedDoses(rule, person, own, date);
  const others = history.filter((d) => d.vaccineCode !== planned.vaccineCode);

  // A dose already recorded: the same 回, this season's, this pregnancy's, or a completed once-in-a-life schedule.
  if (rule.perFiscalYear && counted.length) warn('duplicate-dose', `今年度（${fiscalYearOf(date)}年度）の${rule.name}は既に接種済みです（${counted[0].date}）`);
  else if (rule.perPregnancy && counted.length) warn('duplicate-dose', `今回の妊娠中に既に接種済みです（${counted[0].date}）`);
  else if (!rule.perFiscalYear && !rule.perPregnancy) {
    const same = counted.find((d) => d.doseNumber === planned.doseNumber);
    if (same) warn('duplicate-dose', `${rule.name}の第${planned.doseNumber}回は既に接種済みです（${same.date}）`);
    else if (rule.oncePerLife && completed(rule, person, counted, date)) warn('duplicate-dose', `${rule.name}は既に接種を完了しています`);
  }

  const priorDoses = rule.perFiscalYear || rule.perPregnancy ? [] : counted.filter((d) => d.doseNumber !== planned.doseNumber);
  const series = resolveSeries(rule, person, priorDoses, planned.series, date, planned.doseNumber === 1 ? date : null) ?? undefined;
  if (!series) {
    warn('not-eligible', `${rule.name}の接種スケジュールの対象外です`);
    return warnings;
  }
  if (series.validFrom && series.validFrom > date) {
    warn('not-eligible', `${series.label}の定期接種は${series.validFrom}からです`, series.validFrom);
    return warnings;
  }
  const dose = series.doses.find((d) => d.doseNumber === planned.doseNumber);
  if (!dose) {
    warn('not-eligible', `${series.label}に第${planned.doseNumber}回はありません（全${series.doses.length}回）`);
    return warnings;
  }
  const given = byDose(priorDoses);
  if (dose.skipWhen?.(person, given)) warn('not-eligible', `${dose.label}は行いません（前の回の接種時期による）`);

  const window = dose.window(person, date);
  if (!window) warn('not-eligible', `${rule.name}（${dose.label}）の対象年齢ではありません`);
  else if (date < window.from) warn('too-early', `${dose.label}を接種できるのは${window.from}からです`, window.from);
  else if (date > window.to) warn('too-late', `${dose.label}を接種できる期間は${window.to}までです`);

  const intervalWarnings = intervalProblems(series, dose, given, person, date);
  for (const w of intervalWarnings) {
    if (w.kind === 'missing') warn('missing-previous-dose', `${w.label}の記録がありません`);
    else if (date < w.nextAllowed)
      warn('interval', `${w.from}から${describePeriod(w.period)}以上の間隔が必要です（次に接種できる日: ${w.nextAllowed}）`, w.nextAllowed);
  }

  for (const c of differentVaccineConflicts(rule.vaccineCode, seriesKind(series), others, date)) {
    const otherName = ruleFor(c.other.vaccineCode, c.other.date)?.name ?? c.other.vaccineCode;
    const what = c.code === 'interval' ? '不活化ワクチン' : '生ワクチン';
    warn(
      c.code,
      `${what}（${otherName}、${c.other.date}）の接種から${describePeriod(c.period)}以上の間隔が必要です（次に接種できる日: ${c.nextAllowed}）`,
      c.nextAllowed,
    );
  }

  if (dose.notRecommendedAfter && date > dose.notRecommendedAfter.date(person)) warn('not-recommended', dose.notRecommendedAfter.message);
  return warnings;
}

type IntervalProblem = { kind: 'missing'; label: string } | { kind: 'interval'; from: string; period: Period; nextAllowed: IsoDate };

/** The minimum intervals of `dose` measured from the doses given (previous-dose references resolved). */
function intervalProblems(series: SeriesRule, dose: DoseRule, given: ReadonlyMap<number, IsoDate>, p: Person, date: IsoDate): IntervalProblem[] {
  const before = series.doses.filter((d) => d.doseNumber < dose.doseNumber);
  const skipped = before.some((d) => leftOut(d, p, given, date));
  const lastGiven = [...before].reverse().find((d) => given.has(d.doseNumber));
  const out: IntervalProblem[] = [];
  // A sequential schedule needs the dose before (not one the rules let be left out).
  const prior = before.at(-1);
  if (dose.intervals?.length && prior && !given.has(prior.doseNumber) && !prior.skippable) out.push({ kind: 'missing', label: prior.label });
  for (const iv of dose.intervals ?? []) {
    const refDose = iv.after === 'previous' ? lastGiven : series.doses.find((d) => d.doseNumber === iv.after);
    const ref = refDose ? given.get(refDose.doseNumber) : undefined;
    if (ref === undefined) {
      if (iv.after === 'previous' && !lastGiven && before.length) out.push({ kind: 'missing', label: before[0].label });
      else if (refDose && !refDose.skippable) out.push({ kind: 'missing', label: refDose.label });
      continue;
    }
    const min = skipped && iv.minIfSkipped ? iv.minIfSkipped : iv.min;
    if (!min) continue;
    const from = iv.after === 'previous' || refDose === before.at(-1) ? `前回の接種（${refDose!.label}、${ref}）` : `${refDose!.label}の接種（${ref}）`;
    out.push({ kind: 'interval', from, period: min, nextAllowed: afterInterval(ref, min) });
  }
  return dedupeMissing(out);
}

/** A dose the rules leave out (「行わない」) by `date`: not given, and its window closed or its condition met. */
function leftOut(dose: DoseRule, p: Person, given: ReadonlyMap<number, IsoDate>, date: IsoDate): boolean {
  if (!dose.skippable || given.has(dose.doseNumber)) return false;
  if (dose.skipWhen?.(p, given)) return true;
  const w = dose.window(p, date);
  return w !== null && date > w.to;
}

function dedupeMissing(ps: IntervalProblem[]): IntervalProblem[] {
  const seen = new Set<string>();
  return ps.filter((p) => (p.kind !== 'missing' ? true : seen.has(p.label) ? false : (seen.add(p.label), true)));
}

/** Has the person completed some schedule of this vaccine (every dose given or left out)? */
function completed(rule: VaccineRule, p: Person, doses: GivenDose[], at: IsoDate): boolean {
  const series = resolveSeries(rule, p, doses, undefined, at, null);
  if (!series) return false;
  const given = byDose(doses);
  return series.doses.every((d) => given.has(d.doseNumber) || d.skippable || d.skipWhen?.(p, given));
}
