/**
 * The public portal in a real browser, signed out, on `gongfu start` with the demo (which publishes the
 * real figures): the list of published indicators, one of them with its series, and the page of an
 * unpublished indicator showing not-found.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot } from './support/browser.js';
import { startGongfu, type Gongfu } from './support/gongfu.js';

describe('the public portal', () => {
  let gongfu: Gongfu;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [gongfu, browser] = await Promise.all([
      startGongfu({ demo: true, env: { GONGFU_DEMO_VISITOR: '0' } }),
      launchBrowser(),
    ]);
    page = await newPage(browser);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await gongfu?.stop();
  });

  it('lists the published indicators and shows one with its series, without sign-in', async () => {
    const published = (await (await fetch(`${gongfu.url}/api/v1/public/indicators`)).json()) as {
      items: { code: string }[];
    };
    expect(published.items.length).toBeGreaterThan(0);
    await page.goto(`${gongfu.url}/public`);
    await page.locator('[data-testid=public-indicators]').waitFor({ timeout: 20_000 });
    const code = published.items[0]!.code;
    await page.locator(`[data-testid="public-indicator-${code}"]`).click();
    await page
      .locator('[data-testid=public-indicator] canvas, [data-testid=public-indicator] svg')
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=public-indicator]').getAttribute('data-code')).toBe(code);
    expect(await page.locator('[data-testid=public-latest]').textContent()).not.toBe('—');
    await screenshot(page, 'public-indicator');
  }, 120_000);

  it('shows not-found for an indicator that is not published', async () => {
    const published = new Set(
      (
        (await (await fetch(`${gongfu.url}/api/v1/public/indicators`)).json()) as { items: { code: string }[] }
      ).items.map((i) => i.code),
    );
    const all = (await (await fetch(`${gongfu.url}/api/v1/indicators`)).json()) as { items: { code: string }[] };
    const hidden = all.items.find((i) => !published.has(i.code))!.code;
    expect((await fetch(`${gongfu.url}/api/v1/public/indicators/${hidden}`)).status).toBe(404);
    await page.goto(`${gongfu.url}/public/indicators/${hidden}`);
    await page.locator('[data-testid=public-not-found]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=public-indicator]').count()).toBe(0);
    await screenshot(page, 'public-not-found');
  }, 60_000);
});
