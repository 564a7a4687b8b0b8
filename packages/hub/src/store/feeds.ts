import { sql, type RawBuilder } from 'kysely';
import type { HubTrx } from './schema.ts';

/**
 * The municipal cursor feeds (the vaccination records, migration hub-009; the checkup results,
 * hub-013): a feed table per process, one entry per record at its latest write, filled by a trigger
 * with the writing transaction. A page is read the same way for each: entries below the horizon,
 * after the cursor, in (transaction, entry) order.
 */

/** A position in a feed: the writing transaction and the entry. `{ xid: 0, seq: 0 }` is the beginning. */
export interface FeedPosition {
  xid: string;
  seq: string;
}

/**
 * The feed's horizon: the oldest transaction that may still write an entry, from a snapshot taken
 * before the page's — every transaction below it had ended then, so the page's (newer) snapshot sees
 * all of their entries. A constant, so the page is an index range.
 *
 * Transaction ids are the whole server's, not one database's: `pg_snapshot_xmin` alone would let a
 * transaction left open in another database on the same server (another service, a report, a test)
 * hold every feed back. So the horizon is the oldest id the snapshot lists as running that is not
 * known to be another database's (`pg_stat_activity.backend_xid`, shown to every role), or the
 * snapshot's `xmax` when none is. Only ids positively seen in another database are passed over — a
 * transaction of another database cannot write this one's tables — so a race (one ends between the
 * snapshot and the read of `pg_stat_activity`) only holds the horizon back for one more read, never
 * lets it pass a transaction of ours. `backend_xid` is 32 bits; the snapshot's ids are 64 (xid8):
 * compared modulo 2^32.
 */
async function feedHorizon(trx: HubTrx): Promise<string> {
  const { rows } = await sql<{ horizon: string }>`
    with s as (select pg_current_snapshot() as snap),
         elsewhere as (
           select backend_xid::text::bigint as xid from pg_stat_activity
           where backend_xid is not null and datname is distinct from current_database()
         )
    select coalesce(
      (select min(x::text::bigint) from s, pg_snapshot_xip(s.snap) as x
        where (x::text::bigint % 4294967296) not in (select xid from elsewhere)),
      (select pg_snapshot_xmax(snap)::text::bigint from s)
    )::text as horizon`.execute(trx);
  return rows[0].horizon;
}

/** The feed tables and the column naming what each entry is about. */
type FeedTable = { table: 'vaccination_feed'; entry: 'record_id' } | { table: 'maternal_child_feed'; entry: 'result_id' };

/**
 * One page of a feed after `after`, as a subquery with columns `seq`, `xid` and `entry_id`, oldest
 * first: entries of transactions older than every transaction of this database still running (see
 * `feedHorizon`), ordered by (transaction, entry). A transaction still running (or one begun later)
 * has a larger id than every entry served, so no entry can ever commit behind a position already
 * handed out. The caller joins the records and orders by (xid, seq) again.
 */
export async function feedPage<T extends FeedTable>(
  trx: HubTrx,
  table: T['table'],
  entry: T['entry'],
  municipalityCode: string,
  after: FeedPosition,
  limit: number,
): Promise<RawBuilder<unknown>> {
  const horizon = await feedHorizon(trx);
  return sql`(
      -- (xid, seq) > (after), spelt with plain bigint comparisons: row-level security lets the index use them.
      select f.seq, f.xid, f.${sql.ref(entry)} as entry_id from ${sql.table(table)} f
      where f.municipality_code = ${municipalityCode}
        and f.xid < ${horizon}::bigint
        and f.xid >= ${after.xid}::bigint and (f.xid > ${after.xid}::bigint or f.seq > ${after.seq}::bigint)
      order by f.xid, f.seq
      limit ${limit}
    )`;
}
