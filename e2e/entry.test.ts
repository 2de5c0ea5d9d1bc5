/**
 * Data entry and approval in a real browser, against the app started as `npm start` starts it: a
 * reporter of 义乌市 fills in a figure, sees the server's message for a bad value, corrects it,
 * confirms an estimate with a comment, saves and submits; the Excel upload lists a broken file's rows;
 * the approver finds the return in the queue and approves it. Load times are printed for the report.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn, timeToVisible } from './support/browser.js';
import { startGongfu, type Gongfu } from './support/gongfu.js';

const YIWU = '330782';
/** The current year: always started (the server refuses future periods) and never ended (so a figure is an estimate). */
const YEAR = String(new Date().getFullYear());
const BROKEN_TEMPLATE = new URL('../test/fixtures/data/yiwu-template-broken.xlsx', import.meta.url).pathname;

const loadTimes: Record<string, number> = {};

/** Answers the next dialog (confirm) and remembers what it said. */
function nextDialog(page: Page, accept: boolean): Promise<string> {
  return new Promise((resolve) => {
    page.once('dialog', (d: Dialog) => {
      resolve(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
  });
}

describe('data entry and approval in a browser', () => {
  let gongfu: Gongfu;
  let browser: Browser;

  beforeAll(async () => {
    [gongfu, browser] = await Promise.all([startGongfu(), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await gongfu?.stop();
    console.log(`[load times] ${JSON.stringify(loadTimes)}`);
  });

  it('a reporter sees the message for a bad value, corrects it, confirms an estimate, saves and submits', async () => {
    const page = await newPage(browser);
    await signIn(page, gongfu.url, 'demo-reporter-yiwu');
    loadTimes.entry = Math.round(
      await timeToVisible(page, `${gongfu.url}/entry?unit=${YIWU}&period=${YEAR}`, '[data-testid=entry-grid]'),
    );
    await expect.poll(() => page.getAttribute('[data-testid=return-status]', 'data-status')).toBe('draft');

    // The first rate of the form (shown in %), and the row after it.
    const codes = await page.$$eval('[data-testid=entry-grid] tbody tr', (rows) =>
      rows.map((r) => ({ code: r.getAttribute('data-indicator')!, unit: r.querySelector('.col-unit')?.textContent })),
    );
    expect(codes.length).toBeGreaterThan(50);
    const at = codes.findIndex((c) => c.unit === '%');
    expect(at).toBeGreaterThanOrEqual(0);
    const code = codes[at]!.code;
    const cell = page.locator(`[data-testid="value-${code}"]`);

    // Enter moves down to the next row's value cell.
    await cell.fill('1.5');
    await cell.press('Enter');
    expect(await page.evaluate("document.activeElement?.getAttribute('data-testid')")).toBe(
      `value-${codes[at + 1]!.code}`,
    );

    // Leaving with unsaved figures asks first; staying keeps them.
    const leaving = nextDialog(page, false);
    await page.locator('nav a[href="/"]').click();
    expect(await leaving).toContain('未保存');
    expect(new URL(page.url()).pathname).toBe('/entry');

    // A rate of 1.5: the server's message under the cell, the figure kept, nothing saved.
    await page.getByTestId('save').click();
    const issues = page.getByTestId(`issues-${code}`);
    await expect.poll(() => issues.locator('.entry-msg.error').first().textContent()).toContain('比率应在0到1之间');
    expect(await cell.inputValue()).toBe('1.5');
    expect(await cell.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('entry-notice').textContent()).toContain('未保存');
    // The rows with problems only, for a screenshot that shows the message.
    await page.getByTestId('only-problems').click();
    await screenshot(page, 'entry-validation');
    await page.getByTestId('only-all').click();

    // Corrected: saved, with the warning that the year has not ended, to confirm with a comment.
    await cell.fill('95%');
    expect(await issues.count()).toBe(0); // the old message went with the old figure
    await page.getByTestId('save').click();
    await issues.locator('.entry-msg.warning[data-code="period_not_ended"]').waitFor();
    expect(await page.getByTestId('entry-notice').textContent()).toContain('已保存 1 项');
    expect(await cell.inputValue()).toBe('95%');
    await page.getByTestId(`confirm-${code}`).check();
    await page.getByTestId(`comment-${code}`).fill('年度快报预估值，已与统计局核对');
    await page.getByTestId('save').click();
    await issues.waitFor({ state: 'detached' });
    expect(await page.getByTestId('dirty-count').textContent()).toBe('已全部保存');

    // Submit: the other indicators are still empty, which the reporter confirms.
    const asked = nextDialog(page, true);
    await page.getByTestId('submit').click();
    expect(await asked).toMatch(/还有 \d+ 项未填写/);
    await expect.poll(() => page.getAttribute('[data-testid=return-status]', 'data-status')).toBe('submitted');
    expect(await cell.getAttribute('readonly')).not.toBeNull();
    await page.getByTestId('entry-search').fill(code);
    await screenshot(page, 'entry-submitted');

    const stored = await page.evaluate(
      async ([unit, year, indicator]) =>
        (await (await fetch(`/api/v1/data/values?orgUnit=${unit}&period=${year}&indicator=${indicator}`)).json()) as {
          items: Record<string, unknown>[];
        },
      [YIWU, YEAR, code] as const,
    );
    expect(stored.items[0]).toMatchObject({
      value: 0.95,
      status: 'submitted',
      comment: '年度快报预估值，已与统计局核对',
    });
    await page.context().close();
  });

  it('the Excel template downloads, and a broken one is listed row by row', async () => {
    const page = await newPage(browser);
    await signIn(page, gongfu.url, 'demo-reporter-yiwu');
    await page.goto(`${gongfu.url}/entry?unit=${YIWU}&period=2024`);
    await page.getByTestId('entry-grid').waitFor();
    const href = await page.getByTestId('template-download').getAttribute('href');
    const download = await page.request.get(`${gongfu.url}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toContain('spreadsheetml');
    expect((await download.body()).subarray(0, 2).toString()).toBe('PK');

    await page.getByTestId('template-upload').setInputFiles({
      name: 'yiwu-2024.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await readFile(BROKEN_TEMPLATE),
    });
    const table = page.getByTestId('import-rejected');
    await table.waitFor();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    expect(rows.map((r) => `${r[1]}${r[0]}`)).toEqual(['G4', 'G5', 'G9']);
    expect(rows[0]![3]).toBe('“很多”不是数字');
    expect(rows[2]![3]).toBe('指标代码“NOT_AN_INDICATOR”不存在');
    await page.getByTestId('entry-search').fill('—'); // no row matches: a short page for the screenshot
    await screenshot(page, 'entry-import-errors');
    await page.context().close();
  });

  it('the approver finds the return in the queue, reads it and approves it', async () => {
    const page = await newPage(browser);
    await signIn(page, gongfu.url, 'demo-approver-yiwu');
    loadTimes.approvals = Math.round(
      await timeToVisible(page, `${gongfu.url}/approvals`, '[data-testid=approval-queue]'),
    );
    const row = page.locator(`[data-testid=approval-queue] tr[data-key="${YIWU}/${YEAR}"]`);
    expect(await row.textContent()).toContain('demo-reporter-yiwu');
    await screenshot(page, 'approvals-queue');

    const started = Date.now();
    await page.getByTestId(`open-${YIWU}-${YEAR}`).click();
    await page.getByTestId('review-values').waitFor();
    loadTimes.approvalReview = Date.now() - started;
    expect(await page.getAttribute('[data-testid=review-status]', 'data-status')).toBe('submitted');
    expect(await page.getByTestId('review-values').textContent()).toContain('95%');
    expect(await page.getByTestId('return-history').textContent()).toContain('demo-reporter-yiwu');

    // Returning needs a reason: the button alone only says so.
    await page.getByTestId('return').click();
    expect(await page.locator('#reason-missing').textContent()).toContain('必须填写原因');
    await screenshot(page, 'approvals-review');

    const asked = nextDialog(page, true);
    await page.getByTestId('approve').click();
    expect(await asked).toContain('锁定');
    await page.getByTestId('approvals-flash').waitFor();
    expect(await page.getByTestId('approvals-flash').textContent()).toContain('已审核通过');
    expect(await page.locator(`[data-testid=approval-queue] tr[data-key="${YIWU}/${YEAR}"]`).count()).toBe(0);

    const state = await page.evaluate(
      async ([unit, year]) => (await fetch(`/api/v1/data/returns/${unit}/${year}`)).json(),
      [YIWU, YEAR] as const,
    );
    expect(state).toMatchObject({ status: 'approved', locked: true });
    await page.context().close();
  });
});
