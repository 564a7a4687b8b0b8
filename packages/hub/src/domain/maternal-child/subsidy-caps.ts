/**
 * Subsidy caps of checkup vouchers (受診券の助成上限額) as municipalities publish them. Each municipality
 * sets its own; a voucher registered at the hub always states its cap. These published tables give the
 * defaults a municipality (or the demo) starts from, and show the two shapes tables take: one basic
 * cap per visit with separate vouchers for the blood tests (上野原市), or a first visit that carries
 * the blood tests at a higher cap (大石田町).
 */
import type { CheckupKind } from '@pmh/protocol';

export interface PublishedCap {
  checkupKind: CheckupKind;
  /** The voucher sequences the cap applies to (妊婦健診 1–14, 産婦健診 1–2); all when absent. */
  sequences?: [number, number];
  cap: number;
  /** What the voucher pays for, as the table says. */
  covers: string;
}

export interface PublishedSubsidyTable {
  municipality: string;
  source: string;
  entries: PublishedCap[];
  /** Vouchers for tests on their own (追加検査), used alongside a visit's voucher. */
  additionalTests?: Array<{ label: string; cap: number; covers: string }>;
}

/** 上野原市 (山梨県), 妊婦一般健康診査受診票: 基本健診 全14回 1回 6,000円上限, blood tests on their own vouchers. */
export const UENOHARA_PRENATAL: PublishedSubsidyTable = {
  municipality: '上野原市',
  source: 'https://www.city.uenohara.yamanashi.jp/gyosei/docs/ninpuippankenkosinsajyushinhyo.html',
  entries: [
    {
      checkupKind: 'prenatal',
      sequences: [1, 14],
      cap: 6000,
      covers: '基本健診: 健康状態の把握、検査計測（子宮底長、腹囲、血圧、浮腫、尿検査等）、保健指導、超音波検査',
    },
  ],
  additionalTests: [
    {
      label: '追加検査1',
      cap: 8000,
      covers: '血液等の検査、B型肝炎抗原検査、C型肝炎抗体検査、HIV抗体検査、梅毒血清反応検査、風疹ウイルス抗体検査、子宮頸がん検診、HTLV-1抗体検査',
    },
    { label: '追加検査2', cap: 1000, covers: '性器クラミジア検査' },
    { label: '追加検査3', cap: 1000, covers: '血糖検査' },
    { label: '追加検査4', cap: 1000, covers: '血算検査' },
    { label: '追加検査5', cap: 1750, covers: 'B群溶血性レンサ球菌検査' },
    { label: '追加検査6', cap: 1000, covers: '血算検査' },
  ],
};

/** 大石田町 (山形県) 妊婦健康診査 要綱 別表1: the first visit with its blood tests 10,000円, every later visit 5,000円. */
export const OISHIDA_PRENATAL: PublishedSubsidyTable = {
  municipality: '大石田町',
  source: 'https://lg.joureikun.jp/oishida_town/reiki/act/content/content110000472.htm',
  entries: [
    {
      checkupKind: 'prenatal',
      sequences: [1, 1],
      cap: 10000,
      covers: '初回健診: 健康状態の把握、定期検査、保健指導、血液検査（血液型、血算、血糖、B型肝炎抗原、C型肝炎抗体ほか）',
    },
    { checkupKind: 'prenatal', sequences: [2, 4], cap: 5000, covers: '妊娠初期～23週: 健康状態の把握、定期検査、保健指導' },
    { checkupKind: 'prenatal', sequences: [5, 10], cap: 5000, covers: '妊娠24週～35週: 定期検査、血液検査（血算・血糖）、GBS' },
    { checkupKind: 'prenatal', sequences: [11, 14], cap: 5000, covers: '妊娠36週～出産: 定期検査、血液検査（血算）' },
  ],
};

/** 下田市 (静岡県) 産婦健康診査: 1回につき5,000円上限, 産後2週間 and 産後1か月. */
export const SHIMODA_POSTPARTUM: PublishedSubsidyTable = {
  municipality: '下田市',
  source: 'https://city.shimoda.shizuoka.jp/category/030000kenkou_hoken/142223.html',
  entries: [{ checkupKind: 'postpartum', sequences: [1, 2], cap: 5000, covers: '問診、診察、体重・血圧測定、尿検査、こころの健康チェック表' }],
};

/** 山県市 (岐阜県) 1か月児健康診査: 1人4,000円上限, 出生後27日を超え生後6週に達しない時期. */
export const YAMAGATA_GIFU_1M: PublishedSubsidyTable = {
  municipality: '山県市',
  source: 'https://www.city.yamagata.gifu.jp/site/yamanavi/48262.html',
  entries: [
    {
      checkupKind: 'infant-1m',
      cap: 4000,
      covers: '身体発育状況、栄養状態、疾病と異常の有無、新生児聴覚検査・先天性代謝異常検査の実施状況の確認、ビタミンK2投与の確認',
    },
  ],
};

/** 常陸大宮市 (茨城県) 乳児健康診査: 1か月児, 乳児一般健康診査 第1回 (6～7か月頃) and 第2回 (9～10か月頃), each 6,000円上限. */
export const HITACHIOMIYA_INFANT: PublishedSubsidyTable = {
  municipality: '常陸大宮市',
  source: 'https://www.city.hitachiomiya.lg.jp/happy_kosodate/kenkou/child/page005534.html',
  entries: [
    { checkupKind: 'infant-1m', cap: 6000, covers: '1か月児健康診査' },
    { checkupKind: 'infant-6-7m', cap: 6000, covers: '乳児一般健康診査（第1回）' },
    { checkupKind: 'infant-9-10m', cap: 6000, covers: '乳児一般健康診査（第2回）' },
  ],
};

export const PUBLISHED_SUBSIDY_TABLES = [UENOHARA_PRENATAL, OISHIDA_PRENATAL, SHIMODA_POSTPARTUM, YAMAGATA_GIFU_1M, HITACHIOMIYA_INFANT];

/**
 * The default cap of each kind's voucher: 妊婦健診 上野原市's basic visit, 産婦健診 下田市's, 1か月児
 * 山県市's (the same 4,000円 as 吉岡町), 6–7か月児 and 9–10か月児 常陸大宮市's. The 3–4か月児, 1歳6か月児 and
 * 3歳児 checkups are mostly group checkups the municipality holds itself, free to the family and
 * without a voucher: no published cap was found, so there is no default and a voucher for one must
 * state its cap.
 */
const DEFAULT_TABLE: Array<[PublishedSubsidyTable, CheckupKind]> = [
  [UENOHARA_PRENATAL, 'prenatal'],
  [SHIMODA_POSTPARTUM, 'postpartum'],
  [YAMAGATA_GIFU_1M, 'infant-1m'],
  [HITACHIOMIYA_INFANT, 'infant-6-7m'],
  [HITACHIOMIYA_INFANT, 'infant-9-10m'],
];

/** The cap a published table gives a voucher of this kind and sequence, if it gives one. */
export function capIn(table: PublishedSubsidyTable, checkupKind: CheckupKind, sequence?: number): number | undefined {
  const e = table.entries.find(
    (x) => x.checkupKind === checkupKind && (!x.sequences || sequence === undefined || (sequence >= x.sequences[0] && sequence <= x.sequences[1])),
  );
  return e?.cap;
}

/** The default subsidy cap of a voucher, or undefined where no published default exists. */
export function defaultSubsidyCap(checkupKind: CheckupKind, sequence?: number): number | undefined {
  const hit = DEFAULT_TABLE.find(([, kind]) => kind === checkupKind);
  return hit ? capIn(hit[0], checkupKind, sequence) : undefined;
}

/** What a claim may ask for one use of a voucher: the fee charged, at most the voucher's cap. */
export function subsidisedAmount(feeCharged: number, subsidyCap: number): number {
  return Math.max(0, Math.min(Math.floor(feeCharged), subsidyCap));
}
