import { myNumberCheckDigit, payerNumberCheckDigit, recipientNumberCheckDigit } from '@pmh/core/text/checkdigits';

/**
 * Synthetic identifiers with valid check digits, from a seeded generator so runs repeat.
 * Nothing here is a real person's number.
 */
export class Rng {
  constructor(private s: number) {}
  next(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += this.int(10);
    return s;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

export function myNumber(rng: Rng): string {
  const body = rng.digits(11);
  return body + myNumberCheckDigit(body);
}

export function payerNumber(legalBasis: string, prefecture: string, agency: string): string {
  const body = legalBasis + prefecture + agency;
  return body + payerNumberCheckDigit(body);
}

export function recipientNumber(rng: Rng): string {
  const body = rng.digits(6);
  return body + recipientNumberCheckDigit(body);
}

export const FAMILY = [
  ['山田', 'ヤマダ'],
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['渡辺', 'ワタナベ'],
  ['伊藤', 'イトウ'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['𠮷田', 'ヨシダ'],
] as const;
export const GIVEN = [
  ['太郎', 'タロウ'],
  ['花子', 'ハナコ'],
  ['翔', 'ショウ'],
  ['陽菜', 'ヒナ'],
  ['蓮', 'レン'],
  ['結衣', 'ユイ'],
  ['大翔', 'ヒロト'],
  ['さくら', 'サクラ'],
] as const;

/** A name drawn from a pool of surnames and given names (each `[kanji, kana]`); the fixtures' pool unless given. */
export function personName(
  rng: Rng,
  family: ReadonlyArray<readonly [string, string]> = FAMILY,
  given: ReadonlyArray<readonly [string, string]> = GIVEN,
): { name: string; nameKana: string } {
  const f = rng.pick(family);
  const g = rng.pick(given);
  return { name: `${f[0]}　${g[0]}`, nameKana: `${f[1]}　${g[1]}` };
}

export function dateBetween(rng: Rng, fromYear: number, toYear: number): string {
  const y = fromYear + rng.int(toYear - fromYear + 1);
  const m = 1 + rng.int(12);
  const d = 1 + rng.int(28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
