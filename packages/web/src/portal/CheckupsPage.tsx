import { portalApi } from '@pmh/protocol/api/portal';
import { kindName } from '../shared/checkup-labels.ts';
import { GrowthSection, ResultCard, VoucherCard } from '../shared/checkups.tsx';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { LoadFailed, NotLinked } from './common.tsx';
import { useResource } from './session.ts';
import { useActing, useForQuery } from './acting.ts';
import { StartQuestionnaireButton } from './StartQuestionnaire.tsx';
import type { Checkups } from './types.ts';

/** 健診: my checkup vouchers (受診券) and results, and — for a child — the growth chart. */
export function CheckupsPage({ linked }: { linked: boolean }) {
  const forQuery = useForQuery();
  const { acting } = useActing();
  const [loaded, reload] = useResource(portalApi.myCheckups, { query: forQuery });
  return (
    <section aria-labelledby="checkups-heading">
      <FocusHeading id="checkups-heading">健診</FocusHeading>
      <p className="mt-2">
        {acting ? `${acting.displayName}さん` : 'あなた'}
        の妊婦健診・乳幼児健診の受診券と、これまでの健診結果です。お子さまには成長曲線も表示します。使える受診券の問診票は、健診の前にここから記入して提出できます。
      </p>
      <div className="mt-6">
        {loaded.state === 'loading' && <Spinner label="健診の情報を読み込んでいます…" />}
        {loaded.state === 'error' && <LoadFailed code={loaded.code} onRetry={reload} />}
        {loaded.state === 'ok' && (loaded.data.linked === false || !linked ? <NotLinked /> : <CheckupsView data={loaded.data} />)}
      </div>
    </section>
  );
}

function CheckupsView({ data }: { data: Checkups }) {
  const unused = data.vouchers.filter((v) => v.status === 'unused');
  const others = data.vouchers.filter((v) => v.status !== 'unused');
  return (
    <div className="grid gap-10">
      <section aria-labelledby="vouchers-heading">
        <h2 id="vouchers-heading" className="text-std-24B-150">
          受診券
        </h2>
        {unused.length === 0 ? (
          <div className="mt-4">
            <Banner tone="neutral" title="使える受診券はありません" headingLevel={3} />
          </div>
        ) : (
          <ul className="mt-4 grid gap-4 sm:grid-cols-2" aria-label="使える受診券">
            {unused.map((v) => (
              <li key={`${v.municipalityCode}-${v.voucherNumber}`}>
                <VoucherCard v={v}>
                  <StartQuestionnaireButton
                    body={{ process: 'maternal-child', checkupKind: v.checkupKind, ...(v.sequence ? { sequence: v.sequence } : {}) }}
                    name={kindName(v.checkupKind, v.sequence)}
                    form="問診票"
                  />
                </VoucherCard>
              </li>
            ))}
          </ul>
        )}
        {others.length > 0 && (
          <details className="mt-4">
            <summary className="cursor-pointer text-std-16B-170">使用済み・期限切れの受診券（{others.length}枚）</summary>
            <ul className="mt-4 grid gap-4 sm:grid-cols-2" aria-label="使用済み・期限切れの受診券">
              {others.map((v) => (
                <li key={`${v.municipalityCode}-${v.voucherNumber}`}>
                  <VoucherCard v={v} />
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>

      {data.growth && <GrowthSection height={data.growth.height} weight={data.growth.weight} />}

      <section aria-labelledby="results-heading">
        <h2 id="results-heading" className="text-std-24B-150">
          健診結果
        </h2>
        {data.results.length === 0 ? (
          <div className="mt-4">
            <Banner tone="neutral" title="健診結果はまだありません" headingLevel={3} />
          </div>
        ) : (
          <ul className="mt-4 grid gap-6" aria-label="健診結果（新しい順）">
            {data.results.map((r) => (
              <li key={r.resultId}>
                <ResultCard r={r} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
