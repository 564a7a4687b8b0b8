import type { ReactNode } from 'react';
import type { DemoCard } from '../shared/card.ts';
import { Banner, FocusHeading } from '../shared/ui.tsx';
import type { Institution } from './types.ts';
import { SCOPE_TEXT } from './vaccination/labels.ts';
import type { ConsentScope } from './vaccination/types.ts';

/**
 * What the clinic app's screens share around the card and the consent (予防接種, 健診): the steps,
 * the person's consent on the reader's screen (the scopes in plain words), and why there is none.
 */

/** Why there is no consent, in the clinic's words: each its own title. */
export function consentFailure(code: string, what = '予防接種'): { title: string; body: string } {
  switch (code) {
    case 'card-authentication-failed':
      return { title: 'カードを確認できませんでした', body: 'カードの読み取りをやり直してください。別のカードが置かれていないか確認してください。' };
    case 'challenge-invalid':
      return { title: 'カードの読み取りに時間がかかりすぎました', body: 'もう一度カードを置いて、同意の確認からやり直してください。' };
    case 'not-linked':
      return {
        title: 'PMHとの連携がまだありません',
        body:
          what === '予防接種'
            ? 'この方の予防接種の情報は、まだ PMH に連携されていません。接種券・母子健康手帳などで確認し、記録は紙の予診票で行ってください。'
            : `この方の${what}の情報は、まだ PMH に連携されていません。母子健康手帳などで確認し、結果は紙の健診票に記録してください。`,
      };
    case 'consent-expired':
      return { title: '同意の有効期限が切れました', body: 'もう一度カードを置いて、ご本人の同意を得てください。' };
    case 'portal-unavailable':
      return { title: 'マイナポータルに接続できません', body: 'しばらく待ってから、もう一度お試しください。' };
    case 'network':
      return { title: '通信できません', body: 'ネットワークの接続を確認して、もう一度お試しください。' };
    default:
      return { title: '同意を登録できませんでした', body: `もう一度お試しください（${code}）。` };
  }
}

export function Steps({ current, labels, name }: { current: number; labels: readonly string[]; name: string }) {
  return (
    <nav aria-label={name}>
      <ol className="flex flex-wrap gap-2 text-dns-16N-130 sm:gap-4">
        {labels.map((label, i) => (
          <li
            key={label}
            aria-current={i === current ? 'step' : undefined}
            className={`flex items-center gap-2 rounded-full border px-3 py-1 ${i === current ? 'border-blue-900 bg-blue-900 text-white' : i < current ? 'border-blue-900 text-blue-900' : 'border-solid-gray-420 text-solid-gray-700'}`}
          >
            <span aria-hidden="true" className="text-dns-16B-130">
              {i + 1}
            </span>
            {label}
            {i < current && <span className="sr-only">（完了）</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The person's own screen on the reader: what this institution may see and write, and two answers. */
export function ConsentScreen({
  card,
  institution,
  scopes,
  scopeText,
  note,
  onAgree,
  onDecline,
  onCancel,
}: {
  card: DemoCard;
  institution?: Institution;
  scopes: readonly ConsentScope[];
  /** Each scope's words where this screen says them otherwise (健診: 問診票, not 予診票). */
  scopeText?: Partial<typeof SCOPE_TEXT>;
  /** What happens without consent, in the person's words. */
  note: ReactNode;
  onAgree: () => void;
  onDecline: () => void;
  onCancel: () => void;
}) {
  return (
    <section aria-labelledby="consent-heading" className="mt-8">
      <div className="rounded-16 border-4 border-blue-900 bg-blue-50 p-6 sm:p-10" data-testid="consent-screen">
        <p className="text-dns-16B-130 text-blue-1000">カードリーダーの画面（ご本人または保護者の方が操作してください）</p>
        <FocusHeading id="consent-heading" className="mt-4">
          同意の確認
        </FocusHeading>
        <p className="mt-2 text-std-16N-170">{card.name} さん</p>
        <p className="mt-6 text-std-24B-150" id="consent-question">
          {institution?.name ?? 'この医療機関'}に、次のことを許可しますか
        </p>
        <ul className="mt-4 grid gap-3" aria-label="許可する内容" data-testid="consent-scopes">
          {scopes.map((s) => (
            <li key={s} className="rounded-8 border border-blue-900 bg-white p-4" data-scope={s}>
              <p className="text-std-18B-160">{(scopeText?.[s] ?? SCOPE_TEXT[s]).title}</p>
              <p className="mt-1 text-std-16N-170">{(scopeText?.[s] ?? SCOPE_TEXT[s]).detail}</p>
            </li>
          ))}
        </ul>
        <p className="mt-4 text-std-16N-170">
          許可は10分ほどで自動的に終わります。医療機関が見たこと・記録したことは、マイナポータルの「閲覧記録」で確認できます。{note}
        </p>
        {/* biome-ignore lint/a11y/useSemanticElements: two buttons answering one question, not a form; role="group" names them by the question. */}
        <div className="mt-8 flex flex-wrap gap-4" role="group" aria-labelledby="consent-question">
          <button type="button" className="btn btn-primary btn-lg min-w-48" onClick={onAgree}>
            同意する
          </button>
          <button type="button" className="btn btn-secondary btn-lg min-w-48" onClick={onDecline}>
            同意しない
          </button>
        </div>
      </div>
      <button type="button" className="btn btn-tertiary mt-4" onClick={onCancel}>
        カードを取り出して最初に戻る
      </button>
    </section>
  );
}

export function Failed({ code, what, onRetry, onRestart }: { code: string; what?: string; onRetry: () => void; onRestart: () => void }) {
  const text = consentFailure(code, what);
  return (
    <section aria-labelledby="failed-heading" className="mt-8" data-testid="consent-failed" data-code={code}>
      <FocusHeading id="failed-heading">{text.title}</FocusHeading>
      <div className="mt-6">
        <Banner tone="error" title={text.title}>
          <p>{text.body}</p>
        </Banner>
      </div>
      <div className="mt-8 flex flex-wrap gap-4">
        {code !== 'not-linked' && (
          <button type="button" className="btn btn-primary" onClick={onRetry}>
            同意の確認からやり直す
          </button>
        )}
        <button type="button" className="btn btn-secondary" onClick={onRestart}>
          最初に戻る（次の方）
        </button>
      </div>
    </section>
  );
}
