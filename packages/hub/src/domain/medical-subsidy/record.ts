import { Compile } from 'typebox/compile';
import { MedicalSubsidyRecord, flagValue } from '@pmh/protocol';
import type { FieldError } from '@pmh/core/http/problem';
import { toFieldErrors } from '@pmh/core/http/validate';
import {
  isValidMyNumber,
  isValidPayerNumber,
  isValidRecipientNumber,
  legalBasisCode,
  isValidMedicalInstitutionCode,
} from '@pmh/core/text/checkdigits';
import { normalizeDigits, normalizeKanaName, isKatakanaName, normalizeName, toHalfWidthAscii, todayInJapan } from '@pmh/core/text/japanese';

/** A programme (制度マスタ) as the rules need it. */
export interface Program {
  certificateTypeId: string;
  certificationName: string;
  insurerNumber: string;
  legalBasisCode: string;
  additionalConditionCodes: Array<{ code: string; name: string }>;
}

/** A record after validation and normalisation: what the store applies. */
export interface SubsidyRecord {
  index: number;
  municipalityIdentityKey: string;
  myNumber: string;
  subject: {
    name: string;
    nameKana: string | null;
    address: string | null;
    dateOfBirth: string;
    sex: string;
    isNotDisclosed: boolean;
  };
  certificate: {
    certificateTypeId: string;
    certificationSubKey: string;
    historyKey: string;
    certificationName: string;
    insurerNumber: string;
    recipientNumber: string | null;
    segment: string | null;
    incomeSegment: string | null;
    additionalConditions: string[];
    designatedInstitutions: Array<{ institutionCode: string; name?: string }>;
    isAlwaysReimbursement: boolean;
    maxCopayment: { monthly: number; outpatientMonthly?: number; inpatientMonthly?: number } | null;
    validFrom: string;
    validTo: string;
    isDeleted: boolean;
    certificationDetail: Array<{ label: string; value: string }>;
  };
}

const check = Compile(MedicalSubsidyRecord);

/** 法別番号 80–89 are local (地方単独) programmes; their recipient numbers follow no national rule. */
export function isLocalProgram(legalBasis: string): boolean {
  return legalBasis.startsWith('8');
}

export { todayInJapan };

/**
 * Validates and normalises one record. Messages name the field and say what is wrong in plain
 * words; they never repeat the value (it may be a My Number).
 */
export function validateSubsidyRecord(
  raw: unknown,
  index: number,
  programs: ReadonlyMap<string, Program>,
  today = todayInJapan(),
): { record: SubsidyRecord } | { errors: FieldError[] } {
  const at = (p: string) => `/${index}${p}`;
  if (!check.Check(raw)) return { errors: toFieldErrors(check.Errors(raw), `/${index}`) };
  const r = raw as MedicalSubsidyRecord;
  const errors: FieldError[] = [];

  const myNumber = normalizeDigits(r.myNumber);
  if (!isValidMyNumber(myNumber)) errors.push({ pointer: at('/myNumber'), message: 'is not a valid My Number (12 digits with a correct check digit)' });

  const key = toHalfWidthAscii(r.municipalityIdentityKey).trim();
  if (!key) errors.push({ pointer: at('/municipalityIdentityKey'), message: 'must not be empty' });

  const b = r.basicFiveInfo;
  const name = normalizeName(b.name);
  if (!name) errors.push({ pointer: at('/basicFiveInfo/name'), message: 'must not be empty' });
  let nameKana: string | null = null;
  if (b.nameKana !== undefined && b.nameKana.trim() !== '') {
    nameKana = normalizeKanaName(b.nameKana);
    if (!isKatakanaName(nameKana)) errors.push({ pointer: at('/basicFiveInfo/nameKana'), message: 'must be written in katakana' });
  }
  if (b.dateOfBirth > today) errors.push({ pointer: at('/basicFiveInfo/dateOfBirth'), message: 'must not be in the future' });
  else if (b.dateOfBirth < '1868-01-25') errors.push({ pointer: at('/basicFiveInfo/dateOfBirth'), message: 'is before the Meiji era and cannot be right' });

  const program = programs.get(r.orgSpecificCertificateTypeId);
  if (!program) {
    errors.push({
      pointer: at('/orgSpecificCertificateTypeId'),
      message: 'names no programme of this municipality; define it first with PUT /municipal/v1/medical-subsidy/programs/{certificateTypeId}',
    });
  }

  const insurer = r.medicalSubsidyInsurerNumber !== undefined ? normalizeDigits(r.medicalSubsidyInsurerNumber) : program?.insurerNumber;
  if (insurer === undefined) {
    /* reported as the unknown programme above */
  } else if (!isValidPayerNumber(insurer)) {
    errors.push({ pointer: at('/medicalSubsidyInsurerNumber'), message: 'is not a valid payer number (8 digits with a correct check digit)' });
  } else if (program && legalBasisCode(insurer) !== program.legalBasisCode) {
    errors.push({
      pointer: at('/medicalSubsidyInsurerNumber'),
      message: `has legal-basis code (法別番号) ${legalBasisCode(insurer)}, but the programme is ${program.legalBasisCode}`,
    });
  }

  let recipient: string | null = null;
  if (r.medicalSubsidyRecipientNumber !== undefined) {
    recipient = toHalfWidthAscii(r.medicalSubsidyRecipientNumber).trim();
    const national = program ? !isLocalProgram(program.legalBasisCode) : true;
    if (national && /^\d{7}$/.test(recipient) && !isValidRecipientNumber(recipient)) {
      errors.push({ pointer: at('/medicalSubsidyRecipientNumber'), message: 'is not a valid recipient number (7 digits with a correct check digit)' });
    } else if (national && !/^\d{7}$/.test(recipient)) {
      errors.push({ pointer: at('/medicalSubsidyRecipientNumber'), message: 'must be 7 digits for a national programme' });
    }
  }

  if (r.validFrom > r.validTo) errors.push({ pointer: at('/validTo'), message: 'must not be before validFrom' });

  const conditions = r.additionalConditions ?? [];
  if (program && program.additionalConditionCodes.length > 0) {
    const known = new Set(program.additionalConditionCodes.map((c) => c.code));
    conditions.forEach((c, i) => {
      if (!known.has(c)) errors.push({ pointer: at(`/additionalConditions/${i}`), message: 'is not an additional-condition code of this programme' });
    });
  }

  const designated = (r.designatedMedicalInstitutions ?? []).map((d, i) => {
    const institution = typeof d === 'string' ? { institutionCode: d } : d;
    const code = normalizeDigits(institution.institutionCode);
    if (!isValidMedicalInstitutionCode(code)) {
      const p = typeof d === 'string' ? `/designatedMedicalInstitutions/${i}` : `/designatedMedicalInstitutions/${i}/institutionCode`;
      errors.push({ pointer: at(p), message: 'is not a medical-institution code (10 digits: prefecture, 点数表, district, number, check digit)' });
    }
    return { ...institution, institutionCode: code };
  });

  if (errors.length) return { errors };
  return {
    record: {
      index,
      municipalityIdentityKey: key,
      myNumber,
      subject: {
        name,
        nameKana,
        address: b.address?.trim() ? normalizeName(b.address) : null,
        dateOfBirth: b.dateOfBirth,
        sex: b.sex,
        isNotDisclosed: flagValue(r.isNotDisclosed),
      },
      certificate: {
        certificateTypeId: r.orgSpecificCertificateTypeId,
        certificationSubKey: r.certificationSubKey ?? '',
        historyKey: r.historyKey,
        certificationName: r.certificationName,
        insurerNumber: insurer!,
        recipientNumber: recipient,
        segment: r.segment ?? null,
        incomeSegment: r.incomeSegment ?? null,
        additionalConditions: conditions,
        designatedInstitutions: designated,
        isAlwaysReimbursement: flagValue(r.isAlwaysReimbursement),
        maxCopayment: r.maxCopaymentAmount ?? null,
        validFrom: r.validFrom,
        validTo: r.validTo,
        isDeleted: flagValue(r.isDeleted),
        certificationDetail: r.certificationDetail,
      },
    },
  };
}
