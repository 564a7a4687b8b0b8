import { sql } from 'kysely';
import type { Db, Trx } from './schema.ts';

/**
 * All SQL of resident sessions: login challenges, sessions (by token hash), and the account a card
 * login lands on. Times are the database's (`now()`), so every portal process agrees on expiry.
 */

export const CHALLENGE_TTL_SECONDS = 60;

/** `now()` plus so many seconds, in the database's clock. */
const inSeconds = (secs: number) => sql<Date>`now() + make_interval(secs => ${secs}::float8)`;

export async function storeChallenge(db: Db, challenge: string): Promise<Date> {
  const row = await db
    .insertInto('session_challenges')
    .values({ challenge, expires_at: inSeconds(CHALLENGE_TTL_SECONDS) })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return new Date(row.expires_at);
}

/**
 * Uses up a challenge: true when it was issued here and has not expired. Deleting it is what makes
 * it single use — two concurrent logins with one challenge cannot both delete the row.
 */
export async function consumeChallenge(db: Db, challenge: string): Promise<boolean> {
  const row = await db
    .deleteFrom('session_challenges')
    .where('challenge', '=', challenge)
    .returning(sql<boolean>`expires_at > now()`.as('live'))
    .executeTakeFirst();
  return row?.live === true;
}

/**
 * The account a card login lands on, by the 仮名識別子 OQS vouched for: created when missing (an
 * account with no PMH link yet; OQS's links give it one later).
 */
export async function accountForLogin(trx: Trx, pseudonym: string): Promise<{ id: string; created: boolean }> {
  const inserted = await trx
    .insertInto('accounts')
    .values({ pseudonym })
    .onConflict((c) => c.column('pseudonym').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const found = await trx.selectFrom('accounts').select('id').where('pseudonym', '=', pseudonym).executeTakeFirstOrThrow();
  return { id: found.id, created: false };
}

/** Stores a new session by its token's hash; answers when it ends at the latest. */
export async function createSession(trx: Trx, tokenHash: string, accountId: string, absoluteMs: number): Promise<Date> {
  const row = await trx
    .insertInto('sessions')
    .values({ token_hash: tokenHash, account_id: accountId, expires_at: inSeconds(absoluteMs / 1000) })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return new Date(row.expires_at);
}

export interface FoundSession {
  accountId: string;
  pmhPseudonym: string | null;
  /** Neither past its absolute end nor idle too long. */
  live: boolean;
  /** Since the session was last used, in ms. */
  idleForMs: number;
}

export async function findSession(db: Db, tokenHash: string, idleMs: number): Promise<FoundSession | undefined> {
  const r = await db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select([
      's.account_id',
      'a.pmh_pseudonym',
      sql<boolean>`(s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => ${idleMs / 1000}::float8))`.as('live'),
      sql<string | number>`extract(epoch from now() - s.last_seen_at) * 1000`.as('idle_ms'),
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r && { accountId: r.account_id, pmhPseudonym: r.pmh_pseudonym, live: r.live, idleForMs: Number(r.idle_ms) };
}

/** Notes that the session was used now (its idle timeout starts again). */
export async function touchSession(db: Db, tokenHash: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: sql<Date>`now()` }).where('token_hash', '=', tokenHash).execute();
}

/** Ends a session; answers its account's id, or undefined when there was none. */
export async function deleteSession(db: Db, tokenHash: string): Promise<string | undefined> {
  const row = await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).returning('account_id').executeTakeFirst();
  return row?.account_id;
}

/** Deletes expired challenges and ended sessions, a batch of each; says whether a batch was full. */
export async function purgeExpired(db: Db, idleMs: number, batch = 10_000): Promise<boolean> {
  const challenges = await db
    .deleteFrom('session_challenges')
    .where('challenge', 'in', (q) => q.selectFrom('session_challenges').select('challenge').where('expires_at', '<', sql<Date>`now()`).limit(batch))
    .executeTakeFirst();
  const ended = await sql`
    delete from sessions where token_hash in (
      select token_hash from sessions where expires_at < now()
      union
      select token_hash from sessions where last_seen_at < now() - make_interval(secs => ${idleMs / 1000}::float8)
      limit ${batch})`.execute(db);
  return Number(challenges.numDeletedRows) === batch || Number(ended.numAffectedRows ?? 0) === batch;
}
