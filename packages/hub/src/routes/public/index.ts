import { hubApi } from '@pmh/protocol';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { todayInJapan } from '@pmh/core/text/japanese';
import { catalogue } from '../../domain/vaccination/catalogue.ts';
import type { HubRouteOptions } from '../options.ts';

/** What anyone may read, without a token: no personal data, so it may be cached. */
export async function publicRoutes(app: App, opts: HubRouteOptions): Promise<void> {
  const s = surface(app, { access: 'public' });

  // The hub's public encryption keys for linkage keys (OQS encrypts to the first).
  s.serve(hubApi.public.jwks, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=60');
    return opts.ring.jwks();
  });

  // The routine vaccines and their schedules, from the rules the forecasts and dose checks use.
  s.serve(hubApi.public.vaccinationCatalogue, async (req, reply) => {
    const asOf = req.query.asOf ?? todayInJapan();
    reply.header('cache-control', 'public, max-age=3600');
    return { asOf, vaccines: catalogue(asOf) };
  });
}
