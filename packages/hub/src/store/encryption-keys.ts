import { sql } from 'kysely';
import type { JWK } from 'jose';
import type { HubDb } from './schema.ts';

/** The hub's encryption keys for linkage keys, and the linkage-key replay register's upkeep. */

export interface StoredKey {
  kid: string;
  privateJwkEnc: string;
  publicJwk: JWK;
  createdAt: Date;
  retiresAt: Date | null;
}

/** Keys still usable: the current ones (no retirement) and those within their overlap; newest first. */
export async function usableKeys(db: HubDb): Promise<StoredKey[]> {
  const rows = await db
    .selectFrom('encryption_keys')
    .select(['kid', 'private_jwk_enc', 'public_jwk', 'created_at', 'retires_at'])
    .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', sql<Date>`now()`)]))
    .orderBy(sql`(retires_at is null)`, 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ kid: r.kid, privateJwkEnc: r.private_jwk_enc, publicJwk: r.public_jwk, createdAt: r.created_at, retiresAt: r.retires_at }));
}

/**
 * Adds a key. With `overlapSeconds`, every current key retires that long from now (rotation);
 * without it, the key is added only when there is no current key (first start of any hub process).
 * Serialised by an advisory lock so that hub processes starting together make one key.
 */
export async function addKey(
  db: HubDb,
  key: { kid: string; privateJwkEnc: string; publicJwk: JWK },
  overlapSeconds?: number,
): Promise<{ added: boolean; retired: Array<{ kid: string; retiresAt: Date }> }> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('pmh-encryption-keys'))`.execute(trx);
    let retired: Array<{ kid: string; retiresAt: Date }> = [];
    if (overlapSeconds === undefined) {
      const current = await trx.selectFrom('encryption_keys').select('kid').where('retires_at', 'is', null).limit(1).executeTakeFirst();
      if (current) return { added: false, retired };
    } else {
      const rows = await trx
        .updateTable('encryption_keys')
        .set({ retires_at: sql`now() + make_interval(secs => ${overlapSeconds})` })
        .where('retires_at', 'is', null)
        .returning(['kid', 'retires_at'])
        .execute();
      retired = rows.map((r) => ({ kid: r.kid, retiresAt: r.retires_at! }));
      // A key past its overlap is of no use to anyone: its private half goes.
      await trx.deleteFrom('encryption_keys').where('retires_at', '<', sql<Date>`now()`).execute();
    }
    await trx
      .insertInto('encryption_keys')
      .values({ kid: key.kid, private_jwk_enc: key.privateJwkEnc, public_jwk: JSON.stringify(key.publicJwk) })
      .execute();
    return { added: true, retired };
  });
}

/** Forgets linkage-key ids whose keys have expired (they are refused as expired anyway). */
export async function purgeLinkageKeyUses(db: HubDb, batch = 10_000): Promise<boolean> {
  const { numAffectedRows } = await sql`
    delete from linkage_key_uses where jti in (
      select jti from linkage_key_uses where expires_at < now() - interval '1 minute' limit ${batch})`.execute(db);
  return Number(numAffectedRows ?? 0) === batch;
}
