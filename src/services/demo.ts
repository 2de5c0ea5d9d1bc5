/**
 * Demo data for `gongfu start`: the published figures (real, with their sources), synthetic values
 * for everything else, synthetic household microdata, and one demo account per role. Everything
 * generated is marked synthetic and shown as 示例数据 / demo data; the accounts are marked demo.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Insertable } from 'kysely';
import type { ValueInput } from '../domain/data.js';
import type { Role } from '../domain/access.js';
import { generateDemoData } from '../demo/generate.js';
import { DEMO_LOOP_SEED, DEMO_NOTE, DEMO_PREFIX, DEMO_SUPERVISOR, generateDemoLoop } from '../demo/loop.js';
import { countyYearIncomes, generateMicrodata } from '../demo/microdata.js';
import { parseStatisticsCsv } from '../demo/real-figures.js';
import type { Store } from '../store/db.js';
import { upsertHouseholds } from '../store/households.js';
import { getOrgUnit, listOrgUnits } from '../store/org-units.js';
import { countValues } from '../store/values.js';
import { problemsDb, type ProblemEventTable } from '../store/problems.js';
import { findItems, tasksDb, type TaskEventTable } from '../store/tasks.js';
import { audit, SYSTEM_CONTEXT } from './context.js';
import { saveValues } from './data.js';
import { AppError } from './errors.js';
import { decideEvent, loadDemoSurvey, publishPeriod, recordEvent, scorePeriod } from './appraisal.js';
import { currentPlanId, getPlan } from './plans.js';
import { addUser } from './users.js';
import { publishDemo } from './publication.js';
import { assignDemoLeads } from './tasks.js';

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

/**
 * For tests only: GONGFU_DEMO_PASSWORD, when set, is every demo account's password instead of a
 * random one (the browser tests sign in with it). Never set it on a server others can reach.
 */
export function demoPassword(): string | undefined {
  const p = process.env.GONGFU_DEMO_PASSWORD;
  return p ? p : undefined;
}

/**
 * The plan root an anonymous visitor may read as the demo visitor, or null: only on a server that
 * holds the demo (its demo accounts exist) and only if GONGFU_DEMO_VISITOR is not '0'.
 */
export async function demoVisitorRoot(store: Store): Promise<{ code: string; path: string } | null> {
  if (process.env.GONGFU_DEMO_VISITOR === '0') return null;
  const demoUser = await store.db
    .selectFrom('app_user')
    .select('id')
    .where('demo', '=', true)
    .limit(1)
    .executeTakeFirst();
  if (!demoUser) return null;
  const plan = await getPlan(store, await currentPlanId(store)).catch(() => undefined);
  if (!plan) return null;
  const root = await getOrgUnit(store.db, plan.rootOrgUnit);
  return root ? { code: root.code, path: root.path } : null;
}

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
  // The plan file's demo lead units onto the task lists, marked demo.
  await assignDemoLeads(store, plan);
  // The public portal opens with the real figures published (up to the last complete year), marked demo.
  await publishDemo(store, SYSTEM_CONTEXT, options.asOf);
  const accounts: DemoLoadResult['accounts'] = [];
  if (options.accounts !== false) {
    for (const a of DEMO_ACCOUNTS) {
      const unit = a.unit(plan.rootOrgUnit);
      const created = await addUser(store, SYSTEM_CONTEXT, {
        username: a.username,
        displayName: a.displayName,
        grants: [{ role: a.role, unit }],
        demo: true,
        ...(demoPassword() !== undefined && { password: demoPassword() }),
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

/**
 * The demo's appraisal (考核): the two latest complete quarters that the evaluation covers (the
 * indicator component needs the composite index of the quarter's year, which runs to the last
 * complete year), each with the synthetic survey (示例数据) and two approved demo bonus events,
 * scored and published, so that the appraisal page opens with a table, rank changes and a frozen
 * version. Call after the first evaluation (scoring would otherwise run one of its own).
 */
export async function loadDemoAppraisal(
  store: Store,
  options: { planId: string; asOf: Date; evaluatedYear: number; respondentsPerCounty?: number },
): Promise<{ periods: string[] }> {
  const asOf = new Date(options.asOf.getTime() + 8 * 3600_000); // China time
  const month = asOf.getUTCMonth(); // 0-based
  let year = asOf.getUTCFullYear();
  let quarter = Math.floor(month / 3); // the quarter before the current one, 0 = Q4 of the year before
  if (quarter === 0) [year, quarter] = [year - 1, 4];
  if (year > options.evaluatedYear) [year, quarter] = [options.evaluatedYear, 4];
  const latest = `${year}Q${quarter}`;
  const previous = quarter === 1 ? `${year - 1}Q4` : `${year}Q${quarter - 1}`;
  const evidence = '示例数据：演示用事件，并非真实情况 / demo data: an example event, not a real one';
  for (const period of [previous, latest]) {
    await loadDemoSurvey(store, SYSTEM_CONTEXT, {
      period,
      planId: options.planId,
      respondentsPerCounty: options.respondentsPerCounty ?? 80,
    });
    if (period === latest) {
      const counties = (
        await listOrgUnits(store.db, { within: (await getPlan(store, options.planId)).rootOrgUnit, level: 'county' })
      )
        .map((u) => u.code)
        .sort();
      const events = [
        { orgUnit: counties[3]!, rule: 'national_pilot', quantity: 3 },
        { orgUnit: counties[6]!, rule: 'provincial_award', quantity: 1 },
      ].filter((e) => e.orgUnit);
      for (const e of events) {
        const recorded = await recordEvent(store, SYSTEM_CONTEXT, { ...e, period, evidence, planId: options.planId });
        await decideEvent(store, SYSTEM_CONTEXT, recorded.id, { approve: true, note: '示例数据 / demo' });
      }
    }
    await scorePeriod(store, SYSTEM_CONTEXT, { period, planId: options.planId });
    await publishPeriod(store, SYSTEM_CONTEXT, { period, planId: options.planId });
  }
  return { periods: [previous, latest] };
}

/**
 * The demo's closed loop at county level (示例数据, src/demo/loop.ts): per county a few task items
 * under plan tasks with milestones due in `year`, and problems on the seven lists raised in `year`
 * with their whole histories, so that the appraisal's task and problem components and the loop
 * figures have something to show. Every title starts with 示例：, every item's lead is marked demo.
 * Call before the appraisal is scored.
 */
export async function loadDemoLoop(
  store: Store,
  options: { planId: string; year: number; asOf: Date; seed?: number },
): Promise<{ items: number; milestones: number; problems: number; events: number }> {
  const plan = await getPlan(store, options.planId);
  const counties = (await listOrgUnits(store.db, { within: plan.rootOrgUnit, level: 'county' }))
    .map((u) => ({ code: u.code, name: u.name }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  const planItems = new Map(
    (await findItems(store.db, { planId: plan.id }))
      .filter((i) => i.origin === 'plan' && i.task_number !== null)
      .map((i) => [i.task_number!, i]),
  );
  const seed = options.seed ?? DEMO_LOOP_SEED;
  const loop = generateDemoLoop({
    counties,
    tasks: [...planItems.values()].map((i) => ({ number: i.task_number!, titleZh: i.title_zh })),
    year: options.year,
    asOf: options.asOf,
    seed,
  });
  const supervisor = await store.db
    .selectFrom('app_user')
    .select('id')
    .where('username', '=', DEMO_SUPERVISOR)
    .executeTakeFirst();
  const who = (by: string) => ({ by_user: by === DEMO_SUPERVISOR ? (supervisor?.id ?? null) : null, by_name: by });
  const counts = { items: 0, milestones: 0, problems: 0, events: 0 };
  await store.db.transaction().execute(async (trx) => {
    const tdb = tasksDb(trx);
    const taskEvents: Insertable<TaskEventTable>[] = [];
    for (const item of loop.items) {
      const parent = planItems.get(item.taskNumber)!;
      const reached = item.milestones.filter((m) => m.reachedAt !== null).length;
      const missed = item.milestones.some((m) => m.outcome === 'missed');
      const status = missed ? 'delayed' : reached === item.milestones.length ? 'done' : 'in_progress';
      const { id } = await tdb
        .insertInto('task_item')
        .values({
          plan_id: plan.id,
          list: parent.list,
          task_number: item.taskNumber,
          origin: 'user',
          parent_id: parent.id,
          title_zh: item.titleZh,
          title_en: item.titleEn,
          description: DEMO_NOTE,
          lead_unit: item.county,
          lead_demo: true,
          cooperating: '[]',
          scope_unit: item.county,
          indicators: parent.indicators,
          status,
          priority: 'normal',
          percent_complete: Math.round((100 * reached) / item.milestones.length),
          addressed_to: null,
          requested_at: null,
          reply: null,
          replied_at: null,
          created_by: 'system',
          created_at: item.createdAt,
          updated_at: item.createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      counts.items++;
      taskEvents.push({
        item_id: id,
        kind: 'created',
        text: `${DEMO_PREFIX}演示用县级任务，拆分自事项${parent.id} / demo: a county item under item ${parent.id}`,
        evidence: '[]',
        data: JSON.stringify({ demo: true, synthetic: true }),
        by_user: null,
        by_name: 'system',
        at: item.createdAt,
      });
      for (const m of item.milestones) {
        const milestone = await tdb
          .insertInto('task_milestone')
          .values({ item_id: id, title: m.title, due: m.due, reached_at: m.reachedAt })
          .returning('id')
          .executeTakeFirstOrThrow();
        counts.milestones++;
        if (m.reachedAt)
          taskEvents.push({
            item_id: id,
            kind: 'report',
            text: `${DEMO_PREFIX}节点完成（计划${m.due}）/ demo: milestone reached (due ${m.due})`,
            milestone_id: milestone.id,
            milestone_reached: true,
            evidence: '[]',
            data: JSON.stringify({ demo: true, outcome: m.outcome }),
            by_user: null,
            by_name: 'system',
            at: m.reachedAt,
          });
      }
    }
    if (taskEvents.length) await tdb.insertInto('task_event').values(taskEvents).execute();
    const pdb = problemsDb(trx);
    const problemEvents: Insertable<ProblemEventTable>[] = [];
    for (const p of loop.problems) {
      const assigned = p.status !== 'open';
      const { id } = await pdb
        .insertInto('problem')
        .values({
          plan_id: plan.id,
          title: p.title,
          description: p.description,
          category: p.category,
          source_kind: 'free',
          org_unit: p.county,
          indicator: null,
          period: null,
          item_id: null,
          milestone_id: null,
          found_by: p.foundBy,
          status: p.status,
          assigned_unit: p.county,
          assignee: null,
          deadline: assigned ? p.deadline : null,
          reopened: p.reopened,
          evidence: JSON.stringify(null),
          last_run_id: null,
          red_runs: null,
          recovered_at: null,
          created_by: p.events[0]!.by,
          created_at: p.createdAt,
          updated_at: p.updatedAt,
          closed_at: p.closedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      counts.problems++;
      for (const e of p.events)
        problemEvents.push({
          problem_id: id,
          kind: e.kind,
          transition: e.transition,
          from_status: e.from,
          to_status: e.to,
          reason: e.reason,
          data: JSON.stringify(e.data ? { ...e.data, demo: true } : { demo: true }),
          ...who(e.by),
          at: e.at,
        });
    }
    if (problemEvents.length) await pdb.insertInto('problem_event').values(problemEvents).execute();
    counts.events = problemEvents.length;
    await audit(trx, SYSTEM_CONTEXT, {
      action: 'loop.demo',
      targetType: 'plan',
      targetId: plan.id,
      after: { ...counts, year: options.year, seed, synthetic: true },
    });
  });
  return counts;
}
