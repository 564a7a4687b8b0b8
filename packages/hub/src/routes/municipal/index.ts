import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { HubRouteOptions } from '../options.ts';
import { callerMunicipality } from './scope.ts';
import { programRoutes } from './programs.ts';
import { registrationRoutes } from './registration.ts';
import { subjectRoutes } from './subjects.ts';
import { notificationRoutes } from './notifications.ts';
import { vaccinationRoutes } from './vaccination.ts';
import { registrationFileRoutes } from './registration-files.ts';

/** What the municipal routes are given: no store — each request carries its municipality's scope. */
export type MunicipalDeps = Omit<HubRouteOptions, 'store'>;

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
  const s = surface(app, { access: opts.auth.requireRole('municipality:*'), tags: ['municipal'] });
  programRoutes(s, deps);
  registrationRoutes(s, deps);
  subjectRoutes(s, deps);
  notificationRoutes(s, deps);
  vaccinationRoutes(s, deps);
  registrationFileRoutes(s, deps);
}
