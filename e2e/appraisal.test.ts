/**
 * The appraisal (考核) pages in a real browser against `gongfu start` with the demo: the county table
 * of the demo's published quarter with nine counties, a click into one county's breakdown whose
 * total equals the table's, and a county leader who sees only their own county. Prints load times
 * (navigation start → content visible); saves screenshots to e2e/artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn, timeToVisible } from './support/browser.js';
import { startGongfu, type Gongfu } from './support/gongfu.js';

const loadTimes: Record<string, number> = {};

describe('the appraisal pages in a browser', () => {
  let gongfu: Gongfu;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [gongfu, browser] = await Promise.all([startGongfu({ demo: true }), launchBrowser()]);
    page = await newPage(browser);
    await signIn(page, gongfu.url, 'demo-analyst');
  }, 300_000);

  afterAll(async () => {
    console.log('Appraisal page load times (navigation start → content visible, ms):', JSON.stringify(loadTimes));
    await browser?.close();
    await gongfu?.stop();
  });

  it('shows the nine counties of the published demo quarter; a click opens a breakdown with the same total', async () => {
    loadTimes.table = await timeToVisible(page, `${gongfu.url}/appraisal`, '[data-testid=appraisal-table] tbody tr');
    const rows = page.locator('[data-testid=appraisal-table] tbody tr');
    await expect(rows.count()).resolves.toBe(9);
    await expect(page.locator('[data-testid=appraisal-state]').getAttribute('data-state')).resolves.toBe('published');
    await expect(page.locator('.page-header .badge.synthetic').first().textContent()).resolves.toBe('示例数据');
    await page.locator('[data-testid=appraisal-chart] canvas').waitFor();
    // Ranks run 1…9 in order (ties share a rank).
    const ranks = (await rows.locator('[data-testid=appraisal-rank] .race-rank').allTextContents()).map(Number);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks[0]).toBe(1);
    await screenshot(page, 'appraisal-table');

    const third = rows.nth(2);
    const total = (await third.locator('[data-testid=appraisal-total]').textContent())!.trim();
    const name = (await third.locator('a').textContent())!.trim();
    const started = Date.now();
    await third.locator('a').click();
    await page.locator('[data-testid=breakdown-total]').waitFor();
    loadTimes.breakdownFromTable = Date.now() - started;
    await expect(page.locator('h1').textContent()).resolves.toContain(name);
    await expect(page.locator('[data-testid=breakdown-total]').textContent()).resolves.toBe(total);
    // Every component's points and the traced inputs are shown.
    await expect(page.locator('[data-testid=breakdown-components] tbody tr').count()).resolves.toBe(4);
    await expect(page.locator('[data-testid=breakdown-formula]').textContent()).resolves.toContain(total);
    await expect(page.locator('[data-testid=satisfaction-mean]').textContent()).resolves.toMatch(/\d/);
    await expect(page.locator('[data-testid=input-satisfaction]').textContent()).resolves.toContain('95%');
    await screenshot(page, 'appraisal-breakdown');

    loadTimes.breakdownDirect = await timeToVisible(page, page.url(), '[data-testid=breakdown-total]');
  });

  it('shows a county leader only their own county', async () => {
    const context = await browser.newContext();
    const leaderPage = await context.newPage();
    await signIn(leaderPage, gongfu.url, 'demo-leader-yiwu');
    loadTimes.leaderTable = await timeToVisible(
      leaderPage,
      `${gongfu.url}/appraisal`,
      '[data-testid=appraisal-table] tbody tr',
    );
    const rows = leaderPage.locator('[data-testid=appraisal-table] tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().getAttribute('data-key')).resolves.toBe('330782');
    await screenshot(leaderPage, 'appraisal-leader');
    await context.close();
  });
});
