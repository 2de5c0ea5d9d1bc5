/** Use cases of org units: import a file, browse the tree. */
import type { OrgUnit } from '../domain/org-unit.js';
import { readOrgUnitFile } from '../ingest/org-units.js';
import type { Store } from '../store/db.js';
import * as repo from '../store/org-units.js';
import { AppError, notFound } from './errors.js';
import { audit, authorize, SYSTEM_CONTEXT, type RequestContext } from './context.js';

export async function importOrgUnitsFile(
  store: Store,
  file: string,
  ctx: RequestContext = SYSTEM_CONTEXT,
): Promise<{ imported: number }> {
  const read = await readOrgUnitFile(file);
  if (!read.ok) {
    const shown = read.problems
      .slice(0, 50)
      .map((p) => `${p.file}:${p.line}${p.column ? ` (${p.column})` : ''}: ${p.message}`);
    const more = read.problems.length > 50 ? `\n… and ${read.problems.length - 50} more` : '';
    throw new AppError(
      'INVALID_FILE',
      `${read.problems.length} row(s) of ${file} are not valid:\n${shown.join('\n')}${more}`,
      read.problems,
    );
  }
  // A user adds units under the units they may edit; new roots (a province) come from the command line.
  if (ctx.actor.kind !== 'system') {
    const codes = new Set(read.units.map((u) => u.code));
    for (const unit of read.units) {
      if (unit.parent && codes.has(unit.parent)) continue;
      if (!unit.parent) throw new AppError('FORBIDDEN', `only the command line adds a new root unit (${unit.code})`);
      await authorize(store, ctx, 'orgunit.edit', unit.parent);
    }
  }
  await store.db.transaction().execute(async (trx) => {
    await repo.upsertOrgUnits(trx, read.units);
    await audit(trx, ctx, {
      action: 'orgunit.import',
      targetType: 'org_unit',
      after: { file, units: read.units.length },
    });
  });
  return { imported: read.units.length };
}

export interface OrgUnitWithChildren extends OrgUnit {
  children: number;
}

async function withChildCounts(store: Store, units: OrgUnit[]): Promise<OrgUnitWithChildren[]> {
  const counts = await repo.countChildren(
    store.db,
    units.map((u) => u.code),
  );
  return units.map((u) => ({ ...u, children: counts.get(u.code) ?? 0 }));
}

export async function listOrgUnits(
  store: Store,
  query: Omit<repo.OrgUnitFilter, 'kind'> & { kind?: OrgUnit['kind'] | 'all' },
): Promise<OrgUnitWithChildren[]> {
  const { kind, ...rest } = query;
  const filter: repo.OrgUnitFilter = kind === 'all' || kind === undefined ? rest : { ...rest, kind };
  if (filter.parent !== undefined && !(await repo.getOrgUnit(store.db, filter.parent)))
    throw notFound(`org unit ${filter.parent}`);
  return withChildCounts(store, await repo.listOrgUnits(store.db, filter));
}

export async function getOrgUnit(store: Store, code: string): Promise<OrgUnitWithChildren & { ancestors: OrgUnit[] }> {
  const unit = await repo.getOrgUnit(store.db, code);
  if (!unit) throw notFound(`org unit ${code}`);
  const ancestorCodes = unit.path.split('/').filter((c) => c && c !== code);
  const found = new Map((await repo.getOrgUnits(store.db, ancestorCodes)).map((u) => [u.code, u]));
  const ancestors = ancestorCodes.map((c) => found.get(c)).filter((u): u is OrgUnit => !!u);
  const [withCount] = await withChildCounts(store, [unit]);
  return { ...(withCount as OrgUnitWithChildren), ancestors };
}

export function countSubtree(store: Store, code: string): Promise<Record<string, number>> {
  return repo.countSubtree(store.db, code);
}
