import { useEffect, useRef, type ReactNode } from 'react';
import type { EligibleCertificate } from '@pmh/protocol/eligibility';
import type { ResidentCertificate } from '@pmh/protocol/resident';
import { formatSeireki, formatWareki, formatYen } from './format.ts';

export type Tone = 'info' | 'success' | 'warning' | 'error' | 'neutral';

const TONE_CLASS: Record<Tone, string> = {
  info: 'border-blue-900 bg-blue-50',
  success: 'border-success-2 bg-green-50',
  warning: 'border-warning-yellow-2 bg-yellow-50',
  error: 'border-error-2 bg-red-50',
  neutral: 'border-solid-gray-600 bg-solid-gray-50',
};

const TONE_ICON_CLASS: Record<Tone, string> = {
  info: 'text-blue-900',
  success: 'text-success-2',
  warning: 'text-warning-yellow-2',
  error: 'text-error-2',
  neutral: 'text-solid-gray-700',
};

/** A glyph per tone, so the kind of message does not rest on colour alone. */
export function ToneIcon({ tone, className = '' }: { tone: Tone; className?: string }) {
  const paths: Record<Tone, ReactNode> = {
    info: <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-6h2zm0-8h-2V7h2z" />,
    success: <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-2 15-5-5 1.4-1.4 3.6 3.6 7.6-7.6L19 8z" />,
    warning: <path d="M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z" />,
    error: <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-2h2zm0-4h-2V7h2z" />,
    neutral: <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm5 11H7v-2h10z" />,
  };
  return (
    <svg
      viewBox="0 0 24 24"
      width="24"
      height="24"
      aria-hidden="true"
      focusable="false"
      className={`shrink-0 fill-current ${TONE_ICON_CLASS[tone]} ${className}`}
    >
      {paths[tone]}
    </svg>
  );
}

/** A notification banner (ノティフィケーションバナー): a title, and what to do. */
export function Banner(props: { tone: Tone; title: string; children?: ReactNode; role?: 'alert' | 'status'; testId?: string; headingLevel?: 2 | 3 }) {
  const H = props.headingLevel === 3 ? 'h3' : 'h2';
  return (
    <div role={props.role} data-testid={props.testId} className={`flex gap-3 rounded-8 border-2 p-4 sm:p-6 ${TONE_CLASS[props.tone]}`}>
      <ToneIcon tone={props.tone} className="mt-1" />
      <div className="min-w-0">
        <H className="text-std-18B-160">{props.title}</H>
        {props.children && <div className="mt-1 text-std-16N-170">{props.children}</div>}
      </div>
    </div>
  );
}

/** A page or step heading that takes the focus when it appears, so a screen reader hears where the user is. */
export function FocusHeading({
  id,
  level = 1,
  children,
  className = '',
  testId,
}: {
  id?: string;
  level?: 1 | 2;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const H = level === 1 ? 'h1' : 'h2';
  return (
    <H
      ref={ref}
      id={id}
      tabIndex={-1}
      data-testid={testId}
      className={`${level === 1 ? 'text-std-28B-150 sm:text-std-32B-150' : 'text-std-24B-150'} focus-visible:shadow-none focus-visible:outline-none ${className}`}
    >
      {children}
    </H>
  );
}

/** One labelled value of a description list. */
export function Row({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid gap-1 border-b border-solid-gray-200 py-3 last:border-b-0 sm:grid-cols-[12rem_1fr] sm:gap-4">
      <dt className="text-std-16B-170 text-solid-gray-700">{term}</dt>
      <dd className="text-std-16N-170" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** 有効期間 in 和暦, with the 西暦 beside it. */
export function Period({ from, to }: { from: string; to: string }) {
  return (
    <span>
      <span>
        {formatWareki(from)} 〜 {formatWareki(to)}
      </span>
      <span className="block text-std-16N-170 text-solid-gray-700">
        （西暦 {formatSeireki(from)} 〜 {formatSeireki(to)}）
      </span>
    </span>
  );
}

/** How a certificate is paid, in the same words at the clinic's counter and in the resident's portal. */
export const PAYMENT_WORDS = {
  reimbursed: '償還払い（窓口ではいったん支払い、後で払い戻しを受けます）',
  atCounter: '窓口で公費を適用（現物給付）',
} as const;

/** 自己負担上限額, as both the eligibility answer and the resident's view carry it. */
export type CopaymentLimit = NonNullable<EligibleCertificate['maxCopaymentAmount']>;

/** 月額自己負担上限額. */
export function Copayment({ limit }: { limit: CopaymentLimit | null }) {
  if (!limit) return <span>記載なし</span>;
  return (
    <span>
      <span className="text-std-18B-160">{formatYen(limit.monthly)}</span>
      {limit.monthly === 0 && <span>（自己負担なし）</span>}
      {(limit.outpatientMonthly !== undefined || limit.inpatientMonthly !== undefined) && (
        <span className="block">
          {limit.outpatientMonthly !== undefined && <span className="mr-4">外来 {formatYen(limit.outpatientMonthly)}</span>}
          {limit.inpatientMonthly !== undefined && <span>入院 {formatYen(limit.inpatientMonthly)}</span>}
        </span>
      )}
    </span>
  );
}

/** 追加条件 codes as words where we know them, the code itself otherwise. */
const CONDITION_LABELS: Record<string, string> = { IN: '入院', OUT: '外来' };

export function Conditions({ codes }: { codes: string[] }) {
  if (codes.length === 0) return <span>なし</span>;
  return (
    <ul className="flex flex-wrap gap-2">
      {codes.map((c) => (
        <li key={c} className="rounded-4 border border-solid-gray-600 px-2 text-std-16N-170">
          {CONDITION_LABELS[c] ?? c}
        </li>
      ))}
    </ul>
  );
}

/** A value the record may leave empty: shown as 「なし」, not as a blank a reader might take for a fault. */
export function OrNone({ value, className }: { value: string | null | undefined; className?: string }) {
  return value ? <span className={className}>{value}</span> : <span>なし</span>;
}

export function Spinner({ label }: { label: string }) {
  return (
    <p role="status" className="flex items-center gap-3 text-std-16N-170">
      <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" className="animate-spin fill-none stroke-blue-900 stroke-[3]">
        <circle cx="12" cy="12" r="9" strokeDasharray="42 100" />
      </svg>
      {label}
    </p>
  );
}

/** The header bar (ヘッダー): the service's name, and what the page offers beside it. */
export function Header({ title, subtitle, children }: { title: string; subtitle?: string; children?: ReactNode }) {
  return (
    <header className="border-b border-solid-gray-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-4 py-3 sm:px-6">
        <div className="flex items-center gap-3">
          <img src="/favicon.svg" alt="" width="32" height="32" />
          <div>
            <p className="text-std-20B-150">{title}</p>
            {subtitle && <p className="text-dns-14N-130 text-solid-gray-700">{subtitle}</p>}
          </div>
        </div>
        {children}
      </div>
    </header>
  );
}

/** Lets a keyboard user jump past the header (最初のリンク). */
export function SkipLink() {
  return (
    <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded-8 focus:bg-white focus:p-3">
      本文へ移動
    </a>
  );
}

/** What every 受給者証 shows, to a receptionist and to its holder alike: the fields both answers share. */
type SharedFields =
  | 'municipalityCode'
  | 'certificationName'
  | 'medicalSubsidyInsurerNumber'
  | 'medicalSubsidyRecipientNumber'
  | 'validFrom'
  | 'validTo'
  | 'maxCopaymentAmount'
  | 'segment'
  | 'incomeSegment'
  | 'additionalConditions'
  | 'isAlwaysReimbursement'
  | 'certificationDetail';
export type CertificateFields = Pick<EligibleCertificate, SharedFields> & Pick<ResidentCertificate, SharedFields>;

/** The rows of a 受給者証 that both pages show the same way (inside a `<dl>`). */
export function CertificateRows({ c }: { c: CertificateFields }) {
  return (
    <>
      <Row term="公費負担者番号" testId="payer-number">
        <span className="code text-std-20B-150">{c.medicalSubsidyInsurerNumber}</span>
      </Row>
      <Row term="公費受給者番号" testId="recipient-number">
        <OrNone value={c.medicalSubsidyRecipientNumber} className="code text-std-20B-150" />
      </Row>
      <Row term="有効期間">
        <Period from={c.validFrom} to={c.validTo} />
      </Row>
      <Row term="月額自己負担上限額">
        <Copayment limit={c.maxCopaymentAmount} />
      </Row>
      <Row term="区分">
        <OrNone value={c.segment} />
      </Row>
      <Row term="所得区分">
        <OrNone value={c.incomeSegment} />
      </Row>
      <Row term="対象疾病・条件">
        <Conditions codes={c.additionalConditions} />
      </Row>
      <CertificationDetail items={c.certificationDetail} />
    </>
  );
}

/** 受給者証券面項目: one printed item of a certificate, as the municipality registered it. */
export type CertificationDetailItem = NonNullable<EligibleCertificate['certificationDetail']>[number];

/**
 * 受給者証の記載事項: the items the municipality prints on the certificate, in its order and words, as a
 * row of a certificate's `<dl>` (nothing when it registered none). A value may span lines.
 */
export function CertificationDetail({ items }: { items: CertificationDetailItem[] | undefined }) {
  if (!items || items.length === 0) return null;
  return (
    <Row term="受給者証の記載事項" testId="certification-detail">
      <dl className="grid gap-2">
        {items.map((d, i) => (
          // Labels may repeat (two 備考), so the position is part of the key.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed for a given certificate
          <div key={`${i}-${d.label}`} className="grid gap-x-4 sm:grid-cols-[minmax(6rem,max-content)_1fr]">
            <dt className="text-std-16B-170">{d.label}</dt>
            <dd className="whitespace-pre-line break-words">{d.value}</dd>
          </div>
        ))}
      </dl>
    </Row>
  );
}
