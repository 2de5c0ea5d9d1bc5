/** Schemas of the task-list and closed-loop routes (lists, items, reports, problems, inbox, loop figures). */
import { z } from 'zod';
import { CATEGORY_CODES, FOUND_BY, PROBLEM_STATUSES, TRANSITIONS } from '../domain/problem-workflow.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../services/problems.js';
import { TASK_LISTS } from '../domain/plan.js';
import { PRIORITIES, TASK_ITEM_STATUSES } from '../store/tasks.js';

const localized = z.object({ zh: z.string(), en: z.string() });
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('YYYY-MM-DD');
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const shaParam = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });

const unitRef = z.object({ unit: z.string(), demo: z.boolean().describe('a demo assignment (示例数据)') });
const milestone = z.object({
  id: z.number().int(),
  title: z.string(),
  due: z.string(),
  reachedAt: z.string().nullable(),
  overdue: z.boolean(),
});
export const taskItem = z.looseObject({
  id: z.number().int(),
  planId: z.string(),
  list: z.enum(TASK_LISTS),
  listLabel: localized,
  taskNumber: z.number().int().nullable(),
  origin: z.enum(['plan', 'user']),
  parentId: z.number().int().nullable(),
  title: z.object({ zh: z.string(), en: z.string().nullable() }),
  description: z.string().nullable(),
  leadUnit: z.string().nullable(),
  leadDemo: z.boolean().describe('The lead unit is a demo assignment (示例数据), not the plan office decision'),
  cooperating: z.array(unitRef),
  scopeUnit: z.string(),
  indicators: z.array(z.string()),
  status: z.enum(TASK_ITEM_STATUSES),
  statusLabel: localized,
  priority: z.enum(PRIORITIES),
  percentComplete: z.number().int(),
  milestones: z.array(milestone),
  reform: z
    .object({
      addressedTo: z.string().nullable(),
      requestedAt: z.string().nullable(),
      reply: z.string().nullable(),
      repliedAt: z.string().nullable(),
      daysWaiting: z.number().int().nullable(),
    })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const taskEvent = z.looseObject({
  kind: z.string(),
  text: z.string().nullable(),
  percent: z.number().nullable(),
  milestoneId: z.number().nullable(),
  milestoneReached: z.boolean().nullable(),
  statusFrom: z.string().nullable(),
  statusTo: z.string().nullable(),
  evidence: z.array(z.object({ sha256: z.string(), fileName: z.string(), mediaType: z.string(), size: z.number() })),
  data: z.unknown(),
  by: z.string().nullable(),
  at: z.string(),
});
export const taskItemDetail = taskItem.extend({ history: z.array(taskEvent) });
export const taskItemList = z.object({ items: z.array(taskItem), total: z.number().int() });
export const taskLists = z.object({
  items: z.array(
    z.object({
      code: z.enum(TASK_LISTS),
      label: localized,
      items: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
      demoLeads: z.number().int(),
    }),
  ),
});
export const taskItemQuery = z.object({
  list: z.enum(TASK_LISTS).optional(),
  status: z.enum(TASK_ITEM_STATUSES).optional(),
  task: z.coerce.number().int().positive().optional(),
  unit: z.string().optional().describe('Items this unit leads or co-operates on'),
});
const milestoneInput = z.object({ title: z.string().min(1).max(500), due: date });
export const newItemBody = z.object({
  list: z.enum(TASK_LISTS),
  taskNumber: z.number().int().positive().nullable().optional(),
  titleZh: z.string().min(1).max(500),
  titleEn: z.string().max(500).optional(),
  description: z.string().max(5000).optional(),
  leadUnit: z.string().optional(),
  cooperating: z.array(z.string()).optional(),
  scopeUnit: z.string().optional(),
  indicators: z.array(z.string()).optional(),
  priority: z.enum(PRIORITIES).optional(),
  milestones: z.array(milestoneInput).optional(),
  addressedTo: z.string().max(200).optional().describe('Reform requests: the higher level it goes to'),
  requestedAt: date.optional(),
});
export const itemChangeBody = z.object({
  titleZh: z.string().min(1).max(500).optional(),
  titleEn: z.string().max(500).optional(),
  description: z.string().max(5000).optional(),
  leadUnit: z.string().nullable().optional(),
  cooperating: z.array(z.string()).optional(),
  scopeUnit: z.string().optional(),
  indicators: z.array(z.string()).optional(),
  status: z.enum(TASK_ITEM_STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  list: z.enum(TASK_LISTS).optional(),
  addMilestones: z.array(milestoneInput).optional(),
  addressedTo: z.string().max(200).optional(),
  requestedAt: date.optional(),
  reason: z.string().max(2000).optional(),
});
export const splitBody = z.object({
  parts: z
    .array(
      z.object({
        titleZh: z.string().min(1).max(500),
        titleEn: z.string().max(500).optional(),
        leadUnit: z.string().optional(),
        scopeUnit: z.string().optional(),
      }),
    )
    .min(2),
});
export const splitResult = z.object({ items: z.array(taskItem) });
export const reportBody = z.object({
  text: z.string().min(1).max(10000),
  percentComplete: z.number().int().min(0).max(100).optional(),
  milestoneId: z.number().int().optional(),
  milestoneReached: z.boolean().optional(),
  evidence: z
    .array(z.object({ fileName: z.string().min(1).max(255), mediaType: z.string(), contentBase64: z.string() }))
    .max(10)
    .optional()
    .describe('Files (PDF, JPEG, PNG, text, CSV, XLSX, DOCX; 5 MB each), base64'),
});
export const commentBody = z.object({ text: z.string().min(1).max(5000) });
export const replyBody = z.object({ reply: z.string().min(1).max(10000), repliedAt: date.optional() });

// Problems

const problemEvent = z.looseObject({
  kind: z.string(),
  transition: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string().nullable(),
  data: z.unknown(),
  by: z.string().nullable(),
  byUserId: z.number().int().nullable(),
  at: z.string(),
});
export const problem = z.looseObject({
  id: z.number().int(),
  planId: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  category: z.string(),
  categoryLabel: localized,
  sevenLists: z.boolean().describe('One of the seven problem lists (七张问题清单)'),
  source: z.object({
    kind: z.enum(['indicator', 'item', 'milestone', 'free']),
    indicator: z.string().nullable(),
    period: z.string().nullable(),
    itemId: z.number().int().nullable(),
    milestoneId: z.number().int().nullable(),
  }),
  orgUnit: z.string(),
  orgUnitName: z.string(),
  foundBy: z.enum(FOUND_BY),
  status: z.enum(PROBLEM_STATUSES),
  statusLabel: localized,
  assignedUnit: z.string().nullable(),
  assignedUnitName: z.string().nullable(),
  assignee: z.number().int().nullable(),
  deadline: z.string().nullable(),
  reopened: z.number().int().describe('Times verification failed'),
  redRuns: z.number().int().nullable(),
  lastRunId: z.number().int().nullable(),
  recoveredAt: z.string().nullable().describe('Automatic alerts: when the indicator was back on track'),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  daysOverdue: z.number().int(),
  escalationLevel: z.number().int(),
  escalatedTo: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  allowedTransitions: z.array(z.enum(TRANSITIONS)).describe('What the caller may do to it now'),
});
export const problemDetail = problem.extend({
  evidence: z.unknown().describe('Automatic alerts: the value, target and projection of the latest run'),
  history: z.array(problemEvent),
});
export const problemList = z.object({
  items: z.array(problem).describe('One page, without the evidence (GET /problems/{id} has it)'),
  total: z.number().int().describe('How many problems match in all'),
  limit: z.number().int(),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable().describe('The offset of the next page; null on the last'),
});
const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');
export const problemQuery = z.object({
  status: z
    .string()
    .optional()
    .describe(`Comma-separated: ${PROBLEM_STATUSES.join(', ')}`),
  orgUnit: z.string().optional().describe('About this unit’s subtree or assigned to a unit in it'),
  overdue: boolish.optional(),
  assignee: z.string().optional().describe("A user id, or 'me'"),
  category: z.enum(CATEGORY_CODES).optional(),
  foundBy: z.enum(FOUND_BY).optional(),
  indicator: z.string().optional(),
  limit: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`Problems per page (at most ${MAX_PAGE_SIZE}; 0: only the total)`),
  offset: z.coerce.number().int().min(0).default(0),
  order: z
    .enum(['newest', 'urgent'])
    .default('newest')
    .describe('newest: latest raised first; urgent: overdue first, the longest overdue first, then the oldest'),
});
export const raiseBody = z.object({
  title: z.string().min(1).max(500),
  description: z.string().max(10000).optional(),
  category: z.enum(CATEGORY_CODES),
  orgUnit: z.string(),
  indicator: z.string().optional(),
  period: z.string().optional(),
  itemId: z.number().int().optional(),
  foundBy: z.enum(['self', 'higher']).optional(),
  assignedUnit: z.string().optional(),
});
export const transitionBody = z.object({
  transition: z.enum(TRANSITIONS),
  reason: z.string().max(10000).optional(),
  assignedUnit: z.string().optional(),
  assignee: z.number().int().optional(),
  deadline: z.string().optional().describe('assign: YYYY-MM-DD (end of that day, China time) or an ISO date-time'),
});
export const categories = z.object({
  items: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string(), sevenLists: z.boolean() })),
});
const figures = z.object({
  group: z.string(),
  name: z.string(),
  total: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  closed: z.number().int(),
  closedOnTime: z.number().int(),
  onTimeRate: z.number().nullable(),
  averageDaysToClose: z.number().nullable(),
});
export const loopFiguresQuery = z.object({ under: z.string().optional() });
export const loopFigures = z.object({
  planId: z.string(),
  asOf: z.string(),
  under: z.string().nullable(),
  byUnit: z.array(figures),
  byCounty: z.array(figures),
  total: figures.omit({ name: true }),
});
export const sweepResult = z.object({
  checked: z.number().int(),
  dueSoon: z.number().int(),
  overdue: z.number().int(),
  escalated: z.number().int(),
  milestoneProblems: z.number().int(),
  notifications: z.number().int(),
});

// Inbox
export const inboxQuery = z.object({ unread: boolish.optional() });
export const inbox = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      problemId: z.number().int().nullable(),
      itemId: z.number().int().nullable(),
      message: localized,
      createdAt: z.string(),
      readAt: z.string().nullable(),
      emailedAt: z.string().nullable(),
    }),
  ),
});
export const emailBody = z.object({ email: z.string().max(320).nullable() });

export const taskFiguresQuery = z.object({ under: z.string().min(1).optional() });
export const taskFigures = z.object({
  planId: z.string(),
  asOf: z.string(),
  under: z.string().nullable(),
  byUnit: z.array(
    z.object({
      group: z.string(),
      name: z.string(),
      items: z.number().int(),
      cancelled: z.number().int(),
      milestones: z.number().int(),
      due: z.number().int(),
      metOnTime: z.number().int(),
      metLate: z.number().int(),
      overdue: z.number().int(),
      onTimeRate: z.number().nullable(),
    }),
  ),
});
