/**
 * The municipal vaccination records feed (`GET /municipal/v1/vaccination/records`) read end to end, on
 * PostgreSQL: N doses (default 200,000) written straight into one municipality's table (standing for
 * clinic writes), then read in pages of 10,000 as JSON, CSV and Shift_JIS CSV. Reports records/s and
 * the process's peak RSS (every service of the test world runs in this one process, so it is an upper
 * bound of the hub's). Not yet part of `npm run bench`.
 *
 *   PMH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test N=200000 node --import tsx bench/vaccination-feed.ts
 */
import { sql } from 'kysely';
import { World, myNumber, Rng } from '../packages/testkit/src/index.ts';
const N = Number(process.env.N ?? 200_000);
const w = await World.start({ backend: 'postgres' });
const tokyo = w.municipality('131016');
const rng = new Rng(9);
const t = await w.register(tokyo, 'vaccination', [
  {
    modificationSeg: '1',
    myNumber: myNumber(rng),
    municipalityIdentityKey: 'K1',
    basicFiveInfo: { name: 'あ', dateOfBirth: '2025-04-10', sex: '1' },
    isNotDisclosed: false,
  },
]);
if (t.succeeded !== 1) throw new Error(JSON.stringify(t));
const db = w.hub.database.db;
const sid = (await sql<{ id: string }>`select id from subjects where municipality_identity_key = 'K1'`.execute(db)).rows[0].id;
let t0 = performance.now();
for (let i = 0; i < N; i += 50_000)
  await sql`insert into vaccination_records (id, municipality_code, subject_id, record_key, vaccine_code, dose_number, date, lot_number, institution_code, source)
    select gen_random_uuid(), '131016', ${sid}, 'K' || g, 'hib', 1, date '2025-06-10', 'LOT' || g, '1312345674', 'municipal' from generate_series(${i}::int, ${Math.min(N, i + 50_000) - 1}::int) g`.execute(
    db,
  );
console.log(`inserted ${N} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await sql`analyze`.execute(db);
const auth = await w.authorization(tokyo);
for (const [label, accept, q] of [
  ['json', 'application/json', ''],
  ['csv', 'text/csv', ''],
  ['csv sjis', 'text/csv', '&charset=shift_jis'],
] as const) {
  let cursor = '0';
  let n = 0;
  let bytes = 0;
  let maxRss = 0;
  t0 = performance.now();
  for (;;) {
    const r = await fetch(`${w.hubUrl}/municipal/v1/vaccination/records?since=${cursor}&limit=10000${q}`, { headers: { accept, authorization: auth } });
    const buf = Buffer.from(await r.arrayBuffer());
    bytes += buf.length;
    let count: number;
    if (accept === 'application/json') {
      const b = JSON.parse(buf.toString());
      count = b.items.length;
      cursor = b.nextCursor;
    } else {
      count = buf.toString('latin1').split('\r\n').length - 2;
      cursor = r.headers.get('next-cursor')!;
    }
    n += count;
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
    if (count === 0) break;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${label}: ${n} records in ${s.toFixed(2)} s = ${Math.round(n / s)} records/s, ${(bytes / 1e6).toFixed(1)} MB, process RSS max ${(maxRss / 1e6).toFixed(0)} MB`,
  );
}
await w.stop();
