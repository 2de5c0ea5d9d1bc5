/**
 * The reports page in a real browser against `gongfu start` with the demo: the city leader picks the
 * year, format and language; the page offers the report's HTML link with the right query, the link
 * answers 200 text/html with the session's cookie, and a click opens the report in a new tab.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.js';
import { startGongfu, type Gongfu } from './support/gongfu.js';

describe('the reports page in a browser', () => {
  let gongfu: Gongfu;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [gongfu, browser] = await Promise.all([startGongfu({ demo: true }), launchBrowser()]);
    page = await newPage(browser);
    await signIn(page, gongfu.url, 'demo-leader');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await gongfu?.stop();
  });

  it('offers the HTML report of the year; the link answers 200 text/html and a click opens it in a new tab', async () => {
    await page.goto(`${gongfu.url}/reports`);
    const open = page.locator('[data-testid=reports-open]');
    await open.waitFor();
    const year = await page.locator('[data-testid=reports-year]').inputValue();
    expect(year).toMatch(/^\d{4}$/);
    await expect(open.getAttribute('href')).resolves.toBe(
      `/api/v1/reports/assessment?period=${year}&format=html&lang=zh`,
    );

    // One county, in English: the link follows the choices.
    await page.locator('[data-testid=reports-org]').selectOption('330782');
    await page.locator('[data-testid=reports-lang]').selectOption('en');
    await expect(open.getAttribute('href')).resolves.toBe(
      `/api/v1/reports/assessment?period=${year}&org=330782&format=html&lang=en`,
    );
    await page.locator('[data-testid=reports-org]').selectOption('');
    await page.locator('[data-testid=reports-lang]').selectOption('zh');

    const href = (await open.getAttribute('href'))!;
    const response = await page.request.get(`${gongfu.url}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/html/);
    expect(await response.text()).toContain(year);

    const [tab] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
    // The tab opens blank at once and shows the report once it is generated.
    await expect.poll(() => tab.locator('body').innerText(), { timeout: 60_000 }).toContain(year);
    expect(tab.url()).toMatch(/^blob:/);
    await page.locator('[data-testid=reports-done]').waitFor();
    await screenshot(page, 'reports');
    await tab.close();

    // The XLSX format switches the link to a download.
    await page.locator('[data-testid=reports-format]').selectOption('xlsx');
    await expect(open.getAttribute('href')).resolves.toBe(
      `/api/v1/reports/assessment?period=${year}&format=xlsx&lang=zh`,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), open.click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  }, 120_000);
});
