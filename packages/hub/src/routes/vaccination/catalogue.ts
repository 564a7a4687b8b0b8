import { VaccinationCatalogue, VaccinationCatalogueQuery, errorResponses } from '@pmh/protocol';
import { todayInJapan } from '@pmh/core/text/japanese';
import type { ServiceBase } from '@pmh/core/service';
import { catalogue } from '../../domain/vaccination/catalogue.ts';

/**
 * `GET /hub/v1/vaccination/catalogue` (public, no token): the routine vaccines and their schedules, from
 * the rules the forecasts and dose checks use. Holds no personal data, so it may be cached.
 */
export async function vaccinationCatalogueRoutes(base: ServiceBase): Promise<void> {
  base.app.get(
    '/hub/v1/vaccination/catalogue',
    {
      config: { access: 'public' },
      schema: {
        tags: ['vaccination'],
        summary: 'Routine vaccines (定期接種) and their schedules',
        description:
          'Every routine vaccine in force on `asOf` (default: today in Japan), and those whose start is announced for later, with each schedule ' +
          '(series) and its number of doses. `live`/`route` of a vaccine are those of its first schedule (live: any schedule live); each schedule ' +
          'carries its own. Public: no token.',
        querystring: VaccinationCatalogueQuery,
        response: { 200: VaccinationCatalogue, 400: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const asOf = req.query.asOf ?? todayInJapan();
      reply.header('cache-control', 'public, max-age=3600');
      return { asOf, vaccines: catalogue(asOf) };
    },
  );
}
