/**
 * The assessment report of the demo (as `gongfu report --period 2024 --format html` writes it, here
 * fetched from the same service over the API) printed by a real browser: A4 pages, more than one of
 * them, and no table wider than its page.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser } from './support/browser.js';
import { DEMO_PASSWORD, startGongfu, type Gongfu } from './support/gongfu.js';

describe('the assessment report printed to PDF', () => {
  let gongfu: Gongfu;
  let browser: Browser;

  beforeAll(async () => {
    [gongfu, browser] = await Promise.all([startGongfu({ demo: true }), launchBrowser()]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await gongfu?.stop();
  });

  it('prints the 2024 report on A4: several pages, every table within the page width', async () => {
    const login = await fetch(`${gongfu.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo-leader', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const started = performance.now();
    const res = await fetch(`${gongfu.url}/api/v1/reports/assessment?period=2024&format=html`, { headers: { cookie } });
    const html = await res.text();
    console.log(
      `report (html) over the API in ${Math.round(performance.now() - started)} ms, ${html.length} characters`,
    );
    expect(res.status).toBe(200);
    expect(html).toContain('示例数据');
    await mkdir(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'report-2024.html');
    await writeFile(file, html);

    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`file://${file}`);
    await page.emulateMedia({ media: 'print' });
    const counties = await page.locator('section[data-county]').count();
    expect(counties).toBe(9);
    // Every table's scrollWidth within its container's clientWidth (evaluated in the page, print media).
    const overflowing = await page
      .locator('table')
      .evaluateAll((tables) =>
        tables
          .filter((t) => t.scrollWidth > (t.parentElement?.clientWidth ?? 0))
          .map((t) => t.closest('section')?.id ?? '?'),
      );
    expect(overflowing).toEqual([]);
    // One page per county: at the printable width of A4 (210 − 2 × 14 mm), each scorecard is no taller
    // than the printable height (297 − 16 − 18 mm), in CSS pixels (96 per inch).
    const mm = 96 / 25.4;
    await page.setViewportSize({ width: Math.floor(182 * mm), height: Math.floor(263 * mm) });
    const heights = await page
      .locator('section[data-county]')
      .evaluateAll((sections) => sections.map((s) => s.getBoundingClientRect().height));
    expect(heights.filter((h) => h > 263 * mm)).toEqual([]);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await writeFile(join(ARTIFACTS, 'report-2024.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    console.log(`report PDF: ${pages} A4 pages, ${pdf.length} bytes`);
    expect(pages).toBeGreaterThan(1 + counties); // cover, sections, one page or more per county
  }, 120_000);
});
