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

/**
 * The page's accessibility violations as axe-core finds them (WCAG 2.1 A and AA rules), each as
 * `rule: target …` — empty when there are none. The engine is evaluated into the page by the driver
 * (not a script tag), so the pages' content security policy stays as it is.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations;
  })) as Array<{ id: string; nodes: Array<{ target: unknown[] }> }>;
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A full-page screenshot at phone width (390 × 844, as an iPhone), and one of the first screen (`-top`), saved under `dir`; answers the first's path. */
export async function phoneScreenshot(page: Page, dir: string, name: string): Promise<string> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  const file = path.join(dir, `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
  // The first screen too, at full size: what a phone shows before scrolling.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file.replace(/\.png$/, '-top.png'), timeout: 10_000 });
  if (before) await page.setViewportSize(before);
  return file;
}
