/**
 * Appraisal scoring (考核评分): a published, rule-based score per unit and period that a unit can check
 * line by line. Pure: the inputs are plain figures per unit; the scheme is data (domain/appraisal-scheme.ts).
 *
 * For each unit:
 * 1. **Component score** s_c on 0–100 from its source (see `COMPONENT_SOURCES`), held within the
 *    component's floor … cap. **Points** p_c = weight_c · s_c / 100 (weights are points out of 100).
 *    A component without data scores 0 (`whenComponentMissing: zero`), or is left out and the present
 *    components' points are scaled by Σ weight / Σ weight present (`reweight`).
 * 2. **Rules**: a rule's raw total is points-per-event × the events' quantities; held within the rule's
 *    cap (absolute). Automatic rules take their quantity from the loop: `overdue_rectification` the
 *    unit's overdue rectifications, `reopened_problem` its reopenings. Bonuses (rules with points > 0)
 *    add up to at most `bonusCap`, deductions to at most `deductionCap`.
 * 3. **Total** = Σ points + bonuses − deductions, held within the total's floor … cap, then rounded to
 *    the scheme's decimals: the published total.
 * 4. **Uncertainty** of the total (standard error, points): √Σ (f · weight_c/100 · SE_c)² over present
 *    components, f the reweighting factor; inputs with no sampling error (counts of milestones and
 *    problems) carry SE 0. Caps and rules are taken as exact.
 * 5. **Rank**: standard competition ranking ("1224") on the published (rounded) total, highest first —
 *    totals shown equal rank equal. **Rank change** = previous rank − rank (+ moved up), null when
 *    either is missing.
 * 6. **Significance note** for each pair of neighbours in rank order: the gap of their totals against
 *    z · √(SE₁² + SE₂²) (the scheme's `significanceZ`, 1.96 for 95%): `tied` when equal,
 *    `within_uncertainty` when the gap is smaller (the places are not a real difference), `clear`
 *    otherwise (with no uncertainty any gap is clear).
 */
import type {
  AppraisalComponent,
  AppraisalRule,
  AppraisalScheme,
  ComponentSource,
} from '../domain/appraisal-scheme.js';
import { rank } from './ranking.js';

/** A figure with its standard error (0 when exact), both on 0–100. */
export interface Estimate {
  value: number;
  se: number;
}

export interface AppraisalEvent {
  rule: string;
  /** Default 1 (e.g. 2 national pilots). */
  quantity?: number;
  /** Where it comes from (an event id), to trace it. */
  ref?: string;
}

export interface AppraisalUnitInput {
  unit: string;
  indicatorIndex?: Estimate | null;
  /** Already on 0–100 (min–max over the units; see the scheme's sources). */
  improvementIndex?: Estimate | null;
  tasks?: { due: number; metOnTime: number } | null;
  problems?: { index: number; overdue: number; reopenEvents: number } | null;
  satisfaction?: Estimate | null;
  events?: readonly AppraisalEvent[];
  /** Rank in the previous period, if it was scored. */
  previousRank?: number | null;
}

export type Limit = 'floor' | 'cap' | null;

export interface ComponentScore {
  code: string;
  source: ComponentSource;
  weight: number;
  /** The score from the source, 0–100; null when there are no data. */
  raw: number | null;
  se: number;
  /** raw held within floor … cap; null when missing. */
  score: number | null;
  limited: Limit;
  /** weight · score / 100 · reweighting factor; 0 when missing. */
  points: number;
  /** What it was computed from, for the breakdown. */
  inputs: Record<string, number>;
}

export interface RuleScore {
  rule: string;
  automatic: boolean;
  pointsEach: number;
  quantity: number;
  /** pointsEach · quantity. */
  raw: number;
  /** raw held within the rule's cap. */
  points: number;
  capped: boolean;
  refs: string[];
}

export type Verdict = 'tied' | 'within_uncertainty' | 'clear';

export interface NeighbourNote {
  unit: string;
  /** |total − neighbour's total|. */
  gap: number;
  /** z · √(SE² + SE_neighbour²). */
  margin: number;
  verdict: Verdict;
}

export interface UnitScore {
  unit: string;
  components: ComponentScore[];
  /** Σ weight / Σ weight present (1 with `zero`, or with every component present). */
  reweighting: number;
  /** Σ component points. */
  componentPoints: number;
  rules: RuleScore[];
  /** Bonus points after the bonus cap (≥ 0). */
  bonus: number;
  bonusCapped: boolean;
  /** Deduction points after the deduction cap (≥ 0, subtracted). */
  deduction: number;
  deductionCapped: boolean;
  /** componentPoints + bonus − deduction. */
  unlimitedTotal: number;
  limited: Limit;
  /** Held within the total's floor … cap and rounded to the scheme's decimals. */
  total: number;
  /** Standard error of the total, points. */
  se: number;
  rank: number;
  previousRank: number | null;
  rankChange: number | null;
  /** Against the unit ranked just above and just below. */
  above: NeighbourNote | null;
  below: NeighbourNote | null;
}

function hold(x: number, floor: number | undefined, cap: number | undefined): { value: number; limited: Limit } {
  if (floor !== undefined && x < floor) return { value: floor, limited: 'floor' };
  if (cap !== undefined && x > cap) return { value: cap, limited: 'cap' };
  return { value: x, limited: null };
}

function estimate(e: Estimate | null | undefined): { raw: number | null; se: number; inputs: Record<string, number> } {
  if (!e || !Number.isFinite(e.value)) return { raw: null, se: 0, inputs: {} };
  const se = Number.isFinite(e.se) ? e.se : 0;
  return { raw: e.value, se, inputs: { value: e.value, se } };
}

/** The 0–100 score of a component from a unit's inputs, or null without data. */
function componentRaw(
  c: AppraisalComponent,
  u: AppraisalUnitInput,
): { raw: number | null; se: number; inputs: Record<string, number> } {
  switch (c.source) {
    case 'indicator_index':
      return estimate(u.indicatorIndex);
    case 'improvement_index':
      return estimate(u.improvementIndex);
    case 'satisfaction':
      return estimate(u.satisfaction);
    case 'task_completion': {
      const t = u.tasks;
      if (!t || !(t.due > 0)) return { raw: null, se: 0, inputs: t ? { due: t.due, metOnTime: t.metOnTime } : {} };
      if (t.metOnTime < 0 || t.metOnTime > t.due)
        throw new RangeError(`${u.unit}: ${t.metOnTime} milestones met on time of ${t.due} due`);
      return { raw: (100 * t.metOnTime) / t.due, se: 0, inputs: { due: t.due, metOnTime: t.metOnTime } };
    }
    case 'problem_control': {
      const p = u.problems;
      if (!p || !Number.isFinite(p.index)) return { raw: null, se: 0, inputs: {} };
      return { raw: p.index, se: 0, inputs: { index: p.index } };
    }
  }
}

function automaticQuantity(r: AppraisalRule, u: AppraisalUnitInput): number {
  switch (r.automatic) {
    case 'overdue_rectification':
      return u.problems?.overdue ?? 0;
    case 'reopened_problem':
      return u.problems?.reopenEvents ?? 0;
    case undefined:
      return 0;
  }
}

/** Half away from zero at `decimals`, on x's shortest decimal form: 2.675 → 2.68 (not 2.67 from 267.4999…). */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const scaled = Number((Math.abs(x) * f).toPrecision(12));
  return (Math.sign(x) * Math.round(scaled)) / f || 0;
}

/** The score of one unit before ranking. */
function scoreUnit(scheme: AppraisalScheme, u: AppraisalUnitInput) {
  const parts = scheme.components.map((c) => {
    const { raw, se, inputs } = componentRaw(c, u);
    const held = raw === null ? null : hold(raw, c.floor, c.cap);
    return { c, raw, se, inputs, score: held?.value ?? null, limited: held?.limited ?? null };
  });
  const totalWeight = scheme.components.reduce((s, c) => s + c.weight, 0);
  const presentWeight = parts.reduce((s, p) => s + (p.score === null ? 0 : p.c.weight), 0);
  const reweighting =
    scheme.whenComponentMissing === 'reweight' && presentWeight > 0 && presentWeight < totalWeight
      ? totalWeight / presentWeight
      : 1;
  const components: ComponentScore[] = parts.map((p) => ({
    code: p.c.code,
    source: p.c.source,
    weight: p.c.weight,
    raw: p.raw,
    se: p.se,
    score: p.score,
    limited: p.limited,
    points: p.score === null ? 0 : (p.c.weight * p.score * reweighting) / 100,
    inputs: p.inputs,
  }));
  const componentPoints = components.reduce((s, c) => s + c.points, 0);
  const se = Math.sqrt(
    components.reduce((s, c) => (c.score === null ? s : s + ((reweighting * c.weight * c.se) / 100) ** 2), 0),
  );

  const byRule = new Map(scheme.rules.map((r) => [r.code, { quantity: 0, refs: [] as string[] }]));
  for (const e of u.events ?? []) {
    const r = scheme.rules.find((x) => x.code === e.rule);
    if (!r)
      throw new RangeError(
        `${u.unit}: event of rule ${e.rule}, which scheme ${scheme.id} v${scheme.version} does not have`,
      );
    if (r.automatic)
      throw new RangeError(`${u.unit}: rule ${e.rule} is applied from the loop, not recorded as an event`);
    const q = e.quantity ?? 1;
    if (!(q > 0)) throw new RangeError(`${u.unit}: an event's quantity must be > 0, not ${q}`);
    const slot = byRule.get(r.code)!;
    slot.quantity += q;
    if (e.ref) slot.refs.push(e.ref);
  }
  const rules: RuleScore[] = [];
  for (const r of scheme.rules) {
    const slot = byRule.get(r.code)!;
    const quantity = r.automatic ? automaticQuantity(r, u) : slot.quantity;
    if (quantity === 0) continue;
    const raw = r.points * quantity;
    const capped = r.cap !== undefined && Math.abs(raw) > r.cap;
    rules.push({
      rule: r.code,
      automatic: !!r.automatic,
      pointsEach: r.points,
      quantity,
      raw,
      points: capped ? Math.sign(raw) * r.cap! : raw,
      capped,
      refs: slot.refs,
    });
  }
  const bonusRaw = rules.reduce((s, r) => (r.points > 0 ? s + r.points : s), 0);
  const deductionRaw = rules.reduce((s, r) => (r.points < 0 ? s - r.points : s), 0);
  const bonus = Math.min(bonusRaw, scheme.bonusCap ?? Infinity);
  const deduction = Math.min(deductionRaw, scheme.deductionCap ?? Infinity);
  const unlimitedTotal = componentPoints + bonus - deduction;
  const held = hold(unlimitedTotal, scheme.total.floor, scheme.total.cap);
  return {
    unit: u.unit,
    components,
    reweighting,
    componentPoints,
    rules,
    bonus,
    bonusCapped: bonus < bonusRaw,
    deduction,
    deductionCapped: deduction < deductionRaw,
    unlimitedTotal,
    limited: held.limited,
    total: roundTo(held.value, scheme.decimals),
    se,
  };
}

/** Scores, ranks and annotates every unit under `scheme` (units in input order). */
export function scoreAppraisal(scheme: AppraisalScheme, units: readonly AppraisalUnitInput[]): UnitScore[] {
  const seen = new Set<string>();
  for (const u of units) {
    if (seen.has(u.unit)) throw new RangeError(`unit ${u.unit} appears twice`);
    seen.add(u.unit);
  }
  const scored = units.map((u) => scoreUnit(scheme, u));
  const ranks = rank(
    scored.map((s) => s.total),
    { method: 'competition' },
  );
  const order = scored
    .map((_, i) => i)
    .sort((a, b) => ranks[a]! - ranks[b]! || (scored[a]!.unit < scored[b]!.unit ? -1 : 1));
  const z = scheme.significanceZ;
  const note = (i: number, j: number): NeighbourNote => {
    const gap = Math.abs(scored[i]!.total - scored[j]!.total);
    const margin = z * Math.hypot(scored[i]!.se, scored[j]!.se);
    const verdict: Verdict = gap === 0 ? 'tied' : gap < margin ? 'within_uncertainty' : 'clear';
    return { unit: scored[j]!.unit, gap: roundTo(gap, scheme.decimals), margin, verdict };
  };
  const position = new Map(order.map((i, k) => [i, k]));
  return scored.map((s, i) => {
    const k = position.get(i)!;
    const previousRank = units[i]!.previousRank ?? null;
    return {
      ...s,
      rank: ranks[i]!,
      previousRank,
      rankChange: previousRank === null ? null : previousRank - ranks[i]!,
      above: k > 0 ? note(i, order[k - 1]!) : null,
      below: k < order.length - 1 ? note(i, order[k + 1]!) : null,
    };
  });
}

/** One sentence per significance note, for the breakdown and the published table. */
export function describeNote(n: NeighbourNote, side: 'above' | 'below'): { zh: string; en: string } {
  const gap = n.gap.toFixed(2);
  const margin = n.margin.toFixed(2);
  const zhSide = side === 'above' ? '前一名' : '后一名';
  switch (n.verdict) {
    case 'tied':
      return { zh: `与${zhSide}（${n.unit}）得分相同，并列`, en: `tied with ${n.unit} (${side})` };
    case 'within_uncertainty':
      return {
        zh: `与${zhSide}（${n.unit}）相差${gap}分，小于输入的不确定性（±${margin}分），名次差异不显著`,
        en: `${gap} points from ${n.unit} (${side}), within the uncertainty of the inputs (±${margin}): not a clear difference`,
      };
    case 'clear':
      return {
        zh: `与${zhSide}（${n.unit}）相差${gap}分，超出输入的不确定性（±${margin}分）`,
        en: `${gap} points from ${n.unit} (${side}), beyond the uncertainty of the inputs (±${margin})`,
      };
  }
}
