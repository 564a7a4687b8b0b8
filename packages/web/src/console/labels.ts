import type { FileProcess, OfficerRole } from '@pmh/protocol';

/** The console's words for the API's codes. */

export const ROLE_NAMES: Record<OfficerRole, string> = { read: '閲覧', register: '登録', notify: '通知', admin: '管理' };
export const FILE_PROCESS_NAMES: Record<FileProcess, string> = { 'medical-subsidy': '公費医療費助成', vaccination: '予防接種', 'maternal-child': '母子保健' };
export const PROCESS_NAMES: Record<string, string> = {
  'medical-subsidy': '公費医療費助成',
  vaccination: '予防接種',
  'maternal-child': '母子保健',
  general: '一般',
};
export const PMH_ID_STATUS: Record<string, string> = { pending: '発行待ち', issued: '発行済み', failed: '発行できず' };
export const LINK_STATUS: Record<string, string> = { linked: '連携済み', unlinked: '未連携' };
export const SUBJECT_STATUS: Record<string, string> = {
  'pmh-id-pending': 'PMH-ID 発行待ち',
  'pmh-id-issued': 'PMH-ID 発行済み',
  'pmh-id-failed': 'PMH-ID 発行できず',
  'portal-linked': 'マイナポータル連携済み',
  'portal-unlinked': 'マイナポータル未連携',
};
export const ACTOR_KINDS: Record<string, string> = {
  'medical-institution': '医療機関',
  municipality: '自治体（システム連携）',
  officer: '自治体職員（管理画面）',
  operator: 'PMH 運用者',
  guardian: '代理人',
  system: 'システム',
};
export const DELIVERY_STATUS: Record<string, string> = {
  delivered: '配信済み',
  waiting: '配信待ち',
  scheduled: '予約中',
  failed: '配信失敗',
  cancelled: '取消済み',
};
export const SEX: Record<string, string> = { '1': '男', '2': '女', '3': 'その他', M: '男', F: '女', 男: '男', 女: '女' };

export const ROLE_LIST = ['read', 'register', 'notify', 'admin'] as const satisfies readonly OfficerRole[];

export { ACTIONS, OUTCOMES, PURPOSES, CATEGORIES, VACCINES, label } from '../portal/labels.ts';
