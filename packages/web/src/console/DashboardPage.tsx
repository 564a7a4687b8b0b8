import { useEffect, useState } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { ConsoleDashboard } from '@pmh/protocol';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { call } from './api.ts';

/** ダッシュボード: the municipality's figures. */
export function DashboardPage() {
  const [d, setD] = useState<ConsoleDashboard>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    call(hubApi.console.dashboard, {}).then(setD, () => setFailed(true));
  }, []);
  const figures: Array<[string, number | undefined]> = [
    ['登録済みの対象者', d?.subjects.total],
    ['公費医療費助成', d?.subjects.byProcess['medical-subsidy']],
    ['予防接種', d?.subjects.byProcess.vaccination],
    ['PMH-ID 発行済み', d?.subjects.pmhIdIssued],
    ['PMH-ID 発行待ち', d?.subjects.pmhIdPending],
    ['マイナポータル連携済み', d?.subjects.portalLinked],
    ['実行中の登録タスク', d ? d.tasks.queued + d.tasks.running : undefined],
    ['失敗した登録タスク', d?.tasks.failed],
  ];
  return (
    <section aria-labelledby="dashboard-heading">
      <FocusHeading id="dashboard-heading">ダッシュボード</FocusHeading>
      {failed && <Banner tone="error" title="集計を読み込めませんでした" />}
      {!d && !failed && <Spinner label="集計しています…" />}
      {d && (
        <dl className="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="dashboard">
          {figures.map(([label, n]) => (
            <div key={label} className="rounded-8 border border-solid-gray-420 p-3">
              <dt className="text-dns-14N-130 text-solid-gray-700">{label}</dt>
              <dd className="text-std-24B-150">{n?.toLocaleString('ja-JP')}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
