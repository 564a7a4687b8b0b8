import { sql, type Selectable } from 'kysely';
import { inTransaction as retriedTransaction } from '@pmh/core/db/errors';
import type { Db, IdserverDatabase, Trx } from './schema.ts';

type Person = Selectable<IdserverDatabase['persons']>;
/** A person as issuance and import answer them: the blind index under its short name. */
type PersonRow = Pick<Person, 'id' | 'pmh_id' | 'linkage_number'> & { bidx: Person['my_number_bidx'] };

/**
 * All SQL of the ID server's people. Every function is set-based: one statement per batch, the rows
 * travel as one JSON parameter (`json_to_recordset`), never a round trip per record. Rows are fed
 * in blind-index order so concurrent batches lock the same people in the same order.
 *
 * Nothing here sees a My Number in clear: callers pass its blind index and its ciphertext.
 */

/** Context of the My Number's blind index, and the column its ciphertext is bound to. */
export const MY_NUMBER_CONTEXT = 'persons.my_number';

/**
 * Where a person's My Number ciphertext lives: bound to the person's row by its blind index (the
 * row's natural key, known before the row is written), so a ciphertext copied to another person's
 * row does not open, and what opens is always the number the row is found by.
 */
export const myNumberAt = (bidx: string) => ({ column: MY_NUMBER_CONTEXT, row: bidx });

export interface IssueCandidate {
  bidx: string;
  enc: string;
  /** A fresh random PMH-ID, used only if the person has none yet. */
  pmhId: string;
}

export interface IssuedPerson {
  id: string;
  bidx: string;
  pmhId: string;
  linkageNumber: string | null;
  /** True when this call issued the PMH-ID (the person had none). */
  newlyIssued: boolean;
}

/**
 * Gives each person (unique blind indexes) a PMH-ID: a new person is created with the candidate,
 * a known person without one gets the candidate, a known person with one keeps it. Runs in the
 * caller's transaction; the people touched stay locked until it ends, so concurrent calls for the
 * same person answer the same PMH-ID.
 */
export async function issuePmhIds(trx: Trx, candidates: IssueCandidate[]): Promise<IssuedPerson[]> {
  if (candidates.length === 0) return [];
  const rows = JSON.stringify(candidates.map((c) => ({ bidx: c.bidx, enc: c.enc, pmh_id: c.pmhId })));
  // Inserted or given a PMH-ID now: returned. Already holding one: not updated (but locked).
  const issued = await sql<PersonRow & { pmh_id: string }>`
    insert into persons as p (my_number_bidx, my_number_enc, pmh_id, pmh_id_issued_at)
    select x.bidx, x.enc, x.pmh_id, now()
    from json_to_recordset(${rows}::json) as x(bidx text, enc text, pmh_id text)
    order by x.bidx
    on conflict (my_number_bidx) do update
      set pmh_id = excluded.pmh_id, pmh_id_issued_at = excluded.pmh_id_issued_at
      where p.pmh_id is null
    returning p.id, p.my_number_bidx as bidx, p.pmh_id, p.linkage_number`.execute(trx);
  const out = new Map<string, IssuedPerson>();
  for (const r of issued.rows) out.set(r.bidx, { id: r.id, bidx: r.bidx, pmhId: r.pmh_id, linkageNumber: r.linkage_number, newlyIssued: true });
  const known = candidates.filter((c) => !out.has(c.bidx)).map((c) => c.bidx);
  if (known.length) {
    const existing = await trx
      .selectFrom('persons')
      .select(['id', 'my_number_bidx as bidx', 'pmh_id', 'linkage_number'])
      .where('my_number_bidx', '=', sql<string>`any(${known}::text[])`)
      .execute();
    for (const r of existing) if (r.pmh_id) out.set(r.bidx, { id: r.id, bidx: r.bidx, pmhId: r.pmh_id, linkageNumber: r.linkage_number, newlyIssued: false });
  }
  return candidates.map((c) => {
    const p = out.get(c.bidx);
    if (!p || !p.pmhId) throw new Error('issuePmhIds: a person was neither issued nor found');
    return p;
  });
}

export interface LinkageCandidate {
  bidx: string;
  enc: string;
  linkageNumber: string;
}

export interface LinkedPerson {
  id: string;
  bidx: string;
  /** The person's PMH-ID when one was issued before this import (their OQS link is due now). */
  pmhId: string | null;
  linkageNumber: string;
}

/**
 * Records linkage numbers. `candidates` must be unique by blind index and by linkage number. A new
 * person is created; a known person without a linkage number gets it. Returns exactly the people
 * whose linkage number was set now; the others (already set, or the number is held by someone
 * else) are left untouched, for `classifyLinkage` to explain.
 */
export async function importLinkageNumbers(trx: Trx, candidates: LinkageCandidate[]): Promise<LinkedPerson[]> {
  if (candidates.length === 0) return [];
  const rows = JSON.stringify(candidates.map((c) => ({ bidx: c.bidx, enc: c.enc, ln: c.linkageNumber })));
  const { rows: linked } = await sql<PersonRow & { linkage_number: string }>`
    insert into persons as p (my_number_bidx, my_number_enc, linkage_number)
    select x.bidx, x.enc, x.ln
    from json_to_recordset(${rows}::json) as x(bidx text, enc text, ln text)
    where not exists (select 1 from persons o where o.linkage_number = x.ln and o.my_number_bidx <> x.bidx)
    order by x.bidx
    on conflict (my_number_bidx) do update
      set linkage_number = excluded.linkage_number
      where p.linkage_number is null
    returning p.id, p.my_number_bidx as bidx, p.pmh_id, p.linkage_number`.execute(trx);
  return linked.map((r) => ({ id: r.id, bidx: r.bidx, pmhId: r.pmh_id, linkageNumber: r.linkage_number }));
}

export type LinkageState = 'unchanged' | 'linkage-number-differs' | 'linkage-number-taken';

/**
 * For entries `importLinkageNumbers` did not apply: `unchanged` when the person already holds this
 * linkage number, `linkage-number-differs` when they hold another, else `linkage-number-taken`
 * (another person holds it). One statement; answers booleans, never the stored numbers.
 */
export async function classifyLinkage(
  trx: Trx,
  entries: Array<{ index: number; bidx: string; linkageNumber: string }>,
): Promise<Array<{ index: number; personId: string | null; state: LinkageState }>> {
  if (entries.length === 0) return [];
  const rows = JSON.stringify(entries.map((e) => ({ i: e.index, bidx: e.bidx, ln: e.linkageNumber })));
  const { rows: out } = await sql<{ i: number; person_id: Person['id'] | null; state: LinkageState }>`
    select x.i, p.id as person_id,
      case when p.linkage_number = x.ln then 'unchanged'
           when p.linkage_number is not null then 'linkage-number-differs'
           else 'linkage-number-taken' end as state
    from json_to_recordset(${rows}::json) as x(i integer, bidx text, ln text)
    left join persons p on p.my_number_bidx = x.bidx
    order by x.i`.execute(trx);
  return out.map((r) => ({ index: Number(r.i), personId: r.person_id, state: r.state }));
}

/**
 * Runs `work` in a transaction, again (up to `attempts` times) when it lost a race: a serialization
 * failure, a deadlock, or a unique violation from a concurrent writer (the retry sees its commit).
 */
export function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>, attempts = 3): Promise<T> {
  return retriedTransaction(db, work, { attempts });
}
