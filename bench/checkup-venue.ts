/**
 * A group checkup session's results written through the venue API, on PostgreSQL (issue 13 item 4):
 * the venue's app → `POST /portal/v1/relay/{consentId}/checkup-results` → the portal checks the
 * consent and signs a consent assertion → `POST /hub/v1/residents/{pmhPseudonym}/relay/checkup-results`
 * → the hub verifies it, finds the person's maternal and child health registration, checks the result
 * (measurements for the child's age, the kind's items), locks the registration, reads the vouchers,
 * decides the payment, writes the result (and its feed entry) and the audit row in one transaction.
 * Target: ≥ 500 results/s with p99 < 100 ms.
 *
 * The four services run as `pmh serve` processes on fresh PostgreSQL databases (bench/relay-world.ts,
 * shared with the vaccination relay's bench). N children (default 1,000, PMH_BENCH_RELAY_PEOPLE), about
 * 3½ months old, are registered by one municipality for maternal and child health with a 3–4 month
 * voucher (and a 6–7 month one, not yet valid), linked, and each checked in once at the venue (a
 * consent of 10 minutes). Each write is one child's 3–4 month result: the first write for a child
 * pays with its voucher; later rounds name the 6–7 month voucher, so the payment is decided in full
 * (self-paid, other-checkup) and every answer is a 201.
 *
 * Same-run baselines: the portal's `GET /healthz` and the relay's read (`GET …/relay/{consentId}/checkups`:
 * the same two hops, the vouchers, results and growth chart, no write).
 *
 *   PMH_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/checkup-venue.ts
 */
import { hubApi, type Body } from '@pmh/protocol';
import { todayInJapan } from '../packages/core/src/text/japanese.ts';
import { personName } from '../packages/testkit/src/fixtures.ts';
import { log } from './lib.ts';
import { figuresTable, load, withRelayWorld, type RelayFigure, type Register } from './relay-world.ts';

const BENCH = 'checkup venue';
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export interface CheckupVenueResult {
  people: number;
  connections: number;
  durationSeconds: number;
  healthz: RelayFigure;
  read: RelayFigure;
  write: RelayFigure;
  /** Venue results the hub holds after the runs (warm-ups included), and how many were paid with a voucher. */
  resultsWritten: number;
  paidWithVoucher: number;
}

export async function benchCheckupVenue(
  adminUrl: string,
  n = Number(process.env.PMH_BENCH_RELAY_PEOPLE ?? 1000),
  durationSeconds = Number(process.env.PMH_BENCH_SECONDS ?? 10),
  connections = Number(process.env.PMH_BENCH_RELAY_CONNECTIONS ?? 20),
): Promise<CheckupVenueResult> {
  const today = todayInJapan();
  const birth = addDays(today, -110);
  const register: Register = async (asMunicipality, people, rng) => {
    for (let k = 0; k < people.length; k += 500)
      await asMunicipality.ok(hubApi.municipal.registerMaternalChild, {
        body: people.slice(k, k + 500).map((p, j) => ({
          modificationSeg: '1' as const,
          myNumber: p.myNumber,
          municipalityIdentityKey: `C${k + j}`,
          basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth: birth, sex: (k + j) % 2 ? '1' : '2' },
          isNotDisclosed: false,
          vouchers: [
            { voucherNumber: `V34-${k + j}`, checkupKind: 'infant-3-4m', validFrom: addDays(birth, 90), validTo: addDays(birth, 364), subsidyCap: 4_000 },
            { voucherNumber: `V67-${k + j}`, checkupKind: 'infant-6-7m', validFrom: addDays(birth, 180), validTo: addDays(birth, 364), subsidyCap: 6_000 },
          ],
        })) as Body<typeof hubApi.municipal.registerMaternalChild>,
      });
  };
  return withRelayWorld(
    adminUrl,
    { bench: BENCH, n, seed: 1305, scopes: ['checkup.read', 'checkup.write'], register },
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
        'relay read: GET /portal/v1/relay/{consentId}/checkups',
        { url: url('portal'), method: 'GET', headers: { authorization: auth }, next: () => ({ path: `/portal/v1/relay/${consents[r++ % n]}/checkups` }) },
        connections,
        durationSeconds,
        watch,
      );
      const result = (i: number, first: boolean) =>
        JSON.stringify({
          checkupKind: 'infant-3-4m',
          voucherNumber: first ? `V34-${i}` : `V67-${i}`,
          date: today,
          measurements: { heightCm: 61.5, weightKg: 6.4, headCm: 40.6, chestCm: 40.2 },
          findings: [{ area: 'growth', finding: '順調' }],
          judgement: 'healthy',
        } satisfies Body<typeof hubApi.relay.recordCheckupResult>);
      let w = 0;
      const write = await load(
        BENCH,
        'venue write: POST /portal/v1/relay/{consentId}/checkup-results',
        {
          url: url('portal'),
          method: 'POST',
          headers: { authorization: auth },
          next: () => {
            const k = w++;
            return { path: `/portal/v1/relay/${consents[k % n]}/checkup-results`, body: result(k % n, k < n) };
          },
        },
        connections,
        durationSeconds,
        watch,
      );
      const counts = (
        await hubPool.query(`select count(*) as n, count(*) filter (where payment = 'voucher') as paid from maternal_child_results where source = 'venue'`)
      ).rows[0];
      const out: CheckupVenueResult = {
        people: n,
        connections,
        durationSeconds,
        healthz,
        read,
        write,
        resultsWritten: Number(counts.n),
        paidWithVoucher: Number(counts.paid),
      };
      console.log(checkupVenueTable(out));
      return out;
    },
  );
}

export function checkupVenueTable(r: CheckupVenueResult): string {
  return figuresTable(r.connections, r.durationSeconds, [r.healthz, r.read, r.write]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pgUrl = process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  benchCheckupVenue(pgUrl).then(
    (r) =>
      log(
        `checkup venue: ${r.resultsWritten.toLocaleString('en-US')} venue results at the hub after the runs, ${r.paidWithVoucher.toLocaleString('en-US')} paid with a voucher`,
      ),
    (e) => {
      process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
