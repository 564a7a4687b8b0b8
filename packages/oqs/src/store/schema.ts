import type { Kysely, Transaction } from 'kysely';
import { column, type DatabaseOf } from '@pmh/core/db/schema';
import type { CardPublicKey } from '../domain/insured.ts';

/**
 * OQS's own tables, as its migrations make them (test/schema.test.ts compares the two on both
 * backends). Core's tables (outbox, audit log, OAuth clients) are core's business.
 */
export const oqsTables = {
  /** The insured: 紐付番号 ↔ 仮名識別子 ↔ PMH-ID. `id` is the audit log's reference to the person. */
  insured: {
    /** 紐付番号 */
    linkage_number: column.text(),
    id: column.uuid().defaulted(),
    /** 仮名識別子: null until the insurer's enrolment reaches OQS. */
    pseudonym: column.text().nullable(),
    pmh_id: column.text().nullable(),
    pmh_linked_at: column.timestamptz().nullable(),
    created_at: column.timestamptz().defaulted(),
    updated_at: column.timestamptz().defaulted(),
  },
  /** My Number Cards: the certificate serial, whose it is, and its public key (only). */
  cards: {
    card_serial: column.text(),
    linkage_number: column.text(),
    public_jwk: column.jsonb<CardPublicKey>(),
    created_at: column.timestamptz().defaulted(),
  },
  /** Card-authentication challenges: single use, for the client that asked, 60 s. */
  card_challenges: {
    challenge: column.text(),
    client_id: column.text(),
    expires_at: column.timestamptz(),
  },
};

export type OqsDatabase = DatabaseOf<typeof oqsTables>;
export type Db = Kysely<OqsDatabase>;
export type Trx = Transaction<OqsDatabase>;
