/**
 * The plan cache (services/plans.ts): a plan is parsed once per version of its row, and a change —
 * a re-import here, or a write this process did not make (another process on the same database) —
 * is seen by the next read. On both databases.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Plan } from '../src/domain/plan.js';
import * as plans from '../src/services/plans.js';
import { savePlan } from '../src/store/plans.js';
import { describeEachStore } from './support/stores.js';

const MINI_DIR = new URL('./fixtures/mini-plan/', import.meta.url).pathname;

describeEachStore('the plan cache', (store) => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongfu-plan-cache-'));
    await cp(MINI_DIR, dir, { recursive: true });
    file = join(dir, 'plan.yaml');
    await plans.importPlan(store(), file);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a plan once while it is unchanged, and hands out a frozen plan equal to the stored one', async () => {
    const first = await plans.getPlan(store(), 'mini-2021-2025');
    const again = await plans.getPlan(store(), 'mini-2021-2025');
    expect(again).toBe(first); // the same parsed object: not read again
    expect(await plans.currentPlan(store())).toBe(first);
    expect(Object.isFrozen(first.indicators[0]!.targets)).toBe(true);
    const { plan: parsed } = await plans.readPlanWithOrgUnits(file);
    expect(first).toEqual(parsed);
    // The plan as exported is still the whole plan.
    expect(await plans.exportPlanYaml(store(), 'mini-2021-2025')).toContain('INC_PC');
  });

  it('sees a plan re-imported with a change at the next read', async () => {
    const before = await plans.getPlan(store(), 'mini-2021-2025');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('示例市共同富裕实施方案');
    await writeFile(file, text.replace('示例市共同富裕实施方案', '示例市共同富裕实施方案（修订）'));
    await plans.importPlan(store(), file);
    const after = await plans.getPlan(store(), 'mini-2021-2025');
    expect(after).not.toBe(before);
    expect(after.title.zh).toBe('示例市共同富裕实施方案（修订）');
    expect((await plans.currentPlan(store())).title.zh).toBe('示例市共同富裕实施方案（修订）');
    // Imported again unchanged: a new row version, read again, equal.
    await plans.importPlan(store(), file);
    const same = await plans.getPlan(store(), 'mini-2021-2025');
    expect(same).not.toBe(after);
    expect(same).toEqual(after);
  });

  it('sees a change written past this process (as another process would) at the next read', async () => {
    const cached = await plans.getPlan(store(), 'mini-2021-2025');
    const changed: Plan = structuredClone(cached);
    changed.indicators[0]!.name = { ...changed.indicators[0]!.name, zh: '另一个进程改的名称' };
    changed.targetYear = cached.targetYear + 1;
    // Straight to the repository: the service's own cache is not told.
    await store()
      .db.transaction()
      .execute((trx) => savePlan(trx, changed));
    const read = await plans.getPlan(store(), 'mini-2021-2025');
    expect(read.indicators[0]!.name.zh).toBe('另一个进程改的名称');
    expect(read.targetYear).toBe(cached.targetYear + 1);
    expect((await plans.currentPlan(store())).targetYear).toBe(cached.targetYear + 1);
  });

  it('names the current plan: the latest loaded, or the one asked for; refuses an unknown one', async () => {
    expect(await plans.currentPlanId(store())).toBe('mini-2021-2025');
    expect(await plans.currentPlanId(store(), 'mini-2021-2025')).toBe('mini-2021-2025');
    await expect(plans.currentPlanId(store(), 'no-such-plan')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(plans.getPlan(store(), 'no-such-plan')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
