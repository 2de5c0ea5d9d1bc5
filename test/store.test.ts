/** Repository and plan-import tests, run on PGlite and on a real PostgreSQL. */
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../src/ingest/plan.js';
import { AppError } from '../src/services/errors.js';
import * as orgUnits from '../src/services/org-units.js';
import * as plans from '../src/services/plans.js';
import { migrate } from '../src/store/migrate.js';
import { countSubtree, getOrgUnit, listOrgUnits, upsertOrgUnits } from '../src/store/org-units.js';
import { describeEachStore } from './support/stores.js';

const MINI_DIR = new URL('./fixtures/mini-plan/', import.meta.url).pathname;
const MINI = join(MINI_DIR, 'plan.yaml');

/** A copy of the mini plan folder in which `file` is replaced by `content`. */
async function miniCopy(file: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gongfu-plan-'));
  for (const f of ['plan.yaml', 'org-units.csv', 'departments.csv']) await copyFile(join(MINI_DIR, f), join(dir, f));
  await writeFile(join(dir, file), content);
  return join(dir, 'plan.yaml');
}

describeEachStore('migrations', (store) => {
  it('are recorded and a second run applies nothing', async () => {
    expect(await migrate(store().db)).toEqual([]);
    const rows = await store().db.selectFrom('schema_migration').select('name').execute();
    expect(rows.map((r) => r.name)).toContain('0001_foundation.sql');
  });

  it('refuse to run when an applied migration was edited', async () => {
    await store()
      .db.updateTable('schema_migration')
      .set({ checksum: 'edited' })
      .where('name', '=', '0001_foundation.sql')
      .execute();
    await expect(migrate(store().db)).rejects.toThrow(/0001_foundation.sql was changed after it was applied/);
  });
});

describeEachStore('plan import', (store) => {
  it('stores the plan and reads back exactly what the file says', async () => {
    const result = await plans.importPlan(store(), MINI);
    expect(result.orgUnits).toBe(10);
    const parsed = parsePlan(await readFile(MINI, 'utf8'));
    if (!parsed.ok) throw new Error('fixture invalid');
    expect(await plans.getPlan(store(), 'mini-2021-2025')).toEqual(parsed.plan);
  });

  it('exports YAML that parses back to the same plan', async () => {
    const yaml = await plans.exportPlanYaml(store(), 'mini-2021-2025');
    const again = parsePlan(yaml);
    if (!again.ok) throw new Error(JSON.stringify(again.problems));
    expect(again.plan).toEqual(await plans.getPlan(store(), 'mini-2021-2025'));
  });

  it('filters indicators by task and dimension, in plan order', async () => {
    const byTask = await plans.listIndicators(store(), 'mini-2021-2025', { task: 1 });
    expect(byTask.map((i) => i.code)).toEqual(['INC_PC', 'NEW_JOBS']);
    const byDimension = await plans.listIndicators(store(), 'mini-2021-2025', { dimension: 'ECOLOGY' });
    expect(byDimension.map((i) => i.code)).toEqual(['PM25', 'LIFE_EXPECTANCY']);
    await expect(plans.getIndicator(store(), 'mini-2021-2025', 'NOPE')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists the tasks a unit answers for', async () => {
    const tasks = await plans.listTasks(store(), 'mini-2021-2025', { unit: '990100-tjj' });
    expect(tasks.map((t) => t.number)).toEqual([1]);
    expect(tasks[0]?.lead).toEqual([{ unit: '990100-fgw', demo: true }]);
    expect(tasks[0]?.cooperating).toEqual([{ unit: '990100-tjj' }]);
    expect(await plans.listTasks(store(), 'mini-2021-2025', { list: 'breakthrough' })).toHaveLength(1);
  });

  it('re-importing replaces the plan instead of duplicating it', async () => {
    await plans.importPlan(store(), MINI);
    const { n } = await sql<{ n: string }>`SELECT count(*) AS n FROM indicator`
      .execute(store().db)
      .then((r) => r.rows[0]!);
    expect(Number(n)).toBe(12);
    expect(await plans.listPlans(store())).toHaveLength(1);
  });

  it('importPlanIfChanged does nothing for the same file and reloads a changed one', async () => {
    expect(await plans.importPlanIfChanged(store(), MINI)).toBeUndefined();
    const changed = await miniCopy('plan.yaml', (await readFile(MINI, 'utf8')).replace('value: 75000', 'value: 76000'));
    const result = await plans.importPlanIfChanged(store(), changed);
    expect(result?.plan.indicators[1]?.targets[0]).toMatchObject({ value: 76000 });
    expect((await plans.getIndicator(store(), 'mini-2021-2025', 'INC_PC')).targets[0]).toMatchObject({ value: 76000 });
  });

  it('imports nothing when an org-unit file has a bad row', async () => {
    const before = await plans.getPlan(store(), 'mini-2021-2025');
    const csv = (await readFile(join(MINI_DIR, 'org-units.csv'), 'utf8')).replace(
      '990102,西县,county',
      '990102,西县,shire',
    );
    const file = await miniCopy('org-units.csv', csv);
    const error = await plans.importPlan(store(), file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_FILE');
    expect((error as AppError).message).toMatch(/org-units.csv:4 \(level\)/);
    expect(await plans.getPlan(store(), 'mini-2021-2025')).toEqual(before);
  });

  it('refuses a plan whose tasks name units that exist nowhere', async () => {
    const text = (await readFile(MINI, 'utf8')).replace("unit: '990100-tjj'", "unit: '990100-xyz'");
    const error = await plans.importPlan(store(), await miniCopy('plan.yaml', text)).catch((e: unknown) => e);
    expect((error as AppError).message).toBe('the plan refers to org units that are not defined: 990100-xyz');
  });
});

describeEachStore('org units', (store) => {
  const units = [
    { code: '990100', name: '示例市', kind: 'region', level: 'city', parent: '990000', attributes: {} },
    { code: '990101', name: '东区', kind: 'region', level: 'county', parent: '990100', attributes: {} },
    {
      code: '990101001',
      name: '东街道',
      kind: 'region',
      level: 'town',
      parent: '990101',
      attributes: { type: 'street' },
    },
    { code: '990101001001', name: '东社区', kind: 'region', level: 'village', parent: '990101001', attributes: {} },
    { code: '990102', name: '西县', kind: 'region', level: 'county', parent: '990100', attributes: {} },
  ] as const;

  it('keeps a missing parent at the head of the path', async () => {
    await upsertOrgUnits(
      store().db,
      units.map((u) => ({ ...u, attributes: { ...u.attributes } })),
    );
    expect((await getOrgUnit(store().db, '990101001001'))?.path).toBe('/990000/990100/990101/990101001/990101001001/');
    expect((await getOrgUnit(store().db, '990100'))?.depth).toBe(1);
  });

  it('re-roots the tree when the parent arrives later', async () => {
    await upsertOrgUnits(store().db, [
      { code: '990000', name: '示例省', kind: 'region', level: 'province', parent: null, attributes: {} },
    ]);
    const village = await getOrgUnit(store().db, '990101001001');
    expect(village?.path).toBe('/990000/990100/990101/990101001/990101001001/');
    expect(village?.depth).toBe(4);
    expect((await getOrgUnit(store().db, '990000'))?.path).toBe('/990000/');
  });

  it('counts a subtree by level and lists children with their own child counts', async () => {
    expect(await countSubtree(store().db, '990100')).toEqual({ city: 1, county: 2, town: 1, village: 1 });
    expect(await countSubtree(store().db, '990102')).toEqual({ county: 1 });
    const children = await orgUnits.listOrgUnits(store(), { parent: '990100' });
    expect(children.map((c) => [c.code, c.children])).toEqual([
      ['990101', 1],
      ['990102', 0],
    ]);
    expect((await listOrgUnits(store().db, { within: '990101', level: 'village' })).map((u) => u.code)).toEqual([
      '990101001001',
    ]);
  });

  it('updates a unit in place on a second import', async () => {
    await upsertOrgUnits(store().db, [
      {
        code: '990102',
        name: '西县（新）',
        kind: 'region',
        level: 'county',
        parent: '990100',
        attributes: { mountain: '1' },
      },
    ]);
    const unit = await getOrgUnit(store().db, '990102');
    expect(unit).toMatchObject({ name: '西县（新）', attributes: { mountain: '1' }, path: '/990000/990100/990102/' });
  });

  it('answers NOT_FOUND for an unknown parent', async () => {
    await expect(orgUnits.listOrgUnits(store(), { parent: '123456' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('org-unit files', () => {
  it('report each bad row with its line and column, and the wrong header', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'gongfu-org-')), 'bad.csv');
    await writeFile(
      file,
      'code,name,level,parent,attributes\n990100,示例市,city,,\n990101,,county,990100,\n990102,西县,county,990100,mountain\n990100,重复,city,,\n',
    );
    const error = (await orgUnits.importOrgUnitsFile({} as never, file).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('INVALID_FILE');
    expect(error.details).toEqual([
      { file, line: 3, column: 'name', message: 'the name is empty' },
      { file, line: 4, column: 'attributes', message: 'attribute "mountain" is not key=value' },
      { file, line: 5, column: 'code', message: 'code 990100 appears twice' },
    ]);
    await writeFile(file, 'id,title\n1,x\n');
    await expect(orgUnits.importOrgUnitsFile({} as never, file)).rejects.toThrow(/unknown header "id,title"/);
  });
});
