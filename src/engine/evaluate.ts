/**
 * The whole-plan evaluation: from a plan, its region tree and the reported values to every indicator's
 * yearly values at every unit, target statuses, the county horse race and the headline disparities.
 * Pure and columnar (typed arrays per indicator, units × years); the one function the server, the CLI
 * (`gongfu evaluate`) and the reports call. Inputs and outputs are described in evaluate/types.ts.
 *
 * Pipeline — each step one module, composed from the engine's tested methods:
 *
 * 0. Setup. The tree (`buildOrgTree`) from the region rows; a year axis from min(base year, first data
 *    year) to the last year of any reported axis or microdata; one order over ALL indicators in which
 *    each comes after what it uses — roll-up weights, numerators and denominators, formula inputs, the
 *    `of` and weight of a disparity — because the kinds interleave (Jinhua's INC_RURAL_PC rolls up
 *    weighted by POP_RURAL, a formula). A cycle or an unknown code is an error.
 * 1. Raw indicators (evaluate/values.ts): roll up the tree at the indicator's own periodicity
 *    (`rollUp`: weighted means by the weight's rolled-up values, ratios as the ratio of rolled-up
 *    numerator and denominator — never a mean of ratios), then to years by `periodAggregation`
 *    (`rollUpPeriods`) — evaluation works on years. A dependency of another periodicity enters through
 *    its yearly values repeated over the sub-periods. Per yearly cell: `origin` (reported / computed /
 *    missing) and `coverage`, the share of the data behind the value that is there: 1 for a reported
 *    figure, the roll-up's leaf coverage for a computed one, 0 for none; for sub-year data the mean over
 *    the year's sub-periods (sum, mean) or that of the sub-period taken (last). A summed year with a
 *    sub-period missing has no value — a partial sum is not a year's flow — and keeps the sum so far in
 *    `partialSum`; a `last` or `mean` year with gaps keeps its value, `present` says how many
 *    sub-periods it has. Each indicator is done and its sub-year roll-up dropped before the next
 *    (kept only while a later raw indicator of that periodicity rolls up with it): a province's 100
 *    monthly indicators never sit in memory as roll-ups at once.
 * 2. Formula indicators: `evaluateFormula` over the inputs' yearly matrices, every unit and year at
 *    once — a ratio of rolled-up sums at every level, never a mean of ratios. Coverage: the least of
 *    the inputs'.
 * 3. Disparity indicators: at each unit with descendants at the `across` level, each year, the measure
 *    (`inequality`: maxMinRatio, range, cv, gini, theilT, theilL; weighted by `weight`'s values where
 *    given) over those descendants' values of `of`. Stored per cell: who is the max and the min, how
 *    many descendants counted of how many (coverage = their share). Fewer than two descendants with a
 *    value give no value: one unit has no gap (its max/min ratio would read 1, "no disparity"). NaN
 *    (not applicable) at units without such descendants. `explainDisparity` spells out a cell: every
 *    member, and Theil T and L split by the unit's children (each child's share — the one that drives
 *    the gap).
 * 4. Microdata indicators: per unit and survey year over the households in the unit's subtree (its
 *    own and its descendants'), of the urban/rural kind the computation filters on: `bracketShare`
 *    (half-open [from, to)), mean, median, gini, theilT, theilL, quintileShareRatio (`inequality`).
 *    Variable and weight: `disposable_income` describes households — household income, household
 *    weights (家庭年可支配收入10万—50万元的群体比例 is a share of households); per capita describes
 *    persons — income / size weighted by weight × size, so S80/S20 compares the richest and poorest
 *    fifths of PEOPLE, as Eurostat's does (a household of size ≤ 0 has no per-capita income).
 *    Coverage = households that entered / households of that kind in the subtree. No microdata → NaN.
 * 5. Targets (evaluate/cells.ts): for every indicator × unit at the indicator's levels × each target,
 *    `evaluateTarget` on the unit's yearly series, as of `asOf` (given, else the latest year with any
 *    value of any indicator), with the plan's thresholds and projection method, the indicator's
 *    baseline at the root only (the plan's figures are the root's) and only where the root has a
 *    value of its own (evaluateTarget would otherwise call a baseline alone "on track"), the reference
 *    series of relative targets (another indicator or unit in the tree from these results; outside the
 *    tree from `external`, else no_data with a note saying what to pass) and the peers of rank targets
 *    (a unit whose parent is `among` ranks among `among`'s other children in the tree and the outside
 *    series whose parent is `among`). A cell's status is the status of its FIRST target — the plan lists the
 *    defining target first (达到7.5万元 before 年均增长8.2%) — `no_target` without targets; every
 *    target's result is kept. The Open SDG progress measure toward the first target's level (level:
 *    its value; growth: its path's end; other kinds: no target) is a second opinion.
 * 6. Horse race (evaluate/horse-race.ts): scores 0–100 toward the first target per indicator, unit
 *    (the root's children and the root) and year, dimension sub-indices and the index
 *    (`compositeIndex`), ranks with ties, rank change, improvement ranking; see that module.
 * 7. Headline (evaluate/headline.ts): the root's headline formula/disparity/microdata indicators with
 *    what drives each (the formula's inputs, the disparity's max/min and Theil groups, the households).
 *
 * JSON: `evaluationJson` (evaluate/json.ts) gives plain objects with null for missing numbers.
 *
 * Versioning: `fingerprint` is a hash (evaluate/fingerprint.ts) of everything read — the plan, the
 * rows, each raw indicator's axis and values, the microdata, the outside series, asOf and groupBy — in a
 * fixed order. Equal inputs give an equal fingerprint and deep-equal results.
 *
 * Incremental: `evaluateIncrementally(previous, input, changed)` redoes only what depends on the
 * changed (indicator, unit) cells: the changed indicators' roll-ups (whole, it is cheap) and every
 * indicator computed from them, transitively; the target cells of those indicators at the changed
 * units and their ancestors, pooled over all changes (every cell of an indicator with a rank target
 * or a relative target that reads another unit, whose results depend on other units; and cells of
 * indicators whose relative target reads a recomputed indicator); their horse-race scores, then the
 * index and the headline
 * (cheap). Anything else that differs from `previous` — plan, rows, microdata, outside series, asOf or
 * groupBy, the year axis, or a default asOf that moves — makes it a full evaluation. Its result equals
 * `evaluate(input)`; `changed` must list every changed cell (the fingerprints of the indicators not in
 * it are taken from `previous`).
 */
import { buildOrgTree, type OrgTree } from './org-tree.js';
import { evaluateCell, evaluateCells, indexExternal, type TargetsContext } from './evaluate/cells.js';
import { canonicalJson, hashText, Hasher } from './evaluate/fingerprint.js';
import { explainDisparityCell, headlineItems } from './evaluate/headline.js';
import { finishHorseRace, horseRace, horseRaceFrame, placeScores, scoreIndicator } from './evaluate/horse-race.js';
import type {
  CellEvaluation,
  ChangedCell,
  DisparityExplanation,
  Evaluation,
  EvaluationInput,
  FingerprintParts,
  IndicatorResult,
  ReportedMatrix,
} from './evaluate/types.js';
import {
  computeIndicator,
  indicatorGraph,
  NativeRollups,
  yearAxisOf,
  type ComputedValues,
  type IndicatorGraph,
  type ValuesContext,
  type YearAxis,
} from './evaluate/values.js';

export type * from './evaluate/types.js';
export { ORIGINS } from './evaluate/types.js';
export { explainIndex, TIE_TOLERANCE } from './evaluate/horse-race.js';
export { evaluationJson, toJson, type Json } from './evaluate/json.js';

type FixedParts = Omit<FingerprintParts, 'reported'>;

interface Setup {
  readonly tree: OrgTree;
  readonly root: number;
  readonly graph: IndicatorGraph;
  readonly years: YearAxis;
  readonly parts: FixedParts;
  readonly notes: string[];
}

function fixedParts(input: EvaluationInput): FixedParts {
  const rows = new Hasher();
  for (const r of input.orgUnits)
    rows
      .text(r.code)
      .text(r.parent ?? '')
      .text(r.level)
      .text(canonicalJson(r.attributes ?? {}));
  const households = new Hasher();
  for (const h of input.households ?? [])
    households
      .number(h.year)
      .floats(h.income)
      .floats(h.size)
      .floats(h.weight)
      .integers(h.unitIndex)
      .integers(h.urbanRural);
  const external = new Hasher();
  for (const s of input.external ?? [])
    external
      .text(s.indicator)
      .text(s.orgUnit)
      .text(s.parent ?? '')
      .integers(s.years)
      .floats(s.values);
  return {
    plan: hashText(canonicalJson(input.plan)),
    orgUnits: rows.digest(),
    households: households.digest(),
    external: external.digest(),
    options: hashText(
      `asOf=${input.asOf ?? 'latest'};complete=${input.lastCompleteYear ?? ''};groupBy=${input.groupBy ?? ''}`,
    ),
  };
}

function reportedHash(m: ReportedMatrix | undefined): string {
  if (!m) return 'none';
  return new Hasher().text(m.axis.type).number(m.axis.start).number(m.axis.length).floats(m.values).digest();
}

function combine(parts: FingerprintParts): string {
  const h = new Hasher().text(parts.plan).text(parts.orgUnits).text(parts.households).text(parts.external);
  h.text(parts.options);
  for (const [code, hash] of Object.entries(parts.reported)) h.text(code).text(hash);
  return h.digest();
}

function setup(input: EvaluationInput, previousTree?: OrgTree): Setup {
  const { plan } = input;
  const parts = fixedParts(input);
  const tree =
    previousTree ?? buildOrgTree(input.orgUnits.map((r) => ({ code: r.code, parent: r.parent, level: r.level })));
  const root = tree.index.get(plan.rootOrgUnit);
  if (root === undefined) throw new RangeError(`the plan's root ${plan.rootOrgUnit} is not among the org units given`);
  const graph = indicatorGraph(plan);
  const years = yearAxisOf(plan, input.reported, input.households);
  const notes: string[] = [];
  for (const code of input.reported.keys()) {
    const ind = graph.byCode.get(code);
    if (!ind) notes.push(`reported values of ${code} were not used: the plan has no indicator ${code}`);
    else if (ind.computation.kind !== 'raw')
      notes.push(`reported values of ${code} were not used: it is computed (${ind.computation.kind})`);
  }
  const micro = plan.indicators.filter((i) => i.computation.kind === 'microdata').map((i) => i.code);
  if (micro.length > 0 && !input.households?.length)
    notes.push(`no household microdata was given: ${micro.join(', ')} have no data`);
  return { tree, root, graph, years, parts, notes };
}

function valuesContext(input: EvaluationInput, s: Setup): ValuesContext {
  return {
    plan: input.plan,
    tree: s.tree,
    years: s.years,
    graph: s.graph,
    reported: input.reported,
    households: undefined,
    householdInput: input.households,
    expanded: new Map(),
  };
}

/** asOf: given, else the latest year with any value up to the last complete year, else the axis's last year. */
function asOfYear(input: EvaluationInput, s: Setup, results: ReadonlyMap<string, ComputedValues>): number {
  if (input.asOf !== undefined) return input.asOf;
  const cap = input.lastCompleteYear ?? Infinity;
  let latest = NaN;
  for (const r of results.values()) {
    const year = Math.min(r.lastYear, cap); // NaN for an indicator without data: skipped
    if (year === year && !(year <= latest)) latest = year;
  }
  return Number.isNaN(latest) ? s.years.first + s.years.count - 1 : latest;
}

function targetsContext(
  input: EvaluationInput,
  s: Setup,
  results: ReadonlyMap<string, ComputedValues>,
  asOf: number,
): TargetsContext {
  return {
    plan: input.plan,
    tree: s.tree,
    rows: input.orgUnits,
    years: s.years,
    root: s.root,
    asOf,
    values: (code) => results.get(code)!.values,
    external: indexExternal(input.external, s.tree),
    unitsOfLevels: new Map(),
  };
}

function assemble(
  input: EvaluationInput,
  s: Setup,
  results: ReadonlyMap<string, ComputedValues>,
  cells: ReadonlyMap<string, readonly CellEvaluation[]>,
  tctx: TargetsContext,
  race: Evaluation['horseRace'],
  reported: Record<string, string>,
): Evaluation {
  const indicators = new Map<string, IndicatorResult>();
  for (const ind of input.plan.indicators) {
    const r = results.get(ind.code)!;
    indicators.set(ind.code, {
      code: ind.code,
      computation: ind.computation.kind,
      values: r.values,
      lastYear: r.lastYear,
      disparity: r.disparity,
      households: r.households,
      cells: cells.get(ind.code)!,
    });
  }
  const headline = headlineItems(
    { plan: input.plan, tree: s.tree, years: s.years, values: tctx.values },
    s.root,
    tctx.asOf,
    s.graph.formulas,
    (code) => results.get(code)!.households,
    (code) => cells.get(code)!.find((c) => c.unitIndex === s.root)?.status ?? null,
  );
  const fingerprintParts: FingerprintParts = { ...s.parts, reported };
  return {
    planId: input.plan.id,
    plan: input.plan,
    fingerprint: combine(fingerprintParts),
    fingerprintParts,
    asOf: tctx.asOf,
    years: s.years.years,
    tree: s.tree,
    root: s.root,
    indicators,
    horseRace: race,
    headline,
    notes: s.notes,
  };
}

/** Evaluates the whole plan (see the module note for the steps and conventions). */
export function evaluate(input: EvaluationInput): Evaluation {
  return evaluateWith(input, setup(input));
}

function evaluateWith(input: EvaluationInput, s: Setup): Evaluation {
  const vctx = valuesContext(input, s);
  const results = new Map<string, ComputedValues>();
  const natives = new NativeRollups(s.graph, s.graph.order);
  for (const code of s.graph.order) results.set(code, computeIndicator(vctx, code, results, natives));
  const asOf = asOfYear(input, s, results);
  const tctx = targetsContext(input, s, results, asOf);
  const cells = new Map(input.plan.indicators.map((ind) => [ind.code, evaluateCells(tctx, ind)]));
  const race = horseRace(tctx, input.groupBy);
  const reported: Record<string, string> = {};
  for (const ind of input.plan.indicators)
    if (ind.computation.kind === 'raw') reported[ind.code] = reportedHash(input.reported.get(ind.code));
  return assemble(input, s, results, cells, tctx, race, reported);
}

const sameParts = (a: FixedParts, b: FixedParts) =>
  a.plan === b.plan &&
  a.orgUnits === b.orgUnits &&
  a.households === b.households &&
  a.external === b.external &&
  a.options === b.options;

/**
 * Re-evaluates after the reported values of `changed` cells changed, redoing only what depends on them
 * (see the module note); equal to `evaluate(input)`.
 */
export function evaluateIncrementally(
  previous: Evaluation,
  input: EvaluationInput,
  changed: readonly ChangedCell[],
): Evaluation {
  const parts = fixedParts(input);
  if (!sameParts(parts, previous.fingerprintParts) || previous.planId !== input.plan.id) return evaluate(input);
  const s = setup(input, previous.tree);
  const Y = s.years.count;
  if (s.years.first !== previous.years[0] || Y !== previous.years.length) return evaluateWith(input, s);
  const { tree, graph } = s;

  // What changed: raw indicators, and the units whose values they feed (the unit and its ancestors).
  const changedCodes = new Set<string>();
  const touched = new Uint8Array(tree.size);
  for (const c of changed) {
    const ind = graph.byCode.get(c.indicator);
    if (!ind) throw new RangeError(`changed cell of ${c.indicator}: the plan has no such indicator`);
    const unit = tree.index.get(c.unit);
    if (unit === undefined) throw new RangeError(`changed cell of ${c.indicator}: unknown org unit ${c.unit}`);
    if (ind.computation.kind !== 'raw') continue; // its reported values are not read
    changedCodes.add(c.indicator);
    for (let u = unit; u >= 0 && !touched[u]; u = tree.parent[u]!) touched[u] = 1;
  }
  const affected = new Set<string>();
  const mark = (code: string) => {
    if (affected.has(code)) return;
    affected.add(code);
    for (const user of graph.usedBy.get(code)!) mark(user);
  };
  changedCodes.forEach(mark);

  const results = new Map<string, ComputedValues>();
  for (const [code, r] of previous.indicators) results.set(code, r);
  const redo = graph.order.filter((code) => affected.has(code));
  const vctx = valuesContext(input, s);
  const natives = new NativeRollups(graph, redo);
  for (const code of redo) results.set(code, computeIndicator(vctx, code, results, natives));
  const asOf = asOfYear(input, s, results);
  if (asOf !== previous.asOf) return evaluateWith(input, s);

  const tctx = targetsContext(input, s, results, asOf);
  const cells = new Map<string, readonly CellEvaluation[]>();
  const rescored: number[] = [];
  input.plan.indicators.forEach((ind, i) => {
    const before = previous.indicators.get(ind.code)!.cells;
    let scope: 'none' | 'touched' | 'all' = affected.has(ind.code) ? 'touched' : 'none';
    for (const t of ind.targets) {
      const readsAffected = t.kind === 'relative' && affected.has(t.reference.indicator ?? ind.code);
      if (readsAffected && t.reference.orgUnit !== undefined) scope = 'all';
      else if (readsAffected && scope === 'none') scope = 'touched';
      if (affected.has(ind.code) && t.kind === 'rank') scope = 'all';
    }
    if (scope !== 'none') rescored.push(i);
    cells.set(
      ind.code,
      scope === 'all'
        ? evaluateCells(tctx, ind)
        : scope === 'touched'
          ? before.map((c) => (touched[c.unitIndex] ? evaluateCell(tctx, ind, c.unitIndex) : c))
          : before,
    );
  });

  const frame = horseRaceFrame(tctx);
  const I = input.plan.indicators.length;
  const scores = previous.horseRace.scores.slice();
  for (const i of rescored) placeScores(scores, scoreIndicator(tctx, frame, input.plan.indicators[i]!), i, I);
  const race = finishHorseRace(tctx, frame, scores, input.groupBy);

  const reported = { ...previous.fingerprintParts.reported };
  for (const code of changedCodes) reported[code] = reportedHash(input.reported.get(code));
  return assemble(input, s, results, cells, tctx, race, reported);
}

/** One disparity cell spelled out (members, max and min, Theil split by the unit's children); null if not a disparity. */
export function explainDisparity(
  evaluation: Evaluation,
  indicator: string,
  unit: string,
  year: number,
): DisparityExplanation | null {
  const u = evaluation.tree.index.get(unit);
  if (u === undefined) return null;
  const years: YearAxis = {
    first: evaluation.years[0] ?? year,
    count: evaluation.years.length,
    years: evaluation.years,
  };
  return explainDisparityCell(
    {
      plan: evaluation.plan,
      tree: evaluation.tree,
      years,
      values: (code) => evaluation.indicators.get(code)!.values,
    },
    indicator,
    u,
    year,
  );
}
