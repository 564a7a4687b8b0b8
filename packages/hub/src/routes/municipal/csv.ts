import type { FastifyReply } from 'fastify';
import { csvText, wantsCsv } from '@pmh/core/text/csv-output';
import { encodeShiftJis } from '@pmh/core/text/shift-jis';

/**
 * CSV answers of the municipal downloads (the vaccination records feed, the claims, a registration
 * file's errors): asked for with `Accept: text/csv`, in UTF-8 or, with `charset=shift_jis`, in
 * Windows-31J for legacy systems.
 */

export { wantsCsv };

/** RFC 4180 (core `csvText`): a header row of the columns, then each item's values in their order. */
export function toCsv<T extends object, K extends keyof T & string>(columns: readonly K[], items: readonly T[]): string {
  return csvText(
    columns,
    items.map((item) => columns.map((c) => item[c])),
  );
}

/** Sends the CSV in the charset asked for. */
export function sendCsv(reply: FastifyReply, csv: string, charset: 'utf-8' | 'shift_jis' | undefined): FastifyReply {
  const shiftJis = charset === 'shift_jis';
  reply.type(`text/csv; charset=${shiftJis ? 'Shift_JIS' : 'utf-8'}`);
  return reply.send(shiftJis ? encodeShiftJis(csv) : csv);
}
