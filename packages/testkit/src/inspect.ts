import { sql, type Kysely } from 'kysely';
import { IDENTIFIER_PATTERNS } from '@pmh/protocol';
import type { ObservedExchange } from '@pmh/core/http/app';

/** Every row of every table of a database, as text: what a search for a leaked identifier reads. */
export async function databaseText(db: Kysely<any>): Promise<string> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await sql<{ t: string }>`select t::text as t from ${sql.table(table_name)} t`.execute(db);
    parts.push(`## ${table_name}\n`, ...rows.map((r) => r.t + '\n'));
  }
  return parts.join('');
}

export type IdentifierKind = keyof typeof IDENTIFIER_PATTERNS | 'myNumber' | 'cardSerial';

/** The identifiers of each kind found in a text. */
export function identifiersIn(text: string, known: { myNumbers: string[]; cardSerials: string[] }): Record<IdentifierKind, Set<string>> {
  const found = Object.fromEntries(Object.entries(IDENTIFIER_PATTERNS).map(([k, re]) => [k, new Set(text.match(new RegExp(re.source, 'g')) ?? [])])) as Record<
    IdentifierKind,
    Set<string>
  >;
  found.myNumber = new Set(known.myNumbers.filter((n) => text.includes(n)));
  found.cardSerial = new Set(known.cardSerials.filter((s) => text.includes(s)));
  return found;
}

/** The text of what a service received and answered, per service: every message that crossed a boundary. */
export function exchangesText(exchanges: ObservedExchange[], filter: (e: ObservedExchange) => boolean): string {
  return exchanges
    .filter(filter)
    .map((e) => `${e.service} ${e.method} ${e.url}\n${JSON.stringify(e.request ?? null)}\n${e.response}\n`)
    .join('');
}

const fullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const percent = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');

/**
 * Every way the tests know of writing an identifier where a reader would still recognise it: as it
 * is, full-width, percent-encoded (also its full-width form, also twice), and a My Number also in
 * its three groups of four joined by hyphens, spaces, dots, ideographic spaces, encoded hyphens or `+`.
 */
export function spellings(v: string): string[] {
  const out = [v, fullWidth(v), percent(v), percent(fullWidth(v)), encodeURIComponent(percent(v))];
  if (/^\d{12}$/.test(v)) {
    const groups = [v.slice(0, 4), v.slice(4, 8), v.slice(8)];
    for (const sep of ['-', ' ', '.', '　', '%2D', '+']) out.push(groups.join(sep));
    out.push(fullWidth(groups.join('-')), percent(fullWidth(groups.join('.'))));
  }
  return out;
}
