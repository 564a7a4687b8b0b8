/**
 * The vaccination screen's own rules, without a browser (packages/web/src/clinic/vaccination): the
 * age a doctor reads (X歳Yか月, a month reached on the corresponding day or the month's end), the
 * answers of a 予診票 that are flagged, the form's field errors, the fever rule, and what a scanned
 * GS1 string fills in.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, ageInYearsMonths } from '../src/clinic/vaccination/person.ts';
import { answerText, isNoteworthy, shownItems } from '../src/clinic/vaccination/questionnaire.ts';
import {
  fromScan,
  noDoseReason,
  temperature,
  toOverrides,
  toRecord,
  validateAssessment,
  validateOverrides,
  validateRecord,
  type RecordForm,
} from '../src/clinic/vaccination/record-form.ts';
import type { Questionnaire } from '../src/clinic/vaccination/types.ts';

const form = (o: Partial<RecordForm> = {}): RecordForm => ({
  productName: '',
  productCode: '',
  lotNumber: 'AB123',
  expirationDate: '2027-03-31',
  doseVolumeMl: '0.5',
  site: '左上腕',
  route: 'subcutaneous',
  doctorName: '佐藤 花子',
  date: '2026-12-02',
  ...o,
});

describe('clinic vaccination screen: rules without a browser', () => {
  it('says the age in years and months, a month reached on the same day or the month end', () => {
    assert.deepEqual(ageInYearsMonths('2026-07-31', '2026-09-30'), { years: 0, months: 2 });
    assert.deepEqual(ageInYearsMonths('2026-07-31', '2026-09-29'), { years: 0, months: 1 });
    assert.deepEqual(ageInYearsMonths('2024-02-29', '2025-02-28'), { years: 1, months: 0 });
    assert.equal(formatAge('2025-06-15', '2026-12-02'), '1歳5か月');
    assert.equal(formatAge('2026-10-01', '2026-12-02'), '2か月');
    assert.equal(formatAge('2027-01-01', '2026-12-02'), '—');
  });

  it('flags the answers a doctor asks about, and reads them in Japanese', () => {
    const q = {
      questionnaireId: '00000000-0000-4000-8000-000000000001',
      process: 'vaccination',
      vaccineCode: 'hib',
      doseNumber: 2,
      status: 'submitted',
      updatedAt: '2026-12-01T10:00:00Z',
      items: [
        { itemId: 'read-explanation', text: '説明書を読みましたか。', type: 'boolean', required: true },
        { itemId: 'unwell-today', text: '今日、体に具合の悪いところがありますか。', type: 'boolean', required: true },
        { itemId: 'unwell-today-symptoms', text: '具体的な症状', type: 'text', required: false, enabledWhen: { itemId: 'unwell-today', anyOf: [true] } },
        { itemId: 'allergy', text: 'アレルギー', type: 'boolean', required: true },
        { itemId: 'temperature', text: '診察前の体温', type: 'number', required: false, unit: '℃' },
        {
          itemId: 'consent',
          text: '接種を希望しますか。',
          type: 'choice',
          required: false,
          options: [
            { value: 'wish', label: '接種を希望します' },
            { value: 'decline', label: '接種を希望しません' },
          ],
        },
      ],
      answers: { 'read-explanation': false, 'unwell-today': false, allergy: true, temperature: 37.6, consent: 'wish' },
    } as unknown as Questionnaire;
    const rows = shownItems(q);
    assert.deepEqual(
      rows.map((r) => r.item.itemId),
      ['read-explanation', 'unwell-today', 'allergy', 'temperature', 'consent'],
      'a follow-up is shown only after its answer',
    );
    assert.deepEqual(
      rows.filter((r) => r.noteworthy).map((r) => r.item.itemId),
      ['read-explanation', 'allergy', 'temperature'],
    );
    assert.equal(answerText(q.items[5]!, 'wish'), '接種を希望します');
    assert.equal(answerText(q.items[4]!, 37.6), '37.6℃');
    assert.equal(answerText(q.items[1]!, undefined), '未回答');
    assert.equal(isNoteworthy(q.items[5]!, 'decline'), true);
  });

  it('records no dose at 37.5 ℃ or more, or when the doctor says 不可', () => {
    assert.equal(noDoseReason({ temperatureC: '37.5', fit: 'fit', doctorName: 'x' }), 'fever');
    assert.equal(noDoseReason({ temperatureC: '３７．８', fit: 'fit', doctorName: 'x' }), 'fever', 'full-width digits as typed on a Japanese keyboard');
    assert.equal(noDoseReason({ temperatureC: '37.4', fit: 'fit', doctorName: 'x' }), undefined);
    assert.equal(noDoseReason({ temperatureC: '36.5', fit: 'unfit', doctorName: 'x' }), 'unfit');
    assert.equal(temperature('36'), 36);
    assert.equal(temperature('36.55'), undefined);
  });

  it('names every field that is wrong, and only those', () => {
    assert.deepEqual(validateRecord(form(), '2026-12-02'), {});
    assert.deepEqual(
      Object.keys(validateRecord(form({ lotNumber: ' ', doctorName: '', date: '2026-12-03', doseVolumeMl: '0', productCode: 'abc' }), '2026-12-02')).sort(),
      ['date', 'doctorName', 'doseVolumeMl', 'lotNumber', 'productCode'],
    );
    assert.deepEqual(Object.keys(validateAssessment({ temperatureC: '', fit: '', doctorName: '' })).sort(), ['doctorName', 'fit', 'temperatureC']);
    assert.match(validateAssessment({ temperatureC: '365', fit: 'fit', doctorName: 'x' }).temperatureC!, /小数点以下1桁/);
  });

  it('asks for each warning to be overridden with a reason that is not blank', () => {
    const warnings = [
      { code: 'interval' as const, message: '前回の接種から27日以上の間隔が必要です' },
      { code: 'too-early' as const, message: '早すぎます' },
    ];
    assert.deepEqual(Object.keys(validateOverrides(warnings, {})), ['override-interval', 'override-too-early']);
    const overrides = { interval: { checked: true, reason: ' 医師の判断 ' }, 'too-early': { checked: true, reason: '   ' } };
    assert.deepEqual(Object.keys(validateOverrides(warnings, overrides)), ['override-too-early']);
    overrides['too-early'].reason = '転居前の接種計画に合わせる';
    assert.deepEqual(validateOverrides(warnings, overrides), {});
    assert.deepEqual(toOverrides(warnings, overrides), [
      { code: 'interval', reason: '医師の判断' },
      { code: 'too-early', reason: '転居前の接種計画に合わせる' },
    ]);
  });

  it('builds the record the API takes, leaving out what was not entered', () => {
    assert.deepEqual(toRecord(form({ productName: '', site: '', doseVolumeMl: '' }), { vaccineCode: 'hib', doseNumber: 2 }), {
      vaccineCode: 'hib',
      doseNumber: 2,
      date: '2026-12-02',
      lotNumber: 'AB123',
      expirationDate: '2027-03-31',
      route: 'subcutaneous',
      doctorName: '佐藤 花子',
    });
  });

  it('fills lot, expiry and GTIN from a scanned string, or says what is missing', () => {
    assert.deepEqual(fromScan('0109506000134352172703001' + '0LOT-7', '2026-12-02'), {
      ok: true,
      lotNumber: 'LOT-7',
      expirationDate: '2027-03-31',
      productCode: '09506000134352',
    });
    const noLot = fromScan('(01)09506000134352(17)270331', '2026-12-02');
    assert.equal(noLot.ok, false);
    const bad = fromScan('(01)09506000134353(17)270331(10)A', '2026-12-02');
    assert.ok(!bad.ok && /チェックデジット/.test(bad.message));
  });
});
