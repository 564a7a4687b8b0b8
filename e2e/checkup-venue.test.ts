/**
 * A checkup venue (seed C⑤) through the portal: a child registered by Tokyo for maternal and child
 * health, with a 6–7 month voucher and a 9–10 month one, presents their card (the guardian presents
 * it) at a venue's app and consents; the venue reads the vouchers, previous results and the growth
 * chart, and writes the 6–7 month result (201, paid with the voucher, the submitted 問診票 used). The
 * voucher pays once (409 `voucher-used`, nothing written); a result without a voucher, or with one
 * for another checkup, is recorded as self-paid with the reason — never silently subsidised. A
 * consent without `checkup.write` is 403, an expired one 403 `consent-expired`; bad fields are named
 * (400 by the schema, 422 by the rules) with nothing written; a retry with the Idempotency-Key
 * answers the first result. The municipality's feed shows the results, the resident sees them, and
 * the resident's access log names the institution. No answer to the venue carries a PMH-ID, a
 * pseudonym, a card serial or a My Number.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { signCardChallenge } from '@pmh/core/crypto/index';
import { todayInJapan } from '@pmh/protocol/text';
import { World, backends, Rng, myNumber, personName, identifiersIn, type Enrolled, type HttpAnswer, type Caller } from '../packages/testkit/src/index.ts';
import { addDays } from '../packages/hub/src/domain/vaccination/index.ts';

const TOKYO = '131016';
const [CLINIC, OTHER_CLINIC] = ['1312345674', '2714567890'];

for (const backend of backends()) {
  describe(`a checkup venue through the portal (${backend})`, () => {
    let w: World;
    const rng = new Rng(1305_4);
    let child: Enrolled;
    let unlinked: Enrolled;
    const today = todayInJapan();
    const birth = addDays(today, -200); // 6 months old: the 6–7 month checkup is due
    const answers: HttpAnswer[] = [];

    const clinic = (code = CLINIC): Caller => w.clinic(code);
    const portal = async (caller: Caller | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const a = await w.call(caller, method, path, body, headers, 'portal');
      if (caller?.role.startsWith('clinic:')) answers.push(a);
      return a;
    };
    const count = async (query: ReturnType<typeof sql>) => Number(((await query.execute(w.hub.database.db)).rows[0] as { n: string }).n);
    const venueResults = () => count(sql`select count(*) as n from maternal_child_results where source = 'venue'`);
    const grant = async (scopes: string[], at = CLINIC): Promise<string> => {
      const c = await portal(clinic(at), 'POST', '/portal/v1/consent-challenges');
      assert.equal(c.status, 200, c.text);
      const a = await portal(clinic(at), 'POST', '/portal/v1/consents', {
        cardAuthentication: {
          cardSerial: child.cardSerial,
          challenge: c.body.challenge,
          signature: signCardChallenge(child.cardKey.privateJwk, c.body.challenge),
        },
        scopes,
      });
      assert.equal(a.status, 201, a.text);
      return a.body.consentId;
    };
    const result = (over: Record<string, unknown> = {}) => ({
      checkupKind: 'infant-6-7m',
      voucherNumber: 'V-67',
      date: today,
      measurements: { heightCm: 67.5, weightKg: 7.6, headCm: 43.1, chestCm: 43.0 },
      findings: [{ area: 'growth', finding: '順調' }],
      judgement: 'healthy',
      ...over,
    });
    const write = (consentId: string, body: unknown, headers: Record<string, string> = {}) =>
      portal(clinic(), 'POST', `/portal/v1/relay/${consentId}/checkup-results`, body, headers);

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'] });
      [child, unlinked] = await w.enrol([myNumber(rng), myNumber(rng)]);
      const name = personName(rng);
      const registered = await w.register(w.municipality(TOKYO), 'maternal-child', [
        {
          modificationSeg: '1',
          myNumber: child.myNumber,
          municipalityIdentityKey: 'TK-1',
          basicFiveInfo: { ...name, address: '東京都千代田区九段南1-2-1', dateOfBirth: birth, sex: '1' },
          isNotDisclosed: false,
          vouchers: [
            { voucherNumber: 'V-67', checkupKind: 'infant-6-7m', validFrom: addDays(birth, 180), validTo: addDays(birth, 364), subsidyCap: 6_000 },
            { voucherNumber: 'V-910', checkupKind: 'infant-9-10m', validFrom: addDays(birth, 270), validTo: addDays(birth, 364), subsidyCap: 6_000 },
          ],
          checkupResults: [
            {
              resultKey: 'G-34',
              checkupKind: 'infant-3-4m',
              date: addDays(birth, 100),
              institutionCode: CLINIC,
              measurements: { heightCm: 62.0, weightKg: 6.4 },
              findings: [],
              judgement: 'healthy',
            },
          ],
        },
      ]);
      assert.equal(registered.succeeded, 1, JSON.stringify(registered.results));
      await w.until('the child linked to the portal, every outbox empty', async () => {
        if ((await count(sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) < 1) return false;
        for (const s of ['hub', 'portal'] as const)
          if (Number(((await sql`select count(*) as n from outbox`.execute(w.service(s).database.db)).rows[0] as { n: string }).n) > 0) return false;
        return true;
      });
    });
    after(() => w?.stop());

    it('reads the person, vouchers, previous results and the growth chart, then records the result with its voucher and the 問診票', async () => {
      const consentId = await grant(['checkup.read', 'checkup.write', 'questionnaire.read']);
      const read = await portal(clinic(), 'GET', `/portal/v1/relay/${consentId}/checkups`);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.person.dateOfBirth, birth);
      assert.deepEqual(
        (read.body.vouchers as any[]).map((v) => [v.voucherNumber, v.status]),
        [
          ['V-67', 'unused'],
          ['V-910', 'unused'],
        ],
      );
      assert.deepEqual(
        (read.body.results as any[]).map((r) => r.checkupKind),
        ['infant-3-4m'],
      );
      assert.equal(read.body.growth.height.child.length, 1, 'the growth chart holds the earlier measurement');

      // The guardian filled in the 問診票 beforehand on the portal.
      const cookie = await w.loginResident(child);
      const me = (method: string, path: string, body?: unknown) => w.call(null, method, path, body, { cookie }, 'portal');
      const drafted = await me('POST', '/portal/v1/me/questionnaires', { process: 'maternal-child', checkupKind: 'infant-6-7m' });
      assert.equal(drafted.status, 201, drafted.text);
      const questionnaireId = drafted.body.questionnaireId;
      const submitted = await me('PUT', `/portal/v1/me/questionnaires/${questionnaireId}`, { answers: { 'rolling-over': true, sitting: true }, submit: true });
      assert.equal(submitted.status, 200, submitted.text);

      const before = await venueResults();
      const recorded = await write(consentId, result({ questionnaireId }), { 'idempotency-key': 'venue-1' });
      assert.equal(recorded.status, 201, recorded.text);
      assert.equal(recorded.body.source, 'venue');
      assert.equal(recorded.body.payment, 'voucher');
      assert.equal(recorded.body.subsidyCap, 6_000);
      assert.equal(recorded.body.institutionCode, CLINIC, 'the consent’s institution');
      assert.equal(recorded.body.ageInMonths, 6, 'filled in from the dates');
      assert.match(recorded.body.resultId, /^[0-9a-f-]{36}$/);
      assert.equal(await venueResults(), before + 1);

      // A retry with the same key answers the first result and writes nothing more.
      const retried = await write(consentId, result({ questionnaireId }), { 'idempotency-key': 'venue-1' });
      assert.equal(retried.status, 201, retried.text);
      assert.equal(retried.body.resultId, recorded.body.resultId);
      assert.equal(await venueResults(), before + 1);

      // The 問診票 is used; the voucher is used; the resident sees the result.
      const q = ((await me('GET', '/portal/v1/me/questionnaires')).body as any[]).find((x) => x.questionnaireId === questionnaireId);
      assert.equal(q.status, 'used');
      const mine = await me('GET', '/portal/v1/me/checkups');
      assert.equal(mine.status, 200, mine.text);
      assert.equal((mine.body.vouchers as any[]).find((v) => v.voucherNumber === 'V-67').status, 'used');
      assert.ok((mine.body.results as any[]).some((r) => r.resultId === recorded.body.resultId && r.source === 'venue'));

      // The municipality's results are written as its own are: the feed's trigger noted this one.
      const fed = await count(sql`select count(*) as n from maternal_child_feed f where f.result_id = ${recorded.body.resultId}`);
      assert.equal(fed, 1);

      // The access log names the institution, for the read and the write.
      const log = await me('GET', '/portal/v1/me/access-log');
      assert.equal(log.status, 200, log.text);
      const byClinic = (log.body.items as any[]).filter((e) => e.actorKind === 'medical-institution' && e.actorCode === CLINIC);
      for (const action of ['checkup.relay.read', 'checkup.relay.record'])
        assert.ok(
          byClinic.some((e) => e.action === action && e.outcome === 'ok'),
          `${action} in the access log: ${log.text}`,
        );
      const audited = await sql<{ detail: any }>`select detail from audit_log where action = 'checkup.relay.record' and outcome = 'ok'`.execute(
        w.hub.database.db,
      );
      assert.equal(audited.rows.length, 1);
      const detail = typeof audited.rows[0].detail === 'string' ? JSON.parse(audited.rows[0].detail) : audited.rows[0].detail;
      assert.equal(detail.consentId, consentId);
    });

    it('refuses a voucher used twice (409 voucher-used), writing nothing', async () => {
      const consentId = await grant(['checkup.write']);
      const before = await venueResults();
      const again = await write(consentId, result());
      assert.equal(again.status, 409, again.text);
      assert.match(again.body.type, /voucher-used$/);
      assert.equal(await venueResults(), before);
    });

    it('records a result without a valid voucher as self-paid, with the reason', async () => {
      const consentId = await grant(['checkup.write']);
      const none = await write(consentId, result({ voucherNumber: undefined }));
      assert.equal(none.status, 201, none.text);
      assert.deepEqual([none.body.payment, none.body.selfPaidReason, none.body.subsidyCap], ['self-paid', 'no-voucher', undefined]);
      // The 9–10 month voucher is not this checkup's: self-paid, and the voucher stays unused.
      const other = await write(consentId, result({ voucherNumber: 'V-910' }));
      assert.equal(other.status, 201, other.text);
      assert.deepEqual([other.body.payment, other.body.selfPaidReason], ['self-paid', 'other-checkup']);
      const unknown = await write(consentId, result({ voucherNumber: 'NOT-HERS' }));
      assert.deepEqual([unknown.status, unknown.body.payment, unknown.body.selfPaidReason], [201, 'self-paid', 'unknown-voucher']);
      const stored = await sql<{ payment: string; self_paid_reason: string }>`
        select payment, self_paid_reason from maternal_child_results where voucher_number = 'V-910'`.execute(w.hub.database.db);
      assert.deepEqual(
        stored.rows.map((r) => [r.payment, r.self_paid_reason]),
        [['self-paid', 'other-checkup']],
      );
      const read = await portal(clinic(), 'GET', `/portal/v1/relay/${await grant(['checkup.read'])}/checkups`);
      assert.equal((read.body.vouchers as any[]).find((v) => v.voucherNumber === 'V-910').status, 'unused');
    });

    it('refuses without checkup.write, after the consent ends, and bad fields by name, writing nothing', async () => {
      const before = await venueResults();
      const readOnly = await grant(['checkup.read']);
      const noScope = await write(readOnly, result({ voucherNumber: undefined }));
      assert.equal(noScope.status, 403, noScope.text);
      assert.match(noScope.body.type, /consent-scope$/);

      const ended = await grant(['checkup.write']);
      await sql`update consents set expires_at = now() - interval '1 second' where id = ${ended}`.execute(w.service('portal').database.db);
      const expired = await write(ended, result({ voucherNumber: undefined }));
      assert.equal(expired.status, 403, expired.text);
      assert.match(expired.body.type, /consent-expired$/);

      const consentId = await grant(['checkup.write']);
      const cases: Array<[unknown, number, string]> = [
        [result({ judgement: 'fine' }), 400, '/judgement'],
        [result({ smoking: true }), 400, '/smoking'],
        [result({ measurements: { weightKg: 300 } }), 422, '/measurements/weightKg'],
        [result({ measurements: { systolic: 120 } }), 422, '/measurements/systolic'],
        [result({ date: addDays(today, 1) }), 422, '/date'],
        [result({ ageInMonths: 9 }), 422, '/ageInMonths'],
        [result({ institutionCode: OTHER_CLINIC }), 422, '/institutionCode'],
        [result({ detailedExamDate: today }), 422, '/detailedExamDate'],
        [result({ findings: [{ area: 'hypertensive-disorder', finding: 'x' }] }), 422, '/findings/0/area'],
      ];
      for (const [body, status, pointer] of cases) {
        const r = await write(consentId, body);
        assert.equal(r.status, status, r.text);
        assert.ok(
          (r.body.errors as any[]).some((e) => e.pointer === pointer),
          `${pointer}: ${r.text}`,
        );
      }
      assert.equal(await venueResults(), before, 'nothing written');
    });

    it('never tells a venue a PMH-ID, a pseudonym, a card serial or a My Number', () => {
      assert.ok(answers.length > 15);
      const text = answers.map((a) => a.text).join('\n');
      const found = identifiersIn(text, { myNumbers: [child.myNumber, unlinked.myNumber], cardSerials: [child.cardSerial, unlinked.cardSerial] });
      for (const kind of ['pmhId', 'pseudonym', 'pmhPseudonym', 'linkageNumber', 'myNumber', 'cardSerial'] as const)
        assert.equal(found[kind].size, 0, `no ${kind} in any answer to a venue`);
    });
  });
}
