import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/theme.css';
import { Spinner } from '../shared/ui.tsx';
import { Reception } from './Reception.tsx';
import { Vaccination } from './vaccination/Vaccination.tsx';

// Three screens, each its own page (the service answers index.html for each): reception at /, the
// vaccination screen (医療機関用アプリ) at /vaccination, the checkup screens at /checkups (loaded only
// there: they draw growth charts).
const Checkups = lazy(() => import('./checkups/Checkups.tsx').then((m) => ({ default: m.Checkups })));
const page = window.location.pathname.replace(/\/+$/, '');
if (page === '/vaccination') document.title = '予防接種 — 医療機関用アプリ';
if (page === '/checkups') document.title = '健診 — 医療機関用アプリ';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {page === '/vaccination' ? (
      <Vaccination />
    ) : page === '/checkups' ? (
      <Suspense fallback={<Spinner label="読み込んでいます…" />}>
        <Checkups />
      </Suspense>
    ) : (
      <Reception />
    )}
  </StrictMode>,
);
