import { Banner, FocusHeading } from '../shared/ui.tsx';
import { useLinkHandler } from './router.ts';

/** A page's data could not be read: why, in plain words, and a way to try again. */
export function LoadFailed({ code, onRetry }: { code: string; onRetry: () => void }) {
  const title =
    code === 'hub-unavailable'
      ? 'PMHに接続できません。しばらくしてから再度お試しください'
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

/** The account is not linked to PMH yet: nothing is wrong, there is just nothing to show yet. */
export function NotLinked() {
  return (
    <Banner tone="info" title="PMHとの連携がまだありません" testId="not-linked">
      <p>加入している医療保険からの登録が届くと、PMH と連携され、ここに表示されるようになります。</p>
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
