import { useState } from 'react';
import { clinicApi } from '@pmh/protocol/api/clinic';
import { ApiError, call } from '../../shared/api.ts';
import { signChallenge, type DemoCard } from '../../shared/card.ts';
import { Banner, FocusHeading, Spinner } from '../../shared/ui.tsx';
import { CardReader } from '../CardReader.tsx';
import { ConsentScreen, Failed } from '../Consent.tsx';
import type { Institution } from '../types.ts';
import type { ConsentGranted } from '../vaccination/types.ts';
import { CHECKUP_SCOPE_TEXT, CHECKUP_SCOPES } from './labels.ts';
import type { Questionnaire, RelayCheckups } from './types.ts';

/** What a check-in gives the checkup screens: the consent, and what the person agreed to show. */
export interface CheckedIn {
  consent: ConsentGranted;
  checkups: RelayCheckups;
  questionnaires: Questionnaire[];
}

type Step =
  | { kind: 'reader' }
  | { kind: 'consent'; card: DemoCard }
  | { kind: 'consenting'; card: DemoCard }
  | { kind: 'declined' }
  | { kind: 'failed'; card: DemoCard; code: string };

/**
 * The card on the reader (a child's card presented by the guardian), the person's consent on the
 * reader's screen (checkup.read, questionnaire.read, checkup.write in plain words), then the
 * checkups and 問診票 the consent shows, read once.
 */
export function CheckIn({
  institution,
  headingId,
  title,
  onCheckedIn,
  onCancel,
}: {
  institution?: Institution;
  headingId: string;
  title: string;
  onCheckedIn: (c: CheckedIn) => void;
  onCancel?: () => void;
}) {
  const [step, setStep] = useState<Step>({ kind: 'reader' });

  async function agree(card: DemoCard) {
    setStep({ kind: 'consenting', card });
    try {
      const { challenge } = await call(clinicApi.issueConsentChallenge, {});
      const signature = await signChallenge(card, challenge);
      const consent = await call(clinicApi.grantConsent, {
        body: { cardAuthentication: { cardSerial: card.cardSerial, challenge, signature }, scopes: CHECKUP_SCOPES },
      });
      const params = { consentId: consent.consentId };
      const [checkups, questionnaires] = await Promise.all([call(clinicApi.checkups, { params }), call(clinicApi.questionnaires, { params })]);
      onCheckedIn({ consent, checkups, questionnaires });
    } catch (e) {
      setStep({ kind: 'failed', card, code: e instanceof ApiError ? e.code : 'unexpected' });
    }
  }

  const restart = () => setStep({ kind: 'reader' });
  return (
    <>
      {step.kind === 'reader' && (
        <section aria-labelledby={headingId} className="mt-6">
          <FocusHeading id={headingId} level={2}>
            {title}
          </FocusHeading>
          <p className="mt-2">
            健診を受ける方のマイナンバーカードをカードリーダーに置いてもらいます（お子さんのときは、お子さんのカードを保護者の方が）。このデモでは、置くカードを下の一覧から選びます。
          </p>
          <CardReader onCard={(card) => setStep({ kind: 'consent', card })} />
          {onCancel && (
            <button type="button" className="btn btn-tertiary mt-4" onClick={onCancel}>
              受付をやめる
            </button>
          )}
        </section>
      )}
      {step.kind === 'consent' && (
        <ConsentScreen
          card={step.card}
          institution={institution}
          scopes={CHECKUP_SCOPES}
          scopeText={CHECKUP_SCOPE_TEXT}
          note="同意しなくても、健診は受けられます（結果は紙の健診票に記録します）。"
          onAgree={() => agree(step.card)}
          onDecline={() => setStep({ kind: 'declined' })}
          onCancel={restart}
        />
      )}
      {step.kind === 'consenting' && (
        <section aria-labelledby="consenting-heading" className="mt-8">
          <FocusHeading id="consenting-heading" level={2}>
            同意を登録しています
          </FocusHeading>
          <div className="mt-4">
            <Spinner label="マイナポータルでカードを確認しています…" />
          </div>
        </section>
      )}
      {step.kind === 'declined' && (
        <section aria-labelledby="declined-heading" className="mt-8" data-testid="declined">
          <FocusHeading id="declined-heading" level={2}>
            同意が得られませんでした
          </FocusHeading>
          <div className="mt-6">
            <Banner tone="neutral" title="健診の記録は表示しません">
              <p>PMH には照会していません。結果は紙の健診票に記録してください。</p>
            </Banner>
          </div>
          <button type="button" className="btn btn-primary mt-8" onClick={restart}>
            次の方
          </button>
        </section>
      )}
      {step.kind === 'failed' && <Failed code={step.code} what="健診" onRetry={() => setStep({ kind: 'consent', card: step.card })} onRestart={restart} />}
    </>
  );
}
