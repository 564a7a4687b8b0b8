import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { Endpoint, Input, Success } from '@pmh/protocol/contract';
import { call, ApiError } from '../shared/api.ts';

/** What a page needs of the session: to say it has ended (a 401 from any call), and the unread count to refresh. */
export interface SessionApi {
  lost(): void;
  setUnread(n: number): void;
}

export const Session = createContext<SessionApi>({ lost: () => undefined, setUnread: () => undefined });

/** `call`, where a 401 `session-required` sends the resident back to the login page. */
export function useApi(): typeof call {
  const { lost } = useContext(Session);
  return useCallback(
    async <E extends Endpoint>(e: E, input: Input<E>): Promise<Success<E>> => {
      try {
        return await call(e, input);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) lost();
        throw err;
      }
    },
    [lost],
  );
}

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; code: string };

/** GETs one resource when the page opens; `reload` asks again. */
export function useResource<E extends Endpoint>(e: E, input: Input<E>): [Loaded<Success<E>>, () => void] {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded<Success<E>>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  // The input, as text: a new object with the same content asks nothing again.
  const key = JSON.stringify(input);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger, `key` stands for the input.
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    api(e, JSON.parse(key) as Input<E>).then(
      (data) => live && setLoaded({ state: 'ok', data }),
      (err) => live && setLoaded({ state: 'error', code: err instanceof ApiError ? err.code : 'unexpected' }),
    );
    return () => {
      live = false;
    };
  }, [api, e, key, round]);
  return [loaded, () => setRound((r) => r + 1)];
}
