import type { ServiceBase } from '@pmh/core/service';
import type { PortalConfig } from './config.ts';
import type { Db } from './store/schema.ts';

/** What the portal's routes and outbox handlers share: built once in `buildPortal`. */
export interface PortalContext {
  base: ServiceBase;
  /** The service's database, typed by its tables. */
  db: Db;
  config: PortalConfig;
}
