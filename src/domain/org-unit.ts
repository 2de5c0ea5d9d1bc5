/**
 * Org units: the regions of the administrative hierarchy (GB/T 2260 and statistical division codes:
 * 330700 金华市, 330782 义乌市, 330782001 稠城街道 …) and the departments that answer for tasks.
 */
import { z } from 'zod';

export const ORG_UNIT_KINDS = ['region', 'department'] as const;
export const ORG_UNIT_ROW_LEVELS = ['province', 'city', 'county', 'town', 'village', 'department'] as const;

export const orgUnitRow = z.strictObject({
  code: z.string().regex(/^[0-9A-Za-z_-]{2,32}$/, 'a code is 2–32 letters, digits, - or _'),
  name: z.string().min(1, 'the name is empty'),
  nameEn: z.string().min(1).optional(),
  kind: z.enum(ORG_UNIT_KINDS),
  level: z.enum(ORG_UNIT_ROW_LEVELS),
  parent: z.string().min(1).nullable(),
  attributes: z.record(z.string(), z.string()).default({}),
});
export type OrgUnitInput = z.input<typeof orgUnitRow>;

export interface OrgUnit {
  code: string;
  name: string;
  nameEn: string | null;
  kind: (typeof ORG_UNIT_KINDS)[number];
  level: (typeof ORG_UNIT_ROW_LEVELS)[number];
  parent: string | null;
  /** Codes from the top of the known tree down to this unit, as '/330000/330700/330782/'. */
  path: string;
  depth: number;
  attributes: Record<string, string>;
}

export type OrgUnitRow = z.output<typeof orgUnitRow>;
