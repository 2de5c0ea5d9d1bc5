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

  it('lets the analyst correct a published period with a reason and the city leader publish it; not a county leader', async () => {
    await page.goto(`${gongfu.url}/appraisal`);
    await page.locator('[data-testid=appraisal-table] tbody tr').first().waitFor();
    const period = await page.locator('[data-testid=appraisal-period]').inputValue();
    // The analyst (appraisal.edit) may correct a published period, not publish it.
    const controls = page.locator('[data-testid=appraisal-controls]');
    await controls.locator('[data-testid=appraisal-correct]').waitFor();
    await expect(controls.locator('[data-testid=appraisal-publish]').count()).resolves.toBe(0);
    await controls.locator('[data-testid=appraisal-correct]').click();
    const dialog = page.locator('[data-testid=appraisal-confirm]');
    await expect(dialog.locator('[data-testid=appraisal-confirm-ok]').isDisabled()).resolves.toBe(true);
    await dialog.locator('textarea[name=reason]').fill('e2e: 数据更正');
    await dialog.locator('[data-testid=appraisal-confirm-ok]').click();
    await page
      .locator('[data-testid=appraisal-state][data-state=draft][data-version="2"]')
      .waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-testid=appraisal-correction]').textContent()).resolves.toContain('e2e: 数据更正');

    // The city leader (appraisal.approve) sees freeze and publish on the unpublished correction.
    const context = await browser.newContext({ locale: 'zh-CN' });
    const leader = await context.newPage();
    await signIn(leader, gongfu.url, 'demo-leader');
    await leader.goto(`${gongfu.url}/appraisal?period=${period}`);
    const leaderControls = leader.locator('[data-testid=appraisal-controls]');
    await leaderControls.locator('[data-testid=appraisal-publish]').waitFor();
    await expect(leaderControls.locator('[data-testid=appraisal-freeze]').count()).resolves.toBe(1);
    await expect(leaderControls.locator('[data-testid=appraisal-correct]').count()).resolves.toBe(0);
    await leaderControls.locator('[data-testid=appraisal-publish]').click();
    await leader.locator('[data-testid=appraisal-confirm] [data-testid=appraisal-confirm-ok]').click();
    await leader.locator('[data-testid=appraisal-state][data-state=published][data-version="2"]').waitFor();
    await expect(leader.locator('[data-testid=appraisal-controls] button').count()).resolves.toBe(0);
    await screenshot(leader, 'appraisal-published-correction');
    await context.close();

    // A county leader may approve only within the county: no controls for the city's appraisal.
    const yiwuContext = await browser.newContext({ locale: 'zh-CN' });
    const yiwu = await yiwuContext.newPage();
    await signIn(yiwu, gongfu.url, 'demo-leader-yiwu');
    await yiwu.goto(`${gongfu.url}/appraisal`);
    await yiwu.locator('[data-testid=appraisal-table] tbody tr').first().waitFor();
    await yiwu.locator('[data-testid=appraisal-state]').waitFor();
    await expect(yiwu.locator('[data-testid=appraisal-controls]').count()).resolves.toBe(0);
    await expect(
      yiwu.locator('[data-testid=appraisal-publish], [data-testid=appraisal-correct]').count(),
    ).resolves.toBe(0);
    await yiwuContext.close();
  }, 120_000);
});
