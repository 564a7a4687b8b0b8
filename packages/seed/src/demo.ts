import fs from 'node:fs';
import path from 'node:path';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { generateSigningKey, randomIdentifier, randomLinkageNumber } from '@pmh/core/crypto/index';
import crypto from 'node:crypto';
import type { Service } from '@pmh/core/service';
import { addOfficer } from '@pmh/hub/console-officers';
import { ApiClient, hubApi, idserverApi, oqsApi, type MedicalSubsidyRecord, type VaccinationRecordInput, type VaccinationSubjectRecord } from '@pmh/protocol';
import { Rng, myNumber, payerNumber, recipientNumber, personName, dateBetween } from './synthetic.ts';

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
  const cardPublic = new Map<string, { x: string; y: string }>();
  for (const m of MUNICIPALITIES) {
    for (let i = 0; i < RESIDENTS_PER_MUNICIPALITY; i++) {
      const n = personName(rng);
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
  // One person who moved from Osaka to Chiyoda: two subjects, one person (one My Number, one card).
  const mover = residents.find((r) => r.municipalityCode === '271004' && r.registered)!;
  residents.push({
    ...mover,
    municipalityCode: '131016',
    municipalityIdentityKey: '1300200001',
    basicFiveInfo: { ...mover.basicFiveInfo, address: MUNICIPALITIES[0].address },
    registered: true,
  });

  const clinics = [];
  for (const [i, name] of ['千代田こどもクリニック', '中之島内科医院', '丸の内薬局'].entries()) {
    const k = await generateClientKey();
    const code = institutionCode(rng, i === 1 ? '27' : '13');
    clinics.push({ institutionCode: code, name, clientId: `clinic-${code}`, privateJwk: k.privateJwk });
    // Medical institutions are clients of OQS, each allowed to ask only as itself.
    await opts.services.oqs.base.clients.register(`clinic-${code}`, `clinic:${code}`, { keys: [k.publicJwk] });
  }

  const write = (file: string, value: unknown) => fs.writeFileSync(path.join(demoDir, file), JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  write('municipalities.json', municipalities);
  write('residents.json', residents);
  write('cards.json', cards);
  write('clinics.json', clinics);
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
    const records = mine.flatMap((r, i) => {
      const adult = r.basicFiveInfo.dateOfBirth < '2000-01-01';
      const recs = [subsidyRecord(r, adult ? programs[1] : programs[0], rng)];
      if (i % 5 === 0 && !adult) recs.push(subsidyRecord(r, programs[1], rng)); // some children hold two certificates
      return recs;
    });
    const { taskId } = await hub.ok(hubApi.municipal.registerMedicalSubsidy, {
      body: records,
      headers: { 'idempotency-key': `seed-${m.code}-${hubApi.municipal.registerMedicalSubsidy.path}` },
    });
    await finished(hub, taskId);
    tasks++;

    // The registered children under seven, with the doses they had, registered for vaccination.
    const today = new Date().toISOString().slice(0, 10);
    const children: VaccinationSubjectRecord[] = mine
      .filter((r) => r.basicFiveInfo.dateOfBirth > addMonths(today, -84))
      .map((r) => ({
        modificationSeg: '1',
        myNumber: r.myNumber,
        municipalityIdentityKey: r.municipalityIdentityKey,
        basicFiveInfo: { ...r.basicFiveInfo, sex: r.basicFiveInfo.sex as VaccinationSubjectRecord['basicFiveInfo']['sex'] },
        isNotDisclosed: false,
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
