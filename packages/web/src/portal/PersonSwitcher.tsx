import { useEffect, useState } from 'react';
import { portalApi } from '@pmh/protocol/api/portal';
import { useActing } from './acting.ts';
import { useLinkHandler } from './router.ts';
import { useApi } from './session.ts';
import type { Dependants } from './types.ts';

const SELF = 'self';

/**
 * 表示する人: the guardian's switch between themself and each child they act for (代理人). Shown once
 * there is a child to switch to; while acting, it says so on every page.
 */
export function PersonSwitcher({ round }: { round: number }) {
  const api = useApi();
  const onClick = useLinkHandler();
  const { acting, switchTo } = useActing();
  const [dependants, setDependants] = useState<Dependants['dependants']>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger (a child was added).
  useEffect(() => {
    let live = true;
    api(portalApi.myDependants, {}).then(
      (r) => live && setDependants(r.dependants),
      () => live && setDependants([]),
    );
    return () => {
      live = false;
    };
  }, [api, round]);

  // A stored choice that is no longer among the dependants (another login in this tab): back to self.
  useEffect(() => {
    if (dependants && acting && !dependants.some((d) => d.dependantId === acting.dependantId)) switchTo(undefined);
  }, [dependants, acting, switchTo]);

  if (!dependants || dependants.length === 0) return null;
  return (
    <div className={`border-b ${acting ? 'border-yellow-700 bg-yellow-100' : 'border-solid-gray-200 bg-solid-gray-50'}`} data-testid="person-switcher">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
        <label htmlFor="person" className="text-std-16B-170">
          表示する人
        </label>
        <select
          id="person"
          className="input w-auto min-w-48"
          value={acting?.dependantId ?? SELF}
          onChange={(e) => {
            const d = dependants.find((x) => x.dependantId === e.target.value);
            switchTo(d && { dependantId: d.dependantId, displayName: d.displayName });
          }}
        >
          <option value={SELF}>自分</option>
          {dependants.map((d) => (
            <option key={d.dependantId} value={d.dependantId}>
              {d.displayName}（代理人として）
            </option>
          ))}
        </select>
        {acting ? (
          <p role="status" className="text-std-16N-170" data-testid="acting-for">
            代理人として <span className="font-bold">{acting.displayName}</span> さんの情報を表示しています
          </p>
        ) : (
          <a href="/family" onClick={onClick}>
            家族を追加する
          </a>
        )}
      </div>
    </div>
  );
}
