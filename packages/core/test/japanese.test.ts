import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  JAPANESE_ERAS,
  halfWidthKatakanaToFullWidth,
  hiraganaToKatakana,
  isKatakanaName,
  isValidIsoDate,
  normalizeDigits,
  normalizeKanaName,
  normalizeName,
  parseJapaneseDate,
  toHalfWidthAscii,
  toJapaneseEraDate,
} from '../src/text/japanese.ts';

const IS = '\u3000'; // ideographic space

describe('width conversion', () => {
  test('toHalfWidthAscii converts U+FF01–U+FF5E and U+3000', () => {
    assert.equal(toHalfWidthAscii('ＡＢＣ　ｘｙｚ０１２３４５６７８９'), 'ABC xyz0123456789');
    assert.equal(toHalfWidthAscii('！＂＃＄％＆＇（）＊＋，－．／：；＜＝＞？＠［＼］＾＿｀｛｜｝～'), '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
    assert.equal(toHalfWidthAscii('山田　太郎（ﾔﾏﾀﾞ）'), '山田 太郎(ﾔﾏﾀﾞ)'); // kanji and half-width kana untouched
    assert.equal(toHalfWidthAscii('abc 123'), 'abc 123');
  });

  test('normalizeDigits converts only digits and trims', () => {
    assert.equal(normalizeDigits('　１２３４５６７８９０１２ '), '123456789012');
    assert.equal(normalizeDigits(' ０３－１２３４ '), '03－1234'); // full-width hyphen left alone
    assert.equal(normalizeDigits('Ｒ６'), 'Ｒ6');
  });

  test('halfWidthKatakanaToFullWidth handles dakuten, handakuten and punctuation', () => {
    assert.equal(halfWidthKatakanaToFullWidth('ｶﾞ'), 'ガ');
    assert.equal(halfWidthKatakanaToFullWidth('ﾊﾟ'), 'パ');
    assert.equal(halfWidthKatakanaToFullWidth('ｳﾞ'), 'ヴ');
    assert.equal(halfWidthKatakanaToFullWidth('ﾜﾞ'), 'ヷ');
    assert.equal(halfWidthKatakanaToFullWidth('ﾔﾏﾀﾞ ﾀﾛｳ'), 'ヤマダ タロウ');
    assert.equal(halfWidthKatakanaToFullWidth('ﾎﾟｰﾙ･ｽﾐｽ'), 'ポール・スミス');
    assert.equal(halfWidthKatakanaToFullWidth('｡｢｣､'), '。「」、');
    assert.equal(halfWidthKatakanaToFullWidth('ｧｨｩｪｫｬｭｮｯｦﾝ'), 'ァィゥェォャュョッヲン');
    assert.equal(halfWidthKatakanaToFullWidth('ｷﾞｮｳｻﾞ'), 'ギョウザ');
    assert.equal(halfWidthKatakanaToFullWidth('ﾋﾞﾋﾟﾌﾞﾌﾟ'), 'ビピブプ');
  });

  test('halfWidthKatakanaToFullWidth leaves non-combinable marks as spacing ゛゜', () => {
    assert.equal(halfWidthKatakanaToFullWidth('ｱﾞ'), 'ア゛');
    assert.equal(halfWidthKatakanaToFullWidth('ｶﾟ'), 'カ゜');
    assert.equal(halfWidthKatakanaToFullWidth('ﾞ'), '゛');
    assert.equal(halfWidthKatakanaToFullWidth('abc漢字'), 'abc漢字');
  });

  test('halfWidthKatakanaToFullWidth agrees with NFKC for every single half-width character', () => {
    for (let cp = 0xff61; cp <= 0xff9d; cp++) {
      const ch = String.fromCodePoint(cp);
      assert.equal(halfWidthKatakanaToFullWidth(ch), ch.normalize('NFKC'), ch);
    }
  });

  test('hiraganaToKatakana', () => {
    assert.equal(hiraganaToKatakana('やまだ　たろう'), 'ヤマダ　タロウ');
    assert.equal(hiraganaToKatakana('ぁゖゝゞ'), 'ァヶヽヾ');
    assert.equal(hiraganaToKatakana('カタカナ漢字abc'), 'カタカナ漢字abc');
  });
});

describe('names', () => {
  test('normalizeKanaName: half-width, hiragana, spaces', () => {
    assert.equal(normalizeKanaName('ﾔﾏﾀﾞ ﾀﾛｳ'), `ヤマダ${IS}タロウ`);
    assert.equal(normalizeKanaName('  やまだ 　 たろう　'), `ヤマダ${IS}タロウ`);
    assert.equal(normalizeKanaName('ヤマダ\tタロウ'), `ヤマダ${IS}タロウ`);
    assert.equal(normalizeKanaName('カ\u3099トウ'), 'ガトウ'); // decomposed dakuten composed
    assert.equal(normalizeKanaName('ｽｽﾞｷ　ｲﾁﾛｰ'), `スズキ${IS}イチロー`);
  });

  test('isKatakanaName', () => {
    assert.equal(isKatakanaName('ヤマダ　タロウ'), true);
    assert.equal(isKatakanaName('ﾔﾏﾀﾞ ﾀﾛｳ'), true);
    assert.equal(isKatakanaName('やまだ たろう'), true); // hiragana normalised to katakana
    assert.equal(isKatakanaName('スミス・ジョン'), true);
    assert.equal(isKatakanaName('ヴァン'), true);
    assert.equal(isKatakanaName('ーー'), false); // no katakana letter
    assert.equal(isKatakanaName('・'), false);
    assert.equal(isKatakanaName('   '), false);
    assert.equal(isKatakanaName(''), false);
    assert.equal(isKatakanaName('山田　タロウ'), false);
    assert.equal(isKatakanaName('YAMADA'), false);
    assert.equal(isKatakanaName('ｱﾞ'), false); // spacing ゛ is not allowed
    assert.equal(isKatakanaName(null as unknown as string), false);
    assert.equal(isKatakanaName(42 as unknown as string), false);
  });

  test('normalizeName collapses spaces to one U+3000 and trims', () => {
    assert.equal(normalizeName('  山田   太郎 '), `山田${IS}太郎`);
    assert.equal(normalizeName('山田　 　太郎'), `山田${IS}太郎`);
    assert.equal(normalizeName('山田太郎'), '山田太郎');
  });

  test('normalizeName preserves rare kanji and 外字', () => {
    const yoshi = '\u{20BB7}'; // 𠮷 (surrogate pair)
    assert.equal(yoshi.length, 2);
    assert.equal(normalizeName(`${yoshi}野 太郎`), `${yoshi}野${IS}太郎`);
    assert.equal(normalizeName('髙橋　一郎'), `髙橋${IS}一郎`);
    assert.equal(normalizeName('山﨑'), '山﨑'); // U+FA11, no decomposition
    // Compatibility ideograph with a canonical decomposition: plain NFC would change it.
    const compatTsuka = '\uFA10'; // 塚 → NFC gives U+585A
    assert.notEqual(compatTsuka.normalize('NFC'), compatTsuka);
    assert.equal(normalizeName(`大${compatTsuka}`), `大${compatTsuka}`);
    assert.equal(normalizeName('\u{2F81A}'), '\u{2F81A}'); // CJK compatibility supplement
    // Ideographic variation sequence (葛 + VS17) and a private-use 外字 survive.
    assert.equal(normalizeName('葛\u{E0100}城'), '葛\u{E0100}城');
    assert.equal(normalizeName('\uE000田'), '\uE000田');
  });

  test('normalizeName applies NFC elsewhere', () => {
    assert.equal(normalizeName('カ\u3099'), 'ガ');
    assert.equal(normalizeName('e\u0301'), 'é');
    assert.equal(normalizeName(`\uFA10カ\u3099`), `\uFA10ガ`);
  });
});

describe('isValidIsoDate', () => {
  test('accepts real dates', () => {
    for (const s of ['2024-04-01', '2024-02-29', '2000-02-29', '1868-01-25', '9999-12-31', '0001-01-01']) {
      assert.equal(isValidIsoDate(s), true, s);
    }
  });

  test('rejects impossible dates and other shapes', () => {
    for (const s of [
      '2023-02-29',
      '1900-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '0000-01-01',
      '2024-4-1',
      '2024/04/01',
      '20240401',
      ' 2024-04-01',
      '２０２４-０４-０１',
      '',
    ]) {
      assert.equal(isValidIsoDate(s), false, s);
    }
    for (const v of [undefined, null, 20240401, {}]) {
      assert.equal(isValidIsoDate(v as unknown as string), false);
    }
  });
});

describe('parseJapaneseDate', () => {
  const cases: Array<[string, string]> = [
    ['2024-04-01', '2024-04-01'],
    ['2024/4/1', '2024-04-01'],
    ['2024.4.1', '2024-04-01'],
    ['20240401', '2024-04-01'],
    ['2024年4月1日', '2024-04-01'],
    ['令和6年4月1日', '2024-04-01'],
    ['令和元年5月1日', '2019-05-01'],
    ['令和1年5月1日', '2019-05-01'],
    ['R6.4.1', '2024-04-01'],
    ['R06.04.01', '2024-04-01'],
    ['r6.4.1', '2024-04-01'],
    ['R6/4/1', '2024-04-01'],
    ['R元.5.1', '2019-05-01'],
    ['H31.4.30', '2019-04-30'],
    ['h31.4.30', '2019-04-30'],
    ['平成31年4月30日', '2019-04-30'],
    ['平成元年1月8日', '1989-01-08'],
    ['昭和64年1月7日', '1989-01-07'],
    ['S64.1.7', '1989-01-07'],
    ['昭和元年12月25日', '1926-12-25'],
    ['大正15年12月24日', '1926-12-24'],
    ['大正元年7月30日', '1912-07-30'],
    ['T1.7.30', '1912-07-30'],
    ['明治45年7月29日', '1912-07-29'],
    ['M45.7.29', '1912-07-29'],
    ['明治元年1月25日', '1868-01-25'],
    ['令和６年４月１日', '2024-04-01'],
    ['Ｒ６．４．１', '2024-04-01'],
    ['ｒ０６／０４／０１', '2024-04-01'],
    ['２０２４年４月１日', '2024-04-01'],
    ['２０２４０４０１', '2024-04-01'],
    ['　令和 6年 4月 1日 ', '2024-04-01'],
    ['5060401', '2024-04-01'],
    ['5010501', '2019-05-01'],
    ['4310430', '2019-04-30'],
    ['3640107', '1989-01-07'],
    ['4010108', '1989-01-08'],
    ['2150101', '1926-01-01'],
    ['1450729', '1912-07-29'],
    ['５０６０４０１', '2024-04-01'],
    ['2024-02-29', '2024-02-29'],
    ['令和2年2月29日', '2020-02-29'],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${expected}`, () => {
      assert.equal(parseJapaneseDate(input), expected);
    });
  }

  const invalid: string[] = [
    '2023-02-29', // not a leap year
    '2023/2/29',
    '20230229',
    '2024-04-31',
    '2024-13-01',
    '2024-4-1/', // garbage
    '2024-04/01', // mixed separators
    '令和1年4月30日', // before 令和 started (2019-05-01)
    '令和元年4月30日',
    'R1.4.30',
    '5010430',
    '平成31年5月1日', // after 平成 ended (2019-04-30)
    'H31.5.1',
    '4310501',
    '昭和64年1月8日', // after 昭和 ended (1989-01-07)
    '3640108',
    '平成元年1月7日', // before 平成 started
    '昭和元年12月24日', // before 昭和 started
    '大正15年12月25日', // 昭和 from that day
    '大正元年7月29日', // before 大正 started
    '明治45年7月30日', // 大正 from that day
    '明治元年1月24日', // before 明治 starts (1868-01-25)
    '令和0年5月1日', // year 0
    'R0.5.1',
    '5000501',
    '令和元元年5月1日',
    '元年5月1日', // no era
    '令和6年2月30日',
    '令和2年13月1日',
    'X6.4.1', // unknown era letter
    '6060401', // unknown era code
    '0060401',
    '2024-04-01T00:00:00Z',
    '2024',
    '',
    '   ',
    'きのう',
  ];
  for (const input of invalid) {
    test(`${JSON.stringify(input)} → null`, () => {
      assert.equal(parseJapaneseDate(input), null);
    });
  }

  test('non-strings return null without throwing', () => {
    for (const v of [undefined, null, 20240401, new Date(), {}, []]) {
      assert.equal(parseJapaneseDate(v as unknown as string), null);
    }
  });

  test('every era boundary: the day before belongs to the previous era only', () => {
    for (let i = 1; i < JAPANESE_ERAS.length; i++) {
      const prev = JAPANESE_ERAS[i - 1];
      const cur = JAPANESE_ERAS[i];
      const start = new Date(`${cur.start}T00:00:00Z`);
      const dayBefore = new Date(start.getTime() - 86_400_000).toISOString().slice(0, 10);
      const prevYear = Number(cur.start.slice(0, 4)) - Number(prev.start.slice(0, 4)) + 1;
      const [, m, d] = cur.start.split('-').map(Number);
      const [, bm, bd] = dayBefore.split('-').map(Number);
      // First day of the new era: valid as 元年, invalid as the last year of the old era.
      assert.equal(parseJapaneseDate(`${cur.name}元年${m}月${d}日`), cur.start);
      assert.equal(parseJapaneseDate(`${cur.letter}1.${m}.${d}`), cur.start);
      assert.equal(parseJapaneseDate(`${prev.name}${prevYear}年${m}月${d}日`), null);
      // The day before: valid in the old era, invalid as 元年 of the new one.
      assert.equal(parseJapaneseDate(`${prev.name}${prevYear}年${bm}月${bd}日`), dayBefore);
      assert.equal(parseJapaneseDate(`${cur.name}元年${bm}月${bd}日`), null);
      // Round trip through the display form.
      assert.equal(toJapaneseEraDate(cur.start), `${cur.name}元年${m}月${d}日`);
      assert.equal(toJapaneseEraDate(dayBefore), `${prev.name}${prevYear}年${bm}月${bd}日`);
    }
  });
});

describe('toJapaneseEraDate', () => {
  test('formats dates in the right era', () => {
    assert.equal(toJapaneseEraDate('2019-05-01'), '令和元年5月1日');
    assert.equal(toJapaneseEraDate('2019-04-30'), '平成31年4月30日');
    assert.equal(toJapaneseEraDate('2024-04-01'), '令和6年4月1日');
    assert.equal(toJapaneseEraDate('1989-01-07'), '昭和64年1月7日');
    assert.equal(toJapaneseEraDate('1989-01-08'), '平成元年1月8日');
    assert.equal(toJapaneseEraDate('1926-12-25'), '昭和元年12月25日');
    assert.equal(toJapaneseEraDate('1912-07-30'), '大正元年7月30日');
    assert.equal(toJapaneseEraDate('1868-01-25'), '明治元年1月25日');
  });

  test('round-trips with parseJapaneseDate over many dates', () => {
    let t = Date.UTC(1868, 0, 25);
    const end = Date.UTC(2030, 11, 31);
    let count = 0;
    while (t <= end) {
      const iso = new Date(t).toISOString().slice(0, 10);
      assert.equal(parseJapaneseDate(toJapaneseEraDate(iso)), iso);
      t += 86_400_000 * 37; // step 37 days so every month/day combination is visited over time
      count++;
    }
    assert.ok(count > 1500);
  });

  test('throws for invalid input or dates before 明治', () => {
    assert.throws(() => toJapaneseEraDate('1868-01-24'), RangeError);
    assert.throws(() => toJapaneseEraDate('2023-02-29'), RangeError);
    assert.throws(() => toJapaneseEraDate('2024/04/01'), RangeError);
  });
});
