import { sql, type Selectable } from 'kysely';
import { inTransaction as retriedTransaction } from '@pmh/core/db/errors';
import type { CardPublicKey, StoredCard, StoredInsured } from '../domain/insured.ts';
import type { Db, OqsDatabase, Trx } from './schema.ts';

type Insured = Selectable<OqsDatabase['insured']>;

/**
 * All SQL of OQS's insured people and their cards. Set-based: one statement per batch, the rows
 * travel as one JSON parameter (`json_to_recordset`) or one array, never a round trip per record.
 * Rows are locked in linkage-number (card-serial) order so concurrent batches lock in one order.
 */

/**
 * The stored people a batch names, by linkage number or by pseudonym, locked until the caller's
 * transaction ends (so what the import decides on cannot change under it).
 */
export async function lockInsured(trx: Trx, linkageNumbers: string[], pseudonyms: string[]): Promise<StoredInsured[]> {
  if (linkageNumbers.length === 0 && pseudonyms.length === 0) return [];
  const rows = await trx
    .selectFrom('insured')
    .select(['id', 'linkage_number', 'pseudonym'])
    .where((w) => w.or([w('linkage_number', '=', sql<string>`any(${linkageNumbers}::text[])`), w('pseudonym', '=', sql<string>`any(${pseudonyms}::text[])`)]))
    .orderBy('linkage_number')
    .forUpdate()
    .execute();
  return rows.map((r) => ({ id: r.id, linkageNumber: r.linkage_number, pseudonym: r.pseudonym }));
}

/** The stored cards among `serials`, locked until the caller's transaction ends. */
export async function lockCards(trx: Trx, serials: string[]): Promise<StoredCard[]> {
  if (serials.length === 0) return [];
  const rows = await trx
    .selectFrom('cards')
    .select(['card_serial', 'linkage_number', 'public_jwk'])
    .where('card_serial', '=', sql<string>`any(${serials}::text[])`)
    .orderBy('card_serial')
    .forUpdate()
    .execute();
  return rows.map((r) => ({ cardSerial: r.card_serial, linkageNumber: r.linkage_number, publicJwk: r.public_jwk }));
}

export interface PseudonymSet {
  id: string;
  linkageNumber: string;
  pseudonym: string;
  /** The person's PMH-ID when the ID server linked one before their pseudonym arrived. */
  pmhId: string | null;
}

/**
 * Inserts new people with their pseudonym, and gives known people without one theirs. Returns
 * exactly the rows written. `rows` must be unique by linkage number and by pseudonym.
 */
export async function setPseudonyms(trx: Trx, rows: Array<{ linkageNumber: string; pseudonym: string }>): Promise<PseudonymSet[]> {
  if (rows.length === 0) return [];
  const json = JSON.stringify(rows.map((r) => ({ ln: r.linkageNumber, ps: r.pseudonym })));
  const { rows: written } = await sql<Pick<Insured, 'id' | 'linkage_number' | 'pmh_id'> & { pseudonym: string }>`
    insert into insured as i (linkage_number, pseudonym)
    select x.ln, x.ps from json_to_recordset(${json}::json) as x(ln text, ps text)
    order by x.ln
    on conflict (linkage_number) do update
      set pseudonym = excluded.pseudonym, updated_at = now()
      where i.pseudonym is null
    returning i.id, i.linkage_number, i.pseudonym, i.pmh_id`.execute(trx);
  return written.map((r) => ({ id: r.id, linkageNumber: r.linkage_number, pseudonym: r.pseudonym, pmhId: r.pmh_id }));
}

/** Stores new cards (unique by serial); a serial already stored is left as it is. Answers how many were stored. */
export async function insertCards(trx: Trx, cards: Array<{ cardSerial: string; linkageNumber: string; publicJwk: CardPublicKey }>): Promise<number> {
  if (cards.length === 0) return 0;
  const json = JSON.stringify(cards.map((c) => ({ serial: c.cardSerial, ln: c.linkageNumber, jwk: c.publicJwk })));
  const { numAffectedRows } = await sql`
    insert into cards (card_serial, linkage_number, public_jwk)
    select x.serial, x.ln, x.jwk from json_to_recordset(${json}::json) as x(serial text, ln text, jwk jsonb)
    order by x.serial
    on conflict (card_serial) do nothing`.execute(trx);
  return Number(numAffectedRows ?? 0);
}

/** The stored PMH-IDs of the given linkage numbers (null when none yet), locked. */
export async function lockPmhLinks(trx: Trx, linkageNumbers: string[]): Promise<Array<{ id: string; linkageNumber: string; pmhId: string | null }>> {
  if (linkageNumbers.length === 0) return [];
  const rows = await trx
    .selectFrom('insured')
    .select(['id', 'linkage_number', 'pmh_id'])
    .where('linkage_number', '=', sql<string>`any(${linkageNumbers}::text[])`)
    .orderBy('linkage_number')
    .forUpdate()
    .execute();
  return rows.map((r) => ({ id: r.id, linkageNumber: r.linkage_number, pmhId: r.pmh_id }));
}

export interface PmhIdSet {
  id: string;
  linkageNumber: string;
  /** Null while the insurer's enrolment (with the pseudonym) has not reached us. */
  pseudonym: string | null;
  pmhId: string;
}

/**
 * Sets the PMH-ID of each linkage number; a number not known yet is inserted without a pseudonym.
 * Returns exactly the rows whose PMH-ID is new or changed. `links` must be unique by linkage number.
 */
export async function setPmhIds(trx: Trx, links: Array<{ linkageNumber: string; pmhId: string }>): Promise<PmhIdSet[]> {
  if (links.length === 0) return [];
  const json = JSON.stringify(links.map((l) => ({ ln: l.linkageNumber, pmh_id: l.pmhId })));
  const { rows } = await sql<Pick<Insured, 'id' | 'linkage_number' | 'pseudonym'> & { pmh_id: string }>`
    insert into insured as i (linkage_number, pmh_id, pmh_linked_at)
    select x.ln, x.pmh_id, now() from json_to_recordset(${json}::json) as x(ln text, pmh_id text)
    order by x.ln
    on conflict (linkage_number) do update
      set pmh_id = excluded.pmh_id, pmh_linked_at = excluded.pmh_linked_at, updated_at = now()
      where i.pmh_id is distinct from excluded.pmh_id
    returning i.id, i.linkage_number, i.pseudonym, i.pmh_id`.execute(trx);
  return rows.map((r) => ({ id: r.id, linkageNumber: r.linkage_number, pseudonym: r.pseudonym, pmhId: r.pmh_id }));
}

/** The current PMH-ID behind each pseudonym (for a message queued before it changed). */
export async function pmhIdsOfPseudonyms(db: Db, pseudonyms: string[]): Promise<Map<string, string>> {
  if (pseudonyms.length === 0) return new Map();
  const rows = await db
    .selectFrom('insured')
    .select(['pseudonym', 'pmh_id'])
    .where('pseudonym', '=', sql<string>`any(${pseudonyms}::text[])`)
    .where('pmh_id', 'is not', null)
    .execute();
  return new Map(rows.flatMap((r) => (r.pseudonym && r.pmh_id ? [[r.pseudonym, r.pmh_id] as const] : [])));
}

/**
 * Thrown when a write did not touch the rows the caller planned on: a concurrent transaction
 * inserted one of them after the caller read (a row that did not exist could not be locked).
 * `inTransaction` runs the work again, and the retry sees that commit.
 */
export class RaceLost extends Error {
  readonly code = '40001';
  constructor() {
    super('a concurrent writer inserted a row this batch planned on');
  }
}

/**
 * Runs `work` in a transaction, again (up to `attempts` times) when it lost a race: a serialization
 * failure, a deadlock, a unique violation from a concurrent writer, or `RaceLost`.
 */
export function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>, attempts = 5): Promise<T> {
  return retriedTransaction(db, work, { attempts });
}
