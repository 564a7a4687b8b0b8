import { Type, type Static } from 'typebox';
import { Flag } from './common.ts';
import { CheckupResult, CheckupResultBody, CheckupVoucher, GrowthChart } from './maternal-child.ts';
import { BasicFiveInfo, MAX_TASK_RECORDS, MunicipalityIdentityKey, MyNumberText, VACCINATION_END_REASONS } from './municipal.ts';
import { DateIn, Key } from './text.ts';

/**
 * The municipality's side of maternal and child health (母子保健, seed C①): its subjects — pregnant
 * women and children — the vouchers (受診券) it issued and the results it holds itself (group checkups
 * entered in its own system). A registration record is shaped like the published PMH municipal
 * checkup-subject API, as vaccination's: `modificationSeg` "1" registers or updates a subject, "2"
 * ends the subject's registration for maternal and child health.
 */

/** The pregnancy a prenatal or postpartum voucher and result belong to (our addition: the dates the rules hang on). */
export const MaternalChildPregnancy = Type.Object(
  {
    expectedDeliveryDate: DateIn('service', '出産予定日 (the due date, 妊娠40週0日)'),
    deliveryDate: Type.Optional(DateIn('service', '出産日 (once the child is born); not in the future')),
  },
  { additionalProperties: false, description: '妊娠: the current (or latest) pregnancy of a pregnant woman' },
);
export type MaternalChildPregnancy = Static<typeof MaternalChildPregnancy>;

/** A result the municipality holds itself (a group checkup): the contract's result, with the municipality's own key of it. */
export const MunicipalCheckupResult = Type.Object(
  {
    resultKey: Key({ description: '健診結果キー: the municipality’s own key of this result; the same key again updates it' }),
    ...CheckupResultBody.properties,
  },
  {
    additionalProperties: false,
    description: '健診結果 the municipality holds (集団健診)',
    examples: [
      {
        resultKey: 'K-0001',
        checkupKind: 'infant-3-4m',
        date: '2025-08-20',
        institutionCode: '1312345674',
        measurements: { heightCm: 62.1, weightKg: 6.4, headCm: 40.5, chestCm: 41.0 },
        findings: [{ area: 'growth', finding: '順調' }],
        judgement: 'healthy',
      },
    ],
  },
);
export type MunicipalCheckupResult = Static<typeof MunicipalCheckupResult>;

/** The highest subsidy cap a voucher may state (ours): several times the highest published cap, so a digit too many is caught. */
export const MAX_SUBSIDY_CAP = 50_000;

/** modificationSeg "1": register a pregnant woman or a child for maternal and child health, or update them, with vouchers and results. */
export const MaternalChildSubjectRecord = Type.Object(
  {
    modificationSeg: Type.Literal('1', { description: '異動区分 "1": register or update' }),
    myNumber: MyNumberText,
    municipalityIdentityKey: MunicipalityIdentityKey,
    basicFiveInfo: BasicFiveInfo,
    isNotDisclosed: Flag('不開示フラグ: the person is under DV support measures (支援措置); the address is never disclosed', 'boolean'),
    pregnancy: Type.Optional(MaternalChildPregnancy),
    vouchers: Type.Optional(
      Type.Array(CheckupVoucher, {
        maxItems: 100,
        description: `受診券: vouchers issued, by voucherNumber (the same number again updates it); subsidyCap at most ${MAX_SUBSIDY_CAP.toLocaleString('en-US')} yen`,
      }),
    ),
    checkupResults: Type.Optional(
      Type.Array(MunicipalCheckupResult, { maxItems: 100, description: '健診結果 the municipality holds itself (group checkups), by resultKey' }),
    ),
  },
  {
    additionalProperties: false,
    title: 'MaternalChildSubjectRecord',
    description: 'A maternal and child health subject (妊婦 or 乳幼児), registered or updated (modificationSeg "1")',
    examples: [
      {
        modificationSeg: '1',
        myNumber: '210987654320',
        municipalityIdentityKey: '1310100101',
        basicFiveInfo: { name: '千代田花子', nameKana: 'チヨダハナコ', address: '東京都千代田区九段南1-2-1', dateOfBirth: '1994-05-20', sex: '2' },
        isNotDisclosed: false,
        pregnancy: { expectedDeliveryDate: '2026-09-30' },
        vouchers: [{ voucherNumber: 'P2026-0001-01', checkupKind: 'prenatal', sequence: 1, validFrom: '2026-02-10', validTo: '2026-10-14', subsidyCap: 6000 }],
      },
    ],
  },
);
export type MaternalChildSubjectRecord = Static<typeof MaternalChildSubjectRecord>;

/** modificationSeg "2": end the subject's registration (data kept for the retention period). */
export const MaternalChildSubjectEnd = Type.Object(
  {
    modificationSeg: Type.Literal('2', { description: '異動区分 "2": end the registration' }),
    municipalityIdentityKey: MunicipalityIdentityKey,
    reason: Type.Enum([...VACCINATION_END_REASONS], { description: '異動事由: 転出 (moved-out), 死亡 (deceased), 誤登録 (mistaken)' }),
    date: DateIn('service', '異動日 (the day the registration ends); not in the future'),
  },
  {
    additionalProperties: false,
    title: 'MaternalChildSubjectEnd',
    description: 'The end of a subject’s registration for maternal and child health (modificationSeg "2")',
    examples: [{ modificationSeg: '2', municipalityIdentityKey: '1310100101', reason: 'moved-out', date: '2026-03-31' }],
  },
);
export type MaternalChildSubjectEnd = Static<typeof MaternalChildSubjectEnd>;

export const MaternalChildRegistrationRecord = Type.Union([MaternalChildSubjectRecord, MaternalChildSubjectEnd], {
  description: 'modificationSeg "1" (register or update) or "2" (end)',
});

/** `POST /municipal/v1/maternal-child/registration-tasks`: the records, each applied whole or not at all. */
export const MaternalChildTask = Type.Array(MaternalChildRegistrationRecord, {
  minItems: 1,
  maxItems: MAX_TASK_RECORDS,
  description: `1 to ${MAX_TASK_RECORDS.toLocaleString('en-US')} records (more: 413). Each record is validated on its own, in full, when the task is applied: a bad record fails alone, with every error of its fields together in the task's results.`,
});

// --- The resident's view -----------------------------------------------------------------------

export const VOUCHER_STATUSES = ['unused', 'used', 'expired'] as const;

/** A voucher as its holder sees it. */
export const ResidentCheckupVoucher = Type.Object({
  ...CheckupVoucher.properties,
  municipalityCode: Type.String({ description: '地方公共団体コード of the issuing municipality' }),
  status: Type.Enum([...VOUCHER_STATUSES], { description: 'unused (still valid), used (a checkup was paid with it), expired (unused past validTo)' }),
});
export type ResidentCheckupVoucher = Static<typeof ResidentCheckupVoucher>;

/** The child's growth chart (乳幼児身体発育曲線): height and weight against age over the national percentile curves. */
export const ResidentGrowth = Type.Object({
  height: GrowthChart,
  weight: GrowthChart,
});
export type ResidentGrowth = Static<typeof ResidentGrowth>;

/** `GET /hub/v1/residents/{pmhPseudonym}/checkups`. */
export const ResidentCheckups = Type.Object({
  vouchers: Type.Array(ResidentCheckupVoucher, { description: 'unused first (soonest to end first), then used, then expired' }),
  results: Type.Array(CheckupResult, { description: 'newest first' }),
  growth: Type.Optional({
    ...ResidentGrowth,
    description: 'present for a child under 6, or one with checkup measurements: the growth chart from the checkup results',
  }),
});
export type ResidentCheckups = Static<typeof ResidentCheckups>;

/** `GET /portal/v1/me/checkups`: as the hub answers, and whether the account is linked at all. */
export const PortalCheckups = Type.Object({
  ...ResidentCheckups.properties,
  linked: Type.Boolean({ description: 'false: not linked to PMH yet, so nothing to show' }),
});
export type PortalCheckups = Static<typeof PortalCheckups>;
