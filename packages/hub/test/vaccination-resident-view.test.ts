import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forecast, residentVaccinations, type ResidentDose } from '../src/domain/vaccination/index.ts';

/** The resident's vaccinations as the hub builds them from stored doses (pure): what counts as a dose for the forecast. */
const TODAY = '2026-12-02';
const BIRTH = '2026-08-24';
const dose = (id: string, over: Partial<ResidentDose>): ResidentDose => ({
  id,
  vaccineCode: 'dpt-ipv-hib',
  doseNumber: 1,
  series: null,
  date: '2026-10-25',
  lotNumber: null,
  institutionCode: null,
  institutionName: null,
  source: 'municipal',
  status: 'recorded',
  ...over,
});
const statusOf = (f: ReturnType<typeof forecast>, code: string, n: number) => f.find((e) => e.vaccineCode === code && e.doseNumber === n)?.status;

describe('the resident view of vaccinations', () => {
  it('shows a cancelled record, marked, but does not count it as a dose', () => {
    const v = residentVaccinations([{ dateOfBirth: BIRTH, sex: '1' }], [dose('a', { status: 'cancelled' })], TODAY);
    assert.deepEqual(
      v.records.map((r) => [r.recordId, r.status, r.lotNumber, r.institutionCode]),
      [['a', 'cancelled', null, null]],
    );
    assert.equal('series' in v.records[0], false, 'no series: left out, not null');
    assert.deepEqual(v.forecast, forecast({ dateOfBirth: BIRTH, sex: '1' }, [], TODAY));
    assert.equal(statusOf(v.forecast as never, 'dpt-ipv-hib', 1), 'due');
  });

  it('counts the same dose registered by two municipalities once, and shows both records', () => {
    const both = [dose('a', {}), dose('b', { institutionName: '大阪こどもクリニック' })];
    const v = residentVaccinations([{ dateOfBirth: BIRTH, sex: '1' }], both, TODAY);
    assert.equal(v.records.length, 2);
    assert.equal(v.records[1].institutionName, '大阪こどもクリニック');
    const once = forecast({ dateOfBirth: BIRTH, sex: '1' }, [{ vaccineCode: 'dpt-ipv-hib', doseNumber: 1, date: '2026-10-25' }], TODAY);
    assert.deepEqual(v.forecast, once);
    assert.equal(statusOf(once, 'dpt-ipv-hib', 1), 'complete');
    assert.equal(statusOf(once, 'dpt-ipv-hib', 2), 'due');
  });

  it('has no schedule without a registration to give a date of birth', () => {
    assert.deepEqual(residentVaccinations([], [], TODAY), { records: [], forecast: [] });
  });
});
