import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@pmh/core/http/logging';
import { parseMetrics, sumOf, type MetricSample } from '@pmh/core/http/metrics';
import { randomIdentifier } from '@pmh/core/crypto/index';
import { buildClinic, type Clinic } from '@pmh/clinic';
import { World, backends, freePort, childRecord, CHILD_PROGRAM, INSTITUTION_CODES, Rng, type Caller, type ServiceName } from '../packages/testkit/src/index.ts';

/**
 * Observability (issue 15): every service's /metrics in the Prometheus text format — requests by
 * route pattern and status, the outbox's backlog and oldest message, the registration queue, the
 * database pool, rate-limit refusals, the process — with no identifier in any label. Through the
 * real services, scraped as Prometheus scrapes them.
 */
const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
const PROGRAM_ROUTE = '/municipal/v1/medical-subsidy/programs/:orgSpecificCertificateTypeId';
const { certificateTypeId: _id, ...program } = CHILD_PROGRAM;

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string; samples: MetricSample[] }> {
  const res = await fetch(`${url}/metrics`, { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, samples: res.status === 200 ? parseMetrics(text) : [] };
}

/** Polls a service's metrics until `check` holds (the database readings are cached for a second). */
async function until(what: string, url: string, check: (s: MetricSample[]) => boolean, timeoutMs = 30_000): Promise<MetricSample[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { samples } = await scrape(url);
    if (check(samples)) return samples;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const backend of backends()) {
  describe(`metrics (${backend})`, () => {
    let w: World;
    let clinic: Clinic;
    let clinicUrl: string;
    const rng = new Rng(15_005);

    before(async () => {
      // Rate limits on, high enough for a test world, with one route limited to a single write.
      w = await World.start({
        backend,
        services: SERVICES,
        rateLimit: { enabled: true, perIp: 10_000, perClient: 10_000, perService: 100_000, routes: { [`PUT ${PROGRAM_ROUTE}`]: 1 } },
      });
      clinic = await buildClinic({
        institutionCode: INSTITUTION_CODES[0],
        name: '千代田こどもクリニック',
        clientId: w.clinic().clientId,
        privateJwk: w.clinic().privateJwk,
        oqsUrl: w.url('oqs'),
        logger: createLogger({ service: 'clinic', destination: w.logs, level: 'warn' }),
        rateLimit: { enabled: false },
      });
      const port = await freePort();
      await clinic.app.listen({ port, host: '127.0.0.1' });
      clinicUrl = `http://127.0.0.1:${port}`;
    });
    after(async () => {
      await clinic?.close();
      await w?.stop();
    });

    it('every service, the clinic included, answers /metrics in the Prometheus text format with its process, pool and pipelines', async () => {
      for (const name of SERVICES) {
        const s = await scrape(w.url(name));
        assert.equal(s.status, 200, s.text);
        assert.match(s.type, /^text\/plain; version=0\.0\.4/);
        const mine = (n: string) => s.samples.filter((x) => x.name === n && x.labels.service === name);
        assert.ok(mine('process_cpu_user_seconds_total').length === 1, `${name}: process metrics`);
        assert.ok(mine('nodejs_eventloop_lag_p99_seconds').length === 1, `${name}: event-loop delay`);
        assert.equal(sumOf(s.samples, 'pmh_database_up', { service: name }), 1, `${name}: database up`);
        const pool = mine('pmh_db_pool_connections');
        assert.deepEqual(pool.map((p) => p.labels.state).sort(), ['idle', 'total'], `${name}: pool use`);
        assert.ok(sumOf(s.samples, 'pmh_db_pool_max_connections') >= 1);
        assert.equal(mine('pmh_db_pool_waiting_requests').length, 1);
        const pipelines = new Set(mine('pmh_outbox_messages').map((x) => x.labels.pipeline));
        assert.ok(pipelines.size >= 1, `${name}: its pipelines`);
        for (const p of pipelines)
          assert.equal(
            s.samples.filter((x) => x.name === 'pmh_outbox_oldest_message_age_seconds' && x.labels.pipeline === p).length,
            1,
            `${name} ${p}: oldest age`,
          );
      }
      const hub = (await scrape(w.url('hub'))).samples;
      for (const process of ['medical-subsidy', 'vaccination', 'maternal-child'])
        for (const state of ['queued', 'running'])
          assert.equal(hub.filter((x) => x.name === 'pmh_registration_tasks' && x.labels.process === process && x.labels.state === state).length, 1);
      const c = await scrape(clinicUrl);
      assert.equal(c.status, 200);
      assert.ok(sumOf(c.samples, 'process_resident_memory_bytes', { service: 'clinic' }) > 0, 'the clinic: its process');
    });

    it('a request shows in the histogram by method, route pattern and status; no label holds a value of the path', async () => {
      const municipality = w.municipality();
      const key = `K${rng.digits(9)}`;
      const pseudonym = randomIdentifier('pp');
      assert.equal((await w.call(municipality, 'GET', `/municipal/v1/subjects/${key}`)).status, 404);
      assert.equal((await w.call(municipality, 'GET', `/municipal/v1/subjects/${key}`)).status, 404);
      assert.equal((await w.call(w.peerCaller('portal'), 'GET', `/hub/v1/residents/${pseudonym}/subsidies`)).status, 404);
      assert.equal((await w.call(null, 'GET', `/no/such/route/${key}`)).status, 404);
      const before = (await scrape(w.url('hub'))).samples;
      const route = { method: 'GET', route: '/municipal/v1/subjects/:municipalityIdentityKey', status: '404' };
      assert.equal(sumOf(before, 'http_request_duration_seconds_count', route), 2);
      assert.ok(sumOf(before, 'http_request_duration_seconds_sum', route) > 0, 'durations are summed');
      assert.equal(sumOf(before, 'http_request_duration_seconds_bucket', { ...route, le: '+Inf' }), 2);
      assert.equal(sumOf(before, 'http_request_duration_seconds_count', { route: '/hub/v1/residents/:pmhPseudonym/subsidies', status: '404' }), 1);
      assert.equal(sumOf(before, 'http_request_duration_seconds_count', { route: '(no route)', status: '404' }), 1);
      assert.equal((await w.call(municipality, 'GET', `/municipal/v1/subjects/${key}`)).status, 404);
      const after = (await scrape(w.url('hub'))).samples;
      assert.equal(sumOf(after, 'http_request_duration_seconds_count', route), 3, 'counted again');

      // A registered person's identifiers, too: the municipality's key, the My Number.
      const record = childRecord(rng);
      assert.equal((await w.call(municipality, 'PUT', '/municipal/v1/medical-subsidy/programs/child-medical', program)).status, 201);
      assert.equal((await w.register(municipality, 'medical-subsidy', [record])).succeeded, 1);
      assert.equal((await w.call(municipality, 'GET', `/municipal/v1/subjects/${record.municipalityIdentityKey}`)).status, 200);
      for (const url of [...SERVICES.map((n) => w.url(n)), clinicUrl]) {
        const { text, samples } = await scrape(url);
        for (const value of [key, pseudonym, record.municipalityIdentityKey, record.myNumber])
          assert.ok(!text.includes(value), `${url}: ${value} in the metrics`);
        for (const s of samples.filter((x) => x.labels.route))
          assert.match(s.labels.route!, /^\(no route\)$|^(?:[A-Z]+ )?\/[a-z0-9/._:*-]*$/i, `${url}: route label ${s.labels.route}`);
      }
    });

    it('a rate-limited request increments the refusal counter of its route and kind of caller', async () => {
      const municipality = w.municipality();
      const refusals = { route: `PUT ${PROGRAM_ROUTE}`, caller: 'client' };
      const before = sumOf((await scrape(w.url('hub'))).samples, 'pmh_rate_limit_refusals_total', refusals);
      const put = () => w.call(municipality, 'PUT', '/municipal/v1/medical-subsidy/programs/child-medical', program);
      const answers = [await put(), await put()];
      assert.ok(
        answers.some((a) => a.status === 429),
        `a 429 among ${answers.map((a) => a.status)}`,
      );
      const refused = answers.filter((a) => a.status === 429).length;
      const samples = (await scrape(w.url('hub'))).samples;
      assert.equal(sumOf(samples, 'pmh_rate_limit_refusals_total', refusals), before + refused);
      assert.ok(sumOf(samples, 'http_request_duration_seconds_count', { method: 'PUT', route: PROGRAM_ROUTE, status: '429' }) >= refused);
    });

    it("a message waiting for a counterpart shows in its pipeline's backlog, its age grows, and it drains when the counterpart is back", async () => {
      const municipality = w.municipality('271004');
      await w.call(municipality, 'PUT', '/municipal/v1/medical-subsidy/programs/child-medical', program);
      await w.stopService('idserver');
      try {
        const task = await w.register(municipality, 'medical-subsidy', [childRecord(rng)]);
        assert.equal(task.succeeded, 1, JSON.stringify(task));
        const issue = { service: 'hub', pipeline: 'idserver-issue' };
        const backlog = (s: MetricSample[]) => sumOf(s, 'pmh_outbox_messages', issue);
        const age = (s: MetricSample[]) => sumOf(s, 'pmh_outbox_oldest_message_age_seconds', issue);
        const first = await until('the message in the backlog', w.url('hub'), (s) => backlog(s) >= 1);
        await until('its age to grow', w.url('hub'), (s) => backlog(s) >= 1 && age(s) > age(first));
      } finally {
        await w.startService('idserver');
      }
      await until('the backlog drained', w.url('hub'), (s) => sumOf(s, 'pmh_outbox_messages', { pipeline: 'idserver-issue' }) === 0, 60_000);
    });

    it('who may read: loopback without a token; through a proxy or from elsewhere only the operator', async () => {
      const forwarded = { 'x-forwarded-for': '203.0.113.7' };
      const as = async (c: Caller, service: ServiceName) => ({ ...forwarded, authorization: await w.authorization(c, service) });
      for (const name of SERVICES) {
        assert.equal((await scrape(w.url(name))).status, 200, `${name}: loopback`);
        assert.equal((await scrape(w.url(name), forwarded)).status, 401, `${name}: forwarded, no token`);
        assert.equal((await scrape(w.url(name), await as(w.operator, name))).status, 200, `${name}: the operator`);
      }
      assert.equal((await scrape(w.url('hub'), await as(w.municipality(), 'hub'))).status, 403, 'a municipality may not');
      assert.equal((await scrape(w.url('oqs'), await as(w.clinic(), 'oqs'))).status, 403, 'a clinic may not');
      assert.equal((await scrape(clinicUrl, forwarded)).status, 403, 'the clinic issues no tokens: only its allowed addresses');
      assert.doesNotMatch(JSON.stringify(await (await fetch(`${w.url('hub')}/openapi.json`)).json()), /"\/metrics"/, 'not an API operation');
    });
  });

  describe(`metrics: the registration queue (${backend})`, () => {
    let w: World;
    before(async () => {
      // No task worker: what is accepted stays queued.
      w = await World.start({ backend, services: ['hub'], hubWorker: false, metrics: { cacheMs: 0 } });
    });
    after(async () => w?.stop());

    it('accepted tasks show as queued, with their chunks, records and age, by process', async () => {
      const municipality = w.municipality();
      await w.call(municipality, 'PUT', '/municipal/v1/medical-subsidy/programs/child-medical', program);
      const rng = new Rng(15_006);
      for (const n of [3, 1200]) {
        const r = await w.call(
          municipality,
          'POST',
          '/municipal/v1/medical-subsidy/registration-tasks',
          Array.from({ length: n }, () => childRecord(rng)),
        );
        assert.equal(r.status, 202, r.text);
      }
      const { samples } = await scrape(w.url('hub'));
      const ms = { process: 'medical-subsidy' };
      assert.equal(sumOf(samples, 'pmh_registration_tasks', { ...ms, state: 'queued' }), 2);
      assert.equal(sumOf(samples, 'pmh_registration_tasks', { ...ms, state: 'running' }), 0);
      assert.equal(sumOf(samples, 'pmh_registration_tasks', { process: 'vaccination' }), 0);
      assert.equal(sumOf(samples, 'pmh_registration_chunks', { ...ms, state: 'due' }), 3, 'one chunk and two (1,000 + 200)');
      assert.equal(sumOf(samples, 'pmh_registration_records_waiting', ms), 1203);
      assert.ok(sumOf(samples, 'pmh_registration_oldest_task_age_seconds', ms) >= 0);
      await until('the oldest task to age', w.url('hub'), (s) => sumOf(s, 'pmh_registration_oldest_task_age_seconds', ms) >= 1);
    });
  });
}
