import { useCallback, useEffect, useState } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { ConsoleMe, OfficerRole } from '@pmh/protocol';
import { SkipLink, Spinner } from '../shared/ui.tsx';
import { MunicipalityName } from '../shared/municipality.tsx';
import { call } from './api.ts';
import { ROLE_NAMES } from './labels.ts';
import { BASE, navigate, useLinkHandler, usePath } from './router.ts';
import { SignInPage } from './SignInPage.tsx';
import { DashboardPage } from './DashboardPage.tsx';
import { UploadPage } from './UploadPage.tsx';
import { SubjectsPage } from './SubjectsPage.tsx';
import { SubjectPage } from './SubjectPage.tsx';
import { ProgramsPage } from './ProgramsPage.tsx';
import { NotificationsPage } from './NotificationsPage.tsx';
import { DownloadsPage } from './DownloadsPage.tsx';
import { AccessLogPage } from './AccessLogPage.tsx';
import { OfficersPage } from './OfficersPage.tsx';

/**
 * The municipal console (自治体向け管理画面): an officer signs in with login id, password and the
 * 6-digit code of their authenticator app, and works on one page per task — the figures, file
 * registration, subjects, programmes and prices, notifications, downloads, who looked at the
 * residents' data, and (管理) the officers. What a role may not change, the API refuses; the pages
 * leave out what the role cannot use.
 */

interface PageDef {
  path: string;
  label: string;
  roles?: OfficerRole[];
}

export const PAGES: PageDef[] = [
  { path: '/', label: 'ダッシュボード' },
  { path: '/upload', label: 'ファイル登録', roles: ['register', 'admin'] },
  { path: '/subjects', label: '対象者' },
  { path: '/programs', label: '制度・単価' },
  { path: '/notifications', label: 'お知らせ' },
  { path: '/downloads', label: 'ダウンロード' },
  { path: '/access-log', label: '閲覧記録', roles: ['read', 'admin'] },
  { path: '/officers', label: '職員', roles: ['admin'] },
];

const allowed = (p: PageDef, role: OfficerRole) => !p.roles || p.roles.includes(role);

export function App() {
  const [me, setMe] = useState<ConsoleMe | null>();
  const full = usePath();
  const path = full.startsWith(BASE) ? full.slice(BASE.length) || '/' : '/';
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
    navigate(`${BASE}/`);
  }

  const role = me?.officer.role;
  return (
    <>
      <SkipLink />
      <header className="border-b border-solid-gray-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <div>
            <p className="text-std-20B-150">PMH 自治体向け管理画面</p>
            {me && (
              <p className="text-dns-14N-130 text-solid-gray-700" data-testid="officer">
                <MunicipalityName code={me.officer.municipalityCode} />　{me.officer.loginId}（{ROLE_NAMES[me.officer.role]}）
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
      {role && <Nav path={path} role={role} />}
      <main id="main" className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
        {me === undefined && <Spinner label="読み込んでいます…" />}
        {me === null && <SignInPage onSignedIn={refresh} />}
        {me && role && <Page path={path} me={me} />}
      </main>
    </>
  );
}

function Page({ path, me }: { path: string; me: ConsoleMe }) {
  const role = me.officer.role;
  const def = PAGES.find((p) => p.path === path || (p.path !== '/' && path.startsWith(`${p.path}/`)));
  if (!def) return <NotFound />;
  if (!allowed(def, role)) return <NotFound forbidden />;
  if (path.startsWith('/subjects/')) return <SubjectPage subjectKey={decodeURIComponent(path.slice('/subjects/'.length))} />;
  switch (def.path) {
    case '/upload':
      return <UploadPage />;
    case '/subjects':
      return <SubjectsPage />;
    case '/programs':
      return <ProgramsPage role={role} />;
    case '/notifications':
      return <NotificationsPage role={role} municipalityCode={me.officer.municipalityCode} />;
    case '/downloads':
      return <DownloadsPage />;
    case '/access-log':
      return <AccessLogPage />;
    case '/officers':
      return <OfficersPage me={me} />;
    default:
      return <DashboardPage />;
  }
}

function NotFound({ forbidden = false }: { forbidden?: boolean }) {
  const onClick = useLinkHandler();
  return (
    <section aria-labelledby="nf-heading">
      <h1 id="nf-heading" className="text-std-32B-150">
        {forbidden ? 'このページは使えません' : 'ページが見つかりません'}
      </h1>
      <p className="mt-4">{forbidden ? 'あなたの権限では、このページを使えません。' : 'アドレスをご確認ください。'}</p>
      <p className="mt-4">
        <a href={`${BASE}/`} onClick={onClick}>
          ダッシュボードへ戻る
        </a>
      </p>
    </section>
  );
}

function Nav({ path, role }: { path: string; role: OfficerRole }) {
  const onClick = useLinkHandler();
  return (
    <nav aria-label="メインメニュー" className="border-b border-solid-gray-200 bg-white">
      <ul className="mx-auto flex max-w-5xl flex-wrap gap-x-1 px-2 sm:px-4">
        {PAGES.filter((p) => allowed(p, role)).map((p) => {
          const active = p.path === '/' ? path === '/' : path === p.path || path.startsWith(`${p.path}/`);
          return (
            <li key={p.path}>
              <a
                href={`${BASE}${p.path}`}
                onClick={onClick}
                aria-current={active ? 'page' : undefined}
                className={`flex min-h-12 items-center whitespace-nowrap border-b-4 px-3 py-3 text-std-16B-170 no-underline hover:underline ${active ? 'border-blue-900 text-blue-1000' : 'border-transparent text-solid-gray-800'}`}
              >
                {p.label}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
