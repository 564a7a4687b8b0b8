import { sqlMigration } from '@pmh/core/db/index';

/**
 * What the municipal console's pages change: a scheduled notification can be cancelled before its
 * publishAt (the notification records when, and its targets still `scheduled` become `cancelled`, a
 * state the release worker never picks up); an officer can be disabled (`disabled_at`: no sign-in).
 */
export const consolePagesMigration = sqlMigration(
  'hub-016-console-pages',
  `
  alter table notifications add column cancelled_at timestamptz;
  alter table notification_targets drop constraint notification_targets_state_check;
  alter table notification_targets add constraint notification_targets_state_check
    check (state in ('scheduled', 'waiting', 'queued', 'delivered', 'cancelled'));
  alter table officers add column disabled_at timestamptz;
  `,
);
