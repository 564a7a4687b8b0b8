import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { clinicApi } from '@pmh/protocol/api/clinic';
import { call, ApiError } from '../../shared/api.ts';
import { formatDateTime, formatSeireki, formatWareki, todayInJapan } from '../../shared/format.ts';
import { Banner, FocusHeading, Spinner, ToneIcon } from '../../shared/ui.tsx';
import { ErrorText, Field } from './fields.tsx';
import { RecordFields, emptyRecordForm, fromRecorded } from './RecordFields.tsx';
import { FORECAST_STATUS, RECORD_SOURCE, RECORD_STATUS, ROUTES, SEX, WARNING_TITLES, doseLabel, vaccineName } from './labels.ts';
import { formatAge } from './person.ts';
import { answerText, shownItems } from './questionnaire.ts';
import {
  noDoseReason,
  toOverrides,
  toRecord,
  validateAssessment,
  validateOverrides,
  validateRecord,
  type AssessmentForm,
  type FieldErrors,
  type Overrides,
  type RecordForm,
} from './record-form.ts';
import type { ConsentGranted, ForecastEntry, Questionnaire, Recorded, RelayVaccinations, VaccinationRecord, Warning } from './types.ts';

type Loaded = { state: 'loading' } | { state: 'error'; code: string } | { state: 'ok'; vax: RelayVaccinations; questionnaires: Questionnaire[] };

/** A planned dose is one entry of the forecast, named by vaccine, series and dose. */
const planKey = (e: { vaccineCode: string; series?: string; doseNumber: number }) => `${e.vaccineCode}/${e.series ?? ''}/${e.doseNumber}`;

/** What a 400 or 422 names by JSON pointer, as our field ids (`overrides` in the order of `warnings`). */
function fieldsOf(err: ApiError, warnings: Warning[] = []): FieldErrors {
  const out: FieldErrors = {};
  for (const e of err.problem?.errors ?? []) {
    const m = /^\/(record|assessment)\/([A-Za-z]+)/.exec(e.pointer);
    if (m) out[m[1] === 'assessment' ? `assessment-${m[2]}` : m[2]!] = e.message;
    const o = /^\/overrides\/(\d+)\//.exec(e.pointer);
    const w = o ? warnings[Number(o[1])] : undefined;
    if (w) out[`override-${w.code}`] = '上書きする理由を入力してください。';
  }
  return out;
}

/**
 * The doctor's screen: who is here, what they answered on the 予診票, what they have had and what is
 * due, today's dose with the schedule check (each warning overridden with a reason before recording),
 * the examination (体温, 接種可/不可), the record (lot and expiry from the scanned barcode), and after
 * it a same-day correction or cancellation.
 */
export function DoctorScreen({ consent, onDone, onExpired }: { consent: ConsentGranted; onDone: () => void; onExpired: () => void }) {
  const today = todayInJapan();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const [planned, setPlanned] = useState('');
  const [questionnaireId, setQuestionnaireId] = useState('');
  const [warnings, setWarnings] = useState<Warning[]>();
  const [checking, setChecking] = useState(false);
  const [overrides, setOverrides] = useState<Overrides>({});
  const [assessment, setAssessment] = useState<AssessmentForm>({ temperatureC: '', fit: '', doctorName: '' });
  const [form, setForm] = useState<RecordForm>(() => emptyRecordForm(today));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [recorded, setRecorded] = useState<Recorded>();
  const [finishedWithoutDose, setFinishedWithoutDose] = useState<string>();
  const idempotencyKey = useRef<string>(crypto.randomUUID());
  const summary = useRef<HTMLDivElement>(null);

  const failed = useCallback(
    (e: unknown) => {
      const code = e instanceof ApiError ? e.code : 'unexpected';
      if (code === 'consent-expired' || code === 'consent-not-found') onExpired();
      return code;
    },
    [onExpired],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger: changing it fetches again.
  useEffect(() => {
    let live = true;
    Promise.all([
      call(clinicApi.vaccinations, { params: { consentId: consent.consentId } }),
      call(clinicApi.questionnaires, { params: { consentId: consent.consentId } }),
    ]).then(
      ([vax, questionnaires]) => live && setLoaded({ state: 'ok', vax, questionnaires }),
      (e) => live && setLoaded({ state: 'error', code: failed(e) }),
    );
    return () => {
      live = false;
    };
  }, [consent.consentId, round, failed]);

  if (loaded.state === 'loading')
    return (
      <section className="mt-8" aria-labelledby="loading-heading">
        <FocusHeading id="loading-heading">予診と接種の記録</FocusHeading>
        <div className="mt-4">
          <Spinner label="接種歴と予診票を読み込んでいます…" />
        </div>
      </section>
    );
  if (loaded.state === 'error')
    return (
      <section className="mt-8" aria-labelledby="load-failed-heading">
        <FocusHeading id="load-failed-heading">予診と接種の記録</FocusHeading>
        <div className="mt-6">
          <Banner tone="error" role="alert" title="接種歴を読み込めませんでした">
            <p>しばらく待ってから、もう一度お試しください（{loaded.code}）。</p>
          </Banner>
        </div>
        <button type="button" className="btn btn-primary mt-6" onClick={() => setRound((r) => r + 1)}>
          もう一度読み込む
        </button>
      </section>
    );

  const { vax, questionnaires } = loaded;
  const options = vax.forecast.filter((f) => f.status === 'due' || f.status === 'overdue' || f.status === 'upcoming');
  const plan = options.find((f) => planKey(f) === planned);
  const vaccinationQuestionnaires = questionnaires.filter((q) => q.process === 'vaccination' && q.status !== 'draft');
  const questionnaire = vaccinationQuestionnaires.find((q) => q.questionnaireId === questionnaireId);
  const noDose = noDoseReason(assessment);
  const reload = () => setRound((r) => r + 1);

  const setField = (k: keyof RecordForm, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    // The lot, expiry or date changed: the check must be run again.
    if (k === 'lotNumber' || k === 'expirationDate' || k === 'date') setWarnings(undefined);
  };

  /** Choosing today's dose checks it at once: the doctor sees the warnings before anything else. */
  function choosePlan(key: string) {
    setPlanned(key);
    setWarnings(undefined);
    setOverrides({});
    const entry = options.find((f) => planKey(f) === key);
    if (entry) void check(entry);
  }

  function chooseQuestionnaire(id: string) {
    setQuestionnaireId(id);
    const q = vaccinationQuestionnaires.find((x) => x.questionnaireId === id);
    const match = q && options.find((f) => f.vaccineCode === q.vaccineCode && f.doseNumber === q.doseNumber);
    if (match) choosePlan(planKey(match));
    const t = q?.answers.temperature;
    if (typeof t === 'number' && assessment.temperatureC === '') setAssessment((a) => ({ ...a, temperatureC: String(t) }));
  }

  async function check(dose: ForecastEntry | undefined = plan): Promise<Warning[] | undefined> {
    if (!dose) {
      setErrors({ planned: '今日接種するワクチンと回数を選んでください。' });
      return undefined;
    }
    setChecking(true);
    try {
      const r = await call(clinicApi.checkDose, {
        params: { consentId: consent.consentId },
        body: {
          vaccineCode: dose.vaccineCode,
          doseNumber: dose.doseNumber,
          ...(dose.series ? { series: dose.series } : {}),
          date: form.date,
          ...(form.lotNumber.trim() ? { lotNumber: form.lotNumber.trim() } : {}),
          ...(form.expirationDate ? { expirationDate: form.expirationDate } : {}),
        },
      });
      setWarnings(r.warnings);
      return r.warnings;
    } catch (e) {
      setFailure(failed(e));
      return undefined;
    } finally {
      setChecking(false);
    }
  }

  function showErrors(e: FieldErrors) {
    setErrors(e);
    requestAnimationFrame(() => summary.current?.focus());
  }

  async function submit() {
    setFailure(undefined);
    const e: FieldErrors = {};
    if (!plan) e.planned = '今日接種するワクチンと回数を選んでください。';
    for (const [k, v] of Object.entries(validateAssessment(assessment))) e[`assessment-${k}`] = v;
    if (noDose) {
      if (Object.keys(e).length > 0 && !(Object.keys(e).length === 1 && e.planned)) return showErrors(e);
      setFinishedWithoutDose(noDose === 'fever' ? '37.5℃以上の発熱があるため、本日は接種しません。' : '医師の判断により、本日は接種を見合わせます。');
      return;
    }
    Object.assign(e, validateRecord({ ...form, doctorName: form.doctorName || assessment.doctorName }, today));
    if (Object.keys(e).length > 0) return showErrors(e);
    let current = warnings;
    if (!current) current = await check();
    if (!current) return;
    const o = validateOverrides(current, overrides);
    if (Object.keys(o).length > 0) return showErrors(o);
    setErrors({});
    setSubmitting(true);
    try {
      const r = await call(clinicApi.recordVaccination, {
        params: { consentId: consent.consentId },
        headers: { 'idempotency-key': idempotencyKey.current },
        body: {
          ...(questionnaire ? { questionnaireId: questionnaire.questionnaireId } : {}),
          assessment: { temperatureC: Number(assessment.temperatureC), fit: assessment.fit === 'fit', doctorName: assessment.doctorName.trim() },
          record: toRecord({ ...form, doctorName: form.doctorName || assessment.doctorName }, plan!),
          ...(current.length > 0 ? { overrides: toOverrides(current, overrides) } : {}),
        },
      });
      if (r.recorded) {
        setRecorded(r);
        idempotencyKey.current = crypto.randomUUID();
        reload();
      } else setFinishedWithoutDose(r.message);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && Array.isArray((err.problem as { warnings?: unknown })?.warnings)) {
        const w = (err.problem as { warnings: Warning[] }).warnings;
        setWarnings(w);
        showErrors(validateOverrides(w, overrides));
      } else if (err instanceof ApiError && (err.status === 400 || err.status === 422) && Object.keys(fieldsOf(err, current)).length > 0) {
        showErrors(fieldsOf(err, current));
      } else setFailure(failed(err));
    } finally {
      setSubmitting(false);
    }
  }

  const errorList = Object.entries(errors);

  return (
    <div className="mt-8">
      <FocusHeading id="doctor-heading">予診と接種の記録</FocusHeading>
      <p className="mt-2 text-std-16N-170 text-solid-gray-700" data-testid="consent-until">
        ご本人の同意の有効期限：{formatDateTime(consent.expiresAt)}（過ぎたら、もう一度カードを読み取ります）
      </p>

      <PersonPanel vax={vax} today={today} />

      <Section id="questionnaire-heading" title="予診票">
        {vaccinationQuestionnaires.length === 0 ? (
          <p data-testid="no-questionnaire">提出された予診票はありません。紙の予診票で確認してください。</p>
        ) : (
          <>
            <div className="max-w-xl">
              <label htmlFor="questionnaire" className="label">
                今日の予診票
              </label>
              <select id="questionnaire" className="input" value={questionnaireId} onChange={(e) => chooseQuestionnaire(e.target.value)}>
                <option value="">選んでください</option>
                {vaccinationQuestionnaires.map((q) => (
                  <option key={q.questionnaireId} value={q.questionnaireId}>
                    {vaccineName(q.vaccineCode ?? '')} {q.doseNumber ? `${q.doseNumber}回目` : ''}（{q.status === 'used' ? '使用済み' : '提出済み'}・
                    {formatDateTime(q.updatedAt)}）
                  </option>
                ))}
              </select>
            </div>
            {questionnaire && <QuestionnaireAnswers q={questionnaire} />}
          </>
        )}
      </Section>

      <Section id="history-heading" title="接種歴">
        <History records={vax.records} />
      </Section>

      <Section id="forecast-heading" title="接種予定">
        <Forecast forecast={vax.forecast} />
      </Section>

      {finishedWithoutDose ? (
        <section aria-labelledby="no-dose-heading" className="mt-10" data-testid="no-dose">
          <FocusHeading id="no-dose-heading" level={2}>
            本日は接種しません
          </FocusHeading>
          <div className="mt-4">
            <Banner tone="warning" title="接種記録は登録していません">
              <p>{finishedWithoutDose}</p>
            </Banner>
          </div>
          <button type="button" className="btn btn-primary mt-6" onClick={onDone}>
            次の方
          </button>
        </section>
      ) : recorded ? (
        <RecordedPanel consent={consent} recorded={recorded} today={today} onChanged={(r) => (setRecorded(r), reload())} onDone={onDone} onFailed={failed} />
      ) : (
        <form
          noValidate
          className="mt-10"
          aria-labelledby="today-heading"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <h2 id="today-heading" className="text-std-24B-150">
            今日の接種
          </h2>

          {errorList.length > 0 && (
            <div ref={summary} tabIndex={-1} className="mt-4 focus-visible:outline-none" data-testid="error-summary">
              <Banner tone="error" role="alert" title={`入力を確認してください（${errorList.length}件）`}>
                <ul className="list-disc pl-5">
                  {errorList.map(([k, v]) => (
                    <li key={k}>
                      <a href={`#${k}`}>{v}</a>
                    </li>
                  ))}
                </ul>
              </Banner>
            </div>
          )}
          {failure && (
            <div className="mt-4">
              <Banner tone="error" role="alert" title="記録できませんでした" testId="record-failed">
                <p>しばらく待ってから、もう一度お試しください（{failure}）。</p>
              </Banner>
            </div>
          )}

          <fieldset className="mt-6 rounded-12 border border-solid-gray-420 p-4 sm:p-6">
            <legend className="px-2 text-std-20B-150">接種するワクチン</legend>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                id="planned"
                label="ワクチンと回数"
                error={errors.planned}
                hint="接種予定から選ぶと、スケジュールを確認します。予診票を選ぶと、その予診票の回が選ばれます。"
              >
                {(p) => (
                  <select {...p} className="input" value={planned} onChange={(e) => choosePlan(e.target.value)}>
                    <option value="">選んでください</option>
                    {options.map((f) => (
                      <option key={planKey(f)} value={planKey(f)}>
                        {vaccineName(f.vaccineCode)} {doseLabel(f)}（{FORECAST_STATUS[f.status]}）
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="date" label="接種日" error={errors.date}>
                {(p) => <input {...p} type="date" className="input" max={today} value={form.date} onChange={(e) => setField('date', e.target.value)} />}
              </Field>
            </div>
            <div className="mt-4">
              <button type="button" className="btn btn-secondary" disabled={checking} onClick={() => void check()}>
                {checking ? '確認しています…' : warnings ? 'もう一度確認する' : 'スケジュールを確認する'}
              </button>
            </div>
            <Warnings
              warnings={warnings}
              overrides={overrides}
              errors={errors}
              onChange={(code, v) => setOverrides((o) => ({ ...o, [code]: { checked: o[code]?.checked ?? false, reason: o[code]?.reason ?? '', ...v } }))}
            />
          </fieldset>

          <fieldset className="mt-6 rounded-12 border border-solid-gray-420 p-4 sm:p-6">
            <legend className="px-2 text-std-20B-150">予診（診察）</legend>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id="assessment-temperatureC" label="体温（℃）" error={errors['assessment-temperatureC']} hint="37.5℃以上のときは接種しません。">
                {(p) => (
                  <input
                    {...p}
                    type="text"
                    inputMode="decimal"
                    autoComplete="off"
                    className="input"
                    value={assessment.temperatureC}
                    onChange={(e) => setAssessment((a) => ({ ...a, temperatureC: e.target.value }))}
                  />
                )}
              </Field>
              <Field id="assessment-doctorName" label="予診を行った医師" error={errors['assessment-doctorName']}>
                {(p) => (
                  <input
                    {...p}
                    type="text"
                    autoComplete="name"
                    className="input"
                    value={assessment.doctorName}
                    onChange={(e) => setAssessment((a) => ({ ...a, doctorName: e.target.value }))}
                  />
                )}
              </Field>
            </div>
            <fieldset
              className="mt-4"
              id="assessment-fit"
              aria-describedby={errors['assessment-fit'] ? 'assessment-fit-error' : undefined}
              aria-invalid={errors['assessment-fit'] ? true : undefined}
            >
              <legend className="label">接種の可否（医師の判断）</legend>
              {errors['assessment-fit'] && <ErrorText id="assessment-fit-error">{errors['assessment-fit']}</ErrorText>}
              <div className="flex flex-wrap gap-6">
                {(
                  [
                    ['fit', '接種可'],
                    ['unfit', '接種不可（見合わせる）'],
                  ] as const
                ).map(([v, label]) => (
                  <label key={v} className="flex items-center gap-2 text-std-16N-170">
                    <input
                      type="radio"
                      name="fit"
                      value={v}
                      checked={assessment.fit === v}
                      onChange={() => setAssessment((a) => ({ ...a, fit: v }))}
                      className="size-6"
                    />
                    {label}
                  </label>
                ))}
              </div>
            </fieldset>
            {noDose && (
              <div className="mt-4" data-testid="no-dose-warning">
                <Banner tone="warning" role="status" title="本日は接種できません（記録しません）">
                  <p>{noDose === 'fever' ? '体温が37.5℃以上です（明らかな発熱）。' : '医師が接種不可と判断しました。'}接種記録は登録されません。</p>
                </Banner>
              </div>
            )}
          </fieldset>

          {!noDose && (
            <fieldset className="mt-6 rounded-12 border border-solid-gray-420 p-4 sm:p-6">
              <legend className="px-2 text-std-20B-150">接種記録</legend>
              <RecordFields form={form} errors={errors} today={today} onChange={setField} doctorPlaceholder={assessment.doctorName} />
            </fieldset>
          )}

          <div className="mt-8 flex flex-wrap gap-4">
            <button type="submit" className="btn btn-primary btn-lg" disabled={submitting}>
              {submitting ? '記録しています…' : noDose ? '接種せずに終える' : '接種を記録する'}
            </button>
            <button type="button" className="btn btn-tertiary" onClick={onDone}>
              記録せずに最初に戻る
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="text-std-24B-150">
        {title}
      </h2>
      <div className="mt-3">{children}</div>
    </section>
  );
}

function PersonPanel({ vax, today }: { vax: RelayVaccinations; today: string }) {
  const p = vax.person;
  return (
    <section aria-labelledby="person-heading" className="mt-6 rounded-12 border-2 border-blue-900 p-4 sm:p-6" data-testid="person">
      <h2 id="person-heading" className="text-std-24B-150">
        <span className="sr-only">接種を受ける方：</span>
        {p.displayName} さん
      </h2>
      <dl className="mt-2 flex flex-wrap gap-x-8 gap-y-1 text-std-16N-170">
        <div className="flex gap-2">
          <dt className="whitespace-nowrap font-bold">生年月日</dt>
          <dd>
            {formatWareki(p.dateOfBirth)}（{formatSeireki(p.dateOfBirth)}）
          </dd>
        </div>
        <div className="flex gap-2">
          <dt className="whitespace-nowrap font-bold">年齢</dt>
          <dd data-testid="age">{formatAge(p.dateOfBirth, today)}</dd>
        </div>
        <div className="flex gap-2">
          <dt className="whitespace-nowrap font-bold">性別</dt>
          <dd>{SEX[p.sex] ?? p.sex}</dd>
        </div>
      </dl>
    </section>
  );
}

export function QuestionnaireAnswers({ q }: { q: Questionnaire }) {
  const rows = shownItems(q);
  const noteworthy = rows.filter((r) => r.noteworthy);
  return (
    <div className="mt-4" data-testid="questionnaire-answers">
      {noteworthy.length > 0 ? (
        <Banner tone="warning" title={`確認が必要な回答が${noteworthy.length}件あります`} testId="questionnaire-flags" headingLevel={3}>
          <ul className="list-disc pl-5">
            {noteworthy.map(({ item, value }) => (
              <li key={item.itemId}>
                {item.text}：<strong>{answerText(item, value)}</strong>
              </li>
            ))}
          </ul>
        </Banner>
      ) : (
        <Banner tone="success" title="確認が必要な回答はありません" headingLevel={3} />
      )}
      <dl className="mt-4 divide-y divide-solid-gray-200 rounded-8 border border-solid-gray-420">
        {rows.map(({ item, value, noteworthy: flag }) => (
          <div key={item.itemId} className={`grid gap-1 px-4 py-2 sm:grid-cols-[1fr_12rem] ${flag ? 'bg-yellow-50' : ''}`} data-noteworthy={flag}>
            <dt className="text-std-16N-170">{item.text}</dt>
            <dd className={`text-std-16B-170 ${flag ? 'flex items-start gap-1' : ''}`}>
              {flag && <ToneIcon tone="warning" className="size-5" />}
              {flag && <span className="sr-only">要確認：</span>}
              {answerText(item, value)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function History({ records }: { records: VaccinationRecord[] }) {
  if (records.length === 0) return <p data-testid="no-history">接種の記録はありません。</p>;
  return (
    <ul className="grid gap-2" aria-label="接種の記録（古い順）" data-testid="history">
      {records.map((r) => (
        <li
          key={`${r.recordId}-${r.status}`}
          className={`rounded-8 border border-solid-gray-420 px-4 py-3 ${r.status === 'cancelled' ? 'bg-solid-gray-50 text-solid-gray-700' : ''}`}
          data-testid="history-record"
          data-record-id={r.recordId}
          data-status={r.status}
        >
          <p className="text-std-16B-170">
            {formatWareki(r.date)}　{vaccineName(r.vaccineCode)} {r.doseNumber}回目
            {r.status !== 'recorded' && (
              <span className="ml-2 inline-block whitespace-nowrap rounded-4 border border-solid-gray-600 px-2 text-dns-14N-130">
                {RECORD_STATUS[r.status]}
              </span>
            )}
          </p>
          <p className="text-dns-14N-130 text-solid-gray-700">
            {r.productName && <>{r.productName}・</>}ロット {r.lotNumber ?? '記録なし'}
            {r.route && <>・{ROUTES[r.route]}</>}
            {r.site && <>・{r.site}</>}・{r.institutionName ?? (r.institutionCode ? `医療機関コード ${r.institutionCode}` : '医療機関の記録なし')}・
            {RECORD_SOURCE[r.source]}
          </p>
        </li>
      ))}
    </ul>
  );
}

function Forecast({ forecast }: { forecast: ForecastEntry[] }) {
  const now = forecast.filter((f) => f.status === 'due' || f.status === 'overdue');
  const later = forecast.filter((f) => f.status === 'upcoming');
  const done = forecast.filter((f) => f.status === 'complete').length;
  return (
    <>
      {now.length === 0 ? (
        <p data-testid="forecast">今、接種時期の定期接種はありません。</p>
      ) : (
        <ForecastList entries={now} label="今、接種できる接種" testId="forecast" />
      )}
      {later.length > 0 && (
        // The later doses are many for an infant: folded, so today's stay in view (a phone included).
        <details className="mt-3 rounded-8 border border-solid-gray-420 px-4 py-2">
          <summary className="cursor-pointer text-std-16B-170">これからの接種（{later.length}件）</summary>
          <div className="mt-2 pb-2">
            <ForecastList entries={later} label="これからの接種" testId="forecast-later" />
          </div>
        </details>
      )}
      <p className="mt-2 text-dns-14N-130 text-solid-gray-700">完了した接種：{done}件</p>
    </>
  );
}

function ForecastList({ entries, label, testId }: { entries: ForecastEntry[]; label: string; testId: string }) {
  return (
    <ul className="grid gap-2 sm:grid-cols-2" aria-label={label} data-testid={testId}>
      {entries.map((f) => (
        <li key={planKey(f)} className="rounded-8 border border-solid-gray-420 px-4 py-3" data-status={f.status}>
          <p className="text-std-16B-170">
            {vaccineName(f.vaccineCode)} {doseLabel(f)}
            <span
              className={`ml-2 inline-block whitespace-nowrap rounded-4 px-2 text-dns-14N-130 ${f.status === 'upcoming' ? 'border border-solid-gray-600' : f.status === 'overdue' ? 'border border-error-1 text-error-1' : 'bg-blue-900 text-white'}`}
            >
              {FORECAST_STATUS[f.status]}
            </span>
          </p>
          <p className="text-dns-14N-130 text-solid-gray-700">
            {f.earliest ? `${formatSeireki(f.earliest)}から` : ''}
            {f.latest ? ` ${formatSeireki(f.latest)}まで` : ''}
            {f.recommended ? `（標準 ${formatSeireki(f.recommended)}から）` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The schedule check's answer: none, or each warning with its override (a box and a reason). */
function Warnings({
  warnings,
  overrides,
  errors,
  onChange,
}: {
  warnings?: Warning[];
  overrides: Overrides;
  errors: FieldErrors;
  onChange: (code: string, v: Partial<{ checked: boolean; reason: string }>) => void;
}) {
  if (!warnings) return null;
  if (warnings.length === 0)
    return (
      <div className="mt-4" data-testid="check-ok">
        <Banner tone="success" role="status" title="スケジュール上の問題はありません" headingLevel={3} />
      </div>
    );
  return (
    <div className="mt-4 grid gap-4" data-testid="warnings">
      <Banner tone="warning" role="status" title={`確認が必要です（${warnings.length}件）`} headingLevel={3}>
        <p>接種する場合は、各警告を確認したうえで、理由を入力してください。</p>
      </Banner>
      {warnings.map((w) => {
        const o = overrides[w.code] ?? { checked: false, reason: '' };
        const id = `override-${w.code}`;
        const error = errors[id];
        return (
          <div key={w.code} className="rounded-8 border-2 border-warning-yellow-2 p-4" data-testid="warning" data-code={w.code}>
            <p className="flex items-start gap-2 text-std-18B-160">
              <ToneIcon tone="warning" />
              {WARNING_TITLES[w.code] ?? w.code}
            </p>
            <p className="mt-1 text-std-16N-170">{w.message}</p>
            {error && <ErrorText id={`${id}-error`}>{error}</ErrorText>}
            <label className="mt-3 flex items-center gap-2 text-std-16B-170">
              <input
                id={id}
                type="checkbox"
                className="size-6"
                checked={o.checked}
                aria-describedby={error ? `${id}-error` : undefined}
                aria-invalid={error ? true : undefined}
                onChange={(e) => onChange(w.code, { checked: e.target.checked })}
              />
              この警告を確認し、接種する
            </label>
            {o.checked && (
              <div className="mt-3">
                <label htmlFor={`${id}-reason`} className="label">
                  理由（必須）
                </label>
                <textarea
                  id={`${id}-reason`}
                  className="input min-h-20"
                  maxLength={500}
                  value={o.reason}
                  aria-invalid={error && o.reason.trim() === '' ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  onChange={(e) => onChange(w.code, { reason: e.target.value })}
                />
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** The dose just recorded, and its same-day correction or cancellation (each a new version, with a reason). */
function RecordedPanel({
  consent,
  recorded,
  today,
  onChanged,
  onDone,
  onFailed,
}: {
  consent: ConsentGranted;
  recorded: Recorded;
  today: string;
  onChanged: (r: Recorded) => void;
  onDone: () => void;
  onFailed: (e: unknown) => string;
}) {
  const [mode, setMode] = useState<'view' | 'correct' | 'cancel'>('view');
  const [form, setForm] = useState<RecordForm>(() => fromRecorded(recorded));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const cancelled = recorded.status === 'cancelled';

  async function correct() {
    const e = validateRecord(form, today);
    if (reason.trim() === '') e.reason = '訂正の理由を入力してください。';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      const r = await call(clinicApi.correctVaccination, {
        params: { consentId: consent.consentId, recordId: recorded.recordId },
        body: {
          record: toRecord(form, { vaccineCode: recorded.vaccineCode, doseNumber: recorded.doseNumber, series: recorded.series }),
          reason: reason.trim(),
          ...(recorded.overrides.length > 0 ? { overrides: recorded.overrides } : {}),
        },
      });
      setMode('view');
      setReason('');
      onChanged(r);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && Array.isArray((err.problem as { warnings?: unknown })?.warnings))
        setErrors({ reason: `訂正後の内容に新しい警告があります：${(err.problem as { warnings: Warning[] }).warnings.map((w) => w.message).join('／')}` });
      else setFailure(onFailed(err));
    } finally {
      setBusy(false);
    }
  }

  async function cancel() {
    if (reason.trim() === '') return setErrors({ reason: '取り消す理由を入力してください。' });
    setErrors({});
    setBusy(true);
    try {
      const r = await call(clinicApi.cancelVaccination, {
        params: { consentId: consent.consentId, recordId: recorded.recordId },
        body: { reason: reason.trim() },
      });
      setMode('view');
      setReason('');
      onChanged(r);
    } catch (err) {
      setFailure(onFailed(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="recorded-heading" className="mt-10" data-testid="recorded" data-status={recorded.status} data-version={recorded.version}>
      <FocusHeading id="recorded-heading" level={2} key={`${recorded.status}-${recorded.version}`}>
        {cancelled ? '接種記録を取り消しました' : recorded.status === 'corrected' ? '接種記録を訂正しました' : '接種を記録しました'}
      </FocusHeading>
      <div className="mt-4">
        <Banner tone={cancelled ? 'neutral' : 'success'} title={`${vaccineName(recorded.vaccineCode)} ${recorded.doseNumber}回目（第${recorded.version}版）`}>
          <p>
            {formatWareki(recorded.date)}・ロット {recorded.lotNumber}
            {recorded.expirationDate && `（有効期限 ${formatSeireki(recorded.expirationDate)}）`}
            {recorded.doseVolumeMl !== undefined && `・${recorded.doseVolumeMl}mL`}
            {recorded.site && `・${recorded.site}`}
            {recorded.route && `・${ROUTES[recorded.route]}`}
            {recorded.doctorName && `・医師 ${recorded.doctorName}`}
          </p>
          {recorded.overrides.length > 0 && (
            <ul className="mt-2 list-disc pl-5 text-dns-14N-130">
              {recorded.overrides.map((o) => (
                <li key={o.code}>
                  上書きした警告：{WARNING_TITLES[o.code] ?? o.code}（理由：{o.reason}）
                </li>
              ))}
            </ul>
          )}
        </Banner>
      </div>
      {failure && (
        <div className="mt-4">
          <Banner tone="error" role="alert" title="変更できませんでした">
            <p>{failure === 'correction-closed' ? '訂正・取消は、接種した当日のうちにだけできます。' : `もう一度お試しください（${failure}）。`}</p>
          </Banner>
        </div>
      )}

      {mode === 'view' && (
        <div className="mt-6 flex flex-wrap gap-4">
          <button type="button" className="btn btn-primary" onClick={onDone}>
            次の方
          </button>
          {!cancelled && recorded.date === today && (
            <>
              <button type="button" className="btn btn-secondary" onClick={() => (setForm(fromRecorded(recorded)), setMode('correct'))}>
                記録を訂正する
              </button>
              <button type="button" className="btn btn-secondary" onClick={() => setMode('cancel')}>
                記録を取り消す
              </button>
            </>
          )}
        </div>
      )}

      {mode !== 'view' && (
        <form
          noValidate
          className="mt-6 rounded-12 border border-solid-gray-420 p-4 sm:p-6"
          aria-labelledby="change-heading"
          onSubmit={(e) => {
            e.preventDefault();
            void (mode === 'correct' ? correct() : cancel());
          }}
        >
          <h3 id="change-heading" className="text-std-20B-150">
            {mode === 'correct' ? '記録の訂正（当日のみ）' : '記録の取消（当日のみ）'}
          </h3>
          {mode === 'correct' && <RecordFields form={form} errors={errors} today={today} onChange={(k, v) => setForm((f) => ({ ...f, [k]: v }))} withDate />}
          <div className="mt-4">
            <Field id="reason" label={mode === 'correct' ? '訂正の理由（必須）' : '取消の理由（必須）'} error={errors.reason}>
              {(p) => <textarea {...p} className="input min-h-20" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
            </Field>
          </div>
          <div className="mt-6 flex flex-wrap gap-4">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {mode === 'correct' ? '訂正を登録する' : '取消を登録する'}
            </button>
            <button type="button" className="btn btn-tertiary" onClick={() => (setMode('view'), setErrors({}))}>
              やめる
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
