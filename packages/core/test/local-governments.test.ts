/**
 * The national list of local public bodies (packages/protocol/src/local-governments-data.ts) and its
 * lookup: every code passes the 全国地方公共団体コード check digit, none twice, the counts are 総務省's
 * (47 prefectures, 1,741 municipalities) and known names come back as the list prints them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCAL_GOVERNMENT_LIST, localGovernment, localGovernmentName, localGovernments } from '@pmh/protocol/local-governments';
import { isValidLocalGovernmentCode } from '../src/text/checkdigits.ts';

describe('the national list of local public bodies', () => {
  const all = localGovernments();

  test('holds every prefecture, municipality and 政令指定都市 ward, each code once', () => {
    const count = (kind: string) => all.filter((b) => b.kind === kind).length;
    assert.equal(count('prefecture'), 47);
    assert.equal(count('municipality'), 1741);
    assert.equal(count('ward'), 171);
    assert.equal(all.length, 47 + 1741 + 171);
    assert.equal(new Set(all.map((b) => b.code)).size, all.length);
    assert.deepEqual(
      { prefectures: LOCAL_GOVERNMENT_LIST.prefectures, municipalities: LOCAL_GOVERNMENT_LIST.municipalities, wards: LOCAL_GOVERNMENT_LIST.wards },
      { prefectures: 47, municipalities: 1741, wards: 171 },
    );
  });

  test('records where it comes from and when', () => {
    assert.match(LOCAL_GOVERNMENT_LIST.asOf, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(LOCAL_GOVERNMENT_LIST.sourceUrl, 'https://www.soumu.go.jp/denshijiti/code.html');
  });

  test('every code has a valid check digit and lies in its prefecture', () => {
    const bad = all.filter((b) => !isValidLocalGovernmentCode(b.code)).map((b) => b.code);
    assert.deepEqual(bad, []);
    const prefectureName = new Map(all.filter((b) => b.kind === 'prefecture').map((b) => [b.code.slice(0, 2), b.name]));
    assert.equal(prefectureName.size, 47);
    for (const b of all) assert.equal(b.prefecture, prefectureName.get(b.code.slice(0, 2)), b.code);
  });

  test('names known codes', () => {
    assert.equal(localGovernment('131016')?.name, '千代田区');
    assert.equal(localGovernmentName('131016'), '東京都千代田区');
    assert.equal(localGovernment('271004')?.name, '大阪市');
    assert.equal(localGovernmentName('271004'), '大阪府大阪市');
    assert.equal(localGovernment('011002')?.kana, 'サッポロシ');
    assert.equal(localGovernmentName('130001'), '東京都');
    assert.equal(localGovernment('130001')?.kind, 'prefecture');
    assert.equal(localGovernmentName('011011'), '北海道札幌市中央区');
    assert.equal(localGovernment('011011')?.kind, 'ward');
    assert.equal(localGovernmentName('472018'), '沖縄県那覇市');
    assert.equal(localGovernmentName('221384'), '静岡県浜松市中央区');
    // 府中市 is both in 東京都 and 広島県: the prefecture tells them apart
    assert.equal(localGovernmentName('132063'), '東京都府中市');
    assert.equal(localGovernmentName('342084'), '広島県府中市');
  });

  test('answers nothing for a code it does not hold', () => {
    assert.equal(localGovernmentName('131017'), undefined);
    assert.equal(localGovernmentName('13101'), undefined);
    assert.equal(localGovernmentName(''), undefined);
    assert.equal(localGovernment('999999'), undefined);
  });
});
