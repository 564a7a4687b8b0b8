import { useState } from 'react';
import { CHECKUP_KINDS, kindName } from '../../shared/checkup-labels.ts';
import { GrowthSection, ResultCard, VoucherCard } from '../../shared/checkups.tsx';
import { formatDateTime, formatSeireki, formatWareki, formatYen, todayInJapan } from '../../shared/format.ts';
import { Banner, FocusHeading } from '../../shared/ui.tsx';
import { Failed } from '../Consent.tsx';
import type { Institution } from '../types.ts';
import { formatAge } from '../vaccination/person.ts';
import { Section } from '../vaccination/DoctorScreen.tsx';
import { answerText, shownItems } from '../vaccination/questionnaire.ts';
import { CheckIn, type CheckedIn } from './CheckIn.tsx';
import { ALL_KINDS, SELF_PAID } from './labels.ts';
import { ResultForm } from './ResultForm.tsx';
import type { CheckupKind, CheckupPerson, Questionnaire, Recorded } from './types.ts';

const SEX: Record<string, string> = { '1': '男', '2': '女' };

/** The 問診票 submitted for this checkup kind (the newest), if any. */
export function questionnaireFor(qs: readonly Questionnaire[], kind: CheckupKind): Questionnaire | undefined {
  return qs.find((q) => q.process === 'maternal-child' && q.checkupKind === kind && q.status === 'submitted');
}

/** The person as the venue recognises them: name, date of birth, age today, sex. */
export function PersonPanel({ person, today }: { person: CheckupPerson; today: string }) {
  return (
    <section aria-labelledby="person-heading" className="mt-6 rounded-12 border-2 border-blue-900 p-4 sm:p-6" data-testid="person">
      <h2 id="person-heading" className="text-std-24B-150">
        <span className="sr-only">健診を受ける方：</span>
        {person.displayName} さん
      </h2>
      <dl className="mt-2 flex flex-wrap gap-x-8 gap-y-1 text-std-16N-170">
        <div className="flex gap-2">
          <dt className="whitespace-nowrap font-bold">生年月日</dt>
          <dd>
            {formatWareki(person.dateOfBirth)}（{formatSeireki(person.dateOfBirth)}）
          </dd>
        </div>
        <div className="flex gap-2">
          <dt className="whitespace-nowrap font-bold">年齢</dt>
          <dd data-testid="age">{formatAge(person.dateOfBirth, today)}</dd>
        </div>
        <div className="flex gap-2">
          <dt className="whitespace-nowrap font-bold">性別</dt>
          <dd>{SEX[person.sex] ?? '—'}</dd>
        </div>
      </dl>
    </section>
  );
}

/** A submitted 問診票's answers, item by item (what the family wrote beforehand). */
export function QuestionnaireView({ q }: { q: Questionnaire }) {
  return (
    <dl className="divide-y divide-solid-gray-200 rounded-8 border border-solid-gray-420" data-testid="checkup-questionnaire">
      {shownItems(q).map(({ item, value }) => (
        <div key={item.itemId} className="grid gap-1 px-4 py-2 sm:grid-cols-[1fr_12rem]">
          <dt className="text-std-16N-170">{item.text}</dt>
          <dd className="text-std-16B-170">{answerText(item, value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** What was recorded, and how it is paid: the voucher used, or 自費 with the reason. */
export function RecordedPanel({ r, name }: { r: Recorded; name: string }) {
  return (
    <div role="status" data-testid="recorded" data-payment={r.payment}>
      <Banner tone="success" title={`${name} さんの${kindName(r.checkupKind, r.sequence)}の結果を記録しました`} headingLevel={3}>
        <p>
          {r.payment === 'voucher'
            ? `受診券 ${r.voucherNumber} を使用しました（助成上限 ${formatYen(r.subsidyCap ?? 0)}）。`
            : `自費です：${SELF_PAID[r.selfPaidReason ?? 'no-voucher']}。`}
        </p>
        {r.warnings.length > 0 && (
          <p className="mt-1">
            確認：
            {r.warnings.map((w) => (w.code === 'outside-target-window' ? '対象の月齢・週数の外の受診です' : '妊娠週数が予定日からの週数と違います')).join('、')}
          </p>
        )}
      </Banner>
    </div>
  );
}

type Step = { kind: 'checkin' } | { kind: 'expired' } | { kind: 'venue'; c: CheckedIn; checkupKind: CheckupKind; recorded?: Recorded };

/** The first kind the person has an unused voucher for; otherwise the first kind. */
function likelyKind(c: CheckedIn): CheckupKind {
  const unused = c.checkups.vouchers.find((v) => v.status === 'unused');
  return (unused?.checkupKind as CheckupKind | undefined) ?? ALL_KINDS[0]!;
}

/**
 * An individual checkup at a clinic (個別健診): the card and consent, then the person with their age,
 * the 問診票 they submitted, the vouchers still unused, the previous results and — for a child — the
 * growth chart; then today's result, recorded with its voucher (used once) or as 自費.
 */
export function Individual({ institution, onBack }: { institution?: Institution; onBack: () => void }) {
  const today = todayInJapan();
  const [step, setStep] = useState<Step>({ kind: 'checkin' });
  const next = () => setStep({ kind: 'checkin' });

  if (step.kind === 'checkin')
    return (
      <>
        <CheckIn
          institution={institution}
          headingId="individual-reader-heading"
          title="個別健診：カードを読み取る"
          onCheckedIn={(c) => setStep({ kind: 'venue', c, checkupKind: likelyKind(c) })}
          onCancel={onBack}
        />
      </>
    );
  if (step.kind === 'expired') return <Failed code="consent-expired" what="健診" onRetry={next} onRestart={next} />;

  const { c, checkupKind, recorded } = step;
  const person = c.checkups.person;
  const unused = c.checkups.vouchers.filter((v) => v.status === 'unused');
  const questionnaire = questionnaireFor(c.questionnaires, checkupKind);
  return (
    <div className="mt-6">
      <FocusHeading id="venue-heading" level={2}>
        個別健診
      </FocusHeading>
      <p className="mt-2 text-std-16N-170 text-solid-gray-700" data-testid="consent-until">
        ご本人の同意の有効期限：{formatDateTime(c.consent.expiresAt)}（過ぎたら、もう一度カードを読み取ります）
      </p>
      {!person ? (
        <div className="mt-6">
          <Banner tone="warning" title="母子保健の登録がありません">
            <p>この方は、市区町村の母子保健（受診券・健診）の対象として登録されていません。結果は紙の健診票に記録してください。</p>
          </Banner>
        </div>
      ) : (
        <>
          <PersonPanel person={person} today={today} />
          <Section id="kind-heading" title="今日の健診">
            <div className="max-w-xl">
              <label htmlFor="checkup-kind" className="label">
                健診の種類
              </label>
              <select
                id="checkup-kind"
                className="input"
                value={checkupKind}
                disabled={recorded !== undefined}
                onChange={(e) => setStep({ ...step, checkupKind: e.target.value as CheckupKind })}
              >
                {ALL_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {CHECKUP_KINDS[k]}
                  </option>
                ))}
              </select>
            </div>
          </Section>
          <Section id="questionnaire-heading" title="問診票">
            {questionnaire ? (
              <QuestionnaireView q={questionnaire} />
            ) : (
              <p data-testid="no-questionnaire">この健診の問診票は提出されていません。紙の問診票で確認してください。</p>
            )}
          </Section>
          <Section id="unused-heading" title="使える受診券">
            {unused.length === 0 ? (
              <p>使える受診券はありません（今日の健診は自費になります）。</p>
            ) : (
              <ul className="grid gap-4 sm:grid-cols-2" aria-label="使える受診券">
                {unused.map((v) => (
                  <li key={`${v.municipalityCode}-${v.voucherNumber}`}>
                    <VoucherCard v={v} />
                  </li>
                ))}
              </ul>
            )}
          </Section>
          {c.checkups.growth && (
            <div className="mt-8">
              <GrowthSection height={c.checkups.growth.height} weight={c.checkups.growth.weight} />
            </div>
          )}
          <Section id="previous-heading" title="これまでの健診結果">
            {c.checkups.results.length === 0 ? (
              <p>これまでの健診結果はありません。</p>
            ) : (
              <details data-testid="previous-results">
                <summary className="cursor-pointer text-std-16B-170">これまでの結果（{c.checkups.results.length}件、新しい順）</summary>
                <ul className="mt-4 grid gap-4">
                  {c.checkups.results.map((r) => (
                    <li key={r.resultId}>
                      <ResultCard r={r} />
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </Section>
          <Section id="entry-heading" title={`今日の結果（${kindName(checkupKind)}・${formatWareki(today)}）`}>
            {recorded ? (
              <>
                <RecordedPanel r={recorded} name={person.displayName} />
                <button type="button" className="btn btn-primary mt-6" onClick={next}>
                  次の方
                </button>
              </>
            ) : (
              <ResultForm
                key={checkupKind}
                consentId={c.consent.consentId}
                person={person}
                kind={checkupKind}
                date={today}
                vouchers={c.checkups.vouchers}
                questionnaire={questionnaire}
                idPrefix="individual"
                onRecorded={(r) => setStep({ ...step, recorded: r })}
                onExpired={() => setStep({ kind: 'expired' })}
              />
            )}
          </Section>
        </>
      )}
    </div>
  );
}
