import type { ServiceBase } from '@pmh/core/service';
import type { HubKeys } from './federation/linkage-key.ts';
import type { Db } from './store/schema.ts';

/** What OQS's routes and outbox handlers share: built once in `buildOqs`. */
export interface OqsContext {
  base: ServiceBase;
  /** The service's database, typed by its tables. */
  db: Db;
  /** The hub's published encryption key (for PMH linkage keys); absent when no hub is configured. */
  hubKeys?: HubKeys;
}
