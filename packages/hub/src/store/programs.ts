import { sql } from 'kysely';
import type { Program } from '../domain/medical-subsidy/record.ts';
import type { Trx } from './scope.ts';

interface ProgramRow {
  certificate_type_id: string;
  certification_name: string;
  insurer_number: string;
  legal_basis_code: string;
  additional_condition_codes: Array<{ code: string; name: string }>;
  updated_at: Date;
}

function toProgram(r: ProgramRow): Program & { updatedAt: string } {
  return {
    certificateTypeId: r.certificate_type_id,
    certificationName: r.certification_name,
    insurerNumber: r.insurer_number,
    legalBasisCode: r.legal_basis_code,
    additionalConditionCodes: r.additional_condition_codes,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function upsertProgram(trx: Trx, municipalityCode: string, p: Program): Promise<{ created: boolean; program: Program & { updatedAt: string } }> {
  const { rows } = await sql<ProgramRow & { inserted: boolean }>`
    insert into subsidy_programs (municipality_code, certificate_type_id, certification_name, insurer_number, legal_basis_code, additional_condition_codes)
    values (${municipalityCode}, ${p.certificateTypeId}, ${p.certificationName}, ${p.insurerNumber}, ${p.legalBasisCode}, ${JSON.stringify(p.additionalConditionCodes)}::jsonb)
    on conflict (municipality_code, certificate_type_id) do update set
      certification_name = excluded.certification_name,
      insurer_number = excluded.insurer_number,
      legal_basis_code = excluded.legal_basis_code,
      additional_condition_codes = excluded.additional_condition_codes,
      updated_at = now()
    returning *, (xmax = 0) as inserted`.execute(trx);
  return { created: rows[0].inserted, program: toProgram(rows[0]) };
}

export async function getProgram(trx: Trx, municipalityCode: string, id: string) {
  const { rows } = await sql<ProgramRow>`
    select * from subsidy_programs where municipality_code = ${municipalityCode} and certificate_type_id = ${id}`.execute(trx);
  return rows[0] ? toProgram(rows[0]) : undefined;
}

export async function loadPrograms(trx: Trx, municipalityCode: string, ids: string[]): Promise<Map<string, Program>> {
  const { rows } = await sql<ProgramRow>`
    select * from subsidy_programs
    where municipality_code = ${municipalityCode} and certificate_type_id = any(${ids}::text[])`.execute(trx);
  return new Map(rows.map((r) => [r.certificate_type_id, toProgram(r)]));
}
