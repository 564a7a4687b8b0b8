import { WIRE_FORMATS, isSingleLineText } from '@pmh/protocol';
import type { AuditCursor } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';

/** `nextBefore`: the last row's keyset position, opaque to the caller. */
export function encodeCursor(c: AuditCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.stream, c.seq]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string, pointer = '/query/before'): AuditCursor {
  try {
    const [at, stream, seq] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    // Decoded here, past the schema: held to the wire's rules before it reaches SQL.
    if (
      typeof at === 'string' &&
      WIRE_FORMATS['past-time'](at) &&
      typeof stream === 'string' &&
      stream.length <= 200 &&
      isSingleLineText(stream) &&
      Number.isSafeInteger(seq) &&
      (seq as number) >= 0
    )
      return { at: new Date(at).toISOString(), stream, seq: seq as number };
  } catch {
    /* answered below */
  }
  throw new ProblemError(400, 'validation', 'The request does not match the schema.', {
    errors: [{ pointer, message: 'is not a nextBefore this endpoint gave' }],
  });
}
