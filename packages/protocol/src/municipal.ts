import { Type, type Static } from 'typebox';
import { Flag, IsoDate } from './common.ts';
import { DateIn, Key, Text, Yen } from './text.ts';

/**
 * Hub municipal API (`/municipal/v1`), after the published PMH municipal registration APIs.
 * Field names follow the published spec; the Japanese term stands once, here.
 */

/** 基本4情報 + 性別 (the basic identity information of a resident). */
export const BasicFiveInfo = Type.Object(
  {
    /** 氏名 */
    name: Text({ minLength: 1, maxLength: 100, description: '氏名 (full name)' }),
    /** 氏名カナ: katakana; half-width and hiragana are normalised to full-width katakana. */
    nameKana: Type.Optional(Text({ maxLength: 200, description: '氏名カナ (name in katakana)' })),
    /** 住所 */
    address: Type.Optional(Text({ maxLength: 300, description: '住所 (address)' })),
    /** 生年月日 */
    dateOfBirth: DateIn('birth', '生年月日 (date of birth)'),
    /** 性別, ISO 5218: "0" unknown, "1" male, "2" female, "9" not applicable */
    sex: Type.Enum(['0', '1', '2', '9'], { description: '性別 (ISO 5218)' }),
  },
  { additionalProperties: false },
);
export type BasicFiveInfo = Static<typeof BasicFiveInfo>;

/** Full-width digits and surrounding spaces are accepted; the check digit is verified after normalisation. */
const Digits12 = Text({ minLength: 1, maxLength: 24, description: '個人番号 (My Number), 12 digits with check digit' });
/** 宛名番号: the municipality's own key for a person; compared after normalisation (full-width → ASCII, trimmed). */
export const MunicipalityIdentityKey = Key({ description: '宛名番号 (the municipality’s own person key); full-width letters and digits are read as ASCII' });

export const MaxCopaymentAmount = Type.Object(
  {
    monthly: Yen('月額上限額'),
    outpatientMonthly: Type.Optional(Yen('外来月額上限額')),
    inpatientMonthly: Type.Optional(Yen('入院月額上限額')),
  },
  { additionalProperties: false },
);

const InstitutionCodeText = Text({ minLength: 1, maxLength: 20, description: '医療機関コード (10 digits; full-width digits accepted)' });
export const DesignatedMedicalInstitution = Type.Union([
  InstitutionCodeText,
  Type.Object(
    {
      institutionCode: InstitutionCodeText,
      name: Type.Optional(Text({ maxLength: 200, description: '医療機関名' })),
    },
    { additionalProperties: false },
  ),
]);

/** One record of a medical-subsidy registration task (公費医療費助成 対象者・受給者証). */
export const MedicalSubsidyRecord = Type.Object(
  {
    orgSpecificCertificateTypeId: Key({ description: '制度マスタ ID (the programme, as defined by PUT programs)' }),
    myNumber: Digits12,
    municipalityIdentityKey: MunicipalityIdentityKey,
    basicFiveInfo: BasicFiveInfo,
    isNotDisclosed: Flag('DV等支援措置 (address must not be disclosed)'),
    certificationName: Text({ minLength: 1, maxLength: 200, description: '受給者証名称' }),
    medicalSubsidyInsurerNumber: Type.Optional(
      Text({ minLength: 1, maxLength: 16, description: '公費負担者番号 (8 digits with check digit); defaults to the programme’s' }),
    ),
    medicalSubsidyRecipientNumber: Type.Optional(
      Text({
        minLength: 1,
        maxLength: 30,
        description: '公費受給者番号 (7 digits with check digit for national programmes; up to 30 characters for local ones)',
      }),
    ),
    certificationSubKey: Type.Optional(Text({ maxLength: 64, description: '資格サブキー: tells apart certificates of one programme held by one person' })),
    segment: Type.Optional(Text({ maxLength: 64, description: '区分' })),
    incomeSegment: Type.Optional(Text({ maxLength: 64, description: '所得区分' })),
    additionalConditions: Type.Optional(Type.Array(Text({ maxLength: 64, description: '追加条件 code' }), { maxItems: 50, description: '追加条件 codes' })),
    designatedMedicalInstitutions: Type.Optional(Type.Array(DesignatedMedicalInstitution, { maxItems: 100, description: '指定医療機関' })),
    isAlwaysReimbursement: Flag('常に償還払い'),
    maxCopaymentAmount: Type.Optional(MaxCopaymentAmount),
    validFrom: IsoDate('有効開始日'),
    validTo: IsoDate('有効終了日'),
    historyKey: Key({ description: '履歴キー: one version of the certificate' }),
    isDeleted: Flag('削除フラグ: withdraws this version'),
    certificationDetail: Type.Array(
      Type.Object(
        { label: Text({ maxLength: 100, description: '項目名' }), value: Text({ maxLength: 1000, multiline: true, description: '記載内容 (may span lines)' }) },
        { additionalProperties: false },
      ),
      { maxItems: 100, description: '受給者証記載事項' },
    ),
  },
  { additionalProperties: false, $id: 'MedicalSubsidyRecord' },
);
export type MedicalSubsidyRecord = Static<typeof MedicalSubsidyRecord>;

/** 制度マスタ: a subsidy programme a municipality runs. */
export const MedicalSubsidyProgram = Type.Object(
  {
    certificationName: Text({ minLength: 1, maxLength: 200, description: '制度名称' }),
    medicalSubsidyInsurerNumber: Text({ minLength: 1, maxLength: 16, description: '公費負担者番号 (8 digits with check digit; full-width digits accepted)' }),
    legalBasisCode: Type.String({
      maxLength: 2,
      pattern: '^[0-9]{2}$',
      description: '法別番号 (2 digits); must match the first two digits of the payer number',
    }),
    additionalConditionCodes: Type.Optional(
      Type.Array(
        Type.Object(
          { code: Key({ description: '追加条件 code' }), name: Text({ maxLength: 200, description: '追加条件 name' }) },
          { additionalProperties: false },
        ),
        { maxItems: 200 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type MedicalSubsidyProgram = Static<typeof MedicalSubsidyProgram>;

export const MedicalSubsidyProgramView = Type.Object({
  certificateTypeId: Type.String(),
  municipalityCode: Type.String(),
  certificationName: Type.String({ description: '制度名称' }),
  medicalSubsidyInsurerNumber: Type.String({ description: '公費負担者番号' }),
  legalBasisCode: Type.String({ description: '法別番号' }),
  additionalConditionCodes: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  updatedAt: Type.String(),
});

export const MAX_TASK_RECORDS = 10_000;

export const TaskAccepted = Type.Object({
  taskId: Type.String({ format: 'uuid' }),
  status: Type.String(),
  total: Type.Integer(),
});

export const TaskStatus = Type.Enum(['queued', 'running', 'done', 'failed']);

export const RecordResult = Type.Object({
  index: Type.Integer(),
  outcome: Type.Enum(['created', 'updated', 'unchanged', 'deleted', 'failed']),
  errors: Type.Optional(Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() }))),
});
export type RecordResult = Static<typeof RecordResult>;

export const TaskView = Type.Object({
  taskId: Type.String(),
  process: Type.String(),
  status: TaskStatus,
  total: Type.Integer(),
  succeeded: Type.Integer(),
  failed: Type.Integer(),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  results: Type.Array(RecordResult),
});
export type TaskView = Static<typeof TaskView>;

export const SubjectView = Type.Object({
  municipalityCode: Type.String(),
  municipalityIdentityKey: Type.String(),
  basicFiveInfo: Type.Object({
    name: Type.String(),
    nameKana: Type.Union([Type.String(), Type.Null()]),
    address: Type.Union([Type.String(), Type.Null()]),
    dateOfBirth: Type.String(),
    sex: Type.String(),
  }),
  isNotDisclosed: Type.Boolean(),
  pmhIdStatus: Type.Enum(['pending', 'issued', 'failed'], { description: 'PMH-ID issuance (the PMH-ID itself is shown to admin only)' }),
  portalLinkStatus: Type.Enum(['unlinked', 'linked']),
  pmhId: Type.Optional(Type.String()),
  medicalSubsidyCertificates: Type.Array(
    Type.Object({
      orgSpecificCertificateTypeId: Type.String(),
      certificationName: Type.String(),
      certificationSubKey: Type.String(),
      historyKey: Type.String(),
      medicalSubsidyInsurerNumber: Type.String(),
      medicalSubsidyRecipientNumber: Type.Union([Type.String(), Type.Null()]),
      validFrom: Type.String(),
      validTo: Type.String(),
      isDeleted: Type.Boolean(),
    }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type SubjectView = Static<typeof SubjectView>;
