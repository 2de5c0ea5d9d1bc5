/**
 * The org-unit hierarchy as columns, built once from rows of {code, parent, level}, for roll-ups and
 * subtree queries over tens of thousands of units (Zhejiang: ~27,000 regions).
 *
 * Layout (unit i is the i-th input row; every array is indexed by unit unless said otherwise):
 * - `parent[i]`: the parent's index, −1 for a root. A parent code that is not in the rows makes the
 *   unit a root (a city's tree loaded without its province), so a forest is fine;
 * - children in CSR form: the children of i are `childIndex[childStart[i] .. childStart[i+1])`, in
 *   input order;
 * - `topDown`: a depth-first preorder (parents before children; each subtree is one contiguous run,
 *   starting at `preorder[i]` and `subtreeSize[i]` long). `bottomUp` is its reverse: every child
 *   comes before its parent, the order of a roll-up;
 * - `level[i]` indexes `levels` (province, city, county, town, village, department in that order,
 *   then any other level in order of appearance);
 * - `depth[i]`: 0 for a root; `leafCount[i]`: units without children in i's subtree (1 for a leaf).
 *
 * Errors: a code used twice, or parents that form a cycle (the message names the cycle).
 * Cost: O(n) time and a few typed arrays; no object per unit besides the code strings and the Map.
 */
import { ORG_UNIT_ROW_LEVELS } from '../domain/org-unit.js';

export interface OrgTreeRow {
  readonly code: string;
  /** The parent's code; null, undefined or a code not in the rows makes a root. */
  readonly parent?: string | null | undefined;
  readonly level: string;
}

export interface OrgTree {
  readonly size: number;
  readonly codes: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly parent: Int32Array;
  /** Level names; `level[i]` is an index into this. */
  readonly levels: readonly string[];
  readonly level: Uint8Array;
  readonly depth: Int32Array;
  /** Length size + 1. */
  readonly childStart: Int32Array;
  readonly childIndex: Int32Array;
  readonly roots: Int32Array;
  /** Preorder: parents before children, each subtree contiguous. */
  readonly topDown: Int32Array;
  /** Reverse preorder: children before parents. */
  readonly bottomUp: Int32Array;
  /** Position of each unit in `topDown`. */
  readonly preorder: Int32Array;
  /** Units in the subtree, the unit included. */
  readonly subtreeSize: Int32Array;
  /** Leaves in the subtree (a leaf counts itself). */
  readonly leafCount: Int32Array;
}

/** Rows that do not make a tree: a code used twice, a cycle of parents. */
export class OrgTreeError extends Error {
  override name = 'OrgTreeError';
}

export function buildOrgTree(rows: readonly OrgTreeRow[]): OrgTree {
  const size = rows.length;
  const codes: string[] = new Array<string>(size);
  const index = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const code = rows[i]!.code;
    if (index.has(code))
      throw new OrgTreeError(`org unit ${code} appears more than once (rows ${index.get(code)! + 1} and ${i + 1})`);
    index.set(code, i);
    codes[i] = code;
  }

  // Levels: the known ones in hierarchy order, then others in order of appearance.
  const seen = new Set(rows.map((r) => r.level));
  const levels = [
    ...ORG_UNIT_ROW_LEVELS.filter((l) => seen.has(l)),
    ...[...seen].filter((l) => !(ORG_UNIT_ROW_LEVELS as readonly string[]).includes(l)),
  ];
  if (levels.length > 256) throw new OrgTreeError(`too many distinct levels (${levels.length}); at most 256`);
  const levelCode = new Map(levels.map((l, k) => [l, k]));
  const level = new Uint8Array(size);
  const parent = new Int32Array(size);
  const childCount = new Int32Array(size);
  let rootCount = 0;
  for (let i = 0; i < size; i++) {
    const row = rows[i]!;
    level[i] = levelCode.get(row.level)!;
    const p = row.parent === null || row.parent === undefined ? undefined : index.get(row.parent);
    parent[i] = p ?? -1;
    if (p === undefined) rootCount++;
    else childCount[p]!++;
  }

  const childStart = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) childStart[i + 1] = childStart[i]! + childCount[i]!;
  const childIndex = new Int32Array(childStart[size]!);
  const fill = childStart.slice(0, size);
  const roots = new Int32Array(rootCount);
  for (let i = 0, r = 0; i < size; i++) {
    const p = parent[i]!;
    if (p < 0) roots[r++] = i;
    else childIndex[fill[p]!++] = i;
  }

  // Preorder by an explicit stack (no recursion: a deep chain must not overflow the call stack).
  const topDown = new Int32Array(size);
  const depth = new Int32Array(size);
  const stack = new Int32Array(size);
  let out = 0;
  for (let r = 0; r < rootCount; r++) {
    let top = 0;
    stack[top++] = roots[r]!;
    while (top > 0) {
      const u = stack[--top]!;
      topDown[out++] = u;
      const d = depth[u]! + 1;
      // Push in reverse so that the first child is visited first.
      for (let k = childStart[u + 1]! - 1; k >= childStart[u]!; k--) {
        const c = childIndex[k]!;
        depth[c] = d;
        stack[top++] = c;
      }
    }
  }
  if (out < size) throw new OrgTreeError(cycleMessage(codes, parent, topDown.subarray(0, out)));

  const preorder = new Int32Array(size);
  const bottomUp = new Int32Array(size);
  for (let k = 0; k < size; k++) {
    preorder[topDown[k]!] = k;
    bottomUp[size - 1 - k] = topDown[k]!;
  }
  const subtreeSize = new Int32Array(size).fill(1);
  const leafCount = new Int32Array(size);
  for (let k = 0; k < size; k++) {
    const u = bottomUp[k]!;
    if (childStart[u + 1] === childStart[u]) leafCount[u] = 1;
    const p = parent[u]!;
    if (p >= 0) {
      subtreeSize[p]! += subtreeSize[u]!;
      leafCount[p]! += leafCount[u]!;
    }
  }

  return {
    size,
    codes,
    index,
    parent,
    levels,
    level,
    depth,
    childStart,
    childIndex,
    roots,
    topDown,
    bottomUp,
    preorder,
    subtreeSize,
    leafCount,
  };
}

/** Names one cycle among the units not reached from a root: "A → B → A". */
function cycleMessage(codes: readonly string[], parent: Int32Array, reached: Int32Array): string {
  const isReached = new Uint8Array(codes.length);
  for (const u of reached) isReached[u] = 1;
  let start = isReached.indexOf(0);
  // Walk up until a unit repeats: that unit is on the cycle.
  const visited = new Set<number>();
  while (!visited.has(start)) {
    visited.add(start);
    start = parent[start]!;
  }
  const cycle = [codes[start]!];
  for (let u = parent[start]!; u !== start; u = parent[u]!) cycle.push(codes[u]!);
  cycle.push(codes[start]!);
  return `org units are their own ancestors (a cycle of parents): ${cycle.join(' → ')}`;
}

/** The index of a code; a RangeError names an unknown code. */
export function unitIndex(tree: OrgTree, code: string): number {
  const i = tree.index.get(code);
  if (i === undefined) throw new RangeError(`unknown org unit ${code}`);
  return i;
}

export function childCount(tree: OrgTree, unit: number): number {
  return tree.childStart[unit + 1]! - tree.childStart[unit]!;
}

/** The children of a unit (a view, not a copy). */
export function childrenOf(tree: OrgTree, unit: number): Int32Array {
  return tree.childIndex.subarray(tree.childStart[unit]!, tree.childStart[unit + 1]!);
}

/** Is `unit` in the subtree of `ancestor` (a unit is in its own subtree)? O(1). */
export function isInSubtree(tree: OrgTree, unit: number, ancestor: number): boolean {
  const pos = tree.preorder[unit]!;
  const start = tree.preorder[ancestor]!;
  return pos >= start && pos < start + tree.subtreeSize[ancestor]!;
}

/** The units of a subtree in preorder, the ancestor first (a view, not a copy). */
export function subtreeUnits(tree: OrgTree, ancestor: number): Int32Array {
  const start = tree.preorder[ancestor]!;
  return tree.topDown.subarray(start, start + tree.subtreeSize[ancestor]!);
}

/** The ancestors of a unit from its root down to its parent. */
export function ancestorsOf(tree: OrgTree, unit: number): number[] {
  const path: number[] = [];
  for (let u = tree.parent[unit]!; u >= 0; u = tree.parent[u]!) path.push(u);
  return path.reverse();
}

/**
 * The units of a level under an ancestor (the ancestor included if it has that level), in preorder;
 * the whole tree when `ancestor` is omitted. An unknown level gives no units.
 */
export function unitsAtLevel(tree: OrgTree, levelName: string, ancestor?: number): Int32Array {
  const code = tree.levels.indexOf(levelName);
  if (code < 0) return new Int32Array(0);
  const units = ancestor === undefined ? tree.topDown : subtreeUnits(tree, ancestor);
  let n = 0;
  for (let k = 0; k < units.length; k++) if (tree.level[units[k]!] === code) n++;
  const out = new Int32Array(n);
  for (let k = 0, j = 0; k < units.length; k++) if (tree.level[units[k]!] === code) out[j++] = units[k]!;
  return out;
}

/** The level name of a unit. */
export function levelOf(tree: OrgTree, unit: number): string {
  return tree.levels[tree.level[unit]!]!;
}
