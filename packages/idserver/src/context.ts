import type { ServiceBase } from '@pmh/core/service';
import type { Db } from './store/schema.ts';

/** What the ID server's routes and outbox handlers share: built once in `buildIdServer`. */
export interface IdserverContext {
  base: ServiceBase;
  /** The service's database, typed by its tables. */
  db: Db;
}
