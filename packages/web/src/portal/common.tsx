import { Banner, FocusHeading } from '../shared/ui.tsx';
import { useLinkHandler } from './router.ts';

/** A page's data could not be read: why, in plain words, and a way to try again. */
export function LoadFailed({ code, onRetry }: { code: string; onRetry: () => void }) {
  const title =
    code === 'hub-unavailable'
      ? '登録された情報を取り寄せられませんでした。しばらくしてから再度お試しください'
      : code === 'network'
        ? 'マイナポータルに接続できません。通信環境を確認してください'
        : code === 'session-required'
          ? 'セッションの有効期限が切れました'
          : '読み込めませんでした';
  return (
    <Banner tone="error" role="alert" title={title} testId="load-failed">
      <button type="button" className="btn btn-secondary mt-2" onClick={onRetry}>
        もう一度読み込む
      </button>
    </Banner>
  );
}

/**
 * Nothing registered for this person yet: nothing is wrong, there is just nothing to show. Said
 * plainly — no municipality has registered anything yet — without the hub's name or the insurer.
 */
export function NotLinked() {
  return (
    <Banner tone="info" title="まだ登録された情報はありません" testId="not-linked">
      <p>お住まいの市区町村から、あなたの受給者証・予防接種・健診の情報はまだ登録されていません。市区町村が登録すると、ここに表示されます。</p>
    </Banner>
  );
}

export function NotFoundPage() {
  const onClick = useLinkHandler();
  return (
    <section aria-labelledby="not-found-heading">
      <FocusHeading id="not-found-heading">ページが見つかりません</FocusHeading>
      <p className="mt-4">
        <a href="/" onClick={onClick}>
          受給者証のページへ
        </a>
      </p>
    </section>
  );
}
