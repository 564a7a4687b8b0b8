import { useEffect, useState } from 'react';
import { clinicApi } from '@pmh/protocol/api/clinic';
import { call, ApiError } from '../../shared/api.ts';
import { signChallenge, type DemoCard } from '../../shared/card.ts';
import { formatDateTime } from '../../shared/format.ts';
import { Banner, FocusHeading, Header, SkipLink, Spinner } from '../../shared/ui.tsx';
import { CardReader } from '../CardReader.tsx';
import { ClinicNav } from '../ClinicNav.tsx';
import type { Institution } from '../types.ts';
import { DoctorScreen } from './DoctorScreen.tsx';
import { SCOPE_TEXT, VACCINATION_SCOPES } from './labels.ts';
import type { ConsentGranted } from './types.ts';

/**
 * The clinic app's vaccination screen (医療機関用アプリ, seed B⑤): the person's card on the reader,
 * their consent on the reader's screen (the scopes in plain words), then the doctor's screen. The
 * consent lives minutes; the page keeps what it shows only while it shows it.
 */
type Step =
  | { kind: 'reader' }
  | { kind: 'consent'; card: DemoCard }
  | { kind: 'consenting'; card: DemoCard }
  | { kind: 'declined'; card: DemoCard }
  | { kind: 'failed'; card: DemoCard; code: string }
  | { kind: 'doctor'; card: DemoCard; consent: ConsentGranted };

const STEPS = ['カードの読み取り', 'ご本人の同意', '予診と接種の記録'] as const;

function stepIndex(step: Step): number {
  return step.kind === 'reader' ? 0 : step.kind === 'doctor' ? 2 : 1;
}

/** Why there is no consent, in the clinic's words: each its own title. */
export function consentFailure(code: string): { title: string; body: string } {
  switch (code) {
    case 'card-authentication-failed':
      return { title: 'カードを確認できませんでした', body: 'カードの読み取りをやり直してください。別のカードが置かれていないか確認してください。' };
    case 'challenge-invalid':
      return { title: 'カードの読み取りに時間がかかりすぎました', body: 'もう一度カードを置いて、同意の確認からやり直してください。' };
    case 'not-linked':
      return {
        title: 'PMHとの連携がまだありません',
        body: 'この方の予防接種の情報は、まだ PMH に連携されていません。接種券・母子健康手帳などで確認し、記録は紙の予診票で行ってください。',
      };
    case 'consent-expired':
      return { title: '同意の有効期限が切れました', body: 'もう一度カードを置いて、ご本人の同意を得てください。' };
    case 'portal-unavailable':
      return { title: 'マイナポータルに接続できません', body: 'しばらく待ってから、もう一度お試しください。' };
    case 'network':
      return { title: '通信できません', body: 'ネットワークの接続を確認して、もう一度お試しください。' };
    default:
      return { title: '同意を登録できませんでした', body: `もう一度お試しください（${code}）。` };
  }
}

export function Vaccination() {
  const [institution, setInstitution] = useState<Institution>();
  const [step, setStep] = useState<Step>({ kind: 'reader' });

  useEffect(() => {
    call(clinicApi.institution, {}).then(setInstitution, () => undefined);
  }, []);

  async function agree(card: DemoCard) {
    setStep({ kind: 'consenting', card });
    try {
      // Asked for only now, after the person chose: the challenge lives 60 s.
      const { challenge } = await call(clinicApi.issueConsentChallenge, {});
      const signature = await signChallenge(card, challenge);
      const consent = await call(clinicApi.grantConsent, {
        body: { cardAuthentication: { cardSerial: card.cardSerial, challenge, signature }, scopes: VACCINATION_SCOPES },
      });
      setStep({ kind: 'doctor', card, consent });
    } catch (e) {
      setStep({ kind: 'failed', card, code: e instanceof ApiError ? e.code : 'unexpected' });
    }
  }

  const restart = () => setStep({ kind: 'reader' });

  return (
    <>
      <SkipLink />
      <Header title="医療機関用アプリ　予防接種" subtitle={institution ? `${institution.name}（医療機関コード ${institution.institutionCode}）` : undefined}>
        <ClinicNav current="/vaccination" />
      </Header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-8">
        <Steps current={stepIndex(step)} />
        {step.kind === 'reader' && (
          <section aria-labelledby="reader-heading" className="mt-8">
            <FocusHeading id="reader-heading">カードを読み取る</FocusHeading>
            <p className="mt-2">
              接種を受ける方（お子さんのときは、お子さんのカードを保護者の方）にマイナンバーカードをカードリーダーに置いてもらいます。このデモでは、置くカードを下の一覧から選びます。
            </p>
            <CardReader onCard={(card) => setStep({ kind: 'consent', card })} />
          </section>
        )}
        {step.kind === 'consent' && (
          <ConsentScreen
            card={step.card}
            institution={institution}
            onAgree={() => agree(step.card)}
            onDecline={() => setStep({ kind: 'declined', card: step.card })}
            onCancel={restart}
          />
        )}
        {step.kind === 'consenting' && (
          <section aria-labelledby="consenting-heading" className="mt-8">
            <FocusHeading id="consenting-heading">同意を登録しています</FocusHeading>
            <div className="mt-4">
              <Spinner label="マイナポータルでカードを確認しています…" />
            </div>
          </section>
        )}
        {step.kind === 'declined' && (
          <section aria-labelledby="declined-heading" className="mt-8" data-testid="declined">
            <FocusHeading id="declined-heading">同意が得られませんでした</FocusHeading>
            <div className="mt-6">
              <Banner tone="neutral" title="予防接種の記録は表示しません">
                <p>PMH には照会していません。接種歴は母子健康手帳などで確認し、記録は紙の予診票で行ってください。</p>
              </Banner>
            </div>
            <button type="button" className="btn btn-primary mt-8" onClick={restart}>
              次の方
            </button>
          </section>
        )}
        {step.kind === 'failed' && <Failed code={step.code} onRetry={() => setStep({ kind: 'consent', card: step.card })} onRestart={restart} />}
        {step.kind === 'doctor' && (
          <DoctorScreen
            key={step.consent.consentId}
            consent={step.consent}
            onDone={restart}
            onExpired={() => setStep({ kind: 'failed', card: step.card, code: 'consent-expired' })}
          />
        )}
      </main>
    </>
  );
}

function Steps({ current }: { current: number }) {
  return (
    <nav aria-label="予防接種の手順">
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

/** The person's own screen on the reader: what this institution may see and write, and two answers. */
function ConsentScreen({
  card,
  institution,
  onAgree,
  onDecline,
  onCancel,
}: {
  card: DemoCard;
  institution?: Institution;
  onAgree: () => void;
  onDecline: () => void;
  onCancel: () => void;
}) {
  return (
    <section aria-labelledby="consent-heading" className="mt-8">
      <div className="rounded-16 border-4 border-blue-900 bg-blue-50 p-6 sm:p-10" data-testid="consent-screen">
        <p className="text-dns-16B-130 text-blue-1000">カードリーダーの画面（ご本人または保護者の方が操作してください）</p>
        <FocusHeading id="consent-heading" className="mt-4">
          同意の確認
        </FocusHeading>
        <p className="mt-2 text-std-16N-170">{card.name} さん</p>
        <p className="mt-6 text-std-24B-150" id="consent-question">
          {institution?.name ?? 'この医療機関'}に、次のことを許可しますか
        </p>
        <ul className="mt-4 grid gap-3" aria-label="許可する内容" data-testid="consent-scopes">
          {VACCINATION_SCOPES.map((s) => (
            <li key={s} className="rounded-8 border border-blue-900 bg-white p-4" data-scope={s}>
              <p className="text-std-18B-160">{SCOPE_TEXT[s].title}</p>
              <p className="mt-1 text-std-16N-170">{SCOPE_TEXT[s].detail}</p>
            </li>
          ))}
        </ul>
        <p className="mt-4 text-std-16N-170">
          許可は10分ほどで自動的に終わります。医療機関が見たこと・記録したことは、マイナポータルの「閲覧記録」で確認できます。同意しなくても、予防接種は受けられます（記録は紙の予診票で行います）。
        </p>
        {/* biome-ignore lint/a11y/useSemanticElements: two buttons answering one question, not a form; role="group" names them by the question. */}
        <div className="mt-8 flex flex-wrap gap-4" role="group" aria-labelledby="consent-question">
          <button type="button" className="btn btn-primary btn-lg min-w-48" onClick={onAgree}>
            同意する
          </button>
          <button type="button" className="btn btn-secondary btn-lg min-w-48" onClick={onDecline}>
            同意しない
          </button>
        </div>
      </div>
      <button type="button" className="btn btn-tertiary mt-4" onClick={onCancel}>
        カードを取り出して最初に戻る
      </button>
    </section>
  );
}

function Failed({ code, onRetry, onRestart }: { code: string; onRetry: () => void; onRestart: () => void }) {
  const text = consentFailure(code);
  return (
    <section aria-labelledby="failed-heading" className="mt-8" data-testid="consent-failed" data-code={code}>
      <FocusHeading id="failed-heading">{text.title}</FocusHeading>
      <div className="mt-6">
        <Banner tone="error" title={text.title}>
          <p>{text.body}</p>
        </Banner>
      </div>
      <div className="mt-8 flex flex-wrap gap-4">
        {code !== 'not-linked' && (
          <button type="button" className="btn btn-primary" onClick={onRetry}>
            同意の確認からやり直す
          </button>
        )}
        <button type="button" className="btn btn-secondary" onClick={onRestart}>
          最初に戻る（次の方）
        </button>
      </div>
    </section>
  );
}

/** 有効期限 14:05 */
export function consentUntil(c: ConsentGranted): string {
  return formatDateTime(c.expiresAt);
}
