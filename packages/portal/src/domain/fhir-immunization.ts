import crypto from 'node:crypto';
import type { VaccinationRecordBody } from '@pmh/protocol';

/**
 * A resident's vaccination records as FHIR R4 (4.0.1) resources of JP Core (JAMI / 日本医療情報学会
 * NeXEHRS FHIR 研究会, jp-core-v1x): a Bundle (`collection`) of one Patient (JP_Patient) and one
 * Immunization (JP_Immunization) per record. Pure: the portal's route gives it what PMH answered.
 *
 * What goes in, and from where in JP Core (input/fsh/profiles/JP_Immunization.fsh and the code-system
 * table of the JP Core terminology):
 * - `meta.profile`: http://jpfhir.jp/fhir/core/StructureDefinition/JP_Immunization (JP_Patient for the Patient).
 * - `status`: completed, or entered-in-error for a cancelled record (FHIR R4 ImmunizationStatusCodes).
 * - `vaccineCode` (bound to JP_MedicationCode_Immunization_VS, preferred: product codes): the product's
 *   code when the record has one — HOT13 urn:oid:1.2.392.200119.4.402.1, HOT9 urn:oid:1.2.392.200119.4.403.1,
 *   HOT7 urn:oid:1.2.392.200119.4.403.2, YJ urn:oid:1.2.392.100495.20.1.73, GTIN https://www.gs1.org/gtin —
 *   and always our routine-vaccine code (a local code system, as no national one names a vaccine kind).
 * - `patient`: a reference to the Bundle's Patient, which carries no identifier at all (never a PMH-ID
 *   nor a pseudonym: the Bundle is the resident's, and leaves the portal in their hands).
 * - `occurrenceDateTime`, `primarySource` (recorded at the clinic: true; a municipality's past record: false),
 *   `lotNumber`, `expirationDate`, `site`, `route`, `doseQuantity` (mL in MERIT-9 units, JP_MedicationSimpleQuantity),
 *   `performer` (the 医療機関コード, urn:oid:1.2.392.100495.20.3.23, and the doctor's name),
 *   `protocolApplied.doseNumberPositiveInt` and `series`.
 */

export const JP_IMMUNIZATION_PROFILE = 'http://jpfhir.jp/fhir/core/StructureDefinition/JP_Immunization';
export const JP_PATIENT_PROFILE = 'http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient';
/** Our routine-vaccine codes (hib, pcv, …): the contract's, as a code system of this implementation. */
export const PMH_VACCINE_CODE_SYSTEM = 'urn:pmh:fhir:CodeSystem:routine-vaccine';
const MEDICAL_INSTITUTION_CODE = 'urn:oid:1.2.392.100495.20.3.23';
const MERIT9_UNIT = 'urn:oid:1.2.392.100495.20.2.101';
const ROUTE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration';

/** A product code's system, by its shape; undefined for a code of no known system. */
export function productCodeSystem(code: string): { system: string; name: string } | undefined {
  if (/^\d{13}$/.test(code)) return { system: 'urn:oid:1.2.392.200119.4.402.1', name: 'HOT13' };
  if (/^\d{9}$/.test(code)) return { system: 'urn:oid:1.2.392.200119.4.403.1', name: 'HOT9' };
  if (/^\d{7}$/.test(code)) return { system: 'urn:oid:1.2.392.200119.4.403.2', name: 'HOT7' };
  if (/^\d{14}$/.test(code)) return { system: 'https://www.gs1.org/gtin', name: 'GTIN' };
  // 個別医薬品コード (YJ): 12 characters, 薬効分類 (4 digits) …, letters in the middle, a check character last.
  if (/^\d{4}[0-9A-Z]{3}[0-9A-Z][0-9A-Z]{3}[0-9]$/.test(code) && /[A-Z]/.test(code)) return { system: 'urn:oid:1.2.392.100495.20.1.73', name: 'YJ' };
  return undefined;
}

const ROUTES: Record<string, { code?: string; display: string }> = {
  subcutaneous: { code: 'SQ', display: '皮下' },
  intramuscular: { code: 'IM', display: '筋肉内' },
  oral: { code: 'PO', display: '経口' },
  percutaneous: { display: '経皮' },
  'subcutaneous-or-intramuscular': { display: '皮下又は筋肉内' },
};

type Resource = Record<string, unknown>;

/** One record as a JP Core Immunization of the patient at `patientRef`. */
export function immunization(r: VaccinationRecordBody, patientRef: string, vaccineName: string | undefined): Resource {
  const product = r.productCode ? productCodeSystem(r.productCode) : undefined;
  const coding = [
    ...(product && r.productCode ? [{ system: product.system, code: r.productCode, ...(r.productName ? { display: r.productName } : {}) }] : []),
    { system: PMH_VACCINE_CODE_SYSTEM, code: r.vaccineCode, ...(vaccineName ? { display: vaccineName } : {}) },
  ];
  const route = r.route ? ROUTES[r.route] : undefined;
  const performerActor = r.institutionCode
    ? { identifier: { system: MEDICAL_INSTITUTION_CODE, value: r.institutionCode }, ...(r.institutionName ? { display: r.institutionName } : {}) }
    : r.institutionName
      ? { display: r.institutionName }
      : undefined;
  return {
    resourceType: 'Immunization',
    id: r.recordId,
    meta: { profile: [JP_IMMUNIZATION_PROFILE] },
    status: r.status === 'cancelled' ? 'entered-in-error' : 'completed',
    vaccineCode: { coding, text: r.productName ?? vaccineName ?? r.vaccineCode },
    patient: { reference: patientRef },
    occurrenceDateTime: r.date,
    primarySource: r.source === 'clinic',
    ...(r.source === 'municipal' ? { reportOrigin: { text: '市町村の予防接種記録' } } : {}),
    ...(r.lotNumber ? { lotNumber: r.lotNumber } : {}),
    ...(r.expirationDate ? { expirationDate: r.expirationDate } : {}),
    ...(r.site ? { site: { text: r.site } } : {}),
    ...(route ? { route: { ...(route.code ? { coding: [{ system: ROUTE_SYSTEM, code: route.code }] } : {}), text: route.display } } : {}),
    ...(r.doseVolumeMl !== undefined ? { doseQuantity: { value: r.doseVolumeMl, unit: 'mL', system: MERIT9_UNIT, code: 'ML' } } : {}),
    ...(performerActor || r.doctorName
      ? {
          performer: [
            ...(performerActor ? [{ actor: performerActor }] : []),
            ...(r.doctorName
              ? [
                  {
                    function: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0443', code: 'AP', display: 'Administering Provider' }] },
                    actor: { display: r.doctorName },
                  },
                ]
              : []),
          ],
        }
      : {}),
    protocolApplied: [{ ...(r.series ? { series: r.series } : {}), doseNumberPositiveInt: r.doseNumber }],
  };
}

/** The resident's records as a Bundle (`collection`), made at `now`. */
export function immunizationBundle(records: readonly VaccinationRecordBody[], names: ReadonlyMap<string, string>, now = new Date()): Resource {
  const patientUrl = `urn:uuid:${crypto.randomUUID()}`;
  const entry = records.length
    ? [
        { fullUrl: patientUrl, resource: { resourceType: 'Patient', meta: { profile: [JP_PATIENT_PROFILE] } } },
        ...records.map((r) => ({ fullUrl: `urn:uuid:${r.recordId}`, resource: immunization(r, patientUrl, names.get(r.vaccineCode)) })),
      ]
    : [];
  return { resourceType: 'Bundle', meta: { lastUpdated: now.toISOString() }, type: 'collection', timestamp: now.toISOString(), entry };
}
