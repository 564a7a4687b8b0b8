import { useEffect, useState, type FormEvent } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { MunicipalAccessLogEntry, MunicipalAccessLogQuery } from '@pmh/protocol';
import { formatDateTime } from '../shared/format.ts';
import { MunicipalityName } from '../shared/municipality.tsx';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { call } from './api.ts';
import { DataTable, Failure } from './common.tsx';
import { ACTIONS, ACTOR_KINDS, OUTCOMES, PURPOSES, label } from './labels.ts';
import { downloadCsv } from './download.ts';

/**
 * 閲覧記録 — who looked at our residents' data: every audited read or write of this municipality's
 * subjects (which institution, municipality, officer or operator, what, when, which 宛名番号),
 * filtered by day, kind of actor and subject; a page at a time; downloadable as CSV.
 */
export function AccessLogPage() {
  const [form, setForm] = useState({ from: '', to: '', actorKind: '', subjectKey: '' });
  const [asked, setAsked] = useState<MunicipalAccessLogQuery>({});
  const [items, setItems] = useState<MunicipalAccessLogEntry[]>();
  const [next, setNext] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [problem, setProblem] = useState<string>();

  async function load(query: MunicipalAccessLogQuery, append: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const r = await call(hubApi.municipal.accessLog, { query: { ...query, limit: '50' } });
      setItems((prev) => (append && prev ? [...prev, ...r.items] : r.items));
      setNext(r.nextBefore);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  }

  // The newest entries, before any filter.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on opening the page.
  useEffect(() => {
    void load({}, false);
  }, []);

  const queryOf = (): MunicipalAccessLogQuery => ({
    ...(form.from ? { from: form.from } : {}),
    ...(form.to ? { to: form.to } : {}),
    ...(form.actorKind ? { actorKind: form.actorKind as MunicipalAccessLogQuery['actorKind'] } : {}),
    ...(form.subjectKey.trim() ? { subjectKey: form.subjectKey.trim() } : {}),
  });

  function search(e: FormEvent) {
    e.preventDefault();
    const q = queryOf();
    setAsked(q);
    void load(q, false);
  }

  async function download() {
    setProblem(undefined);
    const q = new URLSearchParams({ ...(asked as Record<string, string>), limit: '100' });
    const failed = await downloadCsv(`/municipal/v1/access-log?${q}`, 'access-log.csv', true);
    if (failed) setProblem(failed);
  }

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <section aria-labelledby="access-heading">
      <FocusHeading id="access-heading">閲覧記録</FocusHeading>
      <p className="mt-2">
        この自治体の対象者の情報を、いつ、だれが（医療機関・自治体・職員・運用者）、何のために見たり登録したりしたかの記録です。新しい順に並びます。この記録を見たことも記録されます。
      </p>
      <form onSubmit={search} className="mt-4 grid gap-4 rounded-12 border border-solid-gray-420 p-4 sm:grid-cols-2 sm:p-6">
        <div>
          <label htmlFor="a-from" className="label">
            期間（開始日）
          </label>
          <input id="a-from" type="date" className="input" value={form.from} onChange={set('from')} />
        </div>
        <div>
          <label htmlFor="a-to" className="label">
            期間（終了日）
          </label>
          <input id="a-to" type="date" className="input" value={form.to} onChange={set('to')} />
        </div>
        <div>
          <label htmlFor="a-kind" className="label">
            だれが
          </label>
          <select id="a-kind" className="input" value={form.actorKind} onChange={set('actorKind')}>
            <option value="">すべて</option>
            {Object.entries(ACTOR_KINDS).map(([v, n]) => (
              <option key={v} value={v}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="a-key" className="label">
            宛名番号
          </label>
          <input id="a-key" className="input" value={form.subjectKey} onChange={set('subjectKey')} />
        </div>
        <div className="flex flex-wrap gap-3 sm:col-span-2">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            表示
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => void download()} disabled={items === undefined}>
            CSV でダウンロード（Shift_JIS）
          </button>
        </div>
      </form>
      {problem && (
        <div className="mt-4">
          <Banner tone="error" role="alert" title="ダウンロードできませんでした">
            <p>{problem}</p>
          </Banner>
        </div>
      )}
      {error !== undefined && <Failure title="記録を読み込めませんでした" error={error} />}
      <div className="mt-6" aria-live="polite">
        {busy && !items && <Spinner label="読み込んでいます…" />}
        {items && items.length === 0 && <p>条件に合う記録はありません。</p>}
        {items && items.length > 0 && (
          <>
            <DataTable
              caption="閲覧記録（新しい順）"
              testId="access-log"
              rows={items}
              rowKey={(e, i) => `${e.at}-${i}`}
              columns={[
                { head: '日時', nowrap: true, cell: (e) => formatDateTime(e.at) },
                {
                  head: 'だれが',
                  cell: (e) => (
                    <>
                      <span className="font-bold">{label(ACTOR_KINDS, e.actorKind)}</span>
                      {e.actorCode && (
                        <span className="block text-dns-14N-130 text-solid-gray-700">
                          {e.actorKind === 'medical-institution' ? (
                            <>
                              医療機関コード <span className="code">{e.actorCode}</span>
                            </>
                          ) : (
                            <MunicipalityName code={e.actorCode} withCode />
                          )}
                          {e.officerLoginId && `　職員 ${e.officerLoginId}`}
                        </span>
                      )}
                    </>
                  ),
                },
                { head: '何を', cell: (e) => label(ACTIONS, e.action) },
                { head: '目的', cell: (e) => label(PURPOSES, e.purpose) },
                { head: '結果', cell: (e) => label(OUTCOMES, e.outcome) },
                { head: '宛名番号', cell: (e) => <span className="code">{e.municipalityIdentityKey ?? '—'}</span> },
              ]}
            />
            {next && (
              <button type="button" className="btn btn-secondary mt-4" disabled={busy} onClick={() => void load({ ...asked, before: next }, true)}>
                さらに表示
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}
