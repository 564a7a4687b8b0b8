/** The words of checkups, as the 母子健康手帳 and the standard forms write them (the portal's and the clinic's screens). */

/** 健診の種類 (checkupKind), as the 母子健康手帳 names them. */
export const CHECKUP_KINDS: Record<string, string> = {
  prenatal: '妊婦健康診査',
  postpartum: '産婦健康診査',
  'infant-1m': '1か月児健康診査',
  'infant-3-4m': '3〜4か月児健康診査',
  'infant-6-7m': '6〜7か月児健康診査',
  'infant-9-10m': '9〜10か月児健康診査',
  'infant-1y6m': '1歳6か月児健康診査',
  'infant-3y': '3歳児健康診査',
};

/** 判定, as the standard forms write it. */
export const JUDGEMENTS: Record<string, string> = {
  healthy: '健康',
  observe: '要観察',
  'detailed-exam': '要精査',
  guidance: '要指導',
};

/** 所見の部位・領域 (母子保健法施行規則第2条; the prenatal and postpartum records). */
export const AREAS: Record<string, string> = {
  growth: '身体発育状況',
  nutrition: '栄養状態',
  'spine-chest': '脊柱・胸郭',
  skin: '皮膚',
  eyes: '眼',
  'ear-nose-throat': '耳・鼻・咽頭',
  'teeth-mouth': '歯・口腔',
  'limbs-motor': '四肢運動',
  'mental-development': '精神発達',
  speech: '言語',
  parenting: '育児上の問題',
  other: 'その他',
  'hypertensive-disorder': '妊娠高血圧症候群',
  'gestational-diabetes': '妊娠糖尿病',
  'uterine-involution': '子宮復古',
  lochia: '悪露',
  breasts: '乳房',
};

/** 実施した検査 (妊婦健診). */
export const PRENATAL_TESTS: Record<string, string> = {
  'blood-type': '血液型',
  'irregular-antibodies': '不規則抗体',
  'complete-blood-count': '血算',
  'blood-glucose': '血糖',
  'hepatitis-b-antigen': 'B型肝炎抗原',
  'hepatitis-c-antibody': 'C型肝炎抗体',
  'rubella-antibody': '風疹抗体',
  'htlv1-antibody': 'HTLV-1抗体',
  'cervical-cytology': '子宮頸がん検診',
  'group-b-streptococcus': 'B群溶血性レンサ球菌',
  ultrasound: '超音波検査',
};

/** Where a measurement falls between the national percentiles. */
export const BANDS: Record<string, string> = {
  'below-3': '3パーセンタイル未満',
  '3-10': '3〜10パーセンタイル',
  '10-25': '10〜25パーセンタイル',
  '25-50': '25〜50パーセンタイル',
  '50-75': '50〜75パーセンタイル',
  '75-90': '75〜90パーセンタイル',
  '90-97': '90〜97パーセンタイル',
  'above-97': '97パーセンタイル超',
};

export const kindName = (kind: string, sequence?: number) => `${CHECKUP_KINDS[kind] ?? kind}${sequence ? `（第${sequence}回）` : ''}`;
