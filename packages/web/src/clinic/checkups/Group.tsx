import { useEffect, useRef, useState, type FormEvent } from 'react';
import { CHECKUP_KINDS, JUDGEMENTS, kindName } from '../../shared/checkup-labels.ts';
import { formatWareki, formatYen, todayInJapan } from '../../shared/format.ts';
import { Banner, FocusHeading } from '../../shared/ui.tsx';
import type { Institution } from '../types.ts';
import { formatAge } from '../vaccination/person.ts';
import { CheckIn, type CheckedIn } from './CheckIn.tsx';
import { QuestionnaireView, questionnaireFor } from './Individual.tsx';
import { GROUP_KINDS, SELF_PAID } from './labels.ts';
import { ResultForm } from './ResultForm.tsx';
import type { CheckupKind, CheckupPerson, Judgement, Questionnaire, Recorded, Voucher } from './types.ts';

/** A child checked in to the session: the consent (the only handle), whom it shows, and once seen, the 判定. */
interface Child {
  consentId: string;
  expiresAt: string;
  person: CheckupPerson;
  vouchers: Voucher[];
  questionnaire?: Questionnaire;
  seen?: { judgement: Judgement; payment: Recorded['payment']; voucherNumber?: string; subsidyCap?: number; selfPaidReason?: Recorded['selfPaidReason'] };
}

/** A group checkup session (集団健診): one kind, one day, the children checked in. */
interface Session {
  checkupKind: CheckupKind;
  date: string;
  venue: string;
  children: Child[];
}

/**
 * The session lives in this browser tab only (sessionStorage): it survives a reload and ends with the
 * tab or with 「セッションを終了」. Nothing of it is kept by the clinic system; each child's consent
 * ends within minutes at the portal.
 */
const STORAGE_KEY = 'pmh.clinic.checkup-session';
function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function Group({ institution, onBack }: { institution?: Institution; onBack: () => void }) {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  useEffect(() => {
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
  }, [session]);
  if (!session) return <OpenSession institution={institution} onOpen={setSession} onBack={onBack} />;
  return <SessionScreen institution={institution} session={session} onChange={setSession} onEnd={() => setSession(undefined)} />;
}

function OpenSession({ institution, onOpen, onBack }: { institution?: Institution; onOpen: (s: Session) => void; onBack: () => void }) {
  const today = todayInJapan();
  const [kind, setKind] = useState<CheckupKind>(GROUP_KINDS[0]!);
  const [venue, setVenue] = useState(institution?.name ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onOpen({ checkupKind: kind, date: today, venue: venue.trim(), children: [] });
  };
  return (
    <section aria-labelledby="open-heading" className="mt-6">
      <FocusHeading id="open-heading" level={2}>
        集団健診：セッションを始める
      </FocusHeading>
      <p className="mt-2">保健センターなどで行う集団健診です。健診の種類を選んで始めると、来場したお子さんを順に受付し、一人ずつ結果を入力できます。</p>
      <form onSubmit={submit} className="mt-6 grid max-w-xl gap-4" data-testid="open-session">
        <div>
          <label htmlFor="session-kind" className="label">
            健診の種類
          </label>
          <select id="session-kind" className="input" value={kind} onChange={(e) => setKind(e.target.value as CheckupKind)}>
            {GROUP_KINDS.map((k) => (
              <option key={k} value={k}>
                {CHECKUP_KINDS[k]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <span className="label">実施日</span>
          <p data-testid="session-date">{formatWareki(today)}（本日）</p>
        </div>
        <div>
          <label htmlFor="session-venue" className="label">
            会場
          </label>
          <input id="session-venue" className="input" autoComplete="off" maxLength={100} value={venue} onChange={(e) => setVenue(e.target.value)} />
        </div>
        <div className="flex flex-wrap gap-4">
          <button type="submit" className="btn btn-primary">
            セッションを始める
          </button>
          <button type="button" className="btn btn-tertiary" onClick={onBack}>
            戻る
          </button>
        </div>
      </form>
    </section>
  );
}

function SessionScreen({
  institution,
  session,
  onChange,
  onEnd,
}: {
  institution?: Institution;
  session: Session;
  onChange: (s: Session) => void;
  onEnd: () => void;
}) {
  const [checkingIn, setCheckingIn] = useState(false);
  const [activeId, setActiveId] = useState<string>();
  const [announce, setAnnounce] = useState('');
  const [expired, setExpired] = useState<string>();
  const checkInButton = useRef<HTMLButtonElement>(null);
  const waiting = session.children.filter((c) => !c.seen);
  const seen = session.children.filter((c) => c.seen);
  const active = waiting.find((c) => c.consentId === activeId) ?? waiting[0];

  function checkedIn(c: CheckedIn) {
    setCheckingIn(false);
    const person = c.checkups.person;
    if (!person) {
      setAnnounce('この方は母子保健の対象として登録されていません。結果は紙の健診票に記録してください。');
      return;
    }
    if (session.children.some((x) => !x.seen && x.person.displayName === person.displayName && x.person.dateOfBirth === person.dateOfBirth)) {
      setAnnounce(`${person.displayName} さんは受付済みです。`);
      return;
    }
    const child: Child = {
      consentId: c.consent.consentId,
      expiresAt: c.consent.expiresAt,
      person,
      vouchers: c.checkups.vouchers.filter((v) => v.status === 'unused' && v.checkupKind === session.checkupKind),
      questionnaire: questionnaireFor(c.questionnaires, session.checkupKind),
    };
    onChange({ ...session, children: [...session.children, child] });
    setAnnounce(`${person.displayName} さんを受付しました（待っている方 ${waiting.length + 1}人）。`);
  }

  function recorded(child: Child, r: Recorded) {
    const children = session.children.map((c) =>
      c.consentId === child.consentId
        ? {
            ...c,
            seen: { judgement: r.judgement, payment: r.payment, voucherNumber: r.voucherNumber, subsidyCap: r.subsidyCap, selfPaidReason: r.selfPaidReason },
          }
        : c,
    );
    onChange({ ...session, children });
    const next = children.find((c) => !c.seen);
    setActiveId(next?.consentId);
    setExpired(undefined);
    setAnnounce(
      `${child.person.displayName} さんの結果を記録しました（判定：${JUDGEMENTS[r.judgement]}、${r.payment === 'voucher' ? '受診券使用' : '自費'}）。${next ? `次は ${next.person.displayName} さんです。` : '待っている方はいません。'}`,
    );
    if (!next) checkInButton.current?.focus();
  }

  function removeExpired(child: Child) {
    onChange({ ...session, children: session.children.filter((c) => c.consentId !== child.consentId) });
    setExpired(child.person.displayName);
  }

  return (
    <div className="mt-6">
      <FocusHeading id="session-heading" level={2}>
        集団健診：{kindName(session.checkupKind)}
      </FocusHeading>
      <p className="mt-2 text-std-16N-170" data-testid="session-summary">
        {formatWareki(session.date)}
        {session.venue ? `・${session.venue}` : ''}　受付 {session.children.length}人（待っている方 {waiting.length}人・終了 {seen.length}人）
      </p>
      <p className="sr-only" role="status" aria-live="polite" data-testid="announce">
        {announce}
      </p>
      {announce && (
        <p className="mt-2 rounded-8 bg-blue-50 px-4 py-2 text-std-16N-170" aria-hidden="true">
          {announce}
        </p>
      )}
      {expired && (
        <div className="mt-4">
          <Banner tone="warning" title={`${expired} さんの同意の有効期限が切れました`} headingLevel={3}>
            <p>もう一度カードで受付してください。</p>
          </Banner>
        </div>
      )}

      <section aria-labelledby="checkin-heading" className="mt-8">
        <h2 id="checkin-heading" className="text-std-24B-150">
          受付
        </h2>
        {checkingIn ? (
          <CheckIn
            institution={institution}
            headingId="checkin-reader-heading"
            title="カードで受付する"
            onCheckedIn={checkedIn}
            onCancel={() => setCheckingIn(false)}
          />
        ) : (
          <button ref={checkInButton} type="button" className="btn btn-secondary mt-3" onClick={() => setCheckingIn(true)}>
            次のお子さんを受付する（カード）
          </button>
        )}
      </section>

      {!checkingIn && (
        <>
          <section aria-labelledby="waiting-heading" className="mt-8">
            <h2 id="waiting-heading" className="text-std-24B-150">
              待っている方（{waiting.length}人）
            </h2>
            {waiting.length === 0 ? (
              <p className="mt-3">待っている方はいません。</p>
            ) : (
              <ol className="mt-3 grid gap-2" data-testid="waiting">
                {waiting.map((c) => (
                  <li key={c.consentId} className={`rounded-8 border p-3 ${c === active ? 'border-2 border-blue-900 bg-blue-50' : 'border-solid-gray-420'}`}>
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <span>
                        <span className="text-std-16B-170">{c.person.displayName} さん</span>（{formatAge(c.person.dateOfBirth, session.date)}）
                        {c.vouchers[0] ? `受診券 ${c.vouchers[0].voucherNumber}` : '受診券なし'}
                        {c.questionnaire ? '・問診票あり' : ''}
                      </span>
                      {c === active ? (
                        <span className="text-std-16B-170 text-blue-1000">入力中</span>
                      ) : (
                        <button type="button" className="btn btn-tertiary" onClick={() => setActiveId(c.consentId)}>
                          この方を入力する
                        </button>
                      )}
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </section>

          {active && (
            <section aria-labelledby="entry-heading" className="mt-8 rounded-12 border-2 border-blue-900 p-4 sm:p-6" data-testid="group-entry">
              <h2 id="entry-heading" className="text-std-24B-150">
                {active.person.displayName} さんの結果
                <span className="block text-std-16N-170">
                  {formatAge(active.person.dateOfBirth, session.date)}・
                  {active.vouchers[0] ? `受診券 ${active.vouchers[0].voucherNumber}（助成上限 ${formatYen(active.vouchers[0].subsidyCap)}）` : '受診券なし'}
                </span>
              </h2>
              {active.questionnaire && (
                <details className="mt-3">
                  <summary className="cursor-pointer text-std-16B-170">事前に提出された問診票</summary>
                  <div className="mt-2">
                    <QuestionnaireView q={active.questionnaire} />
                  </div>
                </details>
              )}
              <div className="mt-4">
                <ResultForm
                  key={active.consentId}
                  consentId={active.consentId}
                  person={active.person}
                  kind={session.checkupKind}
                  date={session.date}
                  vouchers={active.vouchers}
                  questionnaire={active.questionnaire}
                  idPrefix={`child-${session.children.indexOf(active)}`}
                  submitLabel="記録して次の方へ"
                  autoFocus
                  onRecorded={(r) => recorded(active, r)}
                  onExpired={() => removeExpired(active)}
                />
              </div>
            </section>
          )}

          <section aria-labelledby="seen-heading" className="mt-8">
            <h2 id="seen-heading" className="text-std-24B-150">
              終了した方（{seen.length}人）
            </h2>
            {seen.length === 0 ? (
              <p className="mt-3">まだいません。</p>
            ) : (
              <table className="mt-3 w-full border-collapse text-left text-std-16N-170" data-testid="seen">
                <thead>
                  <tr className="border-b-2 border-solid-gray-420">
                    <th scope="col" className="py-2 pr-2">
                      お名前
                    </th>
                    <th scope="col" className="py-2 pr-2">
                      判定
                    </th>
                    <th scope="col" className="py-2">
                      支払い
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {seen.map((c) => (
                    <tr key={c.consentId} className="border-b border-solid-gray-200" data-judgement={c.seen!.judgement}>
                      <th scope="row" className="py-2 pr-2 font-normal">
                        {c.person.displayName} さん
                      </th>
                      <td className="py-2 pr-2">{JUDGEMENTS[c.seen!.judgement]}</td>
                      <td className="py-2">
                        {c.seen!.payment === 'voucher' ? `受診券 ${c.seen!.voucherNumber}` : `自費（${SELF_PAID[c.seen!.selfPaidReason ?? 'no-voucher']}）`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <button
            type="button"
            className="btn btn-tertiary mt-8"
            onClick={() => {
              if (waiting.length === 0 || window.confirm('待っている方がいます。セッションを終了しますか。')) onEnd();
            }}
          >
            セッションを終了する
          </button>
        </>
      )}
    </div>
  );
}
