import { CHECKUP_KINDS } from '../../shared/checkup-labels.ts';
import type { ConsentScope } from '../vaccination/types.ts';
import type { CheckupKind, Recorded } from './types.ts';

/** The scopes the checkup screens ask for: the record, the 問診票, and writing today's result. */
export const CHECKUP_SCOPES: ConsentScope[] = ['checkup.read', 'questionnaire.read', 'checkup.write'];

/** The scopes as the person reads them for a checkup: the 問診票 (not the 予診票), today's checkup. */
export const CHECKUP_SCOPE_TEXT = {
  'checkup.read': { title: '健診の記録を見る', detail: '妊婦健診・乳幼児健診の受診券、これまでの結果、お子さんの成長曲線' },
  'questionnaire.read': { title: '問診票を見る', detail: 'マイナポータルで事前に入力して提出した問診票の回答' },
  'checkup.write': { title: '今日の健診の結果を記録する', detail: '今日の健診の結果（身長・体重などの計測、所見、判定）の登録と、受診券の使用' },
};

/** Whose checkup a kind is: the child's, the pregnant woman's, or the mother's after delivery. */
export type CheckupSubject = 'child' | 'pregnant' | 'postpartum';
export const subjectOf = (kind: CheckupKind): CheckupSubject => (kind === 'prenatal' ? 'pregnant' : kind === 'postpartum' ? 'postpartum' : 'child');

/** The kinds a health centre holds as group checkups (集団健診): the infant checkups. */
export const GROUP_KINDS: CheckupKind[] = ['infant-3-4m', 'infant-1y6m', 'infant-3y', 'infant-1m', 'infant-6-7m', 'infant-9-10m'];
export const ALL_KINDS = Object.keys(CHECKUP_KINDS) as CheckupKind[];

/** Why the family pays (自費), in the venue's words. */
export const SELF_PAID: Record<NonNullable<Recorded['selfPaidReason']>, string> = {
  'no-voucher': '受診券の提示がありませんでした',
  'unknown-voucher': 'この方の受診券ではありません',
  'other-checkup': '別の健診（種類・回数）の受診券です',
  'not-yet-valid': '受診券の有効期間の前です',
  expired: '受診券の有効期限が切れています',
  'after-delivery': '出産後は使えない受診券です',
  'before-delivery': '出産前は使えない受診券です',
};

/** 所見の領域 each subject's checkup records (as the hub checks them). */
export const AREAS_OF: Record<CheckupSubject, string[]> = {
  child: [
    'growth',
    'nutrition',
    'spine-chest',
    'skin',
    'eyes',
    'ear-nose-throat',
    'teeth-mouth',
    'limbs-motor',
    'mental-development',
    'speech',
    'parenting',
    'other',
  ],
  pregnant: ['hypertensive-disorder', 'gestational-diabetes', 'other'],
  postpartum: ['uterine-involution', 'lochia', 'breasts', 'hypertensive-disorder', 'other'],
};

export const URINE_VALUES = ['-', '±', '+', '2+', '3+', '4+'] as const;
export const EDEMA_VALUES = ['-', '+', '2+'] as const;
