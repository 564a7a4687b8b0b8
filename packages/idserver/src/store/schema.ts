import type { Kysely, Transaction } from 'kysely';
import { column, type DatabaseOf } from '@pmh/core/db/schema';

/**
 * The ID server's own tables, as its migrations make them (test/schema.test.ts compares the two on
 * both backends). Core's tables (outbox, audit log, OAuth clients) are core's business.
 */
export const idserverTables = {
  /**
   * 医療保険者等向け中間サーバー's people: My Number ↔ 紐付番号 (from insurers' enrolments) and My
   * Number → PMH-ID. The My Number only encrypted, bound to the row's blind index, and as its keyed
   * HMAC blind index for look-ups.
   */
  persons: {
    id: column.uuid().defaulted(),
    my_number_bidx: column.text(),
    my_number_enc: column.text(),
    /** 紐付番号 */
    linkage_number: column.text().nullable(),
    pmh_id: column.text().nullable(),
    pmh_id_issued_at: column.timestamptz().nullable(),
    created_at: column.timestamptz().defaulted(),
  },
};

export type IdserverDatabase = DatabaseOf<typeof idserverTables>;
export type Db = Kysely<IdserverDatabase>;
export type Trx = Transaction<IdserverDatabase>;
