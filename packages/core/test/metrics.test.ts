import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cachedReading, parseMetrics, resolveMetrics, ServiceMetrics, sumOf } from '../src/http/metrics.ts';

/** The pieces of /metrics that need no service: the shared reading, the settings, the exposition read back. */
describe('metrics', () => {
  it('a reading serves every scrape within its time, concurrent scrapes share one read, and a failed read answers the last good one', async () => {
    let reads = 0;
    let fail = false;
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    const errors: unknown[] = [];
    const read = cachedReading(
      async () => {
        reads++;
        await gate;
        if (fail) throw new Error('database away');
        return reads;
      },
      60_000,
      (e) => errors.push(e),
    );
    const storm = Promise.all(Array.from({ length: 20 }, () => read()));
    release();
    assert.deepEqual(new Set(await storm), new Set([1]), 'twenty concurrent scrapes, one statement');
    assert.equal(await read(), 1, 'within its time: no new read');
    assert.equal(reads, 1);

    const expiring = cachedReading(
      async () => {
        reads++;
        if (fail) throw new Error('database away');
        return reads;
      },
      0,
      (e) => errors.push(e),
    );
    gate = Promise.resolve();
    const first = await expiring();
    assert.equal(await expiring(), first! + 1, 'expired: read again');
    fail = true;
    assert.equal(await expiring(), first! + 1, 'the database away: the last reading');
    assert.equal(errors.length, 1);
  });

  it('settings come from the environment: on or off, the cache, the allowed scrapers', () => {
    assert.deepEqual(resolveMetrics({}, {}), { enabled: true, cacheMs: 1000, allow: ['127.0.0.0/8', '::1'] });
    assert.equal(resolveMetrics({}, { PMH_METRICS: 'off' }).enabled, false);
    assert.deepEqual(resolveMetrics({}, { PMH_METRICS_ALLOW: '10.0.0.5, 192.168.0.0/24' }).allow, ['10.0.0.5', '192.168.0.0/24']);
    assert.deepEqual(resolveMetrics({}, { PMH_METRICS_ALLOW: 'none' }).allow, []);
    assert.equal(resolveMetrics({}, { PMH_METRICS_CACHE_MS: '250' }).cacheMs, 250);
    assert.throws(() => resolveMetrics({}, { PMH_METRICS: 'maybe' }), /PMH_METRICS must be/);
    assert.throws(() => resolveMetrics({}, { PMH_METRICS_CACHE_MS: '-1' }), /PMH_METRICS_CACHE_MS/);
  });

  it('the exposition reads back as samples, escaped label values and +Inf included', async () => {
    const m = new ServiceMetrics('test');
    m.requests.observe({ method: 'GET', route: '/a/:id', status: '200' }, 0.003);
    m.refused('POST /x', 'ip:127.0.0.1', false);
    m.refused('POST /x', 'client:municipality-131016', false);
    m.refused('POST /x', 'client:oqs', true);
    m.gauge(
      { name: 'test_gauge', help: 'h', labelNames: ['l'] },
      async () => 'a"b\\c',
      (g, v) => g.set({ l: v }, 2),
    );
    const samples = parseMetrics(await m.scrape());
    assert.equal(sumOf(samples, 'http_request_duration_seconds_bucket', { route: '/a/:id', le: '0.0025' }), 0);
    assert.equal(sumOf(samples, 'http_request_duration_seconds_bucket', { route: '/a/:id', le: '0.005' }), 1);
    assert.equal(sumOf(samples, 'http_request_duration_seconds_bucket', { route: '/a/:id', le: '+Inf' }), 1);
    assert.deepEqual(
      samples.filter((s) => s.name === 'pmh_rate_limit_refusals_total').map((s) => [s.labels.caller, s.value]),
      [
        ['address', 1],
        ['client', 1],
        ['service', 1],
      ],
    );
    assert.ok(!samples.some((s) => Object.values(s.labels).some((v) => v.includes('127.0.0.1') || v.includes('131016'))), 'the keys counted are not labels');
    assert.equal(samples.find((s) => s.name === 'test_gauge')?.labels.l, 'a"b\\c');
    assert.ok(samples.every((s) => s.labels.service === 'test'));
  });
});
