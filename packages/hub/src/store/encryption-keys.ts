import { sql, type Kysely } from 'kysely';
import type { JWK } from 'jose';

/** All SQL of the hub's encryption keys and the linkage-key replay register. */

export interface StoredKey {
  kid: string;
  privateJwkEnc: string;
  publicJwk: JWK;
  createdAt: Date;
  retiresAt: Date | null;
}

/** Keys still usable: the current ones (no retirement) and those within their overlap; newest first. */
export async function usableKeys(db: Kysely<any>): Promise<StoredKey[]> {
  const { rows } = await sql<{ kid: string; private_jwk_enc: string; public_jwk: JWK; created_at: Date; retires_at: Date | null }>`
    select kid, private_jwk_enc, public_jwk, created_at, retires_at from encryption_keys
    where retires_at is null or retires_at > now()
    order by (retires_at is null) desc, created_at desc`.execute(db);
  return rows.map((r) => ({ kid: r.kid, privateJwkEnc: r.private_jwk_enc, publicJwk: r.public_jwk, createdAt: r.created_at, retiresAt: r.retires_at }));
}

/**
 * Adds a key. With `overlapSeconds`, every current key retires that long from now (rotation);
 * without it, the key is added only when there is no current key (first start of any hub process).
 * Serialised by an advisory lock so that hub processes starting together make one key.
 */
export async function addKey(
  db: Kysely<any>,
  key: { kid: string; privateJwkEnc: string; publicJwk: JWK },
  overlapSeconds?: number,
): Promise<{ added: boolean; retired: Array<{ kid: string; retiresAt: Date }> }> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('pmh-encryption-keys'))`.execute(trx);
    let retired: Array<{ kid: string; retiresAt: Date }> = [];
    if (overlapSeconds === undefined) {
      const { rows } = await sql`select 1 from encryption_keys where retires_at is null limit 1`.execute(trx);
      if (rows.length) return { added: false, retired };
    } else {
      const { rows } = await sql<{ kid: string; retires_at: Date }>`
        update encryption_keys set retires_at = now() + make_interval(secs => ${overlapSeconds})
        where retires_at is null returning kid, retires_at`.execute(trx);
      retired = rows.map((r) => ({ kid: r.kid, retiresAt: r.retires_at }));
      // A key past its overlap is of no use to anyone: its private half goes.
      await sql`delete from encryption_keys where retires_at < now()`.execute(trx);
    }
    await sql`insert into encryption_keys (kid, private_jwk_enc, public_jwk) values (${key.kid}, ${key.privateJwkEnc}, ${JSON.stringify(key.publicJwk)}::jsonb)`.execute(
      trx,
    );
    return { added: true, retired };
  });
}

/** Forgets linkage-key ids whose keys have expired (they are refused as expired anyway). */
export async function purgeLinkageKeyUses(db: Kysely<any>, batch = 10_000): Promise<boolean> {
  const { numAffectedRows } = await sql`
    delete from linkage_key_uses where jti in (
      select jti from linkage_key_uses where expires_at < now() - interval '1 minute' limit ${batch})`.execute(db);
  return Number(numAffectedRows ?? 0) === batch;
}
