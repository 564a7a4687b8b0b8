import { LOCAL_GOVERNMENT_LIST, LOCAL_GOVERNMENT_ROWS } from './local-governments-data.ts';

/**
 * Names for 全国地方公共団体コード (6 digits with check digit): the national list of local public bodies,
 * for every page and service that shows a municipality. Not exported from the package index, so a
 * page that never names a municipality does not carry the list; import `@pmh/protocol/local-governments`
 * (a web page does it with a dynamic import, which the bundler splits into a chunk of its own).
 */
export { LOCAL_GOVERNMENT_LIST };

/** prefecture (都道府県), municipality (市区町村, 特別区 included) or ward (政令指定都市の区). */
export type LocalGovernmentKind = 'prefecture' | 'municipality' | 'ward';

export interface LocalGovernment {
  /** 全国地方公共団体コード, 6 digits */
  code: string;
  kind: LocalGovernmentKind;
  /** 都道府県名 */
  prefecture: string;
  /** The body's own name: 千代田区, 大阪市, 札幌市中央区 (a ward with its city), 東京都 */
  name: string;
  /** Katakana reading, '' where the list has none (wards) */
  kana: string;
  /** The name a reader can place without knowing the prefecture: 東京都千代田区, 北海道札幌市中央区, 東京都 */
  fullName: string;
}

let index: Map<string, LocalGovernment> | undefined;

function byCode(): Map<string, LocalGovernment> {
  if (!index) {
    index = new Map();
    for (const line of LOCAL_GOVERNMENT_ROWS.split('\n')) {
      const [code, kind, prefecture, name, kana = ''] = line.split('\t');
      const fullName = kind === 'prefecture' ? name : prefecture + name;
      index.set(code, { code, kind: kind as LocalGovernmentKind, prefecture, name, kana, fullName });
    }
  }
  return index;
}

/** The body a 6-digit code names, or undefined for a code not in the list. */
export function localGovernment(code: string): LocalGovernment | undefined {
  return byCode().get(code);
}

/** 東京都千代田区 for 131016; undefined for a code not in the list (show the code then). */
export function localGovernmentName(code: string): string | undefined {
  return byCode().get(code)?.fullName;
}

/** Every body in the list, in code order. */
export function localGovernments(): LocalGovernment[] {
  return [...byCode().values()];
}
