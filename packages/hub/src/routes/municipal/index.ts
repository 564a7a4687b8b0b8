import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { callersOf, type HubRouteOptions } from '../options.ts';
import { callerMunicipality } from './scope.ts';
import { programRoutes } from './programs.ts';
import { registrationRoutes } from './registration.ts';
import { subjectRoutes } from './subjects.ts';
import { notificationRoutes } from './notifications.ts';
import { vaccinationRoutes } from './vaccination.ts';
import { maternalChildRoutes } from './maternal-child.ts';
import { registrationFileRoutes } from './registration-files.ts';
import { consolePageRoutes } from './console-pages.ts';

/** What the municipal routes are given: no store — each request carries its municipality's scope. */
export type MunicipalDeps = Omit<HubRouteOptions, 'store'>;

/** A municipal route's door from its contract's callers, with an officer's console session as a second door. */
export function municipalCallers(deps: MunicipalDeps, e: { callers: readonly [string, ...string[]] }) {
  return { access: deps.consoleSessions.orBearer(callersOf(deps.auth, e).access) };
}

/**
 * The municipal API (`/municipal/v1`, role `municipality:<code>`; some reads also `admin`): one
 * surface, one door. Before any handler runs, the request gets its municipality's scope
 * (`req.municipality`): every database access of these routes goes through it, with row-level
 * security entered for that municipality, and none of them holds another handle.
 */
export async function municipalRoutes(app: App, opts: HubRouteOptions): Promise<void> {
  const { store, ...deps } = opts;
  app.decorateRequest('municipality', undefined);
  app.addHook('preHandler', async (req) => {
    req.municipality = store.municipality(callerMunicipality(req));
  });
  // A registration file is read as it streams (routes/municipal/registration-files.ts); the door has
  // checked its media type and charset before this runs.
  app.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));
  if (!app.hasRequestDecorator('officer')) app.decorateRequest('officer', undefined);
  // A bearer token, or an officer's console session (its role limits what it may change).
  const s = surface(app, { access: opts.consoleSessions.orBearer(opts.auth.requireRole('municipality:*')), tags: ['municipal'] });
  programRoutes(s, deps);
  registrationRoutes(s, deps);
  subjectRoutes(s, deps);
  notificationRoutes(s, deps);
  vaccinationRoutes(s, deps);
  maternalChildRoutes(s, deps);
  registrationFileRoutes(s, deps);
  consolePageRoutes(s, deps);
}
