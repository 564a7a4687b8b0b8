import type { ApiClient } from '@pmh/protocol/contract';
import type { ClinicConfig } from './app.ts';

/** What the clinic's routes share: built once in `buildClinic`. */
export interface ClinicContext {
  config: ClinicConfig;
  /** OQS, called as this institution (client `clinic:<code>`). */
  oqs: ApiClient;
  /** The portal, called as this institution (client `clinic:<code>`) for consent and the vaccination relay; absent when not configured. */
  portal?: ApiClient;
}
