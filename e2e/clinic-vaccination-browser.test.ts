import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { buildClinic, type Clinic } from '@pmh/clinic';
import { createLogger } from '@pmh/core/http/logging';
import { servePages, webDist } from '@pmh/core/http/pages';
import { todayInJapan } from '@pmh/protocol/text';
import { formatGs1 } from '@pmh/protocol/gs1';
import { World, Rng, myNumber, personName, freePort, tempDir, INSTITUTION_CODES, type Enrolled } from '../packages/testkit/src/index.ts';
import { CHROMIUM, axeViolations, chromiumAvailable, launchBrowser, withPage } from '../packages/testkit/src/browser.ts';

/**
 * The clinic app's vaccination screen in Chromium against the real services (seed B⑤): a child's card
 * on the reader, the consent screen with its scopes, the doctor's screen with the 予診票 the guardian
 * submitted (a noteworthy answer flagged), the history and the schedule; today's dose is too soon, so
 * the check warns; recording is refused until the warning is
 * overridden with a reason; the lot and expiry come from a scanned GS1 string; the dose is recorded and
 * appears in the history, then is corrected the same day. Keyboard reaches the consent answers; every
 * step has no axe-core violation; the screen is readable at phone width. Screenshots are kept (their
 * directory is printed) for a person to look at.
 */
const TOKYO = '131016';
const CLINIC = INSTITUTION_CODES[0];
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** A well child's 予診票 (the standard form's yes/no questions). */
const WELL_CHILD = {
  'read-explanation': true,
  'delivery-abnormal': false,
  'after-birth-abnormal': false,
  'checkup-abnormal': false,
  'unwell-today': false,
  'ill-past-month': false,
  'contact-past-month': false,
  'vaccinated-past-month': false,
  'chronic-illness': false,
  convulsion: false,
  allergy: false,
  'relative-immunodeficiency': false,
  'past-reaction': false,
  'relative-reaction': false,
  transfusion: false,
  questions: false,
};
const cspViolations = (problems: string[]) => problems.filter((p) => /Content Security Policy|Refused to (apply|execute|load)/i.test(p));

describe('clinic vaccination screen in Chromium', () => {
  let w: World | undefined;
  let clinic: Clinic | undefined;
  let browser: Browser | undefined;
  let url = '';
  let child: Enrolled;
  const rng = new Rng(1204_21);
  const name = personName(rng).name;
  const today = todayInJapan();
  const birth = addDays(today, -100);
  const tenDaysAgo = addDays(today, -10);
  const dir = tempDir('pmh-clinic-vaccination-');
  const shots = path.join(dir, 'screenshots');
  let questionnaireId = '';
  let questionnaireStatus: () => Promise<string | undefined>;

  before(async () => {
    if (!chromiumAvailable()) return;
    w = await World.start({ services: ['hub', 'idserver', 'oqs', 'portal'] });
    [child] = await w.enrol([myNumber(rng)]);
    const task = await w.register(w.municipality(TOKYO), 'vaccination', [
      {
        modificationSeg: '1',
        myNumber: child.myNumber,
        municipalityIdentityKey: 'TK-BR-1',
        basicFiveInfo: { name, nameKana: 'ヤマダ　ハルト', address: '東京都千代田区九段南1-2-1', dateOfBirth: birth, sex: '1' },
        isNotDisclosed: false,
        vaccinationRecords: [{ recordKey: 'R1', vaccineCode: 'dpt-ipv-hib', doseNumber: 1, date: tenDaysAgo, lotNumber: 'DPT-001', institutionCode: CLINIC }],
      },
    ]);
    assert.equal(task.succeeded, 1, JSON.stringify(task.results));
    const world = w;
    const count = async (service: 'hub' | 'portal', q: ReturnType<typeof sql>) =>
      Number(((await q.execute(world.service(service).database.db)).rows[0] as { n: string }).n);
    await w.until('the child linked to the portal, every outbox empty', async () => {
      if ((await count('hub', sql`select count(*) as n from subjects s join pmh_links l on l.pmh_id = s.pmh_id`)) < 1) return false;
      for (const s of ['hub', 'portal'] as const) if ((await count(s, sql`select count(*) as n from outbox`)) > 0) return false;
      return true;
    });
    // The guardian filled in the 予診票 beforehand on the portal, and said the child has a runny nose.
    const cookie = await w.loginResident(child);
    const me = (method: string, p: string, body?: unknown) => w!.call(null, method, p, body, { cookie }, 'portal');
    const drafted = await me('POST', '/portal/v1/me/questionnaires', { process: 'vaccination', vaccineCode: 'dpt-ipv-hib', doseNumber: 2 });
    assert.equal(drafted.status, 201, drafted.text);
    questionnaireId = drafted.body.questionnaireId;
    const submitted = await me('PUT', `/portal/v1/me/questionnaires/${questionnaireId}`, {
      answers: { ...WELL_CHILD, 'unwell-today': true, 'unwell-today-symptoms': '少し鼻水が出ています' },
      submit: true,
    });
    assert.equal(submitted.status, 200, submitted.text);
    questionnaireStatus = async () =>
      ((await me('GET', '/portal/v1/me/questionnaires')).body as any[]).find((q) => q.questionnaireId === questionnaireId)?.status;

    const cardsFile = path.join(dir, 'cards.json');
    fs.writeFileSync(cardsFile, JSON.stringify([{ cardSerial: child.cardSerial, name, privateJwk: child.cardKey.privateJwk }]));
    const caller = w.clinic(CLINIC);
    clinic = await buildClinic({
      institutionCode: CLINIC,
      name: '千代田こどもクリニック',
      clientId: caller.clientId,
      privateJwk: caller.privateJwk,
      oqsUrl: w.url('oqs'),
      portalUrl: w.url('portal'),
      logger: createLogger({ service: 'clinic', destination: w.logs, level: 'warn' }),
      cardsFile,
      pages: (app) => servePages(app, { root: webDist('clinic') }),
    });
    const port = await freePort();
    await clinic.app.listen({ port, host: '127.0.0.1' });
    url = `http://127.0.0.1:${port}`;
    browser = await launchBrowser();
    fs.mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await clinic?.close();
    await w?.stop();
    // The screenshots stay for a person to look at (their directory is printed); the rest goes.
    fs.rmSync(path.join(dir, 'cards.json'), { force: true });
  });

  /** A full-page screenshot for a person to look at, and axe-core's verdict on the page as it is. */
  const look = async (page: Page, shot: string) => {
    await page.screenshot({ path: path.join(shots, `${shot}.png`), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], `no axe-core violation at ${shot}`);
  };
  const focused = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() ?? '');

  it('card → consent → warning → override with reason → record → it is in the history → corrected the same day', { timeout: 240_000 }, async (t) => {
    if (!chromiumAvailable()) {
      t.skip(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium; CI installs it)`);
      return;
    }
    t.diagnostic(`screenshots: ${shots}`);
    await withPage(browser!, 'clinic-vaccination', { baseURL: url }, async ({ page, problems }) => {
      await page.goto('/vaccination', { timeout: 120_000 });
      await page.getByRole('heading', { level: 1, name: 'カードを読み取る' }).waitFor();
      await page.getByText(`医療機関コード ${CLINIC}`).waitFor();
      await page.getByTestId(`card-${child.cardSerial}`).waitFor();
      await look(page, '1-reader');

      // The card by keyboard: filter by name, Tab to it, Enter.
      await page.getByLabel('氏名で絞り込む').fill(name);
      const isCard = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? '');
      for (let i = 0; i < 10 && (await isCard()) !== `card-${child.cardSerial}`; i++) await page.keyboard.press('Tab');
      assert.equal(await isCard(), `card-${child.cardSerial}`, 'the card is reached with Tab');
      await page.keyboard.press('Enter');

      // The person's screen on the reader: the scopes in plain Japanese, two answers.
      const consent = page.getByRole('heading', { name: '同意の確認' });
      await consent.waitFor();
      assert.ok(await consent.evaluate((h) => h === document.activeElement), 'the consent screen takes the focus');
      const scopes = await page.getByTestId('consent-scopes').locator('li').allInnerTexts();
      assert.equal(scopes.length, 3);
      assert.match(scopes.join('\n'), /予防接種の記録と予定を見る[\s\S]*予診票を見る[\s\S]*今日の予防接種を記録する/);
      await page.keyboard.press('Tab');
      assert.equal(await focused(page), '同意する', 'from the heading, Tab reaches the answers in order');
      const ring = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
      assert.notEqual(ring, 'none', 'the focused button shows its focus');
      await page.keyboard.press('Tab');
      assert.equal(await focused(page), '同意しない');
      await look(page, '2-consent');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');

      // The doctor's screen: the person, the history, the schedule.
      const person = page.getByTestId('person');
      await person.waitFor();
      assert.match(await person.innerText(), new RegExp(name.replace(/\s/g, '\\s*')));
      assert.match(await page.getByTestId('age').innerText(), /^\d+か月$/);
      assert.match(await page.getByTestId('history').innerText(), /五種混合[\s\S]*DPT-001/);
      await page.getByTestId('forecast').waitFor();
      await look(page, '3-doctor');

      // The submitted 予診票: its answers readable, the runny nose flagged. Choosing it chooses its
      // dose, 五種混合 2回目 — ten days after the first, so the check (run at once) warns.
      await page.getByLabel('今日の予診票').selectOption(questionnaireId);
      const flags = page.getByTestId('questionnaire-flags');
      await flags.waitFor();
      assert.match(await flags.innerText(), /確認が必要な回答が1件[\s\S]*具合の悪いところ[\s\S]*はい/);
      assert.match(await page.getByTestId('questionnaire-answers').innerText(), /少し鼻水が出ています/);
      const plan = page.getByLabel('ワクチンと回数');
      assert.match(await plan.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? ''), /五種混合[\s\S]*2回目/);
      const warning = page.getByTestId('warning').first();
      await warning.waitFor();
      assert.match(await warning.innerText(), /[ぁ-んァ-ヶ一-龠]/);

      // A fever: no dose, nothing to record.
      await page.getByLabel('体温（℃）').fill('37.5');
      await page.getByTestId('no-dose-warning').waitFor();
      assert.equal(await page.getByLabel('ロット番号（必須）').count(), 0, 'no record form while the dose is ruled out');
      await page.getByLabel('体温（℃）').fill('36.6');
      await page.getByLabel('予診を行った医師').fill('佐藤 花子');
      await page.getByLabel('接種可', { exact: true }).check();

      // The scanner types the package's GS1 element string (FNC1 as GS): lot and expiry fill in.
      const expiry = addDays(today, 300);
      const yymmdd = expiry.slice(2).replaceAll('-', '');
      await page
        .getByLabel('バーコードの読み取り（GS1）')
        .fill(formatGs1({ gtin: '09506000134352', expiryYymmdd: yymmdd, lotNumber: 'GB-2611', serial: 'SN1' }));
      assert.equal(await page.getByLabel('ロット番号（必須）').inputValue(), 'GB-2611');
      assert.equal(await page.getByLabel('有効期限').inputValue(), expiry);
      assert.equal(await page.getByLabel('製品コード（GTIN・HOT）').inputValue(), '09506000134352');
      await page.getByLabel('接種量（mL）').fill('0.5');
      await page.getByLabel('接種部位').fill('左上腕');
      await page.getByLabel('接種経路').selectOption('subcutaneous');

      // Recording without the override is refused, at the warning.
      await page.getByRole('button', { name: '接種を記録する' }).click();
      const summary = page.getByTestId('error-summary');
      await summary.waitFor();
      assert.match(await summary.innerText(), /理由を入力して上書き/);
      const box = page.getByLabel('この警告を確認し、接種する').first();
      assert.equal(await box.getAttribute('aria-invalid'), 'true', 'the error is tied to the warning’s field');
      await look(page, '4-override-missing');

      for (const b of await page.getByLabel('この警告を確認し、接種する').all()) await b.check();
      for (const r of await page.getByLabel('理由（必須）').all()) await r.fill('転居のため、医師の判断で本日接種');
      await page.getByRole('button', { name: '接種を記録する' }).click();

      const recorded = page.getByTestId('recorded');
      await recorded.waitFor();
      assert.equal(await recorded.getAttribute('data-status'), 'recorded');
      assert.match(await recorded.innerText(), /GB-2611[\s\S]*上書きした警告/);
      const mine = page.getByTestId('history-record').filter({ hasText: 'GB-2611' });
      await mine.waitFor();
      assert.equal(await mine.count(), 1, 'the record appears in the history once');
      await look(page, '5-recorded');
      assert.equal(await questionnaireStatus(), 'used', 'the 予診票 was used for the dose');

      // The same day, a correction: a new version with its reason.
      await page.getByRole('button', { name: '記録を訂正する' }).click();
      await page.getByLabel('接種部位').fill('右上腕');
      await page.getByRole('button', { name: '訂正を登録する' }).click();
      await page.getByText('訂正の理由を入力してください。').first().waitFor();
      await page.getByLabel('訂正の理由（必須）').fill('接種部位の入力誤り');
      await page.getByRole('button', { name: '訂正を登録する' }).click();
      await page.locator('[data-testid="recorded"][data-status="corrected"][data-version="2"]').waitFor();
      await page.getByTestId('history-record').filter({ hasText: '右上腕' }).waitFor();
      await look(page, '6-corrected');

      // At phone width, nothing runs off the side.
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (${overflow} px too wide)`);
      await look(page, '7-phone');
      assert.deepEqual(cspViolations(problems), []);
    });
  });
});
