/**
 * Registration files (`POST /municipal/v1/{process}/registration-files`): CSV exported from a
 * municipal system — Shift_JIS or UTF-8, Japanese headings, 和暦 dates, full-width digits — read as
 * the JSON task reads its records; a dry run lists every error by line and column and writes
 * nothing; a file with an error is refused whole. Through HTTP, against the real hub, on PGlite and
 * (when PMH_TEST_DATABASE_URL is set) PostgreSQL.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { CHILD_PROGRAM, Rng, World, backends, myNumber, personName, type Caller } from '../../testkit/src/index.ts';
import { assertLogsClean, defineProgram, fullWidthDigits, subjectOf, withWrongCheckDigit } from './support.ts';

const TOKYO = '131016';
const FILES = (process: string, query = '') => `/municipal/v1/${process}/registration-files${query}`;

/** CSV text from rows (RFC 4180 quoting), CRLF line ends as Windows exports write them. */
const csv = (rows: string[][]) => `${rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\r\n')}\r\n`;

const MEDICAL_HEADINGS = [
  '機関別受給者証種別ID',
  '個人番号',
  '宛名番号',
  '氏名',
  '氏名カナ',
  '住所',
  '生年月日',
  '性別',
  '不開示フラグ',
  '受給者証名',
  '公費受給者番号',
  '追加条件',
  '常に償還払い',
  '月額上限額',
  '有効期間開始日',
  '有効期間終了日',
  '履歴キー',
  '削除フラグ',
  '受給者証券面項目',
];

for (const backend of backends()) {
  describe(`hub registration files (${backend})`, () => {
    let w: World;
    let tokyo: Caller;
    const rng = new Rng(1402);
    const myNumbers = new Set<string>();
    let keyNo = 0;
    const key = () => `F${String(++keyNo).padStart(6, '0')}`;
    const person = () => {
      const n = myNumber(rng);
      myNumbers.add(n);
      return n;
    };
    /** A medical-subsidy row as a municipal system exports it: full-width digits, 和暦, half-width kana. */
    const medicalRow = (o: Partial<Record<(typeof MEDICAL_HEADINGS)[number], string>> = {}) => {
      const n = person();
      const name = personName(rng);
      const row: Record<string, string> = {
        機関別受給者証種別ID: CHILD_PROGRAM.certificateTypeId,
        個人番号: fullWidthDigits(n),
        宛名番号: key(),
        氏名: name.name,
        氏名カナ: 'ﾁﾖﾀﾞ ﾀﾛｳ',
        住所: '東京都千代田区九段南１－２－１',
        生年月日: '平成25年1月1日',
        性別: '男',
        不開示フラグ: '0',
        受給者証名: CHILD_PROGRAM.certificationName,
        公費受給者番号: '１２３４５６７８',
        追加条件: 'A1;A2',
        常に償還払い: '0',
        月額上限額: '５，０００',
        有効期間開始日: 'R7.4.1',
        有効期間終了日: '令和8年3月31日',
        履歴キー: '1',
        削除フラグ: '0',
        受給者証券面項目: '自己負担=なし\n備考=通院・入院',
        ...o,
      };
      return { myNumber: n, key: row.宛名番号, cells: MEDICAL_HEADINGS.map((h) => row[h]) };
    };
    const send = async (process: string, body: Buffer | string, contentType: string, query = '', headers: Record<string, string> = {}) => {
      const res = await fetch(`${w.hubUrl}${FILES(process, query)}`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: await w.authorization(tokyo), ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString('utf8');
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, bytes, body: json };
    };
    const sjis = (text: string) => iconv.encode(text, 'cp932');
    const taskCount = async () => Number((await sql<{ n: string }>`select count(*)::text as n from registration_tasks`.execute(w.hub.database.db)).rows[0].n);

    before(async () => {
      w = await World.start({ backend, services: ['hub', 'idserver', 'oqs', 'portal'] });
      tokyo = w.municipality(TOKYO);
      await defineProgram(w, tokyo);
    });
    after(async () => {
      if (w) assertLogsClean(w, myNumbers);
      await w?.stop();
    });

    it('the template: Japanese headings, UTF-8 with a BOM or Shift_JIS, an example row on request', async () => {
      const utf8 = await fetch(`${w.hubUrl}${FILES('medical-subsidy', '/template')}`, { headers: { authorization: await w.authorization(tokyo) } });
      assert.equal(utf8.status, 200);
      assert.match(utf8.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/i);
      const bytes = Buffer.from(await utf8.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM');
      const lines = bytes.toString('utf8').slice(1).split('\r\n');
      assert.equal(lines.length, 2);
      assert.ok(lines[0].startsWith('機関別受給者証種別ID,個人番号,宛名番号,氏名,'));
      const s = await fetch(`${w.hubUrl}${FILES('vaccination', '/template?charset=shift_jis&example=true')}`, {
        headers: { authorization: await w.authorization(tokyo) },
      });
      const text = iconv.decode(Buffer.from(await s.arrayBuffer()), 'cp932');
      assert.ok(text.startsWith('異動区分,個人番号,宛名番号,'));
      assert.equal(text.split('\r\n').length, 3, 'headings, the example row, the final line end');
    });

    it('a Shift_JIS file of 和暦 dates and full-width digits registers as the JSON task would', async () => {
      const rows = [medicalRow(), medicalRow({ 生年月日: 'H30.12.31', 性別: '2' })];
      const before = await taskCount();
      const res = await send('medical-subsidy', sjis(csv([MEDICAL_HEADINGS, ...rows.map((r) => r.cells)])), 'text/csv; charset=Shift_JIS');
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.total, 2);
      assert.equal(res.body.rows, 2);
      assert.equal(res.body.encoding, 'shift_jis');
      assert.equal(await taskCount(), before + 1);
      const task = await w.waitForTask(tokyo, res.body.taskId);
      assert.deepEqual([task.status, task.succeeded, task.failed], ['done', 2, 0]);
      const first = await subjectOf(w, tokyo, rows[0].key);
      assert.equal(first.basicFiveInfo.dateOfBirth, '2013-01-01');
      assert.equal(first.basicFiveInfo.nameKana, 'チヨダ　タロウ', 'half-width kana read as full-width, as the JSON task reads it');
      assert.equal(first.basicFiveInfo.sex, '1');
      const second = await subjectOf(w, tokyo, rows[1].key);
      assert.equal(second.basicFiveInfo.dateOfBirth, '2018-12-31');
      assert.equal(second.basicFiveInfo.sex, '2');
      assert.equal(res.text.includes(rows[0].myNumber), false);
    });

    it('the encoding is detected when the Content-Type does not say: UTF-8 with or without a BOM, else Shift_JIS', async () => {
      for (const [body, expected] of [
        [`\ufeff${csv([MEDICAL_HEADINGS, medicalRow().cells])}`, 'utf-8'],
        [csv([MEDICAL_HEADINGS, medicalRow().cells]), 'utf-8'],
        [sjis(csv([MEDICAL_HEADINGS, medicalRow().cells])), 'shift_jis'],
      ] as const) {
        const res = await send('medical-subsidy', body, 'text/csv', '?dryRun=true');
        assert.equal(res.status, 200, res.text);
        assert.deepEqual([res.body.valid, res.body.encoding, res.body.rows, res.body.errors], [true, expected, 1, []]);
      }
    });

    it('a dry run lists every error of every row by line and column, schema and meaning together, and writes nothing', async () => {
      const good = medicalRow();
      const wrongDigit = medicalRow();
      const wrong = withWrongCheckDigit(wrongDigit.myNumber);
      myNumbers.add(wrong);
      wrongDigit.cells[1] = wrong;
      const badDate = medicalRow({ 生年月日: '令和1年4月30日' });
      const gaiji = medicalRow({ 氏名: '髙\ue000太郎' });
      const unknownProgramme = medicalRow({ 機関別受給者証種別ID: 'no-such-programme', 月額上限額: '五千円' });
      const file = csv([MEDICAL_HEADINGS, good.cells, wrongDigit.cells, badDate.cells, gaiji.cells, unknownProgramme.cells]);
      const before = await taskCount();
      const res = await send('medical-subsidy', file, 'text/csv; charset=utf-8', '?dryRun=true');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.valid, false);
      assert.deepEqual([res.body.rows, res.body.records, res.body.rowsWithErrors, res.body.truncated], [5, 5, 4, false]);
      const where = res.body.errors.map((e: any) => [e.line, e.column, e.field]);
      // Each row spans two lines (受給者証券面項目 holds a line break): rows start on lines 2, 4, 6, 8, 10.
      assert.deepEqual(where, [
        [4, '個人番号', '/myNumber'],
        [6, '生年月日', '/basicFiveInfo/dateOfBirth'],
        [8, '氏名', '/basicFiveInfo/name'],
        [10, '機関別受給者証種別ID', '/orgSpecificCertificateTypeId'],
        [10, '月額上限額', '/maxCopaymentAmount/monthly'],
      ]);
      assert.match(res.body.errors[0].pointer, /^\/4\/myNumber$/);
      assert.match(res.body.errors[2].message, /外字/);
      assert.equal(res.text.includes(wrong), false, 'a My Number in an error');
      assert.equal(await taskCount(), before, 'nothing written');
      assert.equal((await w.call(tokyo, 'GET', `/municipal/v1/subjects/${good.key}`)).status, 404);

      // The same errors as CSV, in Shift_JIS for the officer's spreadsheet.
      const errorsCsv = await send('medical-subsidy', file, 'text/csv', '?dryRun=true&charset=shift_jis', { accept: 'text/csv' });
      assert.equal(errorsCsv.status, 200);
      assert.ok(errorsCsv.headers.get('content-type')?.toLowerCase().includes('shift_jis'));
      const decoded = iconv.decode(errorsCsv.bytes, 'cp932').split('\r\n');
      assert.equal(decoded[0], 'line,column,field,message');
      assert.equal(decoded.length, 1 + 5 + 1, decoded.join('\n'));
      assert.ok(decoded[1].startsWith('4,個人番号,/myNumber,'));
    });

    it('without dryRun a file with any error is refused whole (422, every error), nothing written', async () => {
      const good = medicalRow();
      const bad = medicalRow({ 有効期間開始日: '2025/13/01' });
      const before = await taskCount();
      const res = await send('medical-subsidy', csv([MEDICAL_HEADINGS, good.cells, bad.cells]), 'text/csv');
      assert.equal(res.status, 422, res.text);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(res.body.type, 'urn:pmh:problem:file-refused');
      assert.deepEqual(
        res.body.errors.map((e: any) => [e.line, e.column]),
        [[4, '有効期間開始日']],
      );
      assert.equal(await taskCount(), before);
      assert.equal((await w.call(tokyo, 'GET', `/municipal/v1/subjects/${good.key}`)).status, 404);
    });

    it('headings: ids or Japanese, any order; an unknown, a repeated or a missing required column is named on line 1', async () => {
      const r = medicalRow();
      const ids = [...MEDICAL_HEADINGS];
      ids[0] = 'orgSpecificCertificateTypeId';
      ids[6] = 'ＤａｔｅＯｆＢｉｒｔｈ';
      // Reordered, and without 受給者証券面項目 (optional in a file: none, as an empty list in JSON).
      const reordered = (xs: string[]) => [xs[1], xs[0], ...xs.slice(2, -1)];
      const ok = await send('medical-subsidy', csv([reordered(ids), reordered(r.cells)]), 'text/csv', '?dryRun=true');
      assert.deepEqual([ok.status, ok.body.valid], [200, true], ok.text);

      const broken = [...MEDICAL_HEADINGS.filter((h) => h !== '履歴キー'), '好きな列', '氏名'];
      const res = await send('medical-subsidy', csv([broken]), 'text/csv', '?dryRun=true');
      assert.equal(res.status, 200);
      assert.equal(res.body.valid, false);
      assert.ok(res.body.errors.every((e: any) => e.line === 1));
      const messages = res.body.errors.map((e: any) => e.message).join('\n');
      assert.match(messages, /heading 19 is not a column/);
      assert.match(messages, /heading 20 is the same column as heading 4/);
      assert.match(messages, /「履歴キー」.*missing/);
      assert.equal(res.text.includes('好きな列'), false, 'an unknown heading is not echoed');
    });

    it('vaccination: a subject over several rows (its doses and vouchers), an end of registration; an error lands on its row', async () => {
      const headings = [
        '異動区分',
        '個人番号',
        '宛名番号',
        '氏名',
        '生年月日',
        '性別',
        '不開示フラグ',
        '接種記録キー',
        'ワクチン',
        '接種回',
        '接種日',
        '接種券番号',
        '接種券ワクチン',
        '接種券接種回',
        '接種券有効期限',
        '異動事由',
        '異動日',
      ];
      const n = person();
      const k = key();
      const name = personName(rng).name;
      const voucher = `12${TOKYO}${'0000009001'}`;
      const rows = [
        ['１', n, k, name, '令和7年4月10日', '男', '0', 'R1', 'hib', '1', '令和7年6月10日', '', '', '', '', '', ''],
        ['1', '', k, '', '', '', '', 'R2', 'pcv', '１', 'R7.6.10', voucher, 'hib', '2', '令和9年3月31日', '', ''],
      ];
      const res = await send('vaccination', sjis(csv([headings, ...rows])), 'text/csv; charset=shift_jis');
      assert.equal(res.status, 202, res.text);
      assert.deepEqual([res.body.rows, res.body.total], [2, 1]);
      const task = await w.waitForTask(tokyo, res.body.taskId);
      assert.deepEqual([task.succeeded, task.failed], [1, 0], JSON.stringify(task.results));
      const s = await subjectOf(w, tokyo, k);
      assert.deepEqual(s.vaccination, { status: 'registered', endedReason: null, endedOn: null, records: 2, vouchers: 1 });

      // The end of that registration (異動事由 in Japanese), and a dose of another subject on a wrong day.
      const other = key();
      const checked = await send(
        'vaccination',
        csv([
          headings,
          ['2', '', k, '', '', '', '', '', '', '', '', '', '', '', '', '転出', '令和7年11月1日'],
          ['1', person(), other, name, '令和7年4月10日', '2', '0', 'R1', 'hib', '1', '令和7年6月10日', '', '', '', '', '', ''],
          ['1', '', other, '', '', '', '', 'R2', 'hib', '2', '令和7年2月30日', '', '', '', '', '', ''],
        ]),
        'text/csv',
        '?dryRun=true',
      );
      assert.equal(checked.status, 200, checked.text);
      assert.equal(checked.body.records, 2);
      assert.deepEqual(
        checked.body.errors.map((e: any) => [e.line, e.column, e.field]),
        [[4, '接種日', '/vaccinationRecords/1/date']],
      );
      const ended = await send(
        'vaccination',
        csv([headings, ['2', '', k, '', '', '', '', '', '', '', '', '', '', '', '', '転出', '令和7年11月1日']]),
        'text/csv',
      );
      assert.equal(ended.status, 202, ended.text);
      await w.waitForTask(tokyo, ended.body.taskId);
      assert.equal((await subjectOf(w, tokyo, k)).vaccination?.status, 'ended');
    });

    it('maternal-child: a Shift_JIS file of 和暦 dates and full-width digits registers a mother and a child with vouchers and results; an error lands on its cell', async () => {
      const headings = [
        '異動区分',
        '個人番号',
        '宛名番号',
        '氏名',
        '生年月日',
        '性別',
        '不開示フラグ',
        '出産予定日',
        '受診券番号',
        '受診券健診種別',
        '受診券回数',
        '受診券有効開始日',
        '受診券有効終了日',
        '助成上限額',
        '健診結果キー',
        '健診種別',
        '健診回数',
        '使用受診券番号',
        '健診日',
        '実施機関コード',
        '妊娠週数',
        '身長',
        '体重',
        '頭囲',
        '収縮期血圧',
        '拡張期血圧',
        '尿蛋白',
        '尿糖',
        '浮腫',
        '実施検査',
        '所見',
        '判定',
      ];
      const CLINIC = '1312345674';
      const [mother, child] = [key(), key()];
      const name = personName(rng).name;
      const blank = (n: number) => Array.from({ length: n }, () => '');
      const rows = [
        // The mother: her pregnancy, the first prenatal voucher (¥10,000) and the checkup paid with it.
        [
          '1',
          fullWidthDigits(person()),
          mother,
          name,
          '平成6年5月20日',
          '女',
          '0',
          '令和8年9月1日',
          'P-1',
          '妊婦健診',
          '１',
          '令和8年1月1日',
          'R8.9.15',
          '１０，０００',
          'PR-1',
          '妊婦健診',
          '1',
          'P-1',
          '令和8年5月7日',
          fullWidthDigits(CLINIC),
          '２３',
          '',
          '５６．０',
          '',
          '110',
          '68',
          '－',
          '－',
          '－',
          '血液型 超音波検査',
          '',
          '健康',
        ],
        // The child: a 1か月児 voucher and its checkup, then a 3～4か月児 group checkup judged 要精査.
        [
          '1',
          person(),
          child,
          name,
          '令和8年4月1日',
          '男',
          '0',
          '',
          'C1M-1',
          '1か月児',
          '',
          '令和8年4月29日',
          '令和8年5月12日',
          '4000',
          '1M',
          '1か月児',
          '',
          'C1M-1',
          '令和8年5月5日',
          CLINIC,
          '',
          '54.0',
          '4.4',
          '37.2',
          '',
          '',
          '',
          '',
          '',
          '',
          '身体発育=順調',
          '健康',
        ],
        [
          '1',
          '',
          child,
          '',
          '',
          '',
          '',
          '',
          ...blank(6),
          '3M',
          '３～４か月児',
          '',
          '',
          'R8.7.10',
          CLINIC,
          '',
          '63.0',
          '6.8',
          '41.0',
          '',
          '',
          '',
          '',
          '',
          '',
          '四肢運動=股関節開排制限の疑い',
          '要精査',
        ],
      ];
      const res = await send('maternal-child', sjis(csv([headings, ...rows])), 'text/csv; charset=shift_jis');
      assert.equal(res.status, 202, res.text);
      assert.deepEqual([res.body.rows, res.body.total], [3, 2]);
      const task = await w.waitForTask(tokyo, res.body.taskId);
      assert.deepEqual([task.succeeded, task.failed], [2, 0], JSON.stringify(task.results));
      assert.deepEqual((await subjectOf(w, tokyo, mother)).maternalChild, { status: 'registered', endedReason: null, endedOn: null, vouchers: 1, results: 1 });
      assert.deepEqual((await subjectOf(w, tokyo, child)).maternalChild, { status: 'registered', endedReason: null, endedOn: null, vouchers: 1, results: 2 });
      const { rows: stored } = await sql<{ result_key: string; payment: string; judgement: string; findings: unknown; tests_done: unknown; urine: unknown }>`
        select r.result_key, r.payment, r.judgement, r.findings, r.tests_done, r.urine from maternal_child_results r
        join subjects s on s.id = r.subject_id where s.municipality_identity_key in (${mother}, ${child}) order by r.result_key`.execute(w.hub.database.db);
      const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
      assert.deepEqual(
        stored.map((r) => [r.result_key, r.payment, r.judgement, parse(r.findings), parse(r.tests_done), parse(r.urine)]),
        [
          ['1M', 'voucher', 'healthy', [{ area: 'growth', finding: '順調' }], null, null],
          ['3M', 'self-paid', 'detailed-exam', [{ area: 'limbs-motor', finding: '股関節開排制限の疑い' }], null, null],
          ['PR-1', 'voucher', 'healthy', [], ['blood-type', 'ultrasound'], { protein: '-', glucose: '-' }],
        ],
      );

      // A dry run: a 3-year-old's weight in grams and an area no checkup has, each at its line and column.
      const other = key();
      const checked = await send(
        'maternal-child',
        csv([
          headings,
          [
            '1',
            person(),
            other,
            name,
            '令和8年3月1日',
            '女',
            '0',
            '',
            ...blank(6),
            '3M',
            '3～4か月児',
            '',
            '',
            '令和8年6月10日',
            CLINIC,
            '',
            '63.0',
            '6800',
            '41.0',
            '',
            '',
            '',
            '',
            '',
            '',
            '身体発育=順調',
            '健康',
          ],
          [
            '1',
            '',
            other,
            '',
            '',
            '',
            '',
            '',
            ...blank(6),
            '6M',
            '6～7か月児',
            '',
            '',
            '令和8年9月10日',
            CLINIC,
            '',
            '68.0',
            '8.0',
            '43.5',
            '',
            '',
            '',
            '',
            '',
            '',
            '足=むくみ',
            '健康',
          ],
        ]),
        'text/csv',
        '?dryRun=true',
      );
      assert.equal(checked.status, 200, checked.text);
      assert.deepEqual(
        checked.body.errors.map((e: any) => [e.line, e.column, e.field]),
        [
          [2, '体重', '/checkupResults/0/measurements/weightKg'],
          [3, '所見', '/checkupResults/1/findings/0/area'],
        ],
      );
    });

    it('a continuation row that names another value for the subject is an error of that cell', async () => {
      const headings = ['異動区分', '個人番号', '宛名番号', '氏名', '生年月日', '性別', '不開示フラグ', '接種記録キー', 'ワクチン', '接種回', '接種日'];
      const k = key();
      const res = await send(
        'vaccination',
        csv([
          headings,
          ['1', person(), k, '千代田花子', '令和7年4月10日', '2', '0', 'R1', 'hib', '1', '令和7年6月10日'],
          ['1', '', k, '', '令和7年4月11日', '', '', 'R2', 'pcv', '1', '令和7年6月10日'],
        ]),
        'text/csv',
        '?dryRun=true',
      );
      assert.deepEqual(
        res.body.errors.map((e: any) => [e.line, e.column]),
        [[3, '生年月日']],
      );
    });

    it('the door: another media type or charset is a 415; a quote never closed is an error of its line; an empty file is named', async () => {
      assert.equal((await send('medical-subsidy', 'a,b', 'text/plain')).status, 415);
      assert.equal((await send('medical-subsidy', 'a,b', 'text/csv; charset=iso-2022-jp')).status, 415);
      assert.equal((await send('maternal-child-nope', 'a,b', 'text/csv')).status, 400);
      const r = medicalRow();
      const broken = `${csv([MEDICAL_HEADINGS, r.cells])}"${r.cells.join(',')}\r\n`;
      const res = await send('medical-subsidy', broken, 'text/csv', '?dryRun=true');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.valid, false);
      assert.equal(res.body.errors.at(-1).line >= 3, true);
      const empty = await send('medical-subsidy', '', 'text/csv', '?dryRun=true');
      assert.equal(empty.body.valid, false);
      assert.equal(empty.body.errors[0].line, 1);
    });

    it('Idempotency-Key: the same file again answers the first task; another file with the key is a 409', async () => {
      const file = csv([MEDICAL_HEADINGS, medicalRow().cells]);
      const first = await send('medical-subsidy', file, 'text/csv', '', { 'idempotency-key': 'file-1' });
      assert.equal(first.status, 202, first.text);
      const again = await send('medical-subsidy', file, 'text/csv', '', { 'idempotency-key': 'file-1' });
      assert.equal(again.status, 202);
      assert.equal(again.body.taskId, first.body.taskId);
      const other = await send('medical-subsidy', csv([MEDICAL_HEADINGS, medicalRow().cells]), 'text/csv', '', { 'idempotency-key': 'file-1' });
      assert.equal(other.status, 409);
      await w.waitForTask(tokyo, first.body.taskId);
    });
  });
}
