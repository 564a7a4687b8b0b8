import type { Logger } from 'pino';
import type { ServiceMetrics } from '@pmh/core/http/metrics';
import type { SystemStore } from '../store/index.ts';
import { PROCESSES } from '../store/tasks.ts';

const STATES = ['queued', 'running'] as const;

/**
 * The registration queue on /metrics: tasks waiting or being applied, their chunks and records, and
 * how long the oldest has waited, per process (medical-subsidy, vaccination, maternal-child). Read
 * at a scrape (one grouped statement over the chunks not done, cached like every database reading).
 */
export function queueMetrics(metrics: ServiceMetrics, system: SystemStore, log: Logger): void {
  const reading = metrics.cached(
    () => system.taskQueue(),
    (e) => log.debug({ err: { message: (e as Error).message } }, 'metrics: task queue not read'),
  );
  const rowsOf = (rows: Awaited<ReturnType<SystemStore['taskQueue']>>, process: string, state?: string) =>
    rows.filter((r) => r.process === process && (!state || r.status === state));
  metrics.gauge(
    {
      name: 'pmh_registration_tasks',
      help: 'Registration tasks with records still to apply, by process and state (queued: none applied yet; running).',
      labelNames: ['process', 'state'],
    },
    reading,
    (g, rows) => {
      for (const process of PROCESSES)
        for (const state of STATES)
          g.set(
            { process, state },
            rowsOf(rows, process, state).reduce((n, r) => n + r.tasks, 0),
          );
    },
  );
  metrics.gauge(
    {
      name: 'pmh_registration_chunks',
      help: 'Chunks (of up to 1,000 records) still to apply, by process; deferred: waiting to be tried again after a failure.',
      labelNames: ['process', 'state'],
    },
    reading,
    (g, rows) => {
      for (const process of PROCESSES) {
        const mine = rowsOf(rows, process);
        const deferred = mine.reduce((n, r) => n + r.deferredChunks, 0);
        g.set({ process, state: 'due' }, mine.reduce((n, r) => n + r.chunks, 0) - deferred);
        g.set({ process, state: 'deferred' }, deferred);
      }
    },
  );
  metrics.gauge({ name: 'pmh_registration_records_waiting', help: 'Records still to apply, by process.', labelNames: ['process'] }, reading, (g, rows) => {
    for (const process of PROCESSES)
      g.set(
        { process },
        rowsOf(rows, process).reduce((n, r) => n + r.records, 0),
      );
  });
  metrics.gauge(
    {
      name: 'pmh_registration_oldest_task_age_seconds',
      help: 'Age of the oldest task with records still to apply, by process (0 when none waits).',
      labelNames: ['process'],
    },
    reading,
    (g, rows) => {
      for (const process of PROCESSES) g.set({ process }, Math.max(0, ...rowsOf(rows, process).map((r) => r.oldestAgeSeconds)));
    },
  );
}
