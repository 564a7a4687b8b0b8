import type { MedicalSubsidyRecord } from '@pmh/protocol';
import { payerNumber, myNumber, personName, dateBetween, type Rng } from '@pmh/seed/synthetic';

/** The generators of synthetic identifiers live with the demo world (`@pmh/seed`); tests use them from here too. */
export { Rng, myNumber, payerNumber, recipientNumber, personName, dateBetween } from '@pmh/seed/synthetic';

/** 子ども医療費助成 as a local (法別 88) programme of a Tokyo ward, the most common subsidy. */
export const CHILD_PROGRAM = {
  certificateTypeId: 'child-medical',
  certificationName: '子ども医療費助成',
  medicalSubsidyInsurerNumber: payerNumber('88', '13', '101'),
  legalBasisCode: '88',
  additionalConditionCodes: [
    { code: 'A1', name: '入院' },
    { code: 'A2', name: '通院' },
  ],
};

/** 難病 特定医療費 (法別 54), a national programme: recipient numbers carry a check digit. */
export const INTRACTABLE_PROGRAM = {
  certificateTypeId: 'nanbyo',
  certificationName: '特定医療費（指定難病）',
  medicalSubsidyInsurerNumber: '54016027',
  legalBasisCode: '54',
};

export interface SubsidyRecordInput {
  myNumber: string;
  municipalityIdentityKey: string;
  [k: string]: unknown;
}

/** A valid child-medical record, typed as the wire has it: for callers of the typed clients. */
export function childMedicalRecord(rng: Rng, overrides: Partial<MedicalSubsidyRecord> = {}): MedicalSubsidyRecord {
  const n = personName(rng);
  return {
    orgSpecificCertificateTypeId: CHILD_PROGRAM.certificateTypeId,
    myNumber: myNumber(rng),
    municipalityIdentityKey: `A${rng.digits(9)}`,
    basicFiveInfo: { ...n, address: '東京都千代田区千代田1-1', dateOfBirth: dateBetween(rng, 2012, 2024), sex: rng.pick(['1', '2'] as const) },
    isNotDisclosed: '0',
    certificationName: CHILD_PROGRAM.certificationName,
    medicalSubsidyInsurerNumber: CHILD_PROGRAM.medicalSubsidyInsurerNumber,
    medicalSubsidyRecipientNumber: rng.digits(8),
    segment: '1',
    incomeSegment: 'A',
    additionalConditions: ['A1', 'A2'],
    isAlwaysReimbursement: '0',
    maxCopaymentAmount: { monthly: 0 },
    validFrom: '2025-04-01',
    validTo: '2026-03-31',
    historyKey: '1',
    isDeleted: '0',
    certificationDetail: [{ label: '自己負担', value: 'なし' }],
    ...overrides,
  };
}

/** A valid child-medical record; override any field (with anything: tests send what the types refuse too). */
export function childRecord(rng: Rng, overrides: Record<string, unknown> = {}): Record<string, any> {
  return { ...childMedicalRecord(rng), ...overrides };
}
