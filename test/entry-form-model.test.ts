/** The entry form's logic in the browser (web/src/pages/entry/model.ts): reading cells, changes, what is sent. */
import { describe, expect, it } from 'vitest';
import {
  buildSave,
  changeFromPrevious,
  isDirty,
  issuesByIndicator,
  localizeTarget,
  parseInput,
  toDisplayText,
  toInputText,
  type EntryForm,
  type FormRow,
} from '../web/src/pages/entry/model.js';

const row = (
  code: string,
  unit: string,
  current: number | null | undefined,
  comment: string | null = null,
): FormRow => ({
  indicator: { code, name: { zh: code, en: code }, unit, direction: 'up' },
  previous: null,
  target: null,
  current: current === undefined ? null : { value: current, status: 'draft', comment, synthetic: false, revision: 1 },
  issues: [],
});

const form = (rows: FormRow[]): EntryForm => ({
  orgUnit: { code: '330782', name: '义乌市', level: 'county' },
  period: '2025',
  status: 'draft',
  locked: false,
  rows,
});

describe('entry cells', () => {
  it('shows rates as percentages and reads them back exactly', () => {
    const share = row('SHARE', 'share', 0.735);
    expect(toInputText(0.735, 'share')).toBe('73.5%');
    expect(toInputText(0.07, 'rate')).toBe('7%'); // 0.07 * 100 is 7.000000000000001 in doubles
    expect(parseInput('73.5%', share)).toEqual({ ok: true, value: 0.735 });
    expect(parseInput('０.５', share)).toEqual({ ok: true, value: 0.5 }); // full-width digits
    expect(toDisplayText(0.735, 'share', 'zh-CN')).toBe('73.5%');
  });

  it('keeps other numbers in the unit they are stored in, grouped for reading', () => {
    const money = row('INC', 'yuan', 61000);
    expect(toInputText(61000, 'yuan')).toBe('61,000');
    expect(toInputText(260382000000, 'yuan')).toBe('260,382,000,000');
    expect(toInputText(0.3101, 'ratio')).toBe('0.3101');
    expect(parseInput(toInputText(1234567.891, 'yuan'), money)).toEqual({ ok: true, value: 1234567.891 });
    expect(parseInput('61,000', money)).toEqual({ ok: true, value: 61000 });
    expect(toDisplayText(1234567.5, 'yuan', 'en')).toBe('1,234,567.5');
    expect(toDisplayText(null, 'yuan', 'en')).toBe('—');
  });

  it('says why a cell is not a number, in the server’s words', () => {
    const count = row('POP', 'persons', undefined);
    const bad = parseInput('很多', count);
    expect(bad).toMatchObject({ ok: false, issue: { code: 'not_a_number', indicator: 'POP' } });
    if (!bad.ok) expect(bad.issue.message).toEqual({ zh: '“很多”不是数字', en: '"很多" is not a number' });
    const percent = parseInput('5%', count);
    expect(percent).toMatchObject({ ok: false, issue: { code: 'percent_not_allowed' } });
    expect(parseInput('—', count)).toEqual({ ok: true, value: null }); // the office's mark for "no figure"
  });
});

describe('what the form sends', () => {
  it('counts only real changes: the same number written differently is not one', () => {
    const r = row('INC', 'yuan', 61000, '快报');
    expect(isDirty(r, { text: '61,000', comment: '快报', confirm: false })).toBe(false);
    expect(isDirty(r, { text: '61500', comment: '快报', confirm: false })).toBe(true);
    expect(isDirty(r, { text: '61000', comment: '年报', confirm: false })).toBe(true);
    expect(isDirty(r, { text: '61000', comment: '快报', confirm: true })).toBe(true);
    expect(isDirty(row('NEW', 'yuan', undefined), { text: '', comment: '', confirm: false })).toBe(false);
  });

  it('sends changed rows, a cleared saved value as missing, and holds back cells that are not numbers', () => {
    const f = form([
      row('SAME', 'yuan', 100),
      row('CHANGED', 'share', 0.5),
      row('CLEARED', 'persons', 12, '旧说明'),
      row('BAD', 'persons', undefined),
      row('CONFIRMED', 'yuan', 90000),
    ]);
    const { values, errors } = buildSave(f, {
      SAME: { text: '100', comment: '', confirm: false },
      CHANGED: { text: '52%', comment: ' ', confirm: false },
      CLEARED: { text: '', comment: '监测站检修', confirm: false },
      BAD: { text: '12人', comment: '', confirm: false },
      CONFIRMED: { text: '90000', comment: '项目投产', confirm: true },
    });
    expect(values).toEqual([
      { indicator: 'CHANGED', orgUnit: '330782', period: '2025', value: 0.52 },
      { indicator: 'CLEARED', orgUnit: '330782', period: '2025', value: null, comment: '监测站检修' },
      {
        indicator: 'CONFIRMED',
        orgUnit: '330782',
        period: '2025',
        value: 90000,
        comment: '项目投产',
        confirmOutlier: true,
      },
    ]);
    expect([...errors.keys()]).toEqual(['BAD']);
    expect(errors.get('BAD')![0]!.code).toBe('not_a_number');
  });

  it('puts each of the server’s issues under its row, and the others apart', () => {
    const f = form([row('POP', 'persons', 1)]);
    const issue = (indicator?: string) => ({
      code: 'x',
      severity: 'error' as const,
      message: { zh: '', en: '' },
      ...(indicator && { indicator }),
    });
    const by = issuesByIndicator([issue('POP'), issue('NOPE'), issue()], f);
    expect(by.get('POP')).toHaveLength(1);
    expect(by.get('')).toHaveLength(2);
  });
});

describe('targets and changes beside the cell', () => {
  it('says the server’s target in the reader’s language and the cell’s unit', () => {
    expect(localizeTarget('>= 75000 (2025)', 'yuan', 'zh-CN')).toBe('2025年≥ 75,000');
    expect(localizeTarget('>= 75000 (2025)', 'yuan', 'en')).toBe('≥ 75,000 by 2025');
    expect(localizeTarget('>= 0.9 (2025)', 'share', 'zh-CN')).toBe('2025年≥ 90%');
    expect(localizeTarget('~ 2 ± 0.1 (2025)', 'ratio', 'en')).toBe('≈ 2 ± 0.1 by 2025');
    expect(localizeTarget('>= 15%/yr', 'yuan', 'zh-CN')).toBe('年均增长≥ 15%');
    expect(localizeTarget('>= 30 every year', 'count', 'zh-CN')).toBe('每年≥ 30');
    expect(localizeTarget('>= 500000 in total by 2025', 'persons', 'en')).toBe('≥ 500,000 in total by 2025');
    expect(localizeTarget('falling every year', 'ug_m3', 'zh-CN')).toBe('逐年下降');
    expect(localizeTarget('rank <= 6 in 330000', 'yuan', 'zh-CN')).toBe('rank <= 6 in 330000');
    expect(localizeTarget(null, 'yuan', 'zh-CN')).toBe('—');
  });

  it('computes the change from last period, and none from zero or nothing', () => {
    expect(changeFromPrevious(110, 100)).toBeCloseTo(0.1, 12);
    expect(changeFromPrevious(-5, -10)).toBeCloseTo(0.5, 12);
    expect(changeFromPrevious(5, 0)).toBeNull();
    expect(changeFromPrevious(null, 3)).toBeNull();
    expect(changeFromPrevious(3, null)).toBeNull();
  });
});
