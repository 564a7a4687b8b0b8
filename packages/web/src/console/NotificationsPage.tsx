import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { NotificationCategory, NotificationStatusView, NotificationSummary, OfficerRole } from '@pmh/protocol';
import { formatDateTime } from '../shared/format.ts';
import { MunicipalityName } from '../shared/municipality.tsx';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { call } from './api.ts';
import { DataTable, Failure } from './common.tsx';
import { CATEGORIES, DELIVERY_STATUS, label } from './labels.ts';

/**
 * お知らせ: compose a notification to subjects by 宛名番号 with a live preview of what the resident
 * will see in the portal, send it now or at a time (予約), cancel it while it is scheduled, and
 * follow its delivery per subject. Composing and cancelling are for 通知 and 管理 officers.
 */
export function NotificationsPage({ role, municipalityCode }: { role: OfficerRole; municipalityCode: string }) {
  const canSend = role === 'notify' || role === 'admin';
  const [list, setList] = useState<NotificationSummary[]>();
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState<string>();
  const reload = useCallback(() => call(hubApi.municipal.listNotifications, { query: { limit: '50' } }).then((r) => setList(r.notifications), setError), []);
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section aria-labelledby="notifications-heading">
      <FocusHeading id="notifications-heading">お知らせ</FocusHeading>
      <p className="mt-2">対象者のマイナポータルに届くお知らせです。{canSend ? '作成と取消は、通知と管理の権限の職員ができます。' : ''}</p>
      {canSend && (
        <Compose
          municipalityCode={municipalityCode}
          onSent={(id) => {
            setOpen(id);
            void reload();
          }}
        />
      )}
      <h2 className="mt-10 text-std-24B-150">送ったお知らせ</h2>
      {error !== undefined && <Failure title="お知らせを読み込めませんでした" error={error} />}
      {!list && error === undefined && <Spinner label="読み込んでいます…" />}
      {list && list.length === 0 && <p className="mt-2">まだお知らせはありません。</p>}
      {list && list.length > 0 && (
        <div className="mt-2">
          <DataTable
            caption="送ったお知らせ（新しい順）"
            testId="notifications"
            rows={list}
            rowKey={(n) => n.notificationId}
            columns={[
              { head: '件名', cell: (n) => n.title },
              { head: '区分', cell: (n) => label(CATEGORIES, n.category) },
              { head: '公開日時', cell: (n) => formatDateTime(n.publishAt) },
              {
                head: '状況',
                cell: (n) =>
                  n.cancelledAt ? '取消済み' : `${n.targets} 人中 配信済み ${n.counts.delivered}・配信待ち ${n.counts.waiting}・予約中 ${n.counts.scheduled}`,
              },
              {
                head: '詳細',
                cell: (n) => (
                  <button type="button" className="btn btn-tertiary" onClick={() => setOpen(n.notificationId)} aria-label={`「${n.title}」の配信状況`}>
                    配信状況
                  </button>
                ),
              },
            ]}
          />
        </div>
      )}
      {open && <Status key={open} id={open} canCancel={canSend} onChanged={() => void reload()} />}
    </section>
  );
}

const CATEGORY_LIST: NotificationCategory[] = ['general', 'medical-subsidy', 'vaccination', 'maternal-child'];

function Compose({ municipalityCode, onSent }: { municipalityCode: string; onSent: (id: string) => void }) {
  const [targets, setTargets] = useState('');
  const [category, setCategory] = useState<NotificationCategory>('general');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [url, setUrl] = useState('');
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const keys = targets
    .split(/[\s,、]+/)
    .map((k) => k.trim())
    .filter(Boolean);

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const publishAt = when === 'later' && at ? new Date(`${at}:00+09:00`).toISOString() : undefined;
      const r = await call(hubApi.municipal.sendNotification, {
        body: {
          targets: [...new Set(keys)].map((municipalityIdentityKey) => ({ municipalityIdentityKey })),
          category,
          title,
          body,
          ...(url ? { url } : {}),
          ...(publishAt ? { publishAt } : {}),
        },
      });
      setDone(publishAt ? `${formatDateTime(r.publishAt)} に公開する予約をしました（${r.targets} 人）。` : `送りました（${r.targets} 人）。`);
      setTitle('');
      setBody('');
      setUrl('');
      setTargets('');
      onSent(r.notificationId);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  }

  return (
    <div className="mt-6 grid gap-6 lg:grid-cols-2">
      <form onSubmit={send} className="grid gap-4 rounded-12 border border-solid-gray-420 p-4 sm:p-6" aria-labelledby="compose-heading">
        <h2 id="compose-heading" className="text-std-24B-150">
          お知らせを作る
        </h2>
        <div>
          <label htmlFor="n-targets" className="label">
            宛先（宛名番号。改行・空白・読点で区切って複数）
          </label>
          <textarea id="n-targets" className="input min-h-20" required value={targets} onChange={(e) => setTargets(e.target.value)} />
          <p className="text-dns-14N-130 text-solid-gray-700">{keys.length} 人</p>
        </div>
        <div>
          <label htmlFor="n-category" className="label">
            区分
          </label>
          <select id="n-category" className="input" value={category} onChange={(e) => setCategory(e.target.value as NotificationCategory)}>
            {CATEGORY_LIST.map((c) => (
              <option key={c} value={c}>
                {label(CATEGORIES, c)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="n-title" className="label">
            件名
          </label>
          <input id="n-title" className="input" required maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div>
          <label htmlFor="n-body" className="label">
            本文
          </label>
          <textarea id="n-body" className="input min-h-32" required maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} />
        </div>
        <div>
          <label htmlFor="n-url" className="label">
            詳しい情報のURL（任意）
          </label>
          <input id="n-url" type="url" className="input" value={url} onChange={(e) => setUrl(e.target.value)} />
        </div>
        <fieldset>
          <legend className="label">公開</legend>
          <div className="flex flex-wrap gap-6">
            <label className="flex items-center gap-2">
              <input type="radio" name="when" value="now" checked={when === 'now'} onChange={() => setWhen('now')} />
              すぐに公開
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="when" value="later" checked={when === 'later'} onChange={() => setWhen('later')} />
              日時を指定（予約）
            </label>
          </div>
          {when === 'later' && (
            <div className="mt-2">
              <label htmlFor="n-at" className="label">
                公開日時（日本時間）
              </label>
              <input id="n-at" type="datetime-local" className="input" required value={at} onChange={(e) => setAt(e.target.value)} />
            </div>
          )}
        </fieldset>
        {error !== undefined && <Failure title="送れませんでした" error={error} />}
        {done && <Banner tone="success" role="status" title={done} testId="notification-sent" />}
        <div>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {when === 'later' ? '予約する' : '送る'}
          </button>
        </div>
      </form>
      <Preview
        municipalityCode={municipalityCode}
        category={category}
        title={title}
        body={body}
        url={url}
        at={when === 'later' && at ? `${at}:00+09:00` : undefined}
      />
    </div>
  );
}

/** What the resident will see in the portal's inbox, as it will look there. */
function Preview(p: { municipalityCode: string; category: NotificationCategory; title: string; body: string; url: string; at?: string }) {
  return (
    <section aria-labelledby="preview-heading" className="rounded-12 border-2 border-dashed border-solid-gray-420 p-4 sm:p-6" data-testid="preview">
      <h2 id="preview-heading" className="text-std-20B-150">
        プレビュー（住民のマイナポータルでの見え方）
      </h2>
      <article className="mt-4 rounded-8 bg-white p-4 shadow-1">
        <p className="text-dns-14N-130 text-solid-gray-700">
          {label(CATEGORIES, p.category)}　{p.at ? formatDateTime(new Date(p.at).toISOString()) : '公開日時'}　<MunicipalityName code={p.municipalityCode} />
        </p>
        <p className="mt-1 text-std-24B-150">{p.title || '（件名）'}</p>
        <div className="mt-4 whitespace-pre-wrap text-std-17N-170">{p.body || '（本文）'}</div>
        {p.url && <p className="mt-4 text-blue-1000 underline">詳しくはこちら（新しいタブで開きます）</p>}
      </article>
    </section>
  );
}

function Status({ id, canCancel, onChanged }: { id: string; canCancel: boolean; onChanged: () => void }) {
  const [s, setS] = useState<NotificationStatusView>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call(hubApi.municipal.getNotification, { params: { notificationId: id } }).then(setS, setError);
  }, [id]);

  async function cancel() {
    setBusy(true);
    setError(undefined);
    try {
      setS(await call(hubApi.municipal.cancelNotification, { params: { notificationId: id } }));
      onChanged();
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  }

  const scheduled = s && !s.cancelledAt && s.counts.scheduled > 0 && s.counts.scheduled === s.targets.length;
  return (
    <section aria-labelledby="status-heading" className="mt-8 rounded-12 border border-solid-gray-420 p-4 sm:p-6" data-testid="notification-status">
      <h2 id="status-heading" className="text-std-24B-150" tabIndex={-1}>
        配信状況{s ? `：${s.title}` : ''}
      </h2>
      {error !== undefined && <Failure title="うまくいきませんでした" error={error} />}
      {!s && error === undefined && <Spinner label="読み込んでいます…" />}
      {s && (
        <>
          <p className="mt-2">
            公開日時 {formatDateTime(s.publishAt)}
            {s.cancelledAt && `（${formatDateTime(s.cancelledAt)} に取り消しました）`}
          </p>
          {scheduled && canCancel && (
            <button type="button" className="btn btn-secondary mt-4" onClick={cancel} disabled={busy}>
              予約を取り消す
            </button>
          )}
          <div className="mt-4">
            <DataTable
              caption="宛先ごとの配信状況"
              testId="targets"
              rows={s.targets}
              rowKey={(t) => t.municipalityIdentityKey}
              columns={[
                { head: '宛名番号', cell: (t) => <span className="code">{t.municipalityIdentityKey}</span> },
                { head: '状況', cell: (t) => DELIVERY_STATUS[t.status] ?? t.status },
                { head: '配信日時', cell: (t) => (t.deliveredAt ? formatDateTime(t.deliveredAt) : '—') },
              ]}
            />
          </div>
        </>
      )}
    </section>
  );
}
