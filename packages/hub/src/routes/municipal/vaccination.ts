import { VACCINATION_FEED_CSV_COLUMNS, hubApi, type VaccinationFeedItem, type VaccinationPriceView } from '@pmh/protocol';
import { auditStream } from '@pmh/core/audit/index';
import type { Surface } from '@pmh/core/http/serve';
import { answerFeed } from './reads.ts';
import { vaccinationClaimRoutes } from './vaccination-claims.ts';
import type { FeedRow, StoredPrice } from '../../store/index.ts';
import type { MunicipalDeps } from './index.ts';
import { serveRegistrationTasks } from './registration.ts';
import { actorOf, auditableRequestId, scopeOf } from './scope.ts';

const priceView = (p: StoredPrice): VaccinationPriceView => ({
  vaccineCode: p.vaccineCode as VaccinationPriceView['vaccineCode'],
  unitPrice: p.unitPrice,
  validFrom: p.validFrom,
  validTo: p.validTo,
  updatedAt: p.updatedAt.toISOString(),
});

/**
 * The municipality's vaccination (seed B①): `POST /municipal/v1/vaccination/registration-tasks` (a
 * task of the same machinery as the medical subsidies', reported by GET registration-tasks/{taskId}),
 * the unit prices for claims, `PUT /municipal/v1/vaccination/prices/{vaccineCode}` and `GET …/prices`, and
 * the records feed, `GET /municipal/v1/vaccination/records` (JSON, or CSV in UTF-8 or Shift_JIS; routes/municipal/reads.ts); claims and
 * reminder settings in vaccination-claims.ts.
 */
export function vaccinationRoutes(s: Surface, deps: MunicipalDeps): void {
  serveRegistrationTasks(s, deps, hubApi.municipal.registerVaccination, 'vaccination');

  s.serve(hubApi.municipal.putVaccinationPrice, async (req, reply) => {
    const scope = scopeOf(req);
    const actor = actorOf(req, scope.code);
    const { vaccineCode } = req.params;
    const { created, price } = await scope.run(async (repo) => {
      const created = await repo.upsertVaccinationPrice(vaccineCode, req.body);
      await repo.audit([
        {
          stream: auditStream(actor, `vaccination-price:${vaccineCode}`),
          actor,
          action: 'vaccination.price',
          subjectRef: null,
          purpose: 'municipal-api',
          outcome: 'ok',
          detail: { vaccineCode, validFrom: req.body.validFrom, unitPrice: req.body.unitPrice, requestId: auditableRequestId(req.id) },
        },
      ]);
      const versions = await repo.vaccinationPrices({ vaccineCode });
      return { created, price: versions.find((v) => v.validFrom === req.body.validFrom)! };
    });
    reply.status(created ? 201 : 200);
    return priceView(price);
  });

  s.serve(hubApi.municipal.vaccinationRecords, (req, reply) =>
    answerFeed(req, reply, {
      action: 'vaccination.records.read',
      stream: 'vaccination-records-feed',
      read: (repo, after, limit) => repo.vaccinationFeed(after, limit),
      item: feedItem,
      csv: { columns: VACCINATION_FEED_CSV_COLUMNS, row: (item) => item },
    }),
  );

  s.serve(hubApi.municipal.listVaccinationPrices, async (req) => {
    const prices = await scopeOf(req).run((repo) => repo.vaccinationPrices({ vaccineCode: req.query.vaccineCode, asOf: req.query.asOf }));
    return { prices: prices.map(priceView) };
  });

  vaccinationClaimRoutes(s, deps);
}

function feedItem(r: FeedRow): VaccinationFeedItem {
  return {
    municipalityIdentityKey: r.municipalityIdentityKey,
    recordId: r.recordId,
    recordKey: r.recordKey,
    vaccineCode: r.vaccineCode as VaccinationFeedItem['vaccineCode'],
    doseNumber: r.doseNumber,
    series: r.series,
    date: r.date,
    lotNumber: r.lotNumber,
    institutionCode: r.institutionCode,
    institutionName: r.institutionName,
    source: r.source,
    status: r.status,
    updatedAt: r.updatedAt.toISOString(),
  };
}
