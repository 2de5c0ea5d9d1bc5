/**
 * Request and response schemas of the API, written once in zod and turned into JSON Schema for
 * Fastify (validation, serialisation) and for the OpenAPI document.
 */
import { z } from 'zod';
import { dimension, indicator, section, task, TASK_LISTS } from '../domain/plan.js';
import { ORG_UNIT_KINDS, ORG_UNIT_ROW_LEVELS } from '../domain/org-unit.js';
import { ACTIONS, ROLES } from '../domain/access.js';
import { VALUE_STATUSES, VINTAGES } from '../domain/data.js';

export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'output',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

export const errorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable error code, e.g. NOT_FOUND'),
    message: z.string(),
    details: z.unknown().optional(),
    correlationId: z.string().optional().describe('Quote this when reporting a server error'),
  }),
});

const localized = z.object({ zh: z.string(), en: z.string() });

export const planBody = z.object({
  id: z.string(),
  title: localized,
  shortTitle: localized.optional(),
  issuer: z.object({ zh: z.string(), en: z.string().optional() }).optional(),
  issued: z.string().optional(),
  documentUrl: z.string().optional(),
  baseYear: z.number().int(),
  targetYear: z.number().int(),
  rootOrgUnit: z.string(),
  orgUnits: z.object({ regions: z.string(), departments: z.string().optional(), boundaries: z.string().optional() }),
  units: z.record(z.string(), z.unknown()),
  evaluation: z.record(z.string(), z.unknown()),
  dimensions: z.array(dimension),
  sections: z.array(section),
  tasks: z.array(task),
  indicators: z.array(indicator),
});

export const indicatorList = z.object({ items: z.array(indicator), total: z.number().int() });
export const taskList = z.object({ items: z.array(task), total: z.number().int() });

const orgUnit = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.enum(ORG_UNIT_KINDS),
  level: z.enum(ORG_UNIT_ROW_LEVELS),
  parent: z.string().nullable(),
  path: z.string().describe("Codes from the top of the tree, e.g. '/330000/330700/330782/'"),
  depth: z.number().int(),
  attributes: z.record(z.string(), z.string()),
});
const orgUnitWithChildren = orgUnit.extend({ children: z.number().int().describe('Number of direct children') });

export const orgUnitList = z.object({ items: z.array(orgUnitWithChildren), total: z.number().int() });
export const orgUnitDetail = orgUnitWithChildren.extend({
  ancestors: z.array(orgUnit),
  subtree: z.record(z.string(), z.number().int()).describe('Units in the subtree (itself included) by level'),
});

export const health = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres']),
  plan: z.string().nullable(),
});

export const indicatorQuery = z.object({
  dimension: z.string().optional(),
  task: z.coerce.number().int().positive().optional(),
});
export const taskQuery = z.object({
  section: z.coerce.number().int().positive().optional(),
  dimension: z.string().optional(),
  list: z.enum(TASK_LISTS).optional(),
  unit: z.string().optional().describe('Tasks this unit leads or co-operates on'),
});
export const orgUnitQuery = z.object({
  parent: z.string().optional(),
  level: z.enum(ORG_UNIT_ROW_LEVELS).optional(),
  kind: z
    .enum([...ORG_UNIT_KINDS, 'all'])
    .default('region')
    .describe('region (default), department, or all'),
  within: z.string().optional().describe('Only units in the subtree of this code'),
  limit: z.coerce.number().int().min(1).max(10000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});
export const codeParam = z.object({ code: z.string().min(1).max(64) });

// Users, sign-in, tokens, audit

const grant = z.object({ role: z.enum(ROLES), unit: z.string(), unitPath: z.string() });
export const userView = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  demo: z.boolean().describe('A demo account created with the demo data'),
  disabled: z.boolean(),
  locked: z.boolean(),
  grants: z.array(grant),
});
export const userList = z.object({ items: z.array(userView), total: z.number().int() });
export const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });
export const sessionBody = z.object({
  user: userView,
  csrfToken: z.string().nullable().describe('Send it as the x-csrf-token header with every change'),
  expiresAt: z.string().nullable(),
});
export const passwordBody = z.object({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) });
export const newUserBody = z.object({
  username: z.string(),
  displayName: z.string().optional(),
  password: z.string().optional().describe('Omit to have one generated and returned once'),
  grants: z.array(z.object({ role: z.enum(ROLES), unit: z.string() })),
});
export const newUserResult = z.object({ user: userView, password: z.string().describe('Shown once') });
export const grantBody = z.object({ role: z.enum(ROLES), unit: z.string() });
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const revokeParams = z.object({ id: z.coerce.number().int().positive(), role: z.enum(ROLES), unit: z.string() });
export const tokenBody = z.object({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(ACTIONS)).min(1),
  days: z.number().int().min(1).max(366).default(90),
});
const tokenView = z.object({
  id: z.number().int(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export const tokenList = z.object({ items: z.array(tokenView) });
export const createdToken = z.object({
  id: z.number().int(),
  token: z.string().describe('Shown once: send as "Authorization: Bearer <token>"'),
  scopes: z.array(z.string()),
  expiresAt: z.string(),
});
export const auditQuery = z.object({
  user: z.coerce.number().int().optional(),
  action: z.string().optional().describe('Prefix, e.g. "auth." or "user.add"'),
  targetType: z.string().optional(),
  targetId: z.string().optional(),
  from: z.string().optional().describe('ISO date-time, inclusive'),
  to: z.string().optional().describe('ISO date-time, exclusive'),
  limit: z.coerce.number().int().min(1).max(10000).default(200),
  beforeId: z.coerce.number().int().optional(),
});
const auditRecord = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  address: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  outcome: z.enum(['ok', 'denied', 'failed']),
});
export const auditList = z.object({ items: z.array(auditRecord) });

// Data values

const issue = z.object({
  code: z.string().describe('Stable issue code, e.g. share_out_of_range'),
  severity: z.enum(['error', 'warning']),
  message: z.object({ zh: z.string(), en: z.string() }),
  file: z.string().optional(),
  sheet: z.string().optional(),
  row: z.number().int().optional(),
  column: z.string().optional(),
  indicator: z.string().optional(),
  orgUnit: z.string().optional(),
  period: z.string().optional(),
});
export const valueInput = z.object({
  indicator: z.string().min(1),
  orgUnit: z.string().min(1),
  period: z.string().min(1).describe('2024, 2024Q3 or 202407'),
  value: z.number().nullable().describe('null: reported as missing (explain in the comment)'),
  comment: z.string().max(2000).optional(),
  vintage: z.enum(VINTAGES).optional(),
  source: z.string().max(2000).optional(),
  confirmOutlier: z.boolean().optional().describe('I have checked this unusual value (needs a comment)'),
});
export const saveValuesBody = z.object({
  values: z.array(valueInput).min(1).max(5000),
  partial: z.boolean().optional().describe('Save the good values and report the bad ones (default: all or nothing)'),
});
export const saveResult = z.object({ saved: z.number().int(), changed: z.number().int(), issues: z.array(issue) });
const storedValue = z.object({
  indicator: z.string(),
  orgUnit: z.string(),
  period: z.string(),
  periodType: z.enum(['year', 'quarter', 'month']),
  value: z.number().nullable(),
  status: z.enum(VALUE_STATUSES),
  vintage: z.enum(VINTAGES).nullable(),
  source: z.string().nullable(),
  synthetic: z.boolean().describe('示例数据 / demo data: generated, not real'),
  comment: z.string().nullable(),
  confirmedOutlier: z.boolean(),
  revision: z.number().int(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});
export const valueList = z.object({ items: z.array(storedValue), total: z.number().int() });
export const valueQuery = z.object({
  indicator: z.string().optional(),
  orgUnit: z.string().optional(),
  within: z.string().optional().describe('Units in the subtree of this code'),
  period: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100000).default(10000),
});
export const historyParams = z.object({ indicator: z.string(), orgUnit: z.string(), period: z.string() });
export const historyBody = z.object({
  items: z.array(
    z.object({
      revision: z.number().int(),
      value: z.number().nullable(),
      status: z.string(),
      vintage: z.string().nullable(),
      source: z.string().nullable(),
      synthetic: z.boolean(),
      comment: z.string().nullable(),
      confirmedOutlier: z.boolean(),
      change: z.string(),
      reason: z.string().nullable(),
      changedBy: z.string().nullable(),
      changedAt: z.string(),
    }),
  ),
});
export const formQuery = z.object({ orgUnit: z.string(), period: z.string() });
export const formBody = z.object({
  orgUnit: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  period: z.string(),
  status: z.enum(VALUE_STATUSES),
  locked: z.boolean(),
  rows: z.array(
    z.object({
      indicator: z.object({
        code: z.string(),
        name: z.object({ zh: z.string(), en: z.string() }),
        unit: z.string(),
        direction: z.enum(['up', 'down']),
        bounds: z.object({ min: z.number().optional(), max: z.number().optional() }).optional(),
      }),
      previous: z.object({ period: z.string(), value: z.number().nullable() }).nullable(),
      target: z.string().nullable(),
      current: z
        .object({
          value: z.number().nullable(),
          status: z.enum(VALUE_STATUSES),
          comment: z.string().nullable(),
          synthetic: z.boolean(),
          revision: z.number().int(),
        })
        .nullable(),
      issues: z.array(issue),
    }),
  ),
});
export const returnParams = z.object({ orgUnit: z.string(), period: z.string() });
export const reasonBody = z.object({ reason: z.string().max(2000).optional() });
export const returnBody = z.object({
  orgUnit: z.string(),
  period: z.string(),
  status: z.enum(VALUE_STATUSES),
  locked: z.boolean(),
  events: z
    .array(z.object({ action: z.string(), reason: z.string().nullable(), by: z.string().nullable(), at: z.string() }))
    .optional(),
});

export const returnListQuery = z.object({
  status: z
    .string()
    .optional()
    .describe("Comma-separated statuses, e.g. submitted (an approver's queue) or draft,returned"),
  within: z.string().optional().describe('Returns of units in the subtree of this code'),
  limit: z.coerce.number().int().min(1).max(10000).default(1000),
});
export const returnList = z.object({
  items: z.array(
    z.object({
      orgUnit: z.string(),
      unitName: z.string(),
      unitLevel: z.string(),
      period: z.string(),
      status: z.enum(VALUE_STATUSES),
      locked: z.boolean(),
      updatedAt: z.string(),
      values: z.number().int().describe('Values in the return'),
      lastEvent: z
        .object({ action: z.string(), reason: z.string().nullable(), by: z.string().nullable(), at: z.string() })
        .nullable(),
      mayApprove: z.boolean().describe('The asker may approve or return it'),
    }),
  ),
  total: z.number().int(),
});

export const overdueQuery = z.object({
  orgUnit: z.string(),
  asOf: z.string().optional().describe('ISO date-time; default now'),
});
export const overdueBody = z.object({
  items: z.array(
    z.object({
      orgUnit: z.string(),
      name: z.string(),
      level: z.string(),
      items: z.array(z.object({ indicator: z.string(), period: z.string(), due: z.string() })),
    }),
  ),
});

export const templateQuery = z.object({
  orgUnit: z.string(),
  period: z.string(),
  lang: z.enum(['zh', 'en']).default('zh'),
});
export const importQuery = z.object({
  partial: z.enum(['true', 'false']).optional().describe('true: import the good rows and report the rejected ones'),
});
export const importResult = z.object({
  file: z.string(),
  rows: z.number().int(),
  saved: z.number().int(),
  changed: z.number().int(),
  rejected: z.array(issue),
  warnings: z.array(issue),
  template: z.object({ orgUnit: z.string(), period: z.string() }).nullable(),
});
export const exportQuery = valueQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export const microdataResult = z.object({
  imported: z.number().int(),
  changed: z.number().int(),
  rejected: z.array(issue),
});

// Evaluations

export const runSummary = z.object({
  id: z.number().int(),
  planId: z.string(),
  asOfYear: z.number().int(),
  requestedYear: z.number().int().nullable(),
  dataAsOf: z.string().describe('The instant of the data it read; the value history reproduces it'),
  fingerprint: z.string(),
  valuesUsed: z.number().int(),
  durationMs: z.number().int(),
  frozen: z.boolean(),
  label: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  statuses: z.record(z.string(), z.number().int()),
});
export const runList = z.object({ items: z.array(runSummary) });
export const runBody = z.object({
  year: z.number().int().min(1949).max(2100).optional(),
  freeze: z.boolean().optional(),
  label: z.string().max(200).optional(),
});
export const runParam = z.object({ id: z.union([z.literal('latest'), z.coerce.number().int().positive()]) });
export const cellQuery = z.object({ indicator: z.string().optional(), orgUnit: z.string().optional() });
export const cellList = z.object({
  items: z.array(
    z.object({
      indicator: z.string(),
      orgUnit: z.string(),
      year: z.number().int().nullable(),
      value: z.number().nullable(),
      coverage: z.number().nullable(),
      origin: z.string(),
      status: z.string(),
      detail: z.unknown().describe('Every target with its explanation, the Open SDG measure, the yearly series'),
    }),
  ),
});
export const rankingQuery = z.object({ year: z.coerce.number().int().optional() });
export const ranking = z.object({
  year: z.number().int(),
  rows: z.array(
    z.object({
      orgUnit: z.string(),
      name: z.string(),
      index: z.number().nullable(),
      coverage: z.number().nullable(),
      rank: z.number().nullable(),
      rankChange: z.number().nullable(),
      improvement: z.number().nullable(),
      improvementRank: z.number().nullable(),
      dimensions: z.record(z.string(), z.number().nullable()),
    }),
  ),
});
export const reproduction = z.object({ run: runSummary, fingerprint: z.string(), same: z.boolean() });
