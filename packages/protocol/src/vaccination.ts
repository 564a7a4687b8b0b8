import { Type, type Static } from 'typebox';
import { DateIn } from './text.ts';

/**
 * Routine vaccination (予防接種, seed B): the catalogue the hub publishes, and the shapes of a
 * forecast and of a dose check's warnings that the resident's and the clinic's views carry.
 */

const IsoDate = (description: string) => Type.String({ format: 'date', description });

export const VaccineCode = Type.Enum(
  [
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
  ],
  {
    description:
      'routine-vaccine code: hib, pcv (小児用肺炎球菌), hepb, rota, dpt-ipv-hib (五種混合), dpt-ipv (四種混合), bcg, mr, varicella, je (日本脳炎), dt, hpv, rsv-maternal, flu-elderly, pcv-elderly, covid-elderly, zoster',
  },
);

export const VaccinationRoute = Type.Enum(['subcutaneous', 'intramuscular', 'subcutaneous-or-intramuscular', 'oral', 'percutaneous'], {
  description: '接種経路: 皮下, 筋肉内, 皮下又は筋肉内, 経口, 経皮',
});

export const VaccinationCatalogueSeries = Type.Object({
  series: Type.String({ description: "the schedule's id, as a record's `series` names it (e.g. start-2m-7m, 9-valent, 1-valent, recombinant)" }),
  label: Type.String({ description: 'the schedule in Japanese (e.g. 初回接種の開始が生後2月から生後7月に至るまで（計4回）)' }),
  doses: Type.Integer({ minimum: 1, description: 'number of doses of this schedule' }),
  live: Type.Boolean({ description: 'a live vaccine (the 27-day rule applies between injectable ones)' }),
  route: VaccinationRoute,
});

export const VaccinationCatalogueVaccine = Type.Object({
  vaccineCode: VaccineCode,
  name: Type.String({ description: 'name in Japanese' }),
  class: Type.Enum(['A', 'B'], { description: '予防接種法 A類 / B類疾病' }),
  live: Type.Boolean({ description: 'true when any of its schedules is a live vaccine (each schedule says its own)' }),
  route: VaccinationRoute,
  validFrom: IsoDate('routine (this version of its rules) from'),
  validTo: Type.Optional(IsoDate('this version of its rules until')),
  series: Type.Array(VaccinationCatalogueSeries),
});

export const VaccinationCatalogueQuery = Type.Object(
  { asOf: Type.Optional(DateIn('service', '基準日: the vaccines routine on this day (and those announced after it); today (Japan time) when absent')) },
  { additionalProperties: false },
);

export const VaccinationCatalogue = Type.Object({
  asOf: IsoDate('the day the catalogue is for'),
  vaccines: Type.Array(VaccinationCatalogueVaccine),
});
export type VaccinationCatalogueBody = Static<typeof VaccinationCatalogue>;

/** One dose of a person's routine schedule. */
export const VaccinationForecastEntry = Type.Object({
  vaccineCode: VaccineCode,
  series: Type.Optional(Type.String({ description: 'the schedule (see the catalogue)' })),
  doseNumber: Type.Integer({ minimum: 1 }),
  label: Type.Optional(Type.String({ description: '初回1回目, 第2期, 2026年度 …' })),
  status: Type.Enum(['due', 'overdue', 'upcoming', 'complete', 'not-eligible'], {
    description:
      'overdue: past the standard period (標準的な接種期間) but still allowed; not-eligible: can no longer (or never) be given as a routine vaccination',
  }),
  earliest: Type.Optional(IsoDate('first day the dose is allowed')),
  recommended: Type.Optional(IsoDate('first day of the standard period')),
  latest: Type.Optional(IsoDate('last day the dose is a routine vaccination')),
  reason: Type.Optional(Type.String({ description: 'why not eligible, in Japanese' })),
});
export const VaccinationForecast = Type.Array(VaccinationForecastEntry);

export const VaccinationWarningCode = Type.Enum([
  'too-early',
  'too-late',
  'interval',
  'live-vaccine-interval',
  'duplicate-dose',
  'expired-lot',
  'not-eligible',
  'missing-previous-dose',
  'not-recommended',
]);

export const VaccinationWarning = Type.Object({
  code: VaccinationWarningCode,
  message: Type.String({ description: 'plain Japanese, e.g. 前回の接種から27日以上の間隔が必要です（次に接種できる日: 2026-05-02）' }),
  nextAllowed: Type.Optional(IsoDate('first day the rule that raised the warning accepts')),
});
export const VaccinationWarnings = Type.Object({ warnings: Type.Array(VaccinationWarning) });

/** A dose given, wherever it is shown (the resident's history, the clinic's screen). */
export const VaccinationRecord = Type.Object({
  recordId: Type.String({ format: 'uuid' }),
  vaccineCode: VaccineCode,
  doseNumber: Type.Integer({ minimum: 1 }),
  series: Type.Optional(Type.String({ description: 'the schedule or product (see the catalogue)' })),
  date: IsoDate('接種日'),
  productName: Type.Optional(Type.String({ description: 'ワクチン名 (product)' })),
  productCode: Type.Optional(Type.String({ description: 'HOT13 / YJ / GTIN of the product' })),
  lotNumber: Type.Union([Type.String(), Type.Null()], {
    description: 'ロット番号; null for a past dose the municipality registered without one (paper records, moved-in)',
  }),
  expirationDate: Type.Optional(IsoDate('有効期限 of the lot')),
  doseVolumeMl: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: '接種量 (mL)' })),
  site: Type.Optional(Type.String({ description: '接種部位' })),
  route: Type.Optional(VaccinationRoute),
  institutionCode: Type.Union([Type.String(), Type.Null()], {
    description: '医療機関コード of the place of vaccination; null for a past dose the municipality registered without one',
  }),
  institutionName: Type.Optional(Type.String({ description: '実施医療機関名, when the municipality registered it' })),
  doctorName: Type.Optional(Type.String({ description: '医師名' })),
  source: Type.Enum(['municipal', 'clinic'], { description: 'municipal: a past dose the municipality registered; clinic: recorded at the clinic' }),
  status: Type.Enum(['recorded', 'corrected', 'cancelled'], { description: 'cancelled: not a dose (the forecast does not count it)' }),
});
export type VaccinationRecordBody = Static<typeof VaccinationRecord>;

/** `GET /hub/v1/residents/{pmhPseudonym}/vaccinations`: a person's doses from every municipality, and their schedule today. */
export const ResidentVaccinations = Type.Object({
  records: Type.Array(VaccinationRecord, { description: 'oldest first' }),
  forecast: VaccinationForecast,
});
export type ResidentVaccinationsBody = Static<typeof ResidentVaccinations>;

/** `GET /portal/v1/me/vaccinations`: as the hub answers, and whether the account is linked at all. */
export const PortalVaccinations = Type.Object({
  ...ResidentVaccinations.properties,
  linked: Type.Boolean({ description: 'false: not linked to PMH yet, so nothing to show' }),
});
