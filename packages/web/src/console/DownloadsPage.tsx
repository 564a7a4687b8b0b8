import { useState, type FormEvent, type ReactNode } from 'react';
import { Banner, FocusHeading } from '../shared/ui.tsx';
import { downloadCsv } from './download.ts';

/**
 * ダウンロード: the municipality's data as CSV files for its own systems — the vaccination records
 * and a month's claims, the checkup results, the 要精査 children to follow up and a month's checkup
 * claims, a registration task's errors — in UTF-8 or Shift_JIS. Each file is asked for
 * with `Accept: text/csv` and saved through the browser.
 */
export function DownloadsPage() {
  const [shiftJis, setShiftJis] = useState(true);
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const [taskId, setTaskId] = useState('');
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();

  async function get(url: string, name: string) {
    setProblem(undefined);
    setDone(undefined);
    const failed = await downloadCsv(url, name, shiftJis);
    if (failed) setProblem(failed);
    else setDone(`${name} をダウンロードしました。`);
  }

  const claims = (e: FormEvent) => {
    e.preventDefault();
    void get(`/municipal/v1/vaccination/claims?month=${encodeURIComponent(month)}`, `vaccination-claims-${month}.csv`);
  };
  const checkupClaims = (e: FormEvent) => {
    e.preventDefault();
    void get(`/municipal/v1/maternal-child/claims?month=${encodeURIComponent(month)}`, `checkup-claims-${month}.csv`);
  };
  const task = (e: FormEvent) => {
    e.preventDefault();
    void get(`/municipal/v1/registration-tasks/${encodeURIComponent(taskId.trim())}`, `task-errors-${taskId.trim()}.csv`);
  };

  return (
    <section aria-labelledby="downloads-heading">
      <FocusHeading id="downloads-heading">ダウンロード</FocusHeading>
      <p className="mt-2">自治体のシステムに取り込むための CSV ファイルです。</p>
      <div className="mt-4 flex items-center gap-2">
        <input id="shift-jis" type="checkbox" className="size-5" checked={shiftJis} onChange={(e) => setShiftJis(e.target.checked)} />
        <label htmlFor="shift-jis">Shift_JIS で保存する（外すと UTF-8）</label>
      </div>
      {problem && (
        <div className="mt-4">
          <Banner tone="error" role="alert" title="ダウンロードできませんでした">
            <p>{problem}</p>
          </Banner>
        </div>
      )}
      {done && (
        <div className="mt-4">
          <Banner tone="success" role="status" title={done} testId="download-done" />
        </div>
      )}
      <div className="mt-6 grid gap-4">
        <Card title="予防接種の記録" text="医療機関と自治体が登録した接種の記録（最初から 10,000 件まで）。">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void get('/municipal/v1/vaccination/records?since=0&limit=10000', 'vaccination-records.csv')}
          >
            予防接種の記録をダウンロード
          </button>
        </Card>
        <Card title="予防接種の請求" text="月ごとの、医療機関・ワクチン・単価別の請求明細。">
          <form onSubmit={claims} className="flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor="claims-month" className="label">
                対象月
              </label>
              <input id="claims-month" type="month" className="input" required value={month} onChange={(e) => setMonth(e.target.value)} />
            </div>
            <button type="submit" className="btn btn-primary">
              請求をダウンロード
            </button>
          </form>
        </Card>
        <Card title="健診結果" text="医療機関・健診会場と自治体が登録した妊婦健診・乳幼児健診の結果（最初から 10,000 件まで）。">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void get('/municipal/v1/maternal-child/results?since=0&limit=10000', 'checkup-results.csv')}
          >
            健診結果をダウンロード
          </button>
        </Card>
        <Card title="要精査の経過確認" text="乳幼児健診で「要精査」と判定され、精密検査の受診がまだ記録されていないお子さま。">
          <button type="button" className="btn btn-primary" onClick={() => void get('/municipal/v1/maternal-child/follow-ups', 'checkup-follow-ups.csv')}>
            要精査の一覧をダウンロード
          </button>
        </Card>
        <Card title="健診の請求" text="月ごとの、健診会場・健診の種類・受診券の助成上限額別の請求明細（自費の受診は含みません）。">
          <form onSubmit={checkupClaims} className="flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor="checkup-claims-month" className="label">
                対象月
              </label>
              <input id="checkup-claims-month" type="month" className="input" required value={month} onChange={(e) => setMonth(e.target.value)} />
            </div>
            <button type="submit" className="btn btn-primary">
              健診の請求をダウンロード
            </button>
          </form>
        </Card>
        <Card title="登録タスクの誤り" text="ファイル登録や API の登録で、登録できなかった行の誤り。タスクID はファイル登録の画面に表示されます。">
          <form onSubmit={task} className="flex flex-wrap items-end gap-3">
            <div className="min-w-0 grow">
              <label htmlFor="task-id" className="label">
                タスクID
              </label>
              <input id="task-id" className="input" required value={taskId} onChange={(e) => setTaskId(e.target.value)} />
            </div>
            <button type="submit" className="btn btn-primary">
              誤りをダウンロード
            </button>
          </form>
        </Card>
      </div>
      <p className="mt-6 text-dns-14N-130 text-solid-gray-700">閲覧記録の CSV は「閲覧記録」のページからダウンロードできます。</p>
    </section>
  );
}

function Card({ title, text, children }: { title: string; text: string; children: ReactNode }) {
  return (
    <section className="rounded-12 border border-solid-gray-420 p-4 sm:p-6" aria-label={title}>
      <h2 className="text-std-20B-150">{title}</h2>
      <p className="mt-1">{text}</p>
      <div className="mt-3">{children}</div>
    </section>
  );
}
