import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { hubApi } from '@pmh/protocol/api/hub';
import type { OfficerRole, VaccinationPriceView } from '@pmh/protocol';
import { formatDateTime, formatWareki, formatYen } from '../shared/format.ts';
import { Banner, FocusHeading, Spinner } from '../shared/ui.tsx';
import { call } from './api.ts';
import { DataTable, Failure } from './common.tsx';
import { VACCINES } from './labels.ts';

type Program = Awaited<ReturnType<typeof loadPrograms>>[number];
const loadPrograms = async () => (await call(hubApi.municipal.listPrograms, {})).programs;

/**
 * 制度・単価: the municipality's subsidy programmes (制度マスタ) and its vaccination unit prices
 * (委託料単価), listed for everyone; 登録 and 管理 officers add and change them (the API decides).
 */
export function ProgramsPage({ role }: { role: OfficerRole }) {
  const canEdit = role === 'register' || role === 'admin';
  return (
    <section aria-labelledby="programs-heading">
      <FocusHeading id="programs-heading">制度・単価</FocusHeading>
      <p className="mt-2">
        医療費助成の制度（制度マスタ）と、予防接種の委託料単価です。
        {canEdit ? '追加・変更は、登録と管理の権限の職員ができます。' : '変更は、登録または管理の権限の職員が行います。'}
      </p>
      <Programs canEdit={canEdit} />
      <Prices canEdit={canEdit} />
    </section>
  );
}

function Programs({ canEdit }: { canEdit: boolean }) {
  const [programs, setPrograms] = useState<Program[]>();
  const [error, setError] = useState<unknown>();
  const [editing, setEditing] = useState<Program | 'new'>();
  const reload = useCallback(() => loadPrograms().then(setPrograms, setError), []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return (
    <>
      <h2 className="mt-8 text-std-24B-150">医療費助成の制度</h2>
      {error !== undefined && <Failure title="制度を読み込めませんでした" error={error} />}
      {!programs && error === undefined && <Spinner label="読み込んでいます…" />}
      {programs && programs.length === 0 && <p className="mt-2">制度はまだ登録されていません。</p>}
      {programs && programs.length > 0 && (
        <div className="mt-2">
          <DataTable
            caption="医療費助成の制度"
            testId="programs"
            rows={programs}
            rowKey={(p) => p.orgSpecificCertificateTypeId}
            columns={[
              { head: '機関別受給者証種別ID', cell: (p) => <span className="code">{p.orgSpecificCertificateTypeId}</span> },
              { head: '制度名称', cell: (p) => p.certificationName },
              { head: '公費負担者番号', cell: (p) => <span className="code">{p.medicalSubsidyInsurerNumber}</span> },
              { head: '法別番号', cell: (p) => p.legalBasisCode },
              { head: '追加条件', cell: (p) => p.additionalConditionCodes.map((c) => `${c.code} ${c.name}`).join('、') || 'なし' },
              { head: '更新日時', cell: (p) => formatDateTime(p.updatedAt) },
              ...(canEdit
                ? [
                    {
                      head: '操作',
                      cell: (p: Program) => (
                        <button type="button" className="btn btn-tertiary" onClick={() => setEditing(p)} aria-label={`${p.certificationName}を変更`}>
                          変更
                        </button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </div>
      )}
      {canEdit && !editing && (
        <button type="button" className="btn btn-secondary mt-4" onClick={() => setEditing('new')}>
          制度を追加
        </button>
      )}
      {canEdit && editing && (
        <ProgramForm
          program={editing === 'new' ? undefined : editing}
          onDone={() => {
            setEditing(undefined);
            void reload();
          }}
        />
      )}
    </>
  );
}

function ProgramForm({ program, onDone }: { program?: Program; onDone: () => void }) {
  const [id, setId] = useState(program?.orgSpecificCertificateTypeId ?? '');
  const [name, setName] = useState(program?.certificationName ?? '');
  const [payer, setPayer] = useState(program?.medicalSubsidyInsurerNumber ?? '');
  const [legal, setLegal] = useState(program?.legalBasisCode ?? '');
  const [conditions, setConditions] = useState((program?.additionalConditionCodes ?? []).map((c) => `${c.code}=${c.name}`).join('\n'));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const additionalConditionCodes = conditions
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const [code, ...rest] = l.split('=');
          return { code: code.trim(), name: rest.join('=').trim() };
        });
      await call(hubApi.municipal.putProgram, {
        params: { orgSpecificCertificateTypeId: id.trim() },
        body: { certificationName: name, medicalSubsidyInsurerNumber: payer, legalBasisCode: legal, additionalConditionCodes },
      });
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} className="mt-4 grid gap-4 rounded-12 border border-solid-gray-420 p-4 sm:p-6" aria-labelledby="program-form-heading">
      <h3 id="program-form-heading" className="text-std-20B-150">
        {program ? `「${program.certificationName}」を変更` : '制度を追加'}
      </h3>
      <div>
        <label htmlFor="p-id" className="label">
          機関別受給者証種別ID
        </label>
        <input id="p-id" className="input" required value={id} readOnly={Boolean(program)} onChange={(e) => setId(e.target.value)} />
      </div>
      <div>
        <label htmlFor="p-name" className="label">
          制度名称
        </label>
        <input id="p-name" className="input" required value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div>
        <label htmlFor="p-payer" className="label">
          公費負担者番号（8桁）
        </label>
        <input id="p-payer" className="input max-w-60" inputMode="numeric" required value={payer} onChange={(e) => setPayer(e.target.value)} />
      </div>
      <div>
        <label htmlFor="p-legal" className="label">
          法別番号（2桁）
        </label>
        <input id="p-legal" className="input max-w-24" inputMode="numeric" required value={legal} onChange={(e) => setLegal(e.target.value)} />
      </div>
      <div>
        <label htmlFor="p-conditions" className="label">
          追加条件（1行に「コード=名称」）
        </label>
        <textarea id="p-conditions" className="input min-h-24" value={conditions} onChange={(e) => setConditions(e.target.value)} />
      </div>
      {error !== undefined && <Failure title="保存できませんでした" error={error} />}
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          保存
        </button>
        <button type="button" className="btn btn-tertiary" onClick={onDone}>
          やめる
        </button>
      </div>
    </form>
  );
}

function Prices({ canEdit }: { canEdit: boolean }) {
  const [prices, setPrices] = useState<VaccinationPriceView[]>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  const reload = useCallback(() => call(hubApi.municipal.listVaccinationPrices, {}).then((r) => setPrices(r.prices), setError), []);
  useEffect(() => {
    void reload();
  }, [reload]);
  const [vaccineCode, setVaccine] = useState('hib');
  const [unitPrice, setPrice] = useState('');
  const [validFrom, setFrom] = useState('');
  const [saveError, setSaveError] = useState<unknown>();

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaveError(undefined);
    setSaved(undefined);
    try {
      await call(hubApi.municipal.putVaccinationPrice, {
        params: { vaccineCode: vaccineCode as VaccinationPriceView['vaccineCode'] },
        body: { unitPrice: Number(unitPrice.replace(/[^0-9]/g, '')), validFrom },
      });
      setSaved(`${VACCINES[vaccineCode] ?? vaccineCode}の単価を保存しました。`);
      await reload();
    } catch (err) {
      setSaveError(err);
    }
  }

  return (
    <>
      <h2 className="mt-10 text-std-24B-150">予防接種の委託料単価</h2>
      {error !== undefined && <Failure title="単価を読み込めませんでした" error={error} />}
      {!prices && error === undefined && <Spinner label="読み込んでいます…" />}
      {prices && prices.length === 0 && <p className="mt-2">単価はまだ登録されていません。</p>}
      {prices && prices.length > 0 && (
        <div className="mt-2">
          <DataTable
            caption="予防接種の委託料単価（ワクチンごと、適用開始日の順）"
            testId="prices"
            rows={prices}
            rowKey={(p) => `${p.vaccineCode}-${p.validFrom}`}
            columns={[
              { head: 'ワクチン', cell: (p) => VACCINES[p.vaccineCode] ?? p.vaccineCode },
              { head: '単価', cell: (p) => formatYen(p.unitPrice) },
              { head: '適用期間', cell: (p) => `${formatWareki(p.validFrom)} 〜 ${p.validTo ? formatWareki(p.validTo) : ''}` },
            ]}
          />
        </div>
      )}
      {canEdit && (
        <form
          onSubmit={save}
          className="mt-4 grid gap-4 rounded-12 border border-solid-gray-420 p-4 sm:grid-cols-3 sm:p-6"
          aria-labelledby="price-form-heading"
        >
          <h3 id="price-form-heading" className="text-std-20B-150 sm:col-span-3">
            単価を設定
          </h3>
          <div>
            <label htmlFor="v-code" className="label">
              ワクチン
            </label>
            <select id="v-code" className="input" value={vaccineCode} onChange={(e) => setVaccine(e.target.value)}>
              {Object.entries(VACCINES).map(([c, n]) => (
                <option key={c} value={c}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="v-price" className="label">
              単価（円）
            </label>
            <input id="v-price" className="input" inputMode="numeric" required value={unitPrice} onChange={(e) => setPrice(e.target.value)} />
          </div>
          <div>
            <label htmlFor="v-from" className="label">
              適用開始日
            </label>
            <input id="v-from" type="date" className="input" required value={validFrom} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="sm:col-span-3">
            <button type="submit" className="btn btn-primary">
              保存
            </button>
          </div>
          {saveError !== undefined && (
            <div className="sm:col-span-3">
              <Failure title="保存できませんでした" error={saveError} />
            </div>
          )}
          {saved && (
            <div className="sm:col-span-3">
              <Banner tone="success" role="status" title={saved} />
            </div>
          )}
        </form>
      )}
    </>
  );
}
