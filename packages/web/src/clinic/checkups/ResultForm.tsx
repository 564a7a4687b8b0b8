import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { clinicApi } from '@pmh/protocol/api/clinic';
import { ApiError, call } from '../../shared/api.ts';
import { AREAS, JUDGEMENTS, kindName } from '../../shared/checkup-labels.ts';
import { formatYen } from '../../shared/format.ts';
import { Banner } from '../../shared/ui.tsx';
import { Field } from '../vaccination/fields.tsx';
import { AREAS_OF, EDEMA_VALUES, URINE_VALUES, subjectOf } from './labels.ts';
import type { CheckupKind, CheckupPerson, Judgement, Questionnaire, Recorded, ResultBody, Voucher } from './types.ts';

type Measure = 'heightCm' | 'weightKg' | 'headCm' | 'chestCm' | 'systolic' | 'diastolic' | 'fundalHeightCm' | 'abdominalCm';

const MEASURES: Record<Measure, { label: string; unit: string; integer?: boolean }> = {
  heightCm: { label: '身長', unit: 'cm' },
  weightKg: { label: '体重', unit: 'kg' },
  headCm: { label: '頭囲', unit: 'cm' },
  chestCm: { label: '胸囲', unit: 'cm' },
  systolic: { label: '血圧（最高）', unit: 'mmHg', integer: true },
  diastolic: { label: '血圧（最低）', unit: 'mmHg', integer: true },
  fundalHeightCm: { label: '子宮底長', unit: 'cm' },
  abdominalCm: { label: '腹囲', unit: 'cm' },
};

/** What each subject's checkup measures, in the order the form asks. */
const MEASURES_OF = {
  child: ['heightCm', 'weightKg', 'headCm', 'chestCm'],
  pregnant: ['weightKg', 'systolic', 'diastolic', 'fundalHeightCm', 'abdominalCm'],
  postpartum: ['weightKg', 'systolic', 'diastolic'],
} as const satisfies Record<string, readonly Measure[]>;

/** 妊婦健診 1–14, 産婦健診 1–2. */
const PRENATAL_SEQUENCES = Array.from({ length: 14 }, (_, i) => String(i + 1));
const POSTPARTUM_SEQUENCES = ['1', '2'];

type Form = Record<Measure, string> & {
  sequence: string;
  gestationalWeeks: string;
  urineProtein: string;
  urineGlucose: string;
  edema: string;
  findingArea: string;
  finding: string;
  judgement: Judgement | '';
  detailedExamDate: string;
  voucherNumber: string;
  useQuestionnaire: boolean;
};

/** Our field ids for what a 400 or 422 names by JSON pointer. */
function fieldOf(pointer: string): string {
  const m = /^\/(measurements|urine)\/([A-Za-z]+)/.exec(pointer);
  if (m) return m[1] === 'urine' ? `urine${m[2]![0]!.toUpperCase()}${m[2]!.slice(1)}` : m[2]!;
  if (pointer.startsWith('/findings')) return pointer.endsWith('/area') ? 'findingArea' : 'finding';
  return pointer.replace(/^\//, '').split('/')[0] ?? 'form';
}

/** The vouchers that pay for this kind (and sequence), the soonest to end first. */
export function vouchersFor(vouchers: readonly Voucher[], kind: CheckupKind, sequence?: number): Voucher[] {
  return vouchers.filter(
    (v) => v.status === 'unused' && v.checkupKind === kind && (sequence === undefined || v.sequence === undefined || v.sequence === sequence),
  );
}

/**
 * One checkup result, entered fast: the measurements of the kind, the finding, 判定, the voucher
 * (the matching unused one chosen; 「受診券なし（自費）」 otherwise) and the 問診票. Every field is a
 * plain control in reading order (Tab moves on, Enter records). A field the hub refuses is named beside
 * it; a used voucher is said at the voucher.
 */
export function ResultForm({
  consentId,
  person,
  kind,
  date,
  vouchers,
  questionnaire,
  idPrefix,
  submitLabel = '結果を記録する',
  autoFocus = false,
  onRecorded,
  onExpired,
}: {
  consentId: string;
  person: CheckupPerson;
  kind: CheckupKind;
  date: string;
  vouchers: readonly Voucher[];
  questionnaire?: Questionnaire;
  idPrefix: string;
  submitLabel?: string;
  /** Take the focus at once (the group session: the next child's form). */
  autoFocus?: boolean;
  onRecorded: (r: Recorded) => void;
  onExpired: () => void;
}) {
  const subject = subjectOf(kind);
  const first = useRef<HTMLSelectElement & HTMLInputElement>(null);
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
  const initialSequence = subject === 'child' ? '' : '1';
  const [form, setForm] = useState<Form>(() => ({
    heightCm: '',
    weightKg: '',
    headCm: '',
    chestCm: '',
    systolic: '',
    diastolic: '',
    fundalHeightCm: '',
    abdominalCm: '',
    sequence: initialSequence,
    gestationalWeeks: '',
    urineProtein: '',
    urineGlucose: '',
    edema: '',
    findingArea: AREAS_OF[subject][0]!,
    finding: '',
    judgement: '',
    detailedExamDate: '',
    voucherNumber: vouchersFor(vouchers, kind, initialSequence ? Number(initialSequence) : undefined)[0]?.voucherNumber ?? '',
    useQuestionnaire: questionnaire !== undefined && questionnaire.status === 'submitted',
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitting, setSubmitting] = useState(false);
  const usable = vouchersFor(vouchers, kind, form.sequence ? Number(form.sequence) : undefined);

  useEffect(() => {
    if (autoFocus) first.current?.focus();
  }, [autoFocus]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const id = (name: string) => `${idPrefix}-${name}`;

  function body(): ResultBody | undefined {
    const errs: Record<string, string> = {};
    const num = (k: string, v: string, integer = false): number | undefined => {
      if (v.trim() === '') return undefined;
      const n = Number(v.normalize('NFKC').trim());
      if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) errs[k] = integer ? '整数で入力してください。' : '数字で入力してください（例：7.6）。';
      return n;
    };
    const measurements: Record<string, number> = {};
    for (const k of MEASURES_OF[subject]) {
      const n = num(k, form[k], MEASURES[k].integer);
      if (n !== undefined) measurements[k] = n;
    }
    const weeks = subject === 'pregnant' ? num('gestationalWeeks', form.gestationalWeeks, true) : undefined;
    if (!form.judgement) errs.judgement = '判定を選んでください。';
    const urine = {
      ...(form.urineProtein ? { protein: form.urineProtein } : {}),
      ...(form.urineGlucose ? { glucose: form.urineGlucose } : {}),
    };
    setErrors(errs);
    if (Object.keys(errs).length) return undefined;
    return {
      checkupKind: kind,
      ...(form.sequence ? { sequence: Number(form.sequence) } : {}),
      ...(form.voucherNumber ? { voucherNumber: form.voucherNumber } : {}),
      date,
      ...(weeks !== undefined ? { gestationalWeeks: weeks } : {}),
      measurements,
      ...(Object.keys(urine).length ? { urine: urine as ResultBody['urine'] } : {}),
      ...(form.edema ? { edema: form.edema as ResultBody['edema'] } : {}),
      findings: form.finding.trim() ? [{ area: form.findingArea as ResultBody['findings'][number]['area'], finding: form.finding.trim() }] : [],
      judgement: form.judgement as Judgement,
      ...(form.judgement === 'detailed-exam' && form.detailedExamDate ? { detailedExamDate: form.detailedExamDate } : {}),
      ...(form.useQuestionnaire && questionnaire ? { questionnaireId: questionnaire.questionnaireId } : {}),
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (submitting) return;
    const b = body();
    if (!b) return;
    setSubmitting(true);
    try {
      const recorded = await call(clinicApi.recordCheckupResult, { params: { consentId }, body: b, headers: { 'idempotency-key': idempotencyKey } });
      onRecorded(recorded);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'consent-expired') return onExpired();
      const out: Record<string, string> = {};
      if (err instanceof ApiError && err.code === 'voucher-used')
        out.voucherNumber = 'この受診券は使用済みです。受診券なし（自費）を選ぶか、別の受診券を確認してください。';
      else if (err instanceof ApiError && (err.problem?.errors?.length ?? 0) > 0)
        for (const x of err.problem!.errors!) out[fieldOf(x.pointer)] ??= `入力内容を確認してください（${x.message}）`;
      else out.form = err instanceof ApiError ? `記録できませんでした（${err.code}）。もう一度お試しください。` : '記録できませんでした。';
      setErrors(out);
    } finally {
      setSubmitting(false);
    }
  }

  const errorList = Object.entries(errors);
  const measureFields = MEASURES_OF[subject] as readonly Measure[];
  return (
    <form onSubmit={submit} noValidate aria-label={`${person.displayName} さんの${kindName(kind)}の結果`} data-testid="result-form">
      {errorList.length > 0 && (
        <div className="mb-4" role="alert">
          <Banner tone="error" title={`入力内容を確認してください（${errorList.length}件）`} headingLevel={3}>
            <ul className="list-disc pl-5">
              {errorList.map(([k, m]) => (
                <li key={k}>{m}</li>
              ))}
            </ul>
          </Banner>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        {subject !== 'child' && (
          <Field id={id('sequence')} label="回数" error={errors.sequence}>
            {(p) => (
              <select {...p} ref={first} className="input" value={form.sequence} onChange={(e) => set('sequence', e.target.value)}>
                {(subject === 'pregnant' ? PRENATAL_SEQUENCES : POSTPARTUM_SEQUENCES).map((n) => (
                  <option key={n} value={n}>
                    第{n}回
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {subject === 'pregnant' && (
          <Field id={id('gestationalWeeks')} label="妊娠週数（週）" error={errors.gestationalWeeks}>
            {(p) => (
              <input
                {...p}
                className="input"
                inputMode="numeric"
                autoComplete="off"
                value={form.gestationalWeeks}
                onChange={(e) => set('gestationalWeeks', e.target.value)}
              />
            )}
          </Field>
        )}
        {measureFields.map((k, i) => (
          <Field key={k} id={id(k)} label={`${MEASURES[k].label}（${MEASURES[k].unit}）`} error={errors[k]}>
            {(p) => (
              <input
                {...p}
                ref={i === 0 && subject === 'child' ? first : undefined}
                className="input"
                inputMode={MEASURES[k].integer ? 'numeric' : 'decimal'}
                autoComplete="off"
                value={form[k]}
                onChange={(e) => set(k, e.target.value)}
              />
            )}
          </Field>
        ))}
        {(subject !== 'child' || kind === 'infant-3y') && (
          <>
            <Field id={id('urineProtein')} label="尿蛋白" error={errors.urineProtein}>
              {(p) => (
                <select {...p} className="input" value={form.urineProtein} onChange={(e) => set('urineProtein', e.target.value)}>
                  <option value="">未検査</option>
                  {URINE_VALUES.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={id('urineGlucose')} label="尿糖" error={errors.urineGlucose}>
              {(p) => (
                <select {...p} className="input" value={form.urineGlucose} onChange={(e) => set('urineGlucose', e.target.value)}>
                  <option value="">未検査</option>
                  {URINE_VALUES.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}
        {subject === 'pregnant' && (
          <Field id={id('edema')} label="浮腫" error={errors.edema}>
            {(p) => (
              <select {...p} className="input" value={form.edema} onChange={(e) => set('edema', e.target.value)}>
                <option value="">未記入</option>
                {EDEMA_VALUES.map((v) => (
                  <option key={v}>{v}</option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id={id('judgement')} label="判定" error={errors.judgement}>
          {(p) => (
            <select {...p} className="input" required value={form.judgement} onChange={(e) => set('judgement', e.target.value as Judgement | '')}>
              <option value="">選んでください</option>
              {Object.entries(JUDGEMENTS).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={id('findingArea')} label="所見の領域" error={errors.findingArea}>
          {(p) => (
            <select {...p} className="input" value={form.findingArea} onChange={(e) => set('findingArea', e.target.value)}>
              {AREAS_OF[subject].map((a) => (
                <option key={a} value={a}>
                  {AREAS[a] ?? a}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={id('finding')} label="所見（なければ空欄）" error={errors.finding}>
          {(p) => <input {...p} className="input" autoComplete="off" maxLength={200} value={form.finding} onChange={(e) => set('finding', e.target.value)} />}
        </Field>
        {form.judgement === 'detailed-exam' && (
          <Field id={id('detailedExamDate')} label="精密検査の受診日（分かれば）" error={errors.detailedExamDate}>
            {(p) => <input {...p} type="date" className="input" value={form.detailedExamDate} onChange={(e) => set('detailedExamDate', e.target.value)} />}
          </Field>
        )}
        <Field id={id('voucherNumber')} label="受診券" error={errors.voucherNumber}>
          {(p) => (
            <select {...p} className="input" value={form.voucherNumber} onChange={(e) => set('voucherNumber', e.target.value)} data-testid="voucher-select">
              {usable.map((v) => (
                <option key={v.voucherNumber} value={v.voucherNumber}>
                  {v.voucherNumber}（助成上限 {formatYen(v.subsidyCap)}）
                </option>
              ))}
              <option value="">受診券なし（自費）</option>
            </select>
          )}
        </Field>
      </div>
      {questionnaire && questionnaire.status === 'submitted' && (
        <div className="mt-4 flex items-center gap-2">
          <input
            id={id('useQuestionnaire')}
            type="checkbox"
            className="size-6"
            checked={form.useQuestionnaire}
            onChange={(e) => set('useQuestionnaire', e.target.checked)}
          />
          <label htmlFor={id('useQuestionnaire')}>事前に提出された問診票を、この健診で使用済みにする</label>
        </div>
      )}
      <button type="submit" className="btn btn-primary btn-lg mt-6 w-full sm:w-auto" disabled={submitting} aria-describedby={id('submit-hint')}>
        {submitting ? '記録しています…' : submitLabel}
      </button>
      <p id={id('submit-hint')} className="mt-2 text-std-16N-170 text-solid-gray-700">
        Enter キーでも記録できます。
      </p>
    </form>
  );
}
