import { useContext, useEffect, useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { formatDateTime } from '../shared/format.ts';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { MunicipalityName } from '../shared/municipality.tsx';
import { LoadFailed } from './common.tsx';
import { CATEGORIES, label } from './labels.ts';
import { useLinkHandler } from './router.ts';
import { portalApi } from '@pmh/protocol/api/portal';
import { Session, useApi } from './session.ts';
import type { InboxItem } from './types.ts';

type State = { state: 'loading' } | { state: 'error'; code: string } | { state: 'ok'; items: InboxItem[]; unread: number; nextBefore?: string; more: boolean };

/** A page of the inbox is this long; an item opened by its address is looked for this many pages deep. */
const PAGE = 50;
const MAX_PAGES_SEARCHED = 20;

/** お知らせ: the inbox (unread first in the eye, newest first in order), and one notification opened. */
export function NotificationsPage({ openId }: { openId?: string }) {
  const call = useApi();
  const { setUnread } = useContext(Session);
  const [inbox, setInbox] = useState<State>({ state: 'loading' });
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger: changing it fetches again.
  useEffect(() => {
    let live = true;
    call(portalApi.myNotifications, { query: { limit: String(PAGE) } }).then(
      (r) => {
        if (!live) return;
        setInbox({ state: 'ok', items: r.items, unread: r.unread, nextBefore: r.nextBefore, more: false });
      },
      (e) => live && setInbox({ state: 'error', code: e instanceof ApiError ? e.code : 'unexpected' }),
    );
    return () => {
      live = false;
    };
  }, [call, round]);

  async function loadMore() {
    if (inbox.state !== 'ok' || !inbox.nextBefore) return;
    setInbox({ ...inbox, more: true });
    try {
      const r = await call(portalApi.myNotifications, { query: { limit: String(PAGE), before: inbox.nextBefore } });
      setInbox({ state: 'ok', items: [...inbox.items, ...r.items], unread: r.unread, nextBefore: r.nextBefore, more: false });
    } catch (e) {
      setInbox({ state: 'error', code: e instanceof ApiError ? e.code : 'unexpected' });
    }
  }

  // Opened by its address (a reload, a bookmark): look further back until it is found.
  const found = inbox.state === 'ok' && openId ? inbox.items.find((i) => i.id === openId) : undefined;
  const searching = inbox.state === 'ok' && !!openId && !found && !!inbox.nextBefore && inbox.items.length < PAGE * MAX_PAGES_SEARCHED;
  useEffect(() => {
    if (searching && inbox.state === 'ok' && !inbox.more) void loadMore();
  });

  // Opening an unread notification marks it read.
  useEffect(() => {
    if (!found || found.readAt) return;
    call(portalApi.markNotificationRead, { params: { id: found.id } }).then(
      () =>
        setInbox((s) =>
          s.state !== 'ok'
            ? s
            : { ...s, unread: Math.max(0, s.unread - 1), items: s.items.map((i) => (i.id === found.id ? { ...i, readAt: new Date().toISOString() } : i)) },
        ),
      () => undefined,
    );
  }, [call, found]);

  // The menu's unread badge follows the inbox.
  const unread = inbox.state === 'ok' ? inbox.unread : undefined;
  useEffect(() => {
    if (unread !== undefined) setUnread(unread);
  }, [unread, setUnread]);

  if (openId) {
    if (inbox.state === 'loading' || searching) return <Spinner label="お知らせを読み込んでいます…" />;
    if (inbox.state === 'error') return <LoadFailed code={inbox.code} onRetry={() => setRound((r) => r + 1)} />;
    return found ? <Detail item={found} /> : <Missing />;
  }

  return (
    <section aria-labelledby="notifications-heading">
      <FocusHeading id="notifications-heading">お知らせ</FocusHeading>
      <p className="mt-2">市区町村などから、あなたに届いたお知らせです。</p>
      <div className="mt-6">
        {inbox.state === 'loading' && <Spinner label="お知らせを読み込んでいます…" />}
        {inbox.state === 'error' && <LoadFailed code={inbox.code} onRetry={() => setRound((r) => r + 1)} />}
        {inbox.state === 'ok' && (
          <>
            <p className="text-std-18B-160" aria-live="polite" data-testid="unread-count">
              未読 {inbox.unread}件
            </p>
            {inbox.items.length === 0 ? (
              <p className="mt-4">お知らせはありません。</p>
            ) : (
              <ul className="mt-4 divide-y divide-solid-gray-200 border-y border-solid-gray-200" aria-label="お知らせの一覧">
                {inbox.items.map((i) => (
                  <li key={i.id}>
                    <ItemLink item={i} />
                  </li>
                ))}
              </ul>
            )}
            {inbox.nextBefore && (
              <button type="button" className="btn btn-secondary mt-6" onClick={loadMore} disabled={inbox.more}>
                もっと見る
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function ItemLink({ item }: { item: InboxItem }) {
  const onClick = useLinkHandler();
  const unread = !item.readAt;
  return (
    <a
      href={`/notifications/${item.id}`}
      onClick={onClick}
      className="flex gap-3 px-2 py-4 text-solid-gray-800 no-underline hover:bg-blue-50"
      data-testid="notification"
      data-read={unread ? 'false' : 'true'}
    >
      <span className={`mt-2 size-3 shrink-0 rounded-full ${unread ? 'bg-blue-900' : 'bg-transparent'}`} aria-hidden="true" />
      <span className="min-w-0">
        <span className="flex flex-wrap items-center gap-2">
          <span
            className={`rounded-4 border px-2 text-dns-14B-130 leading-6 ${unread ? 'border-blue-900 bg-blue-900 text-white' : 'border-solid-gray-600 text-solid-gray-700'}`}
          >
            {unread ? '未読' : '既読'}
          </span>
          <span className="text-dns-14N-130 text-solid-gray-700">{label(CATEGORIES, item.category)}</span>
        </span>
        <span className={`mt-1 block underline underline-offset-3 ${unread ? 'text-std-17B-170' : 'text-std-17N-170'}`}>{item.title}</span>
        <span className="block text-dns-14N-130 text-solid-gray-700">
          {formatDateTime(item.publishedAt)}　<MunicipalityName code={item.municipalityCode} />
        </span>
      </span>
    </a>
  );
}

function Detail({ item }: { item: InboxItem }) {
  const onClick = useLinkHandler();
  return (
    <article aria-labelledby="notification-title" data-testid="notification-detail">
      <a href="/notifications" onClick={onClick} className="inline-block py-2">
        お知らせの一覧に戻る
      </a>
      <p className="mt-4 text-dns-14N-130 text-solid-gray-700">
        {label(CATEGORIES, item.category)}　{formatDateTime(item.publishedAt)}　<MunicipalityName code={item.municipalityCode} />
      </p>
      <FocusHeading id="notification-title" className="mt-1">
        {item.title}
      </FocusHeading>
      <div className="mt-6 whitespace-pre-wrap text-std-17N-170" data-testid="notification-body">
        {item.body}
      </div>
      {item.url && (
        <p className="mt-6">
          <a href={item.url} target="_blank" rel="noopener noreferrer">
            詳しくはこちら（新しいタブで開きます）
          </a>
        </p>
      )}
    </article>
  );
}

function Missing() {
  const onClick = useLinkHandler();
  return (
    <section>
      <Banner tone="warning" title="お知らせが見つかりません">
        <a href="/notifications" onClick={onClick}>
          お知らせの一覧に戻る
        </a>
      </Banner>
    </section>
  );
}
