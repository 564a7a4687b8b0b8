import { sql, type Kysely } from 'kysely';
import type { HubDatabase, HubDb, HubTrx } from './schema.ts';

/**
 * Row-level security (migration hub-003): a transaction runs as the `pmh_municipal` role with the
 * municipality's code set, so the policies admit only that municipality's rows — a query that
 * forgets its `where municipality_code = …` still sees nothing of anyone else. The store's own
 * mechanism: routes get a `MunicipalScope` (store/index.ts), never these.
 */
export async function inMunicipality<T>(db: HubDb, municipalityCode: string, fn: (trx: HubTrx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterMunicipality(trx, municipalityCode);
    return fn(trx);
  });
}

export async function enterMunicipality(trx: Kysely<HubDatabase>, municipalityCode: string): Promise<void> {
  await sql`select set_config('pmh.municipality_code', ${municipalityCode}, true)`.execute(trx);
  await sql`set local role pmh_municipal`.execute(trx);
}

/** Back to the service's own role within the same transaction (for queue bookkeeping). */
export async function leaveMunicipality(trx: Kysely<HubDatabase>): Promise<void> {
  await sql`reset role`.execute(trx);
  await sql`select set_config('pmh.municipality_code', '', true)`.execute(trx);
}
