import { Type, type Static } from 'typebox';
import { DateIn } from './text.ts';

/** RFC 9457 problem details, as every service answers errors. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, $id: 'Problem' },
);
export type ProblemBody = Static<typeof ProblemSchema>;

/** A date of service (a validity period, the day it is asked about): 1900-01-01 … 2199-12-31. */
export const IsoDate = (description: string) => DateIn('service', description);

/**
 * `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): a Structured Field string, i.e.
 * printable ASCII, here at most 200 characters.
 */
export const IdempotencyHeaders = Type.Object(
  {
    'idempotency-key': Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '^[\\x20-\\x7E]+$',
        description: 'makes a retried write safe: the same key and body answer the first result',
      }),
    ),
  },
  { additionalProperties: true },
);

/**
 * A yes/no flag of the published PMH municipal API, which writes some as booleans (`isDeleted`,
 * `isNotDisclosed`) and others as "0"/"1" (`isAlwaysReimbursement`). Both spellings are accepted
 * for every flag; `published` says which one the published API uses, and is listed first.
 */
export function Flag(description: string, published: 'boolean' | '0/1') {
  const options = {
    description: `${description} (${published === 'boolean' ? 'true/false; "1"/"0" are accepted too' : '"1"/"0"; true/false are accepted too'})`,
  };
  return published === 'boolean' ? Type.Union([Type.Boolean(), Type.Enum(['0', '1'])], options) : Type.Union([Type.Enum(['0', '1']), Type.Boolean()], options);
}

export function flagValue(v: '0' | '1' | boolean | undefined): boolean {
  return v === true || v === '1';
}

export const errorResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
} as const;
