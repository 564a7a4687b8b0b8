import { useEffect, useState, type FormEvent } from 'react';
import { portalApi } from '@pmh/protocol/api/portal';
import { ApiError, call } from '../shared/api.ts';
import { signChallenge, type DemoCard } from '../shared/card.ts';
import { formatDateTime } from '../shared/format.ts';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { useActing } from './acting.ts';
import { LoadFailed } from './common.tsx';
import { useApi, useResource } from './session.ts';

function addFailure(code: string): string {
  switch (code) {
    case 'card-authentication-failed':
      return 'カードを確認できませんでした。もう一度読み取ってください。';
    case 'challenge-invalid':
      return '読み取りの有効期限が切れました。もう一度お試しください。';
    case 'no-portal-account':
      return 'このカードの方は、医療保険からの登録がまだ届いていません。';
    case 'validation':
      return 'これはあなた自身のカードです。お子さまのカードを読み取ってください。';
    default:
      return `追加できませんでした（エラーコード: ${code}）。しばらくしてから再度お試しください。`;
  }
}

/**
 * 家族（代理人）: the children I act for. A child is added once with the child's own card (in the
 * demo, a demo card signs the portal's challenge as at login); then the switcher shows their pages.
 */
export function FamilyPage() {
  const api = useApi();
  const { switchTo, refreshDependants } = useActing();
  const [loaded, reload] = useResource(portalApi.myDependants, {});
  const [cards, setCards] = useState<DemoCard[]>();
  const [serial, setSerial] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ tone: 'success' | 'error'; title: string }>();

  useEffect(() => {
    call(portalApi.demoCards, {}).then(
      (r) => {
        setCards(r.cards);
        setSerial((s) => s || r.cards[0]?.cardSerial || '');
      },
      () => setCards([]),
    );
  }, []);

  async function add(e: FormEvent) {
    e.preventDefault();
    const card = cards?.find((c) => c.cardSerial === serial);
    if (!card) return;
    setBusy(true);
    setResult(undefined);
    try {
      const { challenge } = await call(portalApi.issueSessionChallenge, {});
      const signature = await signChallenge(card, challenge);
      const added = await api(portalApi.addDependant, { body: { cardSerial: card.cardSerial, challenge, signature } });
      setResult({ tone: 'success', title: `${added.displayName}さんを追加しました。上の「表示する人」で切り替えられます。` });
      reload();
      refreshDependants();
    } catch (err) {
      setResult({ tone: 'error', title: addFailure(err instanceof ApiError ? err.code : 'unexpected') });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="family-heading" className="max-w-3xl">
      <FocusHeading id="family-heading">家族（代理人）</FocusHeading>
      <p className="mt-2">
        お子さまのマイナンバーカードを一度読み取ると、保護者（代理人）として、お子さまの予防接種の記録や予診票を見たり記入したりできます。代理人として見た記録は、お子さまの「閲覧記録」に残ります。
      </p>
      <div className="mt-6">
        {loaded.state === 'loading' && <Spinner label="読み込んでいます…" />}
        {loaded.state === 'error' && <LoadFailed code={loaded.code} onRetry={reload} />}
        {loaded.state === 'ok' &&
          (loaded.data.dependants.length === 0 ? (
            <p>まだ追加されたお子さまはいません。</p>
          ) : (
            <ul className="grid gap-3" aria-label="代理人として見られる人">
              {loaded.data.dependants.map((d) => (
                <li
                  key={d.dependantId}
                  className="flex flex-wrap items-center justify-between gap-3 rounded-8 border border-solid-gray-420 bg-white p-4"
                  data-testid="dependant"
                >
                  <span>
                    <span className="text-std-18B-160">{d.displayName}</span>
                    <span className="block text-std-16N-170 text-solid-gray-700">追加 {formatDateTime(d.addedAt)}</span>
                  </span>
                  <button type="button" className="btn btn-secondary" onClick={() => switchTo({ dependantId: d.dependantId, displayName: d.displayName })}>
                    {d.displayName}さんの情報を見る
                  </button>
                </li>
              ))}
            </ul>
          ))}
      </div>

      <form onSubmit={add} className="mt-8 rounded-12 border border-solid-gray-420 p-4 sm:p-6">
        <h2 className="text-std-24B-150">お子さまを追加する</h2>
        {result && (
          <div className="mt-4">
            <Banner
              tone={result.tone}
              role={result.tone === 'error' ? 'alert' : 'status'}
              title={result.title}
              testId="add-dependant-result"
              headingLevel={3}
            />
          </div>
        )}
        {!cards && <Spinner label="カードリーダーを準備しています…" />}
        {cards && cards.length === 0 && <Banner tone="error" title="デモ用のカードを読み込めません" headingLevel={3} />}
        {cards && cards.length > 0 && (
          <>
            <label htmlFor="child-card" className="label mt-4 block">
              お子さまのマイナンバーカード（デモ）
            </label>
            <span id="child-card-hint" className="hint">
              デモでは、カードリーダーの代わりに、お子さまのカードをここで選びます。
            </span>
            <select id="child-card" className="input max-w-sm" aria-describedby="child-card-hint" value={serial} onChange={(e) => setSerial(e.target.value)}>
              {cards.map((c) => (
                <option key={c.cardSerial} value={c.cardSerial}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="submit" className="btn btn-primary mt-6 block" disabled={busy || !serial}>
              お子さまのカードを読み取って追加
            </button>
          </>
        )}
      </form>
    </section>
  );
}
