import { sql, type Kysely } from 'kysely';
import { FieldCipher, type FieldRef } from './fieldcipher.ts';

/** A column whose first-format ciphertexts (bound to the column only) are to be bound to their rows. */
export interface FirstFormatColumn {
  table: string;
  column: string;
  /** The columns that identify a row, with their SQL types (for paging through the table in key order). */
  key: Array<{ column: string; type: 'uuid' | 'text' | 'integer' | 'bigint' }>;
  /** The associated data the value was sealed with (its column's context). */
  legacyContext(key: string[]): string;
  /** Where the value lives, for its new associated data. */
  at(key: string[]): FieldRef;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * Re-seals every first-format ciphertext of a column for its row (a data migration; the new form
 * is the only one read afterwards), a page of 1,000 rows per statement pair, in key order. A value
 * that does not open is left as it is, and counted: it will be refused where it is used.
 */
export async function resealFirstFormat(trx: Kysely<any>, cipher: FieldCipher, c: FirstFormatColumn): Promise<{ resealed: number; unopenable: number }> {
  for (const id of [c.table, c.column, ...c.key.map((k) => k.column)]) if (!IDENT.test(id)) throw new Error(`not an SQL identifier: ${id}`);
  const keyList = sql.join(c.key.map((k) => sql.ref(k.column)));
  const keyText = sql.join(c.key.map((k, i) => sql`${sql.ref(k.column)}::text as ${sql.ref(`k${i}`)}`));
  const col = sql.ref(c.column);
  let after: string[] | undefined;
  let resealed = 0;
  let unopenable = 0;
  for (;;) {
    const from = after ? sql`and (${keyList}) > (${sql.join(after.map((v, i) => sql`${v}::${sql.raw(c.key[i].type)}`))})` : sql``;
    const { rows } = await sql<Record<string, string>>`
      select ${keyText}, ${col} as v from ${sql.table(c.table)}
      where ${col} is not null and ${col} not like 'r1.%' ${from}
      order by ${keyList} limit 1000`.execute(trx);
    if (rows.length === 0) return { resealed, unopenable };
    const updates: Array<{ k: string[]; v: string }> = [];
    for (const r of rows) {
      const key = c.key.map((_, i) => r[`k${i}`]);
      if (!FieldCipher.isLegacy(r.v)) {
        unopenable++;
        continue;
      }
      try {
        updates.push({ k: key, v: cipher.encrypt(cipher.decryptLegacy(r.v, c.legacyContext(key)), c.at(key)) });
      } catch {
        unopenable++;
      }
    }
    if (updates.length) {
      const match = sql.join(
        c.key.map((k, i) => sql`t.${sql.ref(k.column)} = (x.k ->> ${sql.raw(String(i))})::${sql.raw(k.type)}`),
        sql` and `,
      );
      await sql`
        update ${sql.table(c.table)} t set ${col} = x.v
        from json_to_recordset(${JSON.stringify(updates)}::json) as x(k json, v text)
        where ${match}`.execute(trx);
      resealed += updates.length;
    }
    const last = rows[rows.length - 1];
    after = c.key.map((_, i) => last[`k${i}`]);
  }
}
