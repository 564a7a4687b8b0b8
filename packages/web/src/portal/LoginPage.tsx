import { useEffect, useState, type FormEvent } from 'react';
import { portalApi } from '@pmh/protocol/api/portal';
import { call, ApiError } from '../shared/api.ts';
import { signChallenge, type DemoCard } from '../shared/card.ts';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';

function loginFailure(code: string): { title: string; body: string } {
  switch (code) {
    case 'card-authentication-failed':
      return { title: 'カードを確認できませんでした', body: 'カードをもう一度読み取ってください。' };
    case 'challenge-invalid':
      return { title: 'ログインの有効期限が切れました', body: 'もう一度「マイナンバーカードで ログイン」を押してください。' };
    case 'no-portal-account':
      return { title: 'このカードではまだログインできません', body: '加入している医療保険からの登録が、まだ届いていません。しばらくしてからお試しください。' };
    case 'card-verification-unavailable':
    case 'network':
      return { title: '現在ログインできません', body: 'カードを確認するシステムに接続できません。しばらくしてから再度お試しください。' };
    default:
      return { title: 'ログインできませんでした', body: `しばらくしてから再度お試しください（エラーコード: ${code}）。` };
  }
}

/**
 * Login with the My Number Card. In the demo the page stands in for the card reader: the resident
 * picks a demo card, and the page signs the portal's challenge with that card's key.
 */
export function LoginPage({ notice, onLoggedIn }: { notice?: string; onLoggedIn: () => Promise<void> }) {
  const [cards, setCards] = useState<DemoCard[]>();
  const [cardsFailed, setCardsFailed] = useState(false);
  const [serial, setSerial] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    call(portalApi.demoCards, {}).then(
      (r) => {
        setCards(r.cards);
        setSerial((s) => s || r.cards[0]?.cardSerial || '');
      },
      () => setCardsFailed(true),
    );
  }, []);

  async function login(e: FormEvent) {
    e.preventDefault();
    const card = cards?.find((c) => c.cardSerial === serial);
    if (!card) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const { challenge } = await call(portalApi.issueSessionChallenge, {});
      const signature = await signChallenge(card, challenge);
      await call(portalApi.logIn, { body: { cardSerial: card.cardSerial, challenge, signature } });
      await onLoggedIn();
    } catch (err) {
      setFailure(err instanceof ApiError ? err.code : 'unexpected');
      setBusy(false);
    }
  }

  const failed = failure ? loginFailure(failure) : undefined;
  return (
    <section aria-labelledby="login-heading" className="max-w-2xl">
      <FocusHeading id="login-heading">ログイン</FocusHeading>
      <p className="mt-2">マイナンバーカードでログインすると、あなたの公費の受給者証、自治体からのお知らせ、あなたのデータを見た記録を確認できます。</p>

      {notice && (
        <div className="mt-6">
          <Banner tone="info" role="status" title={notice} testId="login-notice" />
        </div>
      )}
      {failed && (
        <div className="mt-6">
          <Banner tone="error" role="alert" title={failed.title} testId="login-error">
            <p>{failed.body}</p>
          </Banner>
        </div>
      )}

      <form onSubmit={login} className="mt-8 rounded-12 border border-solid-gray-420 p-4 sm:p-6">
        {cardsFailed && <Banner tone="error" title="デモ用のカードを読み込めません" headingLevel={3} />}
        {!cards && !cardsFailed && <Spinner label="カードリーダーを準備しています…" />}
        {cards && (
          <>
            <label htmlFor="demo-card" className="label">
              デモ用のマイナンバーカード
            </label>
            <span id="demo-card-hint" className="hint">
              デモでは、カードリーダーの代わりに、使うカードをここで選びます。
            </span>
            <select
              id="demo-card"
              className="input max-w-sm"
              aria-describedby="demo-card-hint"
              value={serial}
              onChange={(e) => setSerial(e.target.value)}
              data-testid="demo-card"
            >
              {cards.map((c) => (
                <option key={c.cardSerial} value={c.cardSerial}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="submit" className="btn btn-primary btn-lg mt-6" disabled={busy || !serial}>
              マイナンバーカードで ログイン
            </button>
            {busy && (
              <div className="mt-4">
                <Spinner label="カードを確認しています…" />
              </div>
            )}
          </>
        )}
      </form>
    </section>
  );
}
