import { sql, type Kysely } from 'kysely';

/**
 * All SQL of resident sessions: login challenges, sessions (by token hash), and the account a card
 * login lands on. Times are the database's (`now()`), so every portal process agrees on expiry.
 */

export const CHALLENGE_TTL_SECONDS = 60;

export async function storeChallenge(db: Kysely<any>, challenge: string): Promise<Date> {
  const { rows } = await sql<{ expires_at: Date }>`
    insert into session_challenges (challenge, expires_at)
    values (${challenge}, now() + make_interval(secs => ${CHALLENGE_TTL_SECONDS}))
    returning expires_at`.execute(db);
  return new Date(rows[0].expires_at);
}

/**
 * Uses up a challenge: true when it was issued here and has not expired. Deleting it is what makes
 * it single use — two concurrent logins with one challenge cannot both delete the row.
 */
export async function consumeChallenge(db: Kysely<any>, challenge: string): Promise<boolean> {
  const { rows } = await sql<{ live: boolean }>`
    delete from session_challenges where challenge = ${challenge}
    returning expires_at > now() as live`.execute(db);
  return rows[0]?.live === true;
}

/**
 * The account a card login lands on, by the 仮名識別子 OQS vouched for: created when missing (an
 * account with no PMH link yet; OQS's links give it one later).
 */
export async function accountForLogin(trx: Kysely<any>, pseudonym: string): Promise<{ id: string; created: boolean }> {
  const inserted = await sql<{ id: string }>`
    insert into accounts (pseudonym) values (${pseudonym})
    on conflict (pseudonym) do nothing
    returning id`.execute(trx);
  if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
  const { rows } = await sql<{ id: string }>`select id from accounts where pseudonym = ${pseudonym}`.execute(trx);
  return { id: rows[0].id, created: false };
}

/** Stores a new session by its token's hash; answers when it ends at the latest. */
export async function createSession(trx: Kysely<any>, tokenHash: string, accountId: string, absoluteMs: number): Promise<Date> {
  const { rows } = await sql<{ expires_at: Date }>`
    insert into sessions (token_hash, account_id, expires_at)
    values (${tokenHash}, ${accountId}, now() + make_interval(secs => ${absoluteMs / 1000}::float8))
    returning expires_at`.execute(trx);
  return new Date(rows[0].expires_at);
}

export interface FoundSession {
  accountId: string;
  pmhPseudonym: string | null;
  /** Neither past its absolute end nor idle too long. */
  live: boolean;
  /** Since the session was last used, in ms. */
  idleForMs: number;
}

export async function findSession(db: Kysely<any>, tokenHash: string, idleMs: number): Promise<FoundSession | undefined> {
  const { rows } = await sql<{ account_id: string; pmh_pseudonym: string | null; live: boolean; idle_ms: string | number }>`
    select s.account_id, a.pmh_pseudonym,
           (s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => ${idleMs / 1000}::float8)) as live,
           extract(epoch from now() - s.last_seen_at) * 1000 as idle_ms
    from sessions s join accounts a on a.id = s.account_id
    where s.token_hash = ${tokenHash}`.execute(db);
  const r = rows[0];
  return r && { accountId: r.account_id, pmhPseudonym: r.pmh_pseudonym, live: r.live, idleForMs: Number(r.idle_ms) };
}

/** Notes that the session was used now (its idle timeout starts again). */
export async function touchSession(db: Kysely<any>, tokenHash: string): Promise<void> {
  await sql`update sessions set last_seen_at = now() where token_hash = ${tokenHash}`.execute(db);
}

/** Ends a session; answers its account's id, or undefined when there was none. */
export async function deleteSession(db: Kysely<any>, tokenHash: string): Promise<string | undefined> {
  const { rows } = await sql<{ account_id: string }>`delete from sessions where token_hash = ${tokenHash} returning account_id`.execute(db);
  return rows[0]?.account_id;
}

/** Deletes expired challenges and ended sessions, a batch of each; says whether a batch was full. */
export async function purgeExpired(db: Kysely<any>, idleMs: number, batch = 10_000): Promise<boolean> {
  const challenges = await sql`
    delete from session_challenges where challenge in (
      select challenge from session_challenges where expires_at < now() limit ${batch})`.execute(db);
  const ended = await sql`
    delete from sessions where token_hash in (
      select token_hash from sessions where expires_at < now()
      union
      select token_hash from sessions where last_seen_at < now() - make_interval(secs => ${idleMs / 1000}::float8)
      limit ${batch})`.execute(db);
  return Number(challenges.numAffectedRows ?? 0) === batch || Number(ended.numAffectedRows ?? 0) === batch;
}
