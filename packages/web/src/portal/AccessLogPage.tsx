import { useEffect, useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { formatDateTime } from '../shared/format.ts';
import { FocusHeading, Spinner } from '../shared/ui.tsx';
import { MunicipalityName } from '../shared/municipality.tsx';
import { LoadFailed, NotLinked } from './common.tsx';
import { ACTIONS, ACTOR_CODE_NAMES, ACTOR_KINDS, OPERATOR_READ, OUTCOMES, PURPOSES, label } from './labels.ts';
import { portalApi } from '@pmh/protocol/api/portal';
import { useApi } from './session.ts';
import { useForQuery } from './acting.ts';
import type { AccessLogEntry } from './types.ts';

type State =
  | { state: 'loading' }
  | { state: 'error'; code: string }
  | { state: 'ok'; items: AccessLogEntry[]; nextBefore?: string; linked: boolean; more: boolean };

/**
 * あなたのデータを見た記録: every access to my data at PMH — which medical institution or
 * municipality, when, what and why — read from PMH's audit log (my own views are not listed).
 */
export function AccessLogPage() {
  const call = useApi();
  const forQuery = useForQuery();
  const forKey = forQuery.for;
  const [log, setLog] = useState<State>({ state: 'loading' });
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger: changing it fetches again.
  useEffect(() => {
    let live = true;
    call(portalApi.myAccessLog, { query: forKey ? { for: forKey } : {} }).then(
      (r) => live && setLog({ state: 'ok', items: r.items, nextBefore: r.nextBefore, linked: r.linked !== false, more: false }),
      (e) => live && setLog({ state: 'error', code: e instanceof ApiError ? e.code : 'unexpected' }),
    );
    return () => {
      live = false;
    };
  }, [call, round, forKey]);

  async function loadMore() {
    if (log.state !== 'ok' || !log.nextBefore) return;
    setLog({ ...log, more: true });
    try {
      const r = await call(portalApi.myAccessLog, { query: { ...forQuery, before: log.nextBefore } });
      setLog({ ...log, items: [...log.items, ...r.items], nextBefore: r.nextBefore, more: false });
    } catch (e) {
      setLog({ state: 'error', code: e instanceof ApiError ? e.code : 'unexpected' });
    }
  }

  return (
    <section aria-labelledby="access-log-heading">
      <FocusHeading id="access-log-heading">あなたのデータを見た記録</FocusHeading>
      <p className="mt-2">
        PMH
        にあるあなたの情報を、いつ、どの医療機関や自治体が、何のために見たり登録したりしたかの記録です。新しい順に並んでいます。あなた自身がこのポータルで見た記録は含みません。保護者などの代理人があなたの情報を見たり記入したりした記録は含みます。
      </p>
      <div className="mt-6">
        {log.state === 'loading' && <Spinner label="記録を読み込んでいます…" />}
        {log.state === 'error' && <LoadFailed code={log.code} onRetry={() => setRound((r) => r + 1)} />}
        {log.state === 'ok' && !log.linked && <NotLinked />}
        {log.state === 'ok' && log.linked && log.items.length === 0 && <p>まだ記録はありません。</p>}
        {log.state === 'ok' && log.items.length > 0 && (
          <>
            <div className="overflow-x-auto rounded-8 border border-solid-gray-420">
              <table className="w-full border-collapse text-left text-std-16N-170 max-sm:block" data-testid="access-log">
                <caption className="sr-only">あなたのデータを見た記録（新しい順）</caption>
                <thead className="bg-solid-gray-50 max-sm:hidden">
                  <tr className="border-b-2 border-solid-gray-600">
                    <th scope="col" className="px-4 py-3 whitespace-nowrap">
                      日時
                    </th>
                    <th scope="col" className="px-4 py-3">
                      だれが
                    </th>
                    <th scope="col" className="px-4 py-3">
                      何を
                    </th>
                    <th scope="col" className="px-4 py-3">
                      目的
                    </th>
                    <th scope="col" className="px-4 py-3">
                      結果
                    </th>
                  </tr>
                </thead>
                <tbody className="max-sm:block">
                  {log.items.map((e, i) => (
                    <tr
                      // biome-ignore lint/suspicious/noArrayIndexKey: entries are only appended; two may share a time.
                      key={`${e.at}-${i}`}
                      className="border-b border-solid-gray-200 align-top max-sm:block max-sm:py-2"
                      data-testid="access-entry"
                      data-actor-kind={e.actorKind}
                      data-action={e.action}
                    >
                      <td className="px-4 py-3 whitespace-nowrap max-sm:block max-sm:py-1 max-sm:font-bold">{formatDateTime(e.at)}</td>
                      <td className="px-4 py-3 max-sm:block max-sm:py-1">
                        <PhoneLabel>だれが</PhoneLabel>
                        <span className="font-bold">{label(ACTOR_KINDS, e.actorKind)}</span>
                        {e.actorCode && <ActorName entry={e} code={e.actorCode} />}
                      </td>
                      <td className="px-4 py-3 max-sm:block max-sm:py-1">
                        <PhoneLabel>何を</PhoneLabel>
                        {label(ACTIONS, e.action)}
                      </td>
                      <td className="px-4 py-3 max-sm:block max-sm:py-1">
                        <PhoneLabel>目的</PhoneLabel>
                        {e.actorKind === 'operator' && e.purpose === 'municipal-api' ? OPERATOR_READ : label(PURPOSES, e.purpose)}
                      </td>
                      <td className="px-4 py-3 max-sm:block max-sm:py-1">
                        <PhoneLabel>結果</PhoneLabel>
                        {label(OUTCOMES, e.outcome)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {log.nextBefore && (
              <button type="button" className="btn btn-secondary mt-6" onClick={loadMore} disabled={log.more}>
                もっと見る
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}

/** A cell's column name, shown on phones, where the table is laid out as one card per entry. */
function PhoneLabel({ children }: { children: string }) {
  return <span className="mr-2 text-dns-14B-130 text-solid-gray-700 sm:hidden">{children}：</span>;
}

/**
 * Who, by name: the hub names medical institutions it has in its registry and municipalities from the
 * national list; a municipality the hub did not name is looked up here; otherwise the code alone.
 */
function ActorName({ entry, code }: { entry: AccessLogEntry; code: string }) {
  const codeLine = (
    <span className="block text-dns-14N-130 text-solid-gray-700">
      {ACTOR_CODE_NAMES[entry.actorKind] ?? 'コード'} <span className="code">{code}</span>
    </span>
  );
  if (entry.actorName)
    return (
      <>
        <span className="block" data-testid="actor-name">
          {entry.actorName}
        </span>
        {codeLine}
      </>
    );
  if (entry.actorKind === 'municipality')
    return (
      <>
        <span className="block" data-testid="actor-name">
          <MunicipalityName code={code} />
        </span>
        {codeLine}
      </>
    );
  return codeLine;
}
