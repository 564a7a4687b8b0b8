import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { HubRouteOptions } from '../options.ts';
import { linkRoutes } from './links.ts';
import { eligibilityRoutes } from './eligibility.ts';

/**
 * The counterpart API (`/hub/v1`): what the ID server, the portal and OQS tell and ask the hub. Each
 * route admits the one service its contract names; they act for no municipality, so they use the
 * store's system door.
 */
export async function counterpartRoutes(app: App, opts: HubRouteOptions): Promise<void> {
  const s = surface(app, { access: opts.auth.requireRole('idserver', 'portal', 'oqs'), tags: ['counterparts'] });
  linkRoutes(s, opts);
  eligibilityRoutes(s, opts);
}
