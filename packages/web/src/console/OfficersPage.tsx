import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { ConsoleMe, OfficerRole, OfficerView } from '@pmh/protocol';
import { formatDateTime } from '../shared/format.ts';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { call } from './api.ts';
import { DataTable, Failure } from './common.tsx';
import { ROLE_LIST, ROLE_NAMES } from './labels.ts';

interface Issued {
  loginId: string;
  totpSecret: string;
  otpauthUri: string;
}

/**
 * 職員 (管理 only): the municipality's officers — add one (its TOTP secret shown this once, as text
 * and as an otpauth URI for the authenticator app), change a role, lift a lock-out, issue a new
 * TOTP secret, stop an officer's use (利用停止) and allow it again.
 */
export function OfficersPage({ me }: { me: ConsoleMe }) {
  const [officers, setOfficers] = useState<OfficerView[]>();
  const [error, setError] = useState<unknown>();
  const [actionError, setActionError] = useState<unknown>();
  const [issued, setIssued] = useState<Issued>();
  const [notice, setNotice] = useState<string>();
  const reload = useCallback(() => call(hubApi.console.listOfficers, {}).then((r) => setOfficers(r.officers), setError), []);
  useEffect(() => {
    void reload();
  }, [reload]);

  async function change(loginId: string, body: { role?: OfficerRole; unlock?: boolean; resetTotp?: boolean; disabled?: boolean }, done: string) {
    setActionError(undefined);
    setNotice(undefined);
    setIssued(undefined);
    try {
      const r = await call(hubApi.console.updateOfficer, { params: { loginId }, body });
      if (r.totpSecret && r.otpauthUri) setIssued({ loginId, totpSecret: r.totpSecret, otpauthUri: r.otpauthUri });
      setNotice(done);
      await reload();
    } catch (e) {
      setActionError(e);
    }
  }

  return (
    <section aria-labelledby="officers-heading">
      <FocusHeading id="officers-heading">職員</FocusHeading>
      <p className="mt-2">
        この自治体の管理画面を使う職員のアカウントです。権限：閲覧（見るだけ）、登録（ファイル・API で登録）、通知（お知らせ）、管理（すべてと職員の管理）。
      </p>
      {error !== undefined && <Failure title="職員を読み込めませんでした" error={error} />}
      {actionError !== undefined && <Failure title="変更できませんでした" error={actionError} />}
      {notice && (
        <div className="mt-4">
          <Banner tone="success" role="status" title={notice} testId="officer-notice" />
        </div>
      )}
      {issued && <IssuedSecret issued={issued} />}
      {!officers && error === undefined && <Spinner label="読み込んでいます…" />}
      {officers && (
        <div className="mt-4">
          <DataTable
            caption="職員の一覧"
            testId="officers"
            rows={officers}
            rowKey={(o) => o.loginId}
            columns={[
              { head: 'ログインID', cell: (o) => <span className="code">{o.loginId}</span> },
              {
                head: '権限',
                cell: (o) =>
                  o.loginId === me.officer.loginId ? (
                    <span>{ROLE_NAMES[o.role]}（あなた）</span>
                  ) : (
                    <select
                      className="input max-w-32"
                      aria-label={`${o.loginId} の権限`}
                      value={o.role}
                      onChange={(e) =>
                        void change(
                          o.loginId,
                          { role: e.target.value as OfficerRole },
                          `${o.loginId} の権限を${ROLE_NAMES[e.target.value as OfficerRole]}にしました。`,
                        )
                      }
                    >
                      {ROLE_LIST.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_NAMES[r]}
                        </option>
                      ))}
                    </select>
                  ),
              },
              {
                head: '状態',
                cell: (o) => (o.disabled ? '利用停止中' : o.locked ? `ロック中${o.lockedUntil ? `（${formatDateTime(o.lockedUntil)} まで）` : ''}` : '利用可'),
              },
              {
                head: '操作',
                cell: (o) => (
                  <span className="flex flex-wrap gap-2">
                    {o.locked && (
                      <button
                        type="button"
                        className="btn btn-tertiary"
                        onClick={() => void change(o.loginId, { unlock: true }, `${o.loginId} のロックを解除しました。`)}
                      >
                        ロック解除
                      </button>
                    )}
                    <button
                      type="button"
                      className="btn btn-tertiary"
                      onClick={() => void change(o.loginId, { resetTotp: true }, `${o.loginId} の確認コードの鍵を作り直しました。`)}
                      aria-label={`${o.loginId} の鍵を再発行`}
                    >
                      鍵を再発行
                    </button>
                    {o.loginId !== me.officer.loginId && (
                      <button
                        type="button"
                        className="btn btn-tertiary"
                        aria-label={o.disabled ? `${o.loginId} を利用再開` : `${o.loginId} を利用停止`}
                        onClick={() =>
                          void change(
                            o.loginId,
                            { disabled: !o.disabled },
                            o.disabled ? `${o.loginId} を利用できるようにしました。` : `${o.loginId} を利用停止にしました。`,
                          )
                        }
                      >
                        {o.disabled ? '利用再開' : '利用停止'}
                      </button>
                    )}
                  </span>
                ),
              },
            ]}
          />
        </div>
      )}
      <AddOfficer
        onAdded={(i) => {
          setNotice(`${i.loginId} を追加しました。`);
          setIssued(i);
          void reload();
        }}
      />
    </section>
  );
}

/** The new TOTP secret, shown once: as text to type in, and as the otpauth URI an app can take. */
function IssuedSecret({ issued }: { issued: Issued }) {
  return (
    <div className="mt-4" data-testid="issued-secret">
      <Banner tone="warning" role="status" title={`${issued.loginId} の確認コードの鍵（この画面でしか表示しません）`}>
        <p>職員本人の認証アプリに登録してもらってください。この画面を閉じると、もう表示できません。</p>
        <dl className="mt-2">
          <dt className="font-bold">鍵（手入力用）</dt>
          <dd className="code break-all">{issued.totpSecret}</dd>
          <dt className="mt-2 font-bold">otpauth URI</dt>
          <dd className="code break-all">{issued.otpauthUri}</dd>
        </dl>
      </Banner>
    </div>
  );
}

function AddOfficer({ onAdded }: { onAdded: (i: Issued) => void }) {
  const [loginId, setLoginId] = useState('');
  const [role, setRole] = useState<OfficerRole>('read');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function add(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await call(hubApi.console.createOfficer, { body: { loginId, role, password } });
      onAdded({ loginId, totpSecret: r.totpSecret ?? '', otpauthUri: r.otpauthUri ?? '' });
      setLoginId('');
      setPassword('');
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  }

  return (
    <form onSubmit={add} className="mt-8 grid gap-4 rounded-12 border border-solid-gray-420 p-4 sm:grid-cols-3 sm:p-6" aria-labelledby="add-officer-heading">
      <h2 id="add-officer-heading" className="text-std-24B-150 sm:col-span-3">
        職員を追加
      </h2>
      <div>
        <label htmlFor="o-login" className="label">
          ログインID（半角英数字）
        </label>
        <input id="o-login" className="input" required pattern="[A-Za-z0-9._\-]{1,64}" value={loginId} onChange={(e) => setLoginId(e.target.value)} />
      </div>
      <div>
        <label htmlFor="o-role" className="label">
          権限
        </label>
        <select id="o-role" className="input" value={role} onChange={(e) => setRole(e.target.value as OfficerRole)}>
          {ROLE_LIST.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="o-password" className="label">
          初期パスワード（12文字以上）
        </label>
        <input
          id="o-password"
          type="password"
          autoComplete="new-password"
          className="input"
          required
          minLength={12}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      {error !== undefined && (
        <div className="sm:col-span-3">
          <Failure title="追加できませんでした" error={error} />
        </div>
      )}
      <div className="sm:col-span-3">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          追加
        </button>
      </div>
    </form>
  );
}
