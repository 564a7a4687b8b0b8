import { formatDateTime, formatSeireki, formatWareki } from '../shared/format.ts';
import { Banner, CertificateRows, FocusHeading, OrNone, PAYMENT_WORDS, Period, Row, Spinner } from '../shared/ui.tsx';
import { MunicipalityName } from '../shared/municipality.tsx';
import { LoadFailed, NotLinked } from './common.tsx';
import { portalApi } from '@pmh/protocol/api/portal';
import { useResource } from './session.ts';
import { useForQuery } from './acting.ts';
import type { Certificate, Subject, Subsidies } from './types.ts';

const STATUS: Record<Certificate['status'], { text: string; className: string }> = {
  current: { text: '有効', className: 'bg-white text-success-2 border-white' },
  future: { text: '有効期間前', className: 'bg-white text-blue-1000 border-white' },
  expired: { text: '有効期間終了', className: 'bg-solid-gray-800 text-white border-white' },
};

const ORDER: Record<Certificate['status'], number> = { current: 0, future: 1, expired: 2 };

/** 受給者証: what PMH holds about me, from every municipality that registered me. */
export function CertificatesPage({ linked }: { linked: boolean }) {
  const [loaded, reload] = useResource(portalApi.mySubsidies, { query: useForQuery() });
  return (
    <section aria-labelledby="certificates-heading">
      <FocusHeading id="certificates-heading">受給者証</FocusHeading>
      <p className="mt-2">
        お住まいの市区町村などが PMH に登録した、あなたの公費の受給者証です。医療機関の窓口では、マイナンバーカードで同じ情報が確認されます。
      </p>
      <div className="mt-6">
        {loaded.state === 'loading' && <Spinner label="受給者証を読み込んでいます…" />}
        {loaded.state === 'error' && <LoadFailed code={loaded.code} onRetry={reload} />}
        {loaded.state === 'ok' && (loaded.data.linked === false || !linked ? <NotLinked /> : <SubsidyList data={loaded.data} />)}
      </div>
    </section>
  );
}

function SubsidyList({ data }: { data: Subsidies }) {
  const certificates = [...data.certificates].sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.validFrom.localeCompare(a.validFrom));
  return (
    <>
      {certificates.length === 0 ? (
        <Banner tone="neutral" title="登録されている受給者証はありません" />
      ) : (
        <ul className="grid gap-6" aria-label="受給者証の一覧">
          {certificates.map((c) => (
            <li key={c.id}>
              <CertificateCard c={c} />
            </li>
          ))}
        </ul>
      )}
      {data.subjects.length > 0 && (
        <section aria-labelledby="subjects-heading" className="mt-10">
          <h2 id="subjects-heading" className="text-std-24B-150">
            登録されているあなたの情報
          </h2>
          <p className="mt-1 text-std-16N-170 text-solid-gray-700">市区町村ごとに登録されている内容です。</p>
          <ul className="mt-4 grid gap-4 sm:grid-cols-2">
            {data.subjects.map((s) => (
              <li key={s.municipalityCode}>
                <SubjectCard s={s} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** A digital 受給者証, laid out like the paper one: the programme on top, then its numbers and limits. */
function CertificateCard({ c }: { c: Certificate }) {
  const status = STATUS[c.status];
  return (
    <article
      className={`overflow-hidden rounded-16 border-2 shadow-1 ${c.status === 'expired' ? 'border-solid-gray-420' : 'border-blue-900'}`}
      aria-labelledby={`cert-${c.id}`}
      data-testid="certificate"
      data-status={c.status}
    >
      <div
        className={`flex flex-wrap items-center justify-between gap-2 px-4 py-3 sm:px-6 ${c.status === 'expired' ? 'bg-solid-gray-700' : 'bg-blue-900'} text-white`}
      >
        <div>
          <p className="text-dns-14N-130">受給者証</p>
          <h2 id={`cert-${c.id}`} className="text-std-22B-150">
            {c.certificationName}
          </h2>
        </div>
        <span className={`rounded-full border-2 px-3 py-1 text-dns-16B-130 ${status.className}`} data-testid="certificate-status">
          {status.text}
        </span>
      </div>
      <div className="px-4 pb-4 sm:px-6">
        <dl>
          <CertificateRows c={c} />
          <Row term="支払い方法">{c.isAlwaysReimbursement ? PAYMENT_WORDS.reimbursed : PAYMENT_WORDS.atCounter}</Row>
          <Row term="交付" testId="issuer">
            <MunicipalityName code={c.municipalityCode} withCode />
          </Row>
        </dl>
        {c.history.length > 0 && (
          <details className="mt-4 rounded-8 border border-solid-gray-420">
            <summary className="cursor-pointer px-4 py-3 text-std-16B-170 text-blue-1000 underline underline-offset-3">
              変更の履歴（{c.history.length}件）
            </summary>
            <div className="overflow-x-auto px-4 pb-4">
              <table className="w-full border-collapse text-left text-std-16N-170">
                <caption className="sr-only">{c.certificationName}の変更の履歴</caption>
                <thead>
                  <tr className="border-b-2 border-solid-gray-600">
                    <th scope="col" className="py-2 pr-4">
                      有効期間
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      状態
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      更新日時
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {c.history.map((h) => (
                    <tr key={h.historyKey + h.updatedAt} className="border-b border-solid-gray-200">
                      <td className="py-2 pr-4">
                        {formatWareki(h.validFrom)} 〜 {formatWareki(h.validTo)}
                      </td>
                      <td className="py-2 pr-4">{h.isDeleted ? <strong>取消</strong> : '登録'}</td>
                      <td className="py-2 pr-4">{formatDateTime(h.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        )}
      </div>
    </article>
  );
}

function SubjectCard({ s }: { s: Subject }) {
  return (
    <div className="rounded-12 border border-solid-gray-420 p-4">
      <p className="text-dns-14N-130 text-solid-gray-700">
        <MunicipalityName code={s.municipalityCode} withCode />
      </p>
      <dl className="mt-2">
        <Row term="氏名">
          {s.name}
          {s.nameKana && <span className="block text-solid-gray-700">{s.nameKana}</span>}
        </Row>
        <Row term="生年月日">
          {formatWareki(s.dateOfBirth)}（{formatSeireki(s.dateOfBirth)}）
        </Row>
        {/* No address when none is registered or when it must not be disclosed (DV support). */}
        {s.address !== null && <Row term="住所">{s.address}</Row>}
      </dl>
    </div>
  );
}
