/**
 * A real browser for the tests: Debian's chromium (found with `command -v chromium`) driven by
 * playwright-core, with the flags of CI. Screenshots go to e2e/artifacts/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, PROJECT_ROOT } from './gongfu.js';

export const ARTIFACTS = join(PROJECT_ROOT, 'e2e', 'artifacts');

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium is not installed (apt-get install -y chromium; .ci/run does it)');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

/** A page at 1366×768 (the smallest desk screen the app is made for), Chinese by default. */
export async function newPage(browser: Browser, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  return context.newPage();
}

/** Signs in a demo account (password GONGFU_DEMO_PASSWORD) through the sign-in page. */
export async function signIn(page: Page, url: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('.user-button').waitFor({ timeout: 15_000 });
}

/**
 * Saves a full-page screenshot. Sticky elements (the header, table heads) are made static while it
 * is taken: a full-page capture scrolls, and a sticky header would be painted partway down the page.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.evaluate(`(() => {
    for (const el of document.querySelectorAll('body *'))
      if (getComputedStyle(el).position === 'sticky') {
        el.dataset.gongfuSticky = el.style.position;
        el.style.position = 'static';
      }
    window.scrollTo(0, 0);
  })()`);
  try {
    await page.screenshot({ path, fullPage: true });
  } finally {
    await page.evaluate(`(() => {
      for (const el of document.querySelectorAll('[data-gongfu-sticky]')) {
        el.style.position = el.dataset.gongfuSticky;
        delete el.dataset.gongfuSticky;
      }
    })()`);
  }
  return path;
}

/**
 * Opens `path` and waits for `selector` to be visible; returns the milliseconds from the navigation's
 * start to that moment, as the page's own clock (performance.now) measures it.
 */
export async function timeToVisible(page: Page, url: string, selector: string, timeout = 30_000): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(selector).first().waitFor({ state: 'visible', timeout });
  return page.evaluate('performance.now()') as Promise<number>;
}
