import { Type, type Static } from 'typebox';

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

export const IsoDate = (description?: string) => Type.String({ format: 'date', description });

/** A "0"/"1" flag as the published PMH API writes them; booleans are accepted as well. */
export const Flag = (description: string) =>
  Type.Union([Type.Enum(['0', '1']), Type.Boolean()], { description });

export function flagValue(v: '0' | '1' | boolean | undefined): boolean {
  return v === true || v === '1';
}

export const errorResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
} as const;
