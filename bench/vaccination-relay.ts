/**
 * Vaccination records written through the clinic relay, on PostgreSQL (issue 12 item 4): a clinic's
 * app → `POST /portal/v1/relay/{consentId}/vaccinations` → the portal checks the consent and signs a
 * consent assertion → `POST /hub/v1/residents/{pmhPseudonym}/relay/vaccinations` → the hub verifies
 * it, reads the person's doses, checks the dose, writes the record (and its feed entry) and the
 * audit row in one transaction. Target: ≥ 500 records/s with p99 < 100 ms.
 *
 * The four services run as `pmh serve` processes on fresh PostgreSQL databases. N people (default
 * 1,000, PMH_BENCH_RELAY_PEOPLE) are enrolled with cards, registered for vaccination by one
 * municipality and linked through the federation; each presents the card at the clinic once (a
 * consent of 10 minutes). Each write records `flu-elderly` dose 1 today for one of them in turn, so
 * from the second round on the dose is a duplicate: every write carries an override of each warning
 * code with a reason, so each is a 201 and none is refused (the check still runs in full).
 *
 * Same-run baselines: the portal's `GET /healthz` (the HTTP floor of one process) and the relay's
 * read (`GET …/relay/{consentId}/vaccinations`: the same two hops, consent and assertion, no write).
 * Connections: PMH_BENCH_RELAY_CONNECTIONS (default 20: at 500/s that leaves 40 ms per request on
 * average, under the p99 target). Reports requests/s, p50, p99, CPU per request of each service and
 * how busy the machine was (its 2 cores also run PostgreSQL and the load generator).
 *
 *   PMH_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/vaccination-relay.ts
 */
import { hubApi, portalApi, type Body } from '@pmh/protocol';
import { todayInJapan } from '../packages/core/src/text/japanese.ts';
import { personName } from '../packages/testkit/src/fixtures.ts';
import { WARNING_CODES } from '../packages/hub/src/domain/vaccination/schedule.ts';
import { log } from './lib.ts';
import { figuresTable, load, withRelayWorld, type RelayFigure, type Register } from './relay-world.ts';

export type { RelayFigure } from './relay-world.ts';

const BENCH = 'vaccination relay';

export interface RelayResult {
  people: number;
  connections: number;
  durationSeconds: number;
  healthz: RelayFigure;
  read: RelayFigure;
  write: RelayFigure;
  /** Records the hub holds from clinics after the runs (warm-ups included). */
  recordsWritten: number;
}

export async function benchVaccinationRelay(
  adminUrl: string,
  n = Number(process.env.PMH_BENCH_RELAY_PEOPLE ?? 1000),
  durationSeconds = Number(process.env.PMH_BENCH_SECONDS ?? 10),
  connections = Number(process.env.PMH_BENCH_RELAY_CONNECTIONS ?? 20),
): Promise<RelayResult> {
  const register: Register = async (asMunicipality, people, rng) => {
    await asMunicipality.ok(hubApi.municipal.registerVaccination, {
      body: people.map((p, i) => ({
        modificationSeg: '1' as const,
        myNumber: p.myNumber,
        municipalityIdentityKey: `V${i}`,
        basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: '1955-05-05', sex: i % 2 ? '1' : '2' },
        isNotDisclosed: false,
      })) as Body<typeof hubApi.municipal.registerVaccination>,
    });
  };
  return withRelayWorld(
    adminUrl,
    { bench: BENCH, n, seed: 1204, scopes: ['vaccination.read', 'vaccination.write'], register },
    async ({ url, auth, consents, hubPool, watch }) => {
      const healthz = await load(
        BENCH,
        'baseline: portal GET /healthz',
        { url: url('portal'), method: 'GET', headers: {}, next: () => ({ path: '/healthz' }) },
        connections,
        durationSeconds,
        watch,
      );
      let r = 0;
      const read = await load(
        BENCH,
        'relay read: GET /portal/v1/relay/{consentId}/vaccinations',
        { url: url('portal'), method: 'GET', headers: { authorization: auth }, next: () => ({ path: `/portal/v1/relay/${consents[r++ % n]}/vaccinations` }) },
        connections,
        durationSeconds,
        watch,
      );
      const today = todayInJapan();
      const body = JSON.stringify({
        assessment: { temperatureC: 36.4, fit: true, doctorName: '千代田 太郎' },
        record: {
          vaccineCode: 'flu-elderly',
          doseNumber: 1,
          date: today,
          productName: 'インフルエンザHAワクチン',
          lotNumber: 'FLU-2611',
          expirationDate: '2027-06-30',
          doseVolumeMl: 0.5,
          site: '左上腕',
          route: 'subcutaneous',
        },
        overrides: WARNING_CODES.map((code) => ({ code, reason: 'ベンチマーク: 同一接種の再登録' })),
      } satisfies Body<typeof portalApi.relayRecordVaccination>);
      let wr = 0;
      const write = await load(
        BENCH,
        'relay write: POST /portal/v1/relay/{consentId}/vaccinations',
        {
          url: url('portal'),
          method: 'POST',
          headers: { authorization: auth },
          next: () => ({ path: `/portal/v1/relay/${consents[wr++ % n]}/vaccinations`, body }),
        },
        connections,
        durationSeconds,
        watch,
      );
      const recordsWritten = Number((await hubPool.query(`select count(*) as n from vaccination_records where source = 'clinic'`)).rows[0].n);
      const result: RelayResult = { people: n, connections, durationSeconds, healthz, read, write, recordsWritten };
      console.log(relayTable(result));
      return result;
    },
  );
}

export function relayTable(r: RelayResult): string {
  return figuresTable(r.connections, r.durationSeconds, [r.healthz, r.read, r.write]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pgUrl = process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  benchVaccinationRelay(pgUrl).then(
    (r) => log(`vaccination relay: ${r.recordsWritten.toLocaleString('en-US')} clinic records at the hub after the runs`),
    (e) => {
      process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
