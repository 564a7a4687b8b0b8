import { useState } from 'react';
import { Field } from './fields.tsx';
import { ROUTES, SITES } from './labels.ts';
import { fromScan, type FieldErrors, type RecordForm } from './record-form.ts';
import type { Recorded, Route } from './types.ts';

export function emptyRecordForm(today: string): RecordForm {
  return { productName: '', productCode: '', lotNumber: '', expirationDate: '', doseVolumeMl: '', site: '', route: '', doctorName: '', date: today };
}

export function fromRecorded(r: Recorded): RecordForm {
  return {
    productName: r.productName ?? '',
    productCode: r.productCode ?? '',
    lotNumber: r.lotNumber ?? '',
    expirationDate: r.expirationDate ?? '',
    doseVolumeMl: r.doseVolumeMl === undefined ? '' : String(r.doseVolumeMl),
    site: r.site ?? '',
    route: r.route ?? '',
    doctorName: r.doctorName ?? '',
    date: r.date,
  };
}

/**
 * The record's fields (product, lot, expiry, volume, site, route, doctor, and the date when asked):
 * the lot, the expiry and the GTIN come from the package's barcode, typed by the scanner into the
 * first field (a GS1 element string, e.g. 01…17…10…); each can still be typed by hand.
 */
export function RecordFields({
  form,
  errors,
  today,
  onChange,
  doctorPlaceholder,
  withDate = false,
}: {
  form: RecordForm;
  errors: FieldErrors;
  today: string;
  onChange: (k: keyof RecordForm, v: string) => void;
  doctorPlaceholder?: string;
  withDate?: boolean;
}) {
  const [scan, setScan] = useState('');
  const [scanned, setScanned] = useState<{ ok: true; text: string } | { ok: false; text: string }>();

  function read(text: string, final: boolean) {
    if (text.trim() === '') return setScanned(undefined);
    const r = fromScan(text, today);
    if (r.ok) {
      onChange('lotNumber', r.lotNumber);
      onChange('expirationDate', r.expirationDate);
      if (r.productCode) onChange('productCode', r.productCode);
      setScanned({ ok: true, text: `読み取りました：ロット ${r.lotNumber}、有効期限 ${r.expirationDate}${r.productCode ? `、GTIN ${r.productCode}` : ''}` });
    } else if (final) setScanned({ ok: false, text: r.message });
    else setScanned(undefined);
  }

  return (
    <div className="grid gap-4">
      <div>
        <label htmlFor="gs1-scan" className="label">
          バーコードの読み取り（GS1）
        </label>
        <span id="gs1-scan-hint" className="hint">
          ここにカーソルを置いて、ワクチンの箱のバーコードをスキャナーで読み取ります。ロット番号と有効期限が入ります。
        </span>
        {scanned && !scanned.ok && (
          <p id="gs1-scan-error" className="mb-2 text-std-16B-170 text-error-1" data-testid="field-error">
            {scanned.text}
          </p>
        )}
        <input
          id="gs1-scan"
          type="text"
          className="input code"
          autoComplete="off"
          spellCheck={false}
          value={scan}
          aria-describedby={`gs1-scan-hint${scanned ? (scanned.ok ? ' gs1-scan-status' : ' gs1-scan-error') : ''}`}
          aria-invalid={scanned && !scanned.ok ? true : undefined}
          onChange={(e) => {
            setScan(e.target.value);
            read(e.target.value, false);
          }}
          onBlur={() => read(scan, true)}
          onKeyDown={(e) => {
            // A scanner ends with Enter: read the code, do not submit the form.
            if (e.key === 'Enter') {
              e.preventDefault();
              read(scan, true);
            }
          }}
        />
        <p id="gs1-scan-status" className="mt-1 text-std-16N-170" role="status" data-testid="gs1-scan-status">
          {scanned?.ok ? scanned.text : ''}
        </p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="lotNumber" label="ロット番号（必須）" error={errors.lotNumber}>
          {(p) => (
            <input
              {...p}
              type="text"
              className="input code"
              autoComplete="off"
              maxLength={20}
              value={form.lotNumber}
              onChange={(e) => onChange('lotNumber', e.target.value)}
            />
          )}
        </Field>
        <Field id="expirationDate" label="有効期限" error={errors.expirationDate}>
          {(p) => <input {...p} type="date" className="input" value={form.expirationDate} onChange={(e) => onChange('expirationDate', e.target.value)} />}
        </Field>
        <Field id="productName" label="ワクチン名（製品名）" error={errors.productName}>
          {(p) => (
            <input {...p} type="text" className="input" autoComplete="off" value={form.productName} onChange={(e) => onChange('productName', e.target.value)} />
          )}
        </Field>
        <Field id="productCode" label="製品コード（GTIN・HOT）" error={errors.productCode}>
          {(p) => (
            <input
              {...p}
              type="text"
              className="input code"
              autoComplete="off"
              value={form.productCode}
              onChange={(e) => onChange('productCode', e.target.value)}
            />
          )}
        </Field>
        <Field id="doseVolumeMl" label="接種量（mL）" error={errors.doseVolumeMl}>
          {(p) => (
            <input
              {...p}
              type="text"
              inputMode="decimal"
              className="input"
              autoComplete="off"
              value={form.doseVolumeMl}
              onChange={(e) => onChange('doseVolumeMl', e.target.value)}
            />
          )}
        </Field>
        <Field id="site" label="接種部位" error={errors.site} hint="一覧から選ぶか、入力します。">
          {(p) => (
            <>
              <input
                {...p}
                type="text"
                className="input"
                list="site-options"
                autoComplete="off"
                value={form.site}
                onChange={(e) => onChange('site', e.target.value)}
              />
              <datalist id="site-options">
                {SITES.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field id="route" label="接種経路" error={errors.route}>
          {(p) => (
            <select {...p} className="input" value={form.route} onChange={(e) => onChange('route', e.target.value as Route)}>
              <option value="">選んでください</option>
              {(Object.keys(ROUTES) as Route[]).map((r) => (
                <option key={r} value={r}>
                  {ROUTES[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="doctorName"
          label="接種した医師"
          error={errors.doctorName}
          hint={doctorPlaceholder ? `空欄のときは予診の医師（${doctorPlaceholder}）` : undefined}
        >
          {(p) => (
            <input {...p} type="text" className="input" autoComplete="name" value={form.doctorName} onChange={(e) => onChange('doctorName', e.target.value)} />
          )}
        </Field>
        {withDate && (
          <Field id="date" label="接種日" error={errors.date}>
            {(p) => <input {...p} type="date" className="input" max={today} value={form.date} onChange={(e) => onChange('date', e.target.value)} />}
          </Field>
        )}
      </div>
    </div>
  );
}
