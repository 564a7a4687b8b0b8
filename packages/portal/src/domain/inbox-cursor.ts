import { WIRE_FORMATS } from '@pmh/protocol';

/** Keyset position in an inbox: the last item of the previous page. */
export interface InboxCursor {
  publishedAt: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The inbox page cursor: opaque to the client (base64url of the last item's time and id). */
export function encodeCursor(c: InboxCursor): string {
  return Buffer.from(`${c.publishedAt} ${c.id}`, 'utf8').toString('base64url');
}

/**
 * The cursor, or undefined when it is not one this inbox gave. Decoded past the schema, so held to
 * the wire's rules (an RFC 3339 moment, not any text Date.parse takes) before it reaches SQL.
 */
export function decodeCursor(s: string): InboxCursor | undefined {
  const [publishedAt, id] = Buffer.from(s, 'base64url').toString('utf8').split(' ');
  if (!publishedAt || !id || !UUID.test(id) || !WIRE_FORMATS['past-time'](publishedAt)) return undefined;
  return { publishedAt, id };
}
