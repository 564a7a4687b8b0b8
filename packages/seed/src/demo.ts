import fs from 'node:fs';
import path from 'node:path';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { generateSigningKey, randomIdentifier, randomLinkageNumber } from '@pmh/core/crypto/index';
import crypto from 'node:crypto';
import type { Service } from '@pmh/core/service';
import { addOfficer } from '@pmh/hub/console-officers';
import {
  ApiClient,
  hubApi,
  idserverApi,
  oqsApi,
  type CheckupVoucher,
  type MaternalChildSubjectRecord,
  type MedicalSubsidyRecord,
  type MunicipalCheckupResult,
  type VaccinationRecordInput,
  type VaccinationSubjectRecord,
} from '@pmh/protocol';
import { Rng, myNumber, payerNumber, recipientNumber, personName, dateBetween, FAMILY, GIVEN } from './synthetic.ts';

/** The services the demo world is registered with. */
export type DemoServiceName = 'hub' | 'idserver' | 'oqs' | 'portal';

/**
 * The demo world: what each party holds outside the system (docs/api-guide.md#demo-data). The files
 * under data/demo/ let tools and tests act as a municipality, a resident's card or a clinic.
 * Everything is synthetic; identifiers carry valid check digits.
 */
export interface DemoMunicipality {
  code: string;
  name: string;
  prefecture: string;
  clientId: string;
  privateJwk: Record<string, unknown>;
}

interface ProgramSeed {
  certificateTypeId: string;
  certificationName: string;
  medicalSubsidyInsurerNumber: string;
  legalBasisCode: string;
  additionalConditionCodes?: Array<{ code: string; name: string }>;
}

const MUNICIPALITIES = [
  { code: '131016', name: '千代田区', prefecture: '13', address: '東京都千代田区千代田1-1' },
  { code: '271004', name: '大阪市', prefecture: '27', address: '大阪府大阪市北区中之島1-3-20' },
] as const;

function programsOf(prefecture: string): ProgramSeed[] {
  return [
    {
      certificateTypeId: 'child-medical',
      certificationName: '子ども医療費助成',
      medicalSubsidyInsurerNumber: payerNumber('88', prefecture, '101'),
      legalBasisCode: '88',
      additionalConditionCodes: [
        { code: 'IN', name: '入院' },
        { code: 'OUT', name: '通院' },
      ],
    },
    {
      certificateTypeId: 'nanbyo',
      certificationName: '特定医療費（指定難病）',
      medicalSubsidyInsurerNumber: payerNumber('54', prefecture, '001'),
      legalBasisCode: '54',
    },
  ];
}

export interface DemoResident {
  municipalityCode: string;
  municipalityIdentityKey: string;
  myNumber: string;
  basicFiveInfo: { name: string; nameKana: string; address: string; dateOfBirth: string; sex: string };
  cardSerial: string;
  registered: boolean;
}

export const RESIDENTS_PER_MUNICIPALITY = 25;
export const REGISTERED_PER_MUNICIPALITY = 15;

function cardSerial(rng: Rng): string {
  // The user certificate's serial as the card issuer prints it: hex, 16 characters.
  return Array.from({ length: 16 }, () => '0123456789ABCDEF'[rng.int(16)]).join('');
}

/** A 10-digit 医療機関コード: prefecture, 点数表 (1 医科), district, number, check digit (rule unconfirmed). */
function institutionCode(rng: Rng, prefecture: string): string {
  return `${prefecture}1${rng.digits(2)}${rng.digits(4)}${rng.digits(1)}`;
}

function subsidyRecord(r: DemoResident, p: ProgramSeed, rng: Rng): MedicalSubsidyRecord {
  const child = p.certificateTypeId === 'child-medical';
  return {
    orgSpecificCertificateTypeId: p.certificateTypeId,
    myNumber: r.myNumber,
    municipalityIdentityKey: r.municipalityIdentityKey,
    basicFiveInfo: { ...r.basicFiveInfo, sex: r.basicFiveInfo.sex as MedicalSubsidyRecord['basicFiveInfo']['sex'] },
    isNotDisclosed: '0',
    certificationName: p.certificationName,
    medicalSubsidyInsurerNumber: p.medicalSubsidyInsurerNumber,
    medicalSubsidyRecipientNumber: child ? rng.digits(8) : recipientNumber(rng),
    segment: child ? '未就学' : '一般',
    incomeSegment: child ? '' : rng.pick(['上位', '一般Ⅰ', '一般Ⅱ', '低所得Ⅰ']),
    additionalConditions: child ? ['IN', 'OUT'] : [],
    isAlwaysReimbursement: '0',
    maxCopaymentAmount: child ? { monthly: 0 } : { monthly: rng.pick([2500, 5000, 10000, 20000]) },
    validFrom: '2026-04-01',
    validTo: '2027-03-31',
    historyKey: '1',
    isDeleted: '0',
    certificationDetail: child ? [{ label: '自己負担', value: 'なし' }] : [{ label: '指定難病', value: '潰瘍性大腸炎' }],
  };
}

/**
 * The demo's story in Chiyoda, on residents no walk-through picks first (the 11th to 15th of its
 * register): a certificate that ended yesterday, one that starts in a month, a subject under DV
 * support measures (不開示), a certificate always reimbursed afterwards (償還払い), and one valid only
 * at a designated institution (the demo's first clinic). The mover (Osaka, then Chiyoda) is the other
 * half of the story: two municipalities' certificates for one person.
 */
const STORY_MUNICIPALITY = '131016';
const storyKey = (i: number) => `${STORY_MUNICIPALITY.slice(0, 2)}${String(100001 + i).padStart(8, '0')}`;
function tellStory(records: MedicalSubsidyRecord[], today: string, designated: string): void {
  const first = (i: number) => records.find((r) => r.municipalityIdentityKey === storyKey(i));
  const ended = first(10);
  if (ended) Object.assign(ended, { validFrom: addMonths(today, -12), validTo: addDaysIso(today, -1) });
  const designatedOnly = first(11);
  if (designatedOnly) designatedOnly.designatedMedicalInstitutions = designated;
  const later = first(12);
  if (later) Object.assign(later, { validFrom: addDaysIso(today, 30), validTo: addMonths(today, 13) });
  for (const r of records.filter((x) => x.municipalityIdentityKey === storyKey(13))) r.isNotDisclosed = '1';
  const reimbursed = first(14);
  if (reimbursed) reimbursed.isAlwaysReimbursement = '1';
}

/**
 * The demo's names: the test fixtures' pool and more, so that its 60-odd people each get a name of
 * their own (20 × 16 names to choose from, not 10 × 8) and a family's shared surname still leaves
 * given names free.
 */
const DEMO_FAMILY = [
  ...FAMILY,
  ['加藤', 'カトウ'],
  ['山本', 'ヤマモト'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'],
  ['清水', 'シミズ'],
  ['山口', 'ヤマグチ'],
  ['森', 'モリ'],
] as const;
const DEMO_GIVEN = [
  ...GIVEN,
  ['悠真', 'ユウマ'],
  ['美咲', 'ミサキ'],
  ['湊', 'ミナト'],
  ['葵', 'アオイ'],
  ['樹', 'イツキ'],
  ['凛', 'リン'],
  ['颯太', 'ソウタ'],
  ['芽依', 'メイ'],
] as const;
const demoName = (rng: Rng) => personName(rng, DEMO_FAMILY, DEMO_GIVEN);

/** `iso` plus whole months (a day past the month's end falls back to its last day). */
function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

/**
 * The doses a child of the demo had on time, up to `today`, in months after birth: a typical
 * infant schedule (B型肝炎 at 2, 3, 8 months; 五種混合 — 四種混合 and Hib before April 2024 — and
 * 小児用肺炎球菌 at 2, 3, 4 and 13 months; BCG at 5; MR 第1期 and 水痘 at 12, 水痘 again at 18), so the resident's forecast and
 * the municipality's records feed have something real to show.
 */
function pastDoses(r: DemoResident, today: string): VaccinationRecordInput[] {
  const birth = r.basicFiveInfo.dateOfBirth;
  const combined = addMonths(birth, 2) >= '2024-04-01';
  const plan: Array<[VaccinationRecordInput['vaccineCode'], number, number]> = [
    ['hepb', 1, 2],
    ['hepb', 2, 3],
    ['hepb', 3, 8],
    ['pcv', 1, 2],
    ['pcv', 2, 3],
    ['pcv', 3, 4],
    ['pcv', 4, 13],
    ['bcg', 1, 5],
    ['mr', 1, 12],
    ['varicella', 1, 12],
    ['varicella', 2, 18],
    ...([1, 2, 3, 4] as const).flatMap((n): Array<[VaccinationRecordInput['vaccineCode'], number, number]> => {
      const at = n === 4 ? 13 : n + 1;
      return combined
        ? [['dpt-ipv-hib', n, at]]
        : [
            ['dpt-ipv', n, at],
            ['hib', n, at],
          ];
    }),
  ];
  return plan
    .map(([vaccineCode, doseNumber, months]) => ({ vaccineCode, doseNumber, date: addMonths(birth, months) }))
    .filter((d) => d.date < today)
    .map((d) => ({ ...d, recordKey: `demo-${d.vaccineCode}-${d.doseNumber}`, lotNumber: `DEMO${d.date.replaceAll('-', '').slice(2)}` }));
}

// --- Maternal and child health (seed C①) ------------------------------------------------------

/** Where the maternal and child health demo lives: Chiyoda. Its people have 宛名番号 of their own series. */
const MCH_MUNICIPALITY = '131016';
/** The pregnant woman: at week 30, eight of her fourteen prenatal vouchers used. */
export const DEMO_PREGNANT_KEY = '1300300001';
/**
 * The infants, one at each checkup age: 45 days (1か月児 done), 4 months (3～4か月児), 7 months (6～7か月児,
 * flagged 要精査 with no detailed exam yet), 10 months (9～10か月児), 1 year 7 months (1歳6か月児) and
 * 3 years 2 months (3歳児), each with the results of every checkup so far.
 */
export const DEMO_INFANTS: ReadonlyArray<{ key: string; ageMonths: number; extraDays: number }> = [
  { key: '1300300011', ageMonths: 0, extraDays: 45 },
  { key: '1300300012', ageMonths: 4, extraDays: 5 },
  { key: '1300300013', ageMonths: 7, extraDays: 5 },
  { key: '1300300014', ageMonths: 10, extraDays: 5 },
  { key: '1300300015', ageMonths: 19, extraDays: 0 },
  { key: '1300300016', ageMonths: 38, extraDays: 0 },
];
/**
 * Two more infants for a group checkup session at the health centre (集団健診, the clinic app's
 * /checkups): 6 months and a few days old, their 6～7か月児 checkup still to come, each with its
 * unused voucher (受診券) — drawn from a random stream of their own, after everyone else.
 */
export const DEMO_GROUP_INFANTS: ReadonlyArray<{ key: string; ageMonths: number; extraDays: number }> = [
  { key: '1300300021', ageMonths: 6, extraDays: 2 },
  { key: '1300300022', ageMonths: 6, extraDays: 4 },
];
/** The child flagged 要精査 (detailed-exam) at the 6～7か月児 checkup. */
export const DEMO_DETAILED_EXAM_KEY = '1300300013';

function addDaysIso(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

type InfantKind = 'infant-1m' | 'infant-3-4m' | 'infant-6-7m' | 'infant-9-10m' | 'infant-1y6m' | 'infant-3y';

/**
 * Each infant checkup: when the demo child had it (inside its target window: 1か月児 on day 30, the
 * others some days into the completed months they are for — checkup-kinds.ts), and the boys' medians
 * of the 令和5年乳幼児身体発育調査 near that age (height cm, weight kg, head cm), which the demo varies a little.
 */
const INFANT_CHECKUPS: ReadonlyArray<{ kind: InfantKind; at: (birth: string) => string; height: number; weight: number; head: number }> = [
  { kind: 'infant-1m', at: (b) => addDaysIso(b, 30), height: 53.9, weight: 4.4, head: 37.0 },
  { kind: 'infant-3-4m', at: (b) => addDaysIso(addMonths(b, 3), 10), height: 62.0, weight: 6.6, head: 40.7 },
  { kind: 'infant-6-7m', at: (b) => addDaysIso(addMonths(b, 6), 10), height: 67.8, weight: 8.0, head: 43.3 },
  { kind: 'infant-9-10m', at: (b) => addDaysIso(addMonths(b, 9), 10), height: 71.8, weight: 8.9, head: 44.9 },
  { kind: 'infant-1y6m', at: (b) => addDaysIso(addMonths(b, 18), 10), height: 80.6, weight: 10.7, head: 46.8 },
  { kind: 'infant-3y', at: (b) => addDaysIso(addMonths(b, 36), 20), height: 94.6, weight: 14.0, head: 49.6 },
];

/**
 * The vouchers a child gets at birth, as the domain's defaults have them (checkup-kinds.ts
 * `defaultVoucher`, subsidy-caps.ts): 1か月児 in its window at 4,000円 (山県市), 6～7か月児 and 9～10か月児 to
 * the day before the first birthday at 6,000円 (常陸大宮市). The 3～4か月児, 1歳6か月児 and 3歳児 checkups are
 * the municipality's group checkups, free and without a voucher.
 */
function infantVouchers(key: string, birth: string): CheckupVoucher[] {
  const lastAsInfant = addDaysIso(addMonths(birth, 12), -1);
  return [
    { voucherNumber: `${key}-1M`, checkupKind: 'infant-1m', validFrom: addDaysIso(birth, 28), validTo: addDaysIso(birth, 41), subsidyCap: 4_000 },
    { voucherNumber: `${key}-67M`, checkupKind: 'infant-6-7m', validFrom: addMonths(birth, 6), validTo: lastAsInfant, subsidyCap: 6_000 },
    { voucherNumber: `${key}-910M`, checkupKind: 'infant-9-10m', validFrom: addMonths(birth, 9), validTo: lastAsInfant, subsidyCap: 6_000 },
  ];
}

function infantRecord(r: DemoResident, today: string, clinic: string, groupVenue: string, rng: Rng): MaternalChildSubjectRecord {
  const birth = r.basicFiveInfo.dateOfBirth;
  const girl = r.basicFiveInfo.sex === '2';
  const vouchers = infantVouchers(r.municipalityIdentityKey, birth);
  const vary = (v: number, digits: number) => Math.round(v * (girl ? 0.97 : 1) * (0.97 + rng.int(7) / 100) * 10 ** digits) / 10 ** digits;
  const results = INFANT_CHECKUPS.filter((c) => c.at(birth) < today).map((c): MunicipalCheckupResult => {
    const voucher = vouchers.find((v) => v.checkupKind === c.kind);
    const flagged = r.municipalityIdentityKey === DEMO_DETAILED_EXAM_KEY && c.kind === 'infant-6-7m';
    return {
      resultKey: `demo-${c.kind}`,
      checkupKind: c.kind,
      ...(voucher ? { voucherNumber: voucher.voucherNumber } : {}),
      date: c.at(birth),
      // 1か月児 and the 乳児一般健診 at a clinic with the voucher; 3～4か月児, 1歳6か月児 and 3歳児 at the health centre.
      institutionCode: voucher ? clinic : groupVenue,
      measurements: {
        heightCm: vary(c.height, 1),
        weightKg: vary(c.weight, 2),
        headCm: vary(c.head, 1),
        ...(c.kind === 'infant-3y' ? {} : { chestCm: vary(c.head - 0.5, 1) }),
      },
      ...(c.kind === 'infant-3y' ? { urine: { protein: '-' as const, glucose: '-' as const } } : {}),
      findings: flagged ? [{ area: 'limbs-motor' as const, finding: '股関節の開排制限（右）' }] : [{ area: 'growth' as const, finding: '順調' }],
      judgement: flagged ? 'detailed-exam' : 'healthy',
    };
  });
  return {
    modificationSeg: '1',
    myNumber: r.myNumber,
    municipalityIdentityKey: r.municipalityIdentityKey,
    basicFiveInfo: { ...r.basicFiveInfo, sex: r.basicFiveInfo.sex as MaternalChildSubjectRecord['basicFiveInfo']['sex'] },
    isNotDisclosed: false,
    vouchers,
    checkupResults: results,
  };
}

/**
 * The pregnant woman at week 30 (the due date 9 weeks and 3 days ahead): fourteen prenatal vouchers
 * (告示第226号's 14 visits) at 上野原市's 6,000円, the first eight used at visits in the weeks 三島市's
 * schedule gives them (checkup-kinds.ts PRENATAL_WEEKS), with the items of 告示第226号 第二.
 */
function pregnantRecord(r: DemoResident, today: string, clinic: string): MaternalChildSubjectRecord {
  const due = addDaysIso(today, 9 * 7 + 3);
  const weekDate = (week: number) => addDaysIso(due, (week - 40) * 7);
  const vouchers: CheckupVoucher[] = Array.from({ length: 14 }, (_, i) => ({
    voucherNumber: `${r.municipalityIdentityKey}-P${String(i + 1).padStart(2, '0')}`,
    checkupKind: 'prenatal',
    sequence: i + 1,
    validFrom: weekDate(7),
    validTo: addDaysIso(due, 14),
    subsidyCap: 6_000,
  }));
  const visits = [8, 13, 17, 21, 24, 26, 28, 30];
  const results = visits.map(
    (week, i): MunicipalCheckupResult => ({
      resultKey: `demo-prenatal-${i + 1}`,
      checkupKind: 'prenatal',
      sequence: i + 1,
      voucherNumber: vouchers[i].voucherNumber,
      date: weekDate(week),
      institutionCode: clinic,
      gestationalWeeks: week,
      measurements: {
        weightKg: Math.round((52 + 0.3 * (week - 8)) * 10) / 10,
        systolic: 108 + (i % 3) * 2,
        diastolic: 66 + (i % 2) * 2,
        abdominalCm: 70 + Math.round((week - 8) * 0.9),
        ...(week >= 16 ? { fundalHeightCm: week - 4 } : {}),
      },
      urine: { protein: '-', glucose: '-' },
      edema: '-',
      testsDone:
        i === 0
          ? [
              'blood-type',
              'irregular-antibodies',
              'complete-blood-count',
              'blood-glucose',
              'hepatitis-b-antigen',
              'hepatitis-c-antibody',
              'rubella-antibody',
              'ultrasound',
            ]
          : week === 30
            ? ['complete-blood-count', 'htlv1-antibody', 'ultrasound']
            : ['ultrasound'],
      findings: [],
      judgement: 'healthy',
    }),
  );
  return {
    modificationSeg: '1',
    myNumber: r.myNumber,
    municipalityIdentityKey: r.municipalityIdentityKey,
    basicFiveInfo: { ...r.basicFiveInfo, sex: '2' },
    isNotDisclosed: false,
    pregnancy: { expectedDeliveryDate: due },
    vouchers,
    checkupResults: results,
  };
}

export interface SeedResult {
  municipalities: DemoMunicipality[];
  residents: DemoResident[];
  tasks: number;
}

/**
 * Seeds an empty data directory: clients registered with the hub, demo files written, and the
 * registered residents sent through the hub's own municipal API (so the demo exercises the real path).
 */
export async function seedDemo(opts: {
  dataDir: string;
  urls: Record<DemoServiceName, string>;
  services: Record<DemoServiceName, Service>;
  seed?: number;
}): Promise<SeedResult> {
  const hubUrl = opts.urls.hub;
  const rng = new Rng(opts.seed ?? 20261125);
  const demoDir = path.join(opts.dataDir, 'demo');
  fs.mkdirSync(demoDir, { recursive: true });

  const municipalities: DemoMunicipality[] = [];
  for (const m of MUNICIPALITIES) {
    const k = await generateClientKey();
    const clientId = `municipality-${m.code}`;
    await opts.services.hub.base.clients.register(clientId, `municipality:${m.code}`, { keys: [k.publicJwk] });
    municipalities.push({ code: m.code, name: m.name, prefecture: m.prefecture, clientId, privateJwk: k.privateJwk as Record<string, unknown> });
  }
  const operatorKey = await generateClientKey();
  for (const s of Object.values(opts.services)) await s.base.clients.register('operator', 'admin', { keys: [operatorKey.publicJwk] });

  const residents: DemoResident[] = [];
  const cards: Array<{ cardSerial: string; privateJwk: unknown; name: string }> = [];
  // Every card of the demo names a different person: the reader's list is told apart by name.
  const names = new Set<string>();
  const uniqueName = (from: Rng) => {
    for (let tries = 0; ; tries++) {
      if (tries > 1000) throw new Error('the demo has run out of names');
      const n = demoName(from);
      if (!names.has(n.name)) {
        names.add(n.name);
        return n;
      }
    }
  };
  const cardPublic = new Map<string, { x: string; y: string }>();
  for (const m of MUNICIPALITIES) {
    for (let i = 0; i < RESIDENTS_PER_MUNICIPALITY; i++) {
      const n = uniqueName(rng);
      const adult = i % 3 === 2;
      const r: DemoResident = {
        municipalityCode: m.code,
        municipalityIdentityKey: `${m.code.slice(0, 2)}${String(100001 + i).padStart(8, '0')}`,
        myNumber: myNumber(rng),
        basicFiveInfo: {
          ...n,
          address: m.address,
          dateOfBirth: adult ? dateBetween(rng, 1950, 1995) : dateBetween(rng, 2012, 2024),
          sex: rng.pick(['1', '2']),
        },
        cardSerial: cardSerial(rng),
        registered: i < REGISTERED_PER_MUNICIPALITY,
      };
      residents.push(r);
      const card = await generateSigningKey();
      cards.push({ cardSerial: r.cardSerial, privateJwk: card.privateJwk, name: n.name });
      cardPublic.set(r.cardSerial, { x: card.publicJwk.x as string, y: card.publicJwk.y as string });
    }
  }
  // A family in each municipality, for the guardian (代理人) pages: an adult and a child of the same
  // household (one surname, one address), both registered — the child as an infant (about 14 months old
  // in Chiyoda, 4 months in Osaka, so the schedule shows due, upcoming and complete doses).
  const today = new Date().toISOString().slice(0, 10);
  const families: Array<{ municipalityCode: string; guardian: { cardSerial: string; name: string }; children: Array<{ cardSerial: string; name: string }> }> =
    [];
  const familyRng = new Rng((opts.seed ?? 20261125) + 16);
  for (const [k, m] of MUNICIPALITIES.entries()) {
    const mine = residents.filter((r) => r.municipalityCode === m.code);
    const guardian = mine[2]; // i % 3 === 2: an adult, registered
    const child = mine[1]; // a child, registered
    const surname = (s: string) => s.split('　')[0];
    const given = (s: string) => s.split('　').slice(1).join('　');
    // The child takes the guardian's surname; a given name that would make someone else's name is
    // drawn again (from a stream of its own), so every card still names a different person.
    let first = child.basicFiveInfo;
    for (let tries = 0; names.has(`${surname(guardian.basicFiveInfo.name)}　${given(first.name)}`); tries++) {
      if (tries > 1000) throw new Error('the demo has run out of names for a family');
      first = { ...first, ...demoName(familyRng) };
    }
    names.delete(child.basicFiveInfo.name);
    names.add(`${surname(guardian.basicFiveInfo.name)}　${given(first.name)}`);
    child.basicFiveInfo = {
      ...child.basicFiveInfo,
      name: `${surname(guardian.basicFiveInfo.name)}　${given(first.name)}`,
      nameKana: `${surname(guardian.basicFiveInfo.nameKana)}　${given(first.nameKana)}`,
      dateOfBirth: addMonths(today, k === 0 ? -14 : -4),
    };
    cards.find((c) => c.cardSerial === child.cardSerial)!.name = child.basicFiveInfo.name;
    families.push({
      municipalityCode: m.code,
      guardian: { cardSerial: guardian.cardSerial, name: guardian.basicFiveInfo.name },
      children: [{ cardSerial: child.cardSerial, name: child.basicFiveInfo.name }],
    });
  }

  // One person who moved from Osaka to Chiyoda: two subjects, one person (one My Number, one card).
  const mover = residents.find((r) => r.municipalityCode === '271004' && r.registered)!;
  residents.push({
    ...mover,
    municipalityCode: '131016',
    municipalityIdentityKey: '1300200001',
    basicFiveInfo: { ...mover.basicFiveInfo, address: MUNICIPALITIES[0].address },
    registered: true,
  });

  // Maternal and child health (seed C): a pregnant woman and an infant at each checkup age in Chiyoda,
  // from a random stream of their own, so that everyone above stays as before.
  const mchRng = new Rng((opts.seed ?? 20261125) + 13);
  const chiyoda = MUNICIPALITIES.find((m) => m.code === MCH_MUNICIPALITY)!;
  const mchPeople = [
    { key: DEMO_PREGNANT_KEY, dateOfBirth: '1994-05-20', sex: '2' },
    ...DEMO_INFANTS.map((c, i) => ({ key: c.key, dateOfBirth: addDaysIso(addMonths(today, -c.ageMonths), -c.extraDays), sex: i % 2 ? '2' : '1' })),
  ];
  for (const p of mchPeople) {
    const n = uniqueName(mchRng);
    const r: DemoResident = {
      municipalityCode: MCH_MUNICIPALITY,
      municipalityIdentityKey: p.key,
      myNumber: myNumber(mchRng),
      basicFiveInfo: { ...n, address: chiyoda.address, dateOfBirth: p.dateOfBirth, sex: p.sex },
      cardSerial: cardSerial(mchRng),
      registered: true,
    };
    residents.push(r);
    const card = await generateSigningKey();
    cards.push({ cardSerial: r.cardSerial, privateJwk: card.privateJwk, name: n.name });
    cardPublic.set(r.cardSerial, { x: card.publicJwk.x as string, y: card.publicJwk.y as string });
  }

  // The group checkup's two infants, from a stream of their own (everyone above stays as before).
  const groupRng = new Rng((opts.seed ?? 20261125) + 14);
  for (const [i, c] of DEMO_GROUP_INFANTS.entries()) {
    const n = uniqueName(groupRng);
    const r: DemoResident = {
      municipalityCode: MCH_MUNICIPALITY,
      municipalityIdentityKey: c.key,
      myNumber: myNumber(groupRng),
      basicFiveInfo: { ...n, address: chiyoda.address, dateOfBirth: addDaysIso(addMonths(today, -c.ageMonths), -c.extraDays), sex: i % 2 ? '2' : '1' },
      cardSerial: cardSerial(groupRng),
      registered: true,
    };
    residents.push(r);
    const card = await generateSigningKey();
    cards.push({ cardSerial: r.cardSerial, privateJwk: card.privateJwk, name: n.name });
    cardPublic.set(r.cardSerial, { x: card.publicJwk.x as string, y: card.publicJwk.y as string });
  }

  const clinics = [];
  for (const [i, name] of ['千代田こどもクリニック', '中之島内科医院', '丸の内薬局'].entries()) {
    const k = await generateClientKey();
    const code = institutionCode(rng, i === 1 ? '27' : '13');
    clinics.push({ institutionCode: code, name, clientId: `clinic-${code}`, privateJwk: k.privateJwk });
    // Medical institutions are clients of OQS (eligibility) and of the portal (the consent relay for
    // vaccination records), each allowed to ask only as itself.
    await opts.services.oqs.base.clients.register(`clinic-${code}`, `clinic:${code}`, { keys: [k.publicJwk] });
    await opts.services.portal.base.clients.register(`clinic-${code}`, `clinic:${code}`, { keys: [k.publicJwk] });
  }

  const write = (file: string, value: unknown) => fs.writeFileSync(path.join(demoDir, file), JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  write('municipalities.json', municipalities);
  write('residents.json', residents);
  write('cards.json', cards);
  write('clinics.json', clinics);
  write('families.json', families);
  write('operator.json', { clientId: 'operator', role: 'admin', privateJwk: operatorKey.privateJwk });

  // Everyone is insured: the insurer's enrolment gives the ID server a 紐付番号, and OQS knows the
  // portal pseudonym and the card of that number (what J-LIS and the insurers provide in reality).
  const operator = (service: DemoServiceName) =>
    new TokenClient({ baseUrl: opts.urls[service], clientId: 'operator', privateJwk: operatorKey.privateJwk as any });
  const people = new Map<string, { linkageNumber: string; pseudonym: string; cardSerial: string }>();
  for (const r of residents)
    if (!people.has(r.myNumber)) people.set(r.myNumber, { linkageNumber: randomLinkageNumber(), pseudonym: randomIdentifier('ps'), cardSerial: r.cardSerial });
  const as = (service: DemoServiceName) => {
    const tokens = operator(service);
    return new ApiClient(opts.urls[service], { authorization: () => tokens.authorization(), invalidate: () => tokens.invalidate() });
  };
  await as('idserver').ok(idserverApi.importLinkageNumbers, {
    body: { entries: [...people].map(([myNumber, p]) => ({ myNumber, linkageNumber: p.linkageNumber })) },
  });
  // The hub names the demo's medical institutions in a resident's access log (the operator's registry).
  await as('hub').ok(hubApi.admin.putMedicalInstitutions, {
    body: { institutions: clinics.map((c) => ({ institutionCode: c.institutionCode, name: c.name })) },
  });
  await as('oqs').ok(oqsApi.importInsured, {
    body: {
      entries: [...people.values()].map((p) => ({
        linkageNumber: p.linkageNumber,
        pseudonym: p.pseudonym,
        cards: [{ cardSerial: p.cardSerial, publicJwk: { kty: 'EC' as const, crv: 'P-256' as const, ...cardPublic.get(p.cardSerial)! } }],
      })),
    },
  });

  let tasks = 0;
  for (const m of municipalities) {
    const tokens = new TokenClient({ baseUrl: hubUrl, clientId: m.clientId, privateJwk: m.privateJwk as any });
    const hub = new ApiClient(hubUrl, { authorization: () => tokens.authorization(), invalidate: () => tokens.invalidate() });
    const programs = programsOf(m.prefecture);
    for (const { certificateTypeId, ...p } of programs)
      await hub.ok(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: p });
    const mine = residents.filter((r) => r.municipalityCode === m.code && r.registered);
    // The pregnant woman holds no subsidy certificate (the children of the demo hold 子ども医療費).
    const records = mine
      .filter((r) => r.municipalityIdentityKey !== DEMO_PREGNANT_KEY)
      .flatMap((r, i) => {
        const adult = r.basicFiveInfo.dateOfBirth < '2000-01-01';
        const recs = [subsidyRecord(r, adult ? programs[1] : programs[0], rng)];
        if (i % 5 === 0 && !adult) recs.push(subsidyRecord(r, programs[1], rng)); // some children hold two certificates
        return recs;
      });
    if (m.code === STORY_MUNICIPALITY) tellStory(records, today, clinics[0].institutionCode);
    const { taskId } = await hub.ok(hubApi.municipal.registerMedicalSubsidy, {
      body: records,
      headers: { 'idempotency-key': `seed-${m.code}-${hubApi.municipal.registerMedicalSubsidy.path}` },
    });
    await finished(hub, taskId);
    tasks++;

    // The registered children under seven, with the doses they had, registered for vaccination.
    const children: VaccinationSubjectRecord[] = mine
      .filter((r) => r.basicFiveInfo.dateOfBirth > addMonths(today, -84))
      .map((r) => ({
        modificationSeg: '1',
        myNumber: r.myNumber,
        municipalityIdentityKey: r.municipalityIdentityKey,
        basicFiveInfo: { ...r.basicFiveInfo, sex: r.basicFiveInfo.sex as VaccinationSubjectRecord['basicFiveInfo']['sex'] },
        // The story's DV-protected child stays so in every process that registers them.
        isNotDisclosed: m.code === STORY_MUNICIPALITY && r.municipalityIdentityKey === storyKey(13),
        vaccinationRecords: pastDoses(r, today),
      }));
    if (children.length) {
      const v = await hub.ok(hubApi.municipal.registerVaccination, {
        body: children,
        headers: { 'idempotency-key': `seed-${m.code}-${hubApi.municipal.registerVaccination.path}` },
      });
      await finished(hub, v.taskId);
      tasks++;
    }

    // Maternal and child health: the pregnant woman and the infants, with their vouchers and results.
    if (m.code === MCH_MUNICIPALITY) {
      const clinic = clinics[0].institutionCode;
      // The health centre (保健センター) of the group checkups, as a 10-digit code of the municipality's own.
      const groupVenue = institutionCode(mchRng, chiyoda.prefecture);
      const byKey = new Map(mine.map((r) => [r.municipalityIdentityKey, r]));
      const body = [
        pregnantRecord(byKey.get(DEMO_PREGNANT_KEY)!, today, clinic),
        ...DEMO_INFANTS.map((c) => infantRecord(byKey.get(c.key)!, today, clinic, groupVenue, mchRng)),
        ...DEMO_GROUP_INFANTS.map((c) => infantRecord(byKey.get(c.key)!, today, clinic, groupVenue, new Rng((opts.seed ?? 20261125) + 15))),
      ];
      const mc = await hub.ok(hubApi.municipal.registerMaternalChild, {
        body,
        headers: { 'idempotency-key': `seed-${m.code}-${hubApi.municipal.registerMaternalChild.path}` },
      });
      await finished(hub, mc.taskId);
      tasks++;
    }
  }
  return { municipalities, residents, tasks };
}

/** Waits for a registration task; a refused demo record is a bug of the seed, so it throws. */
async function finished(hub: ApiClient, taskId: string): Promise<void> {
  for (let waited = 0; ; waited += 50) {
    const t = await hub.ok(hubApi.municipal.getTask, { params: { taskId } });
    if (t.status === 'done' || t.status === 'failed') {
      if (t.failed > 0)
        throw new Error(`seed: ${t.failed} demo records were refused: ${JSON.stringify(t.results.filter((r) => r.outcome === 'failed').slice(0, 3))}`);
      return;
    }
    if (waited > 60_000) throw new Error('seed: registration did not finish in 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function isSeeded(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'demo', 'municipalities.json'));
}

/** A demo officer of the municipal console, as `demo/officers.json` lists them. */
export interface DemoOfficer {
  municipalityCode: string;
  loginId: string;
  password: string;
  totpSecret: string;
  role: 'read' | 'register' | 'notify' | 'admin';
}

/** Each demo municipality's officers: one per role (閲覧, 登録, 通知, 管理). */
const DEMO_OFFICER_ROLES = [
  ['kanri', 'admin'],
  ['touroku', 'register'],
  ['tsuchi', 'notify'],
  ['etsuran', 'read'],
] as const;

/**
 * The municipal console's demo officers: created in the hub and written to `demo/officers.json`
 * (password and TOTP secret, as an officer's own notes and authenticator app would hold them). Done
 * once per data directory; answers the file's path.
 */
export async function seedOfficers(dataDir: string, hub: Service): Promise<string> {
  const file = path.join(dataDir, 'demo', 'officers.json');
  if (fs.existsSync(file)) return file;
  const officers: DemoOfficer[] = [];
  for (const m of MUNICIPALITIES)
    for (const [loginId, role] of DEMO_OFFICER_ROLES) {
      const password = `demo-${crypto.randomBytes(9).toString('base64url')}`;
      const { created, totpSecret } = await addOfficer(hub.base.db, hub.base.cipher, { municipalityCode: m.code, loginId, password, role });
      if (created) officers.push({ municipalityCode: m.code, loginId, password, totpSecret, role });
    }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(officers, null, 2) + '\n', { mode: 0o600 });
  return file;
}
