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
  /** 1/0, true/false (full-width too) → "1"/"0" */
  | 'flag'
  /** 受給者証券面項目: one `項目名=内容` per line of the cell */
  | 'details';

/** Which part of the record a column fills: the record itself, or one of its doses or vouchers (a row each). */
export type ColumnPart = 'record' | 'dose' | 'voucher';

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
}

/** The array of the record that rows of a part fill. */
export const PART_ARRAYS: Record<Exclude<ColumnPart, 'record'>, string> = { dose: 'vaccinationRecords', voucher: 'vouchers' };

export interface FileLayout {
  process: FileProcess;
  columns: readonly Column[];
  /**
   * `row`: one row, one record. `subject`: consecutive rows of one subject (the same 異動区分 and
   * 宛名番号) make one record, each row adding a dose, a voucher, or both; the subject's columns are
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

export const FILE_LAYOUTS: Readonly<Record<FileProcess, FileLayout>> = {
  'medical-subsidy': MEDICAL_SUBSIDY,
  vaccination: VACCINATION,
};
