import { portalApi } from '@pmh/protocol/api/portal';
import { formatSeireki, formatWareki } from '../shared/format.ts';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { useActing, useForQuery } from './acting.ts';
import { LoadFailed, NotLinked } from './common.tsx';
import { VACCINES, label } from './labels.ts';
import { useResource } from './session.ts';
import type { ForecastEntry, VaccinationRecord, Vaccinations } from './types.ts';
import { StartQuestionnaireButton } from './StartQuestionnaire.tsx';

/** The forecast's groups, in the order a parent needs them: what to do now first. */
const GROUPS: Array<{ status: ForecastEntry['status']; title: string; note: string; tone: string }> = [
  { status: 'overdue', title: '標準的な接種期間を過ぎています', note: '定期接種として受けられる期限までに、早めに受けましょう。', tone: 'border-error-1' },
  { status: 'due', title: '今、接種できます', note: '接種できる時期になっています。', tone: 'border-blue-900' },
  { status: 'upcoming', title: 'これから', note: '接種できる時期になったら、お知らせします。', tone: 'border-solid-gray-420' },
  { status: 'complete', title: '接種済み', note: '', tone: 'border-success-2' },
];

/** 令和8年4月1日（2026年4月1日） */
export function DateBoth({ iso }: { iso: string }) {
  return (
    <span>
      {formatWareki(iso)}
      <span className="text-solid-gray-700">（{formatSeireki(iso)}）</span>
    </span>
  );
}

/** 予防接種: the doses PMH holds and the routine schedule of today — what is due, overdue, upcoming and complete. */
export function VaccinationsPage() {
  const forQuery = useForQuery();
  const { acting } = useActing();
  const [loaded, reload] = useResource(portalApi.myVaccinations, { query: forQuery });
  const whose = acting ? `${acting.displayName}さん` : 'あなた';
  return (
    <section aria-labelledby="vaccinations-heading">
      <FocusHeading id="vaccinations-heading">予防接種</FocusHeading>
      <p className="mt-2">
        {whose}
        の予防接種の記録と、定期接種の予定です。日付は和暦（西暦）で示します。予定は、生年月日とこれまでの接種から、予防接種実施規則に沿って計算しています。
      </p>
      <div className="mt-6">
        {loaded.state === 'loading' && <Spinner label="予防接種の記録を読み込んでいます…" />}
        {loaded.state === 'error' && <LoadFailed code={loaded.code} onRetry={reload} />}
        {loaded.state === 'ok' && (loaded.data.linked === false ? <NotLinked /> : <Schedule data={loaded.data} />)}
      </div>
    </section>
  );
}

function Schedule({ data }: { data: Vaccinations }) {
  const shown = data.forecast.filter((e) => e.status !== 'not-eligible');
  return (
    <>
      {shown.length === 0 && <Banner tone="neutral" title="定期接種の予定はありません" />}
      {GROUPS.map((g) => {
        const entries = shown.filter((e) => e.status === g.status);
        if (entries.length === 0) return null;
        return (
          <section key={g.status} aria-labelledby={`forecast-${g.status}`} className="mt-8 first:mt-0" data-testid={`forecast-${g.status}`}>
            <h2 id={`forecast-${g.status}`} className="text-std-24B-150">
              {g.title}（{entries.length}件）
            </h2>
            {g.note && <p className="mt-1 text-std-16N-170 text-solid-gray-700">{g.note}</p>}
            {g.status === 'complete' ? (
              <ul className="mt-4 grid gap-x-6 gap-y-1 sm:grid-cols-2">
                {entries.map((e) => (
                  <li
                    key={`${e.vaccineCode}-${e.series ?? ''}-${e.doseNumber}`}
                    data-testid="forecast-entry"
                    data-vaccine={e.vaccineCode}
                    data-status={e.status}
                  >
                    <span aria-hidden="true" className="mr-2 text-success-2">
                      ✓
                    </span>
                    {label(VACCINES, e.vaccineCode)} {e.label ?? `${e.doseNumber}回目`}
                  </li>
                ))}
              </ul>
            ) : (
              <ul className="mt-4 grid gap-3 sm:grid-cols-2">
                {entries.map((e) => (
                  <li key={`${e.vaccineCode}-${e.series ?? ''}-${e.doseNumber}`}>
                    <ForecastCard e={e} tone={g.tone} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
      <History records={data.records} />
    </>
  );
}

function ForecastCard({ e, tone }: { e: ForecastEntry; tone: string }) {
  const name = `${label(VACCINES, e.vaccineCode)} ${e.label ?? `${e.doseNumber}回目`}`;

  return (
    <article className={`h-full rounded-12 border-2 bg-white p-4 ${tone}`} data-testid="forecast-entry" data-vaccine={e.vaccineCode} data-status={e.status}>
      <h3 className="text-std-18B-160">{name}</h3>
      <dl className="mt-2 grid gap-1 text-std-16N-170">
        {e.earliest && (
          <div>
            <dt className="inline font-bold">接種できる日から：</dt>
            <dd className="inline">
              <DateBoth iso={e.earliest} />
            </dd>
          </div>
        )}
        {e.recommended && e.status !== 'complete' && (
          <div>
            <dt className="inline font-bold">標準的な時期：</dt>
            <dd className="inline">
              <DateBoth iso={e.recommended} />
              から
            </dd>
          </div>
        )}
        {e.latest && e.status !== 'complete' && (
          <div>
            <dt className="inline font-bold">定期接種の期限：</dt>
            <dd className="inline">
              <DateBoth iso={e.latest} />
            </dd>
          </div>
        )}
      </dl>
      {(e.status === 'due' || e.status === 'overdue' || e.status === 'upcoming') && (
        <StartQuestionnaireButton body={{ process: 'vaccination', vaccineCode: e.vaccineCode, doseNumber: e.doseNumber }} name={name} form="予診票" />
      )}
    </article>
  );
}

function History({ records }: { records: VaccinationRecord[] }) {
  return (
    <section aria-labelledby="history-heading" className="mt-10">
      <h2 id="history-heading" className="text-std-24B-150">
        接種の記録
      </h2>
      {records.length === 0 ? (
        <p className="mt-2">記録はまだありません。</p>
      ) : (
        <ul className="mt-4 rounded-8 border border-solid-gray-420 bg-white px-4" aria-label="接種の記録の一覧">
          {[...records].reverse().map((r) => (
            <li key={r.recordId} className="border-b border-solid-gray-200 py-2 last:border-b-0" data-testid="vaccination-record" data-status={r.status}>
              <p className="text-std-16B-170">
                {label(VACCINES, r.vaccineCode)} {r.doseNumber}回目{r.status === 'cancelled' && '（取消）'}
              </p>
              <p className="text-std-16N-170">
                <DateBoth iso={r.date} />
              </p>
              <p className="text-std-16N-170 text-solid-gray-700">
                {[r.institutionName ?? (r.institutionCode ? `医療機関コード ${r.institutionCode}` : null), r.lotNumber ? `ロット ${r.lotNumber}` : null]
                  .filter(Boolean)
                  .join('　')}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
