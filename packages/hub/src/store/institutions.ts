import type { HubDb } from './schema.ts';

/** 医療機関コード → name, for the codes asked (those the registry does not hold are left out). */
export async function institutionNames(db: HubDb, codes: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('medical_institutions').select(['institution_code', 'name']).where('institution_code', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.institution_code, r.name]));
}

/** Adds institutions, or renames those already held; one statement, so a list is stored whole or not at all. */
export async function putInstitutionNames(db: HubDb, entries: Array<{ institutionCode: string; name: string }>): Promise<void> {
  if (entries.length === 0) return;
  // The last entry of a code wins, as if the list were applied line by line.
  const byCode = new Map(entries.map((e) => [e.institutionCode, e.name]));
  await db
    .insertInto('medical_institutions')
    .values([...byCode].map(([institution_code, name]) => ({ institution_code, name })))
    .onConflict((oc) => oc.column('institution_code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), updated_at: new Date() })))
    .execute();
}
