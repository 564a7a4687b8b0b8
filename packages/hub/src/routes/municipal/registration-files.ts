import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import { MAX_FILE_ERRORS, hubApi, type FileProcess, type RegistrationFileCheck, type RegistrationFileError } from '@pmh/protocol';
import { auditStream } from '@pmh/core/audit/index';
import { ProblemError, type FieldError } from '@pmh/core/http/problem';
import type { Surface } from '@pmh/core/http/serve';
import { CsvText, csvEncodingOf, type CsvEncoding } from '@pmh/core/text/csv-input';
import { csvText } from '@pmh/core/text/csv-output';
import { sendCsv, wantsCsv } from './csv.ts';
import { encodeShiftJis } from '@pmh/core/text/shift-jis';
import { FILE_LAYOUTS, type FileLayout } from '../../domain/registration-files/layout.ts';
import { RecordAssembler, placeErrors, readHeadings, type AssembledRecord } from '../../domain/registration-files/reader.ts';
import { programIdsOf, validateSubsidyRecord } from '../../domain/medical-subsidy/record.ts';
import { validateVaccinationRecord } from '../../domain/vaccination/registration.ts';
import { validateMaternalChildRecord } from '../../domain/maternal-child/registration.ts';
import { CHUNK_SIZE, type StreamedTask } from '../../store/tasks.ts';
import type { MunicipalRepository } from '../../store/index.ts';
import type { MunicipalDeps } from './index.ts';
import { actorOf, auditableRequestId, scopeOf } from './scope.ts';

/** The largest file taken (a national-scale municipality's whole register fits several times over). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** Validates one batch of a file's records as the task's worker will (schema and meaning), with what it needs from the database. */
type BatchValidator = (repo: MunicipalRepository, records: AssembledRecord[], firstIndex: number) => Promise<FieldError[][]>;

const VALIDATORS: Record<FileProcess, BatchValidator> = {
  'medical-subsidy': async (repo, records, firstIndex) => {
    const programs = await repo.programs(programIdsOf(records.map((r) => r.record)));
    return records.map((r, i) => {
      const v = validateSubsidyRecord(r.record, firstIndex + i, programs);
      return 'errors' in v ? v.errors : [];
    });
  },
  vaccination: async (repo, records, firstIndex) => errorsOf(records, firstIndex, (r, index) => validateVaccinationRecord(r, index, repo.code)),
  'maternal-child': async (_repo, records, firstIndex) => errorsOf(records, firstIndex, validateMaternalChildRecord),
};

/** Each record's errors by one record validation (none for a valid record). */
function errorsOf(records: AssembledRecord[], firstIndex: number, validate: (r: unknown, index: number) => object): FieldError[][] {
  return records.map((r, i) => {
    const v = validate(r.record, firstIndex + i);
    return 'errors' in v ? (v.errors as FieldError[]) : [];
  });
}

/** The bytes of the body, counted (413 past the limit) and hashed (for Idempotency-Key) as they pass. */
async function* counted(body: Readable, hash: crypto.Hash): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > MAX_FILE_BYTES)
      throw new ProblemError(413, 'too-large', `A registration file may have at most ${MAX_FILE_BYTES / 1024 / 1024} MiB; split it into several files.`);
    hash.update(b);
    yield b;
  }
}

/** The `charset` of a Content-Type. */
const charsetOf = (contentType: string | undefined): string | undefined => /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];

interface FileOutcome {
  encoding: CsvEncoding;
  rows: number;
  records: number;
  rowsWithErrors: number;
  errors: RegistrationFileError[];
  truncated: boolean;
}

/**
 * Reads a file as it streams: the headings, then rows into records, each batch of records validated
 * (and, when `task` is given and no error has been seen, written as one chunk of it). Every error is
 * collected, up to MAX_FILE_ERRORS listed.
 */
async function readFile(
  layout: FileLayout,
  text: CsvText,
  validate: (records: AssembledRecord[], firstIndex: number) => Promise<FieldError[][]>,
  task: StreamedTask | undefined,
): Promise<FileOutcome> {
  const out: FileOutcome = { encoding: 'utf-8', rows: 0, records: 0, rowsWithErrors: 0, errors: [], truncated: false };
  const linesWithErrors = new Set<number>();
  const report = (errors: RegistrationFileError[]) => {
    for (const e of errors) {
      linesWithErrors.add(e.line);
      if (out.errors.length < MAX_FILE_ERRORS) out.errors.push(e);
      else out.truncated = true;
    }
  };
  let columns: ReturnType<typeof readHeadings>['columns'] | undefined;
  let assembler: RecordAssembler | undefined;
  let batch: AssembledRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const firstIndex = out.records;
    const found = await validate(batch, firstIndex);
    batch.forEach((r, i) => report(placeErrors(layout, columns!, r, firstIndex + i, found[i])));
    out.records += batch.length;
    if (task && linesWithErrors.size === 0) await task.add(batch.map((r) => r.record));
    batch = [];
  };

  const parser = Readable.from(text).pipe(parse({ info: true, relax_column_count: true, skip_empty_lines: true }));
  try {
    for await (const { record: cells, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      // `info.lines` is the record's last line (line ends are LF by now); a quoted value may span lines.
      const line = info.lines - cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
      if (!columns) {
        const h = readHeadings(layout, cells);
        if (h.errors.length > 0) {
          report(h.errors);
          parser.destroy();
          break;
        }
        columns = h.columns;
        assembler = new RecordAssembler(layout, columns, () => text.encoding ?? 'utf-8');
        continue;
      }
      if (cells.every((c) => c.trim() === '')) continue;
      out.rows++;
      const { done, rowErrors } = assembler!.push({ line, cells });
      report(rowErrors);
      batch.push(...done);
      if (batch.length >= CHUNK_SIZE) await flush();
    }
  } catch (e) {
    if (e instanceof ProblemError) throw e;
    const lines = (e as { lines?: number }).lines;
    if (typeof lines !== 'number') throw e;
    // csv-parse: a quote not closed, or a character after a closing quote.
    report([
      {
        pointer: `/${lines}`,
        line: lines,
        column: null,
        field: null,
        message: 'is not CSV here (a quote opened and not closed, or text after a closing quote)',
      },
    ]);
  }
  if (assembler) batch.push(...assembler.end());
  await flush();
  if (!columns && out.errors.length === 0)
    report([{ pointer: '/1', line: 1, column: null, field: null, message: 'the file is empty: it needs the heading row' }]);
  out.encoding = text.encoding ?? 'utf-8';
  out.rowsWithErrors = linesWithErrors.size;
  return out;
}

const ERROR_CSV_HEADER = ['line', 'column', 'field', 'message'];

/**
 * `POST /municipal/v1/{process}/registration-files` (a CSV file → one registration task, or a dry
 * run) and `GET …/registration-files/template`.
 */
export function registrationFileRoutes(s: Surface, deps: MunicipalDeps): void {
  s.serve(
    hubApi.municipal.registerFile,
    async (req, reply) => {
      const process = req.params.process;
      const layout = FILE_LAYOUTS[process];
      const dryRun = req.query.dryRun === 'true';
      const declared = csvEncodingOf(charsetOf(req.headers['content-type']));
      const hash = crypto.createHash('sha256');
      // No body at all reads as an empty file (its answer says what is missing).
      const body = (req.body as unknown as Readable | undefined) ?? Readable.from([]);
      const text = new CsvText(counted(body, hash), declared);
      const scope = scopeOf(req);
      const actor = actorOf(req, scope.code);
      const idempotencyKey = dryRun ? undefined : req.headers['idempotency-key'];

      const answer = await scope.run(async (repo) => {
        if (idempotencyKey) {
          const prior = await repo.taskByIdempotencyKey(idempotencyKey);
          if (prior) {
            for await (const _ of text);
            if (prior.requestHash !== hash.digest('base64url'))
              throw new ProblemError(409, 'idempotency-key-reused', 'This Idempotency-Key was used before with a different file.');
            return { accepted: { taskId: prior.taskId, status: prior.status, total: prior.total }, outcome: undefined };
          }
        }
        const task = dryRun ? undefined : await repo.openStreamedTask({ process, clientId: req.principal!.clientId });
        const outcome = await readFile(layout, text, (records, firstIndex) => VALIDATORS[process](repo, records, firstIndex), task);
        const valid = outcome.errors.length === 0 && !outcome.truncated;
        await repo.audit([
          {
            stream: auditStream(actor, `registration-file:${process}`),
            actor,
            action: dryRun ? 'registration-file.checked' : valid ? 'registration-file.accepted' : 'registration-file.refused',
            subjectRef: null,
            purpose: 'municipal-api',
            outcome: valid ? 'ok' : 'refused',
            detail: { process, rows: outcome.rows, records: outcome.records, rowsWithErrors: outcome.rowsWithErrors, requestId: auditableRequestId(req.id) },
          },
        ]);
        if (dryRun) return { accepted: undefined, outcome };
        if (!valid)
          // Thrown inside the transaction: the task and every chunk written go with it.
          throw new ProblemError(422, 'file-refused', fileRefusal(outcome), { extra: { errors: outcome.errors, truncated: outcome.truncated } });
        const accepted = await task!.close(hash.digest('base64url'), idempotencyKey);
        return { accepted: { taskId: accepted.taskId, status: accepted.status, total: accepted.total }, outcome };
      });

      if (answer.accepted) {
        deps.wakeWorker();
        reply.status(202).header('location', `/municipal/v1/registration-tasks/${answer.accepted.taskId}`);
        return { ...answer.accepted, rows: answer.outcome?.rows ?? answer.accepted.total, encoding: answer.outcome?.encoding ?? 'utf-8' };
      }
      const o = answer.outcome!;
      const check: RegistrationFileCheck = {
        valid: o.errors.length === 0,
        encoding: o.encoding,
        rows: o.rows,
        records: o.records,
        rowsWithErrors: o.rowsWithErrors,
        errors: o.errors,
        truncated: o.truncated,
      };
      if (!wantsCsv(req.headers.accept)) return check;
      const csv = csvText(
        ERROR_CSV_HEADER,
        o.errors.map((e) => [e.line, e.column, e.field, e.message]),
      );
      return sendCsv(reply, csv, req.query.charset);
    },
    {
      // The body is the file, read as it streams (and bounded there, MAX_FILE_BYTES); every cell is
      // checked against the wire's text rule as its record is validated.
      config: { textCheckedLater: true },
    },
  );

  s.serve(hubApi.municipal.registrationFileTemplate, async (req, reply) => {
    const layout = FILE_LAYOUTS[req.params.process];
    const rows = req.query.example === 'true' ? [layout.columns.map((c) => c.example)] : [];
    const csv = csvText(
      layout.columns.map((c) => c.heading),
      rows,
    );
    const shiftJis = req.query.charset === 'shift_jis';
    reply
      .type(`text/csv; charset=${shiftJis ? 'Shift_JIS' : 'utf-8'}`)
      .header('content-disposition', `attachment; filename="${req.params.process}-registration-template.csv"`);
    // UTF-8 with a BOM: Excel opens it as UTF-8 (without one it guesses Shift_JIS).
    return reply.send(shiftJis ? encodeShiftJis(csv) : `\ufeff${csv}`);
  });
}

function fileRefusal(o: FileOutcome): string {
  return `The file was not registered: ${o.rowsWithErrors} of its ${o.rows} rows have errors (every one is listed by line and column). Nothing was written; correct the file and send it again, or check it first with dryRun=true.`;
}
