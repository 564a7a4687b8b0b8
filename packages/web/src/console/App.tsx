import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { ConsoleDashboard, ConsoleMe, FileProcess, RegistrationFileError } from '@pmh/protocol';
import { ApiError } from '../shared/api.ts';
import { Banner, FocusHeading, SkipLink, Spinner } from '../shared/ui.tsx';
import { CSRF, call } from './api.ts';

/**
 * The municipal console (自治体向け管理画面): an officer signs in with login id, password and the
 * 6-digit code of their authenticator app, sees the municipality's figures, and registers from a
 * CSV file — 「確認」 checks it (every error by line and column), 「登録」 uploads it with a progress
 * bar and follows the task to its end.
 */

const MUNICIPALITIES: Array<[string, string]> = [
  ['131016', '千代田区'],
  ['271004', '大阪市'],
];
const ROLE_NAMES = { read: '閲覧', register: '登録', notify: '通知', admin: '管理' } as const;
const PROCESS_NAMES: Record<FileProcess, string> = { 'medical-subsidy': '公費医療費助成', vaccination: '予防接種', 'maternal-child': '母子保健' };

export function App() {
  const [me, setMe] = useState<ConsoleMe | null>();
  const refresh = useCallback(async () => {
    try {
      setMe(await call(hubApi.console.me, {}));
    } catch {
      setMe(null);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function signOut() {
    await call(hubApi.console.signOut, {}).catch(() => undefined);
    setMe(null);
  }

  return (
    <>
      <SkipLink />
      <header className="border-b border-solid-gray-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <div>
            <p className="text-std-20B-150">PMH 自治体向け管理画面</p>
            {me && (
              <p className="text-dns-14N-130 text-solid-gray-700" data-testid="officer">
                {MUNICIPALITIES.find(([c]) => c === me.officer.municipalityCode)?.[1] ?? me.officer.municipalityCode}　{me.officer.loginId}（
                {ROLE_NAMES[me.officer.role]}）
              </p>
            )}
          </div>
          {me && (
            <button type="button" className="btn btn-tertiary" onClick={signOut}>
              ログアウト
            </button>
          )}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
        {me === undefined && <Spinner label="読み込んでいます…" />}
        {me === null && <SignIn onSignedIn={refresh} />}
        {me && (
          <>
            <Dashboard />
            {(me.officer.role === 'register' || me.officer.role === 'admin') && <Upload />}
          </>
        )}
      </main>
    </>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [municipalityCode, setMunicipality] = useState('131016');
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await call(hubApi.console.signIn, { body: { municipalityCode, loginId, password, totp } });
      await onSignedIn();
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'unexpected';
      setFailure(
        code === 'try-later'
          ? 'ログインに続けて失敗したため、しばらくログインできません。時間をおいてからお試しください。'
          : code === 'sign-in-failed' || code === 'validation'
            ? 'ログインID、パスワード、または確認コードが正しくありません。'
            : `ログインできませんでした（${code}）。しばらくしてからお試しください。`,
      );
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="signin-heading" className="max-w-xl">
      <FocusHeading id="signin-heading">ログイン</FocusHeading>
      <p className="mt-2">自治体の職員用アカウントでログインします。確認コードは、認証アプリに表示される6桁の数字です。</p>
      {failure && (
        <div className="mt-6">
          <Banner tone="error" role="alert" title="ログインできませんでした" testId="signin-error">
            <p>{failure}</p>
          </Banner>
        </div>
      )}
      <form onSubmit={submit} className="mt-6 grid gap-4 rounded-12 border border-solid-gray-420 p-4 sm:p-6">
        <div>
          <label htmlFor="municipality" className="label">
            自治体
          </label>
          <select id="municipality" className="input" value={municipalityCode} onChange={(e) => setMunicipality(e.target.value)}>
            {MUNICIPALITIES.map(([c, n]) => (
              <option key={c} value={c}>
                {n}（{c}）
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="login-id" className="label">
            ログインID
          </label>
          <input id="login-id" className="input" autoComplete="username" required value={loginId} onChange={(e) => setLoginId(e.target.value)} />
        </div>
        <div>
          <label htmlFor="password" className="label">
            パスワード
          </label>
          <input
            id="password"
            type="password"
            className="input"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="totp" className="label">
            確認コード（6桁）
          </label>
          <input
            id="totp"
            className="input max-w-40"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            value={totp}
            onChange={(e) => setTotp(e.target.value.replace(/[^0-9]/g, ''))}
          />
        </div>
        <div>
          <button type="submit" className="btn btn-primary btn-lg" disabled={busy}>
            ログイン
          </button>
        </div>
      </form>
    </section>
  );
}

function Dashboard() {
  const [d, setD] = useState<ConsoleDashboard>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    call(hubApi.console.dashboard, {}).then(setD, () => setFailed(true));
  }, []);
  const figures: Array<[string, number | undefined]> = [
    ['登録済みの対象者', d?.subjects.total],
    ['公費医療費助成', d?.subjects.byProcess['medical-subsidy']],
    ['予防接種', d?.subjects.byProcess.vaccination],
    ['PMH-ID 発行済み', d?.subjects.pmhIdIssued],
    ['PMH-ID 発行待ち', d?.subjects.pmhIdPending],
    ['マイナポータル連携済み', d?.subjects.portalLinked],
    ['実行中の登録タスク', d ? d.tasks.queued + d.tasks.running : undefined],
    ['失敗した登録タスク', d?.tasks.failed],
  ];
  return (
    <section aria-labelledby="dashboard-heading">
      <FocusHeading id="dashboard-heading">ダッシュボード</FocusHeading>
      {failed && <Banner tone="error" title="集計を読み込めませんでした" />}
      {!d && !failed && <Spinner label="集計しています…" />}
      {d && (
        <dl className="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="dashboard">
          {figures.map(([label, n]) => (
            <div key={label} className="rounded-8 border border-solid-gray-420 p-3">
              <dt className="text-dns-14N-130 text-solid-gray-700">{label}</dt>
              <dd className="text-std-24B-150">{n?.toLocaleString('ja-JP')}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

interface Checked {
  valid: boolean;
  rows: number;
  errors: RegistrationFileError[];
  truncated: boolean;
}

function Upload() {
  const [process, setProcess] = useState<FileProcess>('medical-subsidy');
  const [file, setFile] = useState<File>();
  const [checked, setChecked] = useState<Checked>();
  const [busy, setBusy] = useState<'check' | 'upload'>();
  const [progress, setProgress] = useState<number>();
  const [task, setTask] = useState<{ id: string; status: string; succeeded: number; failed: number; total: number }>();
  const [problem, setProblem] = useState<string>();
  const input = useRef<HTMLInputElement>(null);

  const url = (dryRun: boolean) => `/municipal/v1/${process}/registration-files${dryRun ? '?dryRun=true' : ''}`;

  async function check() {
    if (!file) return;
    setBusy('check');
    setProblem(undefined);
    setTask(undefined);
    try {
      const res = await fetch(url(true), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'text/csv', accept: 'application/json', ...CSRF },
        body: file,
      });
      const body = await res.json();
      if (res.status === 200) setChecked(body);
      else setProblem(body.detail ?? `確認できませんでした（${res.status}）`);
    } catch {
      setProblem('ネットワークに接続できません。');
    }
    setBusy(undefined);
  }

  function upload() {
    if (!file) return;
    setBusy('upload');
    setProblem(undefined);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url(false));
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.setRequestHeader('accept', 'application/json');
    for (const [k, v] of Object.entries(CSRF)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => {
      setProblem('ネットワークに接続できません。');
      setBusy(undefined);
    };
    xhr.onload = () => {
      setProgress(100);
      let body: any;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      if (xhr.status === 202) void follow(body.taskId);
      else {
        if (xhr.status === 422) setChecked({ valid: false, rows: body.rows ?? 0, errors: body.errors ?? [], truncated: Boolean(body.truncated) });
        setProblem(body.detail ?? `登録できませんでした（${xhr.status}）`);
        setBusy(undefined);
      }
    };
    xhr.send(file);
  }

  async function follow(taskId: string) {
    for (;;) {
      try {
        const t = await call(hubApi.municipal.getTask, { params: { taskId } });
        setTask({ id: taskId, status: t.status, succeeded: t.succeeded, failed: t.failed, total: t.total });
        if (t.status === 'done' || t.status === 'failed') break;
      } catch {
        // try again at the next poll
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    setBusy(undefined);
  }

  const TASK_STATUS: Record<string, string> = { queued: '受付済み', running: '登録中', done: '完了', failed: '失敗' };

  return (
    <section aria-labelledby="upload-heading" className="mt-10">
      <h2 id="upload-heading" className="text-std-24B-150">
        ファイルで登録
      </h2>
      <p className="mt-2">住民記録システムなどから書き出した CSV ファイル（Shift_JIS または UTF-8）を登録します。まず「確認」で誤りがないか調べてください。</p>
      <div className="mt-4 grid gap-4 rounded-12 border border-solid-gray-420 p-4 sm:p-6">
        <div>
          <label htmlFor="process" className="label">
            業務
          </label>
          <select
            id="process"
            className="input max-w-sm"
            value={process}
            onChange={(e) => {
              setProcess(e.target.value as FileProcess);
              setChecked(undefined);
            }}
          >
            {Object.entries(PROCESS_NAMES).map(([p, n]) => (
              <option key={p} value={p}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="file" className="label">
            CSV ファイル
          </label>
          <input
            id="file"
            ref={input}
            type="file"
            accept=".csv,text/csv"
            className="block"
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setChecked(undefined);
              setTask(undefined);
              setProblem(undefined);
            }}
          />
        </div>
        <div className="flex flex-wrap gap-3">
          <button type="button" className="btn btn-secondary" disabled={!file || busy !== undefined} onClick={check}>
            確認
          </button>
          <button type="button" className="btn btn-primary" disabled={!file || busy !== undefined || checked?.valid !== true} onClick={upload}>
            登録
          </button>
        </div>
        {busy === 'check' && <Spinner label="ファイルを確認しています…" />}
        {progress !== undefined && busy === 'upload' && !task && (
          <div>
            <label htmlFor="upload-progress" className="label">
              送信中
            </label>
            <progress id="upload-progress" max={100} value={progress} className="w-full">
              {progress}%
            </progress>
          </div>
        )}
      </div>

      {problem && (
        <div className="mt-6">
          <Banner tone="error" role="alert" title="登録できませんでした" testId="upload-problem">
            <p>{problem}</p>
          </Banner>
        </div>
      )}
      {checked?.valid && !task && (
        <div className="mt-6">
          <Banner tone="success" role="status" title={`誤りはありません（${checked.rows.toLocaleString('ja-JP')} 行）`} testId="check-ok">
            <p>「登録」で登録できます。</p>
          </Banner>
        </div>
      )}
      {checked && !checked.valid && (
        <div className="mt-6" data-testid="check-errors">
          <Banner tone="error" role="alert" title={`${checked.errors.length} 件の誤りがあります`}>
            <p>ファイルを直してから、もう一度「確認」してください。{checked.truncated && '（多すぎるため一部だけを表示しています）'}</p>
          </Banner>
          <div className="mt-4 overflow-x-auto">
            <table className="w-full border-collapse text-left">
              <caption className="sr-only">ファイルの誤り（行と列）</caption>
              <thead>
                <tr>
                  <th scope="col" className="border-b p-2">
                    行
                  </th>
                  <th scope="col" className="border-b p-2">
                    列
                  </th>
                  <th scope="col" className="border-b p-2">
                    内容
                  </th>
                </tr>
              </thead>
              <tbody>
                {checked.errors.map((e) => (
                  <tr key={`${e.pointer}:${e.message}`}>
                    <td className="border-b p-2">{e.line}</td>
                    <td className="border-b p-2">{e.column ?? '—'}</td>
                    <td className="border-b p-2">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {task && (
        <div className="mt-6" data-testid="task">
          <Banner
            tone={task.status === 'done' && task.failed === 0 ? 'success' : task.status === 'failed' || task.failed > 0 ? 'error' : 'info'}
            role="status"
            title={`登録タスク: ${TASK_STATUS[task.status] ?? task.status}`}
          >
            <p>
              {task.total.toLocaleString('ja-JP')} 件中 {task.succeeded.toLocaleString('ja-JP')} 件を登録しました
              {task.failed > 0 && `（${task.failed.toLocaleString('ja-JP')} 件は登録できませんでした）`}。
            </p>
          </Banner>
        </div>
      )}
    </section>
  );
}
