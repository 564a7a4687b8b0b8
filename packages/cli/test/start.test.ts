import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { TokenClient } from '@pmh/core/auth/index';
import { signCardChallenge } from '@pmh/core/crypto/index';
import { isValidMyNumber, isValidLocalGovernmentCode, isValidMedicalInstitutionCode } from '@pmh/core/text/checkdigits';
import { freePort, tempDir, ROOT, stopProcess, runPmh } from '../../testkit/src/index.ts';

/** `npm start` as a newcomer meets it: an empty data directory, one command, a demo world. */
describe('pmh start', () => {
  const dir = tempDir('pmh-start-');
  let child: ReturnType<typeof spawn> | undefined;
  after(async () => {
    if (child) await stopProcess(child);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds a demo world, prints what to do next, and refuses a second process on the same data', { timeout: 420_000 }, async () => {
    const port = await freePort();
    const env = {
      ...process.env,
      PMH_DATA_DIR: dir,
      PMH_HUB_PORT: String(port),
      PMH_IDSERVER_PORT: String(await freePort()),
      PMH_OQS_PORT: String(await freePort()),
      PMH_PORTAL_PORT: String(await freePort()),
      PMH_CLINIC_PORT: String(await freePort()),
    };
    child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`not ready: ${out}`)), 120_000);
      child!.stdout!.on('data', () => out.includes('Stop with Ctrl-C') && (clearTimeout(t), resolve()));
      child!.on('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
    });
    assert.match(out, /PMH is running \(ready in [\d.]+ s, \d+ MB RSS\)/);
    assert.match(out, /Seeded a demo world: 2 municipalities/);
    assert.ok(out.includes(`http://127.0.0.1:${port}/docs`));

    const demo = path.join(dir, 'demo');
    const municipalities = JSON.parse(fs.readFileSync(path.join(demo, 'municipalities.json'), 'utf8'));
    const residents = JSON.parse(fs.readFileSync(path.join(demo, 'residents.json'), 'utf8'));
    const cards = JSON.parse(fs.readFileSync(path.join(demo, 'cards.json'), 'utf8'));
    const clinics = JSON.parse(fs.readFileSync(path.join(demo, 'clinics.json'), 'utf8'));
    assert.ok(municipalities.length >= 2);
    for (const m of municipalities) {
      assert.ok(isValidLocalGovernmentCode(m.code), `${m.code} carries its check digit`);
      assert.ok(m.clientId && m.privateJwk?.d, 'a client id and a private key');
      const mine = residents.filter((r: any) => r.municipalityCode === m.code);
      assert.ok(mine.filter((r: any) => !r.registered).length >= 10, 'at least ten unregistered residents');
      assert.ok(mine.some((r: any) => r.registered));
    }
    for (const r of residents) {
      assert.ok(isValidMyNumber(r.myNumber));
      assert.ok(
        cards.some((c: any) => c.cardSerial === r.cardSerial),
        'every resident holds a demo card',
      );
    }
    assert.ok(
      cards.every((c: any) => !('myNumber' in c)),
      'cards carry no My Number',
    );
    assert.ok(clinics.every((c: any) => isValidMedicalInstitutionCode(c.institutionCode)));

    // A registered resident is there, as the municipality sees them, through the API.
    const m = municipalities[0];
    const registered = residents.find((r: any) => r.municipalityCode === m.code && r.registered);
    const unregistered = residents.find((r: any) => r.municipalityCode === m.code && !r.registered);
    const tokens = new TokenClient({ baseUrl: `http://127.0.0.1:${port}`, clientId: m.clientId, privateJwk: m.privateJwk });
    const get = async (key: string) =>
      fetch(`http://127.0.0.1:${port}/municipal/v1/subjects/${key}`, { headers: { authorization: await tokens.authorization() } });
    const found = await get(registered.municipalityIdentityKey);
    assert.equal(found.status, 200);
    const subject = (await found.json()) as any;
    assert.equal(subject.basicFiveInfo.name, registered.basicFiveInfo.name);
    assert.ok(subject.medicalSubsidyCertificates.length >= 1);
    assert.equal((await get(unregistered.municipalityIdentityKey)).status, 404);

    // `pmh token` prints a working token.
    const token = runPmh(['token', '--municipality', m.code], { PMH_DATA_DIR: dir, PMH_HUB_PORT: String(port) });
    assert.equal(token.status, 0, token.stderr);
    const byToken = await fetch(`http://127.0.0.1:${port}/municipal/v1/subjects/${registered.municipalityIdentityKey}`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    });
    assert.equal(byToken.status, 200);

    // The operator's commands: pipelines' backlog, and an insurer's enrolment file into the ID server.
    const ports = {
      PMH_DATA_DIR: dir,
      PMH_HUB_PORT: String(port),
      PMH_IDSERVER_PORT: env.PMH_IDSERVER_PORT!,
      PMH_OQS_PORT: env.PMH_OQS_PORT!,
      PMH_PORTAL_PORT: env.PMH_PORTAL_PORT!,
    };
    const st = runPmh(['status'], ports);
    assert.equal(st.status, 0, st.stdout + st.stderr);
    for (const pipeline of ['idserver-issue', 'oqs-pmh-link', 'portal-pmh-link', 'hub-portal-link']) assert.match(st.stdout, new RegExp(pipeline));
    // …and, read from each service's /metrics, its pool, requests and process; the hub's queue.
    for (const name of ['hub', 'idserver', 'oqs', 'portal']) {
      assert.match(st.stdout, new RegExp(`^${name} +database pool: \\d+ in use, \\d+ idle of \\d+; \\d+ waiting$`, 'm'));
      assert.match(st.stdout, new RegExp(`^${name} +requests since start: [\\d,]+ \\(4xx [\\d,]+, 5xx 0\\); [\\d,]+ refused by rate limits`, 'm'));
      assert.match(st.stdout, new RegExp(`^${name} +process: up \\d+ (s|min), [\\d,]+ MB resident, event-loop delay p99 `, 'm'));
    }
    assert.match(st.stdout, /^hub +registration tasks: /m);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(metrics.status, 200, 'the demo serves its metrics on loopback');
    assert.equal(residents.filter((r: any) => st.stdout.includes(r.myNumber) || st.stdout.includes(r.municipalityIdentityKey)).length, 0);
    const csv = path.join(dir, 'enrolments.csv');
    fs.writeFileSync(csv, `myNumber,linkageNumber\n983205673214,LNABCDEFGHIJKLMNOP\n123456789012,LNABCDEFGHIJKLMNOQ\n`);
    const imported = runPmh(['import', 'linkage-numbers', csv], ports);
    assert.equal(imported.status, 1, 'an invalid My Number in the file is refused');
    assert.match(imported.stdout, /2 rows: 1 imported, 0 unchanged, 0 conflicts, 1 rejected/);
    assert.match(imported.stdout, /line 3: invalid-my-number/);
    assert.ok(!imported.stdout.includes('123456789012') && !imported.stderr.includes('123456789012'), 'the refusal does not repeat the number');
    fs.writeFileSync(csv, `myNumber,linkageNumber\n983205673214,LNABCDEFGHIJKLMNOP\n`);
    const ok = runPmh(['import', 'linkage-numbers', csv], ports);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /1 rows: 0 imported, 1 unchanged/, 'importing again changes nothing');
    assert.equal(runPmh(['retry'], ports).status, 0);

    // The demo clinic's reception: a registered resident's card and consent show their certificate.
    const clinic = `http://127.0.0.1:${env.PMH_CLINIC_PORT}`;
    assert.ok(out.includes(clinic), 'the clinic is listed');
    const institution = (await (await fetch(`${clinic}/clinic/v1/institution`)).json()) as any;
    assert.equal(institution.institutionCode, clinics[0].institutionCode);
    const card = cards.find((c: any) => c.cardSerial === registered.cardSerial);
    const reception = async () => {
      const { challenge } = (await (await fetch(`${clinic}/clinic/v1/card-challenges`, { method: 'POST' })).json()) as any;
      const res = await fetch(`${clinic}/clinic/v1/eligibility-checks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          cardAuthentication: { cardSerial: card.cardSerial, challenge, signature: signCardChallenge(card.privateJwk, challenge) },
          consent: { medicalSubsidy: true },
          asOf: '2026-06-01',
        }),
      });
      return (await res.json()) as any;
    };
    let answer = await reception();
    for (let i = 0; i < 100 && answer.reason === 'not-linked'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await reception();
    }
    assert.equal(answer.status, 'eligible', JSON.stringify(answer));
    assert.ok(answer.certificates.length >= 1);

    // `pmh keys rotate`: a new encryption key at the hub; the clinic keeps working.
    const rotated = runPmh(['keys', 'rotate', '--overlap', '600'], ports);
    assert.equal(rotated.status, 0, rotated.stdout + rotated.stderr);
    assert.match(rotated.stdout, /new key \S+\nprevious key \S+ stays usable until /);
    const jwks = (await (await fetch(`http://127.0.0.1:${port}/hub/v1/jwks.json`)).json()) as any;
    assert.equal(jwks.keys.length, 2);
    assert.equal((await reception()).status, 'eligible');

    // `pmh import medical-institutions`: names for residents' access logs, here from the demo's clinics.json;
    // a file with a bad entry is refused, naming the field, and changes nothing.
    const named = runPmh(['import', 'medical-institutions', path.join(demo, 'clinics.json')], ports);
    assert.equal(named.status, 0, named.stdout + named.stderr);
    assert.match(named.stdout, new RegExp(`^${clinics.length} medical institutions named$`, 'm'));
    const badInstitutions = path.join(dir, 'institutions.json');
    fs.writeFileSync(badInstitutions, JSON.stringify({ institutions: [{ institutionCode: '12345', name: '桁違い医院' }] }));
    const refused = runPmh(['import', 'medical-institutions', badInstitutions], ports);
    assert.equal(refused.status, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /the hub refused: .*\/institutions\/0\/institutionCode/);

    // A second process on the same data directory stops with a clear message, and the first is unharmed.
    const second = runPmh(['start'], {
      PMH_DATA_DIR: dir,
      PMH_HUB_PORT: String(await freePort()),
      PMH_IDSERVER_PORT: String(await freePort()),
      PMH_OQS_PORT: String(await freePort()),
      PMH_PORTAL_PORT: String(await freePort()),
      PMH_CLINIC_PORT: String(await freePort()),
    });
    assert.equal(second.status, 2);
    assert.match(second.stderr, /data directory .* is in use by process \d+/);
    assert.equal((await get(registered.municipalityIdentityKey)).status, 200);

    // The whole run's output holds no My Number.
    assert.equal(residents.filter((r: any) => out.includes(r.myNumber)).length, 0);
  });
});
