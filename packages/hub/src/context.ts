import type { Logger } from 'pino';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { ClientStore } from '@pmh/core/auth/index';
import type { ServiceBase } from '@pmh/core/service';
import type { HubStore } from './store/index.ts';
import type { TaskWorker } from './worker/task-worker.ts';
import type { VaccinationJobs } from './worker/vaccination-jobs.ts';

/** What the hub is made of, built once in `buildHub`: for the launcher and tests that look inside. */
export interface HubContext {
  store: HubStore;
  cipher: FieldCipher;
  clients: ClientStore;
  worker: TaskWorker;
  /** Reminders and the retention purge (tests run a pass with `remind()` / `purge()`). */
  jobs: VaccinationJobs;
  log: Logger;
  base: ServiceBase;
}
