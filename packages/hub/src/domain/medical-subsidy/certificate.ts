import type { MaxCopaymentAmount } from '@pmh/protocol';

/**
 * One version (履歴) of a medical-subsidy certificate (受給者証), named as the published PMH API
 * names its fields: what a registration record says of it (normalised), what is stored, and what
 * eligibility and the resident's view are decided from. The one certificate-version type.
 */
export interface CertificateVersion {
  /** 機関別受給者証種別ID: the programme (制度マスタ). */
  orgSpecificCertificateTypeId: string;
  /** 受給者証サブキー: '' when the person holds one certificate of the programme. */
  certificationSubKey: string;
  /** 履歴キー */
  historyKey: string;
  /** 受給者証名 */
  certificationName: string;
  /** 公費負担者番号, 8 digits. */
  medicalSubsidyInsurerNumber: string;
  /** 公費受給者番号 */
  medicalSubsidyRecipientNumber: string | null;
  /** 区分 */
  segment: string | null;
  /** 所得区分 */
  incomeSegment: string | null;
  /** 追加条件 codes of the programme. */
  additionalConditions: string[];
  /** 指定医療機関; none: any institution. */
  designatedMedicalInstitutions: Array<{ institutionCode: string; name?: string | null }>;
  /** 常に償還払い */
  isAlwaysReimbursement: boolean;
  /** 自己負担上限額 */
  maxCopaymentAmount: MaxCopaymentAmount | null;
  validFrom: string;
  validTo: string;
  /** 削除フラグ: a withdrawn version never counts. */
  isDeleted: boolean;
  /** 受給者証券面項目 */
  certificationDetail: Array<{ label: string; value: string }>;
}

/** A stored version: its row, the subject and municipality it belongs to, and when it was stored. */
export interface StoredCertificateVersion extends CertificateVersion {
  id: string;
  subjectId: string;
  municipalityCode: string;
  createdAt: string;
  updatedAt: string;
}
