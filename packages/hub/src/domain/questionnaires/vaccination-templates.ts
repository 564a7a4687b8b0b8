/**
 * 予診票 of routine vaccination, as the 定期接種実施要領's form (予防接種予診票) asks its questions —
 * read in municipalities' prints of it (札幌市, 千葉市) — with the questions particular to a vaccine:
 * rotavirus (the date of the previous dose and the product of the first, and the conditions that rule
 * the vaccine out) and varicella (whether the child has had it). A child's form carries the
 * development questions (出生体重, 分娩時・出生後の異常, 乳幼児健診); a form for adults (HPV, the
 * maternal RSV vaccine, the B類 vaccines of older people) leaves them out.
 *
 * The temperature taken before the examination (診察前の体温) and the consent after the doctor's
 * explanation are answered at the visit: they are required when the questionnaire is used, not when it
 * is submitted beforehand. A temperature of 37.5 ℃ or more (明らかな発熱) rules the vaccination out that
 * day; that is the venue's check, the form only records the temperature.
 */
import type { QuestionnaireTemplate, TemplateItem } from './template.ts';
import { choice, dateItem, followUp, numberItem, yesNo } from './items.ts';

const F = 'yoshinhyo-form';

/** The vaccines given in infancy and childhood (the 乳幼児・小学生 form). */
export const CHILD_FORM_VACCINES = ['hib', 'pcv', 'hepb', 'rota', 'dpt-ipv-hib', 'dpt-ipv', 'bcg', 'mr', 'varicella', 'je', 'dt'];
/** The vaccines given to adolescents and adults. */
export const ADULT_FORM_VACCINES = ['hpv', 'rsv-maternal', 'flu-elderly', 'pcv-elderly', 'covid-elderly', 'zoster'];

/** Fever: a temperature of 37.5 ℃ or more on the day rules a vaccination out. */
export const FEVER_THRESHOLD_C = 37.5;

const development: TemplateItem[] = [
  numberItem('birth-weight', '出生体重', { min: 300, max: 6000, unit: 'g' }, F, { required: false }),
  yesNo('delivery-abnormal', '分娩時に異常がありましたか。', F),
  yesNo('after-birth-abnormal', '出生後に異常がありましたか。', F),
  yesNo('checkup-abnormal', '乳幼児健診で異常があると言われたことがありますか。', F),
];

function common(child: boolean): TemplateItem[] {
  return [
    yesNo('read-explanation', '今日受ける予防接種について、市町村から配られている説明書を読みましたか。', F),
    ...(child ? development : []),
    yesNo('unwell-today', '今日、体に具合の悪いところがありますか。', F),
    followUp('unwell-today-symptoms', '具体的な症状を書いてください。', 'unwell-today', F),
    yesNo('ill-past-month', '最近1か月以内に病気にかかりましたか。', F),
    followUp('ill-past-month-disease', '病名', 'ill-past-month', F),
    child
      ? yesNo('contact-past-month', '1か月以内に家族や遊び仲間に麻しん、風しん、水痘、おたふくかぜなどの病気の方がいましたか。', F)
      : yesNo('contact-past-month', '1か月以内に家族や周りの人に麻しん、風しん、水痘、おたふくかぜなどの病気の方がいましたか。', F, { basis: 'content' }),
    followUp('contact-past-month-disease', '病名', 'contact-past-month', F),
    yesNo('vaccinated-past-month', '1か月以内に予防接種を受けましたか。', F),
    followUp('vaccinated-past-month-kind', '予防接種の種類', 'vaccinated-past-month', F),
    yesNo(
      'chronic-illness',
      '生まれてから今までに先天性異常、心臓、腎臓、肝臓、脳神経、免疫不全症、その他の病気にかかり、医師の診察（投薬など）を受けていますか。',
      F,
    ),
    followUp('chronic-illness-disease', '病名', 'chronic-illness', F),
    yesNo('convulsion', 'ひきつけ（けいれん）をおこしたことがありますか。', F),
    followUp('convulsion-age', '何歳何か月頃ですか。', 'convulsion', F),
    yesNo('convulsion-fever', 'そのとき熱が出ましたか。', F, { after: { itemId: 'convulsion', anyOf: [true] } }),
    yesNo('allergy', '薬や食品で皮膚に発しんやじんましんが出たり、体の具合が悪くなったことがありますか。', F),
    yesNo('relative-immunodeficiency', '近親者に先天性免疫不全と診断されている方はいますか。', F),
    yesNo('past-reaction', 'これまでに予防接種を受けて具合が悪くなったことがありますか。', F),
    followUp('past-reaction-vaccine', '予防接種名', 'past-reaction', F),
    yesNo('relative-reaction', '近親者に予防接種を受けて具合が悪くなった人はいますか。', F),
    yesNo('transfusion', '6か月以内に輸血あるいはガンマグロブリンの注射を受けましたか。', F),
    yesNo('questions', '今日の予防接種について質問がありますか。', F),
    followUp('questions-text', '質問の内容', 'questions', F),
  ];
}

const atVisit: TemplateItem[] = [
  numberItem('temperature', '診察前の体温', { min: 34, max: 42, unit: '℃', decimals: 1 }, F, { answeredAt: 'visit' }),
  choice(
    'consent',
    '医師の診察・説明を受け、予防接種の効果や目的、重篤な副反応の可能性、予防接種健康被害救済制度について理解した上で、接種を希望しますか。',
    [
      ['wish', '接種を希望します'],
      ['decline', '接種を希望しません'],
    ],
    F,
    { basis: 'content', answeredAt: 'visit' },
  ),
];

function rotavirus(doseNumber: number): TemplateItem[] {
  const later =
    doseNumber >= 2
      ? [
          dateItem('rota-previous-dose-date', '前回のロタウイルスワクチンの接種年月日', 'yoshinhyo-rota'),
          choice(
            'rota-first-product',
            '1回目に接種したワクチン',
            [
              ['rotarix', 'ロタリックス（1価）'],
              ['rotateq', 'ロタテック（5価）'],
            ],
            'yoshinhyo-rota',
          ),
        ]
      : [];
  return [
    ...later,
    yesNo('intussusception', '腸重積症にかかったことがありますか。', 'rota-contraindications', { basis: 'content' }),
    yesNo('gi-malformation', '先天性消化管障害があると言われたことがありますか（治療を終えたものを除く）。', 'rota-contraindications', { basis: 'content' }),
    yesNo('scid', '重症複合免疫不全症と言われたことがありますか。', 'rota-contraindications', { basis: 'content' }),
  ];
}

function specific(vaccineCode: string, doseNumber: number): TemplateItem[] {
  if (vaccineCode === 'rota') return rotavirus(doseNumber);
  if (vaccineCode === 'varicella')
    return [yesNo('had-varicella', '生まれてから今までに水痘（みずぼうそう）にかかったことがありますか。', 'yoshinhyo-varicella')];
  return [];
}

const NAMES: Record<string, string> = {
  hib: 'ヒブ',
  pcv: '小児の肺炎球菌',
  hepb: 'B型肝炎',
  rota: 'ロタウイルス',
  'dpt-ipv-hib': '五種混合',
  'dpt-ipv': '四種混合',
  bcg: 'BCG',
  mr: '麻しん風しん混合（MR）',
  varicella: '水痘',
  je: '日本脳炎',
  dt: '二種混合（DT）',
  hpv: 'ヒトパピローマウイルス感染症（HPV）',
  'rsv-maternal': 'RSウイルス感染症（母子免疫）',
  'flu-elderly': '高齢者のインフルエンザ',
  'pcv-elderly': '高齢者の肺炎球菌',
  'covid-elderly': '新型コロナウイルス感染症（高齢者等）',
  zoster: '帯状疱疹',
};

/** The 予診票 of a vaccine's dose, or undefined for a vaccine code the hub does not know. */
export function vaccinationTemplate(vaccineCode: string, doseNumber: number): QuestionnaireTemplate | undefined {
  const child = CHILD_FORM_VACCINES.includes(vaccineCode);
  if (!child && !ADULT_FORM_VACCINES.includes(vaccineCode)) return undefined;
  if (!Number.isInteger(doseNumber) || doseNumber < 1 || doseNumber > 10) return undefined;
  const items = common(child);
  // The vaccine's own questions come before the questions about today's vaccination.
  const at = items.findIndex((i) => i.itemId === 'questions');
  items.splice(at, 0, ...specific(vaccineCode, doseNumber));
  return {
    templateId: `yoshinhyo-${child ? 'child' : 'adult'}/${vaccineCode}/${doseNumber}`,
    process: 'vaccination',
    title: `${NAMES[vaccineCode]} 予防接種予診票（${doseNumber}回目）`,
    vaccineCode,
    doseNumber,
    items: [...items, ...atVisit],
  };
}
