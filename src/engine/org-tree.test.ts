import { describe, expect, it } from 'vitest';
import {
  OrgTreeError,
  type OrgTreeRow,
  ancestorsOf,
  buildOrgTree,
  childCount,
  childrenOf,
  isInSubtree,
  levelOf,
  subtreeUnits,
  unitIndex,
  unitsAtLevel,
} from './org-tree.js';

/**
 * A small tree, in an order where children come before their parents on purpose:
 *
 *   330700 city
 *   ├── 330702 county ── 330702001 town ── V1, V2 villages
 *   │                 └─ 330702002 town (no villages)
 *   └── 330782 county ── 330782001 town ── V3 village
 */
const ROWS: OrgTreeRow[] = [
  { code: 'V1', parent: '330702001', level: 'village' },
  { code: '330702001', parent: '330702', level: 'town' },
  { code: '330700', parent: '330000', level: 'city' }, // 330000 is not in the rows: a root
  { code: '330702', parent: '330700', level: 'county' },
  { code: 'V2', parent: '330702001', level: 'village' },
  { code: '330702002', parent: '330702', level: 'town' },
  { code: '330782', parent: '330700', level: 'county' },
  { code: '330782001', parent: '330782', level: 'town' },
  { code: 'V3', parent: '330782001', level: 'village' },
];
const tree = buildOrgTree(ROWS);
const at = (code: string) => unitIndex(tree, code);
const codesOf = (units: ArrayLike<number>) => Array.from(units, (u) => tree.codes[u]);

describe('buildOrgTree on a small tree', () => {
  it('indexes codes in input order', () => {
    expect(tree.size).toBe(9);
    expect(tree.codes).toEqual(ROWS.map((r) => r.code));
    expect(at('330782')).toBe(6);
    expect(() => at('330781')).toThrow(/unknown org unit 330781/);
  });

  it('knows parents, with an unknown parent as a root', () => {
    expect(tree.parent[at('330700')]).toBe(-1);
    expect(tree.parent[at('V1')]).toBe(at('330702001'));
    expect(codesOf(tree.roots)).toEqual(['330700']);
  });

  it('keeps children in CSR form, in input order', () => {
    expect(codesOf(childrenOf(tree, at('330700')))).toEqual(['330702', '330782']);
    expect(codesOf(childrenOf(tree, at('330702')))).toEqual(['330702001', '330702002']);
    expect(codesOf(childrenOf(tree, at('330702001')))).toEqual(['V1', 'V2']);
    expect(childCount(tree, at('330702002'))).toBe(0);
    expect(tree.childStart).toHaveLength(10);
    expect(tree.childIndex).toHaveLength(8); // every unit but the root is someone's child
  });

  it('orders top-down in preorder and bottom-up in reverse', () => {
    expect(codesOf(tree.topDown)).toEqual([
      '330700',
      '330702',
      '330702001',
      'V1',
      'V2',
      '330702002',
      '330782',
      '330782001',
      'V3',
    ]);
    expect(codesOf(tree.bottomUp)).toEqual(codesOf(tree.topDown).reverse());
  });

  it('knows depth, levels, subtree sizes and leaf counts', () => {
    expect(Array.from(tree.depth)).toEqual([3, 2, 0, 1, 3, 2, 1, 2, 3]);
    expect(tree.levels).toEqual(['city', 'county', 'town', 'village']);
    expect(levelOf(tree, at('330782001'))).toBe('town');
    expect(tree.subtreeSize[at('330700')]).toBe(9);
    expect(tree.subtreeSize[at('330702')]).toBe(5);
    expect(tree.subtreeSize[at('V3')]).toBe(1);
    // Leaves: V1, V2, 330702002 (a town with no villages), V3.
    expect(tree.leafCount[at('330700')]).toBe(4);
    expect(tree.leafCount[at('330702')]).toBe(3);
    expect(tree.leafCount[at('330702002')]).toBe(1);
  });

  it('tests subtree membership', () => {
    expect(isInSubtree(tree, at('V1'), at('330700'))).toBe(true);
    expect(isInSubtree(tree, at('V1'), at('330702'))).toBe(true);
    expect(isInSubtree(tree, at('V1'), at('V1'))).toBe(true);
    expect(isInSubtree(tree, at('V1'), at('330782'))).toBe(false);
    expect(isInSubtree(tree, at('330702'), at('V1'))).toBe(false);
    expect(isInSubtree(tree, at('V3'), at('330702002'))).toBe(false);
    expect(codesOf(subtreeUnits(tree, at('330782')))).toEqual(['330782', '330782001', 'V3']);
  });

  it('lists the units of a level under an ancestor', () => {
    expect(codesOf(unitsAtLevel(tree, 'village', at('330702')))).toEqual(['V1', 'V2']);
    expect(codesOf(unitsAtLevel(tree, 'town'))).toEqual(['330702001', '330702002', '330782001']);
    expect(codesOf(unitsAtLevel(tree, 'county', at('330782')))).toEqual(['330782']);
    expect(codesOf(unitsAtLevel(tree, 'village', at('330702002')))).toEqual([]);
    expect(codesOf(unitsAtLevel(tree, 'province'))).toEqual([]);
  });

  it('gives the ancestors from the root down', () => {
    expect(codesOf(ancestorsOf(tree, at('V2')))).toEqual(['330700', '330702', '330702001']);
    expect(ancestorsOf(tree, at('330700'))).toEqual([]);
  });
});

describe('buildOrgTree edge cases', () => {
  it('takes an empty list and a single unit', () => {
    expect(buildOrgTree([]).size).toBe(0);
    const one = buildOrgTree([{ code: 'A', parent: null, level: 'city' }]);
    expect(Array.from(one.bottomUp)).toEqual([0]);
    expect(one.leafCount[0]).toBe(1);
  });

  it('takes a forest and levels it does not know', () => {
    const forest = buildOrgTree([
      { code: 'B', parent: 'A', level: 'zone' },
      { code: 'A', level: 'zone' },
      { code: 'C', parent: null, level: 'department' },
    ]);
    expect(Array.from(forest.roots, (u) => forest.codes[u])).toEqual(['A', 'C']);
    expect(forest.levels).toEqual(['department', 'zone']);
  });

  it('refuses a code used twice', () => {
    expect(() =>
      buildOrgTree([
        { code: 'A', parent: null, level: 'city' },
        { code: 'A', parent: null, level: 'city' },
      ]),
    ).toThrow(/org unit A appears more than once \(rows 1 and 2\)/);
  });

  it('names a cycle of parents', () => {
    const rows = [
      { code: 'R', parent: null, level: 'city' },
      { code: 'X', parent: 'Z', level: 'town' }, // hangs under the cycle
      { code: 'Y', parent: 'W', level: 'town' },
      { code: 'Z', parent: 'Y', level: 'town' },
      { code: 'W', parent: 'Z', level: 'town' },
    ];
    expect(() => buildOrgTree(rows)).toThrow(OrgTreeError);
    expect(() => buildOrgTree(rows)).toThrow(/cycle of parents\): Z → Y → W → Z/);
    expect(() => buildOrgTree([{ code: 'S', parent: 'S', level: 'town' }])).toThrow(/S → S/);
  });

  it('handles a deep chain without recursion', () => {
    const n = 100_000;
    const rows = Array.from({ length: n }, (_, i) => ({ code: `U${i}`, parent: i ? `U${i - 1}` : null, level: 'x' }));
    const chain = buildOrgTree(rows);
    expect(chain.depth[n - 1]).toBe(n - 1);
    expect(chain.bottomUp[0]).toBe(n - 1);
  });
});

/** Seeded generator (mulberry32) so that a failing case can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random forest in shuffled row order: unit i's parent is an earlier unit (or none), then rows are shuffled. */
function randomRows(seed: number, n: number): OrgTreeRow[] {
  const r = rng(seed);
  const rows: OrgTreeRow[] = [];
  for (let i = 0; i < n; i++) {
    const parent = i === 0 || r() < 0.02 ? null : `N${Math.floor(r() * i)}`;
    rows.push({ code: `N${i}`, parent, level: `L${Math.floor(r() * 3)}` });
  }
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows;
}

describe('properties on random forests', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %d: children before parents, subtrees and counts agree', (seed) => {
    const t = buildOrgTree(randomRows(seed, 2000));
    const position = new Int32Array(t.size);
    t.bottomUp.forEach((u, k) => (position[u] = k));
    // Collect violations and compare once: an expect per unit is slow.
    const bad: string[] = [];
    let children = 0;
    for (let u = 0; u < t.size; u++) {
      const p = t.parent[u]!;
      if (p >= 0) {
        children++;
        if (position[u]! >= position[p]!) bad.push(`${t.codes[u]} does not precede its parent`);
        if (t.depth[u] !== t.depth[p]! + 1) bad.push(`${t.codes[u]} has the wrong depth`);
        if (!Array.from(childrenOf(t, p)).includes(u)) bad.push(`${t.codes[u]} is not among its parent's children`);
      } else if (t.depth[u] !== 0) bad.push(`root ${t.codes[u]} has depth ${t.depth[u]}`);
      // Subtree membership agrees with walking up the parents, both ways.
      for (let v = 0; v < t.size; v += 7) {
        let w = v;
        while (w >= 0 && w !== u) w = t.parent[w]!;
        if ((w === u) !== isInSubtree(t, v, u)) bad.push(`${t.codes[v]} in the subtree of ${t.codes[u]}?`);
      }
      if (subtreeUnits(t, u).some((v) => !isInSubtree(t, v, u))) bad.push(`subtree of ${t.codes[u]}`);
    }
    expect(bad).toEqual([]);
    expect(children + t.roots.length).toBe(t.size);
    expect(new Set(t.bottomUp).size).toBe(t.size); // every unit once
    expect(t.roots.reduce((s, r) => s + t.subtreeSize[r]!, 0)).toBe(t.size);
  });

  it('builds 30,000 units quickly', () => {
    const rows = randomRows(42, 30_000);
    const t = buildOrgTree(rows);
    expect(t.size).toBe(30_000);
  });
});
