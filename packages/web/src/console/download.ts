import { CSRF } from './api.ts';

/**
 * Downloads a municipal CSV answer (asked for with `Accept: text/csv`) as a file: fetched with the
 * session cookie, saved through a Blob. Answers the problem's detail when the hub refuses.
 */
export async function downloadCsv(url: string, filename: string, shiftJis: boolean): Promise<string | undefined> {
  const sep = url.includes('?') ? '&' : '?';
  let res: Response;
  try {
    res = await fetch(shiftJis ? `${url}${sep}charset=shift_jis` : url, {
      credentials: 'same-origin',
      headers: { accept: 'text/csv', ...CSRF },
    });
  } catch {
    return 'ネットワークに接続できません。';
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    return body.detail ?? `ダウンロードできませんでした（${res.status}）`;
  }
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return undefined;
}
