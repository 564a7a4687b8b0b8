import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { Rng, myNumber, sharedDemo, tempDir } from '../packages/testkit/src/index.ts';
import { CHROMIUM, chromiumAvailable, launchBrowser, withPage } from '../packages/testkit/src/browser.ts';

/**
 * The municipal console in Chromium against the whole demo (`pmh start`): a demo officer signs in
 * with the TOTP code computed from the demo secret, checks a Shift_JIS file with one bad row, reads
 * the error by line and column, fixes the file, registers it with the progress bar and sees the
 * task done. Screenshots (desktop and phone width) are kept in a temp directory named in the log.
 */

const HEADINGS = [
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

describe('municipal console in Chromium', () => {
  const dir = tempDir('pmh-console-');
  let browser: Browser | undefined;
  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an officer signs in with TOTP, checks a Shift_JIS file, fixes the bad row and registers it', { timeout: 720_000 }, async (t) => {
    if (!chromiumAvailable()) {
      t.skip(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium; CI installs it)`);
      return;
    }
    const demo = await sharedDemo();
    const officersFile = path.join(demo.dir, 'demo', 'officers.json');
    assert.ok(demo.output().includes(officersFile), 'npm start prints where the demo officers are');
    const officers = JSON.parse(fs.readFileSync(officersFile, 'utf8'));
    const officer = officers.find((o: any) => o.municipalityCode === '131016' && o.role === 'register');
    assert.ok(officer, 'a 登録 officer of 千代田区');
    browser = await launchBrowser();
    const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'pmh-console-shots-'));
    t.diagnostic(`screenshots: ${shots}`);

    const rng = new Rng(1414);
    const row = (key: string, birth: string) =>
      [
        'child-medical',
        myNumber(rng),
        key,
        '千代田 花子',
        'ﾁﾖﾀﾞ ﾊﾅｺ',
        '東京都千代田区九段南１－２－１',
        birth,
        '女',
        '0',
        '子ども医療費助成',
        '１２３４５６７８',
        '',
        '0',
        '',
        'R7.4.1',
        '令和8年3月31日',
        '1',
        '0',
        '自己負担=なし',
      ].join(',');
    const good = row('CONSOLE001', '平成30年5月1日');
    const bad = row('CONSOLE002', '令和1年4月30日'); // 令和 began on 1 May 2019: no such date
    const fixed = row('CONSOLE002', '令和2年4月30日');
    const write = (name: string, rows: string[]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, iconv.encode([HEADINGS.join(','), ...rows].join('\r\n') + '\r\n', 'cp932'));
      return file;
    };
    const badFile = write('bad.csv', [good, bad]);
    const fixedFile = write('fixed.csv', [good, fixed]);

    await withPage(browser, 'console', { baseURL: demo.urls.hub }, async ({ page, problems }) => {
      await page.goto('/console/');
      await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
      await page.screenshot({ path: path.join(shots, '1-sign-in.png'), fullPage: true });
      await page.getByLabel('自治体').selectOption('131016');
      await page.getByLabel('ログインID').fill(officer.loginId);
      await page.getByLabel('パスワード').fill(officer.password);
      // The code from the demo secret, as the officer's authenticator app would show it.
      const totp = new TOTP({ secret: Secret.fromBase32(officer.totpSecret), digits: 6, period: 30 }).generate();
      await page.getByLabel('確認コード（6桁）').fill(totp);
      await page.getByLabel('確認コード（6桁）').press('Enter');
      await page.getByTestId('dashboard').waitFor();
      assert.match(await page.getByTestId('officer').innerText(), /千代田区.*touroku.*登録/);
      await page.screenshot({ path: path.join(shots, '2-dashboard.png'), fullPage: true });

      await page.getByLabel('業務').selectOption('medical-subsidy');
      await page.getByLabel('CSV ファイル').setInputFiles(badFile);
      await page.getByRole('button', { name: '確認' }).click();
      const errors = page.getByTestId('check-errors');
      await errors.waitFor();
      const cells = await errors.locator('tbody tr').first().locator('td').allInnerTexts();
      assert.deepEqual(cells.slice(0, 2), ['3', '生年月日'], 'the error names line 3, column 生年月日');
      assert.equal(await errors.locator('tbody tr').count(), 1, 'one bad row, one error');
      assert.ok(await page.getByRole('button', { name: '登録' }).isDisabled(), 'a file with errors cannot be registered');
      await page.screenshot({ path: path.join(shots, '3-errors.png'), fullPage: true });

      await page.getByLabel('CSV ファイル').setInputFiles(fixedFile);
      await page.getByRole('button', { name: '確認' }).click();
      await page.getByTestId('check-ok').waitFor();
      await page.getByRole('button', { name: '登録' }).click();
      const task = page.getByTestId('task');
      await task.getByText('登録タスク: 完了').waitFor({ timeout: 120_000 });
      assert.match(await task.innerText(), /2 件中 2 件を登録しました/);
      await page.screenshot({ path: path.join(shots, '4-done.png'), fullPage: true });

      await page.setViewportSize({ width: 375, height: 800 });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `readable at phone width without sideways scrolling (${width} px)`);
      await page.screenshot({ path: path.join(shots, '5-phone.png'), fullPage: true });
      // The page asks who is signed in before anyone is: that one 401 is the expected answer, not a problem.
      assert.deepEqual(
        problems.filter((p) => !/status of 401/.test(p)),
        [],
      );
      assert.ok(problems.filter((p) => /status of 401/.test(p)).length <= 1);
    });
  });
});
