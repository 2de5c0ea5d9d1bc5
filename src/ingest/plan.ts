/**
 * Reading a plan file: YAML → checked `Plan`, or every problem with its YAML path and line.
 */
import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { planBase, planReferenceIssues, type Plan } from '../domain/plan.js';

export interface PlanProblem {
  /** YAML path, e.g. `indicators[3].targets[0].value`. */
  path: string;
  line: number;
  column: number;
  message: string;
}

export type PlanReadResult = { ok: true; plan: Plan } | { ok: false; problems: PlanProblem[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/** Position of the deepest node of `path` that exists in the document. */
function locate(doc: Document, lines: LineCounter, path: readonly PropertyKey[]) {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]);
    // A missing key: point at the map that should hold it.
  }
  return { line: 1, col: 1 };
}

export function parsePlan(text: string): PlanReadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
        return { path: '(yaml)', line: pos.line, column: pos.col, message };
      }),
    };
  }
  // Aliases are resolved here, not while parsing: an alias to a missing anchor throws (ReferenceError).
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    const message = (error as Error).message;
    const alias = /: (\S+)$/.exec(message)?.[1];
    const at = alias ? text.indexOf(`*${alias}`) : -1;
    const pos = at >= 0 ? lines.linePos(at) : { line: 1, col: 1 };
    return { ok: false, problems: [{ path: '(yaml)', line: pos.line, column: pos.col, message }] };
  }
  // Field problems and cross-reference problems together, so one run shows everything to fix.
  const parsed = planBase.safeParse(raw);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path, message: i.message }))),
    ...planReferenceIssues(parsed.success ? parsed.data : raw),
  ];
  if (parsed.success && issues.length === 0) return { ok: true, plan: parsed.data };
  const problems = issues.map((issue) => {
    const pos = locate(doc, lines, issue.path);
    return { path: formatPath(issue.path), line: pos.line, column: pos.col, message: issue.message };
  });
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, problems };
}

export async function readPlanFile(file: string): Promise<PlanReadResult> {
  return parsePlan(await readFile(file, 'utf8'));
}

/** One-line summary of a valid plan, for `gongfu plan validate`. */
export function summarizePlan(plan: Plan): string {
  const byKind = new Map<string, number>();
  for (const ind of plan.indicators) for (const t of ind.targets) byKind.set(t.kind, (byKind.get(t.kind) ?? 0) + 1);
  const byComputation = new Map<string, number>();
  for (const ind of plan.indicators)
    byComputation.set(ind.computation.kind, (byComputation.get(ind.computation.kind) ?? 0) + 1);
  const list = (m: Map<string, number>) => [...m].map(([k, n]) => `${k} ${n}`).join(', ');
  const targets = [...byKind.values()].reduce((a, b) => a + b, 0);
  return (
    `${plan.id}: ${plan.dimensions.length} dimensions, ${plan.sections.length} sections, ${plan.tasks.length} tasks, ` +
    `${plan.indicators.length} indicators (${list(byComputation)}), ${targets} targets (${list(byKind)})`
  );
}
