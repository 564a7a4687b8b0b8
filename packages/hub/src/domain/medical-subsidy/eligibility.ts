import type { EligibilityAnswer, EligibleCertificate } from '@pmh/protocol';

/** One stored certificate version of the person asked about (any municipality), not withdrawn. */
export interface CertificateVersion {
  municipalityCode: string;
  certificationName: string;
  insurerNumber: string;
  recipientNumber: string | null;
  segment: string | null;
  incomeSegment: string | null;
  additionalConditions: string[];
  designatedInstitutions: Array<{ institutionCode: string; name?: string | null }>;
  isAlwaysReimbursement: boolean;
  maxCopayment: EligibleCertificate['maxCopaymentAmount'];
  validFrom: string;
  validTo: string;
}

/**
 * What a medical institution is told (seed A④): every certificate valid at `asOf`, across all
 * municipalities. Without one the answer says why: `expired` when the person held certificates that
 * have all ended before `asOf` (a lapse the receptionist can explain to the patient), otherwise
 * `no-eligibility` (none yet, or none ever).
 */
export function eligibilityAt(versions: CertificateVersion[], asOf: string, institutionCode: string): EligibilityAnswer {
  const valid = versions.filter((v) => v.validFrom <= asOf && asOf <= v.validTo);
  if (valid.length === 0) {
    const lapsed = versions.length > 0 && versions.every((v) => v.validTo < asOf);
    return { status: 'not-eligible', reason: lapsed ? 'expired' : 'no-eligibility', asOf, institutionCode, certificates: [] };
  }
  const certificates = valid
    .map(
      (v): EligibleCertificate => ({
        municipalityCode: v.municipalityCode,
        programName: v.certificationName,
        medicalSubsidyInsurerNumber: v.insurerNumber,
        medicalSubsidyRecipientNumber: v.recipientNumber,
        validFrom: v.validFrom,
        validTo: v.validTo,
        maxCopaymentAmount: v.maxCopayment,
        segment: v.segment,
        incomeSegment: v.incomeSegment,
        conditions: v.additionalConditions,
        isAlwaysReimbursement: v.isAlwaysReimbursement,
        designatedInstitution:
          v.designatedInstitutions.length === 0
            ? 'not-restricted'
            : v.designatedInstitutions.some((d) => d.institutionCode === institutionCode)
              ? 'designated'
              : 'not-designated',
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
