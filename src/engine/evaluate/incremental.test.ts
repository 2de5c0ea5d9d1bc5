/**
 * Properties of the whole-plan evaluation on seeded random plans and data (synthetic.ts): the
 * incremental path equals a full evaluation after the same change, it recomputes only what depends on
 * the change, and equal inputs give equal results and fingerprints.
 */
import { describe, expect, it } from 'vitest';
import {
  evaluate,
  evaluateIncrementally,
  type ChangedCell,
  type Evaluation,
  type EvaluationInput,
} from '../evaluate.js';
import { seededRandom } from '../rollup.js';
import { canonicalJson, Hasher } from './fingerprint.js';
import { syntheticEvaluationInput } from './synthetic.js';

/**
 * A copy of `input` with some reported cells changed, and the changed (indicator, unit) pairs.
 * `targeted` cells are set in the last period at `unit`; the others are random (a new value, or a
 * value removed).
 */
function change(
  input: EvaluationInput,
  previous: Evaluation,
  seed: number,
  targeted: readonly { indicator: string; unit: string }[],
  randomCount: number,
): { next: EvaluationInput; changed: ChangedCell[] } {
  const random = seededRandom(seed);
  const raw = input.plan.indicators.filter((i) => i.computation.kind === 'raw').map((i) => i.code);
  const reported = new Map(input.reported);
  const changed: ChangedCell[] = [];
  const set = (indicator: string, unit: number, period: number, value: number) => {
    const m = reported.get(indicator)!;
    const values = m.values.slice();
    values[unit * m.axis.length + period] = value;
    reported.set(indicator, { axis: m.axis, values });
    changed.push({ indicator, unit: previous.tree.codes[unit]! });
  };
  for (const t of targeted) {
    const m = reported.get(t.indicator)!;
    set(t.indicator, previous.tree.index.get(t.unit)!, m.axis.length - 1, 1 + 2000 * random());
  }
  for (let k = 0; k < randomCount; k++) {
    const indicator = raw[Math.floor(random() * raw.length)]!;
    const m = reported.get(indicator)!;
    const unit = Math.floor(random() * previous.tree.size);
    const period = Math.floor(random() * (m.axis.length - 1));
    set(indicator, unit, period, random() < 0.25 ? NaN : 1 + 2000 * random());
  }
  return { next: { ...input, reported }, changed };
}

describe('evaluateIncrementally', () => {
  // Targeted changes hit the dependencies that reach beyond a unit and its ancestors: a rank among the
  // root's children (SAFETY), a relative target reading the root (SCHOOL), an indicator others are
  // computed from (INC: URBAN_RURAL, disparities, WAGE and SUBSIDY's relative growth), a weight (POP),
  // a monthly numerator (JOBS) and a formula's input that is also a weight (POP_URBAN).
  const TARGETED = [
    { indicator: 'SAFETY', unit: '3301' },
    { indicator: 'SCHOOL', unit: '3302' },
    { indicator: 'INC', unit: '330101001' },
    { indicator: 'POP_URBAN', unit: '330201' },
    { indicator: 'JOBS', unit: '330301001' },
  ];

  it.each([1, 2, 3, 4, 5, 6])('equals a full evaluation after the same change (seed %i)', (seed) => {
    const input = syntheticEvaluationInput({ seed, shortenSubYear: seed % 2 === 0 ? 0 : 5, extra: 10 });
    const previous = evaluate(input);
    const targeted = TARGETED.filter((t) => previous.tree.index.has(t.unit));
    const { next, changed } = change(input, previous, 100 + seed, seed % 3 === 0 ? [] : targeted, 6);
    const full = evaluate(next);
    const incremental = evaluateIncrementally(previous, next, changed);
    expect(incremental.fingerprint).toBe(full.fingerprint);
    expect(incremental.fingerprint).not.toBe(previous.fingerprint);
    expect(incremental).toStrictEqual(full);
  });

  it('recomputes only what depends on the change', () => {
    const input = syntheticEvaluationInput({ seed: 11 });
    const previous = evaluate(input);
    // PM25 at one town: nothing else is computed from PM25.
    const { next, changed } = change(input, previous, 7, [{ indicator: 'PM25', unit: '330101001' }], 0);
    const result = evaluateIncrementally(previous, next, changed);
    expect(result).toStrictEqual(evaluate(next));
    for (const [code, r] of result.indicators) {
      const before = previous.indicators.get(code)!;
      // Same objects: not recomputed.
      expect(r.values === before.values).toBe(code !== 'PM25');
      expect(r.cells === before.cells).toBe(code !== 'PM25');
    }
    // PM25's cells away from the town's branch are kept as they were; those on it are new.
    const pm = result.indicators.get('PM25')!.cells;
    const old = previous.indicators.get('PM25')!.cells;
    pm.forEach((c, k) => expect(c === old[k]).toBe(!['33', '3301', '330101'].includes(c.unit)));
  });

  // One change at a time, in the last year, so that no other change re-evaluates the units these
  // targets read: a rank's peers (SAFETY among the root's children), a relative target's reference
  // unit (SCHOOL against the root), a relative target's reference indicator (WAGE's growth vs INC).
  it.each([
    ['SAFETY', '3301'],
    ['SCHOOL', '3302'],
    ['INC', '330101001'],
    ['LIFE', '3303'],
  ])('reaches every cell that reads a changed %s at %s', (indicator, unit) => {
    for (const seed of [31, 32, 33]) {
      const input = syntheticEvaluationInput({ seed });
      const previous = evaluate(input);
      const { next, changed } = change(input, previous, seed, [{ indicator, unit }], 0);
      expect(evaluateIncrementally(previous, next, changed)).toStrictEqual(evaluate(next));
    }
  });

  it('follows formulas, weights and disparities transitively', () => {
    const input = syntheticEvaluationInput({ seed: 12 });
    const previous = evaluate(input);
    const { next, changed } = change(input, previous, 8, [{ indicator: 'POP_URBAN', unit: '330101001' }], 0);
    const result = evaluateIncrementally(previous, next, changed);
    expect(result).toStrictEqual(evaluate(next));
    // POP_URBAN → POP_RURAL (formula) → INC_RURAL (weighted by it) → URBAN_RURAL (formula).
    const redone = [...result.indicators].filter(([code, r]) => r.values !== previous.indicators.get(code)!.values);
    expect(redone.map(([code]) => code)).toEqual(['POP_URBAN', 'POP_RURAL', 'INC_RURAL', 'URBAN_RURAL']);
  });

  it('falls back to a full evaluation when more than reported values changed', () => {
    const input = syntheticEvaluationInput({ seed: 13 });
    const previous = evaluate(input);
    // The microdata changed (one income): not a reported cell.
    const households = input.households!.map((h, k) => (k === 0 ? { ...h, income: h.income.map((x) => x * 1.1) } : h));
    const next = { ...input, households };
    expect(evaluateIncrementally(previous, next, [])).toStrictEqual(evaluate(next));
    // A new year of data moves the default asOf (and the axis).
    const later = syntheticEvaluationInput({ seed: 13, lastYear: 2025 });
    expect(evaluateIncrementally(previous, later, [{ indicator: 'POP', unit: '33' }])).toStrictEqual(evaluate(later));
  });

  it('refuses changes it cannot place', () => {
    const input = syntheticEvaluationInput({ seed: 14 });
    const previous = evaluate(input);
    expect(() => evaluateIncrementally(previous, input, [{ indicator: 'NOPE', unit: '33' }])).toThrow(
      /no such indicator/,
    );
    expect(() => evaluateIncrementally(previous, input, [{ indicator: 'POP', unit: '99' }])).toThrow(
      /unknown org unit 99/,
    );
  });
});

describe('determinism', () => {
  it.each([21, 22, 23])('gives the same results and fingerprint for the same input (seed %i)', (seed) => {
    const a = evaluate(syntheticEvaluationInput({ seed }));
    const b = evaluate(syntheticEvaluationInput({ seed }));
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b).toStrictEqual(a);
  });

  it('gives another fingerprint for other data', () => {
    const a = evaluate(syntheticEvaluationInput({ seed: 21 }));
    const b = evaluate(syntheticEvaluationInput({ seed: 22 }));
    expect(b.fingerprint).not.toBe(a.fingerprint);
  });
});

describe('fingerprint hashing', () => {
  const hashFloats = (...xs: number[]) => new Hasher().floats(Float64Array.from(xs)).digest();

  it('reads every NaN as the same missing value', () => {
    const other = new Float64Array(1);
    new DataView(other.buffer).setBigUint64(0, 0x7ff8000000000abcn, true); // a NaN with a payload
    expect(Number.isNaN(other[0]!)).toBe(true);
    expect(new Hasher().floats(other).digest()).toBe(hashFloats(NaN));
  });

  it('does not let two sign flips cancel, and sees order and length', () => {
    expect(hashFloats(-1, -2)).not.toBe(hashFloats(1, 2));
    expect(hashFloats(2, 1)).not.toBe(hashFloats(1, 2));
    expect(hashFloats(1, 2, NaN)).not.toBe(hashFloats(1, 2));
    expect(new Hasher().text('ab').text('c').digest()).not.toBe(new Hasher().text('a').text('bc').digest());
  });

  it('hashes objects by content, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
  });
});
