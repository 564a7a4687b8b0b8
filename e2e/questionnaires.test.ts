import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { hubApi } from '@pmh/protocol';
import { todayInJapan } from '@pmh/protocol/text';
import { signCardChallenge } from '@pmh/core/crypto/index';
import { World, backends, Rng, myNumber, personName, exchangesText, type Enrolled, type HttpAnswer } from '../packages/testkit/src/index.ts';
import { addDays } from '../packages/hub/src/domain/vaccination/index.ts';

/**
 * Questionnaires (予診票 B, 問診票 C) stored at the hub per person, through the hub's resident
 * counterpart API (role portal): a draft from the template, answers checked item by item (errors name
 * `/answers/<itemId>`, nothing half-written), submit, change while submitted, and use — by the hub's
 * own function the clinic relay calls in its transaction — after which nothing changes it. Then at the
 * portal: the resident's own questionnaires, and a guardian (代理人) who adds a child with the child's
 * card and acts for them (`?for=`) — seen as the guardian's in the child's access log, and of no use to
 * a third account.
 */
const TOKYO = '131016';

/** Every item of a child's 予診票 answered beforehand, as a well child's guardian answers it. */
export const WELL_CHILD = {
  'read-explanation': true,
  'delivery-abnormal': false,
  'after-birth-abnormal': false,
  'checkup-abnormal': false,
  'unwell-today': false,
  'ill-past-month': false,
  'contact-past-month': false,
  'vaccinated-past-month': false,
  'chronic-illness': false,
  convulsion: false,
  allergy: false,
  'relative-immunodeficiency': false,
  'past-reaction': false,
  'relative-reaction': false,
  transfusion: false,
  questions: false,
};

for (const backend of backends()) {
  describe(`questionnaires at the hub (${backend})`, () => {
    let w: World;
    const rng = new Rng(1212_7);
    let child: Enrolled;
    let other: Enrolled; // the child's parent
    let third: Enrolled;
    let unlinked: Enrolled;
    let childPp: string;
    let otherPp: string;
    const today = todayInJapan();
    const birth = addDays(today, -100);

    const subject = (p: Enrolled, key: string, dateOfBirth: string) => ({
      modificationSeg: '1',
      myNumber: p.myNumber,
      municipalityIdentityKey: key,
      basicFiveInfo: { ...personName(rng), address: '東京都千代田区九段南1-2-1', dateOfBirth, sex: '1' },
      isNotDisclosed: false,
      vaccinationRecords: [],
    });
    const count = async (query: ReturnType<typeof sql>) => Number(((await query.execute(w.hub.database.db)).rows[0] as { n: string }).n);
    const asPortal = () => w.service('portal').base.peer('hub');
    const hubCall = (method: string, path: string, body?: unknown): Promise<HttpAnswer> => w.call(w.peerCaller('portal'), method, path, body);

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'] });
      [child, other, third, unlinked] = await w.enrol([myNumber(rng), myNumber(rng), myNumber(rng), myNumber(rng)]);
      const r = await w.register(w.municipality(TOKYO), 'vaccination', [
        subject(child, 'Q-1', birth),
        subject(other, 'Q-2', '1990-04-02'),
        subject(third, 'Q-3', '1985-07-07'),
      ]);
      assert.equal(r.succeeded, 3, JSON.stringify(r.results));
      await w.until('all linked', async () => (await count(sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) === 3);
      await w.until('the portal knows every link', async () => {
        const n = await sql<{ n: string }>`select count(*) as n from accounts where pmh_pseudonym is not null and pmh_id_sealed is null`.execute(
          w.service('portal').database.db,
        );
        return Number(n.rows[0].n) >= 3;
      });
      const pp = async (key: string) =>
        (
          await sql<{
            pp: string;
          }>`select l.pmh_pseudonym as pp from subjects s join pmh_links l on l.pmh_id = s.pmh_id where s.municipality_identity_key = ${key}`.execute(
            w.hub.database.db,
          )
        ).rows[0].pp;
      [childPp, otherPp] = [await pp('Q-1'), await pp('Q-2')];
    });
    after(() => w?.stop());

    it('drafts from the template, checks each answer, submits, changes while submitted, and is used once', async () => {
      const created = await asPortal().call(hubApi.residents.createQuestionnaire, {
        params: { pmhPseudonym: childPp },
        body: { process: 'vaccination', vaccineCode: 'dpt-ipv-hib', doseNumber: 2 },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const q = created.body as any;
      assert.equal(q.status, 'draft');
      assert.equal(q.vaccineCode, 'dpt-ipv-hib');
      assert.equal(q.doseNumber, 2);
      assert.match(q.title, /五種混合/);
      assert.deepEqual(q.answers, {});
      assert.ok(q.items.some((i: any) => i.itemId === 'temperature' && i.answeredAt === 'visit'));
      assert.equal(
        q.items.some((i: any) => 'source' in i || 'basis' in i),
        false,
        'the templates’ bookkeeping stays inside',
      );

      // The same dose again: the open questionnaire, not a second one.
      const again = await asPortal().call(hubApi.residents.createQuestionnaire, {
        params: { pmhPseudonym: childPp },
        body: { process: 'vaccination', vaccineCode: 'dpt-ipv-hib', doseNumber: 2 },
      });
      assert.equal(again.status, 200);
      assert.equal((again.body as any).questionnaireId, q.questionnaireId);

      const path = `/hub/v1/residents/${childPp}/questionnaires/${q.questionnaireId}`;
      // A draft may be partial.
      const draft = await hubCall('PUT', path, { answers: { 'read-explanation': true, 'birth-weight': 3050 } });
      assert.equal(draft.status, 200, draft.text);
      assert.deepEqual(draft.body.answers, { 'read-explanation': true, 'birth-weight': 3050 });

      // Wrong answers: each named by its item, nothing stored.
      const bad = await hubCall('PUT', path, {
        answers: { 'birth-weight': 99, 'unwell-today': 'yes', 'unwell-today-symptoms': '咳', 'no-such-item': true },
      });
      assert.equal(bad.status, 422, bad.text);
      const pointers = (bad.body.errors as any[]).map((e) => e.pointer).sort();
      assert.ok(pointers.includes('/answers/birth-weight'), bad.text);
      assert.ok(pointers.includes('/answers/unwell-today'), bad.text);
      assert.ok(pointers.includes('/answers/no-such-item'), bad.text);
      const leak = await hubCall('PUT', path, { answers: { 'unwell-today': true, 'unwell-today-symptoms': `番号 ${child.myNumber}` } });
      assert.equal(leak.status, 422, leak.text);
      assert.deepEqual(
        (leak.body.errors as any[]).map((e) => e.pointer),
        ['/answers/unwell-today-symptoms'],
      );
      assert.equal(leak.text.includes(child.myNumber), false, 'the answer is not repeated');
      // A follow-up without the answer it follows.
      const orphan = await hubCall('PUT', path, { answers: { 'unwell-today': false, 'unwell-today-symptoms': '咳' } });
      assert.equal(orphan.status, 422, orphan.text);
      assert.equal(orphan.body.errors[0].pointer, '/answers/unwell-today-symptoms');

      // Submitting needs every item answered beforehand (not those of the visit).
      const early = await hubCall('PUT', path, { answers: {}, submit: true });
      assert.equal(early.status, 422, early.text);
      assert.ok((early.body.errors as any[]).some((e) => e.pointer === '/answers/allergy' && e.message === 'is required'));
      assert.equal(
        (early.body.errors as any[]).some((e) => e.pointer === '/answers/temperature'),
        false,
      );
      const unchanged = await asPortal().call(hubApi.residents.questionnaires, { params: { pmhPseudonym: childPp } });
      assert.equal(unchanged.status, 200);
      assert.deepEqual((unchanged.body as any[])[0].answers, { 'read-explanation': true, 'birth-weight': 3050 }, 'nothing half-written');
      assert.equal((unchanged.body as any[])[0].status, 'draft');

      const submitted = await hubCall('PUT', path, { answers: WELL_CHILD, submit: true });
      assert.equal(submitted.status, 200, submitted.text);
      assert.equal(submitted.body.status, 'submitted');
      assert.ok(submitted.body.submittedAt);

      // Still changeable, and still complete: clearing a required answer is refused.
      const changed = await hubCall('PUT', path, { answers: { allergy: true } });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.status, 'submitted');
      assert.equal(changed.body.answers.allergy, true);
      const cleared = await hubCall('PUT', path, { answers: { allergy: null } });
      assert.equal(cleared.status, 422, cleared.text);
      assert.equal(cleared.body.errors[0].pointer, '/answers/allergy');

      // The clinic relay uses it (the hub's own function, in the relay's transaction): the visit's answers are required then.
      const store = w.hub.context.store;
      const pmhId = (await sql<{ pmh_id: string }>`select pmh_id from pmh_links where pmh_pseudonym = ${childPp}`.execute(w.hub.database.db)).rows[0].pmh_id;
      const use = (visitAnswers: Record<string, unknown>) =>
        store.system.transaction((sys) =>
          sys.useQuestionnaire({
            pmhId,
            questionnaireId: q.questionnaireId,
            usedBy: 'record-1',
            visitAnswers: visitAnswers as never,
            today,
            dateOfBirth: birth,
          }),
        );
      const incomplete = await use({ temperature: 36.6 });
      assert.ok('errors' in incomplete && incomplete.errors.some((e) => e.pointer === '/answers/consent'), JSON.stringify(incomplete));
      // Another person's id is not found; nothing was used by the failed attempt.
      const otherId = (await sql<{ pmh_id: string }>`select pmh_id from pmh_links where pmh_pseudonym = ${otherPp}`.execute(w.hub.database.db)).rows[0].pmh_id;
      const wrongPerson = await store.system.transaction((sys) =>
        sys.useQuestionnaire({ pmhId: otherId, questionnaireId: q.questionnaireId, usedBy: 'x', today }),
      );
      assert.deepEqual(wrongPerson, { refused: 'not-found' });
      // A use the caller's transaction rolls back leaves it submitted.
      await assert.rejects(
        store.system.transaction(async (sys) => {
          const r = await sys.useQuestionnaire({
            pmhId,
            questionnaireId: q.questionnaireId,
            usedBy: 'r',
            visitAnswers: { temperature: 36.6, consent: 'wish' },
            today,
          });
          assert.ok('questionnaire' in r);
          throw new Error('the dose was not recorded');
        }),
        /not recorded/,
      );
      assert.equal((await store.system.autocommit.questionnaire(pmhId, q.questionnaireId))?.status, 'submitted');
      const used = await use({ temperature: 36.6, consent: 'wish' });
      assert.ok('questionnaire' in used, JSON.stringify(used));
      assert.equal(used.questionnaire.status, 'used');
      assert.equal(used.questionnaire.usedBy, 'record-1');
      assert.deepEqual(await use({ temperature: 36.6, consent: 'wish' }), { refused: 'used' });

      // A used one cannot change; a new draft of the same dose can start.
      const late = await hubCall('PUT', path, { answers: { allergy: false } });
      assert.equal(late.status, 409, late.text);
      assert.match(late.body.type, /questionnaire-used$/);
      const fresh = await asPortal().call(hubApi.residents.createQuestionnaire, {
        params: { pmhPseudonym: childPp },
        body: { process: 'vaccination', vaccineCode: 'dpt-ipv-hib', doseNumber: 2 },
      });
      assert.equal(fresh.status, 201);
    });

    it('drafts a checkup’s 問診票, and names the field of a request no template exists for', async () => {
      const checkup = await hubCall('POST', `/hub/v1/residents/${childPp}/questionnaires`, { process: 'maternal-child', checkupKind: 'infant-3-4m' });
      assert.equal(checkup.status, 201, checkup.text);
      assert.equal(checkup.body.checkupKind, 'infant-3-4m');
      const refused: Array<[unknown, string]> = [
        [{ process: 'vaccination', vaccineCode: 'smallpox', doseNumber: 1 }, '/vaccineCode'],
        [{ process: 'vaccination', vaccineCode: 'mr', doseNumber: 11 }, '/doseNumber'],
        [{ process: 'vaccination', vaccineCode: 'mr' }, '/doseNumber'],
        [{ process: 'maternal-child', checkupKind: 'infant-2y' }, '/checkupKind'],
        [{ process: 'maternal-child', checkupKind: 'prenatal' }, '/sequence'],
        [{ process: 'maternal-child', checkupKind: 'prenatal', sequence: 15 }, '/sequence'],
        [{ process: 'maternal-child', checkupKind: 'infant-3y', vaccineCode: 'mr' }, '/vaccineCode'],
      ];
      const before = await count(sql`select count(*) as n from questionnaires`);
      for (const [body, pointer] of refused) {
        const r = await hubCall('POST', `/hub/v1/residents/${childPp}/questionnaires`, body);
        assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
        assert.ok(
          (r.body.errors as any[]).some((e) => e.pointer === pointer),
          `${JSON.stringify(body)} names ${pointer}: ${r.text}`,
        );
      }
      assert.equal(await count(sql`select count(*) as n from questionnaires`), before);
    });

    it('keeps each person’s questionnaires their own, and answers not-linked for an unknown pseudonym', async () => {
      const mine = await asPortal().call(hubApi.residents.questionnaires, { params: { pmhPseudonym: otherPp } });
      assert.equal(mine.status, 200);
      assert.deepEqual(mine.body, []);
      const childs = (await asPortal().call(hubApi.residents.questionnaires, { params: { pmhPseudonym: childPp } })).body as any[];
      const id = childs[0].questionnaireId;
      const foreign = await hubCall('PUT', `/hub/v1/residents/${otherPp}/questionnaires/${id}`, { answers: { allergy: false } });
      assert.equal(foreign.status, 404, foreign.text);
      const unknown = await hubCall('GET', `/hub/v1/residents/pp${'a'.repeat(26)}/questionnaires`);
      assert.equal(unknown.status, 404);
      assert.match(unknown.body.type, /not-linked$/);
      // Only the portal may call.
      const municipal = await w.call(w.municipality(TOKYO), 'GET', `/hub/v1/residents/${childPp}/questionnaires`);
      assert.equal(municipal.status, 403);
    });

    // --- the portal -------------------------------------------------------------------------

    const portal = (method: string, path: string, cookie: string, body?: unknown): Promise<HttpAnswer> =>
      w.call(null, method, path, body, { cookie }, 'portal');

    /** The child's card signs a fresh portal challenge, as the add-a-child page has it do. */
    async function cardOver(p: Enrolled): Promise<{ cardSerial: string; challenge: string; signature: string }> {
      const c = await w.call(null, 'POST', '/portal/v1/session-challenges', undefined, {}, 'portal');
      assert.equal(c.status, 200, c.text);
      return { cardSerial: p.cardSerial, challenge: c.body.challenge, signature: signCardChallenge(p.cardKey.privateJwk, c.body.challenge) };
    }

    it('lets a resident fill in their own questionnaire at the portal, naming each wrong answer and an unknown vaccine', async () => {
      const cookie = await w.loginResident(third);
      const none = await portal('GET', '/portal/v1/me/questionnaires', cookie);
      assert.equal(none.status, 200, none.text);
      assert.deepEqual(none.body, []);
      const unknownVaccine = await portal('POST', '/portal/v1/me/questionnaires', cookie, { process: 'vaccination', vaccineCode: 'smallpox', doseNumber: 1 });
      assert.equal(unknownVaccine.status, 422, unknownVaccine.text);
      assert.equal(unknownVaccine.body.errors[0].pointer, '/vaccineCode');
      const created = await portal('POST', '/portal/v1/me/questionnaires', cookie, { process: 'vaccination', vaccineCode: 'flu-elderly', doseNumber: 1 });
      assert.equal(created.status, 201, created.text);
      const id = created.body.questionnaireId;
      const bad = await portal('PUT', `/portal/v1/me/questionnaires/${id}`, cookie, { answers: { 'unwell-today': 'はい' } });
      assert.equal(bad.status, 422, bad.text);
      assert.equal(bad.body.errors[0].pointer, '/answers/unwell-today');
      const saved = await portal('PUT', `/portal/v1/me/questionnaires/${id}`, cookie, { answers: { 'unwell-today': false } });
      assert.equal(saved.status, 200, saved.text);
      assert.equal(saved.body.status, 'draft');
      const mine = await portal('GET', '/portal/v1/me/questionnaires', cookie);
      assert.deepEqual(
        (mine.body as any[]).map((q) => [q.questionnaireId, q.status, q.answers['unwell-today']]),
        [[id, 'draft', false]],
      );
      const missing = await portal('PUT', `/portal/v1/me/questionnaires/${crypto.randomUUID()}`, cookie, { answers: {} });
      assert.equal(missing.status, 404, missing.text);
    });

    it('tells an account not linked to PMH that it cannot start one yet, without a 500', async () => {
      const cookie = await w.loginResident(unlinked);
      const list = await portal('GET', '/portal/v1/me/questionnaires', cookie);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body, []);
      const create = await portal('POST', '/portal/v1/me/questionnaires', cookie, { process: 'vaccination', vaccineCode: 'mr', doseNumber: 1 });
      assert.equal(create.status, 409, create.text);
      assert.match(create.body.type, /not-linked$/);
    });

    it('lets a guardian add a child with the child’s card and act for them; the child’s access log shows it as the guardian’s', async () => {
      const parent = await w.loginResident(other);
      assert.deepEqual((await portal('GET', '/portal/v1/me/dependants', parent)).body, { dependants: [] });

      // Their own card is not a dependant's; a used challenge is refused.
      const own = await portal('POST', '/portal/v1/me/dependants', parent, await cardOver(other));
      assert.equal(own.status, 422, own.text);
      assert.equal(own.body.errors[0].pointer, '/cardSerial');
      const signed = await cardOver(child);
      const added = await portal('POST', '/portal/v1/me/dependants', parent, signed);
      assert.equal(added.status, 201, added.text);
      const { dependantId, displayName } = added.body;
      assert.match(dependantId, /^[0-9a-f-]{36}$/);
      const registeredName = (await sql<{ name: string }>`select name from subjects where municipality_identity_key = 'Q-1'`.execute(w.hub.database.db)).rows[0]
        .name;
      assert.equal(displayName, registeredName, 'named as PMH has the child');
      const replayed = await portal('POST', '/portal/v1/me/dependants', parent, signed);
      assert.equal(replayed.status, 401, replayed.text);
      const again = await portal('POST', '/portal/v1/me/dependants', parent, await cardOver(child));
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.dependantId, dependantId);
      const listed = await portal('GET', '/portal/v1/me/dependants', parent);
      assert.deepEqual(
        (listed.body.dependants as any[]).map((d) => [d.dependantId, d.displayName, d.linked]),
        [[dependantId, registeredName, true]],
      );

      // Reads and writes for the child.
      const vaccinations = await portal('GET', `/portal/v1/me/vaccinations?for=${dependantId}`, parent);
      assert.equal(vaccinations.status, 200, vaccinations.text);
      assert.equal(vaccinations.body.linked, true);
      assert.ok(
        (vaccinations.body.forecast as any[]).some((e) => e.vaccineCode === 'dpt-ipv-hib' && e.status === 'due'),
        'the child’s schedule',
      );
      const parentsOwn = await portal('GET', '/portal/v1/me/vaccinations', parent);
      assert.equal(
        (parentsOwn.body.forecast as any[]).some((e) => e.vaccineCode === 'dpt-ipv-hib' && e.status === 'due'),
        false,
        'without for: the guardian’s own',
      );
      assert.equal((await portal('GET', `/portal/v1/me?for=${dependantId}`, parent)).body.linked, true);
      const created = await portal('POST', `/portal/v1/me/questionnaires?for=${dependantId}`, parent, {
        process: 'vaccination',
        vaccineCode: 'pcv',
        doseNumber: 1,
      });
      assert.equal(created.status, 201, created.text);
      const qid = created.body.questionnaireId;
      const wrong = await portal('PUT', `/portal/v1/me/questionnaires/${qid}?for=${dependantId}`, parent, { answers: { 'birth-weight': 20000 } });
      assert.equal(wrong.status, 422, wrong.text);
      assert.equal(wrong.body.errors[0].pointer, '/answers/birth-weight');
      const submitted = await portal('PUT', `/portal/v1/me/questionnaires/${qid}?for=${dependantId}`, parent, { answers: WELL_CHILD, submit: true });
      assert.equal(submitted.status, 200, submitted.text);
      assert.equal(submitted.body.status, 'submitted');
      // The questionnaire is the child's, not the guardian's.
      assert.equal(
        ((await portal('GET', '/portal/v1/me/questionnaires', parent)).body as any[]).some((q) => q.questionnaireId === qid),
        false,
      );
      const ownPut = await portal('PUT', `/portal/v1/me/questionnaires/${qid}`, parent, { answers: { allergy: true } });
      assert.equal(ownPut.status, 404, 'without for, the id is not the guardian’s own');

      // The child logs in: their questionnaire, and the guardian's reads and writes in their access log.
      const childCookie = await w.loginResident(child);
      const childs = await portal('GET', '/portal/v1/me/questionnaires', childCookie);
      assert.ok((childs.body as any[]).some((q) => q.questionnaireId === qid && q.status === 'submitted'));
      const log = await portal('GET', '/portal/v1/me/access-log?limit=200', childCookie);
      assert.equal(log.status, 200, log.text);
      const byGuardian = (log.body.items as any[]).filter((e) => e.actorKind === 'guardian');
      const actions = new Set(byGuardian.map((e) => e.action));
      for (const a of ['resident.profile.read', 'resident.vaccinations.read', 'resident.questionnaire.create', 'resident.questionnaire.submit'])
        assert.ok(actions.has(a), `${a} as the guardian's: ${JSON.stringify([...actions])}`);
      assert.ok(byGuardian.every((e) => e.actorCode === null && e.purpose === 'guardian-acting'));
      assert.equal(
        (log.body.items as any[]).some((e) => e.action === 'resident.questionnaires.read' && e.actorKind !== 'guardian'),
        false,
        'the child’s own views stay out',
      );
      // The guardian's audit row names the guardian by PMH-ID at the hub (never a 仮名識別子).
      const rows = await sql<{ detail: unknown }>`select detail from audit_log where actor = 'guardian'`.execute(w.hub.database.db);
      const parentPmhId = (await sql<{ pmh_id: string }>`select pmh_id from pmh_links where pmh_pseudonym = ${otherPp}`.execute(w.hub.database.db)).rows[0]
        .pmh_id;
      assert.ok(rows.rows.length > 0 && rows.rows.every((r) => JSON.stringify(r.detail).includes(parentPmhId)), JSON.stringify(rows.rows[0]));

      // A third account cannot use the dependantId, for anything.
      const stranger = await w.loginResident(third);
      for (const [method, path, body] of [
        ['GET', `/portal/v1/me/vaccinations?for=${dependantId}`],
        ['GET', `/portal/v1/me/subsidies?for=${dependantId}`],
        ['GET', `/portal/v1/me/questionnaires?for=${dependantId}`],
        ['GET', `/portal/v1/me/access-log?for=${dependantId}`],
        ['GET', `/portal/v1/me/notifications?for=${dependantId}`],
        ['GET', `/portal/v1/me?for=${dependantId}`],
        ['POST', `/portal/v1/me/questionnaires?for=${dependantId}`, { process: 'vaccination', vaccineCode: 'mr', doseNumber: 1 }],
        ['PUT', `/portal/v1/me/questionnaires/${qid}?for=${dependantId}`, { answers: { allergy: true } }],
        ['PUT', `/portal/v1/me/questionnaires/${qid}`, { answers: { allergy: true } }],
      ] as Array<[string, string, unknown?]>) {
        const r = await portal(method, path, stranger, body);
        assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
        assert.equal(r.text.includes(registeredName), false);
      }
      assert.equal((await portal('GET', `/portal/v1/me/vaccinations?for=${crypto.randomUUID()}`, parent)).status, 404, 'an unknown id');
      assert.equal((await portal('GET', '/portal/v1/me/vaccinations?for=not-an-id', parent)).status, 400);
      assert.equal((await portal('GET', '/portal/v1/me/dependants', stranger)).body.dependants.length, 0);
      const still = await portal('GET', '/portal/v1/me/questionnaires', childCookie);
      assert.equal((still.body as any[]).find((q) => q.questionnaireId === qid).answers.allergy, false, 'unchanged by the stranger');

      // The hub never learns a 仮名識別子 (OQS pseudonym).
      const toHub = exchangesText(w.exchanges, (e) => e.service === 'hub');
      for (const p of [child, other, third]) assert.equal(toHub.includes(p.pseudonym), false);
    });
  });
}
