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

/** A "0"/"1" flag as the published PMH API writes them; booleans are accepted as well. */
export const Flag = (description: string) => Type.Union([Type.Enum(['0', '1']), Type.Boolean()], { description });

export function flagValue(v: '0' | '1' | boolean | undefined): boolean {
  return v === true || v === '1';
}

export const errorResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
} as const;
