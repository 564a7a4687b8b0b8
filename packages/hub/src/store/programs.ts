import { sql, type Selectable } from 'kysely';
import type { Program } from '../domain/medical-subsidy/record.ts';
import type { HubTrx, SubsidyProgramsTable } from './schema.ts';

/** 制度マスタ: the subsidy programmes of the municipality in scope. */

export interface StoredProgram extends Program {
  updatedAt: string;
}

function toProgram(r: Selectable<SubsidyProgramsTable>): StoredProgram {
  return {
    orgSpecificCertificateTypeId: r.org_specific_certificate_type_id,
    certificationName: r.certification_name,
    medicalSubsidyInsurerNumber: r.medical_subsidy_insurer_number,
    legalBasisCode: r.legal_basis_code,
    additionalConditionCodes: r.additional_condition_codes,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** Creates or replaces a programme; `created` tells which. */
export async function upsertProgram(trx: HubTrx, municipalityCode: string, p: Program): Promise<{ created: boolean; program: StoredProgram }> {
  const row = await trx
    .insertInto('subsidy_programs')
    .values({
      municipality_code: municipalityCode,
      org_specific_certificate_type_id: p.orgSpecificCertificateTypeId,
      certification_name: p.certificationName,
      medical_subsidy_insurer_number: p.medicalSubsidyInsurerNumber,
      legal_basis_code: p.legalBasisCode,
      additional_condition_codes: JSON.stringify(p.additionalConditionCodes),
    })
    .onConflict((oc) =>
      oc.columns(['municipality_code', 'org_specific_certificate_type_id']).doUpdateSet((eb) => ({
        certification_name: eb.ref('excluded.certification_name'),
        medical_subsidy_insurer_number: eb.ref('excluded.medical_subsidy_insurer_number'),
        legal_basis_code: eb.ref('excluded.legal_basis_code'),
        additional_condition_codes: eb.ref('excluded.additional_condition_codes'),
        updated_at: sql`now()`,
      })),
    )
    .returningAll()
    // xmax is 0 on a row this statement inserted, set on one it updated.
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirstOrThrow();
  return { created: row.inserted, program: toProgram(row) };
}

export async function getProgram(trx: HubTrx, municipalityCode: string, id: string): Promise<StoredProgram | undefined> {
  const row = await trx
    .selectFrom('subsidy_programs')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('org_specific_certificate_type_id', '=', id)
    .executeTakeFirst();
  return row && toProgram(row);
}

/** The programmes of these ids, by id (unknown ids are simply absent). */
export async function loadPrograms(trx: HubTrx, municipalityCode: string, ids: string[]): Promise<Map<string, Program>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom('subsidy_programs')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('org_specific_certificate_type_id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.org_specific_certificate_type_id, toProgram(r)]));
}

/** Every programme of the municipality, by id. */
export async function listPrograms(trx: HubTrx, municipalityCode: string): Promise<StoredProgram[]> {
  const rows = await trx
    .selectFrom('subsidy_programs')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .orderBy('org_specific_certificate_type_id')
    .execute();
  return rows.map(toProgram);
}
