import { normalizeDigits, parseJapaneseDate, toHalfWidthAscii, normalizeKey } from '@pmh/core/text/japanese';
import { hasPrivateUse, hasUndecodable, type CsvEncoding } from '@pmh/core/text/csv-input';
import type { FieldError } from '@pmh/core/http/problem';
import type { RegistrationFileError } from '@pmh/protocol';
import { PART_ARRAYS, ROW_PARTS, type Column, type ColumnPart, type FileLayout } from './layout.ts';

/**
 * Reading a registration file's rows into the JSON records of the process's task: headings matched
 * to columns, cells read by their kind (dates, numbers, flags), rows grouped into records, and every
 * error placed at its line and column — the reader's own (a date that is no date, 外字) and the
 * record validation's (by the record's JSON pointer, mapped back to the cell it came from).
 */

export interface FileRow {
  /** The line the row starts on (1 = the heading row). */
  line: number;
  cells: string[];
}

/** A record made of one or more rows, with where each of its parts came from. */
export interface AssembledRecord {
  record: Record<string, unknown>;
  /** The line of the record's first row (its own fields are read there). */
  line: number;
  /** The line of each dose, voucher and result, in the order they are in the record. */
  partLines: Record<Exclude<ColumnPart, 'record'>, number[]>;
  /** The reader's errors, by the record field they are about (a validation error at the same field is not added). */
  errors: Map<string, RegistrationFileError>;
}

const headingKey = (s: string): string =>
  toHalfWidthAscii(s)
    .replace(/^\ufeff/, '')
    .trim()
    .toLowerCase();

/** The heading row: each cell's column (null for an empty trailing cell), or the errors that make the file unreadable. */
export function readHeadings(layout: FileLayout, cells: string[]): { columns: Array<Column | null>; errors: RegistrationFileError[] } {
  const byKey = new Map<string, Column>();
  for (const c of layout.columns) {
    byKey.set(headingKey(c.heading), c);
    byKey.set(headingKey(c.id), c);
  }
  const errors: RegistrationFileError[] = [];
  const seen = new Map<string, number>();
  const columns = cells.map((cell, i): Column | null => {
    const key = headingKey(cell);
    if (key === '') {
      if (cells.slice(i).every((c) => headingKey(c) === '')) return null;
      errors.push(at(1, null, `/1/${i + 1}`, null, `heading ${i + 1} is empty; every column needs its heading (see the template)`));
      return null;
    }
    const c = byKey.get(key);
    if (!c) {
      // The heading itself is not repeated (it is input): its position names it.
      errors.push(at(1, null, `/1/${i + 1}`, null, `heading ${i + 1} is not a column of this file (see the template for the headings)`));
      return null;
    }
    if (seen.has(c.id)) errors.push(at(1, c.heading, `/1/${c.id}`, null, `heading ${i + 1} is the same column as heading ${seen.get(c.id)! + 1}`));
    seen.set(c.id, i);
    // Errors name the column as the file heads it.
    return { ...c, heading: cell.trim() };
  });
  for (const c of layout.columns)
    if (c.required && !seen.has(c.id)) errors.push(at(1, null, `/1/${c.id}`, null, `the column 「${c.heading}」 (${c.id}) is missing`));
  return { columns, errors };
}

function at(line: number, column: string | null, pointer: string, field: string | null, message: string): RegistrationFileError {
  return { pointer, line, column, field, message };
}

const FLAG_VALUES: Record<string, string> = { '1': '1', '0': '0', true: '1', false: '0' };

/** A cell read by its column's kind: the value, or why it cannot be read. */
export function readCell(c: Column, raw: string, encoding: CsvEncoding): { value?: unknown; error?: string } {
  if (hasUndecodable(raw))
    return { error: `holds bytes that are not ${encoding === 'utf-8' ? 'UTF-8' : 'Shift_JIS'} text (is the file in another encoding? name it in charset=)` };
  if (hasPrivateUse(raw))
    return { error: 'holds a character outside JIS (外字, a private-use code) that no other system can show; write the standard character instead' };
  const text = raw.trim();
  if (text === '') return {};
  const alias = c.aliases?.[text] ?? c.aliases?.[normalizeDigits(text)];
  switch (c.kind) {
    case 'text':
      return { value: alias ?? (c.aliases ? normalizeDigits(text) : raw) };
    case 'date': {
      const iso = parseJapaneseDate(text);
      return iso ? { value: iso } : { error: 'is not a date (write 2025-04-01, 2025/4/1, 令和7年4月1日 or R7.4.1)' };
    }
    case 'integer': {
      const n = normalizeDigits(toHalfWidthAscii(text)).replace(/[,\s]|円$/g, '');
      return /^-?[0-9]{1,15}$/.test(n) ? { value: Number(n) } : { error: 'is not a whole number' };
    }
    case 'decimal': {
      const n = normalizeDigits(toHalfWidthAscii(text));
      return /^-?[0-9]{1,6}(\.[0-9]{1,3})?$/.test(n) ? { value: Number(n) } : { error: 'is not a number (write 62.1)' };
    }
    case 'list':
      return {
        value: text
          .split(/[\s、・]+/)
          .filter((v) => v !== '')
          .map((v) => c.aliases?.[v] ?? toHalfWidthAscii(v)),
      };
    case 'flag': {
      const f = FLAG_VALUES[toHalfWidthAscii(text).toLowerCase()];
      return f ? { value: f } : { error: 'must be 1 or 0' };
    }
    case 'details': {
      const items = raw
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      const [nameKey, contentKey] = c.pair ?? ['label', 'value'];
      const out: Array<Record<string, string>> = [];
      for (const item of items) {
        const m = /^([^=＝]+)[=＝](.*)$/.exec(item);
        if (!m) return { error: c.pair ? 'each line must be 部位=所見' : 'each line must be 項目名=内容' };
        const name = m[1].trim();
        out.push({ [nameKey]: c.aliases?.[name] ?? name, [contentKey]: m[2].trim() });
      }
      return { value: out };
    }
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let o = target;
  for (const k of path.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1]] = value;
}

function getPath(target: Record<string, unknown>, path: readonly string[]): unknown {
  let o: unknown = target;
  for (const k of path) o = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined;
  return o;
}

const fieldOf = (c: Column, item?: number): string => (c.part === 'record' ? `/${c.path.join('/')}` : `/${PART_ARRAYS[c.part]}/${item}/${c.path.join('/')}`);

/**
 * Rows into records, as they stream: `push` answers the records a row completes (with grouping by
 * subject, a record is complete when a row of another subject begins), `end` the last one.
 */
export class RecordAssembler {
  private open: { rec: AssembledRecord; key: string; firstCells: Map<string, string> } | undefined;

  constructor(
    private readonly layout: FileLayout,
    private readonly columns: ReadonlyArray<Column | null>,
    private readonly encoding: () => CsvEncoding,
  ) {}

  push(row: FileRow): { done: AssembledRecord[]; rowErrors: RegistrationFileError[] } {
    const rowErrors: RegistrationFileError[] = [];
    const extra = row.cells.slice(this.columns.length).some((c) => c.trim() !== '');
    if (extra)
      rowErrors.push(
        at(
          row.line,
          null,
          `/${row.line}`,
          null,
          `has ${row.cells.length} cells; the heading row has ${this.columns.length} (is a comma in a value not quoted?)`,
        ),
      );
    const cells = new Map<Column, string>();
    this.columns.forEach((c, i) => {
      if (c) cells.set(c, row.cells[i] ?? '');
    });
    const done: AssembledRecord[] = [];
    if (this.layout.grouping === 'row') {
      done.push(this.start(row, cells, '').rec);
      return { done, rowErrors };
    }
    const cell = (id: string) => [...cells].find(([c]) => c.id === id)?.[1] ?? '';
    const seg = normalizeDigits(cell('modificationSeg').trim());
    const key = normalizeKey(cell('municipalityIdentityKey'));
    const groupKey = key ? `${seg}|${key}` : '';
    if (this.open && groupKey !== '' && this.open.key === groupKey) {
      this.continue(this.open, row, cells, rowErrors);
      return { done, rowErrors };
    }
    if (this.open) done.push(this.open.rec);
    this.open = this.start(row, cells, groupKey);
    return { done, rowErrors };
  }

  end(): AssembledRecord[] {
    const last = this.open ? [this.open.rec] : [];
    this.open = undefined;
    return last;
  }

  private start(row: FileRow, cells: Map<Column, string>, key: string) {
    const rec: AssembledRecord = { record: {}, line: row.line, partLines: { dose: [], voucher: [], result: [] }, errors: new Map() };
    const firstCells = new Map<string, string>();
    for (const [c, raw] of cells) {
      if (c.part !== 'record') continue;
      firstCells.set(c.id, raw.trim());
      this.put(rec, c, raw, row.line);
    }
    // 受給者証券面項目 left empty, or not a column of the file: none (the JSON record's empty list).
    for (const c of this.layout.columns)
      if (c.kind === 'details' && c.part === 'record' && !rec.errors.has(fieldOf(c)) && getPath(rec.record, c.path) === undefined)
        setPath(rec.record, c.path, []);
    const open = { rec, key, firstCells };
    this.addParts(open, row, cells);
    return open;
  }

  private continue(
    open: { rec: AssembledRecord; firstCells: Map<string, string> },
    row: FileRow,
    cells: Map<Column, string>,
    rowErrors: RegistrationFileError[],
  ) {
    for (const [c, raw] of cells) {
      if (c.part !== 'record' || raw.trim() === '') continue;
      const first = open.firstCells.get(c.id) ?? '';
      if (toHalfWidthAscii(raw.trim()) !== toHalfWidthAscii(first))
        rowErrors.push(
          at(
            row.line,
            c.heading,
            `/${row.line}/${c.id}`,
            null,
            `differs from line ${open.rec.line}, the first row of this subject: leave it empty or write the same`,
          ),
        );
    }
    this.addParts(open, row, cells);
  }

  /** The row's dose, voucher and result, each when any of its cells is written. */
  private addParts(open: { rec: AssembledRecord }, row: FileRow, cells: Map<Column, string>) {
    for (const part of ROW_PARTS) {
      const own = [...cells].filter(([c, raw]) => c.part === part && raw.trim() !== '');
      if (own.length === 0) continue;
      const list = ((open.rec.record[PART_ARRAYS[part]] as Array<Record<string, unknown>> | undefined) ??= []);
      const item = list.length;
      list.push({});
      open.rec.partLines[part].push(row.line);
      for (const [c, raw] of own) this.put(open.rec, c, raw, row.line, item);
      // A list of name=content lines left empty (所見 none): the JSON record's empty list.
      for (const c of this.layout.columns)
        if (c.part === part && c.kind === 'details' && !open.rec.errors.has(fieldOf(c, item)) && getPath(list[item], c.path) === undefined)
          setPath(list[item], c.path, []);
    }
  }

  private put(rec: AssembledRecord, c: Column, raw: string, line: number, item?: number) {
    const read = readCell(c, raw, this.encoding());
    const field = fieldOf(c, item);
    if (read.error) {
      rec.errors.set(field, at(line, c.heading, `/${line}/${c.id}`, field, read.error));
      return;
    }
    if (read.value === undefined) return;
    if (c.part === 'record') setPath(rec.record, c.path, read.value);
    else setPath((rec.record[PART_ARRAYS[c.part]] as Array<Record<string, unknown>>)[item!], c.path, read.value);
  }
}

/**
 * A record's errors at their cells: the reader's, then the validation's (`/index/…` pointers of the
 * task), each validation error at the line of the part it is about and the column whose field is
 * the longest prefix of its pointer (a field no column fills: the record's first line, no column).
 */
export function placeErrors(
  layout: FileLayout,
  columns: ReadonlyArray<Column | null>,
  rec: AssembledRecord,
  index: number,
  validation: FieldError[],
): RegistrationFileError[] {
  const heading = new Map<string, string>();
  for (const c of columns) if (c) heading.set(c.id, c.heading);
  const out = [...rec.errors.values()];
  const taken = new Set(rec.errors.keys());
  const prefix = `/${index}`;
  for (const e of validation) {
    const field = e.pointer.startsWith(prefix) ? e.pointer.slice(prefix.length) : e.pointer;
    if ([...taken].some((t) => field === t || field.startsWith(`${t}/`))) continue;
    let line = rec.line;
    let best: Column | undefined;
    let bestLength = -1;
    const m = /^\/([A-Za-z]+)\/([0-9]+)(\/.*)?$/.exec(field);
    const part = m ? ROW_PARTS.find((p) => PART_ARRAYS[p] === m[1]) : undefined;
    for (const c of layout.columns) {
      let own: string;
      if (c.part === 'record') own = `/${c.path.join('/')}`;
      else {
        if (!m || c.part !== part) continue;
        own = `/${m[1]}/${m[2]}/${c.path.join('/')}`;
      }
      if ((field === own || field.startsWith(`${own}/`)) && own.length > bestLength) {
        best = c;
        bestLength = own.length;
      }
    }
    if (m && part) line = rec.partLines[part][Number(m[2])] ?? rec.line;
    const name = best ? (heading.get(best.id) ?? best.heading) : null;
    out.push(at(line, name, best ? `/${line}/${best.id}` : `/${line}`, field, e.message));
  }
  // In file order: by line, then by the column's place in the layout (errors of a whole row first).
  const place = (e: RegistrationFileError) => {
    const id = e.pointer.split('/')[2];
    return layout.columns.findIndex((c) => c.id === id);
  };
  return out.sort((a, b) => a.line - b.line || place(a) - place(b));
}
