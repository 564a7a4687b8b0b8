import { sql } from 'kysely';
import type { Db, Trx } from './schema.ts';

/**
 * All SQL of clinics' consents (seed B⑤): the challenges a clinic asks for (single use, 60 s, bound
 * to the institution), and the consents granted (the account, the institution, the scopes, until
 * when). Times are the database's (`now()`), so every portal process agrees on expiry.
 */

export const CONSENT_CHALLENGE_TTL_SECONDS = 60;

const inSeconds = (secs: number) => sql<Date>`now() + make_interval(secs => ${secs}::float8)`;

export async function storeConsentChallenge(db: Db, challenge: string, institutionCode: string): Promise<Date> {
  const row = await db
    .insertInto('consent_challenges')
    .values({ challenge, institution_code: institutionCode, expires_at: inSeconds(CONSENT_CHALLENGE_TTL_SECONDS) })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return new Date(row.expires_at);
}

/**
 * Uses up a challenge: true when this institution was given it and it has not expired. Deleted
 * whoever presents it, so a challenge tried by another institution is spent too.
 */
export async function consumeConsentChallenge(db: Db, challenge: string, institutionCode: string): Promise<boolean> {
  const row = await db
    .deleteFrom('consent_challenges')
    .where('challenge', '=', challenge)
    .returning([sql<boolean>`expires_at > now()`.as('live'), 'institution_code'])
    .executeTakeFirst();
  return row?.live === true && row.institution_code === institutionCode;
}

export async function createConsent(
  trx: Trx,
  c: { accountId: string; institutionCode: string; clientId: string; scopes: string[]; ttlSeconds: number },
): Promise<{ id: string; expiresAt: Date }> {
  const row = await trx
    .insertInto('consents')
    .values({
      account_id: c.accountId,
      institution_code: c.institutionCode,
      client_id: c.clientId,
      scopes: JSON.stringify(c.scopes) as never,
      expires_at: inSeconds(c.ttlSeconds),
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, expiresAt: new Date(row.expires_at) };
}

export interface FoundConsent {
  accountId: string;
  institutionCode: string;
  scopes: string[];
  expiresAt: Date;
  /** Not past its end (by the database's clock). */
  live: boolean;
  /** The card holder's PMH pseudonym: null when the account is not linked to PMH (any more). */
  pmhPseudonym: string | null;
}

export async function findConsent(db: Db, consentId: string): Promise<FoundConsent | undefined> {
  const r = await db
    .selectFrom('consents as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select(['c.account_id', 'c.institution_code', 'c.scopes', 'c.expires_at', 'a.pmh_pseudonym', sql<boolean>`c.expires_at > now()`.as('live')])
    .where('c.id', '=', consentId)
    .executeTakeFirst();
  if (!r) return undefined;
  const scopes = (typeof r.scopes === 'string' ? JSON.parse(r.scopes) : r.scopes) as string[];
  return {
    accountId: r.account_id,
    institutionCode: r.institution_code,
    scopes,
    expiresAt: new Date(r.expires_at),
    live: r.live,
    pmhPseudonym: r.pmh_pseudonym,
  };
}

/**
 * Deletes expired consent challenges, and consents ended a day ago or more (kept that long so a
 * clinic that comes back late is told `consent-expired`, not "unknown"); says whether a batch was full.
 */
export async function purgeExpiredConsents(db: Db, batch = 10_000): Promise<boolean> {
  const challenges = await sql`
    delete from consent_challenges where challenge in (
      select challenge from consent_challenges where expires_at < now() limit ${batch})`.execute(db);
  const consents = await sql`
    delete from consents where id in (
      select id from consents where expires_at < now() - interval '1 day' limit ${batch})`.execute(db);
  return Number(challenges.numAffectedRows ?? 0) === batch || Number(consents.numAffectedRows ?? 0) === batch;
}
