import type { ReactNode } from 'react';
import { ApiError } from '../shared/api.ts';
import { Banner } from '../shared/ui.tsx';

/** A column of a console table: its heading and what a row shows in it. */
export interface Column<T> {
  head: string;
  cell: (row: T) => ReactNode;
  nowrap?: boolean;
}

/**
 * A table of rows that reads as one card per row on a phone (each cell with its column's name),
 * as the portal's access log does.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  testId,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (r: T, i: number) => string;
  testId?: string;
}) {
  return (
    <div className="overflow-x-auto rounded-8 border border-solid-gray-420">
      <table className="w-full border-collapse text-left text-std-16N-170 max-sm:block" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-solid-gray-50 max-sm:hidden">
          <tr className="border-b-2 border-solid-gray-600">
            {columns.map((c) => (
              <th key={c.head} scope="col" className="px-3 py-3 whitespace-nowrap">
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="max-sm:block">
          {rows.map((r, i) => (
            <tr key={rowKey(r, i)} className="border-b border-solid-gray-200 align-top max-sm:block max-sm:py-2">
              {columns.map((c) => (
                <td key={c.head} className={`px-3 py-3 max-sm:block max-sm:py-1 ${c.nowrap ? 'sm:whitespace-nowrap' : ''}`}>
                  <span className="mr-2 text-dns-14B-130 text-solid-gray-700 sm:hidden">{c.head}：</span>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Why a request failed, in words: the problem's detail when the hub gave one. */
export function failureText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 403) return 'あなたの権限では、この操作はできません。';
    if (e.status === 0) return 'ネットワークに接続できません。';
    return e.problem?.detail ?? `うまくいきませんでした（${e.code}）。`;
  }
  return 'うまくいきませんでした。';
}

export function Failure({ title, error }: { title: string; error: unknown }) {
  return (
    <div className="mt-4">
      <Banner tone="error" role="alert" title={title}>
        <p>{failureText(error)}</p>
      </Banner>
    </div>
  );
}
