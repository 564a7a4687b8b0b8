import type { ReactNode } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, XAxis, YAxis } from 'recharts';
import type { CheckupResult, GrowthChart } from '@pmh/protocol/maternal-child';
import type { ResidentCheckupVoucher as CheckupVoucher } from '@pmh/protocol/maternal-child-registration';
import { formatSeireki, formatWareki, formatYen } from './format.ts';
import { AREAS, BANDS, JUDGEMENTS, PRENATAL_TESTS, kindName } from './checkup-labels.ts';
import { Period, Row } from './ui.tsx';
import { MunicipalityName } from './municipality.tsx';

/**
 * Checkups as the resident's page (portal 健診) and the venue's screens (clinic 健診) both show them:
 * the names of kinds, 判定 and areas, a voucher card, a result card, and the growth chart over the
 * national percentile curves (recharts: import this module only where a chart is drawn).
 */

const VOUCHER_STATUS: Record<CheckupVoucher['status'], { text: string; className: string }> = {
  unused: { text: '未使用', className: 'bg-success-2 text-white' },
  used: { text: '使用済み', className: 'bg-solid-gray-700 text-white' },
  expired: { text: '有効期限切れ', className: 'bg-solid-gray-700 text-white' },
};

const JUDGEMENT_CLASS: Record<CheckupResult['judgement'], string> = {
  healthy: 'bg-success-2 text-white',
  observe: 'bg-warning-yellow-2 text-white',
  guidance: 'bg-warning-yellow-2 text-white',
  'detailed-exam': 'bg-error-2 text-white',
};

/** A 受診券: which checkup, until when, and how much it pays at most. */
/** `children`: what the card offers to do with the voucher (the portal: fill in its 問診票). */
export function VoucherCard({ v, children }: { v: CheckupVoucher; children?: ReactNode }) {
  const status = VOUCHER_STATUS[v.status];
  const id = `voucher-${v.municipalityCode}-${v.voucherNumber}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <article
      className="h-full rounded-16 border-2 border-blue-900 bg-white p-4 shadow-1 sm:p-6"
      aria-labelledby={id}
      data-testid="voucher"
      data-status={v.status}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 id={id} className="text-std-18B-160">
          {kindName(v.checkupKind, v.sequence)}
        </h3>
        <span className={`rounded-4 px-2 text-dns-14B-130 leading-7 ${status.className}`}>{status.text}</span>
      </div>
      <dl className="mt-2">
        <Row term="有効期間">
          <Period from={v.validFrom} to={v.validTo} />
        </Row>
        <Row term="助成上限額" testId="subsidy-cap">
          {formatYen(v.subsidyCap)}
        </Row>
        <Row term="受診券番号">{v.voucherNumber}</Row>
        <Row term="交付" testId="voucher-issuer">
          <MunicipalityName code={v.municipalityCode} />
        </Row>
      </dl>
      {children}
    </article>
  );
}

const MEASUREMENTS: Array<[keyof CheckupResult['measurements'], string, string]> = [
  ['heightCm', '身長', 'cm'],
  ['weightKg', '体重', 'kg'],
  ['headCm', '頭囲', 'cm'],
  ['chestCm', '胸囲', 'cm'],
  ['fundalHeightCm', '子宮底長', 'cm'],
  ['abdominalCm', '腹囲', 'cm'],
];

const URINE: Record<string, string> = { protein: '蛋白', glucose: '糖', occultBlood: '潜血' };

/** One checkup's result as the 母子健康手帳 lists it: when and where, the 判定, the measurements, the findings. */
export function ResultCard({ r }: { r: CheckupResult }) {
  const m = r.measurements;
  const id = `result-${r.resultId}`;
  return (
    <article
      className="rounded-16 border-2 border-solid-gray-420 bg-white p-4 shadow-1 sm:p-6"
      aria-labelledby={id}
      data-testid="result"
      data-judgement={r.judgement}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 id={id} className="text-std-18B-160">
          {kindName(r.checkupKind, r.sequence)}
          <span className="block text-std-16N-170 text-solid-gray-700">
            {formatWareki(r.date)}（{formatSeireki(r.date)}）
          </span>
        </h3>
        <span className={`rounded-4 px-2 text-dns-14B-130 leading-7 ${JUDGEMENT_CLASS[r.judgement]}`} data-testid="judgement">
          判定：{JUDGEMENTS[r.judgement]}
        </span>
      </div>
      <dl className="mt-2">
        {r.ageInMonths !== undefined && <Row term="月齢">{r.ageInMonths}か月</Row>}
        {r.gestationalWeeks !== undefined && <Row term="妊娠週数">{r.gestationalWeeks}週</Row>}
        {MEASUREMENTS.filter(([k]) => m[k] !== undefined).map(([k, label, unit]) => (
          <Row key={k} term={label}>
            {m[k]}
            {unit}
          </Row>
        ))}
        {m.systolic !== undefined && m.diastolic !== undefined && (
          <Row term="血圧">
            {m.systolic}／{m.diastolic} mmHg
          </Row>
        )}
        {r.urine && (
          <Row term="尿検査">
            {Object.entries(r.urine)
              .map(([k, v]) => `${URINE[k] ?? k} ${v}`)
              .join('、')}
          </Row>
        )}
        {r.edema && <Row term="浮腫">{r.edema}</Row>}
        {r.testsDone && r.testsDone.length > 0 && <Row term="実施した検査">{r.testsDone.map((t) => PRENATAL_TESTS[t] ?? t).join('、')}</Row>}
        {r.findings.length > 0 && (
          <Row term="所見">
            <ul>
              {r.findings.map((f) => (
                <li key={f.area}>
                  {AREAS[f.area] ?? f.area}：{f.finding}
                </li>
              ))}
            </ul>
          </Row>
        )}
        {r.judgement === 'detailed-exam' && (
          <Row term="精密検査">{r.detailedExamDate ? `${formatWareki(r.detailedExamDate)}に受診` : 'まだ受診の記録がありません'}</Row>
        )}
        <Row term="医療機関コード">{r.institutionCode}</Row>
        <Row term="登録元">{r.source === 'municipal' ? '市区町村（集団健診など）' : '医療機関・健診会場'}</Row>
      </dl>
    </article>
  );
}

/** 成長曲線: height and weight against age over the national percentile curves, and the same as a table. */
export function GrowthSection({ height, weight }: { height: GrowthChart; weight: GrowthChart }) {
  const rows = measurementRows(height, weight);
  return (
    <section aria-labelledby="growth-heading" data-testid="growth">
      <h2 id="growth-heading" className="text-std-24B-150">
        成長曲線
      </h2>
      <p className="mt-1 text-std-16N-170 text-solid-gray-700">
        帯は全国の子どもの3〜97パーセンタイル（{height.source}）。帯の中の細い線は10・25・50・75・90パーセンタイルです。●がお子さまの記録です。
      </p>
      <div className="mt-4 grid gap-6 lg:grid-cols-2">
        <Chart chart={height} title="身長" testId="growth-height" />
        <Chart chart={weight} title="体重" testId="growth-weight" />
      </div>
      <table className="mt-6 w-full border-collapse text-left text-std-16N-170" data-testid="growth-table">
        <caption className="text-left text-std-18B-160">成長の記録（表）</caption>
        <thead>
          <tr className="border-b-2 border-solid-gray-420">
            <th scope="col" className="py-2 pr-2">
              測定日
            </th>
            <th scope="col" className="py-2 pr-2">
              月齢
            </th>
            <th scope="col" className="py-2 pr-2">
              身長
            </th>
            <th scope="col" className="py-2">
              体重
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} className="py-2">
                まだ記録がありません
              </td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.date} className="border-b border-solid-gray-200">
              <th scope="row" className="py-2 pr-2 font-normal">
                {formatWareki(r.date)}
              </th>
              <td className="py-2 pr-2">{Math.floor(r.ageMonths)}か月</td>
              <td className="py-2 pr-2">
                <Measured point={r.height} unit="cm" />
              </td>
              <td className="py-2">
                <Measured point={r.weight} unit="kg" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type ChildPoint = GrowthChart['child'][number];

/** A measurement and, below it, where it falls among the national percentiles. */
function Measured({ point, unit }: { point?: ChildPoint; unit: string }) {
  if (!point) return <>—</>;
  return (
    <>
      {point.value}
      {unit}
      {point.band && <span className="block text-std-16N-170 text-solid-gray-700">{BANDS[point.band] ?? point.band}</span>}
    </>
  );
}

/** The child's measurements by date, height and weight side by side. */
function measurementRows(height: GrowthChart, weight: GrowthChart) {
  const byDate = new Map<string, { date: string; ageMonths: number; height?: ChildPoint; weight?: ChildPoint }>();
  for (const [key, chart] of [
    ['height', height],
    ['weight', weight],
  ] as const)
    for (const p of chart.child) {
      const row = byDate.get(p.date) ?? { date: p.date, ageMonths: p.ageMonths };
      row[key] = p;
      byDate.set(p.date, row);
    }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * One chart: the band from the 3rd to the 97th percentile shaded, the inner percentiles as thin lines,
 * the 50th stronger, the child's measurements as points joined by a line. The picture is for the
 * eye (hidden from screen readers): the table below says the same in words.
 */
function Chart({ chart, title, testId }: { chart: GrowthChart; title: string; testId: string }) {
  const byPercentile = new Map(chart.curves.map((c) => [c.percentile, c.points]));
  const base = chart.curves[0]?.points ?? [];
  const rows = base.map((p, i) => {
    const row: Record<string, number | [number, number]> = { ageMonths: p.ageMonths };
    for (const [percentile, points] of byPercentile) row[`p${percentile}`] = points[i]?.value;
    row.band = [row.p3 as number, row.p97 as number];
    return row;
  });
  const { fromMonths, toMonths, minValue, maxValue } = chart.range;
  const step = toMonths <= 12 ? 1 : toMonths <= 36 ? 3 : 6;
  const ticks = Array.from({ length: Math.floor((toMonths - fromMonths) / step) + 1 }, (_, i) => fromMonths + i * step);
  // Round values on the value axis: every 5 or 10 cm, every 1, 2 or 5 kg.
  const span = maxValue - minValue;
  const valueStep = chart.unit === 'cm' ? (span <= 50 ? 5 : 10) : span <= 12 ? 1 : span <= 24 ? 2 : 5;
  const low = Math.floor(minValue / valueStep) * valueStep;
  const high = Math.ceil(maxValue / valueStep) * valueStep;
  const valueTicks = Array.from({ length: Math.round((high - low) / valueStep) + 1 }, (_, i) => low + i * valueStep);
  return (
    <figure className="rounded-16 border-2 border-solid-gray-200 bg-white p-2 sm:p-4" data-testid={testId}>
      <figcaption className="px-2 text-std-18B-160">
        {title}（{chart.unit}）
      </figcaption>
      <div aria-hidden="true" className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 24, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e6e6e6" />
            <XAxis
              type="number"
              dataKey="ageMonths"
              domain={[fromMonths, toMonths]}
              ticks={ticks}
              tickFormatter={(m: number) => (m % 12 === 0 && m > 0 ? `${m / 12}歳` : `${m}`)}
              label={{ value: '月齢（か月）', position: 'insideBottom', offset: -14 }}
              allowDataOverflow
            />
            <YAxis type="number" domain={[low, high]} ticks={valueTicks} width={40} allowDataOverflow />
            <Area type="monotone" dataKey="band" stroke="none" fill="#c5d7fb" fillOpacity={0.6} activeDot={false} isAnimationActive={false} />
            {[10, 25, 75, 90].map((p) => (
              <Line key={p} type="monotone" dataKey={`p${p}`} stroke="#7096f8" strokeWidth={1} dot={false} activeDot={false} isAnimationActive={false} />
            ))}
            <Line type="monotone" dataKey="p50" stroke="#264af4" strokeWidth={2} dot={false} activeDot={false} isAnimationActive={false} />
            <Scatter
              data={chart.child.map((c) => ({ ageMonths: c.ageMonths, child: c.value }))}
              dataKey="child"
              fill="#d6001c"
              line={{ stroke: '#d6001c', strokeWidth: 2 }}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
