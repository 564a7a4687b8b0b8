import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Chromium for the browser tests: Debian's own (`apt-get install chromium`), driven by
 * playwright-core. Never a browser download: tests skip when it is missing, and CI installs it.
 */
export const CHROMIUM = process.env.PMH_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox (tests may run as root in a container); nothing that phones home or updates itself.
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and refused requests seen so far (a CSP violation shows up here). */
  problems: string[];
}

/**
 * Opens a fresh context (its own cookies) and page at `baseURL`, Japanese locale, and runs `fn`.
 * When `fn` throws, a full-page screenshot and the page's problems are saved to a temp directory
 * named in the error, so a failure in CI can be seen, not guessed.
 */
export async function withPage<T>(browser: Browser, name: string, opts: { baseURL: string }, fn: (s: BrowserSession) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ baseURL: opts.baseURL, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  try {
    return await fn({ context, page, problems });
  } catch (e) {
    const saved = await saveFailure(page, name, problems);
    if (e instanceof Error) e.message += `\n(${saved})`;
    throw e;
  } finally {
    await context.close();
  }
}

/** Saves a screenshot and the page's problems; answers where, or why not. */
export async function saveFailure(page: Page, name: string, problems: string[] = []): Promise<string> {
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmh-browser-'));
    const base = path.join(dir, name.replace(/[^A-Za-z0-9_-]+/g, '-'));
    await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 10_000 });
    fs.writeFileSync(`${base}.txt`, `${page.url()}\n${problems.join('\n')}\n`);
    return `screenshot: ${base}.png; page problems: ${base}.txt`;
  } catch (err) {
    return `no screenshot: ${(err as Error).message}`;
  }
}

/** One accessibility violation axe-core found: the rule, its impact and the elements (CSS selectors). */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * The page as it is now, checked by axe-core (WCAG 2.0/2.1/2.2 A and AA rules and axe's best
 * practices): its violations, none when the page passes. axe runs inside the page, from the installed
 * package, so nothing is fetched.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the debugging protocol, not as a <script>: the page's content security policy
  // (no inline script) stays as it is, and a violation of it still shows.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const inPage = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            o: unknown,
          ) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const r = await inPage.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
}
