import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/theme.css';
import { Reception } from './Reception.tsx';
import { Vaccination } from './vaccination/Vaccination.tsx';

// Two screens, each its own page (the service answers index.html for both): reception at /, the
// vaccination screen (医療機関用アプリ) at /vaccination.
const vaccination = window.location.pathname.replace(/\/+$/, '') === '/vaccination';
if (vaccination) document.title = '予防接種 — 医療機関用アプリ';

createRoot(document.getElementById('root')!).render(<StrictMode>{vaccination ? <Vaccination /> : <Reception />}</StrictMode>);
