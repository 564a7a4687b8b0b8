import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';

/** What a page needs of the session: to say it has ended (a 401 from any call), and the unread count to refresh. */
export interface SessionApi {
  lost(): void;
  setUnread(n: number): void;
}

export const Session = createContext<SessionApi>({ lost: () => undefined, setUnread: () => undefined });

/** `api`, where a 401 `session-required` sends the resident back to the login page. */
export function useApi(): typeof api {
  const { lost } = useContext(Session);
  return useCallback(
    async (method, path, body) => {
      try {
        return await api(method, path, body);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) lost();
        throw e;
      }
    },
    [lost],
  ) as typeof api;
}

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; code: string };

/** GETs one resource when the page opens; `reload` asks again. */
export function useResource<T>(path: string): [Loaded<T>, () => void] {
  const call = useApi();
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger: changing it fetches again.
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    call<T>('GET', path).then(
      (data) => live && setLoaded({ state: 'ok', data }),
      (e) => live && setLoaded({ state: 'error', code: e instanceof ApiError ? e.code : 'unexpected' }),
    );
    return () => {
      live = false;
    };
  }, [call, path, round]);
  return [loaded, () => setRound((r) => r + 1)];
}
