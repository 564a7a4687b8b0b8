import { useRef, useState } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { FileProcess, RegistrationFileError } from '@pmh/protocol';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { CSRF, call } from './api.ts';
import { FILE_PROCESS_NAMES } from './labels.ts';
import { downloadCsv } from './download.ts';

/**
 * ファイル登録: a CSV file exported from the municipality's own system — 「確認」 checks it (every
 * error by line and column), 「登録」 uploads it with a progress bar and follows the task to its end.
 */

interface Checked {
  valid: boolean;
  rows: number;
  errors: RegistrationFileError[];
  truncated: boolean;
}

export function UploadPage() {
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
    <section aria-labelledby="upload-heading">
      <FocusHeading id="upload-heading">ファイルで登録</FocusHeading>
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
            {Object.entries(FILE_PROCESS_NAMES).map(([p, n]) => (
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
            {task.failed > 0 && (
              <p className="mt-2">
                <button
                  type="button"
                  className="btn btn-secondary"
                  onClick={() => void downloadCsv(`/municipal/v1/registration-tasks/${task.id}`, `task-errors-${task.id}.csv`, true)}
                >
                  登録できなかった行の誤りをダウンロード（CSV・Shift_JIS）
                </button>
              </p>
            )}
          </Banner>
        </div>
      )}
    </section>
  );
}
