/** Task lists on both databases: plan tasks onto the lists (Jinhua's 42), demo leads, reports with evidence, splits, reform replies, export. */
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { DEFAULT_PLAN_FILE } from '../src/cli/commands.js';
import { SYSTEM_CONTEXT, type RequestContext } from '../src/services/context.js';
import * as plans from '../src/services/plans.js';
import * as tasks from '../src/services/tasks.js';
import * as users from '../src/services/users.js';
import { getOrgUnit } from '../src/store/org-units.js';
import type { Store } from '../src/store/db.js';
import type { Role } from '../src/domain/access.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;

async function person(store: Store, username: string, role: Role, unit: string): Promise<RequestContext> {
  const { user } = await users.addUser(store, SYSTEM_CONTEXT, {
    username,
    password: 'Task-Lists-42',
    grants: [{ role, unit }],
  });
  const path = (await getOrgUnit(store.db, unit))!.path;
  return {
    actor: { kind: 'user', userId: user.id, username, grants: [{ role, unit, unitPath: path }], via: 'session' },
    address: null,
  };
}

describeEachStore('task lists', (store) => {
  it('puts the 42 Jinhua tasks on the key-task list once; lead units come only with the demo, marked demo', async () => {
    const { plan } = await plans.importPlan(store(), DEFAULT_PLAN_FILE);
    let key = await tasks.listItems(store(), SYSTEM_CONTEXT, { planId: plan.id, list: 'key' });
    expect(key.map((i) => i.taskNumber)).toEqual(Array.from({ length: 42 }, (_, k) => k + 1));
    expect(key.every((i) => i.origin === 'plan' && i.leadUnit === null)).toBe(true);
    expect(key.find((i) => i.taskNumber === 1)!.title.zh).toBe('打造浙江中西部科创中心');
    await plans.importPlan(store(), DEFAULT_PLAN_FILE); // reloading does not duplicate
    expect(await tasks.listItems(store(), SYSTEM_CONTEXT, { planId: plan.id })).toHaveLength(42);
    expect(await tasks.assignDemoLeads(store(), plan)).toBe(42);
    key = await tasks.listItems(store(), SYSTEM_CONTEXT, { planId: plan.id, list: 'key' });
    expect(key.every((i) => i.leadUnit !== null && i.leadDemo)).toBe(true);
    expect(key[0]).toMatchObject({ leadUnit: '330700-kjj', leadDemo: true });
    expect(key[0]!.cooperating).toContainEqual({ unit: '330700-fgw', demo: true });
    const lists = await tasks.listTaskLists(store(), SYSTEM_CONTEXT, plan.id);
    expect(lists.map((l) => [l.code, l.items, l.demoLeads])).toEqual([
      ['key', 42, 42],
      ['breakthrough', 0, 0],
      ['reform', 0, 0],
    ]);
  }, 120_000);

  describeMini(store);
});

function describeMini(store: () => Store) {
  let analyst: RequestContext;
  let member: RequestContext;
  let other: RequestContext;
  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    analyst = await person(store(), 'ana', 'analyst', '990100');
    member = await person(store(), 'tjj', 'unit_member', '990100-tjj');
    other = await person(store(), 'east', 'unit_member', '990101');
  });

  it('takes the mini plan’s tasks onto their lists with only non-demo units', async () => {
    const items = await tasks.listItems(store(), analyst, { planId: 'mini-2021-2025' });
    expect(items.map((i) => [i.taskNumber, i.list, i.leadUnit, i.cooperating])).toEqual([
      [1, 'key', null, [{ unit: '990100-tjj', demo: false }]],
      [2, 'breakthrough', null, []],
    ]);
    expect(items[0]!.indicators).toEqual(['INC_PC', 'NEW_JOBS']);
  });

  it('takes progress reports with evidence by hash, keeps the timeline, refuses bad files and outsiders', async () => {
    const [item] = await tasks.listItems(store(), analyst, { planId: 'mini-2021-2025', task: 1 });
    await tasks.updateItem(store(), analyst, item!.id, {
      addMilestones: [{ title: '出台方案', due: '2025-03-31' }],
      priority: 'high',
      reason: '分解节点',
    });
    const milestone = (await tasks.getItem(store(), analyst, item!.id)).milestones[0]!;
    const pdf = Buffer.from('%PDF-1.4 evidence');
    const report = {
      text: '方案已印发',
      percentComplete: 30,
      milestoneId: milestone.id,
      milestoneReached: true,
      evidence: [{ fileName: '方案.pdf', mediaType: 'application/pdf', contentBase64: pdf.toString('base64') }],
    };
    // the co-operating unit reports; an unrelated unit does not even see the item
    const after = await tasks.reportProgress(store(), member, item!.id, report);
    await expect(tasks.reportProgress(store(), other, item!.id, report)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      tasks.reportProgress(store(), member, item!.id, {
        text: 'x',
        evidence: [{ fileName: 'a.exe', mediaType: 'application/x-msdownload', contentBase64: 'TVo=' }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/evidence\[0\] \(a\.exe\)/) });
    expect(after).toMatchObject({ status: 'in_progress', percentComplete: 30, priority: 'high' });
    expect(after.milestones[0]!.reachedAt).not.toBeNull();
    expect(after.history.map((h) => h.kind)).toEqual(['edit', 'report', 'status']);
    const sha = after.history[1]!.evidence[0]!.sha256;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect((await tasks.evidenceFile(store(), analyst, sha)).content.equals(pdf)).toBe(true);
    await expect(tasks.evidenceFile(store(), other, sha)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('splits an item and tracks a reform request until its reply', async () => {
    const [item] = await tasks.listItems(store(), analyst, { planId: 'mini-2021-2025', task: 2 });
    const parts = await tasks.splitItem(store(), analyst, item!.id, [
      { titleZh: '东区空气治理', scopeUnit: '990101' },
      { titleZh: '西县空气治理', scopeUnit: '990102' },
    ]);
    expect(parts.map((p) => [p.parentId, p.list, p.scopeUnit])).toEqual([
      [item!.id, 'breakthrough', '990101'],
      [item!.id, 'breakthrough', '990102'],
    ]);
    await expect(
      tasks.splitItem(store(), member, item!.id, [{ titleZh: 'a' }, { titleZh: 'b' }]),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const request = await tasks.createItem(store(), analyst, {
      planId: 'mini-2021-2025',
      list: 'reform',
      titleZh: '争取省级山区县共富试点政策',
      addressedTo: '省发展改革委',
      requestedAt: '2024-01-01',
    });
    expect(request.reform!.daysWaiting).toBeGreaterThan(365); // unanswered: it ages
    const answered = await tasks.recordReply(store(), analyst, request.id, {
      reply: '同意纳入试点',
      repliedAt: '2024-03-01',
    });
    expect(answered.reform).toMatchObject({ reply: '同意纳入试点', daysWaiting: 60 });
    await expect(tasks.recordReply(store(), analyst, item!.id, { reply: 'x' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('exports the lists as a workbook, one sheet per list', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await tasks.exportListsXlsx(store(), analyst, 'mini-2021-2025')) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['重点任务清单', '突破性抓手清单', '重大改革诉求清单']);
    expect(wb.getWorksheet('重点任务清单')!.getRow(2).getCell(3).value).toBe('促进增收');
    expect(wb.getWorksheet('重大改革诉求清单')!.getRow(2).getCell(13).value).toBe('同意纳入试点');
  });

  it('counts each lead unit’s items and milestones for the horse race (GET /api/v1/task-figures)', async () => {
    const led = await tasks.createItem(store(), analyst, {
      planId: 'mini-2021-2025',
      list: 'key',
      titleZh: '统计监测能力提升',
      leadUnit: '990100-tjj',
      milestones: [
        { title: '远期节点', due: '2099-12-31' }, // reached early below: on time
        { title: '逾期节点', due: '2020-01-01' }, // never reached: overdue
        { title: '迟到节点', due: '2020-01-02' }, // reached below, years late
      ],
    });
    await tasks.createItem(store(), analyst, {
      planId: 'mini-2021-2025',
      list: 'key',
      titleZh: '东区就业帮扶',
      leadUnit: '990101',
    });
    const byTitle = new Map(led.milestones.map((m) => [m.title, m.id]));
    for (const title of ['远期节点', '迟到节点'])
      await tasks.reportProgress(store(), member, led.id, {
        text: `${title}已完成`,
        milestoneId: byTitle.get(title)!,
        milestoneReached: true,
      });

    const app = await buildApp({
      store: store(),
      planId: 'mini-2021-2025',
      auth: { ...DEFAULT_AUTH, loginAttemptsPerMinute: 10_000 },
    });
    try {
      const b = new Browser(app);
      expect((await b.login('ana', 'Task-Lists-42')).status).toBe(200);
      const res = await b.get('/api/v1/task-figures?under=990100');
      expect(res.status).toBe(200);
      const rows = (res.body.byUnit as { group: string }[]).map((f) => f);
      expect(rows.find((f) => f.group === '990100-tjj')).toMatchObject({
        items: 1,
        cancelled: 0,
        milestones: 3,
        due: 2,
        metOnTime: 1,
        metLate: 1,
        overdue: 1,
        onTimeRate: 1 / 3,
      });
      expect(rows.find((f) => f.group === '990101')).toMatchObject({
        items: 1,
        milestones: 0,
        due: 0,
        onTimeRate: null,
      });
      // a county member sees its own county, not the city
      const east = new Browser(app);
      expect((await east.login('east', 'Task-Lists-42')).status).toBe(200);
      expect((await east.get('/api/v1/task-figures?under=990100')).status).toBe(403);
      const own = await east.get('/api/v1/task-figures?under=990101');
      expect(own.status).toBe(200);
      expect((own.body.byUnit as { group: string }[]).map((f) => f.group)).toEqual(['990101']);
      expect((await new Browser(app).get('/api/v1/task-figures')).status).toBe(401);
    } finally {
      await app.close();
    }
  });
}
