import { describe, expect, it } from 'vitest';
import { appraisalSchemeFile, type AppraisalScheme } from '../domain/appraisal-scheme.js';
import { describeNote, roundTo, scoreAppraisal, type AppraisalUnitInput } from './appraisal.js';

const t = (zh: string) => ({ zh, en: zh });

/** A county scheme: four components (40/25/20/15 points), three rules, caps on bonuses and deductions. */
function scheme(over: Partial<Record<string, unknown>> = {}): AppraisalScheme {
  return appraisalSchemeFile.parse({
    schemes: [
      {
        id: 'test',
        subject: 'county',
        version: 1,
        title: t('测试'),
        validFrom: '2024Q1',
        note: 'test',
        bonusCap: 5,
        deductionCap: 10,
        components: [
          { code: 'ind', source: 'indicator_index', title: t('指标'), weight: 40, note: 'n' },
          { code: 'tasks', source: 'task_completion', title: t('任务'), weight: 25, note: 'n' },
          { code: 'problems', source: 'problem_control', title: t('问题'), weight: 20, note: 'n' },
          { code: 'sat', source: 'satisfaction', title: t('满意度'), weight: 15, note: 'n' },
        ],
        rules: [
          { code: 'pilot', title: t('国家试点'), points: 2, cap: 4, note: 'n' },
          { code: 'accident', title: t('重大安全事故'), points: -5, note: 'n' },
          {
            code: 'overdue',
            title: t('整改逾期'),
            points: -0.5,
            cap: 3,
            automatic: 'overdue_rectification',
            note: 'n',
          },
        ],
        ...over,
      },
    ],
  }).schemes[0]!;
}

const unit = (code: string, over: Partial<AppraisalUnitInput>): AppraisalUnitInput => ({
  unit: code,
  indicatorIndex: { value: 80, se: 0 },
  tasks: { due: 10, metOnTime: 10 },
  problems: { index: 100, overdue: 0, reopenEvents: 0 },
  satisfaction: { value: 100, se: 0 },
  ...over,
});

describe('scoreAppraisal: a worked example of four counties', () => {
  // A: 40·0.80 + 25·0.90 + 20·0.70 + 15·0.85 = 32 + 22.5 + 14 + 12.75 = 81.25;
  //    3 pilots: 3·2 = 6 → rule cap 4; 8 overdue: 8·−0.5 = −4 → rule cap −3; total 81.25 + 4 − 3 = 82.25.
  //    SE = 0.15·2 = 0.30.
  // B: 34 + 20 + 12 + 12 = 78; one major accident −5 → 73. SE 0.15·2 = 0.30.
  // C: 28 + 25 + 16 + 15·88.333/100 = 13.25 → 82.25 (equal to A once rounded to 2 decimals). SE 0.15·3 = 0.45.
  // D: no milestones due: tasks missing; reweighting 100/75 = 4/3: (32.8 + 15 + 12.6)·4/3 = 80.5333 → 80.53.
  //    SE = 4/3·0.15·10 = 2.0.
  // Ranks (competition, "1134"): A 1, C 1, D 3, B 4.
  // Notes in rank order A, C, D, B: A–C tied; C–D gap 1.72 < 1.96·√(0.45² + 2²) = 4.018 → within the
  // uncertainty; D–B gap 7.53 > 1.96·√(2² + 0.3²) = 3.964 → clear.
  const inputs: AppraisalUnitInput[] = [
    unit('A', {
      indicatorIndex: { value: 80, se: 0 },
      tasks: { due: 10, metOnTime: 9 },
      problems: { index: 70, overdue: 8, reopenEvents: 0 },
      satisfaction: { value: 85, se: 2 },
      events: [{ rule: 'pilot', quantity: 3, ref: 'e1' }],
      previousRank: 2,
    }),
    unit('B', {
      indicatorIndex: { value: 85, se: 0 },
      tasks: { due: 10, metOnTime: 8 },
      problems: { index: 60, overdue: 0, reopenEvents: 0 },
      satisfaction: { value: 80, se: 2 },
      events: [{ rule: 'accident', ref: 'e2' }],
      previousRank: 1,
    }),
    unit('C', {
      indicatorIndex: { value: 70, se: 0 },
      tasks: { due: 4, metOnTime: 4 },
      problems: { index: 80, overdue: 0, reopenEvents: 0 },
      satisfaction: { value: 265 / 3, se: 3 },
    }),
    unit('D', {
      indicatorIndex: { value: 82, se: 0 },
      tasks: { due: 0, metOnTime: 0 },
      problems: { index: 75, overdue: 0, reopenEvents: 0 },
      satisfaction: { value: 84, se: 10 },
      previousRank: 3,
    }),
  ];
  const [a, b, c, d] = scoreAppraisal(scheme(), inputs);

  it('adds weighted component points', () => {
    expect(a!.components.map((x) => [x.code, x.score, x.points])).toEqual([
      ['ind', 80, 32],
      ['tasks', 90, 22.5],
      ['problems', 70, 14],
      ['sat', 85, 12.75],
    ]);
    expect(a!.componentPoints).toBeCloseTo(81.25, 12);
    expect(b!.componentPoints).toBeCloseTo(78, 12);
  });

  it('caps each rule, then sums bonuses and deductions', () => {
    expect(a!.rules).toEqual([
      { rule: 'pilot', automatic: false, pointsEach: 2, quantity: 3, raw: 6, points: 4, capped: true, refs: ['e1'] },
      { rule: 'overdue', automatic: true, pointsEach: -0.5, quantity: 8, raw: -4, points: -3, capped: true, refs: [] },
    ]);
    expect([a!.bonus, a!.deduction, a!.total]).toEqual([4, 3, 82.25]);
    expect([b!.bonus, b!.deduction, b!.total]).toEqual([0, 5, 73]);
  });

  it('reweights a missing component', () => {
    expect(d!.components[1]).toMatchObject({ code: 'tasks', raw: null, score: null, points: 0 });
    expect(d!.reweighting).toBeCloseTo(4 / 3, 12);
    expect(d!.components[0]!.points).toBeCloseTo((32.8 * 4) / 3, 12);
    expect(d!.unlimitedTotal).toBeCloseTo(80.5333333, 6);
    expect(d!.total).toBe(80.53);
    expect(d!.se).toBeCloseTo(2, 12);
  });

  it('ranks with ties on the published total (competition: 1, 1, 3, 4) and gives rank change', () => {
    expect(c!.total).toBe(82.25);
    expect([a, b, c, d].map((x) => x!.rank)).toEqual([1, 4, 1, 3]);
    expect([a, b, c, d].map((x) => x!.rankChange)).toEqual([1, -3, null, 0]);
  });

  it('notes whether neighbouring totals differ by more than the combined uncertainty', () => {
    expect(a!.above).toBeNull();
    expect(a!.below).toMatchObject({ unit: 'C', gap: 0, verdict: 'tied' });
    expect(c!.below).toMatchObject({ unit: 'D', gap: 1.72, verdict: 'within_uncertainty' });
    expect(c!.below!.margin).toBeCloseTo(1.96 * Math.hypot(0.45, 2), 12);
    expect(d!.above).toMatchObject({ unit: 'C', verdict: 'within_uncertainty' });
    expect(d!.below).toMatchObject({ unit: 'B', gap: 7.53, verdict: 'clear' });
    expect(d!.below!.margin).toBeCloseTo(3.964, 3);
    expect(b!.below).toBeNull();
    expect(describeNote(c!.below!, 'below').zh).toContain('差异不显著');
    expect(describeNote(a!.below!, 'below').en).toContain('tied');
  });
});

describe('scoreAppraisal: caps and floors', () => {
  it('holds a component score within its floor and cap', () => {
    const s = scheme();
    s.components[3] = { ...s.components[3]!, floor: 60, cap: 95 };
    const [low, high] = scoreAppraisal(s, [
      unit('L', { satisfaction: { value: 40, se: 0 } }),
      unit('H', { satisfaction: { value: 99, se: 0 } }),
    ]);
    // 15 · 60/100 = 9 and 15 · 95/100 = 14.25.
    expect(low!.components[3]).toMatchObject({ raw: 40, score: 60, limited: 'floor', points: 9 });
    expect(high!.components[3]).toMatchObject({ raw: 99, score: 95, limited: 'cap', points: 14.25 });
  });

  it('caps all bonuses together and all deductions together', () => {
    const s = scheme({
      bonusCap: 5,
      deductionCap: 6,
      rules: [
        { code: 'pilot', title: t('国家试点'), points: 2, cap: 4, note: 'n' },
        { code: 'award', title: t('表彰'), points: 3, note: 'n' },
        { code: 'accident', title: t('重大安全事故'), points: -5, note: 'n' },
        { code: 'overdue', title: t('整改逾期'), points: -0.5, cap: 3, automatic: 'overdue_rectification', note: 'n' },
      ],
    });
    // Components all 100/80: 32 + 25 + 20 + 15 = 92. Bonuses 4 + 3 = 7 → 5; deductions 5 + 1.5 = 6.5 → 6. 92 + 5 − 6 = 91.
    const [u] = scoreAppraisal(s, [
      unit('U', {
        problems: { index: 100, overdue: 3, reopenEvents: 0 },
        events: [{ rule: 'pilot', quantity: 2 }, { rule: 'award' }, { rule: 'accident' }],
      }),
    ]);
    expect(u!.rules.map((r) => [r.rule, r.points])).toEqual([
      ['pilot', 4],
      ['award', 3],
      ['accident', -5],
      ['overdue', -1.5],
    ]);
    expect(u).toMatchObject({ bonus: 5, bonusCapped: true, deduction: 6, deductionCapped: true, total: 91 });
  });

  it('holds the total within its floor and cap', () => {
    const s = scheme({ total: { floor: 60, cap: 100 }, bonusCap: 20 });
    const [low, high] = scoreAppraisal(s, [
      // 0 + 0 + 0 + 0 − 5 = −5 → floor 60.
      unit('L', {
        indicatorIndex: { value: 0, se: 0 },
        tasks: { due: 1, metOnTime: 0 },
        problems: { index: 0, overdue: 0, reopenEvents: 0 },
        satisfaction: { value: 0, se: 0 },
        events: [{ rule: 'accident' }],
      }),
      // 92 + 4 = 96 ≤ 100 … with all 100: 100 + 4 = 104 → cap 100.
      unit('H', { indicatorIndex: { value: 100, se: 0 }, events: [{ rule: 'pilot', quantity: 2 }] }),
    ]);
    expect(low).toMatchObject({ unlimitedTotal: -5, limited: 'floor', total: 60 });
    expect(high).toMatchObject({ unlimitedTotal: 104, limited: 'cap', total: 100 });
  });

  it('scores a missing component 0 under `zero`', () => {
    // 32 + 0 + 20 + 15 = 67.
    const [u] = scoreAppraisal(scheme({ whenComponentMissing: 'zero' }), [unit('U', { tasks: null })]);
    expect(u).toMatchObject({ reweighting: 1, total: 67 });
  });

  it('counts reopenings for a reopened-problem rule', () => {
    const s = scheme({
      rules: [{ code: 'reopen', title: t('反弹'), points: -1, cap: 2, automatic: 'reopened_problem', note: 'n' }],
    });
    const [u] = scoreAppraisal(s, [unit('U', { problems: { index: 100, overdue: 0, reopenEvents: 1 } })]);
    expect(u!.rules).toMatchObject([{ rule: 'reopen', quantity: 1, points: -1, capped: false }]);
    expect(u!.total).toBe(92 - 1);
  });
});

describe('scoreAppraisal: refusals and rounding', () => {
  it('refuses unknown rules, hand-recorded automatic ones, duplicate units and impossible task counts', () => {
    expect(() => scoreAppraisal(scheme(), [unit('U', { events: [{ rule: 'nope' }] })])).toThrow(/rule nope/);
    expect(() => scoreAppraisal(scheme(), [unit('U', { events: [{ rule: 'overdue' }] })])).toThrow(/from the loop/);
    expect(() => scoreAppraisal(scheme(), [unit('U', {}), unit('U', {})])).toThrow(/twice/);
    expect(() => scoreAppraisal(scheme(), [unit('U', { tasks: { due: 2, metOnTime: 3 } })])).toThrow(/3 milestones/);
  });

  it('rounds half away from zero on the decimal value', () => {
    expect(roundTo(2.675, 2)).toBe(2.68);
    expect(roundTo(-2.675, 2)).toBe(-2.68);
    expect(roundTo(82.24999999999999, 2)).toBe(82.25);
    expect(roundTo(1e-9, 2)).toBe(0);
  });

  it('ties every unit when all totals are equal, and ranks a single unit 1', () => {
    const r = scoreAppraisal(scheme(), [unit('X', {}), unit('Y', {}), unit('Z', {})]);
    expect(r.map((u) => u.rank)).toEqual([1, 1, 1]);
    expect(scoreAppraisal(scheme(), [unit('S', {})])[0]).toMatchObject({ rank: 1, above: null, below: null });
  });
});
