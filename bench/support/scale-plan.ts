/** A plan and an org tree at province scale for benchmarks: Zhejiang's units and N synthetic indicators. */
import { readFile } from 'node:fs/promises';
import type { Plan } from '../../src/domain/plan.js';
import { planBase } from '../../src/domain/plan.js';
import { scaleIndicators } from '../../src/demo/scale.js';
import { parseOrgUnits } from '../../src/ingest/org-units.js';
import type { OrgUnitRow } from '../../src/domain/org-unit.js';

export const ZHEJIANG_FILE = new URL('../../data-sets/zhejiang-org-units.csv', import.meta.url);

export async function zhejiangOrgUnits(): Promise<OrgUnitRow[]> {
  const read = parseOrgUnits(await readFile(ZHEJIANG_FILE, 'utf8'), 'zhejiang-org-units.csv');
  if (!read.ok) throw new Error(read.problems.map((p) => p.message).join('; '));
  return read.units;
}

export function scalePlan(indicators: number): Plan {
  return planBase.parse({
    id: 'scale-zhejiang',
    title: { zh: '浙江省规模测试方案（合成）', en: 'Zhejiang scale benchmark plan (synthetic)' },
    baseYear: 2019,
    targetYear: 2025,
    rootOrgUnit: '330000',
    orgUnits: { regions: 'zhejiang-org-units.csv' },
    dimensions: [{ code: 'SCALE', name: { zh: '规模', en: 'Scale' }, source: 'synthetic' }],
    sections: [{ number: 1, title: { zh: '测试', en: 'Benchmark' }, source: 'synthetic' }],
    tasks: [
      { number: 1, section: 1, title: { zh: '测试', en: 'Benchmark' }, summary: { zh: '合成' }, source: 'synthetic' },
    ],
    indicators: scaleIndicators(indicators),
  });
}
