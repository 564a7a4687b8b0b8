/**
 * Issue 15, item 4: the PMH services on the production topology of deploy/ — PostgreSQL 15 with
 * synchronous streaming replication under Patroni on etcd, HAProxy in front — lose their primary
 * under a registration and an eligibility load: a planned switchover, the primary's PostgreSQL
 * and Patroni killed, the primary's whole node (etcd member too) killed, and, when the machine
 * allows network namespaces, the primary cut off the network with its processes running on (a
 * partition: the old primary alive but unreachable). After each, the member is started again (or
 * connected again) and rejoins as a replica.
 *
 * It shows: no accepted registration task lost or applied twice, every audit chain intact, every
 * outbox drained (every subject linked through to the portal), every member holding the same
 * data, and what callers saw: per fault and caller, the seconds from the first failed answer to
 * the first success after the last one, and that every failure was a 503 with Retry-After (or,
 * at a clinic, `hub-unavailable`), never a 500.
 *
 * `npm run test:ha` (minutes; not part of `npm test`, CI does not run it). It installs Patroni,
 * etcd and HAProxy with apt-get when it can, and skips with the reason when it cannot. The
 * topology runs on ports of its own (deploy/local/up.sh), each member in a network namespace of
 * its own when it can (root), else all on loopback without the partition (PMH_HA_NETNS=0 asks for
 * that); the machine's PostgreSQL is never touched. HA_TTL, HA_LOOP_WAIT, HA_RETRY_TIMEOUT set
 * Patroni's timing (default 15/3/6; Patroni's own defaults are 30/10/10); PMH_HA_TASK_SIZE and
 * PMH_HA_TASK_INTERVAL_MS the load; PMH_HA_KEEP=1 keeps the topology's directory (logs, data)
 * afterwards, as a failed run does.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { TokenClient, generateClientKey } from '../../packages/core/src/auth/index.ts';
import { generateSigningKey, randomIdentifier, randomLinkageNumber, signCardChallenge } from '../../packages/core/src/crypto/index.ts';
import { Rng, childRecord, CHILD_PROGRAM, myNumber } from '../../packages/testkit/src/fixtures.ts';
import { runPmh } from '../../packages/testkit/src/process.ts';
import { freePort, log, sleep, spawnService, stop, table, tempDir, type Spawned } from '../../bench/lib.ts';
import { LocalTopology, networkNamespacesUnavailable, prepareMachine } from './topology.ts';

const SERVICES = ['hub', 'idserver', 'oqs', 'portal'] as const;
type Name = (typeof SERVICES)[number];
const MUNICIPALITIES = ['131016', '271004'] as const;
const INSTITUTION = '1312345674';
const AS_OF = '2026-06-01';
const num = (v: string | undefined, d: number) => (v ? Number(v) : d);
const TIMING = { ttl: num(process.env.HA_TTL, 15), loopWait: num(process.env.HA_LOOP_WAIT, 3), retryTimeout: num(process.env.HA_RETRY_TIMEOUT, 6) };
const TASK_SIZE = num(process.env.PMH_HA_TASK_SIZE, 20);
const TASK_INTERVAL_MS = num(process.env.PMH_HA_TASK_INTERVAL_MS, 500);
/** People enrolled for the registration load: more than it can use in the test's time. */
const LOAD_PEOPLE = num(process.env.PMH_HA_PEOPLE, 20_000);
/** People registered and linked before the faults, whose cards the clinic's load presents. */
const CARD_PEOPLE = 100;

const skip = prepareMachine(log);
if (skip) log(`HA test skipped: ${skip}`);
/** Members in network namespaces of their own, so that one can be cut off (PMH_HA_NETNS=0: loopback only, no partition). */
const noNetns = skip ? undefined : process.env.PMH_HA_NETNS === '0' ? 'PMH_HA_NETNS=0' : networkNamespacesUnavailable();
if (!skip && noNetns) log(`HA test: members on loopback, no partition scenario (network namespaces: ${noNetns})`);

/** One answer a caller got: when (ms since epoch, at the answer), how long it took, and whether it was what the caller wanted. */
interface Answer {
  at: number;
  ms: number;
  who: string;
  ok: boolean;
  /** HTTP status, `200 hub-unavailable` for a clinic told so, `0` when nothing answered. */
  what: string;
  /** A failure that a caller may take as "try again": 503 problem+json with Retry-After, or a clinic's `hub-unavailable`. */
  retryable: boolean;
}

interface FaultRun {
  name: string;
  at: number;
  from: number;
  to?: number;
  promotedAt?: number;
  recoveredAt?: number;
  rejoinedAt?: number;
}

describe('high availability: the PMH services on Patroni, etcd and HAProxy', { skip }, () => {
  it('lose their primary under load: nothing lost or doubled, audit intact, outboxes drained, unavailability measured', {
    timeout: 60 * 60_000,
  }, async (t) => {
    log(
      `HA: bringing the topology up ${noNetns ? 'on loopback' : 'in network namespaces'} (Patroni ttl ${TIMING.ttl} s, loop_wait ${TIMING.loopWait} s, retry_timeout ${TIMING.retryTimeout} s)`,
    );
    const topo = await LocalTopology.up(TIMING, { netns: !noNetns });
    const dir = tempDir('pmh-ha-services-');
    const procs = new Map<Name, Spawned>();
    const pools: pg.Pool[] = [];
    const answers: Answer[] = [];
    const stoppers: Array<() => Promise<void>> = [];
    let passed = false;
    try {
      // --- the services, each on its own database through HAProxy -------------------------------
      const urls = topo.databaseUrls();
      const env: Record<string, string> = { PMH_DATA_DIR: dir, PMH_LOG_LEVEL: 'warn', PMH_OUTBOX_MAX_BACKOFF_MS: '2000', ...urls };
      for (const s of SERVICES) {
        const port = await freePort();
        env[`PMH_${s.toUpperCase()}_PORT`] = String(port);
        env[`PMH_${s.toUpperCase()}_PUBLIC_URL`] = `http://127.0.0.1:${port}`;
      }
      const url = (s: Name) => env[`PMH_${s.toUpperCase()}_PUBLIC_URL`];
      const operator = await generateClientKey();
      const municipalities = await Promise.all(MUNICIPALITIES.map(() => generateClientKey()));
      const clinic = await generateClientKey();
      const clients = path.join(dir, 'clients.json');
      fs.writeFileSync(
        clients,
        JSON.stringify([
          { clientId: 'operator', role: 'admin', jwks: { keys: [operator.publicJwk] } },
          ...MUNICIPALITIES.map((code, i) => ({ clientId: `m${code}`, role: `municipality:${code}`, jwks: { keys: [municipalities[i].publicJwk] } })),
          { clientId: 'clinic', role: `clinic:${INSTITUTION}`, jwks: { keys: [clinic.publicJwk] } },
        ]),
      );
      const serve = async (s: Name) => procs.set(s, await spawnService(['serve', s, '--port', env[`PMH_${s.toUpperCase()}_PORT`], '--clients', clients], env));
      await serve('idserver'); // makes every key file first
      await Promise.all((['oqs', 'portal', 'hub'] as const).map(serve));
      // The hub's first start made its tables (and the role its row-level security runs as); the
      // CREATEROLE that needed goes, as deploy/README.md says to do.
      const admin = new pg.Pool({ connectionString: topo.superuserUrl('postgres'), max: 1 });
      pools.push(admin);
      await admin.query('alter role pmh_hub nocreaterole');
      const db = Object.fromEntries(
        SERVICES.map((s) => {
          const p = new pg.Pool({ connectionString: topo.superuserUrl(`pmh_${s}`), max: 2 });
          p.on('error', () => {}); // idle connections cut by the faults: the next query reconnects
          pools.push(p);
          return [s, p];
        }),
      ) as Record<Name, pg.Pool>;
      admin.on('error', () => {});
      const count = async (s: Name, q: string) => Number((await db[s].query(q)).rows[0].n);

      const asOperator = (s: Name) => new TokenClient({ baseUrl: url(s), clientId: 'operator', privateJwk: operator.privateJwk });
      const asMunicipality = MUNICIPALITIES.map(
        (code, i) => new TokenClient({ baseUrl: url('hub'), clientId: `m${code}`, privateJwk: municipalities[i].privateJwk }),
      );
      const asClinic = new TokenClient({ baseUrl: url('oqs'), clientId: 'clinic', privateJwk: clinic.privateJwk });
      const call = async (s: Name, method: string, p: string, tokens: TokenClient | null, body?: unknown, headers: Record<string, string> = {}) => {
        const h: Record<string, string> = { ...headers };
        if (tokens) h.authorization = await tokens.authorization();
        if (body !== undefined) h['content-type'] = 'application/json';
        const res = await fetch(url(s) + p, {
          method,
          headers: h,
          body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        });
        const text = await res.text();
        let json: any;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        return { status: res.status, headers: res.headers, body: json, text };
      };
      const must = async (what: string, r: Promise<{ status: number; text: string }>, ...ok: number[]) => {
        const a = await r;
        if (!ok.includes(a.status)) throw new Error(`${what}: ${a.status} ${a.text.slice(0, 500)}`);
        return a as Awaited<ReturnType<typeof call>>;
      };

      // --- people: enrolled at the ID server and OQS, some with cards, registered and linked ---------
      log(`HA: enrolling ${(LOAD_PEOPLE + CARD_PEOPLE).toLocaleString('en-US')} people`);
      const rng = new Rng(1504);
      const numbers = new Set<string>();
      while (numbers.size < LOAD_PEOPLE + CARD_PEOPLE) numbers.add(myNumber(rng));
      const everyone = [...numbers].map((n) => ({ myNumber: n, linkageNumber: randomLinkageNumber(), pseudonym: randomIdentifier('ps') }));
      const cardHolders = await Promise.all(
        everyone.slice(0, CARD_PEOPLE).map(async (p) => ({ ...p, cardSerial: rng.digits(16), card: await generateSigningKey() })),
      );
      const loadPeople = everyone.slice(CARD_PEOPLE);
      for (let i = 0; i < everyone.length; i += 10_000) {
        const batch = everyone.slice(i, i + 10_000);
        await must(
          'enrolment at the ID server',
          call('idserver', 'POST', '/idserver/v1/linkage-numbers', asOperator('idserver'), {
            entries: batch.map((p) => ({ myNumber: p.myNumber, linkageNumber: p.linkageNumber })),
          }),
          200,
        );
        await must(
          'enrolment at OQS',
          call('oqs', 'POST', '/oqs/v1/insured', asOperator('oqs'), {
            entries: batch.map((p) => {
              const c = cardHolders.find((h) => h.linkageNumber === p.linkageNumber);
              return {
                linkageNumber: p.linkageNumber,
                pseudonym: p.pseudonym,
                cards: c ? [{ cardSerial: c.cardSerial, publicJwk: { kty: 'EC', crv: 'P-256', x: c.card.publicJwk.x, y: c.card.publicJwk.y } }] : [],
              };
            }),
          }),
          200,
        );
      }
      const { certificateTypeId, ...program } = CHILD_PROGRAM;
      for (const m of asMunicipality)
        await must('programme', call('hub', 'PUT', `/municipal/v1/medical-subsidy/programs/${certificateTypeId}`, m, program), 200, 201);
      await must(
        'registration of the card holders',
        call(
          'hub',
          'POST',
          '/municipal/v1/medical-subsidy/registration-tasks',
          asMunicipality[0],
          cardHolders.map((p, i) =>
            childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `C${i}`, validFrom: '2026-04-01', validTo: '2027-03-31' }),
          ),
        ),
        202,
      );
      log('HA: waiting for the card holders to be linked through to the portal and OQS');
      for (const t0 = Date.now(); (await count('oqs', 'select count(*) as n from insured where pmh_id is not null')) < CARD_PEOPLE; ) {
        if (Date.now() - t0 > 300_000) throw new Error('the card holders were not linked in 5 minutes');
        await sleep(250);
      }

      // --- callers: the two loads and a probe of each service ------------------------------------
      const record = async (who: string, request: () => Promise<Omit<Answer, 'at' | 'ms' | 'who'>>) => {
        const t0 = Date.now();
        let a: Omit<Answer, 'at' | 'ms' | 'who'>;
        try {
          a = await request();
        } catch (e) {
          // TokenClient throws a refused token request with its status (503 while the database is away).
          const status = (e as { status?: number }).status;
          a = { ok: false, what: status ? `${status} (token)` : `0 ${(e as Error).message.slice(0, 80)}`, retryable: status === 503 };
        }
        const at = Date.now();
        answers.push({ at, ms: at - t0, who, ...a });
        return a;
      };
      const http = (r: Awaited<ReturnType<typeof call>>, okStatus: number[]) => ({
        ok: okStatus.includes(r.status),
        what: String(r.status),
        retryable:
          r.status === 503 && /^application\/problem\+json/.test(r.headers.get('content-type') ?? '') && /^\d+$/.test(r.headers.get('retry-after') ?? ''),
      });
      const every = (ms: number, tick: () => Promise<unknown>) => {
        let running = true;
        const done = (async () => {
          while (running) {
            const t0 = Date.now();
            await tick().catch(() => {});
            await sleep(Math.max(0, ms - (Date.now() - t0)));
          }
        })();
        stoppers.push(async () => {
          running = false;
          await done;
        });
      };
      // Tokens taken before any fault, as a running system holds them.
      for (const m of asMunicipality) await m.token();
      await asClinic.token();
      every(250, () => record('hub: subject read', async () => http(await call('hub', 'GET', '/municipal/v1/subjects/C0', asMunicipality[0]), [200])));
      every(250, () =>
        record('idserver: token', async () => {
          await asOperator('idserver').token(); // a new client: a token request each time (the endpoint records each assertion)
          return { ok: true, what: '200', retryable: false };
        }),
      );
      every(250, () => record('oqs: card challenge', async () => http(await call('oqs', 'POST', '/oqs/v1/card-challenges', asClinic), [200, 201])));
      every(250, () => record('portal: session challenge', async () => http(await call('portal', 'POST', '/portal/v1/session-challenges', null), [200, 201])));
      // The clinic's reception: a card on the reader, a challenge, the signature, consent, the answer.
      let checks = 0;
      for (let lane = 0; lane < 2; lane++)
        every(100, () =>
          record('clinic→oqs→hub: eligibility', async () => {
            const p = cardHolders[checks++ % cardHolders.length];
            const c = await call('oqs', 'POST', '/oqs/v1/card-challenges', asClinic);
            if (!c.status.toString().startsWith('2')) return http(c, []);
            const r = await call('oqs', 'POST', '/oqs/v1/eligibility-checks', asClinic, {
              institutionCode: INSTITUTION,
              cardAuthentication: { cardSerial: p.cardSerial, challenge: c.body.challenge, signature: signCardChallenge(p.card.privateJwk, c.body.challenge) },
              consent: { medicalSubsidy: true },
              asOf: AS_OF,
            });
            if (r.status !== 200) return http(r, []);
            return {
              ok: r.body.status === 'eligible',
              what: r.body.status === 'eligible' ? '200' : `200 ${r.body.reason}`,
              retryable: r.body.reason === 'hub-unavailable' && /^\d+$/.test(r.headers.get('retry-after') ?? ''),
            };
          }),
        );
      // Registration: a task every TASK_INTERVAL_MS, alternating municipalities, each with an
      // Idempotency-Key; a refused attempt is sent again with the same key after its Retry-After.
      const accepted: Array<{ municipality: number; taskId: string; records: number; attempts: number }> = [];
      const submissions: Promise<void>[] = [];
      let submitting = true;
      const registration = (async () => {
        for (let i = 0, n = 0; submitting && i + TASK_SIZE <= loadPeople.length; i += TASK_SIZE, n++) {
          const m = n % MUNICIPALITIES.length;
          const records = loadPeople.slice(i, i + TASK_SIZE).map((p, j) => childRecord(rng, { myNumber: p.myNumber, municipalityIdentityKey: `L${i + j}` }));
          const body = JSON.stringify(records);
          const key = crypto.randomUUID();
          submissions.push(
            (async () => {
              for (let attempts = 1; ; attempts++) {
                let taskId: string | undefined;
                let retryAfter = 1;
                await record('hub: registration task', async () => {
                  const r = await call('hub', 'POST', '/municipal/v1/medical-subsidy/registration-tasks', asMunicipality[m], body, { 'idempotency-key': key });
                  if (r.status === 202) taskId = r.body.taskId;
                  retryAfter = Number(r.headers.get('retry-after') ?? 1);
                  return http(r, [202]);
                });
                if (taskId) return void accepted.push({ municipality: m, taskId, records: records.length, attempts });
                await sleep(retryAfter * 1000);
              }
            })(),
          );
          await sleep(TASK_INTERVAL_MS);
        }
        if (submitting) log('HA: the registration load used up its people before the faults were over (PMH_HA_PEOPLE)');
      })();

      // --- the faults ----------------------------------------------------------------------------
      const whos = () => [...new Set(answers.map((a) => a.who))];
      /** Every caller answered well since the fault's promotion, and last. */
      const recovered = (since: number) =>
        whos().every((who) => {
          const mine = answers.filter((a) => a.who === who && a.at >= since);
          return mine.length >= 2 && mine.at(-1)!.ok && mine.at(-2)!.ok;
        });
      /** Each fault, made on the primary; what it answers undoes it once a new primary serves (the member rejoins). */
      const scenarios: Array<{ name: string; act: (leader: number) => Promise<(() => Promise<void>) | undefined> }> = [
        {
          name: 'planned switchover (patronictl switchover)',
          act: async (leader) => {
            const sync = await topo.syncStandby();
            assert.ok(sync && sync !== leader, 'a synchronous standby to switch over to');
            await topo.switchover(leader, sync);
            return undefined;
          },
        },
        {
          name: 'primary crashed: PostgreSQL and Patroni SIGKILLed',
          act: async (leader) => {
            await topo.kill(leader, ['postgres', 'patroni']);
            return () => topo.start(leader);
          },
        },
        {
          name: 'primary node lost: etcd, Patroni and PostgreSQL SIGKILLed',
          act: async (leader) => {
            await topo.kill(leader, ['postgres', 'patroni', 'etcd']);
            return () => topo.start(leader);
          },
        },
        ...(noNetns
          ? []
          : [
              {
                name: 'primary cut off the network (its processes run on)',
                act: async (leader: number) => {
                  await topo.partition(leader);
                  return () => topo.heal(leader);
                },
              },
            ]),
      ];
      const faults: FaultRun[] = [];
      for (const sc of scenarios) {
        await topo.untilHealthy();
        await sleep(5000); // the loads run a while on the healthy cluster first
        const leader = (await topo.leader())!;
        const f: FaultRun = { name: sc.name, at: Date.now(), from: leader };
        faults.push(f);
        log(`HA: ${sc.name} (primary pg${leader})`);
        const undo = await sc.act(leader);
        for (;;) {
          const l = await topo.leader();
          if (l && l !== leader) {
            f.promotedAt = Date.now();
            f.to = l;
            break;
          }
          assert.ok(Date.now() - f.at < 180_000, `no member promoted 3 minutes after: ${sc.name}`);
          await sleep(100);
        }
        log(`HA: pg${f.to} promoted ${((f.promotedAt! - f.at) / 1000).toFixed(1)} s after the fault`);
        while (!recovered(f.promotedAt!)) {
          assert.ok(Date.now() - f.at < 300_000, `callers not answered well 5 minutes after: ${sc.name}`);
          await sleep(100);
        }
        f.recoveredAt = Date.now();
        if (undo) await undo();
        await topo.untilHealthy();
        f.rejoinedAt = Date.now();
        log(
          `HA: every caller answered well ${((f.recoveredAt - f.at) / 1000).toFixed(1)} s after the fault; three members again after ${((f.rejoinedAt - f.at) / 1000).toFixed(1)} s`,
        );
      }
      await sleep(5000);
      submitting = false;
      await registration;
      await Promise.all(submissions);
      for (const s of stoppers) await s();
      const end = Date.now();

      // --- everything settles --------------------------------------------------------------------
      const registered = accepted.reduce((n, a) => n + a.records, 0);
      log(`HA: ${accepted.length} tasks (${registered} records) accepted; waiting for every task applied and every subject linked`);
      const settle = async (what: string, check: () => Promise<boolean>) => {
        for (const t0 = Date.now(); !(await check()); ) {
          assert.ok(Date.now() - t0 < 600_000, `not settled in 10 minutes: ${what}`);
          await sleep(500);
        }
      };
      await settle('every task done', async () => (await count('hub', `select count(*) as n from registration_tasks where status <> 'done'`)) === 0);
      const subjects = registered + CARD_PEOPLE;
      await settle('every subject linked, every outbox empty', async () => {
        if ((await count('hub', 'select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id')) < subjects) return false;
        for (const s of SERVICES) if ((await count(s, 'select count(*) as n from outbox')) > 0) return false;
        return true;
      });

      // --- what callers saw, per fault -------------------------------------------------------------
      const rows: string[][] = [];
      const sec = (ms: number) => (ms / 1000).toFixed(1);
      for (const [i, f] of faults.entries()) {
        const until = faults[i + 1]?.at ?? end;
        rows.push([f.name, `pg${f.from} → pg${f.to}`, `promoted +${sec(f.promotedAt! - f.at)} s`, '', '', `rejoined +${sec(f.rejoinedAt! - f.at)} s`]);
        for (const who of whos().sort()) {
          const mine = answers.filter((a) => a.who === who && a.at >= f.at && a.at < until);
          const failed = mine.filter((a) => !a.ok);
          const slowest = Math.max(0, ...mine.map((a) => a.ms));
          if (failed.length === 0) {
            rows.push(['', who, '—', '0.0', 'none', `slowest answer ${sec(slowest)} s`]);
            continue;
          }
          const back = mine.find((a) => a.ok && a.at > failed.at(-1)!.at);
          const statuses = Object.entries(failed.reduce<Record<string, number>>((m, a) => ((m[a.what] = (m[a.what] ?? 0) + 1), m), {})).map(
            ([k, v]) => `${k}×${v}`,
          );
          rows.push([
            '',
            who,
            `+${sec(failed[0].at - f.at)} s`,
            back ? sec(back.at - failed[0].at) : 'never',
            statuses.join(', '),
            `slowest answer ${sec(slowest)} s`,
          ]);
        }
      }
      console.log(
        `\nUnavailability per fault and caller (first failed answer → first success after the last failure); Patroni ttl ${TIMING.ttl} s, loop_wait ${TIMING.loopWait} s\n` +
          table(['fault', 'caller', 'first failure', 'unavailable (s)', 'failed answers', ''], rows),
      );
      const errors = [...procs.entries()].flatMap(([s, p]) =>
        p
          .output()
          .split('\n')
          .filter((l) => /"level":(50|60)/.test(l))
          .map((l) => `${s}: ${l.slice(0, 300)}`),
      );
      if (errors.length) log(`HA: ${errors.length} error log lines of the services, the first:\n${errors.slice(0, 10).join('\n')}`);
      const eligible = answers.filter((a) => a.who.startsWith('clinic') && a.ok).length;
      log(
        `HA: ${accepted.length} registration tasks, ${registered} records; ${eligible} eligibility checks answered eligible; ${answers.length} answers recorded`,
      );

      // --- nothing lost, nothing doubled -------------------------------------------------------------
      assert.ok(accepted.length > 0);
      assert.equal(new Set(accepted.map((a) => a.taskId)).size, accepted.length, 'every submission its own task');
      assert.equal(await count('hub', 'select count(*) as n from registration_tasks'), accepted.length + 1, 'no task made twice by a retried submission');
      for (const a of accepted) {
        const task = await must('task', call('hub', 'GET', `/municipal/v1/registration-tasks/${a.taskId}`, asMunicipality[a.municipality]), 200);
        assert.equal(task.body.status, 'done', a.taskId);
        assert.equal(task.body.succeeded, a.records, `${a.taskId}: every record applied`);
        assert.equal(task.body.failed, 0, a.taskId);
        assert.deepEqual(
          task.body.results.map((r: { index: number }) => r.index).sort((x: number, y: number) => x - y),
          [...Array(a.records).keys()],
          `${a.taskId}: each record counted once`,
        );
        assert.ok(
          task.body.results.every((r: { outcome: string }) => r.outcome === 'created'),
          `${a.taskId}: applied once (a second application would be 'unchanged')`,
        );
      }
      assert.equal(await count('hub', 'select coalesce(sum(attempts), 0) as n from registration_task_chunks'), 0, 'a failover is no failed attempt of a chunk');
      assert.equal(await count('hub', 'select count(*) as n from subjects'), subjects);
      assert.equal(await count('hub', 'select count(distinct (municipality_code, municipality_identity_key)) as n from subjects'), subjects, 'subjects unique');
      assert.equal(await count('hub', 'select count(distinct my_number_bidx) as n from subjects'), subjects, 'one subject per person');
      assert.equal(await count('hub', 'select count(distinct pmh_id) as n from subjects'), subjects);
      assert.equal(await count('hub', 'select count(*) as n from pmh_links'), subjects);
      assert.equal(await count('idserver', 'select count(*) as n from persons where pmh_id is not null'), subjects);
      assert.equal(await count('oqs', 'select count(*) as n from insured where pmh_id is not null'), subjects);
      assert.equal(await count('portal', 'select count(distinct pmh_pseudonym) as n from accounts where pmh_pseudonym is not null'), subjects);
      assert.equal(await count('portal', 'select count(*) as n from accounts where pmh_id_sealed is not null'), 0, 'the portal forgot every PMH-ID');
      for (const s of SERVICES) assert.equal(await count(s, 'select count(*) as n from outbox'), 0, `${s}: outbox drained`);

      // --- every audit chain intact (`pmh audit verify`, through HAProxy) -------------------------------
      for (const s of SERVICES) {
        const r = runPmh(['audit', 'verify', s], { PMH_DATA_DIR: dir, DATABASE_URL: urls[`PMH_${s.toUpperCase()}_DATABASE_URL`] });
        t.diagnostic(r.stdout.trim());
        assert.equal(r.status, 0, `${s}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, /intact/);
      }

      // --- every member holds the same data (the rejoined former primaries included) -------------------
      const perMember = async () =>
        Promise.all(
          [1, 2, 3].map(async (m) => {
            const c = new pg.Client({ connectionString: topo.superuserUrl('pmh_hub', m) });
            await c.connect();
            try {
              return (
                await c.query(
                  "select (select count(*) from subjects) || '/' || (select count(*) from registration_tasks) || '/' || (select count(*) from audit_log) as n",
                )
              ).rows[0].n as string;
            } finally {
              await c.end();
            }
          }),
        );
      let members: string[] = [];
      for (const t0 = Date.now(); Date.now() - t0 < 60_000; await sleep(500)) {
        members = await perMember();
        if (new Set(members).size === 1) break;
      }
      t.diagnostic(`hub data (subjects/tasks/audit rows) on pg1, pg2, pg3: ${members.join(', ')}`);
      assert.equal(new Set(members).size, 1, `every member holds the same hub data: ${members.join(', ')}`);

      // --- callers were told to come back, never given a 500 ---------------------------------------------
      const wrong = answers.filter((a) => !a.ok && !a.retryable);
      assert.deepEqual(
        [...new Set(wrong.map((a) => `${a.who}: ${a.what}`))],
        [],
        'every failure was a 503 with Retry-After (a clinic: hub-unavailable with Retry-After)',
      );
      for (const f of faults) assert.ok(f.recoveredAt, `${f.name}: callers recovered`);
      assert.deepEqual(errors.slice(0, 5), [], `${errors.length} error log lines`);
      passed = true;
    } finally {
      for (const s of stoppers) await s().catch(() => {});
      for (const p of procs.values()) await stop(p).catch(() => {});
      for (const p of pools) await p.end().catch(() => {});
      // A failed run keeps the topology's directory (Patroni's, PostgreSQL's, etcd's and HAProxy's logs); so does PMH_HA_KEEP=1.
      const keep = !passed || process.env.PMH_HA_KEEP === '1';
      await topo.down({ keep }).catch((e) => log(`HA: teardown: ${(e as Error).message}`));
      if (keep) log(`HA: the topology's logs and data are kept in ${topo.dir}`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
