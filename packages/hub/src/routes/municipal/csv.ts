import type { FastifyReply } from 'fastify';
import { encodeShiftJis } from '@pmh/core/text/shift-jis';

/**
 * CSV answers of the municipal downloads (the vaccination records feed, the claims): asked for with
 * `Accept: text/csv`, in UTF-8 or, with `charset=shift_jis`, in Windows-31J for legacy systems.
 */

/** CSV when the caller asks for it before JSON (`Accept: text/csv`). */
export function wantsCsv(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/csv\b/i.test(accept);
}

/** RFC 4180: a header row, CRLF line ends, a field quoted when it holds a comma, a quote or a line break. */
export function toCsv<T extends object, K extends keyof T & string>(columns: readonly K[], items: readonly T[]): string {
  const field = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [columns.join(',')];
  for (const item of items) lines.push(columns.map((c) => field(item[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Sends the CSV in the charset asked for. */
export function sendCsv(reply: FastifyReply, csv: string, charset: 'utf-8' | 'shift_jis' | undefined): FastifyReply {
  const shiftJis = charset === 'shift_jis';
  reply.type(`text/csv; charset=${shiftJis ? 'Shift_JIS' : 'utf-8'}`);
  return reply.send(shiftJis ? encodeShiftJis(csv) : csv);
}
