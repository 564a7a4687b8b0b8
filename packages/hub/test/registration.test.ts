/**
 * Medical-subsidy registration through the municipal API (docs/api-guide.md#medical-subsidy-registration):
 * programmes (制度マスタ), registration tasks and their per-record outcomes, certificate history,
 * several certificates per person, several municipalities, idempotent retries, record order.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { hubApi } from '@pmh/protocol';
import { World, backends, payerNumber, CHILD_PROGRAM, INTRACTABLE_PROGRAM, type Caller } from '../../testkit/src/index.ts';
import {
  Records,
  TASKS,
  UUID,
  assertFailedAt,
  assertLogsClean,
  assertOutcome,
  assertProblem,
  defineProgram,
  getSubject,
  hubAs,
  programPath,
  subjectOf,
  taskPath,
} from './support.ts';

for (const backend of backends()) {
  describe(`hub registration (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    let osaka: Caller;
    const recs = new Records(1101, 'REG');
    const OSAKA_CHILD_PAYER = payerNumber('88', '27', '100');

    before(async () => {
      w = await World.start({ backend });
      tokyo = w.municipality('131016');
      osaka = w.municipality('271004');
      await defineProgram(w, tokyo, CHILD_PROGRAM);
      await defineProgram(w, tokyo, INTRACTABLE_PROGRAM);
      await defineProgram(w, osaka, { ...CHILD_PROGRAM, medicalSubsidyInsurerNumber: OSAKA_CHILD_PAYER });
    });
    after(async () => {
      await w?.stop();
    });

    it('PUT programme creates it (201), a second PUT updates it (200), GET reads it', async () => {
      const body = {
        certificationName: 'ひとり親家庭等医療費助成',
        medicalSubsidyInsurerNumber: CHILD_PROGRAM.medicalSubsidyInsurerNumber,
        legalBasisCode: '88',
        additionalConditionCodes: [{ code: 'X1', name: '入院' }],
      };
      const api = hubAs(w, tokyo);
      const params = { orgSpecificCertificateTypeId: 'reg-program-1' };
      const created = await api.call(hubApi.municipal.putProgram, { params, body });
      assert.ok(created.status === 201, JSON.stringify(created.body));
      assert.equal(created.body.orgSpecificCertificateTypeId, 'reg-program-1');
      assert.equal(created.body.municipalityCode, '131016');
      assert.equal(created.body.certificationName, body.certificationName);
      assert.equal(created.body.medicalSubsidyInsurerNumber, body.medicalSubsidyInsurerNumber);
      assert.equal(created.body.legalBasisCode, '88');
      assert.deepEqual(created.body.additionalConditionCodes, body.additionalConditionCodes);

      const changed = {
        ...body,
        certificationName: 'ひとり親家庭医療費助成（改）',
        additionalConditionCodes: [
          { code: 'X1', name: '入院' },
          { code: 'X2', name: '通院' },
        ],
      };
      const updated = await api.call(hubApi.municipal.putProgram, { params, body: changed });
      assert.ok(updated.status === 200, JSON.stringify(updated.body));
      assert.equal(updated.body.certificationName, changed.certificationName);

      const read = await api.ok(hubApi.municipal.getProgram, { params });
      assert.equal(read.certificationName, changed.certificationName);
      assert.deepEqual(read.additionalConditionCodes, changed.additionalConditionCodes);
      assert.equal(read.medicalSubsidyInsurerNumber, body.medicalSubsidyInsurerNumber);

      // Still one programme, not two.
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from subsidy_programs
        where municipality_code = '131016' and org_specific_certificate_type_id = 'reg-program-1'`.execute(w.hub.database.db);
      assert.equal(rows[0].n, 1);

      assertProblem(await w.call(tokyo, 'GET', programPath('no-such-program')), 404);
    });

    it('POST task answers 202 with taskId and Location; GET task reports status, counts and per-record results', async () => {
      const good1 = recs.child();
      const good2 = recs.child();
      const bad = recs.child({ validFrom: '2026-04-01', validTo: '2025-03-31' });
      const res = await w.call(tokyo, 'POST', TASKS, [good1, bad, good2]);
      assert.equal(res.status, 202, res.text);
      assert.match(res.body.taskId, UUID);
      assert.equal(res.headers.get('location'), taskPath(res.body.taskId));
      assert.equal(res.body.total, 3);

      const task = await w.waitForTask(tokyo, res.body.taskId);
      // The Location answers the same task.
      const viaLocation = await w.call(tokyo, 'GET', res.headers.get('location')!);
      assert.equal(viaLocation.status, 200);
      assert.equal(viaLocation.body.taskId, res.body.taskId);

      assert.equal(task.taskId, res.body.taskId);
      assert.equal(task.process, 'medical-subsidy');
      assert.equal(task.status, 'done');
      assert.equal(task.total, 3);
      assert.equal(task.succeeded, 2);
      assert.equal(task.failed, 1);
      assert.ok(task.finishedAt);
      assert.deepEqual(
        task.results.map((r: { index: number }) => r.index),
        [0, 1, 2],
      );
      assertOutcome(task, 0, 'created');
      assertFailedAt(task, 1, '/1/validTo');
      assertOutcome(task, 2, 'created');
    });

    it('record outcomes: created, unchanged (same record again), updated (co-payment changed), deleted (isDeleted "1")', async () => {
      const r = recs.child({ maxCopaymentAmount: { monthly: 0 } });
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [r]), 0, 'created');
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [r]), 0, 'unchanged');
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [{ ...r, maxCopaymentAmount: { monthly: 500, outpatientMonthly: 200 } }]), 0, 'updated');
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [{ ...r, maxCopaymentAmount: { monthly: 500, outpatientMonthly: 200 } }]), 0, 'unchanged');

      const stored = await sql<{ max_copayment_amount: unknown }>`select c.max_copayment_amount from subsidy_certificates c
        join subjects s on s.id = c.subject_id where s.municipality_identity_key = ${r.municipalityIdentityKey}`.execute(w.hub.database.db);
      assert.equal(stored.rows.length, 1);
      assert.deepEqual(stored.rows[0].max_copayment_amount, { monthly: 500, outpatientMonthly: 200 });

      // A change of the person's basic information is an update too.
      const renamed = {
        ...r,
        maxCopaymentAmount: { monthly: 500, outpatientMonthly: 200 },
        basicFiveInfo: { ...r.basicFiveInfo, address: '東京都千代田区丸の内1-1' },
      };
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [renamed]), 0, 'updated');

      assertOutcome(await w.register(tokyo, 'medical-subsidy', [{ ...renamed, isDeleted: '1' }]), 0, 'deleted');
      const s = await subjectOf(w, tokyo, r.municipalityIdentityKey);
      assert.equal(s.basicFiveInfo.address, '東京都千代田区丸の内1-1');
      assert.equal(s.medicalSubsidyCertificates.length, 1);
      assert.equal(s.medicalSubsidyCertificates[0].isDeleted, true);
    });

    it('records of one task are applied in order: a later record sees the earlier one', async () => {
      const r = recs.child();
      const changed = { ...r, validTo: '2025-09-30' };
      const task = await w.register(tokyo, 'medical-subsidy', [r, changed, changed]);
      assertOutcome(task, 0, 'created');
      assertOutcome(task, 1, 'updated');
      assertOutcome(task, 2, 'unchanged');
      const s = await subjectOf(w, tokyo, r.municipalityIdentityKey);
      assert.equal(s.medicalSubsidyCertificates.length, 1);
      assert.equal(s.medicalSubsidyCertificates[0].validTo, '2025-09-30');
    });

    it('historyKey versions: registering historyKey "2" with a new validity keeps version "1"', async () => {
      const v1 = recs.child({ historyKey: '1', validFrom: '2024-04-01', validTo: '2025-03-31', medicalSubsidyRecipientNumber: 'R-2024' });
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [v1]), 0, 'created');
      const v2 = { ...v1, historyKey: '2', validFrom: '2025-04-01', validTo: '2026-03-31', medicalSubsidyRecipientNumber: 'R-2025' };
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [v2]), 0, 'created');

      const s = await subjectOf(w, tokyo, v1.municipalityIdentityKey);
      const versions = s.medicalSubsidyCertificates.map((c) => [c.historyKey, c.validFrom, c.validTo, c.medicalSubsidyRecipientNumber, c.isDeleted]);
      assert.deepEqual(versions, [
        ['1', '2024-04-01', '2025-03-31', 'R-2024', false],
        ['2', '2025-04-01', '2026-03-31', 'R-2025', false],
      ]);

      // Re-sending version 1 changes nothing; correcting it touches version 1 only.
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [v1]), 0, 'unchanged');
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [{ ...v1, validTo: '2025-02-28' }]), 0, 'updated');
      const again = await subjectOf(w, tokyo, v1.municipalityIdentityKey);
      assert.deepEqual(
        again.medicalSubsidyCertificates.map((c) => [c.historyKey, c.validTo]),
        [
          ['1', '2025-02-28'],
          ['2', '2026-03-31'],
        ],
      );
    });

    it('a person may hold several certificates: two programmes, and one programme with two certificationSubKeys', async () => {
      const child = recs.child();
      const nanbyo = recs.samePerson(child, {
        orgSpecificCertificateTypeId: INTRACTABLE_PROGRAM.certificateTypeId,
        certificationName: INTRACTABLE_PROGRAM.certificationName,
        medicalSubsidyInsurerNumber: INTRACTABLE_PROGRAM.medicalSubsidyInsurerNumber,
        medicalSubsidyRecipientNumber: recs.recipientNumber(),
        additionalConditions: [],
      });
      const childB = recs.samePerson(child, { certificationSubKey: 'B', medicalSubsidyRecipientNumber: 'SUB-B-1' });
      const task = await w.register(tokyo, 'medical-subsidy', [child, nanbyo, childB]);
      assertOutcome(task, 0, 'created');
      assertOutcome(task, 1, 'created');
      assertOutcome(task, 2, 'created');

      const s = await subjectOf(w, tokyo, child.municipalityIdentityKey);
      const certs = s.medicalSubsidyCertificates.map((c) => [c.orgSpecificCertificateTypeId, c.certificationSubKey, c.medicalSubsidyInsurerNumber]);
      assert.deepEqual(certs, [
        ['child-medical', '', CHILD_PROGRAM.medicalSubsidyInsurerNumber],
        ['child-medical', 'B', CHILD_PROGRAM.medicalSubsidyInsurerNumber],
        ['nanbyo', '', INTRACTABLE_PROGRAM.medicalSubsidyInsurerNumber],
      ]);
      // One person, one subject.
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from subjects
        where municipality_identity_key = ${child.municipalityIdentityKey}`.execute(w.hub.database.db);
      assert.equal(rows[0].n, 1);
    });

    it('two municipalities registering the same My Number make two subjects, each seeing only its own', async () => {
      const shared = recs.myNumber();
      // Even the same 宛名番号 in both: keys are each municipality's own.
      const key = recs.key();
      const inTokyo = recs.child({
        myNumber: shared,
        municipalityIdentityKey: key,
        basicFiveInfo: { name: '東京　花子', nameKana: 'トウキョウ　ハナコ', dateOfBirth: '2015-05-05', sex: '2', address: '東京都千代田区' },
      });
      const inOsaka = recs.child({
        myNumber: shared,
        municipalityIdentityKey: key,
        basicFiveInfo: { name: '大阪　花子', nameKana: 'オオサカ　ハナコ', dateOfBirth: '2015-05-05', sex: '2', address: '大阪府大阪市北区' },
        medicalSubsidyInsurerNumber: undefined,
      });
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [inTokyo]), 0, 'created');
      assertOutcome(await w.register(osaka, 'medical-subsidy', [inOsaka]), 0, 'created');

      const t = await subjectOf(w, tokyo, key);
      const o = await subjectOf(w, osaka, key);
      assert.equal(t.municipalityCode, '131016');
      assert.equal(t.basicFiveInfo.name, '東京　花子');
      assert.equal(o.municipalityCode, '271004');
      assert.equal(o.basicFiveInfo.name, '大阪　花子');
      assert.equal(t.medicalSubsidyCertificates.length, 1);
      assert.equal(o.medicalSubsidyCertificates.length, 1);
      // No payer number in the record: the programme's own (Osaka's) applies.
      assert.equal(o.medicalSubsidyCertificates[0].medicalSubsidyInsurerNumber, OSAKA_CHILD_PAYER);

      const { rows } = await sql<{ municipality_code: string }>`select municipality_code from subjects
        where municipality_identity_key = ${key} order by municipality_code`.execute(w.hub.database.db);
      assert.deepEqual(
        rows.map((r) => r.municipality_code),
        ['131016', '271004'],
      );
    });

    it('the same municipalityIdentityKey with a different My Number fails at /i/myNumber and changes nothing', async () => {
      const r = recs.child();
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [r]), 0, 'created');
      const before = await subjectOf(w, tokyo, r.municipalityIdentityKey);
      const stored = await sql<{ my_number_bidx: string; updated_at: unknown }>`select my_number_bidx, updated_at from subjects
        where municipality_code = '131016' and municipality_identity_key = ${r.municipalityIdentityKey}`.execute(w.hub.database.db);

      const other = recs.myNumber();
      const impostor = { ...r, myNumber: other, basicFiveInfo: { ...r.basicFiveInfo, name: '別人　太郎' }, historyKey: '9', validTo: '2025-12-31' };
      const bystander = recs.child();
      const task = await w.register(tokyo, 'medical-subsidy', [bystander, impostor]);
      assertOutcome(task, 0, 'created');
      assertFailedAt(task, 1, '/1/myNumber');
      assert.equal(task.succeeded, 1);
      assert.equal(task.failed, 1);

      const after = await subjectOf(w, tokyo, r.municipalityIdentityKey);
      assert.deepEqual(after, before, 'the subject changed');
      const storedAfter = await sql<{ my_number_bidx: string; updated_at: unknown }>`select my_number_bidx, updated_at from subjects
        where municipality_code = '131016' and municipality_identity_key = ${r.municipalityIdentityKey}`.execute(w.hub.database.db);
      assert.deepEqual(storedAfter.rows, stored.rows);

      // Within one task as well: the second record for the key with another number fails alone.
      const fresh = recs.child();
      const clash = { ...fresh, myNumber: recs.myNumber(), certificationSubKey: 'Z' };
      const t2 = await w.register(tokyo, 'medical-subsidy', [fresh, clash]);
      assertOutcome(t2, 0, 'created');
      assertFailedAt(t2, 1, '/1/myNumber');
      const s = await subjectOf(w, tokyo, fresh.municipalityIdentityKey);
      assert.equal(s.medicalSubsidyCertificates.length, 1);
    });

    it('Idempotency-Key: same key and body answer the same task; a different body is 409', async () => {
      const body = [recs.child(), recs.child()];
      const key = 'reg-idem-0001';
      const first = await w.call(tokyo, 'POST', TASKS, body, { 'idempotency-key': key });
      assert.equal(first.status, 202, first.text);
      const second = await w.call(tokyo, 'POST', TASKS, body, { 'idempotency-key': key });
      assert.equal(second.status, 202, second.text);
      assert.equal(second.body.taskId, first.body.taskId);
      assert.equal(second.headers.get('location'), taskPath(first.body.taskId));

      const conflict = await w.call(tokyo, 'POST', TASKS, [body[0]], { 'idempotency-key': key });
      assertProblem(conflict, 409);
      assert.doesNotMatch(conflict.text, /taskId/);

      const task = await w.waitForTask(tokyo, first.body.taskId);
      assert.equal(task.succeeded, 2);
      const third = await w.call(tokyo, 'POST', TASKS, body, { 'idempotency-key': key });
      assert.equal(third.status, 202, third.text);
      assert.equal(third.body.taskId, first.body.taskId);

      const db = w.hub.database.db;
      const tasks = await sql<{ n: number }>`select count(*)::int as n from registration_tasks where idempotency_key = ${key}`.execute(db);
      assert.equal(tasks.rows[0].n, 1, 'a retried request made a second task');
      const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log
        where action = 'medical-subsidy.register' and detail->>'taskId' = ${first.body.taskId}`.execute(db);
      assert.equal(audit.rows[0].n, 2, 'the records were applied more than once');

      // Keys belong to one municipality: another one using the same key gets its own task.
      const osakaTask = await w.call(osaka, 'POST', TASKS, [recs.child()], { 'idempotency-key': key });
      assert.equal(osakaTask.status, 202, osakaTask.text);
      assert.notEqual(osakaTask.body.taskId, first.body.taskId);
      assert.equal((await w.waitForTask(osaka, osakaTask.body.taskId)).succeeded, 1);
    });

    it('order holds across chunks of one task and across tasks sent back to back', async () => {
      // Record 0 and record 1000 land in different chunks (1,000 records each) of the same task.
      const r = recs.child({ medicalSubsidyRecipientNumber: 'FIRST' });
      const fillers = Array.from({ length: 999 }, () => recs.child());
      const last = { ...r, medicalSubsidyRecipientNumber: 'LAST' };
      const task = await w.register(tokyo, 'medical-subsidy', [r, ...fillers, last]);
      assert.equal(task.total, 1001);
      assert.equal(task.succeeded, 1001, JSON.stringify(task.results.filter((x: any) => x.outcome === 'failed')));
      assertOutcome(task, 0, 'created');
      assertOutcome(task, 1000, 'updated');
      const s = await subjectOf(w, tokyo, r.municipalityIdentityKey);
      assert.equal(s.medicalSubsidyCertificates[0].medicalSubsidyRecipientNumber, 'LAST');

      // Two tasks sent without waiting: the second one's data is what stays.
      const p = recs.child({ medicalSubsidyRecipientNumber: 'A' });
      const a = await w.call(tokyo, 'POST', TASKS, [p]);
      const b = await w.call(tokyo, 'POST', TASKS, [{ ...p, medicalSubsidyRecipientNumber: 'B' }]);
      assert.equal(a.status, 202);
      assert.equal(b.status, 202);
      assertOutcome(await w.waitForTask(tokyo, a.body.taskId), 0, 'created');
      assertOutcome(await w.waitForTask(tokyo, b.body.taskId), 0, 'updated');
      const ps = await subjectOf(w, tokyo, p.municipalityIdentityKey);
      assert.equal(ps.medicalSubsidyCertificates[0].medicalSubsidyRecipientNumber, 'B');
    });

    it('one person, one subject per municipality: a second key for the same My Number is refused, naming the existing key, never the My Number', async () => {
      const db = w.hub.database.db;
      const first = recs.child();
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [first]), 0, 'created');

      // In a later task: another key, the same person.
      const again = recs.child({ myNumber: first.myNumber, certificationSubKey: 'B' });
      const t1 = await w.register(tokyo, 'medical-subsidy', [recs.child(), again]);
      assertOutcome(t1, 0, 'created');
      assertFailedAt(t1, 1, '/1/municipalityIdentityKey');
      const message = t1.results[1].errors[0].message as string;
      assert.ok(message.includes(first.municipalityIdentityKey), `names the existing key: ${message}`);
      assert.equal(JSON.stringify(t1).includes(first.myNumber), false, 'never the My Number');
      assertProblem(await getSubject(w, tokyo, again.municipalityIdentityKey), 404);

      // Within one task, in one chunk and across chunks (record 0 and record 1000).
      const a = recs.child();
      const b = recs.child({ myNumber: a.myNumber });
      const fillers = Array.from({ length: 998 }, () => recs.child());
      const c = recs.child({ myNumber: a.myNumber });
      const t2 = await w.register(tokyo, 'medical-subsidy', [a, b, ...fillers, c]);
      assertOutcome(t2, 0, 'created');
      assertFailedAt(t2, 1, '/1/municipalityIdentityKey');
      assertFailedAt(t2, 1000, '/1000/municipalityIdentityKey');
      assert.equal(t2.failed, 2);
      for (const i of [1, 1000]) assert.ok(t2.results[i].errors[0].message.includes(a.municipalityIdentityKey));

      const bidx = w.hub.context.cipher.blindIndex(a.myNumber, 'subjects.my_number');
      const { rows } = await sql<{ key: string }>`select municipality_identity_key as key from subjects
        where municipality_code = '131016' and my_number_bidx = ${bidx}`.execute(db);
      assert.deepEqual(
        rows.map((r) => r.key),
        [a.municipalityIdentityKey],
      );

      // The same person under the same key stays one subject with several certificates; another
      // municipality may register the person too (two subjects of one person).
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [{ ...a, certificationSubKey: 'B' }]), 0, 'created');
      assertOutcome(
        await w.register(osaka, 'medical-subsidy', [recs.child({ myNumber: a.myNumber, medicalSubsidyInsurerNumber: OSAKA_CHILD_PAYER })]),
        0,
        'created',
      );

      // PostgreSQL refuses it as well, whatever the application does.
      await assert.rejects(
        sql`insert into subjects (municipality_code, municipality_identity_key, my_number_enc, my_number_bidx, name, date_of_birth, sex)
            values ('131016', 'REG-DIRECT', 'x', ${bidx}, '直接　入力', '2015-01-01', '1')`.execute(db),
        (e: { code?: string; constraint?: string }) => e.code === '23505' && e.constraint === 'subjects_one_per_person',
      );
    });

    it('keys: a subject registered with a full-width key is found by the full-width key and by the half-width one', async () => {
      const key = recs.key();
      const wide = key.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
      const r = recs.child({ municipalityIdentityKey: wide });
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [r]), 0, 'created');
      for (const asked of [wide, key, ` ${key}　`]) {
        assert.equal((await subjectOf(w, tokyo, asked)).municipalityIdentityKey, key, JSON.stringify(asked));
      }
      // Written either way, it is the same subject.
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [{ ...r, municipalityIdentityKey: key }]), 0, 'unchanged');
      assert.equal((await subjectOf(w, w.operator, wide, '131016')).municipalityIdentityKey, key);
    });

    it('a record the database still refuses after validation fails alone, naming its field, without dropping its chunk to one-by-one', async () => {
      const db = w.hub.database.db;
      // Planted for this test: PostgreSQL refuses one (valid) name, and counts the insert statements on subjects.
      const POISON = '毒見　太郎';
      await sql
        .raw(`
        create table test_insert_statements (n int not null);
        insert into test_insert_statements values (0);
        create function test_poison() returns trigger language plpgsql as $$
          begin if new.name = '${POISON}' then raise exception 'planted' using errcode = 'check_violation', column = 'name'; end if; return new; end $$;
        create function test_count() returns trigger language plpgsql security definer as $$
          begin update test_insert_statements set n = n + 1; return null; end $$;
        create trigger test_poison before insert or update on subjects for each row execute function test_poison();
        create trigger test_count after insert on subjects for each statement execute function test_count();`)
        .execute(db);
      try {
        const records = Array.from({ length: 1000 }, () => recs.child());
        const bad = [17, 500, 999];
        for (const i of bad) records[i] = { ...records[i], basicFiveInfo: { ...records[i].basicFiveInfo, name: POISON } };
        const task = await w.register(tokyo, 'medical-subsidy', records);
        assert.equal(task.failed, bad.length, JSON.stringify(task.results.filter((r: any) => r.outcome === 'failed')));
        for (const i of bad) {
          assertFailedAt(task, i, `/${i}/basicFiveInfo/name`);
          assert.match(task.results[i].errors[0].message, /SQLSTATE 23514/);
          assert.doesNotMatch(task.results[i].errors[0].message, /conflicts/);
        }
        assert.equal(task.succeeded, 1000 - bad.length);
        const { rows } = await sql<{ n: number }>`select n from test_insert_statements`.execute(db);
        // Halving: about 2·log2(1000) ≈ 20 tries per bad record at most; one by one would be ~1,000.
        assert.ok(rows[0].n < 80, `${rows[0].n} insert statements for 1,000 records with ${bad.length} refused`);
        assert.equal(w.logs.text().includes(POISON), false, 'the log names the column, not the value');
      } finally {
        await sql
          .raw(`drop trigger test_poison on subjects; drop trigger test_count on subjects;
          drop function test_poison(); drop function test_count(); drop table test_insert_statements;`)
          .execute(db);
      }
    });

    it('no My Number of this file appears in any log line', () => {
      assertLogsClean(w, recs.myNumbers);
    });
  });
}
