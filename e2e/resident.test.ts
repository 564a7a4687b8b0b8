import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hubApi, oqsApi } from '@pmh/protocol';
import { assertNames, assertProblem, assertStatus, callAs } from '../packages/testkit/src/http.ts';
import { sql } from 'kysely';
import { signCardChallenge } from '@pmh/core/crypto/index';
import {
  World,
  backends,
  Rng,
  childRecord,
  personName,
  CHILD_PROGRAM,
  INTRACTABLE_PROGRAM,
  INSTITUTION_CODES,
  myNumber,
  recipientNumber,
  databaseText,
  identifiersIn,
  exchangesText,
  type Caller,
  type Enrolled,
  type HttpAnswer,
  type ServiceName,
} from '../packages/testkit/src/index.ts';

/**
 * The resident's own view end to end (seed A③ B③): a person registered by two municipalities logs in
 * to the portal with the card and sees both municipalities' certificates together (one person, one
 * PMH-ID), and who accessed their data at the hub — municipalities, an operator, a clinic — but not
 * their own views. Another resident sees only their own. A subject under DV support measures keeps
 * its address inside its municipality. The identifiers stay where they may be (docs/privacy.md).
 */
const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
const [TOKYO, OSAKA] = ['131016', '271004'];
const AS_OF = '2025-06-01';
/** 受給者証券面項目 of this year's Tokyo certificate: several items, one spanning lines. */
const DETAIL = [
  { label: '交付年月日', value: '令和7年3月20日' },
  { label: '備考', value: '通院・入院とも対象\n薬局での調剤も対象' },
];
/** The name the operator gives the test clinic. */
const CLINIC_NAME = '千代田テストクリニック';
/** A PMH pseudonym nobody was given. */
const UNKNOWN_PP = 'pp' + 'a'.repeat(26);
/** The address the Osaka registration must keep to itself (DV support measures). */
const HIDDEN_ADDRESS = '大阪府大阪市北区中之島9丁目9-9秘匿住所';

async function defineProgram(w: World, code: string, program: typeof CHILD_PROGRAM | typeof INTRACTABLE_PROGRAM) {
  const { certificateTypeId, ...rest } = program;
  const r = await callAs(w, w.municipality(code), hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: rest });
  assert.ok(r.status === 200 || r.status === 201, r.text);
}

async function count(w: World, service: ServiceName, query: ReturnType<typeof sql>): Promise<number> {
  return Number(((await query.execute(w.service(service).database.db)).rows[0] as { n: string }).n);
}

for (const backend of backends()) {
  describe(`the resident's own view (${backend})`, () => {
    let w: World;
    const rng = new Rng(8080);
    let moved: Enrolled; // registered in Tokyo and, under DV support measures, in Osaka
    let other: Enrolled; // registered in Tokyo only
    const recipients = { tokyoChild: recipientNumber(rng), nanbyo: recipientNumber(rng), osakaChild: recipientNumber(rng), other: recipientNumber(rng) };

    const portal = (method: string, path: string, cookie?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> =>
      w.call(null, method, path, undefined, { ...(cookie ? { cookie } : {}), ...headers }, 'portal');

    const login = (p: Enrolled): Promise<string> => w.loginResident(p);

    /** The whole access log, page by page. */
    async function fullLog(cookie: string, limit: number): Promise<any[]> {
      const items: any[] = [];
      let before: string | undefined;
      for (let page = 0; page < 100; page++) {
        const r = await portal('GET', `/portal/v1/me/access-log?limit=${limit}${before ? `&before=${before}` : ''}`, cookie);
        assert.equal(r.status, 200, r.text);
        assert.ok(r.body.items.length <= limit);
        items.push(...r.body.items);
        if (!r.body.nextBefore) return items;
        before = r.body.nextBefore;
      }
      throw new Error('the access log does not end');
    }

    before(async () => {
      w = await World.start({ backend, services: SERVICES, persistent: true });
      for (const code of [TOKYO, OSAKA]) await defineProgram(w, code, CHILD_PROGRAM);
      await defineProgram(w, TOKYO, INTRACTABLE_PROGRAM);
      [moved, other] = await w.enrol([myNumber(rng), myNumber(rng)]);

      const movedInfo = { ...personName(rng), address: '東京都千代田区千代田1-1', dateOfBirth: '2015-05-05', sex: '2' };
      const child = (version: Record<string, unknown>) =>
        childRecord(rng, {
          myNumber: moved.myNumber,
          municipalityIdentityKey: 'M-A',
          basicFiveInfo: movedInfo,
          medicalSubsidyRecipientNumber: recipients.tokyoChild,
          ...version,
        });
      const tokyo = await w.register(w.municipality(TOKYO), 'medical-subsidy', [
        // The Tokyo child certificate in three versions: last year's, this year's, and a withdrawn next one.
        child({ historyKey: '1', validFrom: '2024-04-01', validTo: '2025-03-31', maxCopaymentAmount: { monthly: 500 } }),
        child({
          historyKey: '2',
          validFrom: '2025-04-01',
          validTo: '2026-03-31',
          maxCopaymentAmount: { monthly: 200, outpatientMonthly: 200, inpatientMonthly: 0 },
          certificationDetail: DETAIL,
        }),
        child({ historyKey: '3', validFrom: '2026-04-01', validTo: '2027-03-31', isDeleted: '1' }),
        // An intractable-disease certificate that has ended.
        childRecord(rng, {
          orgSpecificCertificateTypeId: INTRACTABLE_PROGRAM.certificateTypeId,
          certificationName: INTRACTABLE_PROGRAM.certificationName,
          medicalSubsidyInsurerNumber: INTRACTABLE_PROGRAM.medicalSubsidyInsurerNumber,
          medicalSubsidyRecipientNumber: recipients.nanbyo,
          myNumber: moved.myNumber,
          municipalityIdentityKey: 'M-A',
          basicFiveInfo: movedInfo,
          additionalConditions: [],
          incomeSegment: '一般',
          validFrom: '2023-01-01',
          validTo: '2024-12-31',
        }),
        childRecord(rng, { myNumber: other.myNumber, municipalityIdentityKey: 'O-A', medicalSubsidyRecipientNumber: recipients.other }),
      ]);
      assert.equal(tokyo.succeeded, 5, JSON.stringify(tokyo.results));
      // Osaka registers the same person (moved house) under DV support measures: a certificate that starts later.
      const osaka = await w.register(w.municipality(OSAKA), 'medical-subsidy', [
        childRecord(rng, {
          myNumber: moved.myNumber,
          municipalityIdentityKey: 'M-B',
          basicFiveInfo: { ...movedInfo, address: HIDDEN_ADDRESS },
          isNotDisclosed: '1',
          medicalSubsidyRecipientNumber: recipients.osakaChild,
          validFrom: '2025-07-01',
          validTo: '2026-03-31',
        }),
      ]);
      assert.equal(osaka.succeeded, 1, JSON.stringify(osaka.results));
      // Wait until the federation linked all three subjects to the portal and every outbox is empty.
      await w.until('all subjects linked to the portal', async () => {
        if ((await count(w, 'hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) < 3) return false;
        for (const s of SERVICES) if ((await count(w, s, sql`select count(*) as n from outbox`)) > 0) return false;
        return true;
      });
    });
    after(() => w.stop());

    it('shows a resident the certificates of every municipality, one per certificate with its history', async () => {
      const cookie = await login(moved);
      assert.deepEqual((await portal('GET', '/portal/v1/me', cookie)).body, { linked: true });
      const r = await portal('GET', `/portal/v1/me/subsidies?asOf=${AS_OF}`, cookie);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.linked, true);

      // Both registrations, the Osaka one without its address.
      const subjects = [...r.body.subjects].sort((a: any, b: any) => a.municipalityCode.localeCompare(b.municipalityCode));
      assert.deepEqual(
        subjects.map((s: any) => [s.municipalityCode, s.address]),
        [
          [TOKYO, '東京都千代田区千代田1-1'],
          [OSAKA, null],
        ],
      );
      assert.equal(subjects[0].dateOfBirth, '2015-05-05');

      const certs = r.body.certificates as any[];
      assert.equal(certs.length, 3, r.text);
      const tokyoChild = certs.find((c) => c.municipalityCode === TOKYO && c.certificationName === CHILD_PROGRAM.certificationName);
      const nanbyo = certs.find((c) => c.certificationName === INTRACTABLE_PROGRAM.certificationName);
      const osakaChild = certs.find((c) => c.municipalityCode === OSAKA);
      // In force at asOf: this year's version, its history every version (the withdrawn one marked).
      assert.equal(tokyoChild.status, 'current');
      assert.deepEqual([tokyoChild.validFrom, tokyoChild.validTo], ['2025-04-01', '2026-03-31']);
      assert.deepEqual(tokyoChild.maxCopaymentAmount, { monthly: 200, outpatientMonthly: 200, inpatientMonthly: 0 });
      assert.equal(tokyoChild.medicalSubsidyInsurerNumber, CHILD_PROGRAM.medicalSubsidyInsurerNumber);
      assert.equal(tokyoChild.medicalSubsidyRecipientNumber, recipients.tokyoChild);
      assert.deepEqual(tokyoChild.additionalConditions, ['A1', 'A2']);
      assert.equal(tokyoChild.isAlwaysReimbursement, false);
      // 受給者証券面項目 of the version shown, as registered and in order.
      assert.deepEqual(tokyoChild.certificationDetail, DETAIL);
      assert.deepEqual(nanbyo.certificationDetail, [{ label: '自己負担', value: 'なし' }]);
      assert.deepEqual(
        tokyoChild.history.map((h: any) => [h.historyKey, h.isDeleted]),
        [
          ['3', true],
          ['2', false],
          ['1', false],
        ],
      );
      assert.equal(nanbyo.status, 'expired');
      assert.equal(nanbyo.medicalSubsidyRecipientNumber, recipients.nanbyo);
      assert.equal(nanbyo.incomeSegment, '一般');
      assert.equal(osakaChild.status, 'future');
      assert.equal(osakaChild.medicalSubsidyRecipientNumber, recipients.osakaChild);
      assert.deepEqual(
        certs.map((c) => c.status),
        ['current', 'future', 'expired'],
        'in force first',
      );

      // A year later this year's version has ended and the next one was withdrawn: nothing counts as in force.
      const later = await portal('GET', '/portal/v1/me/subsidies?asOf=2026-05-01', cookie);
      const tokyoLater = later.body.certificates.find((c: any) => c.id === tokyoChild.id);
      assert.equal(tokyoLater.status, 'expired');
      assert.equal(tokyoLater.validTo, '2026-03-31');

      // Never a PMH-ID, a My Number or a pseudonym in what the resident is shown.
      const text = r.text + later.text;
      const found = identifiersIn(text, { myNumbers: [moved.myNumber, other.myNumber], cardSerials: [moved.cardSerial] });
      for (const kind of ['pmhId', 'pseudonym', 'pmhPseudonym', 'linkageNumber', 'myNumber', 'cardSerial'] as const)
        assert.equal(found[kind].size, 0, `no ${kind} in the answer`);
      assert.equal(text.includes(HIDDEN_ADDRESS), false);
      assert.equal(text.includes(recipients.other), false, 'nothing of another resident');
    });

    it('shows another resident only their own', async () => {
      const cookie = await login(other);
      const r = await portal('GET', `/portal/v1/me/subsidies?asOf=${AS_OF}`, cookie);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        r.body.subjects.map((s: any) => s.municipalityCode),
        [TOKYO],
      );
      assert.deepEqual(
        r.body.certificates.map((c: any) => c.medicalSubsidyRecipientNumber),
        [recipients.other],
      );
      for (const n of [recipients.tokyoChild, recipients.nanbyo, recipients.osakaChild]) assert.equal(r.text.includes(n), false);
      const log = await fullLog(cookie, 200);
      assert.ok(log.length > 0);
      assert.ok(
        log.every((e) => e.actorKind !== 'municipality' || e.actorCode === TOKYO),
        'Osaka never touched this resident',
      );
    });

    it('shows who accessed the data — municipalities, an operator, a clinic — but not the resident’s own views', async () => {
      const cookie = await login(moved);
      // The operator names the clinic (the hub's registry of medical institutions).
      const named = await callAs(
        w,
        w.operator,
        hubApi.admin.putMedicalInstitutions,
        {
          body: { institutions: [{ institutionCode: INSTITUTION_CODES[0], name: CLINIC_NAME }] },
        },
        'hub',
      );
      assertStatus(named, 200);
      assert.deepEqual(named.body, { stored: 1 });
      // An operator looks the Tokyo registration up; a clinic checks eligibility with the card.
      assertStatus(
        await callAs(w, w.operator, hubApi.municipal.getSubject, { params: { municipalityIdentityKey: 'M-A' }, query: { municipalityCode: TOKYO } }),
        200,
      );
      const c = await callAs(w, w.clinic(), oqsApi.issueCardChallenge, {});
      assertStatus(c, 200);
      const check = await callAs(w, w.clinic(), oqsApi.checkEligibility, {
        body: {
          institutionCode: INSTITUTION_CODES[0],
          cardAuthentication: {
            cardSerial: moved.cardSerial,
            challenge: c.body.challenge,
            signature: signCardChallenge(moved.cardKey.privateJwk, c.body.challenge),
          },
          consent: { medicalSubsidy: true },
          asOf: AS_OF,
        },
      });
      assertStatus(check, 200);
      // The resident looks several times: none of it is listed.
      for (let i = 0; i < 3; i++) assert.equal((await portal('GET', '/portal/v1/me/subsidies', cookie)).status, 200);

      const first = await portal('GET', '/portal/v1/me/access-log', cookie);
      assert.equal(first.status, 200, first.text);
      const log = first.body.items as any[];
      const has = (kind: string, code: string | null, action: string) => log.some((e) => e.actorKind === kind && e.actorCode === code && e.action === action);
      assert.ok(has('municipality', TOKYO, 'medical-subsidy.register'), first.text);
      assert.ok(has('municipality', OSAKA, 'medical-subsidy.register'), first.text);
      assert.ok(has('operator', null, 'subject.read'), first.text);
      const clinic = log.find((e) => e.actorKind === 'medical-institution');
      assert.ok(clinic, first.text);
      assert.deepEqual(
        { code: clinic.actorCode, name: clinic.actorName, action: clinic.action, purpose: clinic.purpose, outcome: clinic.outcome },
        { code: INSTITUTION_CODES[0], name: CLINIC_NAME, action: 'eligibility.query', purpose: 'medical-subsidy', outcome: 'ok' },
      );
      // Municipalities by name from the national list; the operator has no code and no name.
      const nameOf = (code: string) => log.find((e) => e.actorKind === 'municipality' && e.actorCode === code)?.actorName;
      assert.equal(nameOf(TOKYO), '東京都千代田区');
      assert.equal(nameOf(OSAKA), '大阪府大阪市');
      assert.ok(log.filter((e) => e.actorKind === 'operator').every((e) => e.actorName === null));
      assert.equal(log[0], clinic, 'newest first: the eligibility check came last');
      assert.equal(
        log.some((e) => e.action.startsWith('resident.')),
        false,
        'the resident’s own views are not listed',
      );
      for (const e of log)
        assert.deepEqual(Object.keys(e).sort(), ['action', 'actorCode', 'actorKind', 'actorName', 'at', 'outcome', 'purpose'], 'never the raw detail');
      for (let i = 1; i < log.length; i++) assert.ok(log[i - 1].at >= log[i].at, 'newest first');

      // The hub did record those views (against each of the person's subjects), only not for the resident's eyes.
      const views = await sql<{ subject_ref: string }>`select distinct subject_ref from audit_log
        where actor = 'portal' and action = 'resident.subsidies.read' and purpose = 'resident-self-view' and outcome = 'ok'`.execute(w.hub.database.db);
      const subjectIds = await sql<{ id: string }>`select id from subjects where municipality_identity_key in ('M-A', 'M-B')`.execute(w.hub.database.db);
      for (const { id } of subjectIds.rows) assert.ok(views.rows.some((v) => v.subject_ref === id));

      // Paged by two, the log reads the same, without repeats.
      const paged = await fullLog(cookie, 2);
      assert.deepEqual(paged, await fullLog(cookie, 200));
      assert.ok(paged.length > 2);
      // A made-up cursor is a 400, not a 500.
      const bad = await portal('GET', '/portal/v1/me/access-log?before=bm90LWEtY3Vyc29y', cookie);
      assert.equal(bad.status, 400, bad.text);
      assert.deepEqual(
        bad.body.errors.map((e: { pointer: string }) => e.pointer),
        ['/query/before'],
      );
      // Well-formed base64url whose content the hub decodes: held to the wire's rules before SQL
      // (U+0000 in the stream was a 500 at the hub, told to the resident as "PMH unavailable").
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
      for (const cursor of [
        ['2026-01-01T00:00:00Z', 'a\u0000', 1],
        ['2026-01-01T00:00:00Z', 'a\ud800', 1],
        ['2026', 'x', 1],
        ['0001-01-01T00:00:00Z', 'x', 1],
      ]) {
        const r = await portal('GET', `/portal/v1/me/access-log?before=${b64(cursor)}`, cookie);
        assert.equal(r.status, 400, `${JSON.stringify(cursor)}: ${r.text}`);
        assert.deepEqual(
          r.body.errors.map((e: { pointer: string }) => e.pointer),
          ['/query/before'],
        );
      }
    });

    it('lets only the operator name medical institutions, and refuses a bad list whole, naming the field', async () => {
      const [code, second] = [INSTITUTION_CODES[1], '1319999990'];
      const names = async () =>
        (await sql<{ institution_code: string; name: string }>`select institution_code, name from medical_institutions order by 1`.execute(w.hub.database.db))
          .rows;
      const held = await names();
      const put = (institutions: unknown) => w.call(w.operator, 'POST', '/admin/v1/medical-institutions', { institutions });
      // A municipality is not the operator.
      assertProblem(
        await callAs(w, w.municipality(TOKYO), hubApi.admin.putMedicalInstitutions, { body: { institutions: [{ institutionCode: code, name: 'X' }] } }, 'hub'),
        403,
      );
      // Bad entries among good ones: a 400 naming each field, and nothing stored.
      for (const [institutions, pointer] of [
        [
          [
            { institutionCode: second, name: '良い名前' },
            { institutionCode: '12345', name: '桁違い' },
          ],
          '/institutions/1/institutionCode',
        ],
        [
          [
            { institutionCode: second, name: '良い名前' },
            { institutionCode: code, name: '   ' },
          ],
          '/institutions/1/name',
        ],
        [[{ institutionCode: code, name: '改行\n入り' }], '/institutions/0/name'],
        [[{ institutionCode: code, name: 'x'.repeat(201) }], '/institutions/0/name'],
        [[{ institutionCode: code, name: 'A', extra: 1 }], '/institutions/0/extra'],
        [[], '/institutions'],
      ] as const) {
        const r = await put(institutions);
        assertNames(r, pointer);
      }
      assert.deepEqual(await names(), held, 'nothing written by a refused list');
      // Added, renamed; a code twice: the last wins.
      const ok = await put([
        { institutionCode: code, name: '旧名診療所' },
        { institutionCode: second, name: '中之島テスト薬局' },
        { institutionCode: code, name: '新名診療所' },
      ]);
      assert.equal(ok.status, 200, ok.text);
      assert.deepEqual(ok.body, { stored: 2 });
      const now = new Map((await names()).map((r) => [r.institution_code, r.name]));
      assert.equal(now.get(code), '新名診療所');
      assert.equal(now.get(second), '中之島テスト薬局');
      for (const r of held) if (r.institution_code !== code && r.institution_code !== second) assert.equal(now.get(r.institution_code), r.name, 'others kept');
    });

    it('keeps a not-disclosed address inside its municipality', async () => {
      // The registering municipality sees it; an operator does not.
      const subject = (caller: Caller, municipalityIdentityKey: string, municipalityCode?: string) =>
        callAs(w, caller, hubApi.municipal.getSubject, { params: { municipalityIdentityKey }, query: municipalityCode ? { municipalityCode } : {} });
      const own = await subject(w.municipality(OSAKA), 'M-B');
      assertStatus(own, 200);
      assert.equal(own.body.basicFiveInfo.address, HIDDEN_ADDRESS);
      const operator = await subject(w.operator, 'M-B', OSAKA);
      assertStatus(operator, 200);
      assert.equal(operator.body.isNotDisclosed, true);
      assert.equal(operator.body.basicFiveInfo.address, null);
      assert.match(operator.body.pmhId ?? '', /^pmh[a-z2-7]{26}$/, 'the operator still sees what it may');
      // Tokyo's own subject (disclosed) keeps its address for the operator.
      const tokyo = await subject(w.operator, 'M-A', TOKYO);
      assertStatus(tokyo, 200);
      assert.equal(tokyo.body.basicFiveInfo.address, '東京都千代田区千代田1-1');

      // Nothing said by or to the portal, OQS or the ID server carries it, nor any hub answer but the municipal API's.
      assert.equal(exchangesText(w.exchanges, (e) => e.service !== 'hub').includes(HIDDEN_ADDRESS), false);
      const hubAnswers = w.exchanges.filter((e) => e.service === 'hub' && e.response.includes(HIDDEN_ADDRESS));
      assert.ok(hubAnswers.length > 0 && hubAnswers.every((e) => e.url === '/municipal/v1/subjects/M-B'), 'only Osaka’s own read shows the address');
      for (const s of ['portal', 'oqs', 'idserver'] as const)
        assert.equal((await databaseText(w.service(s).database.db)).includes(HIDDEN_ADDRESS), false, `${s} never stores it`);
    });

    it('answers the portal only: by a known PMH pseudonym, to the portal’s credentials', async () => {
      const asPortal = w.service('portal').base.peer('hub');
      const unknown = await asPortal.call(hubApi.residents.subsidies, { params: { pmhPseudonym: UNKNOWN_PP } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.status === 404 && unknown.body.type, 'urn:pmh:problem:not-linked');
      assert.equal((await asPortal.call(hubApi.residents.accessLog, { params: { pmhPseudonym: UNKNOWN_PP } })).status, 404);
      // What the schemas refuse (a string the types accept): not a PMH pseudonym, not a date.
      assert.equal((await asPortal.call(hubApi.residents.subsidies, { params: { pmhPseudonym: 'not-a-pseudonym' } })).status, 400);
      assert.equal((await asPortal.call(hubApi.residents.subsidies, { params: { pmhPseudonym: UNKNOWN_PP }, query: { asOf: 'yesterday' } })).status, 400);
      const { rows } = await sql<{ pmh_pseudonym: string }>`select pmh_pseudonym from pmh_links limit 1`.execute(w.hub.database.db);
      assertProblem(await callAs(w, w.municipality(TOKYO), hubApi.residents.subsidies, { params: { pmhPseudonym: rows[0].pmh_pseudonym } }), 403);
    });

    it('keeps each identifier where it may be after the logins (invariants 4–6)', async () => {
      const known = { myNumbers: [moved.myNumber, other.myNumber], cardSerials: [moved.cardSerial, other.cardSerial] };
      const hub = identifiersIn(await databaseText(w.hub.database.db), known);
      assert.equal(hub.pseudonym.size + hub.cardSerial.size + hub.linkageNumber.size, 0, 'the hub holds no 仮名識別子, card serial or 紐付番号');
      const toHub = identifiersIn(
        exchangesText(w.exchanges, (e) => e.service === 'hub'),
        known,
      );
      assert.equal(toHub.pseudonym.size + toHub.cardSerial.size + toHub.linkageNumber.size, 0, 'nothing of the kind reached the hub');
      const portalDb = identifiersIn(await databaseText(w.service('portal').database.db), known);
      assert.equal(portalDb.pmhId.size + portalDb.cardSerial.size + portalDb.myNumber.size, 0, 'the portal holds no PMH-ID, card serial or My Number');
      const fromPortal = identifiersIn(
        exchangesText(w.exchanges, (e) => e.service === 'portal' && e.url.startsWith('/portal/v1/me')),
        known,
      );
      for (const kind of ['pmhId', 'pseudonym', 'pmhPseudonym', 'cardSerial', 'myNumber'] as const)
        assert.equal(fromPortal[kind].size, 0, `no ${kind} in the resident's views`);
      const logs = w.logs.text();
      for (const secret of [...known.myNumbers, ...known.cardSerials, moved.pseudonym, other.pseudonym])
        assert.equal(logs.includes(secret), false, 'no identifier in a log line');
    });

    it('answers 503 while the hub is down, and the views come back with it', async () => {
      const cookie = await login(moved);
      await w.stopService('hub');
      try {
        for (const path of ['/portal/v1/me/subsidies', '/portal/v1/me/access-log']) {
          const r = await portal('GET', path, cookie);
          assert.equal(r.status, 503, r.text);
          assert.equal(r.body.type, 'urn:pmh:problem:hub-unavailable');
        }
      } finally {
        await w.startService('hub');
      }
      assert.equal((await portal('GET', '/portal/v1/me/subsidies', cookie)).status, 200);
    });
  });
}
