import { sqlMigration } from '@pmh/core/db/index';

/**
 * Checkup results entered at a venue (seed C⑤: a clinic's individual checkup, a health centre's group
 * checkup) through the portal's relay, with what they were entered under, as a clinic's vaccination
 * record is (hub-011): the consent id, the 問診票 used, and the client's Idempotency-Key (unique per
 * institution, so a retried write answers the first result). `source` is "venue" and `result_key`
 * null for these (hub-013 foresaw them).
 */
export const venueCheckupsMigration = sqlMigration(
  'hub-019-venue-checkups',
  `
  alter table maternal_child_results
    add column consent_id uuid,
    add column questionnaire_id uuid,
    add column idempotency_key text;
  create unique index maternal_child_results_idempotency on maternal_child_results (institution_code, idempotency_key)
    where idempotency_key is not null;
  `,
);
