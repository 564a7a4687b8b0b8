import type { ConsentScope, ForecastEntry, Route, VaccinationRecord, WarningCode } from './types.ts';

/** The routine vaccines by their code, as a doctor names them (予防接種法施行令 第1条の3, A類・B類疾病). */
export const VACCINE_NAMES: Record<string, string> = {
  hib: 'ヒブ（Hib）',
  pcv: '小児用肺炎球菌',
  hepb: 'B型肝炎',
  rota: 'ロタウイルス',
  'dpt-ipv-hib': '五種混合（DPT-IPV-Hib）',
  'dpt-ipv': '四種混合（DPT-IPV）',
  bcg: 'BCG',
  mr: '麻しん風しん混合（MR）',
  varicella: '水痘',
  je: '日本脳炎',
  dt: '二種混合（DT）',
  hpv: 'HPV（子宮頸がん予防）',
  'rsv-maternal': 'RSウイルス（母子免疫）',
  'flu-elderly': 'インフルエンザ（高齢者）',
  'pcv-elderly': '肺炎球菌（高齢者）',
  'covid-elderly': '新型コロナウイルス（高齢者等）',
  zoster: '帯状疱疹',
};

export const vaccineName = (code: string) => VACCINE_NAMES[code] ?? code;

/**
 * What each scope lets this institution do, in the words the person reads on the reader's screen
 * before agreeing. The order is the order shown.
 */
export const SCOPE_TEXT: Record<ConsentScope, { title: string; detail: string }> = {
  'vaccination.read': {
    title: '予防接種の記録と予定を見る',
    detail: 'これまでに受けた予防接種（日付・ワクチン・ロット番号・接種した医療機関）と、これからの接種予定',
  },
  'questionnaire.read': {
    title: '予診票を見る',
    detail: 'マイナポータルで事前に入力して提出した予診票の回答',
  },
  'vaccination.write': {
    title: '今日の予防接種を記録する',
    detail: '今日受ける予防接種の記録（ワクチン・ロット番号・接種量・部位など）の登録と、当日中の訂正・取消',
  },
  'checkup.read': { title: '健診の記録を見る', detail: '妊婦健診・乳幼児健診の受診券と結果' },
  'checkup.write': { title: '健診の結果を記録する', detail: '今日の健診の結果の登録' },
};

/** The scopes the vaccination screen asks for. */
export const VACCINATION_SCOPES: ConsentScope[] = ['vaccination.read', 'questionnaire.read', 'vaccination.write'];

/** Each warning's name, for the doctor (the message itself comes from the schedule rules). */
export const WARNING_TITLES: Record<WarningCode, string> = {
  'too-early': '接種できる時期の前です',
  'too-late': '定期接種の期間を過ぎています',
  interval: '前回からの間隔が足りません',
  'live-vaccine-interval': '注射生ワクチンの間隔（27日以上）が足りません',
  'duplicate-dose': '同じ回の接種が既にあります',
  'expired-lot': 'ロットの有効期限が切れています',
  'not-eligible': '定期接種の対象ではありません',
  'missing-previous-dose': '前の回の接種記録がありません',
  'not-recommended': '標準的な接種の方法ではありません',
};

export const FORECAST_STATUS: Record<ForecastEntry['status'], string> = {
  due: '接種時期です',
  overdue: '標準的な時期を過ぎています',
  upcoming: 'これから',
  complete: '完了',
  'not-eligible': '対象外',
};

export const RECORD_STATUS: Record<VaccinationRecord['status'], string> = {
  recorded: '記録済み',
  corrected: '訂正済み',
  cancelled: '取消',
};

export const RECORD_SOURCE: Record<VaccinationRecord['source'], string> = {
  municipal: '市区町村の記録',
  clinic: '医療機関の記録',
};

/** 接種経路 (the catalogue's routes). */
export const ROUTES: Record<Route, string> = {
  subcutaneous: '皮下注射',
  intramuscular: '筋肉内注射',
  'subcutaneous-or-intramuscular': '皮下又は筋肉内注射',
  oral: '経口',
  percutaneous: '経皮（管針法）',
};

/** 接種部位 the form offers; the doctor may type another. */
export const SITES = ['左上腕', '右上腕', '左大腿', '右大腿', '左上腕（三角筋）', '右上腕（三角筋）', '口（経口）'];

/** ISO 5218. */
export const SEX: Record<string, string> = { '1': '男性', '2': '女性', '0': '不明', '9': '適用不能' };

/** "2回目" or the forecast's own label. */
export function doseLabel(e: { doseNumber: number; label?: string }): string {
  return e.label ?? `${e.doseNumber}回目`;
}
