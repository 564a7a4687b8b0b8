import { useEffect, useState } from 'react';
import { clinicApi } from '@pmh/protocol/api/clinic';
import { call, ApiError } from '../shared/api.ts';
import { signChallenge, type DemoCard } from '../shared/card.ts';
import { formatSeireki, formatWareki } from '../shared/format.ts';
import { Banner, CertificateRows, FocusHeading, Header, PAYMENT_WORDS, Row, SkipLink, Spinner, ToneIcon } from '../shared/ui.tsx';
import { MunicipalityName } from '../shared/municipality.tsx';
import { CardReader } from './CardReader.tsx';
import { ClinicNav } from './ClinicNav.tsx';
import { failureText, REASONS } from './reasons.ts';
import type { EligibilityAnswer, EligibleCertificate, Institution } from './types.ts';

/**
 * The reception desk (受付): the patient's card on the reader, the patient's consent on the reader's
 * screen, then what the receptionist needs — each certificate, or why there is none.
 */
type Step =
  | { kind: 'reader' }
  | { kind: 'consent'; card: DemoCard }
  | { kind: 'checking'; card: DemoCard; consent: boolean }
  | { kind: 'result'; card: DemoCard; consent: boolean; answer: EligibilityAnswer }
  | { kind: 'failed'; card: DemoCard; consent: boolean; code: string };

const STEPS = ['カードの読み取り', '患者さんの同意', '資格確認の結果'] as const;

function stepIndex(step: Step): number {
  return step.kind === 'reader' ? 0 : step.kind === 'consent' ? 1 : 2;
}

export function Reception() {
  const [institution, setInstitution] = useState<Institution>();
  const [step, setStep] = useState<Step>({ kind: 'reader' });
  const [asOf, setAsOf] = useState('');

  useEffect(() => {
    call(clinicApi.institution, {}).then(setInstitution, () => undefined);
  }, []);

  async function check(card: DemoCard, consent: boolean) {
    setStep({ kind: 'checking', card, consent });
    try {
      // The challenge is asked for only now, after the patient chose: it lives 60 s.
      const { challenge } = await call(clinicApi.issueCardChallenge, {});
      const signature = await signChallenge(card, challenge);
      const answer = await call(clinicApi.checkEligibility, {
        body: {
          cardAuthentication: { cardSerial: card.cardSerial, challenge, signature },
          consent: { medicalSubsidy: consent },
          ...(asOf ? { asOf } : {}),
        },
      });
      setStep({ kind: 'result', card, consent, answer });
    } catch (e) {
      setStep({ kind: 'failed', card, consent, code: e instanceof ApiError ? e.code : 'unexpected' });
    }
  }

  const next = () => setStep({ kind: 'reader' });

  return (
    <>
      <SkipLink />
      <Header title="医療機関システム　受付" subtitle={institution ? `${institution.name}（医療機関コード ${institution.institutionCode}）` : undefined}>
        <ClinicNav current="/" />
      </Header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-8">
        <Steps current={stepIndex(step)} />
        {step.kind === 'reader' && <Reader onCard={(card) => setStep({ kind: 'consent', card })} asOf={asOf} onAsOf={setAsOf} />}
        {step.kind === 'consent' && <Consent card={step.card} institution={institution} onAnswer={(consent) => check(step.card, consent)} onCancel={next} />}
        {step.kind === 'checking' && (
          <section aria-labelledby="checking-heading" className="mt-8">
            <FocusHeading id="checking-heading">資格を確認しています</FocusHeading>
            <div className="mt-4">
              <Spinner label="オンライン資格確認等システムに照会しています…" />
            </div>
          </section>
        )}
        {step.kind === 'result' && <Result card={step.card} answer={step.answer} onNext={next} onRetry={() => check(step.card, step.consent)} />}
        {step.kind === 'failed' && <Failed code={step.code} onNext={next} onRetry={() => check(step.card, step.consent)} />}
      </main>
    </>
  );
}

function Steps({ current }: { current: number }) {
  return (
    <nav aria-label="受付の手順">
      <ol className="flex flex-wrap gap-2 text-dns-16N-130 sm:gap-4">
        {STEPS.map((label, i) => (
          <li
            key={label}
            aria-current={i === current ? 'step' : undefined}
            className={`flex items-center gap-2 rounded-full border px-3 py-1 ${i === current ? 'border-blue-900 bg-blue-900 text-white' : i < current ? 'border-blue-900 text-blue-900' : 'border-solid-gray-420 text-solid-gray-700'}`}
          >
            <span aria-hidden="true" className="text-dns-16B-130">
              {i + 1}
            </span>
            {label}
            {i < current && <span className="sr-only">（完了）</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** Step 1: the simulated card reader, with the day to check eligibility for. */
function Reader({ onCard, asOf, onAsOf }: { onCard: (card: DemoCard) => void; asOf: string; onAsOf: (v: string) => void }) {
  return (
    <section aria-labelledby="reader-heading" className="mt-8">
      <FocusHeading id="reader-heading" testId="reader-heading">
        カードを読み取る
      </FocusHeading>
      <p className="mt-2">患者さんのマイナンバーカードをカードリーダーに置いてもらいます。このデモでは、置くカードを下の一覧から選びます。</p>

      <div className="mt-6 max-w-xs">
        <label htmlFor="as-of" className="label">
          基準日（任意）
        </label>
        <span id="as-of-hint" className="hint">
          空欄のときは今日の日付で確認します。
        </span>
        <input
          id="as-of"
          type="date"
          className="input"
          aria-describedby="as-of-hint"
          value={asOf}
          onChange={(e) => onAsOf(e.target.value)}
          data-testid="as-of"
        />
      </div>

      <CardReader onCard={onCard} />
    </section>
  );
}

/** Step 2: the patient's own screen on the reader. */
function Consent({
  card,
  institution,
  onAnswer,
  onCancel,
}: {
  card: DemoCard;
  institution?: Institution;
  onAnswer: (consent: boolean) => void;
  onCancel: () => void;
}) {
  return (
    <section aria-labelledby="consent-heading" className="mt-8">
      <div className="rounded-16 border-4 border-blue-900 bg-blue-50 p-6 sm:p-10" data-testid="consent-screen">
        <p className="text-dns-16B-130 text-blue-1000">カードリーダーの画面（患者さんご本人が操作してください）</p>
        <FocusHeading id="consent-heading" className="mt-4">
          同意の確認
        </FocusHeading>
        <p className="mt-2 text-std-16N-170">{card.name} さん</p>
        <p className="mt-6 text-std-24B-150" id="consent-question">
          公費医療費助成の資格情報を医療機関に提供しますか
        </p>
        <p className="mt-2 text-std-16N-170">
          提供すると、{institution?.name ?? 'この医療機関'}
          が、あなたの受給者証の情報（公費負担者番号、受給者番号、有効期間、自己負担上限額など）を確認できます。提供しなくても、受診はできます。
        </p>
        {/* biome-ignore lint/a11y/useSemanticElements: two buttons answering one question, not a form; role="group" names them by the question. */}
        <div className="mt-8 flex flex-wrap gap-4" role="group" aria-labelledby="consent-question">
          <button type="button" className="btn btn-primary btn-lg min-w-48" onClick={() => onAnswer(true)}>
            提供する
          </button>
          <button type="button" className="btn btn-secondary btn-lg min-w-48" onClick={() => onAnswer(false)}>
            提供しない
          </button>
        </div>
      </div>
      <button type="button" className="btn btn-tertiary mt-4" onClick={onCancel}>
        カードを取り出して最初に戻る
      </button>
    </section>
  );
}

/** Step 3: what the receptionist needs. */
function Result({ card, answer, onNext, onRetry }: { card: DemoCard; answer: EligibilityAnswer; onNext: () => void; onRetry: () => void }) {
  const reason = answer.status === 'not-eligible' ? REASONS[answer.reason ?? 'hub-refused'] : undefined;
  return (
    <section aria-labelledby="result-heading" className="mt-8" data-testid="result" data-status={answer.status} data-reason={answer.reason ?? ''}>
      <FocusHeading id="result-heading">資格確認の結果</FocusHeading>
      <dl className="mt-4 flex flex-wrap gap-x-8 gap-y-1 text-std-16N-170">
        <div className="flex gap-2">
          <dt className="font-bold">患者</dt>
          <dd>{card.name} さん</dd>
        </div>
        <div className="flex gap-2">
          <dt className="font-bold">基準日</dt>
          <dd>
            {formatWareki(answer.asOf)}（{formatSeireki(answer.asOf)}）
          </dd>
        </div>
      </dl>

      <div className="mt-6">
        {reason ? (
          <Banner tone={reason.tone} title={reason.title} testId="reason">
            <p>{reason.body}</p>
            <p className="mt-1 text-std-16N-170 text-solid-gray-700">
              理由コード: <span className="code">{answer.reason}</span>
            </p>
          </Banner>
        ) : (
          <Banner tone="success" title={`公費の受給者証があります（${answer.certificates.length}件）`} testId="eligible" />
        )}
      </div>

      {answer.certificates.length > 0 && (
        <ul className="mt-6 grid gap-6" aria-label="受給者証">
          {answer.certificates.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: one answer's list, never reordered; two certificates may share payer and recipient numbers.
            <li key={`${c.medicalSubsidyInsurerNumber}-${c.medicalSubsidyRecipientNumber}-${i}`}>
              <Certificate c={c} />
            </li>
          ))}
        </ul>
      )}

      <div className="mt-8 flex flex-wrap gap-4">
        <button type="button" className="btn btn-primary" onClick={onNext}>
          次の患者
        </button>
        {reason?.retry && (
          <button type="button" className="btn btn-secondary" onClick={onRetry}>
            もう一度照会する
          </button>
        )}
      </div>
    </section>
  );
}

const DESIGNATED: Record<EligibleCertificate['designatedInstitution'], { text: string; warn: boolean }> = {
  designated: { text: '当院は指定医療機関です', warn: false },
  'not-designated': { text: '当院は指定医療機関ではありません（この受給者証は当院では使えません）', warn: true },
  'not-restricted': { text: '指定医療機関の限定はありません', warn: false },
};

function Certificate({ c }: { c: EligibleCertificate }) {
  const designated = DESIGNATED[c.designatedInstitution];
  return (
    <article className="overflow-hidden rounded-12 border border-solid-gray-420 shadow-1" data-testid="certificate" aria-label={c.certificationName}>
      <div className="flex flex-wrap items-baseline justify-between gap-2 bg-blue-50 px-4 py-3 sm:px-6">
        <h2 className="text-std-22B-150">{c.certificationName}</h2>
        <p className="text-dns-14N-130 text-solid-gray-700">
          交付：
          <MunicipalityName code={c.municipalityCode} withCode />
        </p>
      </div>
      <div className="px-4 pb-2 sm:px-6">
        <dl>
          <CertificateRows c={c} />
          <Row term="支払い方法">
            {c.isAlwaysReimbursement ? (
              <span className="flex items-start gap-2 font-bold">
                <ToneIcon tone="warning" />
                {PAYMENT_WORDS.reimbursed}
              </span>
            ) : (
              <span>{PAYMENT_WORDS.atCounter}</span>
            )}
          </Row>
          <Row term="指定医療機関" testId="designated">
            <span className={`flex items-start gap-2 ${designated.warn ? 'font-bold' : ''}`}>
              <ToneIcon tone={designated.warn ? 'warning' : c.designatedInstitution === 'designated' ? 'success' : 'neutral'} />
              {designated.text}
            </span>
          </Row>
        </dl>
      </div>
    </article>
  );
}

function Failed({ code, onNext, onRetry }: { code: string; onNext: () => void; onRetry: () => void }) {
  const text = failureText(code);
  return (
    <section aria-labelledby="failed-heading" className="mt-8" data-testid="failed" data-code={code}>
      <FocusHeading id="failed-heading">資格確認の結果</FocusHeading>
      <div className="mt-6">
        <Banner tone="error" title={text.title}>
          <p>{text.body}</p>
        </Banner>
      </div>
      <div className="mt-8 flex flex-wrap gap-4">
        <button type="button" className="btn btn-primary" onClick={onRetry}>
          もう一度試す
        </button>
        <button type="button" className="btn btn-secondary" onClick={onNext}>
          最初に戻る（次の患者）
        </button>
      </div>
    </section>
  );
}
