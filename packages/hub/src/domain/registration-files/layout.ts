import type { FileProcess } from '@pmh/protocol';

/**
 * The columns of a registration file, per process: each is a field of the JSON registration record
 * (or of one of its doses or vouchers), with the Japanese heading municipal systems export and the
 * template shows. A file's heading row may use the Japanese headings or the ids, in any order.
 */

/** How a cell is read before the record is validated as a JSON task's would be. */
export type CellKind =
  /** as written (the record's own validation normalises it: full-width digits, kana, …) */
  | 'text'
  /** Western or Japanese-era date → YYYY-MM-DD (core `parseJapaneseDate`) */
  | 'date'
  /** a whole number; full-width digits, thousands separators and 円 allowed */
  | 'integer'
  /** a number with decimals (a measurement); full-width digits allowed */
  | 'decimal'
  /** several codes in one cell, separated by spaces, 、 or ・ (each read through the aliases) */
  | 'list'
  /** 1/0, true/false (full-width too) → "1"/"0" */
  | 'flag'
  /** one `名=内容` per line of the cell (受給者証券面項目; 所見 as `部位=所見`): see Column.pair */
  | 'details';

/** Which part of the record a column fills: the record itself, or one of its doses, vouchers or checkup results (a row each). */
export type ColumnPart = 'record' | 'dose' | 'voucher' | 'result';

export interface Column {
  id: string;
  heading: string;
  kind: CellKind;
  /** The field it fills, from the record (part `record`) or from the dose or voucher. */
  path: readonly string[];
  part: ColumnPart;
  /** Japanese words read as a code (男 → "1"; 転出 → "moved-out"). */
  aliases?: Readonly<Record<string, string>>;
  /** The column must be in the heading row (a record cannot be without it). */
  required?: boolean;
  /** The template's example value. */
  example: string;
  /** A `details` cell: the keys of each line's name and content (default `label`, `value`); aliases read the name. */
  pair?: readonly [string, string];
}

/** The array of the record that rows of a part fill. */
export const PART_ARRAYS: Record<Exclude<ColumnPart, 'record'>, string> = { dose: 'vaccinationRecords', voucher: 'vouchers', result: 'checkupResults' };

/** The parts a row may add, in the order they are read. */
export const ROW_PARTS = Object.keys(PART_ARRAYS) as Array<Exclude<ColumnPart, 'record'>>;

export interface FileLayout {
  process: FileProcess;
  columns: readonly Column[];
  /**
   * `row`: one row, one record. `subject`: consecutive rows of one subject (the same 異動区分 and
   * 宛名番号) make one record, each row adding a dose, a voucher or a result (any of its layout's parts); the subject's columns are
   * written on the first row and may be repeated (the same) or left empty on the others.
   */
  grouping: 'row' | 'subject';
}

/** ISO 5218 as 住民基本台帳 systems often write it. */
const SEX_ALIASES = { 男: '1', 男性: '1', 女: '2', 女性: '2', 不明: '0', 適用不能: '9' } as const;

const col = (id: string, heading: string, kind: CellKind, path: readonly string[], example: string, more: Partial<Column> = {}): Column => ({
  id,
  heading,
  kind,
  path,
  part: 'record',
  example,
  ...more,
});

const basicFive = (required: boolean): Column[] => [
  col('name', '氏名', 'text', ['basicFiveInfo', 'name'], '千代田　太郎', { required }),
  col('nameKana', '氏名カナ', 'text', ['basicFiveInfo', 'nameKana'], 'チヨダ　タロウ'),
  col('address', '住所', 'text', ['basicFiveInfo', 'address'], '東京都千代田区九段南一丁目2番1号'),
  col('dateOfBirth', '生年月日', 'date', ['basicFiveInfo', 'dateOfBirth'], '平成25年1月1日', { required }),
  col('sex', '性別', 'text', ['basicFiveInfo', 'sex'], '1', { required, aliases: SEX_ALIASES }),
];

/** 公費医療費助成: one row per certificate version, as the JSON task's MedicalSubsidyRecord. */
const MEDICAL_SUBSIDY: FileLayout = {
  process: 'medical-subsidy',
  grouping: 'row',
  columns: [
    col('orgSpecificCertificateTypeId', '機関別受給者証種別ID', 'text', ['orgSpecificCertificateTypeId'], 'KODOMO', { required: true }),
    col('myNumber', '個人番号', 'text', ['myNumber'], '', { required: true }),
    col('municipalityIdentityKey', '宛名番号', 'text', ['municipalityIdentityKey'], '1310100001'),
    ...basicFive(true),
    col('isNotDisclosed', '不開示フラグ', 'flag', ['isNotDisclosed'], '0', { required: true }),
    col('certificationName', '受給者証名', 'text', ['certificationName'], '子ども医療費受給者証', { required: true }),
    col('medicalSubsidyInsurerNumber', '公費負担者番号', 'text', ['medicalSubsidyInsurerNumber'], ''),
    col('medicalSubsidyRecipientNumber', '公費受給者番号', 'text', ['medicalSubsidyRecipientNumber'], '1234566'),
    col('certificationSubKey', '受給者証サブキー', 'text', ['certificationSubKey'], ''),
    col('segment', '区分', 'text', ['segment'], ''),
    col('incomeSegment', '所得区分', 'text', ['incomeSegment'], ''),
    col('additionalConditions', '追加条件', 'text', ['additionalConditions'], ''),
    col('designatedMedicalInstitutions', '指定医療機関', 'text', ['designatedMedicalInstitutions'], ''),
    col('isAlwaysReimbursement', '常に償還払い', 'flag', ['isAlwaysReimbursement'], '0', { required: true }),
    col('maxCopaymentMonthly', '月額上限額', 'integer', ['maxCopaymentAmount', 'monthly'], '5000'),
    col('maxCopaymentOutpatientMonthly', '外来月額上限額', 'integer', ['maxCopaymentAmount', 'outpatientMonthly'], ''),
    col('maxCopaymentInpatientMonthly', '入院月額上限額', 'integer', ['maxCopaymentAmount', 'inpatientMonthly'], ''),
    col('validFrom', '有効期間開始日', 'date', ['validFrom'], '令和7年4月1日', { required: true }),
    col('validTo', '有効期間終了日', 'date', ['validTo'], '令和8年3月31日', { required: true }),
    col('historyKey', '履歴キー', 'text', ['historyKey'], '1', { required: true }),
    col('isDeleted', '削除フラグ', 'flag', ['isDeleted'], '0', { required: true }),
    col('certificationDetail', '受給者証券面項目', 'details', ['certificationDetail'], '有効期間=令和7年4月1日から令和8年3月31日まで'),
  ],
};

/** 異動事由 as municipal systems write it. */
const END_REASON_ALIASES = { 転出: 'moved-out', 死亡: 'deceased', 誤登録: 'mistaken' } as const;

/** 予防接種: the subject on the first of its rows; each row may add a past dose and a voucher. */
const VACCINATION: FileLayout = {
  process: 'vaccination',
  grouping: 'subject',
  columns: [
    col('modificationSeg', '異動区分', 'text', ['modificationSeg'], '1', { required: true, aliases: {} }),
    col('myNumber', '個人番号', 'text', ['myNumber'], ''),
    col('municipalityIdentityKey', '宛名番号', 'text', ['municipalityIdentityKey'], '1310100001', { required: true }),
    ...basicFive(false),
    col('isNotDisclosed', '不開示フラグ', 'flag', ['isNotDisclosed'], '0'),
    col('reason', '異動事由', 'text', ['reason'], '', { aliases: END_REASON_ALIASES }),
    col('endDate', '異動日', 'date', ['date'], ''),
    col('recordKey', '接種記録キー', 'text', ['recordKey'], 'R-0001', { part: 'dose' }),
    col('vaccineCode', 'ワクチン', 'text', ['vaccineCode'], 'hib', { part: 'dose' }),
    col('doseNumber', '接種回', 'integer', ['doseNumber'], '1', { part: 'dose' }),
    col('series', '接種シリーズ', 'text', ['series'], '', { part: 'dose' }),
    col('date', '接種日', 'date', ['date'], '令和7年6月10日', { part: 'dose' }),
    col('lotNumber', 'ロット番号', 'text', ['lotNumber'], 'HB123', { part: 'dose' }),
    col('institutionCode', '医療機関コード', 'text', ['institutionCode'], '1312345674', { part: 'dose' }),
    col('institutionName', '医療機関名', 'text', ['institutionName'], '', { part: 'dose' }),
    col('voucherNumber', '接種券番号', 'text', ['voucherNumber'], '', { part: 'voucher' }),
    col('voucherVaccineCode', '接種券ワクチン', 'text', ['vaccineCode'], '', { part: 'voucher' }),
    col('voucherDoseNumber', '接種券接種回', 'integer', ['doseNumber'], '', { part: 'voucher' }),
    col('voucherValidTo', '接種券有効期限', 'date', ['validTo'], '', { part: 'voucher' }),
  ],
};

/** 健診の種類 as municipal systems write them. */
const CHECKUP_KIND_ALIASES = {
  妊婦健診: 'prenatal',
  妊婦健康診査: 'prenatal',
  産婦健診: 'postpartum',
  産婦健康診査: 'postpartum',
  '1か月児': 'infant-1m',
  '1か月児健診': 'infant-1m',
  '3～4か月児': 'infant-3-4m',
  '3-4か月児': 'infant-3-4m',
  '3～4か月児健診': 'infant-3-4m',
  '6～7か月児': 'infant-6-7m',
  '6-7か月児': 'infant-6-7m',
  '9～10か月児': 'infant-9-10m',
  '9-10か月児': 'infant-9-10m',
  '1歳6か月児': 'infant-1y6m',
  '1歳6か月児健診': 'infant-1y6m',
  '3歳児': 'infant-3y',
  '3歳児健診': 'infant-3y',
} as const;

/** 判定 as the standard forms write it. */
const JUDGEMENT_ALIASES = {
  健康: 'healthy',
  異常なし: 'healthy',
  要観察: 'observe',
  経過観察: 'observe',
  要精査: 'detailed-exam',
  要精密検査: 'detailed-exam',
  要指導: 'guidance',
} as const;

/** 試験紙法 as written by hand or by a full-width export. */
const DIPSTICK_ALIASES = {
  '－': '-',
  '−': '-',
  '(-)': '-',
  '（－）': '-',
  '＋': '+',
  '(+)': '+',
  '（＋）': '+',
  '(±)': '±',
  '（±）': '±',
  '2＋': '2+',
  '3＋': '3+',
  '4＋': '4+',
} as const;

/** 所見の部位 in Japanese (母子保健法施行規則 第2条 and the prenatal and postpartum records). */
const FINDING_AREA_ALIASES = {
  身体発育: 'growth',
  身体発育状況: 'growth',
  栄養: 'nutrition',
  栄養状態: 'nutrition',
  脊柱胸郭: 'spine-chest',
  脊柱及び胸郭: 'spine-chest',
  皮膚: 'skin',
  眼: 'eyes',
  耳鼻咽頭: 'ear-nose-throat',
  歯口腔: 'teeth-mouth',
  歯及び口腔: 'teeth-mouth',
  四肢運動: 'limbs-motor',
  四肢運動障害: 'limbs-motor',
  精神発達: 'mental-development',
  言語: 'speech',
  言語障害: 'speech',
  育児: 'parenting',
  その他: 'other',
  妊娠高血圧症候群: 'hypertensive-disorder',
  妊娠糖尿病: 'gestational-diabetes',
  子宮復古: 'uterine-involution',
  悪露: 'lochia',
  乳房: 'breasts',
} as const;

/** 実施した検査 (妊婦健診) in Japanese. */
const PRENATAL_TEST_ALIASES = {
  血液型: 'blood-type',
  不規則抗体: 'irregular-antibodies',
  血算: 'complete-blood-count',
  血糖: 'blood-glucose',
  B型肝炎抗原: 'hepatitis-b-antigen',
  C型肝炎抗体: 'hepatitis-c-antibody',
  風疹抗体: 'rubella-antibody',
  'HTLV-1抗体': 'htlv1-antibody',
  子宮頸がん検診: 'cervical-cytology',
  B群溶血性レンサ球菌: 'group-b-streptococcus',
  超音波検査: 'ultrasound',
} as const;

const result = (id: string, heading: string, kind: CellKind, path: readonly string[], example: string, more: Partial<Column> = {}) =>
  col(id, heading, kind, path, example, { part: 'result', ...more });

/** 母子保健: the subject (and the pregnancy) on the first of its rows; each row may add a voucher and a checkup result. */
const MATERNAL_CHILD: FileLayout = {
  process: 'maternal-child',
  grouping: 'subject',
  columns: [
    col('modificationSeg', '異動区分', 'text', ['modificationSeg'], '1', { required: true, aliases: {} }),
    col('myNumber', '個人番号', 'text', ['myNumber'], ''),
    col('municipalityIdentityKey', '宛名番号', 'text', ['municipalityIdentityKey'], '1310100001', { required: true }),
    ...basicFive(false),
    col('isNotDisclosed', '不開示フラグ', 'flag', ['isNotDisclosed'], '0'),
    col('reason', '異動事由', 'text', ['reason'], '', { aliases: END_REASON_ALIASES }),
    col('endDate', '異動日', 'date', ['date'], ''),
    col('expectedDeliveryDate', '出産予定日', 'date', ['pregnancy', 'expectedDeliveryDate'], ''),
    col('deliveryDate', '出産日', 'date', ['pregnancy', 'deliveryDate'], ''),
    col('voucherNumber', '受診券番号', 'text', ['voucherNumber'], 'C1M-0001', { part: 'voucher' }),
    col('voucherCheckupKind', '受診券健診種別', 'text', ['checkupKind'], '1か月児', { part: 'voucher', aliases: CHECKUP_KIND_ALIASES }),
    col('voucherSequence', '受診券回数', 'integer', ['sequence'], '', { part: 'voucher' }),
    col('voucherValidFrom', '受診券有効開始日', 'date', ['validFrom'], '令和7年5月1日', { part: 'voucher' }),
    col('voucherValidTo', '受診券有効終了日', 'date', ['validTo'], '令和7年5月14日', { part: 'voucher' }),
    col('subsidyCap', '助成上限額', 'integer', ['subsidyCap'], '4000', { part: 'voucher' }),
    result('resultKey', '健診結果キー', 'text', ['resultKey'], 'K-0001'),
    result('checkupKind', '健診種別', 'text', ['checkupKind'], '3～4か月児', { aliases: CHECKUP_KIND_ALIASES }),
    result('sequence', '健診回数', 'integer', ['sequence'], ''),
    result('resultVoucherNumber', '使用受診券番号', 'text', ['voucherNumber'], ''),
    result('date', '健診日', 'date', ['date'], '令和7年8月20日'),
    result('institutionCode', '実施機関コード', 'text', ['institutionCode'], '1312345674', { aliases: {} }),
    result('gestationalWeeks', '妊娠週数', 'integer', ['gestationalWeeks'], ''),
    result('heightCm', '身長', 'decimal', ['measurements', 'heightCm'], '62.1'),
    result('weightKg', '体重', 'decimal', ['measurements', 'weightKg'], '6.4'),
    result('headCm', '頭囲', 'decimal', ['measurements', 'headCm'], '40.5'),
    result('chestCm', '胸囲', 'decimal', ['measurements', 'chestCm'], '41.0'),
    result('systolic', '収縮期血圧', 'integer', ['measurements', 'systolic'], ''),
    result('diastolic', '拡張期血圧', 'integer', ['measurements', 'diastolic'], ''),
    result('fundalHeightCm', '子宮底長', 'decimal', ['measurements', 'fundalHeightCm'], ''),
    result('abdominalCm', '腹囲', 'decimal', ['measurements', 'abdominalCm'], ''),
    result('urineProtein', '尿蛋白', 'text', ['urine', 'protein'], '', { aliases: DIPSTICK_ALIASES }),
    result('urineGlucose', '尿糖', 'text', ['urine', 'glucose'], '', { aliases: DIPSTICK_ALIASES }),
    result('urineOccultBlood', '尿潜血', 'text', ['urine', 'occultBlood'], '', { aliases: DIPSTICK_ALIASES }),
    result('edema', '浮腫', 'text', ['edema'], '', { aliases: DIPSTICK_ALIASES }),
    result('testsDone', '実施検査', 'list', ['testsDone'], '', { aliases: PRENATAL_TEST_ALIASES }),
    result('findings', '所見', 'details', ['findings'], '身体発育=順調', { aliases: FINDING_AREA_ALIASES, pair: ['area', 'finding'] }),
    result('judgement', '判定', 'text', ['judgement'], '健康', { aliases: JUDGEMENT_ALIASES }),
    result('detailedExamDate', '精密検査受診日', 'date', ['detailedExamDate'], ''),
  ],
};

export const FILE_LAYOUTS: Readonly<Record<FileProcess, FileLayout>> = {
  'medical-subsidy': MEDICAL_SUBSIDY,
  vaccination: VACCINATION,
  'maternal-child': MATERNAL_CHILD,
};
