/**
 * The vaccination catalogue (`GET /hub/v1/vaccination/catalogue`): the routine vaccines in force on a
 * day and their schedules, read from the same rules the forecast and the dose check use.
 */
import type { IsoDate } from './japanese-age.ts';
import { ROUTINE_VACCINES } from './routine-schedule.ts';
import type { Route, VaccineCode } from './rule-types.ts';

export interface CatalogueSeries {
  series: string;
  label: string;
  doses: number;
  live: boolean;
  route: Route;
}

export interface CatalogueVaccine {
  vaccineCode: VaccineCode;
  name: string;
  class: 'A' | 'B';
  /** True when any of its schedules uses a live vaccine (帯状疱疹: the live one); each schedule says its own. */
  live: boolean;
  /** The route of its first (preferred) schedule; each schedule says its own. */
  route: Route;
  validFrom: IsoDate;
  validTo?: IsoDate;
  series: CatalogueSeries[];
}

/** The vaccines routine on `asOf`, plus those whose routine start is announced for a later day. */
export function catalogue(asOf: IsoDate): CatalogueVaccine[] {
  return ROUTINE_VACCINES.filter((v) => v.validTo === undefined || asOf <= v.validTo)
    .filter((v, _, all) => v.validFrom <= asOf || !all.some((o) => o !== v && o.vaccineCode === v.vaccineCode && o.validFrom <= asOf))
    .map((v) => ({
      vaccineCode: v.vaccineCode,
      name: v.name,
      class: v.class,
      live: v.series.some((s) => s.live),
      route: v.series[0].route,
      validFrom: v.validFrom,
      ...(v.validTo ? { validTo: v.validTo } : {}),
      series: v.series
        .filter((s) => !s.validFrom || v.validTo === undefined || s.validFrom <= v.validTo)
        .map((s) => ({ series: s.series, label: s.label, doses: s.doses.length, live: s.live, route: s.route })),
    }));
}
