import { useEffect, useMemo, useState } from 'react';
import { clinicApi } from '@pmh/protocol/api/clinic';
import { call } from '../shared/api.ts';
import type { DemoCard } from '../shared/card.ts';
import { Banner, Spinner } from '../shared/ui.tsx';

/**
 * The simulated card reader (カードリーダー, demo): the cards that can be "placed" on it, found by
 * name. Reception and the vaccination screen both start here.
 */
export function CardReader({ onCard }: { onCard: (card: DemoCard) => void }) {
  const [cards, setCards] = useState<DemoCard[]>();
  const [failed, setFailed] = useState(false);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    call(clinicApi.readerCards, {}).then(
      (r) => setCards(r.cards),
      () => setFailed(true),
    );
  }, []);
  const shown = useMemo(() => {
    const f = filter.replace(/\s+/g, '');
    return (cards ?? []).filter((c) => !f || c.name.replace(/\s+/g, '').includes(f));
  }, [cards, filter]);

  return (
    <div className="mt-6 rounded-12 border-2 border-solid-gray-600 p-4 sm:p-6">
      <h2 className="text-std-20B-150">カードリーダー（デモ）</h2>
      {failed && (
        <div className="mt-4">
          <Banner tone="error" role="alert" title="カードリーダーを読み取れません" headingLevel={3}>
            ページを再読み込みしてください。
          </Banner>
        </div>
      )}
      {!cards && !failed && (
        <div className="mt-4">
          <Spinner label="カードリーダーを準備しています…" />
        </div>
      )}
      {cards && cards.length === 0 && <p className="mt-4">カードリーダーにカードがありません（デモのカードがまだ作られていません）。</p>}
      {cards && cards.length > 0 && (
        <>
          <div className="mt-4 max-w-sm">
            <label htmlFor="card-filter" className="label">
              氏名で絞り込む
            </label>
            <input id="card-filter" type="search" className="input" value={filter} onChange={(e) => setFilter(e.target.value)} autoComplete="off" />
          </div>
          <p className="mt-3 text-std-16N-170 text-solid-gray-700" aria-live="polite">
            {shown.length}枚のカード
          </p>
          <ul className="mt-2 grid max-h-[28rem] gap-2 overflow-y-auto p-1 sm:grid-cols-2 lg:grid-cols-3" aria-label="カードの一覧">
            {shown.map((c) => (
              <li key={c.cardSerial} className="relative">
                <button
                  type="button"
                  className="btn btn-secondary w-full justify-start text-left"
                  onClick={() => onCard(c)}
                  data-testid={`card-${c.cardSerial}`}
                >
                  <CardGlyph />
                  <span>
                    <span className="sr-only">カードを置く：</span>
                    {c.name}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function CardGlyph() {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" className="shrink-0 fill-current">
      <path d="M3 5h18a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1 2v10h16V7zm2 2h5v4H6z" />
    </svg>
  );
}
