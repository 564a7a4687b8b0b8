import { Type, type Static } from 'typebox';

/**
 * Registration files (`/municipal/v1/{process}/registration-files`): what a municipal officer
 * uploads from the municipality's own system — a CSV file, in Shift_JIS (Windows-31J) or UTF-8
 * with or without a BOM, with Japanese-era or Western dates and full-width digits — read as the
 * JSON registration task of the same process, and applied as one.
 */

/** The processes that take registration files (the path's `{process}`). */
export const FILE_PROCESSES = ['medical-subsidy', 'vaccination', 'maternal-child'] as const;
export type FileProcess = (typeof FILE_PROCESSES)[number];

export const RegistrationFileParams = Type.Object({
  process: Type.Enum([...FILE_PROCESSES], { description: 'the registration process the file belongs to' }),
});

/** The charsets a CSV file may be sent in (the `charset` parameter of its Content-Type, or `?charset=`). */
export const CSV_CHARSETS = ['utf-8', 'shift_jis'] as const;

export const RegistrationFileQuery = Type.Object(
  {
    dryRun: Type.Optional(Type.Enum(['true', 'false'], { description: 'true: check every row and answer every error, write nothing (default false)' })),
    charset: Type.Optional(
      Type.Enum([...CSV_CHARSETS], {
        description:
          'the encoding of a dry run’s errors as CSV (`Accept: text/csv`; default utf-8). The file’s own encoding is its Content-Type’s charset, or detected',
      }),
    ),
    municipalityCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', maxLength: 6, description: 'admin only: the municipality acted for' })),
  },
  { additionalProperties: false },
);

/** One error of a file: where it is (line and column, as a spreadsheet shows them) and what is wrong. */
export const RegistrationFileError = Type.Object({
  pointer: Type.String({ description: '`/{line}/{columnId}`: the line (1 = the header row) and the column’s id' }),
  line: Type.Integer({ minimum: 1, description: 'the line of the file (1 = the header row)' }),
  column: Type.Union([Type.String(), Type.Null()], { description: 'the column’s heading as the file has it; null for an error of the whole row' }),
  field: Type.Union([Type.String(), Type.Null()], {
    description: 'the field of the registration record (a JSON pointer into one record), when the error is one',
  }),
  message: Type.String(),
});
export type RegistrationFileError = Static<typeof RegistrationFileError>;

/** The most errors one answer lists (the counts are always whole). */
export const MAX_FILE_ERRORS = 10_000;

/** `?dryRun=true`: every error of every row, nothing written. */
export const RegistrationFileCheck = Type.Object({
  valid: Type.Boolean({ description: 'no error: the same file without dryRun would be accepted' }),
  encoding: Type.Enum(['utf-8', 'shift_jis'], { description: 'the encoding the file was read in' }),
  rows: Type.Integer({ description: 'data rows read (the header row not counted)' }),
  records: Type.Integer({ description: 'registration records they make (several rows may make one record)' }),
  rowsWithErrors: Type.Integer(),
  errors: Type.Array(RegistrationFileError, { description: `in file order; at most ${MAX_FILE_ERRORS.toLocaleString('en-US')}` }),
  truncated: Type.Boolean({ description: 'more errors than listed' }),
});
export type RegistrationFileCheck = Static<typeof RegistrationFileCheck>;

/** A file accepted: one registration task. */
export const RegistrationFileAccepted = Type.Object({
  taskId: Type.String({ format: 'uuid' }),
  status: Type.String(),
  total: Type.Integer({ description: 'records in the task' }),
  rows: Type.Integer({ description: 'data rows read' }),
  encoding: Type.Enum(['utf-8', 'shift_jis']),
});
export type RegistrationFileAccepted = Static<typeof RegistrationFileAccepted>;

/** A file refused (422): nothing was written; every error, as a dry run lists them. */
export const RegistrationFileRefused = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    errors: Type.Array(RegistrationFileError),
    truncated: Type.Boolean(),
  },
  { additionalProperties: true },
);

export const RegistrationFileTemplateQuery = Type.Object(
  {
    charset: Type.Optional(Type.Enum([...CSV_CHARSETS], { description: 'the template’s encoding (default utf-8 with a BOM, which Excel reads)' })),
    example: Type.Optional(Type.Enum(['true', 'false'], { description: 'true: an example row after the headings (delete it before uploading)' })),
    municipalityCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', maxLength: 6, description: 'admin only' })),
  },
  { additionalProperties: false },
);
