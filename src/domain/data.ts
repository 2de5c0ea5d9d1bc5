/**
 * Data values: indicator × org unit × period → number, with its status, vintage and source, and the
 * problems a value can have. Messages are in Simplified Chinese and English, because a reporter in a
 * county office reads the first and an analyst exchanging files may read the second.
 */
export const VALUE_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type ValueStatus = (typeof VALUE_STATUSES)[number];

/**
 * Official statistics come in vintages: a preliminary figure (初步核算), the final one (最终核实), then
 * revisions (e.g. after an economic census, 普查修订). The latest vintage is the current value.
 */
export const VINTAGES = ['preliminary', 'final', 'revised'] as const;
export type Vintage = (typeof VINTAGES)[number];

/** One value as it arrives, from a form, a file or another system. `value: null` = reported as missing. */
export interface ValueInput {
  indicator: string;
  orgUnit: string;
  period: string;
  value: number | null;
  comment?: string | undefined;
  vintage?: Vintage | undefined;
  /** Where the figure comes from (a bulletin, a URL, a department). */
  source?: string | undefined;
  /** Generated, not real: shown as 示例数据 / demo data wherever a user sees it. */
  synthetic?: boolean | undefined;
  /** The reporter has looked at an outlier warning and confirms the value (a comment is required). */
  confirmOutlier?: boolean | undefined;
}

/** Where a value or a problem sits in an uploaded file. Rows and columns are 1-based, as a spreadsheet shows them. */
export interface Location {
  file?: string;
  sheet?: string;
  row?: number;
  /** A column letter (C) for spreadsheets, a header name for CSV. */
  column?: string;
}

export const ISSUE_CODES = [
  // the cell itself
  'not_a_number',
  'missing_value',
  'share_out_of_range',
  'negative_count',
  'not_whole_number',
  'below_minimum',
  'above_maximum',
  // the row's keys
  'unknown_indicator',
  'unknown_org_unit',
  'bad_period',
  'wrong_periodicity',
  'level_not_applicable',
  'computed_indicator',
  'duplicate_row',
  'period_not_started',
  // the file
  'bad_header',
  'bad_file',
  'not_a_template',
  // where it may go
  'locked',
  'not_in_scope',
  // plausibility (warnings a reporter confirms with a comment)
  'jump',
  'sibling_outlier',
  'period_not_ended',
  'confirmation_needs_comment',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export interface Issue extends Location {
  code: IssueCode;
  /** Errors stop the value; warnings need confirming with a comment before submission. */
  severity: 'error' | 'warning';
  message: { zh: string; en: string };
  indicator?: string;
  orgUnit?: string;
  period?: string;
}

/** One sentence in each language: "file, sheet, row, column: reason". */
export function describeIssue(issue: Issue, language: 'zh' | 'en'): string {
  const where = [
    issue.file,
    issue.sheet && (language === 'zh' ? `工作表“${issue.sheet}”` : `sheet "${issue.sheet}"`),
    issue.row !== undefined && (language === 'zh' ? `第${issue.row}行` : `row ${issue.row}`),
    issue.column && (language === 'zh' ? `${issue.column}列` : `column ${issue.column}`),
  ].filter(Boolean);
  return `${where.join(language === 'zh' ? '，' : ', ')}${where.length ? (language === 'zh' ? '：' : ': ') : ''}${issue.message[language]}`;
}

/** Number formatting for messages: plain, no exponent, up to 6 decimals. */
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6))));

export const messages = {
  notANumber: (text: string) => ({ zh: `“${text}”不是数字`, en: `"${text}" is not a number` }),
  missingValue: () => ({
    zh: '未填写数值（缺失值请填写说明）',
    en: 'no value (explain a missing value in the comment)',
  }),
  shareOutOfRange: (v: number) => ({
    zh: `比率应在0到1之间（如73.5%填0.735或73.5%），实际为${fmt(v)}`,
    en: `a rate lies between 0 and 1 (73.5% is 0.735 or 73.5%), got ${fmt(v)}`,
  }),
  negativeCount: (v: number) => ({
    zh: `数量不能为负数，实际为${fmt(v)}`,
    en: `a count cannot be negative, got ${fmt(v)}`,
  }),
  notWholeNumber: (v: number) => ({
    zh: `数量应为整数，实际为${fmt(v)}`,
    en: `a count is a whole number, got ${fmt(v)}`,
  }),
  belowMinimum: (v: number, min: number) => ({
    zh: `${fmt(v)}低于下限${fmt(min)}`,
    en: `${fmt(v)} is below the minimum ${fmt(min)}`,
  }),
  aboveMaximum: (v: number, max: number) => ({
    zh: `${fmt(v)}高于上限${fmt(max)}`,
    en: `${fmt(v)} is above the maximum ${fmt(max)}`,
  }),
  unknownIndicator: (code: string) => ({ zh: `指标代码“${code}”不存在`, en: `unknown indicator code "${code}"` }),
  unknownOrgUnit: (code: string) => ({ zh: `单位代码“${code}”不存在`, en: `unknown org unit code "${code}"` }),
  badPeriod: (text: string, why: string) => ({
    zh: `期间“${text}”无效：${why}`,
    en: `"${text}" is not a valid period: ${why}`,
  }),
  wrongPeriodicity: (indicator: string, wanted: string) => ({
    zh: `指标${indicator}按${({ year: '年', quarter: '季度', month: '月' } as Record<string, string>)[wanted] ?? wanted}报送`,
    en: `indicator ${indicator} is reported by ${wanted}`,
  }),
  levelNotApplicable: (indicator: string, level: string) => ({
    zh: `指标${indicator}不在${({ city: '市', county: '县（市、区）', town: '乡镇（街道）', village: '村（社区）' } as Record<string, string>)[level] ?? level}一级报送`,
    en: `indicator ${indicator} is not reported at ${level} level`,
  }),
  computedIndicator: (indicator: string) => ({
    zh: `指标${indicator}由系统计算，无需填报`,
    en: `indicator ${indicator} is computed, not reported`,
  }),
  duplicateRow: (firstRow: number) => ({ zh: `与第${firstRow}行重复`, en: `repeats row ${firstRow}` }),
  locked: () => ({
    zh: '该期数据已审核锁定，需审核人解锁后才能修改',
    en: 'this period is approved and locked; an approver must unlock it first',
  }),
  notInScope: (unit: string) => ({ zh: `无权填报单位${unit}的数据`, en: `you may not report for ${unit}` }),
  jump: (v: number, previous: number, change: number) =>
    Number.isFinite(change)
      ? {
          zh: `与上期（${fmt(previous)}）相比变化${fmt(Math.round(change * 1000) / 10)}%，请核实并填写说明`,
          en: `changes ${fmt(Math.round(change * 1000) / 10)}% from the previous period (${fmt(previous)}); check it and explain in a comment`,
        }
      : {
          // From zero a change has no percentage: say what it went from and to.
          zh: `上期为${fmt(previous)}，本期为${fmt(v)}，请核实并填写说明`,
          en: `was ${fmt(previous)} in the previous period and is ${fmt(v)} now; check it and explain in a comment`,
        },
  siblingOutlier: (z: number) => ({
    zh: `与同级单位相比明显异常（稳健Z值${fmt(Math.round(z * 10) / 10)}），请核实并填写说明`,
    en: `stands out among sibling units (robust z ${fmt(Math.round(z * 10) / 10)}); check it and explain in a comment`,
  }),
  periodNotStarted: (period: string) => ({
    zh: `报告期${period}尚未开始，不能填报`,
    en: `the period ${period} has not begun: there is nothing to report yet`,
  }),
  periodNotEnded: (period: string) => ({
    zh: `报告期${period}尚未结束，该数据为预估值，请核实并填写说明`,
    en: `the period ${period} has not ended: the value is an estimate; check it and explain in a comment`,
  }),
  confirmationNeedsComment: () => ({ zh: '确认异常值时须填写说明', en: 'confirming an outlier needs a comment' }),

  // Files: headers, syntax, templates (src/ingest/values-csv.ts, src/ingest/excel-template.ts).
  percentNotAllowed: (text: string) => ({
    zh: `“${text}”是百分数，但该指标不是比率，请填写数值`,
    en: `"${text}" is a percentage, but this indicator is not a rate: write the number`,
  }),
  headerUnknownColumns: (columns: readonly string[]) => ({
    zh: `表头有无法识别的列：${columns.map((c) => `“${c}”`).join('、')}（可用列：指标代码,单位代码,期间,数值,说明 或 indicator,org_unit,period,value,comment）`,
    en: `the header has columns that are not known: ${columns.map((c) => `"${c}"`).join(', ')} (known: indicator, org_unit, period, value, comment)`,
  }),
  headerMissingColumns: (columns: readonly ('indicator' | 'org_unit' | 'period' | 'value')[]) => ({
    zh: `表头缺少必需的列：${columns.map((c) => `${{ indicator: '指标代码', org_unit: '单位代码', period: '期间', value: '数值' }[c]}（${c}）`).join('、')}`,
    en: `the header lacks required columns: ${columns.join(', ')}`,
  }),
  headerDuplicateColumn: (column: string) => ({
    zh: `表头中“${column}”列出现不止一次`,
    en: `the header has the column "${column}" more than once`,
  }),
  /** A wide table: column headers that are neither of the kind the other headers say (periods, unit codes, indicator codes). */
  headerNotAxis: (columns: readonly string[], axis: 'period' | 'orgUnit' | 'indicator') => ({
    zh: `列名${columns.map((c) => `“${c}”`).join('、')}不是${{ period: '期间（如2024、2024Q3、202407）', orgUnit: '单位代码', indicator: '指标代码' }[axis]}`,
    en: `the column headers ${columns.map((c) => `"${c}"`).join(', ')} are not ${{ period: 'periods (2024, 2024Q3, 202407)', orgUnit: 'org unit codes', indicator: 'indicator codes' }[axis]}`,
  }),
  headerNoShape: () => ({
    zh: '无法识别表格格式：长表的表头为“指标代码,单位代码,期间,数值[,说明]”；宽表在关键列之后每列为一个期间或一个单位代码',
    en: 'the layout is not recognised: a long table has the header indicator,org_unit,period,value[,comment]; a wide table has key columns followed by one column per period or per org unit',
  }),
  emptyFile: () => ({ zh: '文件为空或没有表头', en: 'the file is empty or has no header' }),
  /** `character`: the position in the line (1-based), as an editor counts. */
  csvSyntax: (problem: 'unterminated_quote' | 'after_quote' | 'quote_in_field', character: number) => ({
    zh: `CSV格式错误（第${character}个字符）：${{ unterminated_quote: '引号没有闭合', after_quote: '右引号后面还有字符', quote_in_field: '未加引号的字段中出现了引号' }[problem]}`,
    en: `CSV syntax error at character ${character}: ${{ unterminated_quote: 'a quoted field is not closed', after_quote: 'characters follow a closing quote', quote_in_field: 'a quote inside an unquoted field' }[problem]}`,
  }),
  cellWithoutHeader: () => ({
    zh: '此单元格有内容，但所在列没有列名',
    en: 'this cell has content, but its column has no header',
  }),
  notASpreadsheet: () => ({
    zh: '无法读取该文件：请上传Excel工作簿（.xlsx）',
    en: 'the file cannot be read: upload an Excel workbook (.xlsx)',
  }),
  notATemplate: () => ({
    zh: '不是从本系统下载的填报模板（缺少模板标识），请重新下载模板后填写',
    en: 'not a reporting template downloaded from Gongfu (its identity sheet is missing); download the template again',
  }),
  templateDamaged: (what: string) => ({
    zh: `填报模板的标识已损坏（${what}），请重新下载模板后填写`,
    en: `the template's identity is damaged (${what}); download the template again`,
  }),
  templateCodeChanged: (expected: string, actual: string) => ({
    zh: actual
      ? `指标代码被改动：此行原为“${expected}”，现为“${actual}”；请勿修改代码列`
      : `指标代码被删除：此行原为“${expected}”；请勿修改代码列`,
    en: actual
      ? `the indicator code was changed: this row was "${expected}", now "${actual}"; do not edit the code column`
      : `the indicator code was deleted: this row was "${expected}"; do not edit the code column`,
  }),
  templateNoCode: () => ({
    zh: '此行填了数值但没有指标代码',
    en: 'this row has a value but no indicator code',
  }),
};
