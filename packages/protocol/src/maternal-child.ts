import { Type, type Static } from 'typebox';
import { InstitutionCode } from './eligibility.ts';
import { DateIn, Key, Text, Uuid, Yen } from './text.ts';

/**
 * Maternal and child health (母子保健, seed C): checkup kinds, vouchers (受診券) and checkup results
 * (健診結果) as the municipal registration, the resident's view and the venue app carry them, and the
 * growth chart a page draws. The rules of meaning (which kind allows which item, plausible ranges for
 * an age, voucher validity) are the hub's domain code; these schemas bound every value on the wire.
 */

/**
 * 健診の種類. `prenatal` 妊婦健康診査 (with `sequence` 1–14), `postpartum` 産婦健康診査 (sequence 1 = 産後2週間,
 * 2 = 産後1か月), and the infant checkups 1か月児, 3–4か月児, 6–7か月児, 9–10か月児, 1歳6か月児, 3歳児.
 */
export const CHECKUP_KINDS = ['prenatal', 'postpartum', 'infant-1m', 'infant-3-4m', 'infant-6-7m', 'infant-9-10m', 'infant-1y6m', 'infant-3y'] as const;
export type CheckupKind = (typeof CHECKUP_KINDS)[number];
export const CheckupKind = Type.Enum([...CHECKUP_KINDS], {
  description: '健診の種類: prenatal 妊婦健診 (sequence 1–14), postpartum 産婦健診, infant-1m, infant-3-4m, infant-6-7m, infant-9-10m, infant-1y6m, infant-3y',
});

/** The n-th 妊婦健診 (1–14, after 告示第226号's "14回程度"), or the n-th 産婦健診 (1–2). */
export const CheckupSequence = Type.Integer({ minimum: 1, maximum: 14, description: '回数: 妊婦健診 1–14, 産婦健診 1 (産後2週間) or 2 (産後1か月)' });

/** 受診券 (a checkup voucher) as a municipality issues it. */
export const CheckupVoucher = Type.Object(
  {
    voucherNumber: Key({ maxLength: 32, description: '受診券番号 (the municipality’s own number)' }),
    checkupKind: CheckupKind,
    sequence: Type.Optional(CheckupSequence),
    validFrom: DateIn('service', '有効開始日'),
    validTo: DateIn('service', '有効終了日 (a prenatal voucher also ends on the day of delivery)'),
    subsidyCap: Yen('助成上限額 (the subsidy the voucher pays at most)'),
  },
  { additionalProperties: false },
);
export type CheckupVoucher = Static<typeof CheckupVoucher>;

/**
 * 尿検査 by test strip, semi-quantitative as the 母子健康手帳 and the standard forms record it
 * (−, ±, +, 2+, 3+, 4+).
 */
export const URINE_DIPSTICK_VALUES = ['-', '±', '+', '2+', '3+', '4+'] as const;
export const UrineDipstick = Type.Enum([...URINE_DIPSTICK_VALUES], { description: '試験紙法: -, ±, +, 2+, 3+, 4+' });

/** 浮腫 as the 妊婦健診 record writes it: −, +, 2+. */
export const EDEMA_VALUES = ['-', '+', '2+'] as const;
export const Edema = Type.Enum([...EDEMA_VALUES], { description: '浮腫: -, +, 2+' });

/**
 * Where a finding is, by the areas 母子保健法施行規則 第2条 lists for the 1歳6か月児 and 3歳児 checkups
 * (the infant checkups use the same areas), and the areas the prenatal and postpartum records name.
 * Which kind allows which area is the hub's rule.
 */
export const FINDING_AREAS = [
  // 母子保健法施行規則 第2条
  'growth', // 身体発育状況
  'nutrition', // 栄養状態
  'spine-chest', // 脊柱及び胸郭の疾病及び異常
  'skin', // 皮膚の疾病
  'eyes', // 眼の疾病及び異常 (3歳児)
  'ear-nose-throat', // 耳、鼻及び咽頭の疾病及び異常 (3歳児)
  'teeth-mouth', // 歯及び口腔の疾病及び異常
  'limbs-motor', // 四肢運動障害
  'mental-development', // 精神発達の状況
  'speech', // 言語障害
  'parenting', // 育児上問題となる事項
  'other', // その他の疾病及び異常
  // 妊婦健診 (標準的な電子的記録様式: 妊娠高血圧症候群, 妊娠糖尿病)
  'hypertensive-disorder',
  'gestational-diabetes',
  // 産婦健診 (子宮復古状況, 悪露, 乳房の状態)
  'uterine-involution',
  'lochia',
  'breasts',
] as const;
export type FindingArea = (typeof FINDING_AREAS)[number];
export const FindingArea = Type.Enum([...FINDING_AREAS], { description: '所見の部位・領域' });

export const CheckupFinding = Type.Object(
  {
    area: FindingArea,
    finding: Text({ minLength: 1, maxLength: 200, description: '所見 (what was found, in plain words)' }),
  },
  { additionalProperties: false },
);

/** 判定: 健康 / 要観察 / 要精査 / 要指導, as the standard forms write it. */
export const CHECKUP_JUDGEMENTS = ['healthy', 'observe', 'detailed-exam', 'guidance'] as const;
export type CheckupJudgement = (typeof CHECKUP_JUDGEMENTS)[number];
export const CheckupJudgement = Type.Enum([...CHECKUP_JUDGEMENTS], {
  description: '判定: healthy 健康, observe 要観察, detailed-exam 要精査, guidance 要指導',
});

/**
 * Tests done at a 妊婦健診 (必要に応じた医学的検査, 標準的な電子的記録様式). Sexually transmitted
 * infections (syphilis, HIV, chlamydia) are left out on purpose: the national standard does not hold
 * them electronically as too sensitive.
 */
export const PRENATAL_TESTS = [
  'blood-type', // 血液型 (ABO, Rh)
  'irregular-antibodies', // 不規則抗体
  'complete-blood-count', // 血算 (ヘモグロビン, ヘマトクリット, 血小板)
  'blood-glucose', // 血糖
  'hepatitis-b-antigen', // B型肝炎抗原
  'hepatitis-c-antibody', // C型肝炎抗体
  'rubella-antibody', // 風疹抗体
  'htlv1-antibody', // HTLV-1抗体
  'cervical-cytology', // 子宮頸がん検診 (細胞診)
  'group-b-streptococcus', // B群溶血性レンサ球菌
  'ultrasound', // 超音波検査
] as const;
export type PrenatalTest = (typeof PRENATAL_TESTS)[number];
export const PrenatalTest = Type.Enum([...PRENATAL_TESTS], { description: '実施した検査' });

/**
 * Measurements. The bounds here only keep out what no human body measures; the hub checks each value
 * against the checkup kind and the child's age (a 3-year-old of 300 kg is refused there).
 */
export const CheckupMeasurements = Type.Object(
  {
    heightCm: Type.Optional(Type.Number({ minimum: 20, maximum: 250, description: '身長 (cm)' })),
    weightKg: Type.Optional(Type.Number({ minimum: 0.2, maximum: 350, description: '体重 (kg)' })),
    headCm: Type.Optional(Type.Number({ minimum: 15, maximum: 80, description: '頭囲 (cm)' })),
    chestCm: Type.Optional(Type.Number({ minimum: 15, maximum: 200, description: '胸囲 (cm)' })),
    systolic: Type.Optional(Type.Integer({ minimum: 40, maximum: 300, description: '収縮期血圧 (mmHg)' })),
    diastolic: Type.Optional(Type.Integer({ minimum: 20, maximum: 200, description: '拡張期血圧 (mmHg)' })),
    fundalHeightCm: Type.Optional(Type.Number({ minimum: 0, maximum: 60, description: '子宮底長 (cm)' })),
    abdominalCm: Type.Optional(Type.Number({ minimum: 30, maximum: 250, description: '腹囲 (cm)' })),
  },
  { additionalProperties: false },
);
export type CheckupMeasurements = Static<typeof CheckupMeasurements>;

export const CheckupUrine = Type.Object(
  {
    protein: Type.Optional(UrineDipstick),
    glucose: Type.Optional(UrineDipstick),
    /** 潜血: the 3歳児 standard record has it beside protein and glucose. */
    occultBlood: Type.Optional(UrineDipstick),
  },
  { additionalProperties: false },
);

/** A checkup result as a venue enters it or a municipality registers it (without resultId and source, which the hub assigns). */
export const CheckupResultBody = Type.Object(
  {
    checkupKind: CheckupKind,
    sequence: Type.Optional(CheckupSequence),
    voucherNumber: Type.Optional(Key({ maxLength: 32, description: '受診券番号 of the voucher used; absent when none was (self-paid)' })),
    date: DateIn('service', '健診受診日'),
    institutionCode: InstitutionCode,
    ageInMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 72, description: '健診受診時月齢 (completed months)' })),
    gestationalWeeks: Type.Optional(Type.Integer({ minimum: 0, maximum: 45, description: '妊娠週数 (completed weeks)' })),
    measurements: CheckupMeasurements,
    urine: Type.Optional(CheckupUrine),
    edema: Type.Optional(Edema),
    testsDone: Type.Optional(Type.Array(PrenatalTest, { maxItems: PRENATAL_TESTS.length, uniqueItems: true, description: '実施した検査 (妊婦健診)' })),
    findings: Type.Array(CheckupFinding, { maxItems: 30, description: '所見 by area' }),
    judgement: CheckupJudgement,
    detailedExamDate: Type.Optional(DateIn('service', '精密検査受診日 (only with judgement detailed-exam)')),
  },
  { additionalProperties: false },
);
export type CheckupResultBody = Static<typeof CheckupResultBody>;

/** A checkup result wherever it is shown. */
export const CheckupResult = Type.Object({
  resultId: Uuid('the result’s id'),
  ...CheckupResultBody.properties,
  source: Type.Enum(['municipal', 'venue'], { description: 'municipal: registered by the municipality; venue: entered at a clinic or checkup venue' }),
});
export type CheckupResult = Static<typeof CheckupResult>;

// --- Growth chart ------------------------------------------------------------------------------

export const GROWTH_MEASURES = ['height', 'weight', 'head'] as const;
export type GrowthMeasure = (typeof GROWTH_MEASURES)[number];

/** The seven percentiles the national table publishes. */
export const GROWTH_PERCENTILES = [3, 10, 25, 50, 75, 90, 97] as const;

/** Where a measurement falls between the published percentiles. */
export const PERCENTILE_BANDS = ['below-3', '3-10', '10-25', '25-50', '50-75', '75-90', '90-97', 'above-97'] as const;
export type PercentileBand = (typeof PERCENTILE_BANDS)[number];
export const PercentileBand = Type.Enum([...PERCENTILE_BANDS], {
  description: 'the percentile band of a measurement (3rd–97th is the band the 母子健康手帳 shades)',
});

const ChartPoint = Type.Object({
  ageMonths: Type.Number({ description: 'age in months (fractional)' }),
  value: Type.Number(),
});

export const GrowthChart = Type.Object({
  measure: Type.Enum([...GROWTH_MEASURES]),
  unit: Type.Enum(['cm', 'kg']),
  sex: Type.Enum(['0', '1', '2', '9'], { description: 'ISO 5218; curves and bands exist for boys ("1") and girls ("2") only' }),
  range: Type.Object({
    fromMonths: Type.Number(),
    toMonths: Type.Number(),
    minValue: Type.Number({ description: 'the lowest value on the chart (curves and child), rounded down' }),
    maxValue: Type.Number({ description: 'the highest value on the chart, rounded up' }),
  }),
  curves: Type.Array(Type.Object({ percentile: Type.Integer(), points: Type.Array(ChartPoint) })),
  child: Type.Array(
    Type.Object({
      date: DateIn('service', 'measured on'),
      ageMonths: Type.Number(),
      value: Type.Number(),
      band: Type.Optional(PercentileBand),
    }),
  ),
  source: Text({ maxLength: 200, description: 'the survey the curves come from' }),
});
export type GrowthChart = Static<typeof GrowthChart>;
