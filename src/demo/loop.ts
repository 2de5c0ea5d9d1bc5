/**
 * A synthetic closed loop at county level for the demo (示例数据): per county, a few task items (sub-items
 * of plan tasks, led by the county) with milestones due in one year — met on time, late or missed —
 * and problems on the seven problem lists (七张问题清单) raised in that year, found by the county
 * itself or by higher inspections, closed on time, late, or still open past their deadline, some
 * reopened once after a failed verification, each with its whole history.
 *
 * Pure and deterministic: no clock, no I/O; the same inputs and seed give the same rows. Every
 * history is a walk of domain/problem-workflow.ts; nothing happens after `asOf` (a history is cut
 * there and the problem left in the status it had reached). Counties differ by a drawn "diligence"
 * so that the appraisal components do not tie.
 */
import {
  applyTransition,
  PROBLEM_CATEGORIES,
  type FoundBy,
  type ProblemCategory,
  type ProblemStatus,
  type Transition,
} from '../domain/problem-workflow.js';
import { Rng } from './generate.js';

export const DEMO_LOOP_SEED = 20250701;
/** Marks every title the demo loop writes (示例 = example), as the other demo data are marked. */
export const DEMO_PREFIX = '示例：';
export const DEMO_NOTE = '示例数据：演示用，并非真实情况 / demo data: synthetic, not a real case';
/** Who acts in the demo histories: the demo supervisor (督查员) assigns and verifies, the system records the rest. */
export const DEMO_SUPERVISOR = 'demo-supervisor';
export const DEMO_SYSTEM = 'system';

const DAY_MS = 24 * 3600_000;

export interface DemoLoopInput {
  /** The counties: code and name. */
  counties: readonly { code: string; name: string }[];
  /** Plan tasks the demo items hang under. */
  tasks: readonly { number: number; titleZh: string }[];
  /** The year the milestones are due and the problems raised in. */
  year: number;
  /** Nothing happens after this instant. */
  asOf: Date;
  seed?: number;
}

export interface DemoMilestone {
  title: string;
  /** YYYY-MM-DD. */
  due: string;
  reachedAt: Date | null;
  outcome: 'on_time' | 'late' | 'missed' | 'pending';
}

export interface DemoTaskItem {
  county: string;
  taskNumber: number;
  titleZh: string;
  titleEn: string;
  createdAt: Date;
  milestones: DemoMilestone[];
}

export interface DemoProblemEvent {
  kind: 'raised' | 'transition';
  transition: Transition | null;
  from: ProblemStatus | null;
  to: ProblemStatus;
  reason: string;
  by: typeof DEMO_SUPERVISOR | typeof DEMO_SYSTEM;
  at: Date;
  data: { assignedUnit: string; deadline: string } | null;
}

export interface DemoProblem {
  county: string;
  category: ProblemCategory;
  foundBy: Exclude<FoundBy, 'auto'>;
  title: string;
  description: string;
  createdAt: Date;
  /** Set by the assignment (end of the day, China time); null while unassigned. */
  deadline: Date | null;
  status: ProblemStatus;
  reopened: number;
  closedAt: Date | null;
  /** The last event's instant. */
  updatedAt: Date;
  events: DemoProblemEvent[];
}

export interface DemoLoop {
  items: DemoTaskItem[];
  problems: DemoProblem[];
}

/** What a county's problems are about, per list: Chinese, English. */
const SUBJECTS: Record<Exclude<ProblemCategory, 'indicator' | 'milestone' | 'other'>, [string, string][]> = {
  inspection_tour: [
    ['乡村振兴项目资金拨付滞后', 'rural revitalisation funds paid out late'],
    ['低收入农户帮扶台账不完整', 'incomplete records of support to low-income households'],
  ],
  supervision: [
    ['山区26县结对帮扶项目进度滞后', 'paired-support projects behind schedule'],
    ['养老服务设施建设未按期推进', 'elderly-care facilities not built on schedule'],
  ],
  audit: [
    ['专项资金闲置未及时统筹使用', 'special funds left idle'],
    ['惠民补贴发放存在重复领取', 'welfare subsidies paid twice to some recipients'],
  ],
  eco_inspection: [
    ['农村生活污水处理设施运行不正常', 'rural sewage plants not running properly'],
    ['河道沿线违规堆放固体废物', 'solid waste dumped along a river'],
  ],
  safety: [
    ['自建房安全隐患排查整治不到位', 'safety checks of self-built houses incomplete'],
    ['工业园区消防通道占用', 'fire lanes blocked in an industrial park'],
  ],
  petition: [
    ['群众反映农民工工资拖欠', 'complaints of unpaid migrant-worker wages'],
    ['安置小区物业服务投诉集中', 'many complaints about a resettlement estate’s property service'],
  ],
  media: [
    ['媒体曝光城乡公交班次缩减', 'media report on cut rural bus services'],
    ['媒体反映社区卫生服务站排队时间长', 'media report on long queues at community clinics'],
  ],
};
/** Lists a county finds problems on itself (自查), and those higher inspections find. */
const SELF_LISTS: ProblemCategory[] = ['safety', 'petition', 'supervision', 'eco_inspection'];
const HIGHER_LISTS: ProblemCategory[] = ['inspection_tour', 'supervision', 'audit', 'eco_inspection', 'media'];

const MILESTONE_STEPS: [string, string][] = [
  ['完成方案制定', 'plan drawn up'],
  ['完成年度过半目标', 'half of the year’s target'],
  ['完成项目主体建设', 'main works complete'],
  ['通过年度验收', 'year’s acceptance check passed'],
];

/** YYYY-MM-DD of an instant, China time (UTC+8). */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
/** An instant on a day of the year (0 = 1 January), at `hour` China time. */
function dayOf(year: number, day: number, hour = 10): Date {
  return new Date(Date.UTC(year, 0, 1 + Math.floor(day), hour - 8, 0, 0));
}
/** The end of the day of `d`, China time: how deadlines are stored (services/problems.ts parseDeadline). */
function endOfDay(d: Date): Date {
  return new Date(`${chinaDate(d)}T23:59:59+08:00`);
}
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY_MS);

/** The demo loop for all counties. */
export function generateDemoLoop(input: DemoLoopInput): DemoLoop {
  const seed = input.seed ?? DEMO_LOOP_SEED;
  const items: DemoTaskItem[] = [];
  const problems: DemoProblem[] = [];
  if (input.tasks.length === 0) throw new RangeError('the demo loop needs at least one plan task');
  input.counties.forEach((county, k) => {
    const rng = Rng.of(seed, 'loop', county.code);
    // Diligence in [0.35, 0.95], spread over the counties by their order so that no two tie.
    const diligence = 0.35 + (0.6 * ((k * 5) % input.counties.length)) / Math.max(input.counties.length - 1, 1);
    items.push(...countyItems(input, county, rng, diligence));
    problems.push(...countyProblems(input, county, rng, diligence));
  });
  return { items, problems };
}

function countyItems(
  input: DemoLoopInput,
  county: { code: string; name: string },
  rng: Rng,
  diligence: number,
): DemoTaskItem[] {
  const n = 2 + rng.int(3);
  const out: DemoTaskItem[] = [];
  const first = rng.int(input.tasks.length);
  for (let i = 0; i < n; i++) {
    const task = input.tasks[(first + i * 7) % input.tasks.length]!;
    const m = 3 + rng.int(2);
    const milestones: DemoMilestone[] = [];
    for (let j = 0; j < m; j++) {
      // Spread over May to December (most fall in the two quarters the demo scores); the first
      // item has one in each of the third and fourth quarters.
      const day = i === 0 ? 190 + j * (170 / m) + rng.int(10) : 120 + ((j + rng.random()) * 238) / m;
      const dueAt = dayOf(input.year, day, 12);
      const due = chinaDate(dueAt);
      const draw = rng.random();
      // Milestones slip more often than problems: on time with a probability a little below the diligence.
      const onTime = 0.85 * diligence;
      let outcome: DemoMilestone['outcome'] =
        draw < onTime ? 'on_time' : draw < onTime + (1 - onTime) * 0.6 ? 'late' : 'missed';
      let reachedAt =
        outcome === 'on_time'
          ? dayOf(input.year, day - rng.int(6), 16)
          : outcome === 'late'
            ? dayOf(input.year, day + 3 + rng.int(28), 16)
            : null;
      if (reachedAt && reachedAt > input.asOf) reachedAt = null;
      if (!reachedAt) outcome = new Date(`${due}T23:59:59+08:00`) < input.asOf ? 'missed' : 'pending';
      const [zh, en] = MILESTONE_STEPS[j % MILESTONE_STEPS.length]!;
      milestones.push({ title: `${DEMO_PREFIX}${zh} / demo: ${en}`, due, reachedAt, outcome });
    }
    milestones.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
    out.push({
      county: county.code,
      taskNumber: task.number,
      titleZh: `${DEMO_PREFIX}${county.name}落实“${task.titleZh}”${input.year}年度任务`,
      titleEn: `Demo: ${county.name}'s ${input.year} share of plan task ${task.number}`,
      createdAt: dayOf(input.year, 5 + rng.int(20), 9),
      milestones,
    });
  }
  return out;
}

type Outcome = 'on_time' | 'late' | 'open';

function countyProblems(
  input: DemoLoopInput,
  county: { code: string; name: string },
  rng: Rng,
  diligence: number,
): DemoProblem[] {
  const n = 4 + rng.int(7);
  const out: DemoProblem[] = [];
  for (let i = 0; i < n; i++) {
    const foundBy: 'self' | 'higher' = rng.random() < diligence * 0.8 ? 'self' : 'higher';
    const lists = foundBy === 'self' ? SELF_LISTS : HIGHER_LISTS;
    const category = lists[rng.int(lists.length)]! as keyof typeof SUBJECTS;
    const subjects = SUBJECTS[category];
    const [zh, en] = subjects[rng.int(subjects.length)]!;
    // Raised evenly over the year (to early December), so that every quarter has problems.
    const created = dayOf(input.year, 10 + ((i + rng.random()) * 320) / n, 9 + rng.int(8));
    if (created > input.asOf) continue;
    const draw = rng.random();
    const outcome: Outcome = draw < diligence ? 'on_time' : draw < diligence + (1 - diligence) * 0.55 ? 'late' : 'open';
    const reopen = rng.random() < 0.15 + (1 - diligence) * 0.4;
    const list = PROBLEM_CATEGORIES[category];
    const events = history({
      county: county.code,
      created,
      foundBy,
      outcome,
      reopen,
      term: [30, 45, 60][rng.int(3)]!,
      rng,
      listZh: list.zh,
    });
    const kept = events.filter((e) => e.at <= input.asOf);
    const last = kept[kept.length - 1]!;
    const assign = kept.find((e) => e.transition === 'assign');
    const close = kept.find((e) => e.transition === 'close');
    out.push({
      county: county.code,
      category,
      foundBy,
      title: `${DEMO_PREFIX}${county.name}${zh}`,
      description: `${DEMO_NOTE}. ${list.zh} / ${list.en}: ${en}.`,
      createdAt: created,
      deadline: assign ? new Date(`${assign.data!.deadline}T23:59:59+08:00`) : null,
      status: last.to,
      reopened: kept.filter((e) => e.transition === 'reject').length,
      closedAt: close ? close.at : null,
      updatedAt: last.at,
      events: kept,
    });
  }
  return out;
}

/** A problem's whole history, checked step by step against the workflow. */
function history(p: {
  county: string;
  created: Date;
  foundBy: 'self' | 'higher';
  outcome: Outcome;
  reopen: boolean;
  term: number;
  rng: Rng;
  listZh: string;
}): DemoProblemEvent[] {
  const { rng } = p;
  const assignAt = addDays(p.created, 1 + rng.int(3));
  const deadline = endOfDay(addDays(assignAt, p.term));
  const startAt = addDays(assignAt, 1 + rng.int(2));
  const closeAt =
    p.outcome === 'on_time'
      ? addDays(deadline, -(2 + rng.int(Math.max(p.term / 3, 1))))
      : p.outcome === 'late'
        ? addDays(deadline, 5 + rng.int(40))
        : null;
  const events: DemoProblemEvent[] = [
    {
      kind: 'raised',
      transition: null,
      from: null,
      to: 'open',
      reason:
        p.foundBy === 'self'
          ? `${DEMO_PREFIX}县（市、区）自查发现，列入${p.listZh}清单 / demo: found by the county's own check`
          : `${DEMO_PREFIX}上级${p.listZh.replace(/问题$/, '')}，列入问题清单 / demo: found by a higher inspection`,
      by: p.foundBy === 'self' ? DEMO_SYSTEM : DEMO_SUPERVISOR,
      at: p.created,
      data: null,
    },
  ];
  let status: ProblemStatus = 'open';
  const step = (transition: Transition, at: Date, by: DemoProblemEvent['by'], reason: string) => {
    const next = applyTransition(status, transition, reason);
    if (!next.ok) throw new Error(`demo loop: ${next.message.en}`); // a bug in this generator
    events.push({
      kind: 'transition',
      transition,
      from: status,
      to: next.to,
      reason,
      by,
      at,
      data: transition === 'assign' ? { assignedUnit: p.county, deadline: chinaDate(deadline) } : null,
    });
    status = next.to;
  };
  step(
    'assign',
    assignAt,
    DEMO_SUPERVISOR,
    `${DEMO_PREFIX}交办属地整改，限期${p.term}天 / demo: assigned to the county, ${p.term} days`,
  );
  step('start', startAt, DEMO_SYSTEM, `${DEMO_PREFIX}属地签收，制定整改方案 / demo: accepted, rectification planned`);
  // Open past its deadline: stops while rectifying (after a failed verification, if it had one).
  const end = closeAt ?? addDays(deadline, 20 + rng.int(30));
  const span = end.getTime() - startAt.getTime();
  const at = (f: number) => new Date(startAt.getTime() + Math.round(f * span));
  if (p.reopen) {
    step('submit', at(0.4), DEMO_SYSTEM, `${DEMO_PREFIX}已完成整改，申请验收 / demo: rectified, verification asked`);
    step(
      'reject',
      at(0.5),
      DEMO_SUPERVISOR,
      `${DEMO_PREFIX}现场核查仍有问题，验收不通过 / demo: on-site check found it unresolved; verification failed`,
    );
  }
  if (closeAt) {
    step('submit', at(0.85), DEMO_SYSTEM, `${DEMO_PREFIX}整改到位，申请验收 / demo: rectified, verification asked`);
    step('close', closeAt, DEMO_SUPERVISOR, `${DEMO_PREFIX}验收通过，予以销号 / demo: verified and closed`);
  }
  return events;
}
