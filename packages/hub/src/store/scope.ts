import { sql, type Kysely, type Transaction } from 'kysely';

export type Db = Kysely<any>;
export type Trx = Transaction<any>;

/**
 * Runs `fn` in a transaction as the `pmh_municipal` role with the municipality code set, so the
 * row-level security policies (migration hub-003) admit only that municipality's rows: a query
 * that forgets its `where municipality_code = …` still sees nothing of anyone else.
 */
export async function inMunicipality<T>(db: Db, municipalityCode: string, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterMunicipality(trx, municipalityCode);
    return fn(trx);
  });
}

export async function enterMunicipality(trx: Trx, municipalityCode: string): Promise<void> {
  await sql`select set_config('pmh.municipality_code', ${municipalityCode}, true)`.execute(trx);
  await sql`set local role pmh_municipal`.execute(trx);
}

/** Back to the service's own role within the same transaction (for queue bookkeeping). */
export async function leaveMunicipality(trx: Trx): Promise<void> {
  await sql`reset role`.execute(trx);
  await sql`select set_config('pmh.municipality_code', '', true)`.execute(trx);
}
