import { sql } from 'kysely';
import type { HubDb } from './schema.ts';

/**
 * Stores PMH pseudonym links from the portal (seed A③), set-based, and answers the pairs that are
 * stored now — newly, or as they already were. A link whose PMH-ID or PMH pseudonym is bound to
 * another is not stored (a conflict for the caller to report).
 */
export async function storePortalLinks(
  trx: HubDb,
  links: Array<{ pmhId: string; pmhPseudonym: string }>,
): Promise<Array<{ pmhId: string; pmhPseudonym: string }>> {
  if (links.length === 0) return [];
  const rows = JSON.stringify(links.map((l) => ({ pmh_id: l.pmhId, pmh_pseudonym: l.pmhPseudonym })));
  await sql`
    insert into pmh_links (pmh_id, pmh_pseudonym)
    select x.pmh_id, x.pmh_pseudonym from json_to_recordset(${rows}::json) as x(pmh_id text, pmh_pseudonym text)
    on conflict do nothing`.execute(trx);
  const stored = await sql<{ pmh_id: string; pmh_pseudonym: string }>`
    select l.pmh_id, l.pmh_pseudonym from pmh_links l
    join json_to_recordset(${rows}::json) as x(pmh_id text, pmh_pseudonym text) on l.pmh_id = x.pmh_id and l.pmh_pseudonym = x.pmh_pseudonym`.execute(trx);
  return stored.rows.map((r) => ({ pmhId: r.pmh_id, pmhPseudonym: r.pmh_pseudonym }));
}
