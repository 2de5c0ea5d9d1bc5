/**
 * Appraisal schemes (考核方案) as data: for counties and for departments, each a list of components
 * with weights (points out of 100), bonus and deduction rules with caps, caps and floors on the
 * components and the total, versioned by the quarters it is in force (`validFrom` … `validTo`), so a
 * period is always scored under the scheme in force then. Read from YAML with every problem's YAML
 * path and line, as the plan file is (ingest/plan.ts).
 *
 * The plan (item 41) asks that appraisal reflect work results and the people's satisfaction; it does
 * not give weights or points. Every weight and point in a shipped scheme is a demo choice and says so
 * in its `note`.
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { comparePeriods, periodType, safeParsePeriod } from './period.js';

export const APPRAISAL_SUBJECTS = ['county', 'department'] as const;
export type AppraisalSubject = (typeof APPRAISAL_SUBJECTS)[number];

/**
 * Where a component's 0–100 score comes from:
 * - `indicator_index`: the composite index of the evaluation (0–100);
 * - `improvement_index`: the change of the composite index since the base, min–max over the units
 *   scored (best 100, worst 0);
 * - `task_completion`: 100 · milestones met on time / milestones due in the period;
 * - `problem_control`: the problem-control index (engine/problem-control.ts);
 * - `satisfaction`: weighted survey satisfaction (engine/survey.ts).
 */
export const COMPONENT_SOURCES = [
  'indicator_index',
  'improvement_index',
  'task_completion',
  'problem_control',
  'satisfaction',
] as const;
export type ComponentSource = (typeof COMPONENT_SOURCES)[number];

/** Rules applied by the system from the loop, not recorded by hand. */
export const AUTOMATIC_RULES = ['overdue_rectification', 'reopened_problem'] as const;
export type AutomaticRule = (typeof AUTOMATIC_RULES)[number];

const localized = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const code = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a code is lower-case letters, digits and _ (e.g. national_pilot)');
const isQuarter = (s: unknown): s is string =>
  typeof s === 'string' && safeParsePeriod(s).ok && periodType(s) === 'quarter';
const quarter = z.string().refine(isQuarter, 'a quarter, written like 2024Q1');
const nonNegative = z.number().finite().min(0);
const percent = z.number().finite().min(0).max(100);

const component = z
  .strictObject({
    code,
    source: z.enum(COMPONENT_SOURCES),
    title: localized,
    /** Points out of the scheme's 100 for a component score of 100. */
    weight: z.number().finite().positive(),
    /** The component's 0–100 score is held within floor … cap before it is weighted. */
    floor: percent.default(0),
    cap: percent.default(100),
    note: z.string().min(1),
  })
  .refine((c) => c.floor <= c.cap, { message: 'a floor above the cap', path: ['floor'] });

const rule = z.strictObject({
  code,
  title: localized,
  /** Per event: positive for a bonus, negative for a deduction. */
  points: z
    .number()
    .finite()
    .refine((p) => p !== 0, 'a rule gives or takes points: not 0'),
  /** The most the rule gives or takes from one unit in one period (absolute), e.g. 3 for −0.5 each capped at −3. */
  cap: z.number().finite().positive().optional(),
  /** Applied from the loop (e.g. each overdue rectification); otherwise recorded as an event with evidence. */
  automatic: z.enum(AUTOMATIC_RULES).optional(),
  note: z.string().min(1),
});

const schemeBase = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a scheme id is lower-case letters, digits and -'),
    subject: z.enum(APPRAISAL_SUBJECTS),
    version: z.number().int().positive(),
    title: localized,
    validFrom: quarter,
    /** Last quarter in force; absent: until replaced. */
    validTo: quarter.optional(),
    note: z.string().min(1),
    /** Decimals of the published total; totals equal when rounded are ties. */
    decimals: z.number().int().min(0).max(4).default(2),
    /** A component without data: `zero` scores it 0; `reweight` scales the present ones up to the full weight. */
    whenComponentMissing: z.enum(['zero', 'reweight']).default('reweight'),
    /** z of the significance note: neighbours closer than z·√(SE₁² + SE₂²) are not a clear difference. */
    significanceZ: z.number().finite().positive().default(1.96),
    total: z.strictObject({ floor: z.number().finite().optional(), cap: z.number().finite().optional() }).default({}),
    /** Most bonus points in all, and most deduction points in all (absolute), per unit and period. */
    bonusCap: nonNegative.optional(),
    deductionCap: nonNegative.optional(),
    components: z.array(component).min(1),
    rules: z.array(rule).default([]),
    problemControl: z
      .strictObject({
        weights: z.strictObject({ selfFound: nonNegative, closureSpeed: nonNegative, reopenControl: nonNegative }),
        fullCreditDays: nonNegative,
        zeroCreditDays: nonNegative,
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const dup = (list: { code: string }[], what: string, key: string) => {
      const seen = new Set<string>();
      list.forEach((x, i) => {
        if (seen.has(x.code))
          ctx.addIssue({ code: 'custom', message: `${what} ${x.code} appears twice`, path: [key, i, 'code'] });
        seen.add(x.code);
      });
    };
    dup(s.components, 'component', 'components');
    dup(s.rules, 'rule', 'rules');
    if (isQuarter(s.validFrom) && isQuarter(s.validTo) && comparePeriods(s.validFrom, s.validTo) > 0)
      ctx.addIssue({
        code: 'custom',
        message: `validTo ${s.validTo} is before validFrom ${s.validFrom}`,
        path: ['validTo'],
      });
    if (s.total.floor !== undefined && s.total.cap !== undefined && s.total.floor > s.total.cap)
      ctx.addIssue({ code: 'custom', message: 'the total floor is above its cap', path: ['total', 'floor'] });
    const pc = s.problemControl;
    if (pc && !(pc.zeroCreditDays > pc.fullCreditDays))
      ctx.addIssue({
        code: 'custom',
        message: 'zeroCreditDays must exceed fullCreditDays',
        path: ['problemControl', 'zeroCreditDays'],
      });
    s.rules.forEach((r, i) => {
      if (r.automatic && r.points > 0)
        ctx.addIssue({
          code: 'custom',
          message: 'an automatic rule from the loop deducts (points < 0)',
          path: ['rules', i, 'points'],
        });
    });
  });

export type AppraisalScheme = z.infer<typeof schemeBase>;
export type AppraisalComponent = AppraisalScheme['components'][number];
export type AppraisalRule = AppraisalScheme['rules'][number];

export const appraisalSchemeFile = z.strictObject({ schemes: z.array(schemeBase).min(1) }).superRefine((file, ctx) => {
  // One scheme in force per subject and quarter: versions of one subject must not overlap.
  for (const subject of APPRAISAL_SUBJECTS) {
    const list = file.schemes
      .map((s, i) => ({ s, i }))
      .filter(
        (x) =>
          x.s.subject === subject && isQuarter(x.s.validFrom) && (x.s.validTo === undefined || isQuarter(x.s.validTo)),
      )
      .sort((a, b) => comparePeriods(a.s.validFrom, b.s.validFrom));
    for (let k = 1; k < list.length; k++) {
      const before = list[k - 1]!.s;
      const after = list[k]!;
      if (!before.validTo || comparePeriods(before.validTo, after.s.validFrom) >= 0)
        ctx.addIssue({
          code: 'custom',
          message: `${subject} schemes overlap: ${before.id} v${before.version} (from ${before.validFrom}${before.validTo ? ` to ${before.validTo}` : ''}) and ${after.s.id} v${after.s.version} (from ${after.s.validFrom}); end the earlier one with validTo`,
          path: ['schemes', after.i, 'validFrom'],
        });
    }
  }
  const keys = new Set<string>();
  file.schemes.forEach((s, i) => {
    const key = `${s.id}@${s.version}`;
    if (keys.has(key))
      ctx.addIssue({
        code: 'custom',
        message: `${s.id} version ${s.version} appears twice`,
        path: ['schemes', i, 'version'],
      });
    keys.add(key);
  });
});
export type AppraisalSchemeFile = z.infer<typeof appraisalSchemeFile>;

/**
 * The scheme of `subject` in force for `period` (a quarter, or a year: all its quarters), or
 * undefined. A year that straddles two versions has no single scheme and gets none.
 */
export function schemeInForce(
  schemes: readonly AppraisalScheme[],
  subject: AppraisalSubject,
  period: string,
): AppraisalScheme | undefined {
  const first = periodType(period) === 'year' ? `${period}Q1` : period;
  const last = periodType(period) === 'year' ? `${period}Q4` : period;
  return schemes.find(
    (s) =>
      s.subject === subject &&
      comparePeriods(s.validFrom, first) <= 0 &&
      (s.validTo === undefined || comparePeriods(last, s.validTo) <= 0),
  );
}

export interface SchemeProblem {
  /** YAML path, e.g. `schemes[0].components[2].weight`. */
  path: string;
  line: number;
  column: number;
  message: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/** Position of the deepest node of `path` that exists (a missing key points at the map that should hold it). */
function locate(doc: Document, lines: LineCounter, path: readonly PropertyKey[]) {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

/** YAML text → the checked schemes, or every problem with its YAML path and line (as plan files). */
export function parseAppraisalSchemes(
  text: string,
): { ok: true; file: AppraisalSchemeFile } | { ok: false; problems: SchemeProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        return { path: '(yaml)', line: pos.line, column: pos.col, message: e.message.split('\n')[0] ?? e.message };
      }),
    };
  const parsed = appraisalSchemeFile.safeParse(doc.toJS());
  if (parsed.success) return { ok: true, file: parsed.data };
  const problems = parsed.error.issues.map((i) => {
    const pos = locate(doc, lines, i.path);
    return { path: formatPath(i.path), line: pos.line, column: pos.col, message: i.message };
  });
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, problems };
}
