import { sql } from 'kysely';
import type { DataMigration } from '@pmh/core/service';
import { OUTBOX_SEALED } from '@pmh/core/outbox/index';
import { HELD_PMH_ID } from '../store/accounts.ts';
import { HUB_PORTAL_LINK } from '../federation/hub-links.ts';

/**
 * PMH-IDs held in clear before they were sealed: the accounts' (`pmh_id`, then dropped) and the
 * pending messages' to the hub, sealed under the current epoch key, once, at the first start after
 * the upgrade. What the clear values left in old row versions and the WAL goes only with
 * `VACUUM FULL accounts, outbox` and the WAL's recycling (README, "What each service keeps").
 */
export const sealHeldPmhIds: DataMigration = {
  name: 'portal-data-001-seal-held-pmh-ids',
  async up(trx, base) {
    const sealer = await base.shredding.sealer(trx);
    const { rows: accounts } = await sql<{ pseudonym: string; pmh_id: string }>`
      select pseudonym, pmh_id from accounts where pmh_id is not null`.execute(trx);
    if (accounts.length) {
      const json = JSON.stringify(accounts.map((a) => ({ ps: a.pseudonym, held: sealer.seal(a.pmh_id, HELD_PMH_ID.field, a.pseudonym) })));
      await sql`
        update accounts a set pmh_id_sealed = x.held, pmh_id = null
        from json_to_recordset(${json}::json) as x(ps text, held text) where a.pseudonym = x.ps`.execute(trx);
    }
    await sql`alter table accounts drop column pmh_id`.execute(trx);
    const { rows: messages } = await sql<{ id: string; payload: string }>`
      select id::text as id, payload from outbox where kind = ${HUB_PORTAL_LINK} and not encrypted`.execute(trx);
    if (messages.length) {
      const json = JSON.stringify(messages.map((m) => ({ id: m.id, payload: sealer.seal(m.payload, OUTBOX_SEALED.field, m.id) })));
      await sql`
        update outbox o set payload = x.payload, encrypted = true
        from json_to_recordset(${json}::json) as x(id bigint, payload text) where o.id = x.id`.execute(trx);
    }
  },
};
