import { sumOf, type MetricSample } from '@pmh/core/http/metrics';

/**
 * What `pmh status` prints from a service's /metrics — the figures a Prometheus server scrapes,
 * read the same way: the database pool, the registration queue (hub), requests and refusals since
 * the process started with the slowest route, and the process itself. One line per subject.
 */
export function describeMetrics(samples: MetricSample[], now = Date.now()): string[] {
  const lines: string[] = [];
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const has = (name: string) => samples.some((s) => s.name === name);

  if (has('pmh_db_pool_connections')) {
    const total = sumOf(samples, 'pmh_db_pool_connections', { state: 'total' });
    const idle = sumOf(samples, 'pmh_db_pool_connections', { state: 'idle' });
    lines.push(
      `database pool: ${n(total - idle)} in use, ${n(idle)} idle of ${n(sumOf(samples, 'pmh_db_pool_max_connections'))}; ${n(sumOf(samples, 'pmh_db_pool_waiting_requests'))} waiting`,
    );
  }

  const processes = [...new Set(samples.filter((s) => s.name === 'pmh_registration_tasks').map((s) => s.labels.process!))];
  if (processes.length) {
    const waiting = processes
      .map((process) => {
        const p = { process };
        const queued = sumOf(samples, 'pmh_registration_tasks', { ...p, state: 'queued' });
        const running = sumOf(samples, 'pmh_registration_tasks', { ...p, state: 'running' });
        if (!queued && !running) return undefined;
        const deferred = sumOf(samples, 'pmh_registration_chunks', { ...p, state: 'deferred' });
        return (
          `${process} ${n(queued)} queued, ${n(running)} running (${n(sumOf(samples, 'pmh_registration_records_waiting', p))} records` +
          `${deferred ? `, ${n(deferred)} chunks deferred after a failure` : ''}; oldest ${duration(sumOf(samples, 'pmh_registration_oldest_task_age_seconds', p))})`
        );
      })
      .filter(Boolean);
    lines.push(`registration tasks: ${waiting.length ? waiting.join('; ') : 'none waiting'}`);
  }

  const counts = samples.filter((s) => s.name === 'http_request_duration_seconds_count');
  const total = counts.reduce((t, s) => t + s.value, 0);
  const byClass = (c: string) => counts.filter((s) => s.labels.status?.startsWith(c)).reduce((t, s) => t + s.value, 0);
  const refused = sumOf(samples, 'pmh_rate_limit_refusals_total');
  const slowest = slowestRoute(samples);
  lines.push(
    `requests since start: ${n(total)} (4xx ${n(byClass('4'))}, 5xx ${n(byClass('5'))}); ${n(refused)} refused by rate limits` +
      (slowest ? `; slowest p95 ≤ ${seconds(slowest.p95)}: ${slowest.route}` : ''),
  );

  const started = sumOf(samples, 'process_start_time_seconds');
  const rss = sumOf(samples, 'process_resident_memory_bytes');
  if (started || rss)
    lines.push(
      `process: up ${duration(now / 1000 - started)}, ${n(rss / 1e6)} MB resident, event-loop delay p99 ${seconds(sumOf(samples, 'nodejs_eventloop_lag_p99_seconds'))}`,
    );
  return lines;
}

/**
 * The route whose 95th percentile is highest, with at least 20 requests (fewer say little), as
 * the histogram can tell it: the upper bound of the bucket that holds the 95th percentile.
 */
function slowestRoute(samples: MetricSample[]): { route: string; p95: number } | undefined {
  const buckets = new Map<string, Array<{ le: number; count: number }>>();
  for (const s of samples) {
    if (s.name !== 'http_request_duration_seconds_bucket') continue;
    const key = `${s.labels.method} ${s.labels.route}`;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    const list = buckets.get(key) ?? [];
    const same = list.find((b) => b.le === le);
    if (same) same.count += s.value;
    else list.push({ le, count: s.value });
    buckets.set(key, list);
  }
  let worst: { route: string; p95: number } | undefined;
  for (const [route, list] of buckets) {
    list.sort((a, b) => a.le - b.le);
    const count = list.at(-1)?.count ?? 0;
    if (count < 20) continue;
    const p95 = list.find((b) => b.count >= 0.95 * count)!.le;
    if (!worst || p95 > worst.p95) worst = { route, p95 };
  }
  return worst;
}

function seconds(v: number): string {
  if (!Number.isFinite(v)) return 'over 30 s';
  return v < 1 ? `${Math.round(v * 1000 * 10) / 10} ms` : `${Math.round(v * 10) / 10} s`;
}

function duration(s: number): string {
  const t = Math.max(0, Math.round(s));
  if (t < 120) return `${t} s`;
  if (t < 7200) return `${Math.floor(t / 60)} min`;
  return `${Math.floor(t / 3600)} h ${Math.floor((t % 3600) / 60)} min`;
}
