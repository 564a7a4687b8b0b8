import { sqlMigration } from '@pmh/core/db/index';

/**
 * Scheduled jobs run once across hub processes (docs/architecture.md#several-processes): a row per
 * job holds when its last run started and which process started it. A process starts a run only
 * by moving `started_at` forward in one statement, and only when the last run started at least one
 * period ago; of several processes waking together, one moves it, the others find it moved and
 * sleep. No lock is held while the run works.
 */
export const scheduledJobsMigration = sqlMigration(
  'hub-018-scheduled-jobs',
  `
  create table scheduled_jobs (
    name text primary key,
    started_at timestamptz not null,
    started_by text not null,
    runs bigint not null default 1
  );`,
);
