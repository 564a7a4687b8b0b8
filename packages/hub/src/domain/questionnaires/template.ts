/**
 * Questionnaire templates: one shape for the 予診票 of a vaccination and the 問診票 of a checkup. A
 * template is data — its items, each with where it comes from — and the answers a resident gives are
 * checked against it by one engine (answers.ts).
 */
import type { CheckupKind, QuestionnaireItem } from '@pmh/protocol';

/**
 * How closely an item follows its source:
 * - `form`: the question and its answers as the published form words them;
 * - `content`: what the source asks, in our words (the form's exact wording was not available);
 * - `ours`: an item of ours (a follow-up to write down what a 「はい」 refers to, a free note).
 */
export type ItemBasis = 'form' | 'content' | 'ours';

export interface TemplateItem extends QuestionnaireItem {
  basis: ItemBasis;
  /** Where the item comes from (a key of SOURCES). */
  source: string;
}

export interface QuestionnaireTemplate {
  templateId: string;
  process: 'vaccination' | 'maternal-child';
  title: string;
  vaccineCode?: string;
  doseNumber?: number;
  checkupKind?: CheckupKind;
  sequence?: number;
  items: TemplateItem[];
}

/** The items as the wire carries them (protocol's QuestionnaireItem): without our bookkeeping of sources. */
export function wireItems(t: QuestionnaireTemplate): QuestionnaireItem[] {
  return t.items.map(({ basis: _basis, source: _source, ...item }) => item);
}

/** The sources templates cite, by key. */
export const SOURCES: Record<string, string> = {
  'yoshinhyo-form':
    '予防接種予診票（乳幼児・小学生対象）: the form of the 定期接種実施要領 (厚生労働省) as municipalities print it — 札幌市 (四種混合), 千葉市 (水痘, ロタウイルス)',
  'yoshinhyo-rota': '千葉市 ロタウイルス予防接種予診票（ロタリックス）: 接種回数, これまでのロタウイルスワクチンの接種年月日, 1回目のワクチン',
  'rota-contraindications':
    '予防接種実施規則: ロタウイルス感染症の予防接種を受けることができない者（腸重積症の既往歴, 先天性消化管障害, 重症複合免疫不全症）— as 城陽市 lists them',
  'yoshinhyo-varicella': '千葉市 水痘予防接種予診票: 生まれてから今までにみずぼうそうにかかったことがありますか',
  'fever-37-5': '予防接種を受けることができない者: 接種会場で測定した体温が37.5℃以上（37度5分以上: 浦添市の予防接種のお知らせ）',
  'hs21-indicators':
    '健やか親子21（第2次）の指標に基づく乳幼児健康診査の問診 — 乳幼児健康診査問診回答状況（全国）別紙2, 令和2年度母子保健事業の実施状況等の調査結果 (厚生労働省)',
  'standard-record-infant':
    '乳幼児健診等における標準的な電子的記録様式等について（案） 資料2-1, 母子健康手帳、母子保健情報等に関する検討会 第7回 (厚生労働省, https://www.mhlw.go.jp/stf/newpage_30753.html)',
  'hs21-abuse-items': '丹波篠山市の4か月・1歳7か月・3歳児健診アンケート（健やか親子21（第2次）に基づく7つの設問）, 丹波新聞 2019-07-09',
  'growth-survey-motor':
    '令和5年乳幼児身体発育調査 結果の概要: 運動機能（首のすわり, ねがえり, ひとりすわり, はいはい, つかまり立ち, ひとり歩き）と言語機能（一語以上の言葉）',
  'one-month-checkup': '1か月児健康診査の内容: 新生児聴覚検査・先天性代謝異常検査の実施状況の確認, ビタミンK2投与の確認（山県市, 吉岡町）',
  'stool-color-card': '母子健康手帳 便色カード（胆道閉鎖症等の早期発見のため、生後1か月前後の便の色を7色の見本と比べる）',
  'postpartum-checkup': '産婦健康診査の問診: 生活環境、授乳状況、育児不安、精神疾患の既往歴、服薬歴（北斗市, 館林市, 田尻町の案内）',
  'prenatal-standard': '妊婦健診の標準的な電子的記録様式: 妊娠前の体重, 身長 (資料1 母子保健情報の電子化について, 検討会 第2回)',
  'home-tests-3y': '3歳児健康診査: 家庭で行う視覚検査・聴覚検査（大槌町, 古殿町の実施要綱）',
  ours: 'ours',
};
