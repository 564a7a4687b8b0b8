import { sql } from 'kysely';
import type { CardPublicKey } from '../domain/insured.ts';
import type { Db } from './schema.ts';

/** All SQL of card authentication: challenges and the card holder behind a card serial. */

export const CHALLENGE_TTL_SECONDS = 60;

export async function storeChallenge(db: Db, challenge: string, clientId: string): Promise<Date> {
  const row = await db
    .insertInto('card_challenges')
    .values({ challenge, client_id: clientId, expires_at: sql<Date>`now() + make_interval(secs => ${CHALLENGE_TTL_SECONDS})` })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return row.expires_at;
}

/** Deletes expired challenges; says whether it found any (a full batch means more may remain). */
export async function purgeChallenges(db: Db, batch = 10_000): Promise<boolean> {
  const { numDeletedRows } = await db
    .deleteFrom('card_challenges')
    .where('challenge', 'in', (q) => q.selectFrom('card_challenges').select('challenge').where('expires_at', '<', sql<Date>`now()`).limit(batch))
    .executeTakeFirst();
  return Number(numDeletedRows) === batch;
}

export interface CardHolder {
  /** The insured person's row id: the reference audit rows use. */
  id: string;
  pseudonym: string | null;
  pmhId: string | null;
  publicJwk: CardPublicKey;
}

/** The person a card belongs to, with the card's public key; undefined for an unknown serial. */
export async function cardHolder(db: Db, cardSerial: string): Promise<CardHolder | undefined> {
  const r = await db
    .selectFrom('cards as c')
    .innerJoin('insured as i', 'i.linkage_number', 'c.linkage_number')
    .select(['i.id', 'i.pseudonym', 'i.pmh_id', 'c.public_jwk'])
    .where('c.card_serial', '=', cardSerial)
    .executeTakeFirst();
  return r && { id: r.id, pseudonym: r.pseudonym, pmhId: r.pmh_id, publicJwk: r.public_jwk };
}

/**
 * Uses up the challenge and finds the card's holder in one round trip (the reception hot path):
 * `live` is false when the challenge was unknown, used, foreign or expired; `holder` is undefined
 * for an unknown serial. The challenge is used up either way.
 */
export async function useChallengeAndFindCard(
  db: Db,
  challenge: string,
  clientId: string,
  cardSerial: string,
): Promise<{ live: boolean; holder?: CardHolder }> {
  const { rows } = await sql<{ live: boolean | null; id: string | null; pseudonym: string | null; pmh_id: string | null; public_jwk: CardPublicKey | null }>`
    with used as (
      delete from card_challenges where challenge = ${challenge} and client_id = ${clientId}
      returning expires_at > now() as live
    )
    select (select live from used) as live, i.id, i.pseudonym, i.pmh_id, c.public_jwk
    from (select 1) as one
    left join cards c on c.card_serial = ${cardSerial}
    left join insured i on i.linkage_number = c.linkage_number`.execute(db);
  const r = rows[0];
  return { live: r.live === true, holder: r.id && r.public_jwk ? { id: r.id, pseudonym: r.pseudonym, pmhId: r.pmh_id, publicJwk: r.public_jwk } : undefined };
}
