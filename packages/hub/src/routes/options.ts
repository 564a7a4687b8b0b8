import type { ClientStore, OAuthServer } from '@pmh/core/auth/index';
import type { HubStore } from '../store/index.ts';
import type { KeyRing } from '../federation/key-ring.ts';
import type { ConsoleSessions } from './console/sessions.ts';

/**
 * What every route plugin of the hub is given (`app.register(plugin, options)`): the one argument
 * shape. Each surface's plugin hands its routes only what they need; the municipal routes, no
 * database handle at all — each request carries its municipality's scope (`routes/municipal/scope.ts`).
 */
export interface HubRouteOptions {
  auth: OAuthServer;
  /** Registered clients and their public keys: the portal's verify its consent assertions. */
  clients: ClientStore;
  store: HubStore;
  /** The hub's linkage-key encryption keys. */
  ring: KeyRing;
  /** The hub's own public URL: the audience of linkage keys. */
  publicUrl: string;
  /** New registration work: don't wait for the task worker's next poll. */
  wakeWorker(): void;
  /** New notifications: release the due ones now. */
  wakeRelease(): void;
  /** Messages were enqueued and committed: deliver them now. */
  wakeOutbox(): void;
  /** Municipal console sessions: the console's routes, and the municipal API's second door. */
  consoleSessions: ConsoleSessions;
}

/** A route's door from its contract: the roles its endpoint names as callers. */
export function callersOf(auth: OAuthServer, e: { callers: readonly [string, ...string[]] }): { access: ReturnType<OAuthServer['requireRole']> } {
  return { access: auth.requireRole(...e.callers) };
}
