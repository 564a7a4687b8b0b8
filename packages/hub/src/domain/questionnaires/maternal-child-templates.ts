/**
 * 問診票 of the maternal-and-child checkups, one per checkup kind, filled in beforehand on the phone.
 *
 * The infant checkups carry the questions of 健やか親子21（第2次） that the national survey of checkup
 * answers (乳幼児健康診査問診回答状況) collects at 3–4 months, 1 year 6 months and 3 years, and that the
 * standard electronic record (標準的な電子的記録様式) keeps; the 3歳児 form also carries the standard
 * record's questions on past illness. The 健やか親子21 questions on the parents' smoking and on drinking
 * in pregnancy are left out: the national standard keeps smoking and drinking out of electronic records
 * as too sensitive (標準的な電子的記録様式に含まれていない項目), and we hold the questionnaire
 * electronically. Municipalities that need those figures ask them at the venue.
 *
 * Each item says how closely it follows its source (template.ts: form / content / ours).
 */
import type { CheckupKind } from '@pmh/protocol';
import type { QuestionnaireTemplate, TemplateItem } from './template.ts';
import { choice, followUp, note, numberItem, yesNo } from './items.ts';

const HS21 = 'hs21-indicators';
const STD = 'standard-record-infant';
const MOTOR = 'growth-survey-motor';

const FEEDING: Array<[string, string]> = [
  ['breast', '母乳のみ'],
  ['mixed', '母乳と人工乳（混合）'],
  ['formula', '人工乳のみ'],
];

/** 健やか親子21（第2次）: the questions every infant checkup of the survey asks. */
function hs21Common(): TemplateItem[] {
  return [
    choice(
      'hs21-community',
      'この地域で、今後も子育てをしていきたいですか。',
      [
        ['yes', 'そう思う'],
        ['rather-yes', 'どちらかといえばそう思う'],
        ['rather-no', 'どちらかといえばそう思わない'],
        ['no', 'そう思わない'],
      ],
      STD,
    ),
    choice(
      'hs21-economy',
      '現在の暮らしの経済的状況を総合的にみて、どう感じていますか。',
      [
        ['very-comfortable', '大変ゆとりがある'],
        ['comfortable', 'ややゆとりがある'],
        ['ordinary', '普通'],
        ['hard', 'やや苦しい'],
        ['very-hard', '大変苦しい'],
      ],
      STD,
    ),
    choice(
      'hs21-relaxed-time',
      'お母さんは、ゆったりとした気分でお子さんと過ごせる時間がありますか。',
      [
        ['yes', 'はい'],
        ['no', 'いいえ'],
        ['unsure', '何ともいえない'],
      ],
      HS21,
      { basis: 'content' },
    ),
    choice(
      'hs21-difficulty',
      'あなたは、お子さんに対して、育てにくさを感じていますか。',
      [
        ['always', 'いつも感じる'],
        ['sometimes', '時々感じる'],
        ['never', '感じない'],
      ],
      HS21,
    ),
    choice(
      'hs21-difficulty-solution',
      '育てにくさを感じた時に、相談先を知っているなど、何らかの解決する方法を知っていますか。',
      [
        ['yes', 'はい'],
        ['no', 'いいえ'],
      ],
      HS21,
      { after: { itemId: 'hs21-difficulty', anyOf: ['always', 'sometimes'] } },
    ),
    choice(
      'hs21-father-parenting',
      'お子さんのお父さんは、育児をしていますか。',
      [
        ['often', 'よくやっている'],
        ['sometimes', '時々やっている'],
        ['rarely', 'ほとんどしない'],
        ['unsure', '何ともいえない'],
      ],
      HS21,
      { basis: 'content' },
    ),
    choice(
      'hs21-household',
      'この数か月の間に、ご家庭で以下のことがありましたか。あてはまるものをすべて選んでください。',
      [
        ['over-discipline', 'しつけのし過ぎがあった'],
        ['hit', '感情的に叩いた'],
        ['left-alone', '乳幼児だけを家に残して外出した'],
        ['no-food', '長時間食事を与えなかった'],
        ['shouted', '感情的な言葉で怒鳴った'],
        ['covered-mouth', '子どもの口をふさいだ'],
        ['shook', '子どもを激しく揺さぶった'],
        ['none', 'いずれにも該当しない'],
      ],
      'hs21-abuse-items',
      { multiple: true, exclusive: ['none'] },
    ),
  ];
}

const familyDoctor = () =>
  choice(
    'hs21-family-doctor',
    'お子さんのかかりつけの医師はいますか。',
    [
      ['yes', 'はい'],
      ['no', 'いいえ'],
    ],
    HS21,
    { basis: 'content' },
  );

const worries = () => note('worries', '気になること、相談したいことがあれば書いてください。');

function infant1m(): TemplateItem[] {
  return [
    numberItem('birth-weight', '出生時の体重', { min: 300, max: 6000, unit: 'g' }, STD, { basis: 'content', required: false }),
    choice('feeding', '現在の栄養法', FEEDING, 'one-month-checkup', { basis: 'content' }),
    choice(
      'hearing-screening',
      '新生児聴覚検査を受けましたか。',
      [
        ['pass', '受けた（パス）'],
        ['refer', '受けた（要再検）'],
        ['not-done', '受けていない'],
      ],
      'one-month-checkup',
      { basis: 'content' },
    ),
    yesNo('vitamin-k', 'ビタミンK2シロップを飲みましたか。', 'one-month-checkup', { basis: 'content' }),
    choice(
      'stool-color',
      '便の色に最も近い便色カードの番号',
      [1, 2, 3, 4, 5, 6, 7].map((n) => [String(n), `${n}番`]),
      'stool-color-card',
      { basis: 'content' },
    ),
    worries(),
  ];
}

function infant3to4m(): TemplateItem[] {
  return [
    numberItem('birth-weight', '出生時の体重', { min: 300, max: 6000, unit: 'g' }, STD, { basis: 'content', required: false }),
    choice('feeding-at-1m', '生後1か月時の栄養法', FEEDING, HS21, { basis: 'content' }),
    yesNo('head-control', '首がすわりましたか。', MOTOR, { basis: 'content' }),
    choice(
      'hs21-postnatal-care',
      '産後、退院してからの1か月程度、助産師や保健師等からの指導・ケアは十分に受けることができましたか。',
      [
        ['yes', 'はい'],
        ['no', 'いいえ'],
        ['unsure', 'どちらとも言えない'],
      ],
      HS21,
    ),
    yesNo('hs21-sbs', '乳幼児揺さぶられ症候群（SBS）を知っていますか。', HS21, { basis: 'content' }),
    ...hs21Common(),
    familyDoctor(),
    worries(),
  ];
}

function infant6to7m(): TemplateItem[] {
  return [
    yesNo('rolling-over', 'ねがえりをしますか。', MOTOR, { basis: 'content' }),
    yesNo('sitting', 'ひとりすわりをしますか。', MOTOR, { basis: 'content' }),
    worries(),
  ];
}

function infant9to10m(): TemplateItem[] {
  return [
    yesNo('crawling', 'はいはいをしますか。', MOTOR, { basis: 'content' }),
    yesNo('pulling-up', 'つかまり立ちをしますか。', MOTOR, { basis: 'content' }),
    worries(),
  ];
}

function infant1y6m(): TemplateItem[] {
  return [
    yesNo('walking', 'ひとり歩きをしますか。', MOTOR, { basis: 'content' }),
    yesNo('words', '意味のあることばを話しますか。', MOTOR, { basis: 'content' }),
    choice(
      'hs21-tooth-brushing',
      '保護者が、毎日、仕上げ磨きをしていますか。',
      [
        ['parent-after-child', '子どもが磨いた後、保護者が仕上げ磨きをしている'],
        ['parent-only', '子どもが磨かずに、保護者だけで磨いている'],
        ['child-only', '子どもだけで磨いている'],
        ['none', '子どもも保護者も磨いていない'],
      ],
      HS21,
      { basis: 'content' },
    ),
    ...hs21Common(),
    worries(),
  ];
}

function infant3y(): TemplateItem[] {
  const seen: Array<[string, string]> = [
    ['yes', 'できた'],
    ['no', 'できなかった（見えない・聞こえない様子だった）'],
    ['not-done', '家庭でできなかった'],
  ];
  return [
    yesNo('congenital-disease', '生まれつきの病気はありますか。', STD),
    followUp('congenital-disease-name', '病名', 'congenital-disease', STD, [true], { basis: 'ours' }),
    yesNo('convulsion', 'けいれんを起こしたことはありますか。', STD),
    yesNo('asthma-atopy', 'ぜんそくやアトピー性皮膚炎と言われたことはありますか。', STD),
    yesNo('food-allergy', '食物アレルギーについて気がかりなことがありますか。', STD),
    yesNo('accident', 'これまで事故で病院にかかったことがありますか。', STD, { basis: 'content' }),
    choice('home-vision-test', '家庭での視力検査はできましたか。', seen, 'home-tests-3y', { basis: 'content' }),
    choice('home-hearing-test', '家庭での聴力検査（ささやき声）はできましたか。', seen, 'home-tests-3y', { basis: 'content' }),
    ...hs21Common(),
    familyDoctor(),
    choice(
      'hs21-family-dentist',
      'お子さんのかかりつけの歯科医師はいますか。',
      [
        ['yes', 'はい'],
        ['no', 'いいえ'],
      ],
      HS21,
      { basis: 'content' },
    ),
    worries(),
  ];
}

function prenatal(sequence: number): TemplateItem[] {
  const first =
    sequence === 1
      ? [
          numberItem('pre-pregnancy-weight', '妊娠前の体重', { min: 25, max: 200, unit: 'kg', decimals: 1 }, 'prenatal-standard', { basis: 'content' }),
          numberItem('height', '身長', { min: 120, max: 210, unit: 'cm', decimals: 1 }, 'prenatal-standard', { basis: 'content' }),
        ]
      : [];
  return [
    ...first,
    yesNo('symptoms-since-last', '前回の健診から今日までに、気になる体調の変化はありましたか。', 'ours', { basis: 'ours' }),
    followUp('symptoms-since-last-text', 'どのような変化ですか。', 'symptoms-since-last', 'ours', [true], { basis: 'ours' }),
    worries(),
  ];
}

function postpartum(): TemplateItem[] {
  return [
    choice('feeding', '授乳の状況', FEEDING, 'postpartum-checkup', { basis: 'content' }),
    yesNo('parenting-worry', '育児について不安なことはありますか。', 'postpartum-checkup', { basis: 'content' }),
    followUp('parenting-worry-text', 'どのようなことですか。', 'parenting-worry', 'postpartum-checkup', [true], { basis: 'ours', required: false }),
    yesNo('medication', '現在、服用している薬はありますか。', 'postpartum-checkup', { basis: 'content' }),
    followUp('medication-name', '薬の名前', 'medication', 'postpartum-checkup', [true], { basis: 'ours' }),
    worries(),
  ];
}

const TITLES: Record<CheckupKind, string> = {
  prenatal: '妊婦健康診査 問診票',
  postpartum: '産婦健康診査 問診票',
  'infant-1m': '1か月児健康診査 問診票',
  'infant-3-4m': '3～4か月児健康診査 問診票',
  'infant-6-7m': '6～7か月児健康診査 問診票',
  'infant-9-10m': '9～10か月児健康診査 問診票',
  'infant-1y6m': '1歳6か月児健康診査 問診票',
  'infant-3y': '3歳児健康診査 問診票',
};

/** The 問診票 of a checkup kind (and, for 妊婦健診 and 産婦健診, its sequence); undefined for a sequence out of range. */
export function checkupTemplate(checkupKind: CheckupKind, sequence?: number): QuestionnaireTemplate | undefined {
  if (checkupKind === 'prenatal' && (sequence === undefined || !Number.isInteger(sequence) || sequence < 1 || sequence > 14)) return undefined;
  if (checkupKind === 'postpartum' && sequence !== undefined && (!Number.isInteger(sequence) || sequence < 1 || sequence > 2)) return undefined;
  if (checkupKind !== 'prenatal' && checkupKind !== 'postpartum' && sequence !== undefined) return undefined;
  const items: Record<CheckupKind, () => TemplateItem[]> = {
    prenatal: () => prenatal(sequence!),
    postpartum,
    'infant-1m': infant1m,
    'infant-3-4m': infant3to4m,
    'infant-6-7m': infant6to7m,
    'infant-9-10m': infant9to10m,
    'infant-1y6m': infant1y6m,
    'infant-3y': infant3y,
  };
  return {
    templateId: `monshinhyo/${checkupKind}${sequence !== undefined ? `/${sequence}` : ''}`,
    process: 'maternal-child',
    title: sequence !== undefined ? `${TITLES[checkupKind]}（${sequence}回目）` : TITLES[checkupKind],
    checkupKind,
    ...(sequence !== undefined ? { sequence } : {}),
    items: items[checkupKind](),
  };
}
