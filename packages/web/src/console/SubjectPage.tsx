import { useEffect, useState, type ReactNode } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { SubjectView } from '@pmh/protocol';
import { formatDateTime, formatWareki, formatYen } from '../shared/format.ts';
import { MunicipalityName } from '../shared/municipality.tsx';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { call } from './api.ts';
import { Failure } from './common.tsx';
import { LINK_STATUS, PMH_ID_STATUS, SEX } from './labels.ts';
import { BASE, useLinkHandler } from './router.ts';

type Certificate = SubjectView['medicalSubsidyCertificates'][number];

/**
 * One subject: the basic information, PMH-ID and portal-link status (never the PMH-ID itself nor a
 * My Number), every certificate with every registered field, its versions (履歴) side by side with
 * what changed from the version before highlighted, and the vaccination and maternal and child
 * health registrations.
 */
export function SubjectPage({ subjectKey }: { subjectKey: string }) {
  const onClick = useLinkHandler();
  const [subject, setSubject] = useState<SubjectView>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    call(hubApi.municipal.getSubject, { params: { municipalityIdentityKey: subjectKey } }).then(setSubject, setError);
  }, [subjectKey]);

  // A certificate is a programme and sub key; its versions are the rows sharing them.
  const groups = new Map<string, Certificate[]>();
  for (const c of subject?.medicalSubsidyCertificates ?? []) {
    const k = `${c.orgSpecificCertificateTypeId}\u0000${c.certificationSubKey}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }

  return (
    <section aria-labelledby="subject-heading">
      <p>
        <a href={`${BASE}/subjects`} onClick={onClick}>
          対象者の一覧へ戻る
        </a>
      </p>
      <FocusHeading id="subject-heading">対象者 {subjectKey}</FocusHeading>
      {error !== undefined && <Failure title="対象者を読み込めませんでした" error={error} />}
      {!subject && error === undefined && <Spinner label="読み込んでいます…" />}
      {subject && (
        <>
          {subject.isNotDisclosed && (
            <div className="mt-4">
              <Banner tone="warning" title="DV等支援措置の対象者です">
                <p>住所を第三者に開示しないでください。医療機関やマイナポータルの運用者には住所は表示されません。</p>
              </Banner>
            </div>
          )}
          <h2 className="mt-8 text-std-24B-150">基本情報</h2>
          <dl className="mt-2 grid gap-x-6 sm:grid-cols-[max-content_1fr]" data-testid="subject-basic">
            <Item term="宛名番号">
              <span className="code">{subject.municipalityIdentityKey ?? 'なし'}</span>
            </Item>
            <Item term="自治体">
              <MunicipalityName code={subject.municipalityCode} withCode />
            </Item>
            <Item term="氏名">{subject.basicFiveInfo.name}</Item>
            <Item term="氏名（カナ）">{subject.basicFiveInfo.nameKana ?? 'なし'}</Item>
            <Item term="住所">{subject.basicFiveInfo.address ?? 'なし'}</Item>
            <Item term="生年月日">{formatWareki(subject.basicFiveInfo.dateOfBirth)}</Item>
            <Item term="性別">{SEX[subject.basicFiveInfo.sex] ?? subject.basicFiveInfo.sex}</Item>
            <Item term="PMH-ID">{PMH_ID_STATUS[subject.pmhIdStatus]}</Item>
            <Item term="マイナポータル連携">{LINK_STATUS[subject.portalLinkStatus]}</Item>
          </dl>

          <h2 className="mt-8 text-std-24B-150">受給者証</h2>
          {groups.size === 0 && <p className="mt-2">受給者証は登録されていません。</p>}
          {[...groups.values()].map((versions) => (
            <Versions key={`${versions[0].orgSpecificCertificateTypeId}-${versions[0].certificationSubKey}`} versions={versions} />
          ))}

          <h2 className="mt-8 text-std-24B-150">予防接種</h2>
          {subject.vaccination ? (
            <dl className="mt-2 grid gap-x-6 sm:grid-cols-[max-content_1fr]" data-testid="subject-vaccination">
              <Item term="登録">{subject.vaccination.status === 'registered' ? '登録中' : `終了（${subject.vaccination.endedOn ?? ''}）`}</Item>
              <Item term="接種記録">{subject.vaccination.records} 件</Item>
              <Item term="予診票（接種券）">{subject.vaccination.vouchers} 件</Item>
            </dl>
          ) : (
            <p className="mt-2">予防接種の対象者として登録されていません。</p>
          )}

          <h2 className="mt-8 text-std-24B-150">母子保健（健診）</h2>
          {subject.maternalChild ? (
            <dl className="mt-2 grid gap-x-6 sm:grid-cols-[max-content_1fr]" data-testid="subject-checkups">
              <Item term="登録">{subject.maternalChild.status === 'registered' ? '登録中' : `終了（${subject.maternalChild.endedOn ?? ''}）`}</Item>
              <Item term="受診券">{subject.maternalChild.vouchers} 件</Item>
              <Item term="健診結果">{subject.maternalChild.results} 件</Item>
            </dl>
          ) : (
            <p className="mt-2">母子保健の対象者として登録されていません。</p>
          )}
        </>
      )}
    </section>
  );
}

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="pt-2 font-bold sm:border-b sm:border-solid-gray-200 sm:py-2">{term}</dt>
      <dd className="border-b border-solid-gray-200 pb-2 sm:py-2">{children}</dd>
    </>
  );
}

/** The fields of a version, each as text, in the order a certificate reads. */
const FIELDS: Array<[string, (c: Certificate) => string]> = [
  ['履歴キー', (c) => c.historyKey],
  ['有効期間', (c) => `${formatWareki(c.validFrom)} 〜 ${formatWareki(c.validTo)}`],
  ['公費負担者番号', (c) => c.medicalSubsidyInsurerNumber],
  ['公費受給者番号', (c) => c.medicalSubsidyRecipientNumber ?? 'なし'],
  [
    '自己負担上限額',
    (c) =>
      c.maxCopaymentAmount
        ? [
            `月額 ${formatYen(c.maxCopaymentAmount.monthly)}`,
            c.maxCopaymentAmount.outpatientMonthly !== undefined ? `外来 ${formatYen(c.maxCopaymentAmount.outpatientMonthly)}` : '',
            c.maxCopaymentAmount.inpatientMonthly !== undefined ? `入院 ${formatYen(c.maxCopaymentAmount.inpatientMonthly)}` : '',
          ]
            .filter(Boolean)
            .join('／')
        : '記載なし',
  ],
  ['常に償還払い', (c) => (c.isAlwaysReimbursement ? 'はい' : 'いいえ')],
  ['区分', (c) => c.segment ?? 'なし'],
  ['所得区分', (c) => c.incomeSegment ?? 'なし'],
  ['追加条件', (c) => (c.additionalConditions?.length ? c.additionalConditions.join('、') : 'なし')],
  [
    '指定医療機関',
    (c) =>
      c.designatedMedicalInstitutions?.length
        ? c.designatedMedicalInstitutions.map((d) => (d.name ? `${d.name}（${d.institutionCode}）` : d.institutionCode)).join('、')
        : 'なし',
  ],
  ['受給者証券面項目', (c) => (c.certificationDetail?.length ? c.certificationDetail.map((d) => `${d.label}: ${d.value}`).join('／') : 'なし')],
  ['削除', (c) => (c.isDeleted ? '削除済み' : '—')],
  ['登録日時', (c) => (c.registeredAt ? formatDateTime(c.registeredAt) : '—')],
  ['最終更新', (c) => (c.changedAt ? formatDateTime(c.changedAt) : '—')],
];

const versionKey = (v: Certificate) => `${v.historyKey}|${v.validFrom}|${v.validTo}|${v.registeredAt ?? ''}`;

/** The versions of one certificate as columns; a value that differs from the version before is marked 「変更」. */
function Versions({ versions }: { versions: Certificate[] }) {
  const first = versions[0];
  return (
    <div className="mt-4" data-testid="certificate">
      <h3 className="text-std-20B-150">
        {first.certificationName}
        <span className="ml-2 text-dns-14N-130 text-solid-gray-700">
          （機関別受給者証種別ID {first.orgSpecificCertificateTypeId}
          {first.certificationSubKey ? `・枝番 ${first.certificationSubKey}` : ''}・{versions.length} 版）
        </span>
      </h3>
      <div className="mt-2 overflow-x-auto rounded-8 border border-solid-gray-420">
        <table className="w-full border-collapse text-left text-std-16N-170" data-testid="versions">
          <caption className="sr-only">{first.certificationName}の履歴（左から古い順。前の版から変わった値には「変更」と表示）</caption>
          <thead className="bg-solid-gray-50">
            <tr className="border-b-2 border-solid-gray-600">
              <th scope="col" className="px-3 py-2">
                項目
              </th>
              {versions.map((v, i) => (
                <th key={versionKey(v)} scope="col" className="px-3 py-2 whitespace-nowrap">
                  第{i + 1}版
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {FIELDS.map(([label, text]) => (
              <tr key={label} className="border-b border-solid-gray-200 align-top">
                <th scope="row" className="px-3 py-2 whitespace-nowrap font-bold">
                  {label}
                </th>
                {versions.map((v, i) => {
                  const value = text(v);
                  const changed = i > 0 && text(versions[i - 1]) !== value && !['登録日時', '最終更新'].includes(label);
                  return (
                    <td key={versionKey(v)} className={`min-w-40 px-3 py-2 ${changed ? 'bg-yellow-100 font-bold' : ''}`} data-changed={changed || undefined}>
                      {value}
                      {changed && <span className="ml-2 rounded-4 border border-solid-gray-800 px-1 text-dns-14B-130">変更</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
