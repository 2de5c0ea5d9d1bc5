/**
 * Household survey records from CSV: `household_id,org_unit,year,urban_rural,size,disposable_income,weight`
 * (column order free; urban_rural also as 城镇/农村). Every bad cell is reported with its row and column.
 */
import type { Issue } from '../domain/data.js';
import { parseCsv } from './csv.js';
import { parseCellNumber } from './number.js';

export const HOUSEHOLD_COLUMNS = [
  'household_id',
  'org_unit',
  'year',
  'urban_rural',
  'size',
  'disposable_income',
  'weight',
] as const;

export interface HouseholdRow {
  householdId: string;
  orgUnit: string;
  year: number;
  urbanRural: 'urban' | 'rural';
  size: number;
  disposableIncome: number;
  weight: number;
  row: number;
}

const bilingual = (zh: string, en: string) => ({ zh, en });

export function parseHouseholds(text: string, file: string): { rows: HouseholdRow[]; issues: Issue[] } {
  const table = parseCsv(text);
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const issues: Issue[] = [];
  const missing = HOUSEHOLD_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    issues.push({
      code: 'bad_header',
      severity: 'error',
      file,
      row: 1,
      message: bilingual(`缺少列：${missing.join('、')}`, `missing column(s): ${missing.join(', ')}`),
    });
    return { rows: [], issues };
  }
  const col = Object.fromEntries(HOUSEHOLD_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof HOUSEHOLD_COLUMNS)[number],
    number
  >;
  const rows: HouseholdRow[] = [];
  const seen = new Map<string, number>();
  table.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.length === 1 && cells[0] === '') return;
    const at = (column: string, zh: string, en: string): void => {
      issues.push({ code: 'not_a_number', severity: 'error', file, row, column, message: bilingual(zh, en) });
    };
    const cell = (c: (typeof HOUSEHOLD_COLUMNS)[number]) => (cells[col[c]] ?? '').trim();
    const number = (c: (typeof HOUSEHOLD_COLUMNS)[number]): number | undefined => {
      const parsed = parseCellNumber(cell(c));
      if (parsed.ok && parsed.value !== null) return parsed.value;
      at(c, `“${cell(c)}”不是数字`, `"${cell(c)}" is not a number`);
      return undefined;
    };
    const before = issues.length;
    const householdId = cell('household_id');
    if (!householdId) at('household_id', '户编号为空', 'the household id is empty');
    const orgUnit = cell('org_unit');
    if (!orgUnit) at('org_unit', '单位代码为空', 'the org unit is empty');
    const year = number('year');
    if (year !== undefined && (!Number.isInteger(year) || year < 1949 || year > 2100))
      at('year', `年份${year}无效`, `${year} is not a year`);
    const ur = cell('urban_rural');
    const urbanRural =
      ur === 'urban' || ur === '城镇' ? 'urban' : ur === 'rural' || ur === '农村' ? 'rural' : undefined;
    if (!urbanRural)
      at(
        'urban_rural',
        `城乡属性应为urban/rural（城镇/农村），实际为“${ur}”`,
        `urban_rural is urban or rural, got "${ur}"`,
      );
    const size = number('size');
    if (size !== undefined && (!Number.isInteger(size) || size < 1))
      at('size', `家庭人口应为正整数，实际为${size}`, `the household size is a whole number ≥ 1, got ${size}`);
    const disposableIncome = number('disposable_income');
    const weight = number('weight');
    if (weight !== undefined && weight < 0)
      at('weight', `权重不能为负，实际为${weight}`, `a weight cannot be negative, got ${weight}`);
    if (issues.length > before) return;
    const key = `${year}|${householdId}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        code: 'duplicate_row',
        severity: 'error',
        file,
        row,
        column: 'household_id',
        message: bilingual(`与第${first}行重复`, `repeats row ${first}`),
      });
      return;
    }
    seen.set(key, row);
    rows.push({
      householdId,
      orgUnit,
      year: year!,
      urbanRural: urbanRural!,
      size: size!,
      disposableIncome: disposableIncome!,
      weight: weight!,
      row,
    });
  });
  return { rows, issues };
}
