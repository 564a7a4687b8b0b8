import type { Db, Trx } from './schema.ts';

/** All SQL of guardians and their dependants (代理人). */

export interface StoredDependant {
  dependantId: string;
  displayName: string;
  /** The dependant's account (the audit reference). */
  accountId: string;
  /** Null until the dependant's account is linked to PMH. */
  pmhPseudonym: string | null;
  addedAt: string;
}

/** One of this guardian's dependants; another guardian's (or an unknown) id is not found. */
export async function dependantOf(db: Db, guardianAccountId: string, dependantId: string): Promise<StoredDependant | undefined> {
  const r = await db
    .selectFrom('dependants as d')
    .innerJoin('accounts as a', 'a.id', 'd.dependant_account_id')
    .select(['d.id', 'd.display_name', 'd.dependant_account_id', 'a.pmh_pseudonym', 'd.created_at'])
    .where('d.id', '=', dependantId)
    .where('d.guardian_account_id', '=', guardianAccountId)
    .executeTakeFirst();
  return r && toDependant(r);
}

export async function dependantsOf(db: Db, guardianAccountId: string): Promise<StoredDependant[]> {
  const rows = await db
    .selectFrom('dependants as d')
    .innerJoin('accounts as a', 'a.id', 'd.dependant_account_id')
    .select(['d.id', 'd.display_name', 'd.dependant_account_id', 'a.pmh_pseudonym', 'd.created_at'])
    .where('d.guardian_account_id', '=', guardianAccountId)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute();
  return rows.map(toDependant);
}

function toDependant(r: { id: string; display_name: string; dependant_account_id: string; pmh_pseudonym: string | null; created_at: Date }): StoredDependant {
  return {
    dependantId: r.id,
    displayName: r.display_name,
    accountId: r.dependant_account_id,
    pmhPseudonym: r.pmh_pseudonym,
    addedAt: new Date(r.created_at).toISOString(),
  };
}

/** The account of a 仮名識別子, without creating it. */
export async function accountByPseudonym(db: Db, pseudonym: string): Promise<{ id: string; pmhPseudonym: string | null } | undefined> {
  const r = await db.selectFrom('accounts').select(['id', 'pmh_pseudonym']).where('pseudonym', '=', pseudonym).executeTakeFirst();
  return r && { id: r.id, pmhPseudonym: r.pmh_pseudonym };
}

/** Adds a dependant (once: adding the same child again answers the first row, its name unchanged). */
export async function addDependant(
  trx: Trx,
  guardianAccountId: string,
  dependantAccountId: string,
  displayName: string,
): Promise<{ created: boolean; dependantId: string; displayName: string }> {
  const inserted = await trx
    .insertInto('dependants')
    .values({ guardian_account_id: guardianAccountId, dependant_account_id: dependantAccountId, display_name: displayName })
    .onConflict((c) => c.columns(['guardian_account_id', 'dependant_account_id']).doNothing())
    .returning(['id', 'display_name'])
    .executeTakeFirst();
  if (inserted) return { created: true, dependantId: inserted.id, displayName: inserted.display_name };
  const found = await trx
    .selectFrom('dependants')
    .select(['id', 'display_name'])
    .where('guardian_account_id', '=', guardianAccountId)
    .where('dependant_account_id', '=', dependantAccountId)
    .executeTakeFirstOrThrow();
  return { created: false, dependantId: found.id, displayName: found.display_name };
}
