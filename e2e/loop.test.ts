/**
 * The closed loop in a real browser: a supervisor raises a problem about 义乌市 on the board and
 * assigns it to a department with the button; the buttons a role may not use are absent (a supervisor
 * cannot start the rectification, a leader cannot do anything); the department's member accepts it
 * and asks for verification (a reason is required); the supervisor closes it. A member of the lead
 * department files a progress report with an evidence file on a task. Load times are printed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn, timeToVisible } from './support/browser.js';
import { startGongfu, type Gongfu } from './support/gongfu.js';

const YIWU = '330782';
const FGW = '330700-fgw';
const TITLE = '低收入农户帮扶台账更新不及时（督查发现）';
const loadTimes: Record<string, number> = {};

/** The buttons on a problem's card or page, by the transition they make. */
const buttons = (page: Page, id: number) =>
  page
    .locator(`[data-testid=actions-${id}] button`)
    .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-transition')));

describe('tasks and the problem loop in a browser', () => {
  let gongfu: Gongfu;
  let browser: Browser;
  let problemId = 0;

  beforeAll(async () => {
    [gongfu, browser] = await Promise.all([startGongfu(), launchBrowser()]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await gongfu?.stop();
    console.log(`[load times] ${JSON.stringify(loadTimes)}`);
  });

  it('a supervisor raises a problem and assigns it with the button; the next step is not theirs, so it has no button', async () => {
    const page = await newPage(browser);
    await signIn(page, gongfu.url, 'demo-supervisor');
    loadTimes.problems = Math.round(
      await timeToVisible(
        page,
        `${gongfu.url}/problems?unit=${YIWU}&category=supervision`,
        '[data-testid=problem-board]',
      ),
    );

    // Found by supervision (督查检查): raised from the board, it lands in the first column.
    await page.getByTestId('raise').click();
    const raise = page.getByTestId('raise-form');
    await raise.getByTestId('raise-submit').click();
    expect(await raise.locator('[role=alert]').textContent()).toContain('请填写问题标题');
    await raise.getByTestId('raise-title').fill(TITLE);
    await raise.getByTestId('raise-category').selectOption('supervision');
    expect(await raise.getByTestId('raise-unit').inputValue()).toBe(YIWU);
    await raise.getByTestId('raise-submit').click();
    const card = page.locator('.board-column[data-status=open] .problem-card', { hasText: TITLE });
    await card.waitFor();
    problemId = Number(await card.getAttribute('data-problem'));
    expect(problemId).toBeGreaterThan(0);
    expect(await buttons(page, problemId)).toEqual(['assign']);

    await card.locator('button[data-transition=assign]').click();
    const form = page.getByTestId(`transition-form-${problemId}`);
    await form.getByTestId('assign-unit').selectOption(FGW);
    expect(await form.getByTestId('assign-deadline').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await form.getByTestId('transition-reason').fill('请市发展改革委牵头研究提出整改措施');
    await screenshot(page, 'problems-assign');
    await form.getByTestId('transition-confirm').click();

    const moved = page.locator(`.board-column[data-status=assigned] [data-problem="${problemId}"]`);
    await moved.waitFor();
    expect(await page.getByTestId('problems-flash').textContent()).toContain('已办理');
    // Starting the rectification is the department's step (problem.rectify): no button for the supervisor.
    expect(await page.getByTestId(`actions-${problemId}`).count()).toBe(0);
    expect(await moved.textContent()).toContain('金华市发展和改革委员会');
    await screenshot(page, 'problems-board');
    await page.context().close();
  });

  it('a leader reads the board without a single button', async () => {
    const page = await newPage(browser);
    await signIn(page, gongfu.url, 'demo-leader');
    await page.goto(`${gongfu.url}/problems?unit=${YIWU}`);
    await page.locator('[data-testid=problem-board] .problem-card').first().waitFor();
    expect(await page.locator('.problem-card').count()).toBeGreaterThan(0);
    expect(await page.locator('.problem-card button[data-transition]').count()).toBe(0);
    await page.context().close();
  });

  it('the department accepts it and asks for verification with a reason; the supervisor closes it', async () => {
    const member = await newPage(browser);
    await signIn(member, gongfu.url, 'demo-member-fgw');
    loadTimes.problem = Math.round(
      await timeToVisible(member, `${gongfu.url}/problems?id=${problemId}`, '[data-testid=problem-history]'),
    );
    expect(await buttons(member, problemId)).toEqual(['start']);
    await member.locator('button[data-transition=start]').click();
    await member.getByTestId('transition-confirm').click();
    await expect.poll(() => member.getAttribute('[data-testid=problem-status]', 'data-status')).toBe('rectifying');
    expect(await buttons(member, problemId)).toEqual(['submit']);

    await member.locator('button[data-transition=submit]').click();
    await member.getByTestId('transition-confirm').click();
    expect(await member.locator(`[data-testid=transition-form-${problemId}] [role=alert]`).textContent()).toContain(
      '请填写理由',
    );
    await member.getByTestId('transition-reason').fill('已制定专项方案并落实责任人，指标按月跟踪');
    await member.getByTestId('transition-confirm').click();
    await expect
      .poll(() => member.getAttribute('[data-testid=problem-status]', 'data-status'))
      .toBe('awaiting_verification');
    expect(await member.getByTestId(`actions-${problemId}`).count()).toBe(0); // verifying is not theirs
    await member.context().close();

    const supervisor = await newPage(browser);
    await signIn(supervisor, gongfu.url, 'demo-supervisor');
    await supervisor.goto(`${gongfu.url}/problems?id=${problemId}`);
    await supervisor.getByTestId('problem-history').waitFor();
    expect((await buttons(supervisor, problemId)).sort()).toEqual(['close', 'reject']);
    await supervisor.locator('button[data-transition=close]').click();
    await supervisor.getByTestId('transition-confirm').click();
    await expect.poll(() => supervisor.getAttribute('[data-testid=problem-status]', 'data-status')).toBe('closed');
    expect(await supervisor.getByTestId(`actions-${problemId}`).count()).toBe(0);
    const history = await supervisor.getByTestId('problem-history').textContent();
    expect(history).toContain('已制定专项方案并落实责任人');
    expect(history).toContain('demo-member-fgw');
    await screenshot(supervisor, 'problem-closed');
    await supervisor.context().close();
  });

  it('a member of the lead department files a progress report with evidence on a task', async () => {
    const page = await newPage(browser);
    await signIn(page, gongfu.url, 'demo-member-fgw');
    loadTimes.tasks = Math.round(
      await timeToVisible(page, `${gongfu.url}/tasks?unit=${FGW}`, '[data-testid=task-items] tbody tr'),
    );
    const count = await page.locator('[data-testid=task-items] tbody tr').count();
    expect(count).toBeGreaterThan(0);
    // The overdue filter leaves only late items (none in a fresh demo: no milestones yet).
    await page.getByTestId('task-overdue').check();
    await expect.poll(() => page.getByTestId('task-items').count()).toBe(0);
    await page.getByTestId('task-overdue').uncheck();

    const started = Date.now();
    await page.locator('[data-testid=task-items] tbody tr a').first().click();
    await page.getByTestId('report-form').waitFor();
    loadTimes.taskItem = Date.now() - started;
    await page.getByTestId('report-submit').click();
    expect(await page.locator('[data-testid=report-form] [role=alert]').textContent()).toContain('请填写进展情况');

    await page.getByTestId('report-text').fill('召开专题推进会，出台配套政策3项。');
    await page.getByTestId('report-percent').fill('40');
    await page.getByTestId('report-evidence').setInputFiles({
      name: '推进会纪要.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('专题推进会纪要\n'),
    });
    await page.getByTestId('report-submit').click();
    await page.locator('[data-testid=report-form] [role=status]').waitFor();
    expect(await page.getByTestId('item-percent').textContent()).toBe('40%');
    expect(await page.getByTestId('item-status').textContent()).toBe('推进中');
    const timeline = page.getByTestId('item-timeline');
    expect(await timeline.textContent()).toContain('召开专题推进会');
    const evidence = timeline.locator('a[download]').first();
    expect(await evidence.textContent()).toContain('推进会纪要.txt');
    const file = await page.request.get(`${gongfu.url}${await evidence.getAttribute('href')}`);
    expect(file.status()).toBe(200);
    expect(await file.text()).toBe('专题推进会纪要\n');
    await screenshot(page, 'task-report');
    await page.context().close();
  });
});
