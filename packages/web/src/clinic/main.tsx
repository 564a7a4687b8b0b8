import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/theme.css';
import { Reception } from './Reception.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Reception />
  </StrictMode>,
);
