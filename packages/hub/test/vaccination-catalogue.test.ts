/**
 * The public vaccination catalogue (`GET /hub/v1/vaccination/catalogue`) through HTTP: no token, every
 * routine vaccine of the contract's list with its schedules, versions by date, field-named errors.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { World, backends } from '../../testkit/src/index.ts';

const PATH = '/hub/v1/vaccination/catalogue';
const CONTRACT_CODES = [
  'hib',
  'pcv',
  'hepb',
  'rota',
  'dpt-ipv-hib',
  'dpt-ipv',
  'bcg',
  'mr',
  'varicella',
  'je',
  'dt',
  'hpv',
  'rsv-maternal',
  'flu-elderly',
  'pcv-elderly',
  'covid-elderly',
  'zoster',
];

for (const backend of backends()) {
  describe(`vaccination catalogue (${backend})`, () => {
    let w: World;
    before(async () => (w = await World.start({ backend })));
    after(() => w.stop());

    const get = (query = '') => w.call(null, 'GET', PATH + query);
    const byCode = (body: any) => new Map<string, any>(body.vaccines.map((v: any) => [v.vaccineCode, v]));

    it('answers without a token with every routine vaccine of the contract, each with class, live, route and series', async () => {
      const r = await get('?asOf=2026-12-02');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.asOf, '2026-12-02');
      assert.deepEqual(r.body.vaccines.map((v: any) => v.vaccineCode).sort(), [...CONTRACT_CODES].sort());
      for (const v of r.body.vaccines) {
        assert.ok(v.class === 'A' || v.class === 'B', v.vaccineCode);
        assert.equal(typeof v.live, 'boolean');
        assert.ok(v.series.length > 0 && v.series.every((s: any) => Number.isInteger(s.doses) && s.doses > 0), v.vaccineCode);
      }
      const v = byCode(r.body);
      assert.equal(v.get('flu-elderly').class, 'B');
      assert.equal(v.get('zoster').class, 'B');
      assert.equal(v.get('mr').class, 'A');
      assert.equal(v.get('mr').live, true);
      assert.equal(v.get('rota').route, 'oral');
      assert.equal(v.get('bcg').route, 'percutaneous');
      assert.equal(v.get('hpv').live, false);
    });

    it('lists the schedules that depend on the age at the first dose (Hib, PCV) and on the product (HPV, rota, zoster)', async () => {
      const v = byCode((await get('?asOf=2026-12-02')).body);
      const doses = (code: string) => Object.fromEntries(v.get(code).series.map((s: any) => [s.series, s.doses]));
      assert.deepEqual(doses('hib'), { 'start-2m-7m': 4, 'start-7m-12m': 3, 'start-12m-60m': 1 });
      assert.deepEqual(doses('pcv'), { 'start-2m-7m': 4, 'start-7m-12m': 3, 'start-12m-24m': 2, 'start-24m-60m': 1 });
      assert.deepEqual(doses('hpv'), { '9-valent-2-dose': 2, '9-valent': 3, '4-valent': 3, '2-valent': 3 });
      assert.deepEqual(doses('rota'), { '1-valent': 2, '5-valent': 3 });
      assert.deepEqual(doses('je'), { standard: 4, 'cohort-1995-2007': 4 });
      const zoster = v.get('zoster');
      assert.equal(zoster.live, true, 'any live schedule makes the vaccine live');
      assert.deepEqual(
        zoster.series.map((s: any) => [s.series, s.doses, s.live, s.route]),
        [
          ['recombinant', 2, false, 'intramuscular'],
          ['live', 1, true, 'subcutaneous'],
        ],
      );
    });

    it('shows the version of each rule in force on asOf: 四種混合 from 生後3月 until 2023-03-31, then from 生後2月', async () => {
      const before = byCode((await get('?asOf=2023-03-31')).body);
      const afterChange = byCode((await get('?asOf=2023-04-01')).body);
      assert.equal(before.get('dpt-ipv').validFrom, '2012-11-01');
      assert.equal(before.get('dpt-ipv').validTo, '2023-03-31');
      assert.equal(afterChange.get('dpt-ipv').validFrom, '2023-04-01');
      assert.equal(afterChange.get('dpt-ipv').validTo, undefined);
      // Announced starts are listed with their date: 五種混合 2024-04-01, 帯状疱疹 2025-04-01, RSV 2026-04-01.
      assert.equal(before.get('dpt-ipv-hib').validFrom, '2024-04-01');
      assert.equal(before.get('zoster').validFrom, '2025-04-01');
      assert.equal(before.get('rsv-maternal').validFrom, '2026-04-01');
    });

    it('defaults asOf to today in Japan and may be cached (it holds no personal data)', async () => {
      const r = await get();
      assert.equal(r.status, 200);
      assert.match(r.body.asOf, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(r.headers.get('cache-control') ?? '', /public/);
    });

    it('refuses a malformed asOf with problem+json naming the field', async () => {
      for (const bad of ['2026-13-01', 'yesterday', '20261202']) {
        const r = await get(`?asOf=${encodeURIComponent(bad)}`);
        assert.equal(r.status, 400, bad);
        assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.ok(
          r.body.errors.some((e: any) => e.pointer === '/querystring/asOf'),
          JSON.stringify(r.body),
        );
      }
      const unknown = await get('?asOf=2026-12-02&other=1');
      assert.equal(unknown.status, 400);
    });

    it('is documented in the OpenAPI document', async () => {
      const doc = await w.call(null, 'GET', '/openapi.json');
      assert.ok(doc.body.paths[PATH]?.get, 'documents the catalogue');
    });
  });
}
