import { sqlMigration } from '@pmh/core/db/index';

/**
 * A scheduled notification can be cancelled before its publishAt (the municipal console): the
 * notification records when, and its targets still `scheduled` become `cancelled`, a state the
 * release worker never picks up.
 */
export const notificationCancelMigration = sqlMigration(
  'hub-016-notification-cancel',
  `
  alter table notifications add column cancelled_at timestamptz;
  alter table notification_targets drop constraint notification_targets_state_check;
  alter table notification_targets add constraint notification_targets_state_check
    check (state in ('scheduled', 'waiting', 'queued', 'delivered', 'cancelled'));
  `,
);
