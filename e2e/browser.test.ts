import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { TokenClient } from '@pmh/core/auth/index';
import { sharedDemo } from '../packages/testkit/src/index.ts';
import { CHROMIUM, axeViolations, chromiumAvailable, launchBrowser, phoneScreenshot, withPage } from '../packages/testkit/src/browser.ts';

/**
 * The web pages in Chromium against the whole demo (`pmh start`), as people use them (issues 4 and 5):
 * a receptionist checks a patient's medical-subsidy eligibility at the clinic's reception page (the
 * patient consents, then once declines); the municipality sends the patient a notification; the
 * patient logs in to the portal with the same card, sees the certificate, reads the notification, and
 * finds the clinic's check in "who looked at my data"; after logout the pages ask for a login again.
 * Then a guardian (代理人) of the demo adds their child with the child's card, switches to the child,
 * sees the child's vaccination schedule (和暦 with 西暦) and fills in a 予診票 from a planned dose —
 * follow-ups appear only after the answer they follow, a draft is saved, a wrong submit names the
 * items, the right one is submitted — and the child, logged in, finds the guardian in their access
 * log. Each of these pages has no axe-core violation (WCAG 2.1 AA) and is photographed at phone width
 * (the file names are printed: look at them).
 */

/** Waits until `check` answers something truthy (polled), or fails naming what it waited for. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Messages that say the page broke the content security policy (no inline script or style may run). */
const cspViolations = (problems: string[]) => problems.filter((p) => /Content Security Policy|Refused to (apply|execute|load)/i.test(p));

describe('web pages in Chromium (clinic reception, resident portal)', () => {
  let browser: Browser | undefined;
  after(async () => {
    await browser?.close();
  });

  it('a patient consents at reception, is notified, and sees it all in the portal', { timeout: 720_000 }, async (t) => {
    if (!chromiumAvailable()) {
      t.skip(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium; CI installs it)`);
      return;
    }
    const { urls, read } = await sharedDemo();
    browser = await launchBrowser();

    const residents = read('residents.json');
    const cards = read('cards.json');
    const municipalities = read('municipalities.json');
    const clinics = read('clinics.json');
    const resident = residents.find((r: any) => r.registered);
    const card = cards.find((c: any) => c.cardSerial === resident.cardSerial);
    const municipality = municipalities.find((m: any) => m.code === resident.municipalityCode);
    const clinic = clinics[0];
    assert.ok(resident && card && municipality && clinic, 'the demo has a registered resident with a card, their municipality and a clinic');

    // What the municipality registered (its own view): the payer numbers the pages must show. And the
    // resident's link to the portal must have come through before the clinic can find them.
    const tokens = new TokenClient({ baseUrl: urls.hub, clientId: municipality.clientId, privateJwk: municipality.privateJwk });
    const municipal = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(urls.hub + p, {
        method,
        headers: { authorization: await tokens.authorization(), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const subject = await until('the resident to be linked to the portal', async () => {
      const r = await municipal('GET', `/municipal/v1/subjects/${resident.municipalityIdentityKey}`);
      return r.status === 200 && r.body.portalLinkStatus === 'linked' && r.body;
    });
    const payerNumbers: string[] = subject.medicalSubsidyCertificates.map((c: any) => c.medicalSubsidyInsurerNumber);
    assert.ok(payerNumbers.length >= 1);

    await t.test('clinic: the patient consents and the receptionist sees the certificate; declining shows why there is none', async () => {
      const served = await fetch(urls.clinic + '/', { headers: { accept: 'text/html' } });
      assert.equal(served.status, 200, 'the clinic serves its reception page at / (servePages in the clinic service)');
      await withPage(browser!, 'clinic-reception', { baseURL: urls.clinic }, async ({ page, problems }) => {
        await page.goto('/');
        await page.getByRole('heading', { level: 1, name: 'カードを読み取る' }).waitFor();
        await page.getByText(`医療機関コード ${clinic.institutionCode}`).waitFor();
        // Within the certificates' validity, whatever today is.
        await page.getByLabel('基準日（任意）').fill('2026-06-01');

        await page.getByTestId(`card-${card.cardSerial}`).click();
        const consent = page.getByRole('heading', { name: '同意の確認' });
        await consent.waitFor();
        assert.ok(await consent.evaluate((h) => h === document.activeElement), 'the consent screen takes the focus');
        await page.getByText('公費医療費助成の資格情報を医療機関に提供しますか').waitFor();
        await page.getByRole('button', { name: '提供する', exact: true }).click();

        const result = page.getByTestId('result');
        await result.waitFor();
        assert.equal(await result.getAttribute('data-status'), 'eligible', await result.innerText());
        await page.getByText(/公費の受給者証があります/).waitFor();
        const shown = await page.getByTestId('payer-number').allInnerTexts();
        assert.deepEqual(shown.map((s) => s.trim()).sort(), [...payerNumbers].sort(), 'every certificate with its 公費負担者番号');
        await page.getByText('令和8年4月1日 〜 令和9年3月31日').first().waitFor();

        // The next patient: the same card, and this time the patient declines — all by keyboard.
        await page.getByRole('button', { name: '次の患者' }).click();
        await page.getByLabel('氏名で絞り込む').fill(card.name);
        const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.textContent ?? '');
        for (let i = 0; i < 10 && (await focused()) !== `card-${card.cardSerial}`; i++) await page.keyboard.press('Tab');
        assert.equal(await focused(), `card-${card.cardSerial}`, 'the card is reached with Tab');
        await page.keyboard.press('Enter');
        await consent.waitFor();
        await page.keyboard.press('Tab');
        assert.equal(await focused(), '提供する', 'from the consent heading, Tab reaches the answers in order');
        await page.keyboard.press('Tab');
        assert.equal(await focused(), '提供しない');
        await page.keyboard.press('Enter');
        await result.waitFor();
        assert.equal(await result.getAttribute('data-reason'), 'not-consented');
        await page.getByRole('heading', { name: '患者が情報提供に同意しませんでした' }).waitFor();
        assert.equal(await page.getByTestId('certificate').count(), 0);
        assert.deepEqual(cspViolations(problems), []);
      });
    });

    const title = `受給者証の更新について（${Date.now()}）`;
    await t.test('the municipality sends the resident a notification', async () => {
      const sent = await municipal('POST', '/municipal/v1/notifications', {
        targets: [{ municipalityIdentityKey: resident.municipalityIdentityKey }],
        category: 'medical-subsidy',
        title,
        body: '令和9年4月1日から新しい受給者証になります。\n手続きは不要です。',
      });
      assert.ok(sent.status === 201 || sent.status === 202, JSON.stringify(sent.body));
    });

    await t.test('portal: login, the certificate, the notification read, the clinic in the access log, logout', async () => {
      await withPage(browser!, 'resident-portal', { baseURL: urls.portal }, async ({ page, problems }) => {
        await page.goto('/notifications');
        // Not logged in: every page is the login page.
        await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/login');
        await page.getByLabel('デモ用のマイナンバーカード').selectOption(card.cardSerial);
        await page.getByRole('button', { name: 'マイナンバーカードで ログイン' }).click();

        // Back to the page asked for, logged in. Then the certificates.
        await page.getByRole('heading', { level: 1, name: 'お知らせ' }).waitFor();
        const nav = page.getByRole('navigation', { name: 'メインメニュー' });
        await nav.getByRole('link', { name: '受給者証' }).click();
        await page.getByRole('heading', { level: 1, name: '受給者証' }).waitFor();
        await page.getByTestId('certificate').first().waitFor();
        const shown = await page.getByTestId('payer-number').allInnerTexts();
        assert.deepEqual(shown.map((s) => s.trim()).sort(), [...payerNumbers].sort());
        await page.getByText(resident.basicFiveInfo.name).first().waitFor();

        // The notification arrives through the hub's outbox: look until it is in the inbox.
        await nav.getByRole('link', { name: /お知らせ/ }).click();
        await page.getByRole('heading', { level: 1, name: 'お知らせ' }).waitFor();
        const item = page.getByTestId('notification').filter({ hasText: title });
        await until('the notification in the inbox', async () => {
          if ((await item.count()) > 0) return true;
          await page.reload();
          await page.getByTestId('unread-count').waitFor();
          return false;
        });
        assert.equal(await item.getAttribute('data-read'), 'false');
        assert.match(await item.innerText(), /未読/);
        const unreadBefore = Number((await page.getByTestId('unread-count').innerText()).match(/\d+/)![0]);
        assert.ok(unreadBefore >= 1);

        await item.click();
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        assert.match(await page.getByTestId('notification-body').innerText(), /手続きは不要です。/);
        // Opening it marked it read, at the portal too.
        await until('the notification marked read', async () => {
          const inbox = (await (await page.request.get('/portal/v1/me/notifications')).json()) as any;
          return inbox.items.find((i: any) => i.title === title)?.readAt;
        });
        await page.getByRole('link', { name: 'お知らせの一覧に戻る' }).click();
        await page.getByTestId('notification').filter({ hasText: title }).and(page.locator('[data-read="true"]')).waitFor();
        assert.match(await page.getByTestId('unread-count').innerText(), new RegExp(`未読 ${unreadBefore - 1}件`));

        // Who looked at my data: the clinic's eligibility check a moment ago.
        await nav.getByRole('link', { name: '閲覧記録' }).click();
        await page.getByRole('heading', { level: 1, name: 'あなたのデータを見た記録' }).waitFor();
        const check = page
          .locator('[data-testid="access-entry"][data-actor-kind="medical-institution"][data-action="eligibility.query"]')
          .filter({ hasText: clinic.institutionCode });
        await check.first().waitFor();
        assert.match(await check.first().innerText(), /医療機関[\s\S]*資格確認（公費）/);

        // A session that has ended (here: its cookie is gone) sends the resident back to the login
        // page with a word why; logging in again returns to the page they were on.
        await page.context().clearCookies();
        await nav.getByRole('link', { name: /お知らせ/ }).click();
        await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
        await page.getByText('セッションの有効期限が切れました。もう一度ログインしてください。').waitFor();
        await page.getByLabel('デモ用のマイナンバーカード').selectOption(card.cardSerial);
        await page.getByRole('button', { name: 'マイナンバーカードで ログイン' }).click();
        await page.getByRole('heading', { level: 1, name: 'お知らせ' }).waitFor();

        // Logout: the session ends, and a protected page asks for a login again.
        await page.getByRole('button', { name: 'ログアウト' }).click();
        await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
        await page.getByText('ログアウトしました。').waitFor();
        assert.equal((await page.request.get('/portal/v1/me')).status(), 401);
        await page.goto('/access-log');
        await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/login');
        assert.equal(await page.getByTestId('access-log').count(), 0);
        assert.deepEqual(cspViolations(problems), []);
      });
    });

    await t.test('portal: a guardian adds the child, sees the schedule, fills in a 予診票; the child sees the guardian in the access log', async (tt) => {
      const families = read('families.json');
      const family = families.find((f: any) => f.municipalityCode === resident.municipalityCode) ?? families[0];
      const childCard = family.children[0];
      const child = residents.find((r: any) => r.cardSerial === childCard.cardSerial);
      const childMunicipality = municipalities.find((m: any) => m.code === child.municipalityCode);
      const childTokens = new TokenClient({ baseUrl: urls.hub, clientId: childMunicipality.clientId, privateJwk: childMunicipality.privateJwk });
      await until('the guardian and the child to be linked to the portal', async () => {
        for (const key of [child.municipalityIdentityKey, residents.find((r: any) => r.cardSerial === family.guardian.cardSerial).municipalityIdentityKey]) {
          const r = await fetch(`${urls.hub}/municipal/v1/subjects/${key}`, { headers: { authorization: await childTokens.authorization() } });
          if (r.status !== 200 || ((await r.json()) as any).portalLinkStatus !== 'linked') return false;
        }
        return true;
      });
      const shots = path.join(os.tmpdir(), 'pmh-portal-screens');
      fs.mkdirSync(shots, { recursive: true });
      const look = async (page: import('playwright-core').Page, name: string) => {
        assert.deepEqual(await axeViolations(page), [], `${name}: no accessibility violation`);
        tt.diagnostic(`screenshot at phone width: ${await phoneScreenshot(page, shots, name)}`);
      };

      await withPage(browser!, 'guardian-portal', { baseURL: urls.portal }, async ({ page, problems }) => {
        await page.goto('/login');
        await page.getByLabel('デモ用のマイナンバーカード').selectOption(family.guardian.cardSerial);
        await page.getByRole('button', { name: 'マイナンバーカードで ログイン' }).click();
        const nav = page.getByRole('navigation', { name: 'メインメニュー' });
        await nav.getByRole('link', { name: '家族' }).click();
        await page.getByRole('heading', { level: 1, name: '家族（代理人）' }).waitFor();
        await page.getByLabel('お子さまのマイナンバーカード（デモ）').selectOption(childCard.cardSerial);
        await page.getByRole('button', { name: 'お子さまのカードを読み取って追加' }).click();
        await page.getByTestId('add-dependant-result').getByText(`${childCard.name}さんを追加しました`).waitFor();
        await page.getByTestId('dependant').filter({ hasText: childCard.name }).waitFor();
        await look(page, 'portal-family');

        // The person switcher: the child's pages, said on every page.
        await page.getByLabel('表示する人').selectOption({ label: `${childCard.name}（代理人として）` });
        await page.getByTestId('acting-for').getByText(childCard.name).waitFor();
        await nav.getByRole('link', { name: '予防接種' }).click();
        await page.getByRole('heading', { level: 1, name: '予防接種' }).waitFor();
        await page.getByTestId('vaccination-record').first().waitFor();
        // Dates in 和暦 with the 西暦 beside them.
        assert.match(await page.getByTestId('vaccination-record').first().innerText(), /令和\d+年\d+月\d+日（\d{4}年\d+月\d+日）/);
        const planned = page.locator('[data-testid="forecast-entry"]:is([data-status="due"], [data-status="overdue"], [data-status="upcoming"])');
        await planned.first().waitFor();
        await look(page, 'portal-vaccinations-child');

        // A 予診票 from a planned dose.
        await planned
          .first()
          .getByRole('button', { name: /予診票を記入する/ })
          .click();
        await page.getByRole('heading', { level: 1, name: /予防接種予診票/ }).waitFor();
        assert.equal(await page.getByTestId('questionnaire-status').getAttribute('data-status'), 'draft');
        // A follow-up appears only after the answer it follows.
        const unwell = page.getByTestId('item-unwell-today');
        await unwell.getByLabel('はい').check();
        await page.getByLabel(/具体的な症状を書いてください/).waitFor();
        await unwell.getByLabel('いいえ').check();
        assert.equal(await page.getByLabel(/具体的な症状を書いてください/).count(), 0);
        await page.getByTestId('item-read-explanation').getByLabel('はい').check();
        await page.getByRole('button', { name: '一時保存' }).click();
        await page.getByTestId('questionnaire-notice').getByText('一時保存しました。').waitFor();
        // Submitted too early: the unanswered items are named.
        await page.getByRole('button', { name: '提出する' }).click();
        await page
          .getByTestId('questionnaire-notice')
          .getByText(/回答を確認してください/)
          .waitFor();
        assert.ok((await page.getByTestId('field-error').count()) > 0);
        await look(page, 'portal-questionnaire-errors');
        // Every question answered as a well child's guardian would.
        for (let round = 0; round < 3; round++) {
          const groups = page.locator('fieldset[data-testid^="item-"]');
          for (let i = 0; i < (await groups.count()); i++) {
            const g = groups.nth(i);
            if ((await g.locator('input:checked').count()) > 0) continue;
            const no = g.getByLabel('いいえ', { exact: true });
            if ((await no.count()) > 0) await no.check();
            else await g.locator('input').first().check();
          }
        }
        await page.getByRole('button', { name: '提出する' }).click();
        await page
          .getByTestId('questionnaire-notice')
          .getByText(/提出しました/)
          .waitFor();
        assert.equal(await page.getByTestId('questionnaire-status').getAttribute('data-status'), 'submitted');
        await look(page, 'portal-questionnaire-submitted');
        await page.getByRole('link', { name: '予診票・問診票の一覧に戻る' }).click();
        await page.locator('[data-testid="questionnaire"][data-status="submitted"]').first().waitFor();

        // The child's 健診 page, as the guardian: the child's name said, the child's vouchers (?for=), a 問診票 from an unused one.
        await nav.getByRole('link', { name: '健診' }).click();
        await page.getByRole('heading', { level: 1, name: '健診' }).waitFor();
        await page.getByText(`${childCard.name}さんの妊婦健診・乳幼児健診の受診券`).waitFor();
        const childVoucher = page.locator('[data-testid="voucher"][data-status="unused"]');
        if ((await childVoucher.count()) > 0) {
          await childVoucher
            .first()
            .getByRole('button', { name: /問診票を記入する/ })
            .click();
          await page.getByRole('heading', { level: 1, name: /問診票/ }).waitFor();
          assert.equal(await page.getByTestId('questionnaire-status').getAttribute('data-status'), 'draft');
        }
        await look(page, 'portal-checkups-child-as-guardian');

        // Back to the guardian's own pages.
        await page.getByLabel('表示する人').selectOption({ label: '自分' });
        assert.equal(await page.getByTestId('acting-for').count(), 0);
        await page.getByRole('button', { name: 'ログアウト' }).click();
        await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();

        // The child, logged in: the guardian's reads and writes in the access log.
        await page.getByLabel('デモ用のマイナンバーカード').selectOption(childCard.cardSerial);
        await page.getByRole('button', { name: 'マイナンバーカードで ログイン' }).click();
        await nav.getByRole('link', { name: '閲覧記録' }).click();
        await page.getByRole('heading', { level: 1, name: 'あなたのデータを見た記録' }).waitFor();
        const byGuardian = page.locator('[data-testid="access-entry"][data-actor-kind="guardian"]');
        await byGuardian.first().waitFor();
        const texts = (await byGuardian.allInnerTexts()).join('\n');
        assert.match(texts, /代理人（保護者）/);
        assert.match(texts, /予診票・問診票の提出/);
        assert.match(texts, /予防接種の記録の参照/);
        await look(page, 'portal-access-log-child');
        assert.deepEqual(cspViolations(problems), []);
      });
    });

    // Maternal and child health (seed C③): the demo's child flagged 要精査 and the pregnant woman.
    const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'pmh-checkups-'));
    const login = async (page: import('playwright-core').Page, serial: string) => {
      await page.goto('/checkups');
      await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
      await page.getByLabel('デモ用のマイナンバーカード').selectOption(serial);
      await page.getByRole('button', { name: 'マイナンバーカードで ログイン' }).click();
      await page.getByRole('heading', { level: 1, name: '健診' }).waitFor();
    };
    const cardOf = (key: string) => residents.find((r: any) => r.municipalityIdentityKey === key).cardSerial as string;
    const linkedInDemo = async (key: string) =>
      until(`${key} linked to the portal`, async () => {
        const r = await municipal('GET', `/municipal/v1/subjects/${key}`);
        return r.status === 200 && r.body.portalLinkStatus === 'linked';
      });

    await t.test(
      'portal: a child’s checkups — results with 判定, the growth chart over the percentile curves and its table — at desktop and phone width',
      async () => {
        await linkedInDemo('1300300013');
        await withPage(browser!, 'resident-checkups-child', { baseURL: urls.portal }, async ({ page, problems }) => {
          await login(page, cardOf('1300300013'));
          const results = page.getByTestId('result');
          await results.first().waitFor();
          // 1か月児, 3～4か月児 and 6～7か月児, newest first; the last flagged 要精査, its detailed exam still to come.
          assert.deepEqual(await results.evaluateAll((els) => els.map((e) => e.getAttribute('data-judgement'))), ['detailed-exam', 'healthy', 'healthy']);
          assert.match(
            await results.first().innerText(),
            /6〜7か月児健康診査[\s\S]*判定：要精査[\s\S]*四肢運動：股関節の開排制限（右）[\s\S]*まだ受診の記録がありません/,
          );
          assert.match(await results.nth(1).innerText(), /3〜4か月児健康診査[\s\S]*身長[\s\S]*cm[\s\S]*体重[\s\S]*kg/);
          // The 9～10か月児 voucher still to use, with its validity in 和暦 and its cap in yen.
          const voucher = page.locator('[data-testid="voucher"][data-status="unused"]');
          assert.equal(await voucher.count(), 1);
          assert.match(await voucher.innerText(), /9〜10か月児健康診査[\s\S]*令和\d+年\d+月\d+日 〜 令和\d+年\d+月\d+日[\s\S]*6,000円/);

          // The growth chart: two drawings, each with the shaded band, the curves and the child's three points.
          for (const id of ['growth-height', 'growth-weight']) {
            const fig = page.getByTestId(id);
            await fig.locator('svg.recharts-surface').waitFor();
            assert.ok((await fig.locator('.recharts-area-area').count()) >= 1, `${id}: the 3–97th percentile band`);
            assert.equal(await fig.locator('.recharts-line').count(), 5, `${id}: the 10th, 25th, 50th, 75th and 90th percentile curves`);
            assert.equal(await fig.locator('.recharts-scatter-symbol').count(), 3, `${id}: the child's measurements`);
          }
          // The same in words for a screen reader: the table, a row per checkup, each value with its band.
          const rows = page.getByTestId('growth-table').locator('tbody tr');
          assert.equal(await rows.count(), 3);
          assert.match(await rows.first().innerText(), /令和[\s\S]*\d+か月[\s\S]*cm[\s\S]*パーセンタイル[\s\S]*kg[\s\S]*パーセンタイル/);
          assert.deepEqual(await axeViolations(page), []);
          await page.screenshot({ path: path.join(shots, 'checkups-child-desktop.png'), fullPage: true });

          // Phone width: nothing wider than the screen, still no violation.
          await page.setViewportSize({ width: 375, height: 800 });
          await page.getByTestId('growth-height').locator('svg.recharts-surface').waitFor();
          assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling at 375 px');
          assert.deepEqual(await axeViolations(page), []);
          await page.screenshot({ path: path.join(shots, 'checkups-child-phone.png'), fullPage: true });

          // By keyboard: the menu's 健診 link and the used vouchers' disclosure are reachable and work.
          const summary = page.getByText(/使用済み・期限切れの受診券/);
          await summary.focus();
          await page.keyboard.press('Enter');
          await page.locator('[data-testid="voucher"][data-status="used"]').first().waitFor();
          assert.deepEqual(cspViolations(problems), []);
        });
      },
    );

    await t.test('portal: the pregnant woman sees her six unused prenatal vouchers first, and her eight results', async () => {
      await linkedInDemo('1300300001');
      await withPage(browser!, 'resident-checkups-mother', { baseURL: urls.portal }, async ({ page, problems }) => {
        await login(page, cardOf('1300300001'));
        await page.getByTestId('result').first().waitFor();
        const unused = page.locator('[data-testid="voucher"][data-status="unused"]');
        assert.equal(await unused.count(), 6);
        assert.match(await unused.first().innerText(), /妊婦健康診査（第9回）[\s\S]*令和[\s\S]*6,000円/);
        assert.equal(await page.getByTestId('result').count(), 8);
        assert.match(await page.getByTestId('result').first().innerText(), /第8回[\s\S]*妊娠週数[\s\S]*30週[\s\S]*血圧/);
        assert.equal(await page.getByTestId('growth').count(), 0, 'no growth chart for an adult');
        assert.deepEqual(await axeViolations(page), []);
        await page.setViewportSize({ width: 375, height: 800 });
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling at 375 px');
        await page.screenshot({ path: path.join(shots, 'checkups-mother-phone.png'), fullPage: true });

        // The 問診票 of the next checkup, from its voucher, by keyboard: filled in and submitted before the visit.
        const start = unused.first().getByRole('button', { name: '妊婦健康診査（第9回）の問診票を記入する' });
        await start.focus();
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 1, name: /妊婦健康診査 問診票（9回目）/ }).waitFor();
        assert.equal(await page.getByTestId('questionnaire-status').getAttribute('data-status'), 'draft');
        await page.getByTestId('item-symptoms-since-last').getByLabel('いいえ', { exact: true }).check();
        const groups = page.locator('fieldset[data-testid^="item-"]');
        for (let i = 0; i < (await groups.count()); i++) {
          const g = groups.nth(i);
          if ((await g.locator('input:checked').count()) > 0) continue;
          const no = g.getByLabel('いいえ', { exact: true });
          if ((await no.count()) > 0) await no.check();
          else await g.locator('input').first().check();
        }
        await page.getByRole('button', { name: '提出する' }).click();
        await page
          .getByTestId('questionnaire-notice')
          .getByText(/提出しました/)
          .waitFor();
        assert.equal(await page.getByTestId('questionnaire-status').getAttribute('data-status'), 'submitted');
        assert.deepEqual(await axeViolations(page), []);
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling at 375 px');
        await page.screenshot({ path: path.join(shots, 'checkups-mother-questionnaire-phone.png'), fullPage: true });
        assert.deepEqual(cspViolations(problems), []);
      });
      t.diagnostic(`screenshots of the checkups pages: ${shots}`);
    });
  });
});
