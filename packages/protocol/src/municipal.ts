import { Type, type Static } from 'typebox';
import { Flag, IsoDate } from './common.ts';
import { DateIn, Key, Text, Uuid, Yen } from './text.ts';

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
  { additionalProperties: false, description: '基本5情報 (basicFiveInfo: name, name in katakana, address, date of birth, sex)' },
);
export type BasicFiveInfo = Static<typeof BasicFiveInfo>;

/** Full-width digits and surrounding spaces are accepted; the check digit is verified after normalisation. */
export const MyNumberText = Text({ minLength: 1, maxLength: 24, description: '個人番号 (My Number), 12 digits with check digit; full-width digits accepted' });
/** 宛名番号: the municipality's own key for a person; compared after normalisation (full-width → ASCII, trimmed). */
export const MunicipalityIdentityKey = Key({ description: '宛名番号 (the municipality’s own person key); full-width letters and digits are read as ASCII' });
/** 機関別受給者証種別ID: the programme (制度マスタ) a certificate belongs to, as the municipality named it. */
export const OrgSpecificCertificateTypeId = Key({ description: '機関別受給者証種別ID: the programme (制度マスタ), as defined by PUT programs' });
/** 公費負担者番号: 8 digits = 法別番号 (2) + 都道府県番号 (2) + 実施機関番号 (3) + check digit. */
const MedicalSubsidyInsurerNumberText = (description: string) =>
  Text({ minLength: 1, maxLength: 16, description: `公費負担者番号 (8 digits with check digit; full-width digits accepted)${description}` });

/** 自己負担上限額: the co-payment limits of a certificate, in yen. */
export const MaxCopaymentAmount = Type.Object(
  {
    monthly: Yen('月額上限額 (monthly limit)'),
    outpatientMonthly: Type.Optional(Yen('外来月額上限額 (monthly limit for outpatient care)')),
    inpatientMonthly: Type.Optional(Yen('入院月額上限額 (monthly limit for inpatient care)')),
  },
  { additionalProperties: false, description: '自己負担上限額 (co-payment limits)' },
);
export type MaxCopaymentAmount = Static<typeof MaxCopaymentAmount>;

/**
 * 受給者証券面項目: the items printed on the certificate, in order, as the municipality registered them.
 * The same shape in the record and in every answer that shows a certificate (eligibility, the resident's view).
 */
export const CertificationDetailItems = Type.Array(
  Type.Object(
    {
      label: Text({ maxLength: 100, description: '項目名 (item)' }),
      value: Text({ maxLength: 1000, multiline: true, description: '記載内容 (may span lines)' }),
    },
    { additionalProperties: false },
  ),
  { maxItems: 100, description: '受給者証券面項目: the items printed on the certificate (may be empty)' },
);
export type CertificationDetailItems = Static<typeof CertificationDetailItems>;

const InstitutionCodeText = Text({ minLength: 1, maxLength: 20, description: '医療機関コード (10 digits; full-width digits accepted)' });
/** 指定医療機関: a 医療機関コード, or the code with the institution's name. */
export const DesignatedMedicalInstitution = Type.Union([
  InstitutionCodeText,
  Type.Object(
    {
      institutionCode: InstitutionCodeText,
      name: Type.Optional(Text({ maxLength: 200, description: '医療機関名 (the institution’s name)' })),
    },
    { additionalProperties: false },
  ),
]);

/** The separators of the published API's multi-valued strings (追加条件, 指定医療機関情報). */
export const PUBLISHED_LIST_SEPARATOR = ';';

/**
 * One record of a medical-subsidy registration task (公費医療費助成 対象者・受給者証), as the
 * published PMH 医療費助成対象者情報登録API (v0.1.1) defines it, with our extensions: the 宛名番号
 * (`municipalityIdentityKey`, optional), arrays beside the published strings for the conditions and
 * the designated institutions, and both spellings of every flag.
 */
export const MedicalSubsidyRecord = Type.Object(
  {
    orgSpecificCertificateTypeId: OrgSpecificCertificateTypeId,
    myNumber: MyNumberText,
    municipalityIdentityKey: Type.Optional(
      Key({
        description:
          '宛名番号 (the municipality’s own person key; full-width letters and digits are read as ASCII). Our addition, not in the ' +
          'published API: without it the subject is found by My Number within the municipality; a new subject registered ' +
          'without one has none (find it with POST /municipal/v1/subjects/search), until a record of the same person names one.',
      }),
    ),
    basicFiveInfo: BasicFiveInfo,
    isNotDisclosed: Flag('不開示フラグ: the person is under DV support measures (支援措置); the address is never disclosed', 'boolean'),
    certificationName: Text({ minLength: 1, maxLength: 200, description: '受給者証名 (the certificate’s name)' }),
    medicalSubsidyInsurerNumber: Type.Optional(MedicalSubsidyInsurerNumberText('; defaults to the programme’s')),
    medicalSubsidyRecipientNumber: Type.Optional(
      Text({
        minLength: 1,
        maxLength: 30,
        description: '公費受給者番号 (7 digits with check digit for national programmes; up to 30 characters for local ones)',
      }),
    ),
    certificationSubKey: Type.Optional(Text({ maxLength: 64, description: '受給者証サブキー: tells apart certificates of one programme held by one person' })),
    segment: Type.Optional(Text({ maxLength: 64, description: '区分 (segment)' })),
    incomeSegment: Type.Optional(Text({ maxLength: 64, description: '所得区分 (income segment)' })),
    additionalConditions: Type.Optional(
      Type.Union(
        [
          Text({ maxLength: 3200, description: 'as published: codes joined by ";" (e.g. "01-1;02-3")' }),
          Type.Array(Text({ maxLength: 64, description: 'a code of the programme’s additionalConditionCodes' }), { maxItems: 50 }),
        ],
        {
          description:
            '追加条件 (additional conditions, e.g. the disease): codes of the programme’s additionalConditionCodes. As published, ' +
            '「追加条件項目コード」-「追加条件コード」 joined by ";"; or an array of the same codes',
        },
      ),
    ),
    designatedMedicalInstitutions: Type.Optional(
      Type.Union(
        [Text({ maxLength: 2200, description: 'as published: 医療機関コード joined by ";"' }), Type.Array(DesignatedMedicalInstitution, { maxItems: 100 })],
        {
          description:
            '指定医療機関 (designated medical institutions; none: any institution). As published, a string of 医療機関コード joined by ";"; ' +
            'or an array of codes, or of { institutionCode, name }',
        },
      ),
    ),
    isAlwaysReimbursement: Flag('常に償還払い (always reimbursed afterwards, never paid at the counter)', '0/1'),
    maxCopaymentAmount: Type.Optional(MaxCopaymentAmount),
    validFrom: IsoDate('医療費助成資格有効期間開始日 (first day of validity)'),
    validTo: IsoDate('医療費助成資格有効期間終了日 (last day of validity)'),
    historyKey: Key({ description: '履歴キー: one version of the certificate; the same key again updates that version' }),
    isDeleted: Flag('削除フラグ: withdraws this version', 'boolean'),
    certificationDetail: CertificationDetailItems,
  },
  {
    additionalProperties: false,
    title: 'MedicalSubsidyRecord',
    description: 'One recipient’s certificate version (公費医療費助成 対象者・受給者証)',
    examples: [
      {
        orgSpecificCertificateTypeId: 'XXXXX',
        myNumber: '210987654320',
        basicFiveInfo: { name: '愛知花子', nameKana: 'アイチハナコ', address: '愛知県B市B町1-1-1 Bマンション101号室', dateOfBirth: '2013-01-01', sex: '2' },
        isNotDisclosed: false,
        medicalSubsidyInsurerNumber: '87654323',
        certificationName: '自立支援医療受給者証(育成医療)',
        medicalSubsidyRecipientNumber: '0000002',
        certificationSubKey: '1',
        segment: '1',
        incomeSegment: '2',
        additionalConditions: '01-1',
        designatedMedicalInstitutions: '2311234567',
        isAlwaysReimbursement: '0',
        maxCopaymentAmount: { monthly: 5000 },
        validFrom: '2024-04-01',
        validTo: '2025-03-31',
        historyKey: '1',
        isDeleted: false,
        certificationDetail: [{ label: '有効期間', value: '令和6年4月1日から令和7年3月31日まで' }],
      },
    ],
  },
);
export type MedicalSubsidyRecord = Static<typeof MedicalSubsidyRecord>;

export const MAX_TASK_RECORDS = 10_000;

/** `POST /municipal/v1/medical-subsidy/registration-tasks`: the records, applied each whole or not at all. */
export const MedicalSubsidyTask = Type.Array(MedicalSubsidyRecord, {
  minItems: 1,
  maxItems: MAX_TASK_RECORDS,
  description: `1 to ${MAX_TASK_RECORDS.toLocaleString('en-US')} records (more: 413). Each record is validated on its own, in full, when the task is applied: a bad record fails alone, with every error of its fields (schema and meaning) together in the task's results.`,
});

/** 制度マスタ: a subsidy programme a municipality runs. */
export const MedicalSubsidyProgram = Type.Object(
  {
    certificationName: Text({ minLength: 1, maxLength: 200, description: '制度名称 (the programme’s name)' }),
    medicalSubsidyInsurerNumber: MedicalSubsidyInsurerNumberText(''),
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

/** 機関別受給者証種別ID as a path segment: ASCII letters, digits and `._-`. */
export const OrgSpecificCertificateTypeIdParam = Type.Object({
  orgSpecificCertificateTypeId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: '機関別受給者証種別ID (制度マスタ ID)' }),
});

export const MedicalSubsidyProgramView = Type.Object({
  orgSpecificCertificateTypeId: Type.String({ description: '機関別受給者証種別ID' }),
  municipalityCode: Type.String(),
  certificationName: Type.String({ description: '制度名称' }),
  medicalSubsidyInsurerNumber: Type.String({ description: '公費負担者番号' }),
  legalBasisCode: Type.String({ description: '法別番号' }),
  additionalConditionCodes: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  updatedAt: Type.String(),
});

export const TaskParams = Type.Object({ taskId: Uuid('the task') });

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

/** Why a subject's registration for vaccination ended (modificationSeg "2"). */
export const VACCINATION_END_REASONS = ['moved-out', 'deceased', 'mistaken'] as const;

/** What a subject’s vaccination registration looks like to its municipality. */
export const VaccinationEnrolmentView = Type.Object({
  status: Type.Enum(['registered', 'ended']),
  endedReason: Type.Union([Type.Enum([...VACCINATION_END_REASONS]), Type.Null()]),
  endedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  records: Type.Integer({ description: 'doses on record (the municipality’s and the clinics’)' }),
  vouchers: Type.Integer({ description: 'vouchers issued' }),
});
export type VaccinationEnrolmentView = Static<typeof VaccinationEnrolmentView>;

/** What a subject’s maternal and child health registration looks like to its municipality. */
export const MaternalChildEnrolmentView = Type.Object({
  status: Type.Enum(['registered', 'ended']),
  endedReason: Type.Union([Type.Enum([...VACCINATION_END_REASONS]), Type.Null()]),
  endedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  vouchers: Type.Integer({ description: 'vouchers issued' }),
  results: Type.Integer({ description: 'checkup results on record (the municipality’s and the venues’)' }),
});
export type MaternalChildEnrolmentView = Static<typeof MaternalChildEnrolmentView>;

export const SubjectView = Type.Object({
  municipalityCode: Type.String(),
  municipalityIdentityKey: Type.Union([Type.String(), Type.Null()], {
    description: '宛名番号; null for a subject registered (as the published API allows) without one',
  }),
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
      segment: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: '区分' })),
      incomeSegment: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: '所得区分' })),
      additionalConditions: Type.Optional(Type.Array(Type.String(), { description: '追加条件 (codes of the programme)' })),
      designatedMedicalInstitutions: Type.Optional(
        Type.Array(Type.Object({ institutionCode: Type.String(), name: Type.Optional(Type.Union([Type.String(), Type.Null()])) }), {
          description: '指定医療機関',
        }),
      ),
      isAlwaysReimbursement: Type.Optional(Type.Boolean({ description: '常に償還払い' })),
      maxCopaymentAmount: Type.Optional(Type.Union([MaxCopaymentAmount, Type.Null()])),
      certificationDetail: Type.Optional(Type.Array(Type.Object({ label: Type.String(), value: Type.String() }), { description: '受給者証券面項目' })),
      registeredAt: Type.Optional(Type.String({ format: 'date-time', description: 'when this version was first stored' })),
      changedAt: Type.Optional(Type.String({ format: 'date-time', description: 'when this version was last changed' })),
    }),
    { description: 'every version (履歴) of every certificate, by programme, sub key, validFrom and historyKey' },
  ),
  vaccination: Type.Optional({ ...VaccinationEnrolmentView, description: 'present once the subject was registered for vaccination (予防接種対象者)' }),
  maternalChild: Type.Optional({
    ...MaternalChildEnrolmentView,
    description: 'present once the subject was registered for maternal and child health (妊婦・乳幼児健診の対象者)',
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type SubjectView = Static<typeof SubjectView>;

export const SubjectParams = Type.Object({ municipalityIdentityKey: MunicipalityIdentityKey });

/** An admin names the municipality it reads; a municipality reads only its own (and need not say so). */
export const SubjectQuery = Type.Object(
  { municipalityCode: Type.Optional(Type.String({ maxLength: 6, pattern: '^[0-9]{6}$', description: 'admin only: the municipality' })) },
  { additionalProperties: false },
);

/** At most this many subjects answer one search (a name search can match many). */
export const MAX_SEARCH_RESULTS = 100;

/**
 * `POST /municipal/v1/subjects/search`: one of three questions, each in the body (a My Number never
 * travels in a URL): by My Number, by 宛名番号, or by name in katakana (and date of birth).
 */
export const SubjectSearch = Type.Object(
  {
    myNumber: Type.Optional(MyNumberText),
    municipalityIdentityKey: Type.Optional(MunicipalityIdentityKey),
    nameKana: Type.Optional(Text({ minLength: 1, maxLength: 200, description: '氏名カナ; half-width and hiragana are read as full-width katakana' })),
    dateOfBirth: Type.Optional(DateIn('birth', '生年月日; only with nameKana')),
  },
  {
    additionalProperties: false,
    description: 'Exactly one of: `{ myNumber }`, `{ municipalityIdentityKey }`, `{ nameKana, dateOfBirth? }`.',
    examples: [{ myNumber: '210987654320' }, { municipalityIdentityKey: '1300100001' }, { nameKana: 'アイチハナコ', dateOfBirth: '2013-01-01' }],
  },
);
export type SubjectSearch = Static<typeof SubjectSearch>;

export const SubjectSearchResult = Type.Object({
  subjects: Type.Array(SubjectView, {
    maxItems: MAX_SEARCH_RESULTS,
    description: `the municipality’s subjects that match, oldest first, at most ${MAX_SEARCH_RESULTS}`,
  }),
});
export type SubjectSearchResult = Static<typeof SubjectSearchResult>;
