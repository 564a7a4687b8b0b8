import { useEffect, useState } from 'react';
import { clinicApi } from '@pmh/protocol/api/clinic';
import { call, ApiError } from '../../shared/api.ts';
import { signChallenge, type DemoCard } from '../../shared/card.ts';
import { formatDateTime } from '../../shared/format.ts';
import { Banner, FocusHeading, Header, SkipLink, Spinner } from '../../shared/ui.tsx';
import { CardReader } from '../CardReader.tsx';
import { ConsentScreen, Failed, Steps } from '../Consent.tsx';
import { ClinicNav } from '../ClinicNav.tsx';
import type { Institution } from '../types.ts';
import { DoctorScreen } from './DoctorScreen.tsx';
import { VACCINATION_SCOPES } from './labels.ts';
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
        <Steps current={stepIndex(step)} labels={STEPS} name="予防接種の手順" />
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
            scopes={VACCINATION_SCOPES}
            note="同意しなくても、予防接種は受けられます（記録は紙の予診票で行います）。"
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

/** 有効期限 14:05 */
export function consentUntil(c: ConsentGranted): string {
  return formatDateTime(c.expiresAt);
}
