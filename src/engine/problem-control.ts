/**
 * The problem-control index (问题管控指数) for the seven problem lists: how well a unit finds and fixes
 * its own problems in a period, on 0–100. Three parts, each 0–100, and their weighted mean:
 *
 * - **Self-found share** = 100 · self / (self + higher): problems the unit found itself (自查) against
 *   those found by higher inspections (上级督查) — finding your own problems is what is rewarded.
 * - **Closure speed** = 100 · mean credit over the problems that are closed, or open past their
 *   deadline. A closed problem's credit is 1 if it closed within `fullCreditDays`, 0 at
 *   `zeroCreditDays` or later, linear in between: (zero − d)/(zero − full). An open problem past its
 *   deadline has credit 0; an open problem still within its deadline is not judged yet.
 * - **Reopen control** = 100 · (1 − reopened / closed-at-least-once): the share of closures that held.
 *   A problem counts once however often it reopened.
 *
 * Index = Σ w_k s_k / Σ w_k over the parts that can be computed (a part with no problems to judge is
 * left out and the other weights scaled up, as in the composite index). A unit with no problems at
 * all gets `whenNoProblems` (default NaN: no index — a clean record and a unit that never looked
 * cannot be told apart from the lists alone). Weights and days are configurable; the defaults
 * (0.4/0.4/0.2, 30 and 90 days) are a demo choice, not from the plan.
 *
 * `overdue` (rectifications past their deadline: closed late, or open past it) and `reopenEvents`
 * feed the appraisal's automatic deductions.
 */

export type FoundBy = 'self' | 'higher';

export interface ProblemRecord {
  unit: string;
  /** Which of the problem lists it is on. */
  list: string;
  foundBy: FoundBy;
  /** Days from assignment to closure (销号); null while open. */
  daysToClose: number | null;
  /** Closed after its deadline, or open past it at the period's end. */
  overdue: boolean;
  /** Times it was reopened after a closure. */
  reopened: number;
}

export interface ProblemControlConfig {
  weights: { selfFound: number; closureSpeed: number; reopenControl: number };
  fullCreditDays: number;
  zeroCreditDays: number;
  /** The index of a unit with no problems (NaN: none). */
  whenNoProblems: number;
}

export const DEFAULT_PROBLEM_CONTROL: ProblemControlConfig = {
  weights: { selfFound: 0.4, closureSpeed: 0.4, reopenControl: 0.2 },
  fullCreditDays: 30,
  zeroCreditDays: 90,
  whenNoProblems: NaN,
};

export interface ProblemControl {
  unit: string;
  found: number;
  selfFound: number;
  higherFound: number;
  closed: number;
  /** Mean days to close over closed problems; NaN when none closed. */
  meanDaysToClose: number;
  overdue: number;
  /** Problems that reopened at least once. */
  reopenedProblems: number;
  /** Reopenings in all (a problem reopened twice counts 2). */
  reopenEvents: number;
  /** The parts, 0–100; NaN when there is nothing to judge. */
  selfFoundShare: number;
  closureSpeed: number;
  reopenControl: number;
  index: number;
}

/** Credit of one closed problem for its speed (see the module note). */
export function closureCredit(
  days: number,
  config: Pick<ProblemControlConfig, 'fullCreditDays' | 'zeroCreditDays'>,
): number {
  if (days <= config.fullCreditDays) return 1;
  if (days >= config.zeroCreditDays) return 0;
  return (config.zeroCreditDays - days) / (config.zeroCreditDays - config.fullCreditDays);
}

function checkConfig(c: ProblemControlConfig): void {
  for (const [k, w] of Object.entries(c.weights))
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`problem-control weight ${k} must be ≥ 0, not ${w}`);
  if (!(c.fullCreditDays >= 0 && c.zeroCreditDays > c.fullCreditDays))
    throw new RangeError(
      `problem-control days: 0 ≤ fullCreditDays < zeroCreditDays, not ${c.fullCreditDays} and ${c.zeroCreditDays}`,
    );
}

/** The index of one unit's problems. */
export function problemControlOf(
  unit: string,
  problems: readonly ProblemRecord[],
  config: ProblemControlConfig = DEFAULT_PROBLEM_CONTROL,
): ProblemControl {
  checkConfig(config);
  let self = 0;
  let closed = 0;
  let days = 0;
  let overdue = 0;
  let judged = 0;
  let credit = 0;
  let closedOnce = 0;
  let reopenedProblems = 0;
  let reopenEvents = 0;
  for (const p of problems) {
    if (!(p.reopened >= 0)) throw new RangeError(`a problem's reopen count must be ≥ 0, not ${p.reopened}`);
    if (p.foundBy === 'self') self++;
    if (p.overdue) overdue++;
    if (p.daysToClose !== null) {
      if (!(p.daysToClose >= 0)) throw new RangeError(`days to close must be ≥ 0, not ${p.daysToClose}`);
      closed++;
      days += p.daysToClose;
      judged++;
      credit += closureCredit(p.daysToClose, config);
    } else if (p.overdue) judged++; // open past its deadline: credit 0
    if (p.daysToClose !== null || p.reopened > 0) closedOnce++;
    if (p.reopened > 0) reopenedProblems++;
    reopenEvents += p.reopened;
  }
  const found = problems.length;
  const parts = {
    selfFound: found > 0 ? (100 * self) / found : NaN,
    closureSpeed: judged > 0 ? (100 * credit) / judged : NaN,
    reopenControl: closedOnce > 0 ? 100 * (1 - reopenedProblems / closedOnce) : NaN,
  };
  let sw = 0;
  let sws = 0;
  for (const k of ['selfFound', 'closureSpeed', 'reopenControl'] as const) {
    if (Number.isNaN(parts[k])) continue;
    sw += config.weights[k];
    sws += config.weights[k] * parts[k];
  }
  return {
    unit,
    found,
    selfFound: self,
    higherFound: found - self,
    closed,
    meanDaysToClose: closed > 0 ? days / closed : NaN,
    overdue,
    reopenedProblems,
    reopenEvents,
    selfFoundShare: parts.selfFound,
    closureSpeed: parts.closureSpeed,
    reopenControl: parts.reopenControl,
    index: found === 0 ? config.whenNoProblems : sw > 0 ? sws / sw : NaN,
  };
}

/** The index per unit (every unit in `units`, also those without problems), and per unit × list. */
export function problemControl(
  units: readonly string[],
  problems: readonly ProblemRecord[],
  config: ProblemControlConfig = DEFAULT_PROBLEM_CONTROL,
): { byUnit: ProblemControl[]; byUnitList: (ProblemControl & { list: string })[] } {
  const byUnit = new Map<string, ProblemRecord[]>(units.map((u) => [u, []]));
  for (const p of problems) byUnit.get(p.unit)?.push(p);
  const byUnitList: (ProblemControl & { list: string })[] = [];
  for (const [unit, list] of byUnit) {
    const lists = [...new Set(list.map((p) => p.list))].sort();
    for (const l of lists)
      byUnitList.push({
        list: l,
        ...problemControlOf(
          unit,
          list.filter((p) => p.list === l),
          config,
        ),
      });
  }
  return { byUnit: [...byUnit].map(([unit, list]) => problemControlOf(unit, list, config)), byUnitList };
}
