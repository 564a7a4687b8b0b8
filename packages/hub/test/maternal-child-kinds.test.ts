/**
 * The checkup kinds, table by table: a child's age in months as the forms count it, each kind's target
 * window with the published examples, the default voucher (validity and subsidy cap) of each kind, the
 * reasons a voucher does not pay, and the published subsidy tables. Pure functions: no service is needed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  OISHIDA_PRENATAL,
  UENOHARA_PRENATAL,
  ageInMonthsExact,
  capIn,
  checkupTiming,
  completedMonths,
  defaultSubsidyCap,
  defaultVoucher,
  gestationalWeekStart,
  gestationalWeeksOn,
  paymentFor,
  subsidisedAmount,
  targetWindow,
  validateVoucher,
  voucherRefusal,
} from '../src/domain/maternal-child/index.ts';

describe('a child’s age in months', () => {
  it('counts completed months the Japanese way: born 15 January is 3 months old from 15 April; born 31 July is 2 months old from 1 October', () => {
    const table: Array<[string, string, number]> = [
      ['2024-01-15', '2024-01-15', 0], // the day of birth
      ['2024-01-15', '2024-04-14', 2],
      ['2024-01-15', '2024-04-15', 3],
      ['2024-07-31', '2024-09-30', 1], // 生後2月 ends on 30 September (no 31st): still 1 month that day
      ['2024-07-31', '2024-10-01', 2],
      ['2024-01-31', '2024-02-29', 0],
      ['2024-01-31', '2024-03-01', 1],
      ['2020-02-29', '2023-02-28', 35], // born on 29 February: a year is complete at the end of 28 February
      ['2020-02-29', '2023-03-01', 36],
      ['2024-01-15', '2024-01-14', -1], // before birth
    ];
    for (const [dob, date, n] of table) assert.equal(completedMonths(dob, date), n, `${dob} → ${date}`);
  });

  it('gives a chart the fraction of the month under way, whole on each month’s first day', () => {
    assert.equal(ageInMonthsExact('2024-01-15', '2024-01-15'), 0);
    assert.equal(ageInMonthsExact('2024-01-15', '2024-04-15'), 3);
    const mid = ageInMonthsExact('2024-01-15', '2024-05-01'); // 16 of April–May's 30 days
    assert.ok(Math.abs(mid - (3 + 16 / 30)) < 1e-9, String(mid));
    assert.ok(Number.isNaN(ageInMonthsExact('2024-01-15', '2024-01-01')));
  });
});

describe('target windows', () => {
  it('1か月児: after the 27th day and before 6 weeks (三島市: born 4 March → 1–14 April)', () => {
    assert.deepEqual(targetWindow('infant-1m', { dateOfBirth: '2025-03-04' }), { from: '2025-04-01', to: '2025-04-14' });
  });

  it('1歳6か月児 and 3歳児: the statutory windows (満1歳6か月を超え満2歳に達しない; 満3歳を超え満4歳に達しない)', () => {
    assert.deepEqual(targetWindow('infant-1y6m', { dateOfBirth: '2024-01-15' }), { from: '2025-07-15', to: '2026-01-14' });
    assert.deepEqual(targetWindow('infant-3y', { dateOfBirth: '2022-02-28' }), { from: '2025-02-28', to: '2026-02-27' });
    // Born 29 February: 3 years are complete at the end of 28 February, so from 1 March.
    assert.deepEqual(targetWindow('infant-3y', { dateOfBirth: '2020-02-29' }), { from: '2023-03-01', to: '2024-02-28' });
  });

  it('3–4, 6–7 and 9–10 months: the two completed months the name says', () => {
    assert.deepEqual(targetWindow('infant-3-4m', { dateOfBirth: '2025-01-10' }), { from: '2025-04-10', to: '2025-06-09' });
    assert.deepEqual(targetWindow('infant-6-7m', { dateOfBirth: '2025-01-10' }), { from: '2025-07-10', to: '2025-09-09' });
    assert.deepEqual(targetWindow('infant-9-10m', { dateOfBirth: '2025-01-10' }), { from: '2025-10-10', to: '2025-12-09' });
  });

  it('妊婦健診: each visit’s weeks from the due date (三島市’s schedule), 40週0日 on the due date', () => {
    const edd = '2026-10-01';
    assert.equal(gestationalWeeksOn(edd, edd), 40);
    assert.equal(gestationalWeekStart(edd, 40), edd);
    assert.equal(gestationalWeeksOn(edd, '2026-09-30'), 39);
    assert.deepEqual(targetWindow('prenatal', { expectedDeliveryDate: edd }, 2), { from: gestationalWeekStart(edd, 12), to: '2026-04-15' });
    assert.deepEqual(targetWindow('prenatal', { expectedDeliveryDate: edd }, 14), { from: '2026-09-24', to: '2026-09-30' });
    assert.equal(targetWindow('prenatal', { expectedDeliveryDate: edd }, 15), undefined);
    assert.equal(targetWindow('prenatal', {}, 3), undefined);
  });

  it('産婦健診: 5–21 days after delivery for 産後2週間, 22–56 for 産後1か月 (下田市)', () => {
    assert.deepEqual(targetWindow('postpartum', { deliveryDate: '2026-10-01' }, 1), { from: '2026-10-06', to: '2026-10-22' });
    assert.deepEqual(targetWindow('postpartum', { deliveryDate: '2026-10-01' }, 2), { from: '2026-10-23', to: '2026-11-26' });
  });

  it('tells early, on time and late apart, and says so when the dates it needs are unknown', () => {
    const ctx = { dateOfBirth: '2024-01-15' };
    assert.equal(checkupTiming('infant-1y6m', ctx, '2025-07-14'), 'early');
    assert.equal(checkupTiming('infant-1y6m', ctx, '2025-07-15'), 'on-time');
    assert.equal(checkupTiming('infant-1y6m', ctx, '2026-01-14'), 'on-time');
    assert.equal(checkupTiming('infant-1y6m', ctx, '2026-01-15'), 'late');
    assert.equal(checkupTiming('infant-1y6m', {}, '2026-01-15'), 'unknown');
  });
});

describe('default vouchers', () => {
  it('妊婦健診: from issue to 妊娠42週0日 at ¥6,000 (上野原市’s basic visit); once delivered, to the day of delivery', () => {
    assert.deepEqual(defaultVoucher('prenatal', { issuedOn: '2026-03-01', expectedDeliveryDate: '2026-10-01' }, 3), {
      validFrom: '2026-03-01',
      validTo: '2026-10-15',
      subsidyCap: 6000,
    });
    assert.equal(
      defaultVoucher('prenatal', { issuedOn: '2026-03-01', expectedDeliveryDate: '2026-10-01', deliveryDate: '2026-09-20' }, 3)!.validTo,
      '2026-09-20',
    );
    assert.equal(defaultVoucher('prenatal', { issuedOn: '2026-03-01' }, 3), undefined);
  });

  it('産婦健診: 56 days from delivery, the day of delivery included, at ¥5,000 (下田市)', () => {
    assert.deepEqual(defaultVoucher('postpartum', { issuedOn: '2026-03-01', deliveryDate: '2026-10-01' }, 1), {
      validFrom: '2026-10-01',
      validTo: '2026-11-25',
      subsidyCap: 5000,
    });
  });

  it('乳児: 1か月児 its window at ¥4,000 (山県市); 6–7 and 9–10か月児 to the day before the first birthday at ¥6,000 (常陸大宮市)', () => {
    assert.deepEqual(defaultVoucher('infant-1m', { issuedOn: '2025-03-04', dateOfBirth: '2025-03-04' }), {
      validFrom: '2025-04-01',
      validTo: '2025-04-14',
      subsidyCap: 4000,
    });
    assert.deepEqual(defaultVoucher('infant-9-10m', { issuedOn: '2025-01-10', dateOfBirth: '2025-01-10' }), {
      validFrom: '2025-10-10',
      validTo: '2026-01-09',
      subsidyCap: 6000,
    });
  });

  it('3–4か月児, 1歳6か月児 and 3歳児 have no published cap: the municipality states its own', () => {
    for (const kind of ['infant-3-4m', 'infant-1y6m', 'infant-3y'] as const) {
      assert.equal(defaultSubsidyCap(kind), undefined, kind);
      assert.equal(defaultVoucher(kind, { issuedOn: '2024-01-15', dateOfBirth: '2024-01-15' })!.subsidyCap, undefined, kind);
    }
    assert.deepEqual(defaultVoucher('infant-1y6m', { issuedOn: '2024-01-15', dateOfBirth: '2024-01-15' }), { validFrom: '2025-07-15', validTo: '2026-01-14' });
    assert.equal(defaultVoucher('infant-3y', { issuedOn: '2024-01-15' }), undefined);
  });
});

describe('when a voucher does not pay', () => {
  const prenatal3 = { checkupKind: 'prenatal' as const, sequence: 3, validFrom: '2026-03-01', validTo: '2026-10-15' };
  const postpartum = { checkupKind: 'postpartum' as const, sequence: 1, validFrom: '2026-03-01', validTo: '2026-12-31' };
  const table: Array<[string, Parameters<typeof voucherRefusal>, ReturnType<typeof voucherRefusal>]> = [
    ['the same kind and sequence, within its dates', [prenatal3, { checkupKind: 'prenatal', sequence: 3, date: '2026-05-01' }], undefined],
    ['another kind', [prenatal3, { checkupKind: 'postpartum', date: '2026-05-01' }], 'other-checkup'],
    ['another sequence', [prenatal3, { checkupKind: 'prenatal', sequence: 4, date: '2026-05-01' }], 'other-checkup'],
    ['before its first day', [prenatal3, { checkupKind: 'prenatal', sequence: 3, date: '2026-02-28' }], 'not-yet-valid'],
    ['after its last day', [prenatal3, { checkupKind: 'prenatal', sequence: 3, date: '2026-10-16' }], 'expired'],
    ['prenatal, on the day of delivery', [prenatal3, { checkupKind: 'prenatal', sequence: 3, date: '2026-09-20' }, { deliveryDate: '2026-09-20' }], undefined],
    [
      'prenatal, after the delivery',
      [prenatal3, { checkupKind: 'prenatal', sequence: 3, date: '2026-09-21' }, { deliveryDate: '2026-09-20' }],
      'after-delivery',
    ],
    [
      'postpartum, before the delivery',
      [postpartum, { checkupKind: 'postpartum', sequence: 1, date: '2026-09-30' }, { deliveryDate: '2026-10-01' }],
      'before-delivery',
    ],
    ['postpartum, the 56th day', [postpartum, { checkupKind: 'postpartum', sequence: 1, date: '2026-11-25' }, { deliveryDate: '2026-10-01' }], undefined],
    ['postpartum, the 57th day', [postpartum, { checkupKind: 'postpartum', sequence: 1, date: '2026-11-26' }, { deliveryDate: '2026-10-01' }], 'expired'],
  ];
  for (const [name, args, expected] of table) it(name, () => assert.equal(voucherRefusal(...args), expected));
});

describe('subsidy caps as published', () => {
  it('上野原市: ¥6,000 for every basic visit, ¥8,000 for the blood-test voucher (追加検査1)', () => {
    for (let s = 1; s <= 14; s++) assert.equal(capIn(UENOHARA_PRENATAL, 'prenatal', s), 6000);
    assert.equal(UENOHARA_PRENATAL.additionalTests!.find((t) => t.label === '追加検査1')!.cap, 8000);
  });

  it('大石田町: ¥10,000 for the first visit with its blood tests, ¥5,000 for the others', () => {
    assert.equal(capIn(OISHIDA_PRENATAL, 'prenatal', 1), 10000);
    for (let s = 2; s <= 14; s++) assert.equal(capIn(OISHIDA_PRENATAL, 'prenatal', s), 5000);
    assert.equal(capIn(OISHIDA_PRENATAL, 'postpartum', 1), undefined);
  });

  it('a claim asks for the fee charged, at most the cap', () => {
    assert.equal(subsidisedAmount(7200, 6000), 6000);
    assert.equal(subsidisedAmount(4500, 6000), 4500);
    assert.equal(subsidisedAmount(0, 6000), 0);
  });
});

describe('a voucher as registered', () => {
  const voucher = { voucherNumber: 'ＮＰ-０００３', checkupKind: 'prenatal', sequence: 3, validFrom: '2026-03-01', validTo: '2026-10-15', subsidyCap: 6000 };
  const errors = (raw: unknown) => {
    const r = validateVoucher(raw, '/0/vouchers/2');
    return 'errors' in r ? Object.fromEntries(r.errors.map((e) => [e.pointer, e.message])) : {};
  };

  it('is kept with its number normalised', () => {
    const r = validateVoucher(voucher);
    assert.ok('voucher' in r);
    assert.equal(r.voucher.voucherNumber, 'NP-0003');
  });

  const table: Array<[string, object, string, RegExp]> = [
    ['a prenatal voucher without its sequence', { ...voucher, sequence: undefined }, '/0/vouchers/2/sequence', /required/],
    ['a child’s voucher with a sequence', { ...voucher, checkupKind: 'infant-3y' }, '/0/vouchers/2/sequence', /one visit/],
    ['a third postpartum voucher', { ...voucher, checkupKind: 'postpartum' }, '/0/vouchers/2/sequence', /from 1 to 2/],
    ['dates in the wrong order', { ...voucher, validTo: '2026-02-28' }, '/0/vouchers/2/validTo', /before validFrom/],
    ['a cap above the largest yen amount', { ...voucher, subsidyCap: 100_000_000 }, '/0/vouchers/2/subsidyCap', /at most/],
    ['a negative cap', { ...voucher, subsidyCap: -1 }, '/0/vouchers/2/subsidyCap', /at least 0/],
    ['a number of blanks', { ...voucher, voucherNumber: '  ' }, '/0/vouchers/2/voucherNumber', /empty/],
    ['an unknown kind', { ...voucher, checkupKind: 'infant-5y' }, '/0/vouchers/2/checkupKind', /must be one of/],
  ];
  for (const [name, raw, pointer, message] of table) {
    it(name, () => {
      const e = errors(raw);
      assert.ok(pointer in e, `${pointer} not in ${JSON.stringify(e)}`);
      assert.match(e[pointer], message);
    });
  }
});

describe('what a checkup is paid with', () => {
  const vouchers = [
    { voucherNumber: 'NP-0003', checkupKind: 'prenatal' as const, sequence: 3, validFrom: '2026-03-01', validTo: '2026-10-15', subsidyCap: 6000 },
  ];
  const checkup = { checkupKind: 'prenatal' as const, sequence: 3, date: '2026-05-01' };

  it('the voucher it names, when it pays for this checkup (its number compared as keys are)', () => {
    assert.deepEqual(paymentFor({ ...checkup, voucherNumber: 'ＮＰ-０００３' }, vouchers), { payment: 'voucher', voucherNumber: 'NP-0003', subsidyCap: 6000 });
  });

  it('self-paid, with the reason, when there is no valid voucher — never silently subsidised', () => {
    assert.deepEqual(paymentFor(checkup, vouchers), { payment: 'self-paid', reason: 'no-voucher' });
    assert.deepEqual(paymentFor({ ...checkup, voucherNumber: 'NP-9999' }, vouchers), { payment: 'self-paid', reason: 'unknown-voucher' });
    assert.deepEqual(paymentFor({ ...checkup, sequence: 4, voucherNumber: 'NP-0003' }, vouchers), { payment: 'self-paid', reason: 'other-checkup' });
    assert.deepEqual(paymentFor({ ...checkup, date: '2026-10-16', voucherNumber: 'NP-0003' }, vouchers), { payment: 'self-paid', reason: 'expired' });
    assert.deepEqual(paymentFor({ ...checkup, voucherNumber: 'NP-0003' }, vouchers, { deliveryDate: '2026-04-30' }), {
      payment: 'self-paid',
      reason: 'after-delivery',
    });
  });
});
