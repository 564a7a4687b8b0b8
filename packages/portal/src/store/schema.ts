import type { Kysely, Transaction } from 'kysely';
import { column, type DatabaseOf } from '@pmh/core/db/schema';
import type { NotificationCategory } from '@pmh/protocol';

/**
 * The portal's own tables, as its migrations make them (test/schema.test.ts compares the two on
 * both backends). Core's tables (outbox, audit log, OAuth clients) are core's business.
 */
export const portalTables = {
  /**
   * Resident accounts, keyed by the 仮名識別子 OQS knows the resident by. `id` is the audit log's
   * reference to the account; `pmh_pseudonym` the PMH仮名識別子 made here; `pmh_id_sealed` the PMH-ID,
   * held (sealed under a shreddable key) only until the hub acknowledges the link.
   */
  accounts: {
    /** 仮名識別子 */
    pseudonym: column.text(),
    id: column.uuid().defaulted(),
    /** PMH仮名識別子: null until the account is linked to PMH. */
    pmh_pseudonym: column.text().nullable(),
    pmh_linked_at: column.timestamptz().nullable(),
    created_at: column.timestamptz().defaulted(),
    updated_at: column.timestamptz().defaulted(),
    pmh_id_sealed: column.text().nullable(),
  },
  /** Login challenges: single use, 60 s. */
  session_challenges: {
    challenge: column.text(),
    expires_at: column.timestamptz(),
  },
  /** Resident sessions, by the SHA-256 of their token only. */
  sessions: {
    token_hash: column.text(),
    account_id: column.uuid(),
    created_at: column.timestamptz().defaulted(),
    expires_at: column.timestamptz(),
    last_seen_at: column.timestamptz().defaulted(),
  },
  /** The residents' inboxes (お知らせ): one row per (account, notification). */
  notifications: {
    id: column.uuid().defaulted(),
    account_id: column.uuid(),
    notification_id: column.uuid(),
    municipality_code: column.text(),
    category: column.text<NotificationCategory>(),
    title: column.text(),
    body: column.text(),
    url: column.text().nullable(),
    published_at: column.timestamptz(),
    received_at: column.timestamptz().defaulted(),
    read_at: column.timestamptz().nullable(),
  },
  /** Clinics' consent challenges: single use, 60 s, for one institution. */
  consent_challenges: {
    challenge: column.text(),
    institution_code: column.text(),
    expires_at: column.timestamptz(),
  },
  /** Clinics' consents: the card holder's account, the institution, the scopes agreed to, for minutes. */
  consents: {
    id: column.uuid().defaulted(),
    account_id: column.uuid(),
    institution_code: column.text(),
    client_id: column.text(),
    scopes: column.jsonb<string[]>(),
    created_at: column.timestamptz().defaulted(),
    expires_at: column.timestamptz(),
  },
};

export type PortalDatabase = DatabaseOf<typeof portalTables>;
export type Db = Kysely<PortalDatabase>;
export type Trx = Transaction<PortalDatabase>;
