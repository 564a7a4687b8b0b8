/**
 * Compatibility with the published PMH 医療費助成対象者情報登録API (自治体) v0.1.1: a municipality's
 * system written against it works unchanged. Its records carry no 宛名番号 (municipalityIdentityKey),
 * its flags are booleans or "0"/"1" as it defines each, its 追加条件 and 指定医療機関 are strings.
 * Without a key, the subject is found by My Number within the municipality (the blind index), and
 * the municipality finds it with POST /municipal/v1/subjects/search — the My Number in the body.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { hubApi } from '@pmh/protocol';
import { World, backends, CHILD_PROGRAM, type Caller } from '../../testkit/src/index.ts';
import { MY_NUMBER_CONTEXT } from '../src/store/medical-subsidy.ts';
import { Records, assertFailedAt, assertLogsClean, assertOutcome, assertProblem, defineProgram, fullWidthDigits, hubAs, subjectOf } from './support.ts';

const SEARCH = hubApi.municipal.searchSubjects.path;

/**
 * The published example record, field for field and value for value, with valid check digits
 * substituted: the My Number 210987654321 → 210987654320, the payer number 87654321 → 87654323.
 * The excerpt of the published document we hold shows its values up to medicalSubsidyRecipientNumber;
 * the rest are written in the published types (the 追加条件 and 指定医療機関 strings, "0"/"1" for
 * isAlwaysReimbursement, booleans for isDeleted).
 */
const PUBLISHED_EXAMPLE = {
  orgSpecificCertificateTypeId: 'XXXXX',
  myNumber: '210987654320',
  basicFiveInfo: {
    name: '愛知花子',
    nameKana: 'アイチハナコ',
    address: '愛知県B市B町1-1-1 Bマンション101号室',
    dateOfBirth: '2013-01-01',
    sex: '2',
  },
  isNotDisclosed: false,
  medicalSubsidyInsurerNumber: '87654323',
  certificationName: '自立支援医療受給者証(育成医療)',
  medicalSubsidyRecipientNumber: '0000002',
  certificationSubKey: '1',
  segment: '1',
  incomeSegment: '2',
  additionalConditions: '01-1;02-3',
  designatedMedicalInstitutions: '2311234567',
  isAlwaysReimbursement: '0',
  maxCopaymentAmount: { monthly: 5000 },
  validFrom: '2024-04-01',
  validTo: '2025-03-31',
  historyKey: '1',
  isDeleted: false,
  certificationDetail: [{ label: '有効期間', value: '令和6年4月1日から令和7年3月31日まで' }],
} as const;

/** The programme the example names (制度マスタ "XXXXX"): a local programme (法別番号 87) with those condition codes. */
const EXAMPLE_PROGRAM = {
  certificateTypeId: 'XXXXX',
  certificationName: '自立支援医療受給者証(育成医療)',
  medicalSubsidyInsurerNumber: '87654323',
  legalBasisCode: '87',
  additionalConditionCodes: [
    { code: '01-1', name: '入院' },
    { code: '02-3', name: '通院' },
  ],
};

for (const backend of backends()) {
  describe(`hub: the published municipal API v0.1.1 (${backend})`, () => {
    let w: World;
    let aichi: Caller;
    let osaka: Caller;
    const recs = new Records(3303, 'PUB');
    recs.note(PUBLISHED_EXAMPLE.myNumber);

    before(async () => {
      w = await World.start({ backend });
      aichi = w.municipality('131016');
      osaka = w.municipality('271004');
      await defineProgram(w, aichi, EXAMPLE_PROGRAM);
      await defineProgram(w, osaka, EXAMPLE_PROGRAM);
      await defineProgram(w, aichi, CHILD_PROGRAM);
    });
    after(async () => {
      await w?.stop();
    });

    it('a record shaped exactly like the published example is registered, with no 宛名番号, its strings read as lists', async () => {
      const task = await w.register(aichi, 'medical-subsidy', [PUBLISHED_EXAMPLE]);
      assertOutcome(task, 0, 'created');
      const { rows } = await sql<{ municipality_identity_key: string | null; my_number_bidx: string; n: number }>`
        select s.municipality_identity_key, s.my_number_bidx, (select count(*)::int from subsidy_certificates c where c.subject_id = s.id) as n
        from subjects s where s.municipality_code = '131016' and s.name = '愛知花子'`.execute(w.hub.database.db);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].municipality_identity_key, null, 'a subject of the hub’s making has no key');
      assert.equal(rows[0].my_number_bidx, w.hub.context.cipher.blindIndex(PUBLISHED_EXAMPLE.myNumber, MY_NUMBER_CONTEXT));
      assert.equal(rows[0].n, 1);
      const cert = await sql<{
        additional_conditions: string[];
        designated_medical_institutions: unknown;
        is_always_reimbursement: boolean;
        is_deleted: boolean;
      }>`
        select c.additional_conditions, c.designated_medical_institutions, c.is_always_reimbursement, c.is_deleted
        from subsidy_certificates c join subjects s on s.id = c.subject_id where s.name = '愛知花子'`.execute(w.hub.database.db);
      assert.deepEqual(cert.rows[0].additional_conditions, ['01-1', '02-3']);
      assert.deepEqual(cert.rows[0].designated_medical_institutions, [{ institutionCode: '2311234567' }]);
      assert.equal(cert.rows[0].is_always_reimbursement, false);
      assert.equal(cert.rows[0].is_deleted, false);
    });

    it('the municipality finds it by My Number, in the body of POST /municipal/v1/subjects/search', async () => {
      const found = await hubAs(w, aichi).ok(hubApi.municipal.searchSubjects, { body: { myNumber: PUBLISHED_EXAMPLE.myNumber } });
      assert.equal(found.subjects.length, 1);
      const s = found.subjects[0];
      assert.equal(s.municipalityCode, '131016');
      assert.equal(s.municipalityIdentityKey, null);
      assert.equal(s.basicFiveInfo.name, '愛知花子');
      assert.equal(s.basicFiveInfo.nameKana, 'アイチハナコ');
      assert.equal(s.pmhIdStatus === 'pending' || s.pmhIdStatus === 'failed' || s.pmhIdStatus === 'issued', true);
      assert.deepEqual(
        s.medicalSubsidyCertificates.map((c) => [c.orgSpecificCertificateTypeId, c.certificationSubKey, c.historyKey, c.medicalSubsidyInsurerNumber]),
        [['XXXXX', '1', '1', '87654323']],
      );
      assert.equal('pmhId' in s, false, 'a municipality never sees the PMH-ID');
      // Full-width digits are read as the same number.
      const wide = await hubAs(w, aichi).ok(hubApi.municipal.searchSubjects, { body: { myNumber: fullWidthDigits(PUBLISHED_EXAMPLE.myNumber) } });
      assert.equal(wide.subjects.length, 1);
      // No answer repeats the My Number; no log line holds it (it was never in a URL).
      const raw = await w.call(aichi, 'POST', SEARCH, { myNumber: PUBLISHED_EXAMPLE.myNumber });
      assert.equal(raw.status, 200);
      assert.equal(raw.text.includes(PUBLISHED_EXAMPLE.myNumber), false);
      assert.equal(/myNumber/.test(raw.text), false);
    });

    it('…and by name in katakana (half-width or hiragana read as katakana), with or without the date of birth', async () => {
      const api = hubAs(w, aichi);
      for (const nameKana of ['アイチハナコ', 'ｱｲﾁﾊﾅｺ', 'あいちはなこ']) {
        const found = await api.ok(hubApi.municipal.searchSubjects, { body: { nameKana } });
        assert.deepEqual(
          found.subjects.map((s) => s.basicFiveInfo.name),
          ['愛知花子'],
          nameKana,
        );
      }
      assert.equal((await api.ok(hubApi.municipal.searchSubjects, { body: { nameKana: 'アイチハナコ', dateOfBirth: '2013-01-01' } })).subjects.length, 1);
      assert.equal((await api.ok(hubApi.municipal.searchSubjects, { body: { nameKana: 'アイチハナコ', dateOfBirth: '2013-01-02' } })).subjects.length, 0);
    });

    it('row-level security: another municipality finds nothing of it, by My Number or by name', async () => {
      const api = hubAs(w, osaka);
      assert.deepEqual((await api.ok(hubApi.municipal.searchSubjects, { body: { myNumber: PUBLISHED_EXAMPLE.myNumber } })).subjects, []);
      assert.deepEqual((await api.ok(hubApi.municipal.searchSubjects, { body: { nameKana: 'アイチハナコ' } })).subjects, []);
    });

    it('every search is audited, by subject, saying how it asked and never with the number', async () => {
      const before = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'subject.search'`.execute(w.hub.database.db);
      await hubAs(w, aichi).ok(hubApi.municipal.searchSubjects, { body: { myNumber: PUBLISHED_EXAMPLE.myNumber } });
      await hubAs(w, osaka).ok(hubApi.municipal.searchSubjects, { body: { myNumber: PUBLISHED_EXAMPLE.myNumber } });
      const rows = await sql<{ actor: string; subject_ref: string | null; outcome: string; detail: string }>`
        select actor, subject_ref, outcome, detail::text as detail from audit_log where action = 'subject.search' order by at desc, seq desc limit 2`.execute(
        w.hub.database.db,
      );
      const after = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'subject.search'`.execute(w.hub.database.db);
      assert.equal(after.rows[0].n - before.rows[0].n, 2);
      const byActor = new Map(rows.rows.map((r) => [r.actor, r]));
      assert.equal(byActor.get('municipality:131016')?.outcome, 'ok');
      assert.ok(byActor.get('municipality:131016')?.subject_ref);
      assert.equal(byActor.get('municipality:271004')?.outcome, 'not-found');
      for (const r of rows.rows) {
        assert.match(r.detail, /"by":\s*"my-number"/);
        assert.equal(r.detail.includes(PUBLISHED_EXAMPLE.myNumber), false);
      }
    });

    it('the same record again (published, no key) is the same subject: unchanged; a new version updates it', async () => {
      assertOutcome(await w.register(aichi, 'medical-subsidy', [PUBLISHED_EXAMPLE]), 0, 'unchanged');
      const renewed = { ...PUBLISHED_EXAMPLE, historyKey: '2', validFrom: '2025-04-01', validTo: '2026-03-31', isAlwaysReimbursement: '1' };
      assertOutcome(await w.register(aichi, 'medical-subsidy', [renewed]), 0, 'created');
      const withdrawn = { ...renewed, isDeleted: true };
      assertOutcome(await w.register(aichi, 'medical-subsidy', [withdrawn]), 0, 'deleted');
      const [s] = (await hubAs(w, aichi).ok(hubApi.municipal.searchSubjects, { body: { myNumber: PUBLISHED_EXAMPLE.myNumber } })).subjects;
      assert.deepEqual(
        s.medicalSubsidyCertificates.map((c) => [c.historyKey, c.isDeleted]),
        [
          ['1', false],
          ['2', true],
        ],
      );
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from subjects where municipality_code = '131016' and name = '愛知花子'`.execute(
        w.hub.database.db,
      );
      assert.equal(rows[0].n, 1, 'one person, one subject');
    });

    it('a later record that names a 宛名番号 gives the subject that key; GET by key reads it, search by key finds it', async () => {
      const key = recs.key();
      assertOutcome(await w.register(aichi, 'medical-subsidy', [{ ...PUBLISHED_EXAMPLE, municipalityIdentityKey: key }]), 0, 'updated');
      const s = await subjectOf(w, aichi, key);
      assert.equal(s.municipalityIdentityKey, key);
      assert.equal(s.basicFiveInfo.name, '愛知花子');
      const byKey = await hubAs(w, aichi).ok(hubApi.municipal.searchSubjects, { body: { municipalityIdentityKey: key } });
      assert.deepEqual(
        byKey.subjects.map((x) => x.municipalityIdentityKey),
        [key],
      );
      // From then on, a record without the key still reaches that subject; one naming another key is refused, naming the key.
      assertOutcome(await w.register(aichi, 'medical-subsidy', [{ ...PUBLISHED_EXAMPLE, historyKey: '3' }]), 0, 'created');
      const other = await w.register(aichi, 'medical-subsidy', [{ ...PUBLISHED_EXAMPLE, municipalityIdentityKey: recs.key() }]);
      assertFailedAt(other, 0, '/0/municipalityIdentityKey');
      assert.ok(other.results[0].errors[0].message.includes(key));
      assert.equal((await subjectOf(w, aichi, key)).medicalSubsidyCertificates.length, 3);
    });

    it('a subject registered with a key is reached by a later published record (no key) of the same person', async () => {
      const keyed = recs.child();
      assertOutcome(await w.register(aichi, 'medical-subsidy', [keyed]), 0, 'created');
      const { municipalityIdentityKey: _k, ...published } = keyed;
      assertOutcome(await w.register(aichi, 'medical-subsidy', [{ ...published, historyKey: '2' }]), 0, 'created');
      const s = await subjectOf(w, aichi, keyed.municipalityIdentityKey);
      assert.deepEqual(s.medicalSubsidyCertificates.map((c) => c.historyKey).sort(), ['1', '2']);
    });

    it('flags as published (isNotDisclosed and isDeleted booleans, isAlwaysReimbursement "0"/"1") and as their other spelling', async () => {
      const a = recs.child({ isNotDisclosed: true, isDeleted: false, isAlwaysReimbursement: '1' });
      const b = recs.child({ isNotDisclosed: '1', isDeleted: '0', isAlwaysReimbursement: true });
      const task = await w.register(aichi, 'medical-subsidy', [a, b]);
      assertOutcome(task, 0, 'created');
      assertOutcome(task, 1, 'created');
      for (const r of [a, b]) assert.equal((await subjectOf(w, aichi, r.municipalityIdentityKey)).isNotDisclosed, true);
    });

    it('a search of the wrong form is a 400, an invalid My Number a 422 naming the field, never repeating it', async () => {
      assertProblem(await w.call(aichi, 'POST', SEARCH, {}), 400, '/myNumber');
      assertProblem(await w.call(aichi, 'POST', SEARCH, { myNumber: PUBLISHED_EXAMPLE.myNumber, nameKana: 'アイチハナコ' }), 400, '/nameKana');
      assertProblem(await w.call(aichi, 'POST', SEARCH, { dateOfBirth: '2013-01-01' }), 400);
      assertProblem(await w.call(aichi, 'POST', SEARCH, { municipalityIdentityKey: 'K1', dateOfBirth: '2013-01-01' }), 400, '/dateOfBirth');
      assertProblem(await w.call(aichi, 'POST', SEARCH, { postcode: '1000001' }), 400, '/postcode');
      const wrong = '210987654321';
      recs.note(wrong);
      const invalid = await w.call(aichi, 'POST', SEARCH, { myNumber: wrong });
      assertProblem(invalid, 422, '/myNumber');
      assert.equal(invalid.text.includes(wrong), false);
      assertProblem(await w.call(aichi, 'POST', SEARCH, { nameKana: '愛知花子' }), 422, '/nameKana');
      // No token, or a caller of another role: refused before the body is read.
      assertProblem(await w.call(null, 'POST', SEARCH, { myNumber: PUBLISHED_EXAMPLE.myNumber }), 401);
    });

    it('an operator searches a named municipality, sees the PMH-ID when issued, never a DV-protected address', async () => {
      const hidden = recs.child({ isNotDisclosed: true });
      assertOutcome(await w.register(aichi, 'medical-subsidy', [hidden]), 0, 'created');
      const asOperator = await hubAs(w, w.operator).ok(hubApi.municipal.searchSubjects, {
        query: { municipalityCode: '131016' },
        body: { municipalityIdentityKey: hidden.municipalityIdentityKey },
      });
      assert.equal(asOperator.subjects.length, 1);
      assert.equal(asOperator.subjects[0].basicFiveInfo.address, null);
      assertProblem(await w.call(w.operator, 'POST', SEARCH, { municipalityIdentityKey: hidden.municipalityIdentityKey }), 400, '/query/municipalityCode');
      assertProblem(await w.call(aichi, 'POST', `${SEARCH}?municipalityCode=271004`, { myNumber: PUBLISHED_EXAMPLE.myNumber }), 403);
    });

    it('no My Number reached a log line', () => {
      assertLogsClean(w, recs.myNumbers);
    });
  });
}
