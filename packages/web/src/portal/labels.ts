/** Words for the codes the hub's records use; a code we do not know is shown as it is. */

export const ACTOR_KINDS: Record<string, string> = {
  'medical-institution': '医療機関',
  municipality: '地方公共団体',
  operator: 'PMHの運用者',
  guardian: '代理人（保護者）',
  system: 'システム',
};

export const ACTOR_CODE_NAMES: Record<string, string> = {
  'medical-institution': '医療機関コード',
  municipality: '地方公共団体コード',
};

export const ACTIONS: Record<string, string> = {
  'eligibility.query': '資格確認（公費）',
  'subject.register': '登録',
  'subject.read': '基本情報の参照',
  'subject.update': '基本情報の更新',
  'medical-subsidy.register': '受給者証の登録',
  'medical-subsidy.update': '受給者証の更新',
  'medical-subsidy.delete': '受給者証の取消',
  'medical-subsidy.read': '受給者証の参照',
  'notification.create': 'お知らせ作成',
  'notification.status.read': 'お知らせの配信状況の確認',
  'portal-link.receive': 'マイナポータルとの連携',
  'resident.subsidies.read': '受給者証の参照',
  'resident.vaccinations.read': '予防接種の記録の参照',
  'resident.access-log.read': '閲覧記録の参照',
  'resident.profile.read': '氏名の参照',
  'resident.questionnaires.read': '予診票・問診票の参照',
  'resident.questionnaire.create': '予診票・問診票の作成',
  'resident.questionnaire.update': '予診票・問診票の記入',
  'resident.questionnaire.submit': '予診票・問診票の提出',
};

export const PURPOSES: Record<string, string> = {
  'medical-subsidy': '公費負担医療・医療費助成',
  notification: 'お知らせ',
  'municipal-api': '自治体の業務',
  'pseudonym-link': 'マイナポータルとの連携',
  'registration-task': '登録の処理',
  'key-management': '鍵の管理',
  'guardian-acting': '代理人としての操作',
};

/** The operator reading through the municipal API is not a municipality's business: say what it is. */
export const OPERATOR_READ = 'システムの運用（保守・障害対応）';

export const OUTCOMES: Record<string, string> = {
  ok: '完了',
  'no-eligibility': '該当なし',
  expired: '有効期間外',
  refused: '拒否',
  'not-found': '該当なし',
};

export const CATEGORIES: Record<string, string> = {
  'medical-subsidy': '医療費助成',
  vaccination: '予防接種',
  'maternal-child': '母子保健',
  general: 'お知らせ',
};

export const label = (table: Record<string, string>, code: string | null | undefined): string => (code ? (table[code] ?? code) : '—');

/** Routine vaccines (定期接種) by the catalogue's codes. */
export const VACCINES: Record<string, string> = {
  hib: 'ヒブ（Hib）',
  pcv: '小児用肺炎球菌',
  hepb: 'B型肝炎',
  rota: 'ロタウイルス',
  'dpt-ipv-hib': '五種混合',
  'dpt-ipv': '四種混合',
  bcg: 'BCG',
  mr: '麻しん風しん混合（MR）',
  varicella: '水痘（みずぼうそう）',
  je: '日本脳炎',
  dt: '二種混合（DT）',
  hpv: 'HPV（子宮頸がん予防）',
  'rsv-maternal': 'RSウイルス（母子免疫）',
  'flu-elderly': 'インフルエンザ（高齢者）',
  'pcv-elderly': '肺炎球菌（高齢者）',
  'covid-elderly': '新型コロナウイルス（高齢者等）',
  zoster: '帯状疱疹',
};

export const QUESTIONNAIRE_STATUSES: Record<string, string> = {
  draft: '下書き',
  submitted: '提出済み',
  used: '接種時に使用済み',
};

export { AREAS, BANDS, CHECKUP_KINDS, JUDGEMENTS, PRENATAL_TESTS } from '../shared/checkup-labels.ts';
