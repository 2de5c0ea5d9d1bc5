// Builds the committed Excel fixtures under test/fixtures/data/ that tests upload as a reporter would:
//   yiwu-template-filled.xlsx  a template for 义乌市 (330782), 2024, plan jinhua-2021-2025, with three
//                              values filled: INC_PC 98000, URBAN_REG_UNEMPLOYMENT_RATE "2.1%" (typed as
//                              text), MARKET_ENTITIES 1234567; COUNTY_VISIT_RATE and PM25 left empty.
//   yiwu-template-broken.xlsx  its broken twin: "很多" in INC_PC's value cell, URBAN_REG_UNEMPLOYMENT_RATE
//                              1.7 (a rate above 1), MARKET_ENTITIES 1234567, and a row added under the
//                              template with the code NOT_AN_INDICATOR and the value 5.
// Values are in base units (yuan, households, fractions), as Gongfu stores them.
// Usage (from the project root): npx tsx scripts/make-data-fixtures.ts
// (The bytes differ from run to run, since the zip records the time; what the files hold does not.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { writeTemplate, type TemplateSpec } from '../src/ingest/excel-template.js';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'data');

export const YIWU_TEMPLATE: TemplateSpec = {
  planId: 'jinhua-2021-2025',
  planTitle: '金华市高质量发展建设共同富裕示范区实施方案（2021—2025年）',
  orgUnit: { code: '330782', name: '义乌市' },
  period: '2024',
  language: 'zh',
  generatedAt: new Date('2025-01-15T08:00:00Z'),
  rows: [
    {
      code: 'INC_PC',
      name: '居民人均可支配收入',
      unit: '元',
      kind: 'money',
      lastPeriod: '2023',
      lastValue: null,
      target: '≥ 75,000 (2025)',
      current: null,
      comment: null,
      bounds: { min: 0, max: 500000 },
    },
    {
      code: 'URBAN_REG_UNEMPLOYMENT_RATE',
      name: '城镇登记失业率',
      unit: '%',
      kind: 'share',
      lastPeriod: '2023',
      lastValue: null,
      target: '≤ 3.5% (2025)',
      current: null,
      comment: null,
      bounds: { min: 0, max: 1 },
    },
    {
      code: 'MARKET_ENTITIES',
      name: '市场主体总量',
      unit: '户',
      kind: 'count',
      lastPeriod: '2023',
      lastValue: null,
      target: '> 1,800,000 (2025)',
      current: null,
      comment: null,
      bounds: { min: 0, max: 5000000 },
    },
    {
      code: 'COUNTY_VISIT_RATE',
      name: '县域就诊率',
      unit: '%',
      kind: 'share',
      lastPeriod: '2023',
      lastValue: null,
      target: '≥ 90% (2025)',
      current: null,
      comment: null,
    },
    {
      code: 'PM25',
      name: 'PM2.5平均浓度',
      unit: '微克/立方米',
      kind: 'measure',
      lastPeriod: '2023',
      lastValue: null,
      target: '持续下降',
      current: null,
      comment: null,
    },
  ],
};

/** Opens a workbook, lets `fill` type into its first sheet as a user would, and saves it. */
export async function fillWorkbook(xlsx: Buffer, fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  fill(wb.worksheets[0]!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The sheet row of an indicator in a template (header on row 3: title, instructions, header). */
const rowOf = (code: string) => 4 + YIWU_TEMPLATE.rows.findIndex((r) => r.code === code);

export async function makeFilledTemplate(): Promise<Buffer> {
  return fillWorkbook(await writeTemplate(YIWU_TEMPLATE), (ws) => {
    ws.getCell(`G${rowOf('INC_PC')}`).value = 98000;
    ws.getCell(`G${rowOf('URBAN_REG_UNEMPLOYMENT_RATE')}`).value = '2.1%';
    ws.getCell(`G${rowOf('MARKET_ENTITIES')}`).value = 1234567;
  });
}

export async function makeBrokenTemplate(): Promise<Buffer> {
  return fillWorkbook(await writeTemplate(YIWU_TEMPLATE), (ws) => {
    ws.getCell(`G${rowOf('INC_PC')}`).value = '很多';
    ws.getCell(`G${rowOf('URBAN_REG_UNEMPLOYMENT_RATE')}`).value = 1.7;
    ws.getCell(`G${rowOf('MARKET_ENTITIES')}`).value = 1234567;
    const extra = 4 + YIWU_TEMPLATE.rows.length;
    ws.getCell(`A${extra}`).value = 'NOT_AN_INDICATOR';
    ws.getCell(`G${extra}`).value = 5;
  });
}

export async function makeDataFixtures(dir = FIXTURE_DIR): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: [string, Buffer][] = [
    ['yiwu-template-filled.xlsx', await makeFilledTemplate()],
    ['yiwu-template-broken.xlsx', await makeBrokenTemplate()],
  ];
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  return files.map(([name]) => join(dir, name));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of await makeDataFixtures()) console.log(`wrote ${file}`);
}
