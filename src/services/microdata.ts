/** Use case of household survey microdata: import records, checked like every other input. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { can } from '../domain/access.js';
import type { Issue } from '../domain/data.js';
import { parseHouseholds } from '../ingest/households.js';
import type { Store } from '../store/db.js';
import { upsertHouseholds, type HouseholdRecord } from '../store/households.js';
import { getOrgUnit } from '../store/org-units.js';
import { audit, requireSignedIn, type RequestContext } from './context.js';
import { AppError } from './errors.js';

export interface MicrodataImportResult {
  imported: number;
  changed: number;
  rejected: Issue[];
}

export async function importHouseholdsText(
  store: Store,
  ctx: RequestContext,
  text: string,
  file: string,
  options: { partial?: boolean; synthetic?: boolean } = {},
): Promise<MicrodataImportResult> {
  requireSignedIn(ctx);
  const { rows, issues } = parseHouseholds(text, file);
  const units = new Map<string, string | null>();
  for (const code of new Set(rows.map((r) => r.orgUnit)))
    units.set(code, (await getOrgUnit(store.db, code))?.path ?? null);
  const good: HouseholdRecord[] = [];
  for (const r of rows) {
    const path = units.get(r.orgUnit);
    const where = { file, row: r.row, column: 'org_unit' };
    if (!path) {
      issues.push({
        code: 'unknown_org_unit',
        severity: 'error',
        ...where,
        message: { zh: `单位代码“${r.orgUnit}”不存在`, en: `unknown org unit code "${r.orgUnit}"` },
      });
      continue;
    }
    if (!can(ctx.actor, 'microdata.import', path)) {
      issues.push({
        code: 'not_in_scope',
        severity: 'error',
        ...where,
        message: { zh: `无权导入单位${r.orgUnit}的住户数据`, en: `you may not import households of ${r.orgUnit}` },
      });
      continue;
    }
    good.push({ ...r, synthetic: options.synthetic ?? false });
  }
  issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  if (issues.length > 0 && !options.partial) {
    const code = issues.some((i) => i.code === 'not_in_scope') ? 'FORBIDDEN' : 'INVALID_FILE';
    throw new AppError(code, `${issues.length} problem(s) in ${file}; nothing was imported`, issues);
  }
  const changed = await store.db.transaction().execute(async (trx) => {
    const n = await upsertHouseholds(trx, good);
    await audit(trx, ctx, {
      action: 'microdata.import',
      targetType: 'household',
      targetId: file,
      after: { records: good.length, changed: n, rejected: issues.length },
    });
    return n;
  });
  return { imported: good.length, changed, rejected: issues };
}

export async function importHouseholdsFile(
  store: Store,
  ctx: RequestContext,
  path: string,
  options: { partial?: boolean } = {},
) {
  return importHouseholdsText(store, ctx, await readFile(path, 'utf8'), basename(path), options);
}
