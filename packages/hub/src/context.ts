import type { Logger } from 'pino';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { ClientStore } from '@pmh/core/auth/index';
import type { ServiceBase } from '@pmh/core/service';
import type { Db } from './store/scope.ts';
import type { TaskWorker } from './worker/task-worker.ts';

/** What the hub's routes and workers share: built once in `buildHub`. */
export interface HubContext {
  db: Db;
  cipher: FieldCipher;
  clients: ClientStore;
  worker: TaskWorker;
  log: Logger;
  base: ServiceBase;
}
