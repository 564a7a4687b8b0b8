import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { Rng, myNumber, sharedDemo, tempDir } from '../packages/testkit/src/index.ts';
import { CHROMIUM, axeViolations, chromiumAvailable, launchBrowser, phoneScreenshot, withPage } from '../packages/testkit/src/browser.ts';

/**
 * The municipal console in Chromium against the whole demo (`pmh start`): the demo 管理 officer signs
 * in with the TOTP code computed from the demo secret, checks a Shift_JIS file with one bad row,
 * reads the error by line and column, fixes the file, registers it with the progress bar and sees
 * the task done; finds the subject by its name in hiragana and reads its page; looks at programmes
 * and prices; composes a notification with its preview, schedules it and cancels it; downloads the
 * vaccination records; reads who looked at the residents' data; adds an officer. Every page is
 * reached from the menu by keyboard, has no axe-core violation and is photographed at 390 px (the
 * screenshots are kept in a temp directory named in the log).
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

  it('an officer signs in with TOTP, registers a fixed Shift_JIS file, and works through every page', { timeout: 720_000 }, async (t) => {
    if (!chromiumAvailable()) {
      t.skip(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium; CI installs it)`);
      return;
    }
    const demo = await sharedDemo();
    const officersFile = path.join(demo.dir, 'demo', 'officers.json');
    assert.ok(demo.output().includes(officersFile), 'npm start prints where the demo officers are');
    const officers = JSON.parse(fs.readFileSync(officersFile, 'utf8'));
    const officer = officers.find((o: any) => o.municipalityCode === '131016' && o.role === 'admin');
    assert.ok(officer, 'a 管理 officer of 千代田区');
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
      // The municipality by name from the national list (loaded as its own chunk), not by code.
      await page.getByTestId('officer').getByText('東京都千代田区').waitFor();
      assert.match(await page.getByTestId('officer').innerText(), /千代田区.*kanri.*管理/);
      await page.screenshot({ path: path.join(shots, '2-dashboard.png'), fullPage: true });
      const look = async (name: string) => {
        assert.deepEqual(await axeViolations(page), [], `${name}: no accessibility violation`);
        const shot = await phoneScreenshot(page, shots, name);
        await page.setViewportSize({ width: 390, height: 844 });
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        await page.setViewportSize({ width: 1200, height: 900 });
        assert.ok(width <= 390, `${name}: readable at 390 px without sideways scrolling (${width} px)`);
        t.diagnostic(`${name}: ${shot}`);
      };
      await look('console-dashboard');

      // Every page of the menu is reached with the keyboard alone: Tab to its link, Enter.
      const nav = page.getByRole('navigation', { name: 'メインメニュー' });
      const labels = await nav.getByRole('link').allInnerTexts();
      assert.deepEqual(labels, ['ダッシュボード', 'ファイル登録', '対象者', '制度・単価', 'お知らせ', 'ダウンロード', '閲覧記録', '職員']);
      const byKeyboard = async (label: string) => {
        await page.locator('body').focus();
        for (let i = 0; i < 40; i++) {
          await page.keyboard.press('Tab');
          const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? '');
          if (focused.trim() === label) {
            await page.keyboard.press('Enter');
            await page.getByRole('heading', { level: 1 }).first().waitFor();
            return;
          }
        }
        assert.fail(`the menu link ${label} is not reached by Tab`);
      };
      await byKeyboard('ファイル登録');
      await page.getByRole('heading', { level: 1, name: 'ファイルで登録' }).waitFor();

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
      await look('console-upload');

      // 対象者: found by the name in hiragana (registered in half-width katakana); the subject's page.
      await byKeyboard('対象者');
      await page.getByLabel('氏名（カナ・前方一致）').fill('ちよだ　はな');
      await page.getByRole('button', { name: '検索' }).click();
      const found = page.getByTestId('subjects');
      await found.getByRole('link', { name: 'CONSOLE001' }).waitFor();
      await look('console-subjects');
      await found.getByRole('link', { name: 'CONSOLE001' }).click();
      await page.getByRole('heading', { level: 1, name: '対象者 CONSOLE001' }).waitFor();
      const basic = await page.getByTestId('subject-basic').innerText();
      assert.match(basic, /千代田\s花子/);
      assert.match(basic, /PMH-ID\s*(発行待ち|発行済み|発行できず)/);
      const versions = page.getByTestId('versions');
      assert.match(await versions.innerText(), /受給者証券面項目[\s\S]*自己負担: なし/, 'certificationDetail is shown');
      const text = await page.locator('main').innerText();
      assert.equal(/\d{12}/.test(text.replace(/[\s-]/g, ' ')), false, 'no My Number (nor any 12-digit number) on the page');
      await look('console-subject');

      await byKeyboard('制度・単価');
      await page.getByTestId('programs').waitFor();
      await look('console-programs');

      // お知らせ: the preview follows what is typed; scheduled for tomorrow, then cancelled.
      await byKeyboard('お知らせ');
      await page.getByLabel('宛先（宛名番号。改行・空白・読点で区切って複数）').fill('CONSOLE001\nCONSOLE002');
      await page.getByLabel('件名').fill('子ども医療費助成の更新のご案内');
      await page.getByLabel('本文').fill('受給者証の更新手続きをお願いします。');
      assert.match(await page.getByTestId('preview').innerText(), /子ども医療費助成の更新のご案内[\s\S]*受給者証の更新手続き/);
      await page.getByLabel('日時を指定（予約）').check();
      const tomorrow = new Date(Date.now() + 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
      await page.getByLabel('公開日時（日本時間）').fill(`${tomorrow}T09:00`);
      await look('console-notifications');
      await page.getByRole('button', { name: '予約する' }).click();
      await page.getByTestId('notification-sent').waitFor();
      const status = page.getByTestId('notification-status');
      await status.getByRole('button', { name: '予約を取り消す' }).click();
      await status.getByText('に取り消しました').waitFor();
      assert.deepEqual(
        await status.getByTestId('targets').locator('tbody tr td:nth-child(2)').allInnerTexts(),
        ['取消済み', '取消済み'],
        'every target cancelled',
      );

      // ダウンロード: the vaccination records as a Shift_JIS file.
      await byKeyboard('ダウンロード');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '予防接種の記録をダウンロード' }).click()]);
      const saved = path.join(dir, 'records.csv');
      await download.saveAs(saved);
      const header = iconv.decode(fs.readFileSync(saved), 'cp932').split(/\r?\n/)[0];
      assert.match(header, /^municipalityIdentityKey,/);
      await look('console-downloads');

      // 閲覧記録: this officer's own reads of CONSOLE001 are there, by name.
      await byKeyboard('閲覧記録');
      const log = page.getByTestId('access-log');
      await log.waitFor();
      assert.match(await log.innerText(), /自治体職員（管理画面）[\s\S]*kanri[\s\S]*CONSOLE001/);
      await look('console-access-log');

      // 職員: a new officer, whose TOTP secret is shown this once.
      await byKeyboard('職員');
      await page.getByTestId('officers').waitFor();
      await page.getByLabel('ログインID（半角英数字）').fill('shinnin');
      await page.getByLabel('初期パスワード（12文字以上）').fill('a new officer password');
      await page.getByRole('button', { name: '追加', exact: true }).click();
      const issued = page.getByTestId('issued-secret');
      await issued.waitFor();
      assert.match(await issued.innerText(), /otpauth:\/\/totp\//);
      await look('console-officers');
      // The page asks who is signed in before anyone is: that one 401 is the expected answer, not a problem.
      assert.deepEqual(
        problems.filter((p) => !/status of 401/.test(p)),
        [],
      );
      assert.ok(problems.filter((p) => /status of 401/.test(p)).length <= 1);
    });
  });
});
