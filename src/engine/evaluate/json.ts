/**
 * A JSON view of an evaluation for the CLI, the HTTP API and stored results: plain objects and arrays,
 * numbers at full precision, `null` where a number is not available (NaN, ±Infinity) — never NaN.
 * Typed arrays become arrays and Maps objects. The tree and the plan are left out (the caller has
 * them); the per-unit yearly matrices only on request (a province's are large).
 */
import type { Evaluation } from './types.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Any value made JSON-safe: NaN and infinities → null, typed arrays → arrays, Maps → objects. */
export function toJson(value: unknown): Json {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of value as Map<unknown, unknown>) out[String(k)] = toJson(v);
    return out;
  }
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return null;
}

/**
 * The evaluation as JSON: fingerprint, asOf, years, unit codes, per indicator its cells (and, with
 * `values: true`, its yearly matrices, units × years in `units` order), the horse race, the headline
 * and the notes.
 */
export function evaluationJson(evaluation: Evaluation, options: { values?: boolean } = {}): Json {
  const indicators: { [code: string]: Json } = {};
  for (const [code, r] of evaluation.indicators)
    indicators[code] = toJson({
      computation: r.computation,
      lastYear: r.lastYear,
      cells: r.cells,
      ...(options.values && { values: r.values, disparity: r.disparity, households: r.households }),
    });
  return {
    planId: evaluation.planId,
    fingerprint: evaluation.fingerprint,
    asOf: evaluation.asOf,
    years: toJson(evaluation.years),
    units: [...evaluation.tree.codes],
    root: evaluation.tree.codes[evaluation.root]!,
    indicators,
    horseRace: toJson(evaluation.horseRace),
    headline: toJson(evaluation.headline),
    notes: [...evaluation.notes],
  };
}
