import { useState, type FormEvent } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { SubjectListQuery, SubjectSummary } from '@pmh/protocol';
import { formatWareki } from '../shared/format.ts';
import { FocusHeading, Spinner } from '../shared/ui.tsx';
import { call } from './api.ts';
import { DataTable, Failure } from './common.tsx';
import { LINK_STATUS, PMH_ID_STATUS, PROCESS_NAMES, SEX, SUBJECT_STATUS } from './labels.ts';
import { BASE, useLinkHandler } from './router.ts';

/**
 * 対象者: the municipality's subjects, searched by 宛名番号, name in kana (hiragana or katakana, any
 * width), birth date, status and process, a page at a time; each leads to the subject's page.
 */
export function SubjectsPage() {
  const onClick = useLinkHandler();
  const [form, setForm] = useState({ key: '', kana: '', birthDate: '', status: '', process: '' });
  const [rows, setRows] = useState<SubjectSummary[]>();
  const [next, setNext] = useState<string>();
  const [asked, setAsked] = useState<SubjectListQuery>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function load(query: SubjectListQuery, append: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const r = await call(hubApi.municipal.listSubjects, { query });
      setRows((prev) => (append && prev ? [...prev, ...r.subjects] : r.subjects));
      setNext(r.nextCursor);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  }

  function search(e: FormEvent) {
    e.preventDefault();
    const q: SubjectListQuery = {
      ...(form.key.trim() ? { municipalityIdentityKey: form.key.trim() } : {}),
      ...(form.kana.trim() ? { kana: form.kana.trim() } : {}),
      ...(form.birthDate ? { birthDate: form.birthDate } : {}),
      ...(form.status ? { status: form.status as SubjectListQuery['status'] } : {}),
      ...(form.process ? { process: form.process as SubjectListQuery['process'] } : {}),
      limit: '20',
    };
    setAsked(q);
    void load(q, false);
  }

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <section aria-labelledby="subjects-heading">
      <FocusHeading id="subjects-heading">対象者</FocusHeading>
      <p className="mt-2">登録した対象者を探します。条件を入れずに「検索」すると、すべての対象者を宛名番号の順に表示します。</p>
      <form onSubmit={search} className="mt-4 grid gap-4 rounded-12 border border-solid-gray-420 p-4 sm:grid-cols-2 sm:p-6">
        <div>
          <label htmlFor="q-key" className="label">
            宛名番号
          </label>
          <input id="q-key" className="input" value={form.key} onChange={set('key')} />
        </div>
        <div>
          <label htmlFor="q-kana" className="label">
            氏名（カナ・前方一致）
          </label>
          <input id="q-kana" className="input" value={form.kana} onChange={set('kana')} aria-describedby="q-kana-hint" />
          <p id="q-kana-hint" className="text-dns-14N-130 text-solid-gray-700">
            ひらがな・カタカナ、全角・半角のどれでも探せます。空白は無視します。
          </p>
        </div>
        <div>
          <label htmlFor="q-birth" className="label">
            生年月日
          </label>
          <input id="q-birth" type="date" className="input" value={form.birthDate} onChange={set('birthDate')} />
        </div>
        <div>
          <label htmlFor="q-status" className="label">
            状態
          </label>
          <select id="q-status" className="input" value={form.status} onChange={set('status')}>
            <option value="">すべて</option>
            {Object.entries(SUBJECT_STATUS).map(([v, n]) => (
              <option key={v} value={v}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="q-process" className="label">
            業務
          </label>
          <select id="q-process" className="input" value={form.process} onChange={set('process')}>
            <option value="">すべて</option>
            {['medical-subsidy', 'vaccination', 'maternal-child'].map((p) => (
              <option key={p} value={p}>
                {PROCESS_NAMES[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="flex items-end">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            検索
          </button>
        </div>
      </form>
      {error !== undefined && <Failure title="検索できませんでした" error={error} />}
      <div className="mt-6" aria-live="polite">
        {busy && !rows && <Spinner label="検索しています…" />}
        {rows && rows.length === 0 && <p data-testid="subjects-none">条件に合う対象者はいません。</p>}
        {rows && rows.length > 0 && (
          <>
            <p className="mb-2">
              {rows.length.toLocaleString('ja-JP')} 件を表示しています{next && '（続きがあります）'}。
            </p>
            <DataTable
              caption="対象者の一覧"
              testId="subjects"
              rows={rows}
              rowKey={(r, i) => `${r.municipalityIdentityKey ?? ''}-${i}`}
              columns={[
                {
                  head: '宛名番号',
                  nowrap: true,
                  cell: (r) =>
                    r.municipalityIdentityKey ? (
                      <a href={`${BASE}/subjects/${encodeURIComponent(r.municipalityIdentityKey)}`} onClick={onClick} className="code">
                        {r.municipalityIdentityKey}
                      </a>
                    ) : (
                      'なし'
                    ),
                },
                {
                  head: '氏名',
                  cell: (r) => (
                    <>
                      {r.name}
                      {r.nameKana && <span className="block text-dns-14N-130 text-solid-gray-700">{r.nameKana}</span>}
                      {r.isNotDisclosed && <span className="block text-dns-14B-130 text-error-1">DV等支援措置（不開示）</span>}
                    </>
                  ),
                },
                { head: '生年月日', nowrap: true, cell: (r) => formatWareki(r.dateOfBirth) },
                { head: '性別', cell: (r) => SEX[r.sex] ?? r.sex },
                { head: '業務', cell: (r) => r.processes.map((p) => PROCESS_NAMES[p]).join('、') || 'なし' },
                { head: 'PMH-ID', cell: (r) => PMH_ID_STATUS[r.pmhIdStatus] },
                { head: 'マイナポータル', cell: (r) => LINK_STATUS[r.portalLinkStatus] },
              ]}
            />
            {next && asked && (
              <button type="button" className="btn btn-secondary mt-4" disabled={busy} onClick={() => void load({ ...asked, cursor: next }, true)}>
                さらに表示
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}
