import type { EligibilityAnswer, EligibleCertificate } from '@pmh/protocol';
import type { StoredCertificateVersion } from './certificate.ts';

/** What eligibility is decided from: a stored version's facts (any municipality), not withdrawn. */
export type EligibilityFacts = Pick<
  StoredCertificateVersion,
  | 'municipalityCode'
  | 'certificationName'
  | 'medicalSubsidyInsurerNumber'
  | 'medicalSubsidyRecipientNumber'
  | 'segment'
  | 'incomeSegment'
  | 'additionalConditions'
  | 'designatedMedicalInstitutions'
  | 'isAlwaysReimbursement'
  | 'maxCopaymentAmount'
  | 'validFrom'
  | 'validTo'
  | 'certificationDetail'
>;

/**
 * What a medical institution is told (seed A④): every certificate valid at `asOf`, across all
 * municipalities. Without one the answer says why: `expired` when the person held certificates that
 * have all ended before `asOf` (a lapse the receptionist can explain to the patient), otherwise
 * `no-eligibility` (none yet, or none ever).
 */
export function eligibilityAt(versions: EligibilityFacts[], asOf: string, institutionCode: string): EligibilityAnswer {
  const valid = versions.filter((v) => v.validFrom <= asOf && asOf <= v.validTo);
  if (valid.length === 0) {
    const lapsed = versions.length > 0 && versions.every((v) => v.validTo < asOf);
    return { status: 'not-eligible', reason: lapsed ? 'expired' : 'no-eligibility', asOf, institutionCode, certificates: [] };
  }
  const certificates = valid
    .map(
      (v): EligibleCertificate => ({
        municipalityCode: v.municipalityCode,
        certificationName: v.certificationName,
        medicalSubsidyInsurerNumber: v.medicalSubsidyInsurerNumber,
        medicalSubsidyRecipientNumber: v.medicalSubsidyRecipientNumber,
        validFrom: v.validFrom,
        validTo: v.validTo,
        maxCopaymentAmount: v.maxCopaymentAmount,
        segment: v.segment,
        incomeSegment: v.incomeSegment,
        additionalConditions: v.additionalConditions,
        isAlwaysReimbursement: v.isAlwaysReimbursement,
        designatedInstitution:
          v.designatedMedicalInstitutions.length === 0
            ? 'not-restricted'
            : v.designatedMedicalInstitutions.some((d) => d.institutionCode === institutionCode)
              ? 'designated'
              : 'not-designated',
        certificationDetail: v.certificationDetail,
      }),
    )
    .sort(
      (a, b) =>
        a.municipalityCode.localeCompare(b.municipalityCode) ||
        a.medicalSubsidyInsurerNumber.localeCompare(b.medicalSubsidyInsurerNumber) ||
        a.validFrom.localeCompare(b.validFrom),
    );
  return { status: 'eligible', asOf, institutionCode, certificates };
}
