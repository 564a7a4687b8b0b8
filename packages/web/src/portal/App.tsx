import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { portalApi } from '@pmh/protocol/api/portal';
import { call, ApiError } from '../shared/api.ts';
import { Header, SkipLink, Spinner } from '../shared/ui.tsx';
import { AccessLogPage } from './AccessLogPage.tsx';
import { ACTING_KEY, Acting, type ActingApi, type ActingFor, storedActing } from './acting.ts';
import { FamilyPage } from './FamilyPage.tsx';
import { PersonSwitcher } from './PersonSwitcher.tsx';
import { QuestionnaireFormPage, QuestionnairesPage } from './QuestionnairesPage.tsx';
import { VaccinationsPage } from './VaccinationsPage.tsx';
import { CertificatesPage } from './CertificatesPage.tsx';
import { LoginPage } from './LoginPage.tsx';
import { NotificationsPage } from './NotificationsPage.tsx';
import { NotFoundPage } from './common.tsx';
import { navigate, useLinkHandler, usePath } from './router.ts';
import { Session, type SessionApi } from './session.ts';
import type { Me } from './types.ts';

/** Set while this tab holds a session, so a reload that finds it gone can say it expired. */
const SESSION_FLAG = 'pmh.portal.session';

type Auth = { state: 'checking' } | { state: 'out'; notice?: string; next?: string } | { state: 'in'; me: Me };

/**
 * The resident portal (マイナポータル, demo): log in with the My Number Card, then my certificates
 * (受給者証), my vaccinations (予防接種) and questionnaires (予診票), my checkups (健診: vouchers, results, a child's
 * growth chart), my notifications (お知らせ) and who looked at my data (閲覧記録). A guardian (代理人) adds a child
 * with the child's card and switches to the child's pages (the person switcher under the menu).
 */
export function App() {
  const path = usePath();
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const [unread, setUnread] = useState<number>();
  const [acting, setActing] = useState<ActingFor | undefined>(storedActing);
  const [dependantsRound, setDependantsRound] = useState(0);
  const actingApi: ActingApi = useMemo(
    () => ({
      acting,
      switchTo: (d) => {
        if (d) sessionStorage.setItem(ACTING_KEY, JSON.stringify(d));
        else sessionStorage.removeItem(ACTING_KEY);
        setActing(d);
      },
      refreshDependants: () => setDependantsRound((r) => r + 1),
    }),
    [acting],
  );

  const loggedIn = useCallback(async () => {
    const me = await call(portalApi.me, {});
    sessionStorage.setItem(SESSION_FLAG, '1');
    setAuth({ state: 'in', me });
    call(portalApi.myNotifications, { query: { limit: '1' } }).then(
      (inbox) => setUnread(inbox.unread),
      () => undefined,
    );
  }, []);

  const loggedOut = useCallback((notice?: string) => {
    sessionStorage.removeItem(SESSION_FLAG);
    sessionStorage.removeItem(ACTING_KEY);
    setActing(undefined);
    setUnread(undefined);
    const here = location.pathname;
    setAuth({ state: 'out', notice, next: here !== '/login' ? here : undefined });
  }, []);

  useEffect(() => {
    loggedIn().catch((e) => {
      const wasIn = sessionStorage.getItem(SESSION_FLAG) === '1';
      loggedOut(e instanceof ApiError && e.status === 401 && wasIn ? EXPIRED : undefined);
    });
  }, [loggedIn, loggedOut]);

  // Logged out, every page is the login page; logged in, the login page is the certificates.
  useEffect(() => {
    if (auth.state === 'out' && path !== '/login') navigate('/login', { replace: true });
    if (auth.state === 'in' && path === '/login') navigate('/', { replace: true });
  }, [auth.state, path]);

  const session: SessionApi = useMemo(() => ({ lost: () => loggedOut(EXPIRED), setUnread }), [loggedOut]);

  async function logout() {
    try {
      await call(portalApi.logOut, {});
    } catch {
      // The cookie may be gone already; either way this tab is logged out.
    }
    loggedOut('ログアウトしました。');
    navigate('/login', { replace: true });
  }

  return (
    <Session.Provider value={session}>
      <Acting.Provider value={actingApi}>
        <SkipLink />
        <Header title="マイナポータル（デモ）" subtitle="受給者証・予防接種・健診・お知らせ・閲覧記録">
          {auth.state === 'in' && (
            <button type="button" className="btn btn-secondary" onClick={logout}>
              ログアウト
            </button>
          )}
        </Header>
        {auth.state === 'in' && <Nav path={path} unread={unread} />}
        {auth.state === 'in' && <PersonSwitcher round={dependantsRound} />}
        <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-8">
          {auth.state === 'checking' && <Spinner label="読み込んでいます…" />}
          {auth.state === 'out' && path === '/login' && (
            <LoginPage
              notice={auth.notice}
              onLoggedIn={async () => {
                await loggedIn();
                navigate(auth.next && auth.next !== '/login' ? auth.next : '/', { replace: true });
              }}
            />
          )}
          {auth.state === 'in' && <Page key={acting?.dependantId ?? 'self'} path={path} linked={acting ? true : auth.me.linked} />}
        </main>
      </Acting.Provider>
    </Session.Provider>
  );
}

/** The checkups page draws charts (recharts): loaded when first opened, so the other pages stay light. */
const CheckupsPage = lazy(() => import('./CheckupsPage.tsx').then((m) => ({ default: m.CheckupsPage })));

const EXPIRED = 'セッションの有効期限が切れました。もう一度ログインしてください。';

function Page({ path, linked }: { path: string; linked: boolean }) {
  if (path === '/' || path === '/login') return <CertificatesPage linked={linked} />;
  if (path === '/notifications') return <NotificationsPage />;
  const open = /^\/notifications\/([0-9a-f-]{36})$/.exec(path);
  if (open) return <NotificationsPage openId={open[1]} />;
  if (path === '/checkups')
    return (
      <Suspense fallback={<Spinner label="読み込んでいます…" />}>
        <CheckupsPage linked={linked} />
      </Suspense>
    );
  if (path === '/access-log') return <AccessLogPage />;
  if (path === '/vaccinations') return <VaccinationsPage />;
  if (path === '/questionnaires') return <QuestionnairesPage />;
  const questionnaire = /^\/questionnaires\/([0-9a-f-]{36})$/.exec(path);
  if (questionnaire) return <QuestionnaireFormPage id={questionnaire[1]} />;
  if (path === '/family') return <FamilyPage />;
  return <NotFoundPage />;
}

function Nav({ path, unread }: { path: string; unread?: number }) {
  const onClick = useLinkHandler();
  const items = [
    { href: '/', label: '受給者証', active: path === '/' },
    { href: '/vaccinations', label: '予防接種', active: path === '/vaccinations' },
    { href: '/questionnaires', label: '予診票', active: path.startsWith('/questionnaires') },
    { href: '/checkups', label: '健診', active: path === '/checkups' },
    { href: '/notifications', label: 'お知らせ', active: path.startsWith('/notifications'), badge: unread },
    { href: '/access-log', label: '閲覧記録', active: path === '/access-log' },
    { href: '/family', label: '家族', active: path === '/family' },
  ];
  return (
    <nav aria-label="メインメニュー" className="border-b border-solid-gray-200 bg-white">
      <ul className="mx-auto flex max-w-5xl flex-wrap gap-x-1 px-2 sm:px-4">
        {items.map((i) => (
          <li key={i.href}>
            <a
              href={i.href}
              onClick={onClick}
              aria-current={i.active ? 'page' : undefined}
              className={`flex min-h-12 items-center gap-2 whitespace-nowrap border-b-4 px-3 py-3 sm:px-4 text-std-16B-170 no-underline hover:underline ${i.active ? 'border-blue-900 text-blue-1000' : 'border-transparent text-solid-gray-800'}`}
            >
              {i.label}
              {i.badge !== undefined && i.badge > 0 && (
                <span className="rounded-full bg-error-2 px-2 text-dns-14B-130 leading-6 text-white" data-testid="unread-badge">
                  <span className="sr-only">未読</span>
                  {i.badge}
                  <span className="sr-only">件</span>
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
