/**
 * The leaders' pages in a real browser against `gongfu start` with the demo: the overview with the
 * nine counties on the map, a click into a county, the horse race sorting, the language switch, the
 * indicator page and the big screen. Prints each page's load time (navigation start → content
 * visible) and the main route's bundle size; saves screenshots to e2e/artifacts/.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../src/http/web.js';
import { launchBrowser, newPage, screenshot, signIn, timeToVisible } from './support/browser.js';
import { startGongfu, type Gongfu } from './support/gongfu.js';

const loadTimes: Record<string, number> = {};

describe('the leaders’ pages in a browser', () => {
  let gongfu: Gongfu;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [gongfu, browser] = await Promise.all([startGongfu({ demo: true }), launchBrowser()]);
    page = await newPage(browser);
  }, 300_000);

  afterAll(async () => {
    console.log('Page load times (navigation start → content visible, ms):', JSON.stringify(loadTimes));
    await browser?.close();
    await gongfu?.stop();
  });

  it('shows the overview to an anonymous visitor in demo mode, with the nine counties on the map', async () => {
    loadTimes.overview = await timeToVisible(page, `${gongfu.url}/`, '[data-testid=region-map] svg path');
    await expect(page.locator('[data-testid=demo-banner]').textContent()).resolves.toContain('演示模式');
    const map = page.locator('[data-testid=region-map]');
    expect(await map.getAttribute('data-regions')).toBe('9');
    // Every county is drawn: nine labelled regions in the SVG (one path or more each).
    const labels = await page.locator('[data-testid=region-map] svg text').allTextContents();
    for (const county of ['婺城区', '金东区', '武义县', '浦江县', '磐安县', '兰溪市', '义乌市', '东阳市', '永康市'])
      expect(labels).toContain(county);
    await expect(page.locator('[data-testid=race-list] li').count()).resolves.toBe(9);
    await expect(page.locator('[data-testid=city-index]').textContent()).resolves.toMatch(/\d/);
    await expect(page.locator('.badge.synthetic').first().textContent()).resolves.toBe('示例数据');
    await screenshot(page, 'overview');
  });

  it('colours the map by an indicator, then by its status', async () => {
    await page.locator('[data-testid=map-metric]').selectOption('ind:GDP');
    await page.waitForURL(/map=ind%3AGDP|map=ind:GDP/);
    await page.locator('[data-testid=overview-map] button[aria-pressed=false]').click();
    await page.waitForURL(/map=st%3AGDP|map=st:GDP/);
    // The status legend replaces the value scale.
    await page.locator('[data-testid=overview-map] .legend-row').waitFor();
    await screenshot(page, 'overview-map-status');
    await page.goto(`${gongfu.url}/`);
    await page.locator('[data-testid=region-map] svg path').first().waitFor();
  });

  it('opens a county from the map', async () => {
    // Click the label of 义乌市 on the map: the click lands on its region.
    await page.locator('[data-testid=region-map] svg text', { hasText: '义乌市' }).click();
    await page.waitForURL(/\/org-units\/330782$/);
    await page.locator('[data-testid=scorecard] table tbody tr').first().waitFor();
    await expect(page.locator('h1').first().textContent()).resolves.toContain('义乌市');
    await expect(page.locator('[data-testid=unit-rank]').textContent()).resolves.toMatch(/\d+ \/ 9/);
    await screenshot(page, 'org-unit-yiwu');
  });

  it('sorts the horse race by a column', async () => {
    loadTimes.race = await timeToVisible(page, `${gongfu.url}/race`, '[data-testid=race-table] tbody tr');
    const names = () => page.locator('[data-testid=race-table] tbody tr td:nth-child(2)').allTextContents();
    const indexCell = () => page.locator('[data-testid=race-table] tbody tr td:nth-child(3)').allTextContents();
    const numbers = (xs: string[]) => xs.map((x) => Number(x.replace(/[^\d.-]/g, '')));
    // Initially by rank: index descending.
    const byRank = numbers(await indexCell());
    expect(byRank).toEqual([...byRank].sort((a, b) => b - a));
    // Sort by the index column: first click descending, second ascending.
    const header = page.locator('[data-testid=race-table] th[data-column=index] button');
    await header.click();
    await header.click();
    await expect(
      page.locator('[data-testid=race-table] th[data-column=index]').getAttribute('aria-sort'),
    ).resolves.toBe('ascending');
    const asc = numbers(await indexCell());
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    // By name (keyboard): Enter on the focused header button.
    await page.locator('[data-testid=race-table] th[data-column=name] button').focus();
    await page.keyboard.press('Enter');
    const sortedNames = await names();
    expect(sortedNames).toEqual([...sortedNames].sort((a, b) => a.localeCompare(b, 'zh-CN')));
    await screenshot(page, 'race');
  });

  it('switches the language to English and back', async () => {
    await page.goto(`${gongfu.url}/`);
    await page.locator('[data-testid=region-map] svg path').first().waitFor();
    await expect(page.locator('h1').first().textContent()).resolves.toContain('全局一屏掌控');
    await page.locator('.lang-switch button[data-locale=en]').click();
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Overview');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await screenshot(page, 'overview-en');
    await page.reload();
    await page.locator('[data-testid=region-map] svg path').first().waitFor();
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Overview'); // remembered
    await page.locator('.lang-switch button[data-locale=zh-CN]').click();
    await expect(page.locator('h1').first().textContent()).resolves.toContain('全局一屏掌控');
  });

  it('shows an indicator with its source sentence, series and county breakdown', async () => {
    loadTimes.indicator = await timeToVisible(page, `${gongfu.url}/indicators/GDP`, 'blockquote.source');
    await expect(page.locator('blockquote.source').textContent()).resolves.toBe('经济总量持续扩大');
    await page.locator('[data-testid=disparity]').waitFor();
    await page.locator('[data-testid=region-map] svg path').first().waitFor();
    await screenshot(page, 'indicator-gdp');
  });

  it('renders the big screen at 1920×1080', async () => {
    const wall = await newPage(browser, { width: 1920, height: 1080 });
    loadTimes.screen = await timeToVisible(
      wall,
      `${gongfu.url}/screen`,
      '[data-testid=screen] [data-testid=region-map] svg path',
    );
    await expect(wall.locator('[data-testid=screen] [data-testid=race-list] li').count()).resolves.toBe(9);
    await screenshot(wall, 'screen');
    await wall.close();
  });

  it('fits a tablet', async () => {
    const tablet = await newPage(browser, { width: 820, height: 1180 });
    await tablet.goto(`${gongfu.url}/`);
    await tablet
      .locator('[data-testid=region-map] svg path')
      .first()
      .waitFor()
      .catch(async (e: unknown) => {
        await screenshot(tablet, 'overview-tablet-failed');
        throw e;
      });
    // Nothing wider than the screen: no horizontal scrolling of the page.
    const overflow = (await tablet.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(tablet, 'overview-tablet');
    await tablet.close();
  });

  it('signs a demo leader in and out', async () => {
    await signIn(page, gongfu.url, 'demo-leader');
    await page.locator('[data-testid=region-map] svg path').first().waitFor();
    await expect(page.locator('[data-testid=demo-banner]').count()).resolves.toBe(0);
    await expect(page.locator('.user-button').textContent()).resolves.toContain('演示·市领导');
    await screenshot(page, 'overview-signed-in');
    await page.locator('.user-button').click();
    await page.locator('.menu [role=menuitem]').click();
    await page.locator('[data-testid=demo-banner]').waitFor();
  });

  it('records the main route’s bundle size (gzip)', async () => {
    const html = await readFile(join(WEB_DIST, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    const assets = await readdir(join(WEB_DIST, 'assets'));
    const overview = assets.filter((a) => a.startsWith('OverviewPage-') || a.startsWith('echarts-'));
    const gz = async (files: string[]) => {
      let n = 0;
      for (const f of files)
        n += gzipSync(await readFile(join(WEB_DIST, f.startsWith('assets/') ? f : `assets/${f}`))).length;
      return n;
    };
    const shell = await gz(initial);
    const route = await gz(overview);
    console.log(
      `Main route bundle (gzip): shell ${(shell / 1024).toFixed(1)} KiB + overview page and ECharts ${(route / 1024).toFixed(1)} KiB = ${((shell + route) / 1024).toFixed(1)} KiB`,
    );
    expect(initial.length).toBeGreaterThan(0);
    expect(initial.some((f) => f.includes('echarts'))).toBe(false); // ECharts is not in the first paint
    expect(shell).toBeLessThan(120 * 1024); // React's production build, the shell, the styles
  });
});

describe('without demo data', () => {
  it('shows the sign-in page to anonymous visitors', async () => {
    const [gongfu, browser] = await Promise.all([startGongfu({ demo: false }), launchBrowser()]);
    try {
      const page = await newPage(browser);
      await page.goto(`${gongfu.url}/`);
      await page.locator('input[name=username]').waitFor();
      await expect(page.locator('h1').textContent()).resolves.toContain('登录');
      await screenshot(page, 'sign-in');
    } finally {
      await browser.close();
      await gongfu.stop();
    }
  }, 300_000);
});
