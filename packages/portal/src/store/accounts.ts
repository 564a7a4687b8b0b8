import { sql, type Kysely } from 'kysely';

/**
 * All SQL of the portal's resident accounts. Set-based: one statement per batch, the rows travel as
 * one JSON parameter (`json_to_recordset`) or one array, never a round trip per record. Rows are
 * locked in pseudonym order, so concurrent batches (and acknowledgements) lock in one order.
 */

export interface LinkToStore {
  pseudonym: string;
  pmhId: string;
  /** A fresh random PMH pseudonym, used only when the account has none yet. */
  candidatePmhPseudonym: string;
}

export interface StoredLink {
  /** The account's audit reference. */
  id: string;
  pseudonym: string;
  pmhPseudonym: string;
  pmhId: string;
  accountCreated: boolean;
  pmhPseudonymCreated: boolean;
}

/**
 * Creates missing accounts, gives each account without a PMH pseudonym the candidate, and holds the
 * PMH-ID on the account until the hub acknowledges it. An account's PMH pseudonym, once made, never
 * changes. `links` must be unique by pseudonym. Returns one row per link.
 */
export async function storeLinks(trx: Kysely<any>, links: LinkToStore[]): Promise<StoredLink[]> {
  if (links.length === 0) return [];
  const json = JSON.stringify(links.map((l) => ({ ps: l.pseudonym, pp: l.candidatePmhPseudonym, pmh_id: l.pmhId })));
  const { rows } = await sql<{ id: string; pseudonym: string; pmh_pseudonym: string; pmh_id: string; inserted: boolean }>`
    insert into accounts as a (pseudonym, pmh_pseudonym, pmh_id)
    select x.ps, x.pp, x.pmh_id from json_to_recordset(${json}::json) as x(ps text, pp text, pmh_id text)
    order by x.ps
    on conflict (pseudonym) do update
      set pmh_pseudonym = coalesce(a.pmh_pseudonym, excluded.pmh_pseudonym),
          pmh_id = excluded.pmh_id,
          updated_at = now()
    returning a.id, a.pseudonym, a.pmh_pseudonym, a.pmh_id, (a.xmax = 0) as inserted`.execute(trx);
  const candidate = new Map(links.map((l) => [l.pseudonym, l.candidatePmhPseudonym]));
  return rows.map((r) => ({
    id: r.id,
    pseudonym: r.pseudonym,
    pmhPseudonym: r.pmh_pseudonym,
    pmhId: r.pmh_id,
    accountCreated: r.inserted,
    pmhPseudonymCreated: candidate.get(r.pseudonym) === r.pmh_pseudonym,
  }));
}

/** The PMH-IDs still held (awaiting the hub's acknowledgement) for the given PMH pseudonyms. */
export async function heldPmhIds(db: Kysely<any>, pmhPseudonyms: string[]): Promise<Map<string, string>> {
  if (pmhPseudonyms.length === 0) return new Map();
  const { rows } = await sql<{ pmh_pseudonym: string; pmh_id: string }>`
    select pmh_pseudonym, pmh_id from accounts
    where pmh_pseudonym = any(${pmhPseudonyms}::text[]) and pmh_id is not null`.execute(db);
  return new Map(rows.map((r) => [r.pmh_pseudonym, r.pmh_id]));
}

export interface AcknowledgedAccount {
  id: string;
  pmhPseudonym: string;
  /** A PMH-ID still held: one that arrived after the acknowledged one was sent (null normally). */
  heldPmhId: string | null;
}

/**
 * The hub acknowledged these (PMH pseudonym, PMH-ID) links: the accounts forget the PMH-ID (unless
 * they meanwhile received another one, which stays held for its own delivery) and note when they
 * were first linked. Runs in the transaction that deletes the delivered outbox messages, so after
 * it commits the PMH-ID exists nowhere in the portal's database.
 */
export async function acknowledgeLinks(trx: Kysely<any>, links: Array<{ pmhPseudonym: string; pmhId: string }>): Promise<AcknowledgedAccount[]> {
  if (links.length === 0) return [];
  const pps = links.map((l) => l.pmhPseudonym);
  await sql`select 1 from accounts where pmh_pseudonym = any(${pps}::text[]) order by pseudonym for update`.execute(trx);
  const json = JSON.stringify(links.map((l) => ({ pp: l.pmhPseudonym, pmh_id: l.pmhId })));
  const { rows } = await sql<{ id: string; pmh_pseudonym: string; pmh_id: string | null }>`
    update accounts a
      set pmh_id = case when a.pmh_id = x.pmh_id then null else a.pmh_id end,
          pmh_linked_at = coalesce(a.pmh_linked_at, now()),
          updated_at = now()
    from json_to_recordset(${json}::json) as x(pp text, pmh_id text)
    where a.pmh_pseudonym = x.pp
    returning a.id, a.pmh_pseudonym, a.pmh_id`.execute(trx);
  return rows.map((r) => ({ id: r.id, pmhPseudonym: r.pmh_pseudonym, heldPmhId: r.pmh_id }));
}
