/**
 * Validation of what municipalities send (docs/api-guide.md#conventions): programmes are
 * refused whole with a problem naming the field; a task's records are each validated and applied
 * whole or not at all, with per-record results naming the field by JSON pointer; malformed or
 * oversized requests are refused cleanly, never with a 500.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { World, backends, CHILD_PROGRAM, INTRACTABLE_PROGRAM, type Caller } from '../../testkit/src/index.ts';
import { MAX_TASK_RECORDS } from '../../protocol/src/index.ts';
import { todayInJapan } from '../src/domain/medical-subsidy/record.ts';
import {
  Records,
  TASKS,
  assertFailedAt,
  assertLogsClean,
  assertOutcome,
  assertProblem,
  defineProgram,
  fullWidthDigits,
  getSubject,
  programPath,
  resultOf,
  taskPath,
  withWrongCheckDigit,
} from './support.ts';

/** A My Number written 4-4-4 with dots, as some forms print it. */
const grouped = (n: string) => `${n.slice(0, 4)}.${n.slice(4, 8)}.${n.slice(8)}`;

/** The day after `iso` (YYYY-MM-DD). */
function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function countTasks(w: World): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from registration_tasks`.execute(w.hub.database.db);
  return rows[0].n;
}

for (const backend of backends()) {
  describe(`hub validation (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    const recs = new Records(2202, 'VAL');

    before(async () => {
      w = await World.start({ backend });
      tokyo = w.municipality('131016');
      await defineProgram(w, tokyo, CHILD_PROGRAM);
      await defineProgram(w, tokyo, INTRACTABLE_PROGRAM);
    });
    after(async () => {
      await w?.stop();
    });

    describe('programmes', () => {
      const valid = {
        certificationName: 'ひとり親家庭等医療費助成',
        medicalSubsidyInsurerNumber: CHILD_PROGRAM.medicalSubsidyInsurerNumber,
        legalBasisCode: '88',
      };

      it('a payer number with a wrong check digit is 422 naming /medicalSubsidyInsurerNumber', async () => {
        const res = await w.call(tokyo, 'PUT', programPath('val-p1'), {
          ...valid,
          medicalSubsidyInsurerNumber: withWrongCheckDigit(valid.medicalSubsidyInsurerNumber),
        });
        assertProblem(res, 422, '/medicalSubsidyInsurerNumber');
        assertProblem(
          await w.call(tokyo, 'PUT', programPath('val-p1'), { ...valid, medicalSubsidyInsurerNumber: '8813101' }),
          422,
          '/medicalSubsidyInsurerNumber',
        );
        assertProblem(await w.call(tokyo, 'GET', programPath('val-p1')), 404);
      });

      it("a legalBasisCode that is not the payer number's first two digits is 422 naming /legalBasisCode", async () => {
        const res = await w.call(tokyo, 'PUT', programPath('val-p2'), { ...valid, legalBasisCode: '54' });
        assertProblem(res, 422, '/legalBasisCode');
        assertProblem(await w.call(tokyo, 'GET', programPath('val-p2')), 404);
      });

      it('an unknown field is 400 naming it; wrong types and missing fields are 400 naming them', async () => {
        assertProblem(await w.call(tokyo, 'PUT', programPath('val-p3'), { ...valid, budgetYen: 1000 }), 400, '/budgetYen');
        assertProblem(await w.call(tokyo, 'PUT', programPath('val-p3'), { ...valid, certificationName: 12 }), 400, '/certificationName');
        assertProblem(await w.call(tokyo, 'PUT', programPath('val-p3'), { ...valid, legalBasisCode: 88 }), 400, '/legalBasisCode');
        assertProblem(await w.call(tokyo, 'PUT', programPath('val-p3'), { ...valid, legalBasisCode: '8' }), 400, '/legalBasisCode');
        assertProblem(
          await w.call(tokyo, 'PUT', programPath('val-p3'), { ...valid, additionalConditionCodes: [{ code: 'A1' }] }),
          400,
          '/additionalConditionCodes/0/name',
        );
        const { certificationName: _omit, ...missing } = valid;
        assertProblem(await w.call(tokyo, 'PUT', programPath('val-p3'), missing), 400, '/certificationName');
        assertProblem(await w.call(tokyo, 'PUT', programPath('val-p3'), [valid]), 400);
        assertProblem(await w.call(tokyo, 'PUT', programPath('val-p3'), '{"certificationName":'), 400);
        assertProblem(await w.call(tokyo, 'PUT', programPath('bad id!'), valid), 400);
        assertProblem(await w.call(tokyo, 'GET', programPath('val-p3')), 404);
      });

      it('text no database or reader should get is 400 naming the field, never a 500, and nothing is stored', async () => {
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ ...valid, certificationName: 'ひとり親\u0000' }, '/certificationName'],
          [{ ...valid, certificationName: 'ひとり親\ud800' }, '/certificationName'],
          [{ ...valid, certificationName: 'ひとり親\u202e' }, '/certificationName'],
          [{ ...valid, certificationName: 'ひとり親\u001b[31m' }, '/certificationName'],
          [{ ...valid, medicalSubsidyInsurerNumber: '8813\u00001016' }, '/medicalSubsidyInsurerNumber'],
          [{ ...valid, additionalConditionCodes: [{ code: 'A\u0000', name: '入院' }] }, '/additionalConditionCodes/0/code'],
          [{ ...valid, additionalConditionCodes: [{ code: 'A1', name: '入院\udfff' }] }, '/additionalConditionCodes/0/name'],
        ];
        for (const [body, pointer] of cases) {
          const res = await w.call(tokyo, 'PUT', programPath('val-p5'), body);
          assertProblem(res, 400, pointer);
          assert.match(res.body.errors[0].message, /not allowed/);
        }
        assertProblem(await w.call(tokyo, 'PUT', programPath('val-p5%00'), valid), 400);
        assertProblem(await w.call(tokyo, 'GET', programPath('val-p5%00')), 400);
        assertProblem(await w.call(tokyo, 'GET', programPath('val-p5')), 404);
      });

      it("a My Number in the programme's words is 422 naming the field, never echoed", async () => {
        const n = recs.myNumber();
        for (const [body, pointer] of [
          [{ ...valid, certificationName: `助成 ${n}` }, '/certificationName'],
          [{ ...valid, additionalConditionCodes: [{ code: 'A1', name: `入院 ${fullWidthDigits(n)}` }] }, '/additionalConditionCodes/0/name'],
        ] as const) {
          const res = await w.call(tokyo, 'PUT', programPath('val-p6'), body);
          assertProblem(res, 422, pointer);
          assert.equal(res.text.includes(n.slice(0, 6)) || res.text.includes(fullWidthDigits(n).slice(0, 6)), false);
        }
        assertProblem(await w.call(tokyo, 'GET', programPath('val-p6')), 404);
      });

      it('a My Number as the programme ID (shown with every certificate of it) is 422 naming the path parameter, never echoed nor stored (found by the fuzz suite)', async () => {
        const n = recs.myNumber();
        for (const id of [n, `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`, `p.${n}`]) {
          const res = await w.call(tokyo, 'PUT', programPath(id), valid);
          assertProblem(res, 422, '/params/orgSpecificCertificateTypeId');
          assert.equal(res.text.includes(n.slice(0, 4)), false, res.text);
          assertProblem(await w.call(tokyo, 'GET', programPath(id)), 404);
        }
      });

      it('full-width digits in the payer number are accepted and stored as ASCII', async () => {
        const res = await w.call(tokyo, 'PUT', programPath('val-p4'), {
          ...valid,
          medicalSubsidyInsurerNumber: fullWidthDigits(valid.medicalSubsidyInsurerNumber),
        });
        assert.equal(res.status, 201, res.text);
        assert.equal(res.body.medicalSubsidyInsurerNumber, valid.medicalSubsidyInsurerNumber);
      });
    });

    describe('each record is validated and applied whole or not at all', () => {
      const today = todayInJapan();
      const n = () => recs.myNumber();
      /** Each case: a record with one defect, and the field the result must name. */
      const failing: Array<{ name: string; record: () => Record<string, any>; at: string }> = [
        { name: 'My Number with a wrong check digit', record: () => recs.child({ myNumber: recs.note(withWrongCheckDigit(n())) }), at: '/myNumber' },
        { name: 'My Number of 11 digits', record: () => recs.child({ myNumber: n().slice(1) }), at: '/myNumber' },
        { name: 'My Number with letters', record: () => recs.child({ myNumber: 'ABCDEFGHIJKL' }), at: '/myNumber' },
        {
          name: 'payer number with a wrong check digit',
          record: () => recs.child({ medicalSubsidyInsurerNumber: withWrongCheckDigit(CHILD_PROGRAM.medicalSubsidyInsurerNumber) }),
          at: '/medicalSubsidyInsurerNumber',
        },
        {
          name: "payer number whose 法別番号 is not the programme's",
          record: () => recs.child({ medicalSubsidyInsurerNumber: INTRACTABLE_PROGRAM.medicalSubsidyInsurerNumber }),
          at: '/medicalSubsidyInsurerNumber',
        },
        {
          name: 'national programme: 7-digit recipient number with a wrong check digit',
          record: () => recs.intractable({ medicalSubsidyRecipientNumber: withWrongCheckDigit(recs.recipientNumber()) }),
          at: '/medicalSubsidyRecipientNumber',
        },
        {
          name: 'national programme: recipient number not 7 digits',
          record: () => recs.intractable({ medicalSubsidyRecipientNumber: '12345678' }),
          at: '/medicalSubsidyRecipientNumber',
        },
        { name: 'validFrom after validTo', record: () => recs.child({ validFrom: '2025-04-02', validTo: '2025-04-01' }), at: '/validTo' },
        { name: 'a date that does not exist', record: () => recs.child({ validFrom: '2025-02-30' }), at: '/validFrom' },
        { name: 'a date in another format', record: () => recs.child({ validTo: '2026/03/31' }), at: '/validTo' },
        {
          name: 'birth date in the future (tomorrow in Japan)',
          record: () => recs.child({ basicFiveInfo: { name: '未来　太郎', dateOfBirth: nextDay(today), sex: '1' } }),
          at: '/basicFiveInfo/dateOfBirth',
        },
        {
          name: 'nameKana in kanji',
          record: () => recs.child({ basicFiveInfo: { name: '山田　太郎', nameKana: '山田　太郎', dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/nameKana',
        },
        {
          name: 'nameKana in Latin letters',
          record: () => recs.child({ basicFiveInfo: { name: '山田　太郎', nameKana: 'YAMADA TARO', dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/nameKana',
        },
        {
          name: 'sex "3" (not ISO 5218)',
          record: () => recs.child({ basicFiveInfo: { name: '山田　太郎', dateOfBirth: '2015-01-01', sex: '3' } }),
          at: '/basicFiveInfo/sex',
        },
        {
          name: 'sex as a number',
          record: () => recs.child({ basicFiveInfo: { name: '山田　太郎', dateOfBirth: '2015-01-01', sex: 1 } }),
          at: '/basicFiveInfo/sex',
        },
        {
          name: 'name of spaces only',
          record: () => recs.child({ basicFiveInfo: { name: '　 ', dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/name',
        },
        {
          name: 'unknown field in basicFiveInfo',
          record: () => recs.child({ basicFiveInfo: { name: '山田　太郎', dateOfBirth: '2015-01-01', sex: '1', bloodType: 'A' } }),
          at: '/basicFiveInfo/bloodType',
        },
        { name: 'unknown programme id', record: () => recs.child({ orgSpecificCertificateTypeId: 'no-such-programme' }), at: '/orgSpecificCertificateTypeId' },
        { name: 'unknown field in the record', record: () => recs.child({ nickname: 'たろちゃん' }), at: '/nickname' },
        {
          name: 'additional-condition code not in the programme',
          record: () => recs.child({ additionalConditions: ['A1', 'Z9'] }),
          at: '/additionalConditions/1',
        },
        {
          name: 'missing required field (historyKey)',
          record: () => {
            const r = recs.child();
            delete r.historyKey;
            return r;
          },
          at: '/historyKey',
        },
        // The published API's strings: checked as their arrays are, the error naming the field (a pointer cannot reach into a string).
        {
          name: 'additionalConditions as the published string, with a code the programme does not have',
          record: () => recs.child({ additionalConditions: 'A1;Z9' }),
          at: '/additionalConditions',
        },
        {
          name: 'designatedMedicalInstitutions as the published string, with an entry that is not a medical-institution code',
          record: () => recs.child({ designatedMedicalInstitutions: '1312345674;12345' }),
          at: '/designatedMedicalInstitutions',
        },
        { name: 'municipalityIdentityKey of spaces only', record: () => recs.child({ municipalityIdentityKey: '　' }), at: '/municipalityIdentityKey' },
        { name: 'isAlwaysReimbursement "2"', record: () => recs.child({ isAlwaysReimbursement: '2' }), at: '/isAlwaysReimbursement' },
        { name: 'isDeleted as a number', record: () => recs.child({ isDeleted: 0 }), at: '/isDeleted' },
        { name: 'negative co-payment limit', record: () => recs.child({ maxCopaymentAmount: { monthly: -1 } }), at: '/maxCopaymentAmount/monthly' },
        { name: 'co-payment limit as a string', record: () => recs.child({ maxCopaymentAmount: { monthly: '1000' } }), at: '/maxCopaymentAmount/monthly' },
        {
          name: 'designated institution that is not a medical-institution code',
          record: () => recs.child({ designatedMedicalInstitutions: ['12345'] }),
          at: '/designatedMedicalInstitutions/0',
        },
        { name: 'certificationDetail not an array', record: () => recs.child({ certificationDetail: 'なし' }), at: '/certificationDetail' },
        // The wire's text rule: nothing PostgreSQL cannot hold, no controls, no bidi controls (issue 9).
        {
          name: 'U+0000 in the name',
          record: () => recs.child({ basicFiveInfo: { name: '山田\u0000太郎', dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/name',
        },
        {
          name: 'a lone surrogate in the name',
          record: () => recs.child({ basicFiveInfo: { name: '山田\ud800', dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/name',
        },
        {
          name: 'a lone low surrogate in the address',
          record: () => recs.child({ basicFiveInfo: { name: '山田　太郎', address: '千代田\udc00', dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/address',
        },
        {
          name: 'a control character (BEL) in the address',
          record: () => recs.child({ basicFiveInfo: { name: '山田　太郎', address: '千代田\u0007', dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/address',
        },
        {
          name: 'a line break in the name (single-line)',
          record: () => recs.child({ basicFiveInfo: { name: '山田\n太郎', dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/name',
        },
        {
          name: 'a C1 control (U+0085) in the programme name',
          record: () => recs.child({ certificationName: '子ども\u0085医療費助成' }),
          at: '/certificationName',
        },
        {
          name: 'U+202E (right-to-left override) in the name',
          record: () => recs.child({ basicFiveInfo: { name: '山田\u202e太郎', dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/name',
        },
        {
          name: 'U+2066 (a bidi isolate) in the key',
          record: () => recs.child({ municipalityIdentityKey: `\u2066${recs.key()}` }),
          at: '/municipalityIdentityKey',
        },
        { name: 'U+0000 in the key', record: () => recs.child({ municipalityIdentityKey: `${recs.key()}\u0000` }), at: '/municipalityIdentityKey' },
        {
          name: 'U+0000 in a certificationDetail value',
          record: () => recs.child({ certificationDetail: [{ label: '備考', value: 'なし\u0000' }] }),
          at: '/certificationDetail/0/value',
        },
        {
          name: 'U+0000 in the programme id',
          record: () => recs.child({ orgSpecificCertificateTypeId: 'child-medical\u0000' }),
          at: '/orgSpecificCertificateTypeId',
        },
        { name: 'U+0000 in the name of an unknown field (never echoed)', record: () => recs.child({ ['nick\u0000name']: 'x' }), at: '' },
        // Every number a range; every date a window.
        { name: 'co-payment limit of 1e308 yen', record: () => recs.child({ maxCopaymentAmount: { monthly: 1e308 } }), at: '/maxCopaymentAmount/monthly' },
        {
          name: 'co-payment limit of 100,000,000 yen',
          record: () => recs.child({ maxCopaymentAmount: { monthly: 0, inpatientMonthly: 100_000_000 } }),
          at: '/maxCopaymentAmount/inpatientMonthly',
        },
        { name: 'co-payment limit with a fraction', record: () => recs.child({ maxCopaymentAmount: { monthly: 1000.5 } }), at: '/maxCopaymentAmount/monthly' },
        { name: 'validFrom 0001-01-01', record: () => recs.child({ validFrom: '0001-01-01' }), at: '/validFrom' },
        { name: 'validTo 9999-12-31', record: () => recs.child({ validTo: '9999-12-31' }), at: '/validTo' },
        {
          name: 'born before the Meiji era (1868-01-24)',
          record: () => recs.child({ basicFiveInfo: { name: '明治　以前', dateOfBirth: '1868-01-24', sex: '1' } }),
          at: '/basicFiveInfo/dateOfBirth',
        },
        // No My Number where none belongs (ASCII or full-width, any grouping); never echoed.
        {
          name: "a My Number as a local programme's recipient number",
          record: () => recs.child({ medicalSubsidyRecipientNumber: recs.myNumber() }),
          at: '/medicalSubsidyRecipientNumber',
        },
        {
          name: 'a full-width My Number in a certificationDetail value',
          record: () => recs.child({ certificationDetail: [{ label: '備考', value: `個人番号 ${fullWidthDigits(recs.myNumber())}` }] }),
          at: '/certificationDetail/0/value',
        },
        {
          name: 'a grouped My Number in a certificationDetail label',
          record: () => recs.child({ certificationDetail: [{ label: grouped(recs.myNumber()), value: 'なし' }] }),
          at: '/certificationDetail/0/label',
        },
        {
          name: 'a My Number in the address',
          record: () => recs.child({ basicFiveInfo: { name: '山田　太郎', address: `千代田区 ${recs.myNumber()}`, dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/address',
        },
        {
          name: 'a My Number in the name',
          record: () => recs.child({ basicFiveInfo: { name: `山田${recs.myNumber()}`, dateOfBirth: '2015-01-01', sex: '1' } }),
          at: '/basicFiveInfo/name',
        },
        { name: 'a My Number in the income segment', record: () => recs.child({ incomeSegment: recs.myNumber() }), at: '/incomeSegment' },
        {
          name: "a My Number in a designated institution's name",
          record: () => recs.child({ designatedMedicalInstitutions: [{ institutionCode: '1312345674', name: `医院 ${recs.myNumber()}` }] }),
          at: '/designatedMedicalInstitutions/0/name',
        },
        {
          name: "the person's own My Number as the key",
          record: () => {
            const n = recs.myNumber();
            return recs.child({ myNumber: n, municipalityIdentityKey: grouped(n) });
          },
          at: '/municipalityIdentityKey',
        },
      ];
      /** Records that must be accepted, with what must then be stored. */
      const accepted: Array<{ name: string; record: () => Record<string, any>; check?: (subject: any) => void }> = [
        { name: 'national programme: 7-digit recipient number with a correct check digit', record: () => recs.intractable() },
        {
          name: 'local programme: any recipient number (no check-digit rule)',
          record: () => recs.child({ medicalSubsidyRecipientNumber: withWrongCheckDigit(recs.recipientNumber()) }),
        },
        { name: 'local programme: a long alphanumeric recipient number', record: () => recs.child({ medicalSubsidyRecipientNumber: 'CHIYODA-2025-000123' }) },
        {
          name: 'half-width katakana nameKana is stored normalised (ﾔﾏﾀﾞ ﾀﾛｳ → ヤマダ　タロウ)',
          record: () => recs.child({ basicFiveInfo: { name: '山田　太郎', nameKana: 'ﾔﾏﾀﾞ ﾀﾛｳ', dateOfBirth: '2015-01-01', sex: '1' } }),
          check: (s) => assert.equal(s.basicFiveInfo.nameKana, 'ヤマダ　タロウ'),
        },
        {
          name: 'hiragana nameKana is stored as katakana',
          record: () => recs.child({ basicFiveInfo: { name: '山田　花子', nameKana: 'やまだ  はなこ', dateOfBirth: '2016-02-29', sex: '2' } }),
          check: (s) => assert.equal(s.basicFiveInfo.nameKana, 'ヤマダ　ハナコ'),
        },
        {
          name: 'born today (in Japan) is not the future',
          record: () => recs.child({ basicFiveInfo: { name: '今日　生', dateOfBirth: today, sex: '0' } }),
          check: (s) => assert.equal(s.basicFiveInfo.dateOfBirth, today),
        },
        {
          name: 'full-width digits in the payer number are normalised',
          record: () => recs.child({ medicalSubsidyInsurerNumber: fullWidthDigits(CHILD_PROGRAM.medicalSubsidyInsurerNumber) }),
          check: (s) => assert.equal(s.medicalSubsidyCertificates[0].medicalSubsidyInsurerNumber, CHILD_PROGRAM.medicalSubsidyInsurerNumber),
        },
        {
          name: "no payer number: the programme's applies",
          record: () => {
            const r = recs.child();
            delete r.medicalSubsidyInsurerNumber;
            return r;
          },
          check: (s) => assert.equal(s.medicalSubsidyCertificates[0].medicalSubsidyInsurerNumber, CHILD_PROGRAM.medicalSubsidyInsurerNumber),
        },
        {
          name: 'flags as booleans',
          record: () => recs.child({ isNotDisclosed: true, isAlwaysReimbursement: false, isDeleted: false }),
          check: (s) => assert.equal(s.isNotDisclosed, true),
        },
        {
          name: 'a certificationDetail value over several lines, with a tab (multi-line text)',
          record: () => recs.child({ certificationDetail: [{ label: '備考', value: '入院：なし\r\n通院：\t500円' }] }),
        },
        {
          name: 'rare kanji and emoji (well-formed surrogate pairs) in the name',
          record: () => recs.child({ basicFiveInfo: { name: '𠮷田　花子😀', dateOfBirth: '2015-01-01', sex: '2' } }),
          check: (s) => assert.equal(s.basicFiveInfo.name, '𠮷田　花子😀'),
        },
        {
          name: 'twelve digits that fail the 個人番号 check in a certificationDetail value',
          record: () => recs.child({ certificationDetail: [{ label: '受付番号', value: withWrongCheckDigit(recs.myNumber()) }] }),
        },
        {
          name: 'a co-payment limit of 99,999,999 yen and dates at the ends of their windows',
          record: () =>
            recs.child({
              maxCopaymentAmount: { monthly: 99_999_999 },
              validFrom: '1900-01-01',
              validTo: '2199-12-31',
              basicFiveInfo: { name: '明治　元年', dateOfBirth: '1868-01-25', sex: '9' },
            }),
        },
      ];

      let task: any;
      const built: Array<Record<string, any>> = [];
      const firstAccepted = failing.length;

      before(async () => {
        for (const c of failing) built.push(c.record());
        for (const c of accepted) built.push(c.record());
        task = await w.register(tokyo, 'medical-subsidy', built);
      });

      it('the task reports every record, with counts', () => {
        assert.equal(task.status, 'done');
        assert.equal(task.total, built.length);
        assert.equal(task.failed, failing.length, JSON.stringify(task.results.filter((r: any) => r.outcome !== 'failed' && r.index < firstAccepted)));
        assert.equal(task.succeeded, accepted.length, JSON.stringify(task.results.filter((r: any) => r.outcome === 'failed' && r.index >= firstAccepted)));
        assert.deepEqual(
          task.results.map((r: any) => r.index),
          built.map((_, i) => i),
        );
      });

      failing.forEach((c, i) => {
        it(`fails: ${c.name} → /${i}${c.at}; nothing of it is stored`, async () => {
          assertFailedAt(task, i, `/${i}${c.at}`);
          const key = built[i].municipalityIdentityKey;
          // A key that breaks the text rule cannot even be asked for (400); any other is simply not there.
          if (typeof key === 'string' && key.trim())
            assertProblem(await getSubject(w, tokyo, key), /[\u0000\u2066\u202e]|[\ud800-\udfff]/u.test(key) ? 400 : 404);
        });
      });

      accepted.forEach((c, j) => {
        const i = firstAccepted + j;
        it(`accepted: ${c.name}`, async () => {
          assertOutcome(task, i, 'created');
          const s = await getSubject(w, tokyo, built[i].municipalityIdentityKey);
          assert.equal(s.status, 200, s.text);
          assert.equal(s.body.medicalSubsidyCertificates.length, 1);
          c.check?.(s.body);
        });
      });

      it('error messages never repeat a My Number', () => {
        const text = JSON.stringify(task);
        for (const n of recs.myNumbers) {
          assert.equal(text.includes(n), false);
          assert.equal(text.includes(fullWidthDigits(n)), false);
        }
      });
    });

    it("a record's schema and semantic errors come back together, one per field, in one pass", async () => {
      const r = recs.child({
        myNumber: recs.note(withWrongCheckDigit(recs.myNumber())),
        orgSpecificCertificateTypeId: 'no-such-programme',
        basicFiveInfo: { name: '山田\u0000太郎', nameKana: 'YAMADA', dateOfBirth: '2015-01-01', sex: '1' },
        validFrom: '2025-04-02',
        validTo: '2025-04-01',
        maxCopaymentAmount: { monthly: 1e308 },
        certificationDetail: [{ label: '備考', value: `番号 ${recs.myNumber()}` }],
        ['memo\u0000']: 'x',
      });
      const task = await w.register(tokyo, 'medical-subsidy', [r]);
      const errors = resultOf(task, 0).errors!;
      assert.deepEqual(
        errors.map((e) => e.pointer).sort(),
        [
          '/0',
          '/0/basicFiveInfo/name',
          '/0/basicFiveInfo/nameKana',
          '/0/certificationDetail/0/value',
          '/0/maxCopaymentAmount/monthly',
          '/0/myNumber',
          '/0/orgSpecificCertificateTypeId',
          '/0/validTo',
        ],
        JSON.stringify(errors),
      );
      const text = JSON.stringify(errors);
      for (const value of [r.myNumber, r.certificationDetail[0].value.slice(3), '\\u0000', '1e+308'])
        assert.equal(text.includes(value), false, 'a message never repeats the value');
    });

    it('full-width digits in myNumber are accepted and normalised: the same person in ASCII digits is the same subject', async () => {
      const r = recs.child();
      const wide = { ...r, myNumber: fullWidthDigits(r.myNumber) };
      assert.match(wide.myNumber, /^[０-９]{12}$/);
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [wide]), 0, 'created');
      // Stored under the normalised number: the ASCII form matches it (a different number would fail).
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [r]), 0, 'unchanged');
      const other = await w.register(tokyo, 'medical-subsidy', [{ ...r, myNumber: recs.myNumber() }]);
      assertFailedAt(other, 0, '/0/myNumber');
      const { rows } = await sql<{ my_number_bidx: string }>`select my_number_bidx from subjects
        where municipality_identity_key = ${r.municipalityIdentityKey}`.execute(w.hub.database.db);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].my_number_bidx, w.hub.context.cipher.blindIndex(r.myNumber, 'subjects.my_number'));
    });

    it("a failed record writes nothing, not even the subject's basic information, while the others are applied", async () => {
      const existing = recs.child();
      assertOutcome(await w.register(tokyo, 'medical-subsidy', [existing]), 0, 'created');
      const before = await getSubject(w, tokyo, existing.municipalityIdentityKey);

      const newGood = recs.child();
      const newBad = recs.child({ validTo: '2020-01-01' });
      // The person's new address comes with a broken certificate: neither may be applied.
      const existingBad = { ...existing, basicFiveInfo: { ...existing.basicFiveInfo, address: '転居先' }, historyKey: '2', additionalConditions: ['ZZ'] };
      const task = await w.register(tokyo, 'medical-subsidy', [newBad, newGood, existingBad]);
      assertFailedAt(task, 0, '/0/validTo');
      assertOutcome(task, 1, 'created');
      assertFailedAt(task, 2, '/2/additionalConditions/0');

      assertProblem(await getSubject(w, tokyo, newBad.municipalityIdentityKey), 404);
      assert.equal((await getSubject(w, tokyo, newGood.municipalityIdentityKey)).status, 200);
      const after = await getSubject(w, tokyo, existing.municipalityIdentityKey);
      assert.deepEqual(after.body, before.body);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from subjects
        where municipality_identity_key = ${newBad.municipalityIdentityKey}`.execute(w.hub.database.db);
      assert.equal(rows[0].n, 0);
    });

    it('records that are not objects fail alone; the task still finishes', async () => {
      const good = recs.child();
      const task = await w.register(tokyo, 'medical-subsidy', [null, 42, 'text', [], good, true]);
      assert.equal(task.status, 'done');
      for (const i of [0, 1, 2, 3, 5]) assertFailedAt(task, i, `/${i}`);
      assertOutcome(task, 4, 'created');
    });

    describe('limits and malformed requests (never a 500)', () => {
      it(`a task of ${MAX_TASK_RECORDS + 1} records is 413 problem+json, and nothing is stored`, async () => {
        const tasksBefore = await countTasks(w);
        const r = recs.child();
        const res = await w.call(
          tokyo,
          'POST',
          TASKS,
          Array.from({ length: MAX_TASK_RECORDS + 1 }, () => r),
        );
        assertProblem(res, 413);
        assert.equal(res.headers.get('location'), null);
        assert.equal(await countTasks(w), tasksBefore);
        assertProblem(await getSubject(w, tokyo, r.municipalityIdentityKey), 404);
      });

      it(`a task of exactly ${MAX_TASK_RECORDS} records is accepted`, async () => {
        const r = recs.child();
        const task = await w.register(
          tokyo,
          'medical-subsidy',
          Array.from({ length: MAX_TASK_RECORDS }, () => r),
        );
        assert.equal(task.total, MAX_TASK_RECORDS);
        assert.equal(task.succeeded, MAX_TASK_RECORDS);
        assert.equal(task.results.length, MAX_TASK_RECORDS);
        assertOutcome(task, 0, 'created');
        assertOutcome(task, MAX_TASK_RECORDS - 1, 'unchanged');
      });

      it('an empty array is 400', async () => {
        const tasksBefore = await countTasks(w);
        assertProblem(await w.call(tokyo, 'POST', TASKS, []), 400);
        assert.equal(await countTasks(w), tasksBefore);
      });

      it('a body that is not an array is 400 (object, string, number, null, true)', async () => {
        const tasksBefore = await countTasks(w);
        for (const body of [recs.child(), 'records', 12, null, true]) {
          const res = await w.call(tokyo, 'POST', TASKS, JSON.stringify(body));
          assertProblem(res, 400);
        }
        assert.equal(await countTasks(w), tasksBefore);
      });

      it('malformed JSON is 400 problem+json without a stack trace or the input', async () => {
        const r = recs.child();
        const broken = JSON.stringify([r]).slice(0, -5);
        for (const body of [broken, '[{"myNumber": ', '{', '[1,]', 'nul']) {
          const res = await w.call(tokyo, 'POST', TASKS, body);
          assertProblem(res, 400);
          assert.equal(res.text.includes(r.myNumber), false, 'the answer quotes the input');
        }
        const put = await w.call(tokyo, 'PUT', programPath('val-json'), '{"certificationName": "x",');
        assertProblem(put, 400);
      });

      it('a body in another media type is refused with 415 problem+json', async () => {
        const res = await w.call(tokyo, 'POST', TASKS, JSON.stringify([recs.child()]), { 'content-type': 'text/plain' });
        assertProblem(res, 415);
      });

      it('an Idempotency-Key that is empty or too long is 400', async () => {
        const tasksBefore = await countTasks(w);
        assertProblem(await w.call(tokyo, 'POST', TASKS, [recs.child()], { 'idempotency-key': 'k'.repeat(201) }), 400);
        assertProblem(await w.call(tokyo, 'POST', TASKS, [recs.child()], { 'idempotency-key': '' }), 400);
        assert.equal(await countTasks(w), tasksBefore);
      });

      it('a task id that is not a UUID is 400; an unknown one is 404', async () => {
        assertProblem(await w.call(tokyo, 'GET', taskPath('not-a-uuid')), 400);
        assertProblem(await w.call(tokyo, 'GET', taskPath('00000000-0000-4000-8000-000000000000')), 404);
      });

      it('an unknown query parameter on GET subject is 400', async () => {
        const res = await w.call(tokyo, 'GET', '/municipal/v1/subjects/X1?include=myNumber');
        assertProblem(res, 400);
      });
    });

    it('a record result names only its own record (pointers start with /index)', async () => {
      const task = await w.register(tokyo, 'medical-subsidy', [recs.child(), recs.child({ sex: '1' }), recs.child()]);
      assertOutcome(task, 0, 'created');
      assertFailedAt(task, 1, '/1/sex');
      assertOutcome(task, 2, 'created');
      assert.equal(resultOf(task, 1).errors!.length, 1);
    });

    it('no My Number of this file appears in any log line', () => {
      assertLogsClean(w, recs.myNumbers);
    });
  });
}
