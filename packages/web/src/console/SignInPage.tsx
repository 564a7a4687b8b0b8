import { useState, type FormEvent } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import { ApiError } from '../shared/api.ts';
import { Banner, FocusHeading } from '../shared/ui.tsx';
import { useMunicipalityNames } from '../shared/municipality.tsx';
import { call } from './api.ts';

/** The municipalities an officer may sign in for (the demo's two). */
const MUNICIPALITIES = ['131016', '271004'];

/** ログイン: login id, password and the 6-digit code; one message for any wrong factor. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const names = useMunicipalityNames();
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
            {MUNICIPALITIES.map((c) => (
              <option key={c} value={c}>
                {names?.(c) ?? c}（{c}）
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
