/**
 * Demo data for `gongfu start`: the published figures (real, with their sources), synthetic values
 * for everything else, synthetic household microdata, and one demo account per role. Everything
 * generated is marked synthetic and shown as 示例数据 / demo data; the accounts are marked demo.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ValueInput } from '../domain/data.js';
import type { Role } from '../domain/access.js';
import { generateDemoData } from '../demo/generate.js';
import { countyYearIncomes, generateMicrodata } from '../demo/microdata.js';
import { parseStatisticsCsv } from '../demo/real-figures.js';
import type { Store } from '../store/db.js';
import { upsertHouseholds } from '../store/households.js';
import { listOrgUnits } from '../store/org-units.js';
import { countValues } from '../store/values.js';
import { audit, SYSTEM_CONTEXT } from './context.js';
import { saveValues } from './data.js';
import { AppError } from './errors.js';
import { getPlan } from './plans.js';
import { addUser } from './users.js';

export interface DemoLoadResult {
  values: number;
  real: number;
  synthetic: number;
  households: number;
  accounts: { username: string; password: string; roles: string }[];
}

/**
 * Splits values into rounds so that a figure published in several vintages (preliminary, then
 * final) is written once per round, in order: the latest vintage ends up current, the others in its history.
 */
function vintageRounds(values: readonly ValueInput[]): ValueInput[][] {
  const rounds: ValueInput[][] = [];
  const seen = new Map<string, number>();
  for (const v of values) {
    const key = `${v.indicator}|${v.orgUnit}|${v.period}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(v);
  }
  return rounds;
}

/** The demo accounts: who a visitor can sign in as, one per role. */
export const DEMO_ACCOUNTS: { username: string; displayName: string; role: Role; unit: (root: string) => string }[] = [
  { username: 'demo-admin', displayName: '演示·系统管理员', role: 'admin', unit: (root) => root },
  { username: 'demo-analyst', displayName: '演示·共富办分析员', role: 'analyst', unit: (root) => root },
  { username: 'demo-leader', displayName: '演示·市领导', role: 'leader', unit: (root) => root },
  { username: 'demo-supervisor', displayName: '演示·督查员', role: 'supervisor', unit: (root) => root },
  { username: 'demo-reporter-yiwu', displayName: '演示·义乌市填报员', role: 'reporter', unit: () => '330782' },
  { username: 'demo-approver-yiwu', displayName: '演示·义乌市审核员', role: 'approver', unit: () => '330782' },
  { username: 'demo-leader-yiwu', displayName: '演示·义乌市领导', role: 'leader', unit: () => '330782' },
  {
    username: 'demo-member-fgw',
    displayName: '演示·市发展改革委工作人员',
    role: 'unit_member',
    unit: (root) => `${root}-fgw`,
  },
];

/** Loads the demo into an empty database (refuses one that holds values already). */
export async function loadDemo(
  store: Store,
  options: { planId: string; planFile: string; asOf: Date; accounts?: boolean; householdsPerCountyYear?: number },
): Promise<DemoLoadResult> {
  if ((await countValues(store.db)) > 0)
    throw new AppError('CONFLICT', 'the database holds values already; demo data goes into an empty one');
  const plan = await getPlan(store, options.planId);
  const statistics = resolve(dirname(options.planFile), 'statistics.csv');
  const parsed = parseStatisticsCsv(
    await readFile(statistics, 'utf8').catch(() => 'indicator,org_unit,period,value,vintage,source,grade,note\n'),
  );
  if (!parsed.ok) throw new AppError('INVALID_FILE', `${statistics} is not valid: ${parsed.problems.join('; ')}`);
  const orgUnits = (await listOrgUnits(store.db, { within: plan.rootOrgUnit, kind: 'region' })).map((u) => ({
    code: u.code,
    level: u.level,
    parent: u.parent,
    attributes: u.attributes,
  }));
  const demo = generateDemoData({ plan, orgUnits, realFigures: parsed.figures, asOf: options.asOf });
  // Published figures and the demo stand as approved; nothing is locked, so a reporter can try the forms.
  for (const round of vintageRounds(demo.values))
    await saveValues(store, SYSTEM_CONTEXT, round, { change: 'import', status: 'approved', planId: plan.id });
  const households = generateMicrodata(countyYearIncomes(demo.values, orgUnits, plan.rootOrgUnit), {
    ...(options.householdsPerCountyYear !== undefined && { householdsPerCountyYear: options.householdsPerCountyYear }),
  });
  await store.db.transaction().execute(async (trx) => {
    await upsertHouseholds(
      trx,
      households.map((h) => ({ ...h, synthetic: true })),
    );
    await audit(trx, SYSTEM_CONTEXT, {
      action: 'microdata.import',
      targetType: 'household',
      targetId: 'demo',
      after: { records: households.length, synthetic: true },
    });
  });
  const accounts: DemoLoadResult['accounts'] = [];
  if (options.accounts !== false) {
    for (const a of DEMO_ACCOUNTS) {
      const unit = a.unit(plan.rootOrgUnit);
      const created = await addUser(store, SYSTEM_CONTEXT, {
        username: a.username,
        displayName: a.displayName,
        grants: [{ role: a.role, unit }],
        demo: true,
      });
      accounts.push({ username: a.username, password: created.password, roles: `${a.role} on ${unit}` });
    }
  }
  const real = demo.values.filter((v) => !v.synthetic).length;
  return {
    values: demo.values.length,
    real,
    synthetic: demo.values.length - real,
    households: households.length,
    accounts,
  };
}
