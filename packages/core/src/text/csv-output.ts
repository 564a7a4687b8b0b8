/** One CSV line (RFC 4180): a field quoted when it holds a comma, a quote or a line break; no line end. */
export function csvLine(values: readonly unknown[]): string {
  return values
    .map((v) => {
      const s = v === null || v === undefined ? '' : String(v);
      return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(',');
}

/** A whole CSV text: the header row, the rows, CRLF after each (RFC 4180). */
export function csvText(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return `${[csvLine(header), ...rows.map(csvLine)].join('\r\n')}\r\n`;
}

/** The caller asks for CSV before JSON (`Accept: text/csv`). */
export function wantsCsv(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/csv\b/i.test(accept);
}
