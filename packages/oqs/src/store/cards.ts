import { sql, type Kysely } from 'kysely';
import type { CardPublicKey } from '../domain/insured.ts';

/** All SQL of card authentication: challenges and the card holder behind a card serial. */

export const CHALLENGE_TTL_SECONDS = 60;

export async function storeChallenge(db: Kysely<any>, challenge: string, clientId: string): Promise<Date> {
  const { rows } = await sql<{ expires_at: Date }>`
    insert into card_challenges (challenge, client_id, expires_at)
    values (${challenge}, ${clientId}, now() + make_interval(secs => ${CHALLENGE_TTL_SECONDS}))
    returning expires_at`.execute(db);
  return rows[0].expires_at;
}

/** Deletes expired challenges; says whether it found any (a full batch means more may remain). */
export async function purgeChallenges(db: Kysely<any>, batch = 10_000): Promise<boolean> {
  const { numAffectedRows } = await sql`
    delete from card_challenges where challenge in (
      select challenge from card_challenges where expires_at < now() limit ${batch})`.execute(db);
  return Number(numAffectedRows ?? 0) === batch;
}

export interface CardHolder {
  /** The insured person's row id: the reference audit rows use. */
  id: string;
  pseudonym: string | null;
  pmhId: string | null;
  publicJwk: CardPublicKey;
}

/** The person a card belongs to, with the card's public key; undefined for an unknown serial. */
export async function cardHolder(db: Kysely<any>, cardSerial: string): Promise<CardHolder | undefined> {
  const { rows } = await sql<{ id: string; pseudonym: string | null; pmh_id: string | null; public_jwk: CardPublicKey }>`
    select i.id, i.pseudonym, i.pmh_id, c.public_jwk
    from cards c join insured i on i.linkage_number = c.linkage_number
    where c.card_serial = ${cardSerial}`.execute(db);
  const r = rows[0];
  return r && { id: r.id, pseudonym: r.pseudonym, pmhId: r.pmh_id, publicJwk: r.public_jwk };
}

/**
 * Uses up the challenge and finds the card's holder in one round trip (the reception hot path):
 * `live` is false when the challenge was unknown, used, foreign or expired; `holder` is undefined
 * for an unknown serial. The challenge is used up either way.
 */
export async function useChallengeAndFindCard(
  db: Kysely<any>,
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
