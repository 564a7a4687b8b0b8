import { sql, type Selectable } from 'kysely';
import type { SealedColumn, ShreddingCipher } from '@pmh/core/crypto/index';
import type { Db, PortalDatabase, Trx } from './schema.ts';

type Account = Selectable<PortalDatabase['accounts']>;

/**
 * All SQL of the portal's resident accounts. Set-based: one statement per batch, the rows travel as
 * one JSON parameter (`json_to_recordset`) or one array, never a round trip per record. Rows are
 * locked in pseudonym order, so concurrent batches (and acknowledgements) lock in one order.
 */

/**
 * The PMH-ID an account holds until the hub acknowledges its link, sealed under the service's
 * shreddable epoch key (ShreddingCipher) and bound to the account (its pseudonym): once the key is
 * destroyed, no copy of it in old row versions, the WAL or a backup opens (invariant 5).
 */
export const HELD_PMH_ID: SealedColumn = { table: 'accounts', column: 'pmh_id_sealed', rowKey: 'pseudonym', rowKeyType: 'text', field: 'accounts.pmh_id' };

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
  accountCreated: boolean;
  pmhPseudonymCreated: boolean;
}

/**
 * Creates missing accounts, gives each account without a PMH pseudonym the candidate, and holds the
 * PMH-ID (sealed) on the account until the hub acknowledges it. An account's PMH pseudonym, once
 * made, never changes. `links` must be unique by pseudonym. Returns one row per link.
 */
export async function storeLinks(trx: Trx, shredding: ShreddingCipher, links: LinkToStore[]): Promise<StoredLink[]> {
  if (links.length === 0) return [];
  const sealer = await shredding.sealer(trx);
  const json = JSON.stringify(links.map((l) => ({ ps: l.pseudonym, pp: l.candidatePmhPseudonym, held: sealer.seal(l.pmhId, HELD_PMH_ID.field, l.pseudonym) })));
  const { rows } = await sql<Pick<Account, 'id' | 'pseudonym'> & { pmh_pseudonym: string; inserted: boolean }>`
    insert into accounts as a (pseudonym, pmh_pseudonym, pmh_id_sealed)
    select x.ps, x.pp, x.held from json_to_recordset(${json}::json) as x(ps text, pp text, held text)
    order by x.ps
    on conflict (pseudonym) do update
      set pmh_pseudonym = coalesce(a.pmh_pseudonym, excluded.pmh_pseudonym),
          pmh_id_sealed = excluded.pmh_id_sealed,
          updated_at = now()
    returning a.id, a.pseudonym, a.pmh_pseudonym, (a.xmax = 0) as inserted`.execute(trx);
  const candidate = new Map(links.map((l) => [l.pseudonym, l.candidatePmhPseudonym]));
  return rows.map((r) => ({
    id: r.id,
    pseudonym: r.pseudonym,
    pmhPseudonym: r.pmh_pseudonym,
    accountCreated: r.inserted,
    pmhPseudonymCreated: candidate.get(r.pseudonym) === r.pmh_pseudonym,
  }));
}

/** The PMH-IDs still held (awaiting the hub's acknowledgement) for the given PMH pseudonyms, opened. */
export async function heldPmhIds(db: Db, shredding: ShreddingCipher, pmhPseudonyms: string[]): Promise<Map<string, string>> {
  if (pmhPseudonyms.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['pseudonym', 'pmh_pseudonym', 'pmh_id_sealed'])
    .where('pmh_pseudonym', '=', sql<string>`any(${pmhPseudonyms}::text[])`)
    .where('pmh_id_sealed', 'is not', null)
    .execute();
  return new Map(
    rows.flatMap((r) =>
      r.pmh_pseudonym && r.pmh_id_sealed ? [[r.pmh_pseudonym, shredding.open(r.pmh_id_sealed, HELD_PMH_ID.field, r.pseudonym)] as const] : [],
    ),
  );
}

/** Locks the accounts of these PMH pseudonyms, in pseudonym order (the order every writer locks them in). */
export async function lockAccounts(trx: Trx, pmhPseudonyms: string[]): Promise<void> {
  if (pmhPseudonyms.length === 0) return;
  await trx
    .selectFrom('accounts')
    .select('id')
    .where('pmh_pseudonym', '=', sql<string>`any(${pmhPseudonyms}::text[])`)
    .orderBy('pseudonym')
    .forUpdate()
    .execute();
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
 * it commits the PMH-ID exists nowhere in the portal's database but as sealed bytes of old row
 * versions, whose key the shredding upkeep destroys.
 */
export async function acknowledgeLinks(
  trx: Trx,
  shredding: ShreddingCipher,
  links: Array<{ pmhPseudonym: string; pmhId: string }>,
): Promise<AcknowledgedAccount[]> {
  if (links.length === 0) return [];
  const acked = new Map(links.map((l) => [l.pmhPseudonym, l.pmhId]));
  const held = await trx
    .selectFrom('accounts')
    .select(['pseudonym', 'pmh_pseudonym', 'pmh_id_sealed'])
    .where('pmh_pseudonym', '=', sql<string>`any(${[...acked.keys()]}::text[])`)
    .orderBy('pseudonym')
    .forUpdate()
    .execute();
  // Opened here, not compared as ciphertexts: the upkeep may have re-sealed a held PMH-ID meanwhile.
  const forget = held
    .filter((a) => a.pmh_id_sealed !== null && shredding.open(a.pmh_id_sealed, HELD_PMH_ID.field, a.pseudonym) === acked.get(a.pmh_pseudonym ?? ''))
    .map((a) => a.pseudonym);
  const rows = await trx
    .updateTable('accounts')
    .set({
      pmh_id_sealed: sql<string | null>`case when pseudonym = any(${forget}::text[]) then null else pmh_id_sealed end`,
      pmh_linked_at: sql<Date>`coalesce(pmh_linked_at, now())`,
      updated_at: sql<Date>`now()`,
    })
    .where('pmh_pseudonym', '=', sql<string>`any(${[...acked.keys()]}::text[])`)
    .returning(['id', 'pseudonym', 'pmh_pseudonym', 'pmh_id_sealed'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    pmhPseudonym: r.pmh_pseudonym!,
    heldPmhId: r.pmh_id_sealed === null ? null : shredding.open(r.pmh_id_sealed, HELD_PMH_ID.field, r.pseudonym),
  }));
}
