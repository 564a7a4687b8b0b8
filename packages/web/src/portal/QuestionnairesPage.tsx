import { useState, type FormEvent } from 'react';
import { portalApi } from '@pmh/protocol/api/portal';
import { ApiError } from '../shared/api.ts';
import { formatDateTime, todayInJapan } from '../shared/format.ts';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { useActing, useForQuery } from './acting.ts';
import { LoadFailed } from './common.tsx';
import { QUESTIONNAIRE_STATUSES, label } from './labels.ts';
import { useLinkHandler } from './router.ts';
import { useApi, useResource } from './session.ts';
import type { Questionnaire, QuestionnaireItem } from './types.ts';

type Answer = Questionnaire['answers'][string];
type Answers = Record<string, Answer>;

/** 予診票・問診票: mine (or my child's), newest first; each opens to be filled in. */
export function QuestionnairesPage() {
  const forQuery = useForQuery();
  const { acting } = useActing();
  const onClick = useLinkHandler();
  const [loaded, reload] = useResource(portalApi.myQuestionnaires, { query: forQuery });
  return (
    <section aria-labelledby="questionnaires-heading">
      <FocusHeading id="questionnaires-heading">予診票・問診票</FocusHeading>
      <p className="mt-2">
        {acting ? `${acting.displayName}さん` : 'あなた'}
        の予診票（予防接種）と問診票（健診）です。前もって記入して提出しておくと、医療機関ではマイナンバーカードで読み取られます。新しい予診票は「予防接種」のページの予定から始められます。
      </p>
      <p className="mt-2">
        <a href="/vaccinations" onClick={onClick}>
          予防接種の予定から予診票を記入する
        </a>
      </p>
      <div className="mt-6">
        {loaded.state === 'loading' && <Spinner label="予診票を読み込んでいます…" />}
        {loaded.state === 'error' && <LoadFailed code={loaded.code} onRetry={reload} />}
        {loaded.state === 'ok' && loaded.data.length === 0 && <p>まだ予診票はありません。</p>}
        {loaded.state === 'ok' && loaded.data.length > 0 && (
          <ul className="grid gap-3" aria-label="予診票・問診票の一覧">
            {loaded.data.map((q) => (
              <li key={q.questionnaireId} className="rounded-8 border border-solid-gray-420 bg-white p-4" data-testid="questionnaire" data-status={q.status}>
                <a href={`/questionnaires/${q.questionnaireId}`} onClick={onClick} className="text-std-18B-160">
                  {q.title}
                </a>
                <p className="mt-1 text-std-16N-170">
                  <span className="font-bold">{label(QUESTIONNAIRE_STATUSES, q.status)}</span>
                  <span className="text-solid-gray-700">　更新 {formatDateTime(q.updatedAt)}</span>
                </p>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** Whether an item applies, given the answers to the items it follows (as the hub decides it). */
function enabled(item: QuestionnaireItem, answers: Answers, byId: Map<string, QuestionnaireItem>): boolean {
  if (!item.enabledWhen) return true;
  const parent = byId.get(item.enabledWhen.itemId);
  if (parent && !enabled(parent, answers, byId)) return false;
  const a = answers[item.enabledWhen.itemId];
  if (a === undefined) return false;
  const given = Array.isArray(a) ? a : [a];
  return given.some((x) => item.enabledWhen!.anyOf.includes(x as string | boolean));
}

/** The hub's messages, in the words of the form. */
function errorText(message: string): string {
  if (message === 'is required') return '回答してください。';
  if (message.startsWith('must be true or false')) return '「はい」か「いいえ」を選んでください。';
  if (message.startsWith('must be a number') || message.startsWith('must be a whole number')) return '数字で入力してください。';
  if (message.startsWith('must be at least') || message.startsWith('must be at most')) return `入力できる範囲を超えています（${message}）。`;
  if (message.startsWith('must not be after today')) return '今日より後の日付は入力できません。';
  if (message.includes('My Number')) return 'マイナンバー（個人番号）は書かないでください。';
  return `回答を確認してください（${message}）。`;
}

/** One questionnaire: its items by type, follow-ups only when their question was answered so; save as a draft, or submit. */
export function QuestionnaireFormPage({ id }: { id: string }) {
  const forQuery = useForQuery();
  const [loaded, reload] = useResource(portalApi.myQuestionnaires, { query: forQuery });
  if (loaded.state === 'loading') return <Spinner label="予診票を読み込んでいます…" />;
  if (loaded.state === 'error') return <LoadFailed code={loaded.code} onRetry={reload} />;
  const q = loaded.data.find((x) => x.questionnaireId === id);
  if (!q)
    return (
      <section aria-labelledby="questionnaire-heading">
        <FocusHeading id="questionnaire-heading">予診票が見つかりません</FocusHeading>
      </section>
    );
  return <QuestionnaireForm key={q.questionnaireId + q.updatedAt} q={q} />;
}

function QuestionnaireForm({ q }: { q: Questionnaire }) {
  const api = useApi();
  const forQuery = useForQuery();
  const onClick = useLinkHandler();
  const [current, setCurrent] = useState(q);
  const [answers, setAnswers] = useState<Answers>(q.answers);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; title: string }>();
  const byId = new Map(current.items.map((i) => [i.itemId, i]));
  const readOnly = current.status === 'used';
  const beforehand = current.items.filter((i) => i.answeredAt !== 'visit');
  const atVisit = current.items.filter((i) => i.answeredAt === 'visit');

  function set(itemId: string, v: Answer | undefined) {
    setAnswers((a) => {
      const next = { ...a };
      if (v === undefined) delete next[itemId];
      else next[itemId] = v;
      return next;
    });
  }

  async function save(submit: boolean) {
    setBusy(true);
    setNotice(undefined);
    // What applies and is answered; what was saved before and no longer applies is cleared (null).
    const change: Record<string, Answer | null> = {};
    for (const item of beforehand) {
      const on = enabled(item, answers, byId);
      if (on && answers[item.itemId] !== undefined) change[item.itemId] = answers[item.itemId];
      else if (current.answers[item.itemId] !== undefined) change[item.itemId] = null;
    }
    try {
      const saved = await api(portalApi.updateQuestionnaire, {
        params: { questionnaireId: current.questionnaireId },
        query: forQuery,
        body: { answers: change, ...(submit ? { submit: true } : {}) },
      });
      setCurrent(saved);
      setAnswers(saved.answers);
      setErrors({});
      setNotice({ tone: 'success', title: submit ? '提出しました。接種の当日まで変更できます。' : '一時保存しました。' });
    } catch (err) {
      const fields: Record<string, string> = {};
      if (err instanceof ApiError)
        for (const e of err.problem?.errors ?? []) {
          const m = /^\/answers\/(.+)$/.exec(e.pointer);
          if (m) fields[m[1]] = errorText(e.message);
        }
      setErrors(fields);
      setNotice({
        tone: 'error',
        title:
          err instanceof ApiError && err.code === 'questionnaire-used'
            ? 'この予診票は接種に使われたため、変更できません。'
            : Object.keys(fields).length > 0
              ? `回答を確認してください（${Object.keys(fields).length}件）。`
              : '保存できませんでした。しばらくしてから再度お試しください。',
      });
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save(true);
  }

  return (
    <section aria-labelledby="questionnaire-heading" className="max-w-3xl">
      <p>
        <a href="/questionnaires" onClick={onClick}>
          予診票・問診票の一覧に戻る
        </a>
      </p>
      <FocusHeading id="questionnaire-heading" className="mt-4">
        {current.title}
      </FocusHeading>
      <p className="mt-2" data-testid="questionnaire-status" data-status={current.status}>
        状態：<span className="font-bold">{label(QUESTIONNAIRE_STATUSES, current.status)}</span>
        {current.status === 'submitted' && '（接種の当日まで変更できます）'}
      </p>
      {notice && (
        <div className="mt-4" aria-live="polite">
          <Banner tone={notice.tone} role={notice.tone === 'error' ? 'alert' : 'status'} title={notice.title} testId="questionnaire-notice" />
        </div>
      )}
      <form onSubmit={onSubmit} className="mt-6 grid gap-4" noValidate>
        {beforehand.map((item) =>
          enabled(item, answers, byId) ? (
            <Field
              key={item.itemId}
              item={item}
              value={answers[item.itemId]}
              error={errors[item.itemId]}
              readOnly={readOnly}
              onChange={(v) => set(item.itemId, v)}
            />
          ) : null,
        )}
        {atVisit.length > 0 && (
          <div className="rounded-8 bg-solid-gray-50 p-4">
            <h2 className="text-std-18B-160">当日、医療機関で記入する項目</h2>
            <ul className="mt-2 list-disc pl-6">
              {atVisit.map((i) => (
                <li key={i.itemId}>{i.text}</li>
              ))}
            </ul>
          </div>
        )}
        {!readOnly && (
          <div className="flex flex-wrap gap-3">
            <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void save(false)}>
              一時保存
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              提出する
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function Field({
  item,
  value,
  error,
  readOnly,
  onChange,
}: {
  item: QuestionnaireItem;
  value: Answer | undefined;
  error?: string;
  readOnly: boolean;
  onChange: (v: Answer | undefined) => void;
}) {
  const id = `q-${item.itemId}`;
  const errorId = `${id}-error`;
  const described = error ? errorId : undefined;
  const required = item.required ? <span className="ml-2 text-dns-14B-130 text-error-1">必須</span> : <span className="ml-2 text-dns-14N-130">任意</span>;
  const errorLine = error && (
    <p id={errorId} className="mt-1 text-error-1" data-testid="field-error">
      {error}
    </p>
  );

  if (item.type === 'boolean' || (item.type === 'choice' && !item.multiple)) {
    const options: Array<{ value: string | boolean; label: string }> =
      item.type === 'boolean'
        ? [
            { value: true, label: 'はい' },
            { value: false, label: 'いいえ' },
          ]
        : (item.options ?? []).map((o) => ({ value: o.value, label: o.label }));
    return (
      <fieldset className="rounded-8 border border-solid-gray-420 bg-white p-4" aria-describedby={described} data-testid={`item-${item.itemId}`}>
        <legend className="float-left w-full text-std-16B-170">
          {item.text}
          {required}
        </legend>
        <div className="clear-left flex flex-wrap gap-x-6 gap-y-2 pt-2">
          {options.map((o) => (
            <label key={String(o.value)} className="flex min-h-11 items-center gap-2">
              <input type="radio" name={id} checked={value === o.value} disabled={readOnly} onChange={() => onChange(o.value)} className="h-6 w-6" />
              {o.label}
            </label>
          ))}
        </div>
        {errorLine}
      </fieldset>
    );
  }
  if (item.type === 'choice') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset className="rounded-8 border border-solid-gray-420 bg-white p-4" aria-describedby={described} data-testid={`item-${item.itemId}`}>
        <legend className="float-left w-full text-std-16B-170">
          {item.text}
          {required}
        </legend>
        <div className="clear-left grid gap-2 pt-2">
          {(item.options ?? []).map((o) => (
            <label key={o.value} className="flex min-h-11 items-center gap-2">
              <input
                type="checkbox"
                checked={chosen.includes(o.value)}
                disabled={readOnly}
                className="h-6 w-6"
                onChange={(e) => {
                  const next = e.target.checked
                    ? o.exclusive
                      ? [o.value]
                      : [...chosen.filter((c) => !item.options?.find((x) => x.value === c)?.exclusive), o.value]
                    : chosen.filter((c) => c !== o.value);
                  onChange(next.length ? next : undefined);
                }}
              />
              {o.label}
            </label>
          ))}
        </div>
        {errorLine}
      </fieldset>
    );
  }
  const text = value === undefined ? '' : String(value);
  return (
    <div className="rounded-8 border border-solid-gray-420 bg-white p-4" data-testid={`item-${item.itemId}`}>
      <label htmlFor={id} className="text-std-16B-170">
        {item.text}
        {required}
      </label>
      <div className="mt-2 flex items-center gap-2">
        {item.type === 'text' ? (
          <textarea
            id={id}
            className="input min-h-20 w-full"
            value={text}
            maxLength={item.maxLength}
            readOnly={readOnly}
            aria-describedby={described}
            aria-invalid={error ? true : undefined}
            onChange={(e) => onChange(e.target.value.trim() === '' ? undefined : e.target.value)}
          />
        ) : item.type === 'date' ? (
          <input
            id={id}
            type="date"
            className="input max-w-xs"
            value={text}
            max={todayInJapan()}
            readOnly={readOnly}
            aria-describedby={described}
            aria-invalid={error ? true : undefined}
            onChange={(e) => onChange(e.target.value || undefined)}
          />
        ) : (
          <>
            <input
              id={id}
              type="text"
              inputMode={item.decimals ? 'decimal' : 'numeric'}
              className="input max-w-40"
              value={text}
              readOnly={readOnly}
              aria-describedby={described}
              aria-invalid={error ? true : undefined}
              onChange={(e) => {
                const t = e.target.value.trim();
                onChange(t === '' ? undefined : Number.isNaN(Number(t)) ? (t as Answer) : Number(t));
              }}
            />
            {item.unit && <span>{item.unit}</span>}
          </>
        )}
      </div>
      {errorLine}
    </div>
  );
}
