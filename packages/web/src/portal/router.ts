import { useCallback, useSyncExternalStore } from 'react';

/** A few pages, a few paths: the History API is all the routing this app needs. */
const CHANGE = 'pmh:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

/** A link that navigates inside the app (a real <a href>, so it opens in a new tab too). */
export function useLinkHandler(): (e: React.MouseEvent<HTMLAnchorElement>) => void {
  return useCallback((e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(e.currentTarget.getAttribute('href')!);
  }, []);
}
