/** Repository of household survey records. */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

export interface HouseholdRecord {
  householdId: string;
  orgUnit: string;
  year: number;
  urbanRural: 'urban' | 'rural';
  size: number;
  disposableIncome: number;
  weight: number;
  synthetic: boolean;
}

const BATCH = 2000;

/** Inserts records, replacing those with the same (year, household id). Returns how many changed. */
export async function upsertHouseholds(db: Db, rows: readonly HouseholdRecord[]): Promise<number> {
  let changed = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const r = await db
      .insertInto('household')
      .values(
        rows.slice(i, i + BATCH).map((h) => ({
          household_id: h.householdId,
          org_unit: h.orgUnit,
          year: h.year,
          urban_rural: h.urbanRural,
          size: h.size,
          disposable_income: h.disposableIncome,
          weight: h.weight,
          synthetic: h.synthetic,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['year', 'household_id'])
          .doUpdateSet((eb) => ({
            org_unit: eb.ref('excluded.org_unit'),
            urban_rural: eb.ref('excluded.urban_rural'),
            size: eb.ref('excluded.size'),
            disposable_income: eb.ref('excluded.disposable_income'),
            weight: eb.ref('excluded.weight'),
            synthetic: eb.ref('excluded.synthetic'),
          }))
          .where(({ eb, ref }) =>
            eb(
              sql`(household.org_unit, household.urban_rural, household.size, household.disposable_income, household.weight, household.synthetic)`,
              'is distinct from',
              sql`(${ref('excluded.org_unit')}, ${ref('excluded.urban_rural')}, ${ref('excluded.size')}, ${ref('excluded.disposable_income')}, ${ref('excluded.weight')}, ${ref('excluded.synthetic')})`,
            ),
          ),
      )
      .executeTakeFirst();
    changed += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return changed;
}

/** The records of units in a subtree (by materialised path), every year, in year and household order. */
export async function householdsWithin(db: Db, rootPath: string) {
  return db
    .selectFrom('household as h')
    .innerJoin('org_unit as u', 'u.code', 'h.org_unit')
    .select(['h.year', 'h.org_unit', 'h.urban_rural', 'h.size', 'h.disposable_income', 'h.weight'])
    .where('u.path', 'like', `${rootPath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    .orderBy('h.year')
    .orderBy('h.household_id')
    .execute();
}

export async function countHouseholds(db: Db): Promise<number> {
  const r = await db
    .selectFrom('household')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
