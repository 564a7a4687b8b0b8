#!/usr/bin/env node
// Rewrites packages/protocol/src/local-governments-data.ts from the 総務省 list of local public bodies
// (全国地方公共団体コード, https://www.soumu.go.jp/denshijiti/code.html).
//
// 総務省 publishes the list as one Excel workbook with two sheets. Save each sheet as a UTF-8 CSV
// (header row kept) and run:
//
//   node scripts/update-local-governments.mjs --as-of 2024-01-01 \
//     --bodies 現在の団体.csv --wards 政令指定都市.csv [--source-note "…"]
//
// --bodies: the sheet of current bodies. Columns: 団体コード, 都道府県名（漢字）, 市区町村名（漢字）,
//           都道府県名（カナ）, 市区町村名（カナ） — a prefecture's row has an empty municipality name.
// --wards:  the sheet of 政令指定都市 and their wards. Columns: 団体コード, 市区町村名（漢字）,
//           市区町村名（カナ） (kana may be empty); the city's own row is skipped (it is a body).
// Every code's check digit is verified before anything is written; a bad code stops the script.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    'as-of': { type: 'string' },
    bodies: { type: 'string' },
    wards: { type: 'string' },
    'source-note': { type: 'string', default: '' },
  },
});
if (!values['as-of'] || !values.bodies || !values.wards) {
  console.error('usage: node scripts/update-local-governments.mjs --as-of YYYY-MM-DD --bodies bodies.csv --wards wards.csv [--source-note text]');
  process.exit(2);
}

/** The same rule as core's localGovernmentCodeCheckDigit: weights 6,5,4,3,2; (11 − Σ mod 11) mod 10. */
function checkDigit(first5) {
  const d = [...first5].map(Number);
  return (11 - ((d[0] * 6 + d[1] * 5 + d[2] * 4 + d[3] * 3 + d[4] * 2) % 11)) % 10;
}
function valid(code) {
  return /^\d{6}$/.test(code) && checkDigit(code.slice(0, 5)) === Number(code[5]);
}
function rows(file) {
  return fs
    .readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(1)
    .map((l) => l.split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
}
/** Half-width kana (as 総務省 publishes it) to full-width, and nothing else changed. */
const kana = (s) => (s ?? '').normalize('NFKC');

const out = [];
const prefectureOf = new Map();
for (const [code, prefecture, city, prefectureKana, cityKana] of rows(values.bodies)) {
  if (!valid(code)) throw new Error(`bodies: ${code} has a wrong check digit`);
  if (!city) {
    prefectureOf.set(code.slice(0, 2), prefecture);
    out.push([code, 'prefecture', prefecture, prefecture, kana(prefectureKana)]);
  } else out.push([code, 'municipality', prefecture, city, kana(cityKana)]);
}
const cities = new Set(out.filter((r) => r[1] === 'municipality').map((r) => r[0]));
for (const [code, name, wardKana] of rows(values.wards)) {
  if (!valid(code)) throw new Error(`wards: ${code} has a wrong check digit`);
  if (cities.has(code)) continue;
  const prefecture = prefectureOf.get(code.slice(0, 2));
  if (!prefecture) throw new Error(`wards: ${code} is in no prefecture of the bodies file`);
  out.push([code, 'ward', prefecture, name, kana(wardKana)]);
}
out.sort((a, b) => a[0].localeCompare(b[0]));
for (const r of out) if (r.some((c) => /[\t\n`\\$]/.test(c))) throw new Error(`${r[0]}: a character the data file cannot hold`);

const count = (kind) => out.filter((r) => r[1] === kind).length;
const file = path.resolve(import.meta.dirname, '../packages/protocol/src/local-governments-data.ts');
/** The source note, wrapped at about 100 columns for the header comment. */
const note = values['source-note']
  ? `\n *\n${values['source-note']
      .split(/\s+/)
      .reduce((lines, word) => {
        if (lines.length && (lines.at(-1) + ' ' + word).length <= 100) lines[lines.length - 1] += ' ' + word;
        else lines.push(word);
        return lines;
      }, [])
      .map((l) => ` * ${l}`)
      .join('\n')}`
  : '';
fs.writeFileSync(
  file,
  `/**
 * 全国地方公共団体コード: every prefecture, municipality (市区町村, the 23 特別区 included) and ward of a
 * 政令指定都市, as 総務省 publishes them at https://www.soumu.go.jp/denshijiti/code.html.
 * Written by scripts/update-local-governments.mjs (see docs/names.md for how to update); do not edit
 * by hand.${note}
 */

/** What this list is and where it comes from. */
export const LOCAL_GOVERNMENT_LIST = {
  asOf: '${values['as-of']}',
  source: '総務省 全国地方公共団体コード',
  sourceUrl: 'https://www.soumu.go.jp/denshijiti/code.html',
  prefectures: ${count('prefecture')},
  municipalities: ${count('municipality')},
  wards: ${count('ward')},
} as const;

/** One body a line: code, kind (prefecture | municipality | ward), prefecture, name, kana — tab-separated. */
export const LOCAL_GOVERNMENT_ROWS = \`${out.map((r) => r.join('\t')).join('\n')}\`;
`,
);
console.log(`wrote ${path.relative(process.cwd(), file)}: ${count('prefecture')} prefectures, ${count('municipality')} municipalities, ${count('ward')} wards`);
