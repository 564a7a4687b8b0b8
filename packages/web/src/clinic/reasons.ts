import type { Tone } from '../shared/ui.tsx';
import type { Reason } from './types.ts';

/**
 * Why there is no eligibility, in the receptionist's words. Each reason has its own title, tone and
 * glyph: a patient who declined, one not yet linked, one without a certificate and a system fault
 * must never read alike.
 */
export const REASONS: Record<Reason, { title: string; body: string; tone: Tone; retry?: boolean }> = {
  'not-consented': {
    title: '患者が情報提供に同意しませんでした',
    body: 'PMH には照会していません。資格がないという意味ではありません。公費の資格は、紙の受給者証などで確認してください。',
    tone: 'neutral',
  },
  'not-linked': {
    title: 'PMHとの連携がまだありません',
    body: 'この方の情報は、まだ PMH に連携されていません。資格がないという意味ではありません。紙の受給者証で確認してください。',
    tone: 'info',
  },
  'no-eligibility': {
    title: '有効な受給者証はありません',
    body: '基準日に有効な公費の受給者証は、PMH に登録されていません。',
    tone: 'warning',
  },
  expired: {
    title: '受給者証の有効期間が終了しています',
    body: 'PMH に登録されている受給者証は、基準日より前に有効期間が終わっています。更新後の受給者証をお持ちか、患者さんに確認してください。',
    tone: 'warning',
  },
  'hub-unavailable': {
    title: 'PMHに接続できません。しばらくしてから再度お試しください',
    body: '資格の有無は確認できていません。',
    tone: 'error',
    retry: true,
  },
  'hub-refused': {
    title: 'PMHが照会を受け付けませんでした',
    body: 'システム側の問題で、資格の有無は確認できていません。しばらくしてから再度お試しください。続く場合はシステム管理者に連絡してください。',
    tone: 'error',
    retry: true,
  },
};

/** Failures of the check itself (the card, OQS), by problem code. */
export function failureText(code: string): { title: string; body: string } {
  switch (code) {
    case 'card-authentication-failed':
      return { title: 'カードを認証できませんでした', body: 'カードが正しく読み取れないか、登録されていないカードです。カードを置き直してください。' };
    case 'challenge-invalid':
      return { title: 'カードの確認の有効期限が切れました', body: 'もう一度カードを置いて、やり直してください。' };
    case 'oqs-unavailable':
    case 'network':
      return { title: 'オンライン資格確認等システムに接続できません', body: '資格の有無は確認できていません。しばらくしてから再度お試しください。' };
    default:
      return {
        title: '資格を確認できませんでした',
        body: `資格の有無は確認できていません。続く場合はシステム管理者に連絡してください（エラーコード: ${code}）。`,
      };
  }
}
