/**
 * Problems (交办整改) as far as the leaders' pages need them: counts of open and overdue ones, and
 * the ones linked to an indicator or a unit. Reads GET /problems when the server has it; until then
 * (404) the pages show "—" rather than a zero that would not be true.
 */
import { api, ApiError } from './api';

export interface ProblemLite {
  id: number;
  title: string;
  status: string;
  statusLabel: { zh: string; en: string } | null;
  orgUnit: string | null;
  /** The unit (department or region) answering for it, and its name. */
  assignedUnit: string | null;
  assignedUnitName: string | null;
  indicator: string | null;
  deadline: string | null;
  overdue: boolean;
}

/** The end of the workflow (src/domain/problem-workflow.ts: open → assigned → rectifying → awaiting_verification → closed). */
const CLOSED = new Set(['closed']);

function normalise(raw: Record<string, unknown>): ProblemLite {
  const deadline = (raw.deadline ?? raw.dueAt ?? raw.due_at ?? null) as string | null;
  const status = String(raw.status ?? raw.state ?? '');
  const open = !CLOSED.has(status);
  return {
    id: Number(raw.id),
    title: String(raw.title ?? ''),
    status,
    statusLabel: (raw.statusLabel ?? null) as { zh: string; en: string } | null,
    orgUnit: (raw.orgUnit ?? raw.org_unit ?? null) as string | null,
    assignedUnit: (raw.assignedUnit ?? raw.assigned_unit ?? null) as string | null,
    assignedUnitName: (raw.assignedUnitName ?? raw.assignedUnit ?? null) as string | null,
    indicator: (raw.indicator ?? null) as string | null,
    deadline,
    overdue:
      typeof raw.overdue === 'boolean' ? raw.overdue : open && !!deadline && new Date(deadline).getTime() < Date.now(),
  };
}

/** The problems matching the filter, or null when the server has no problems API yet. */
export async function fetchProblems(
  query: { indicator?: string; orgUnit?: string } = {},
): Promise<ProblemLite[] | null> {
  try {
    // GET /problems answers a page at a time (500 at most): read them all.
    const items: Record<string, unknown>[] = [];
    for (let offset: number | null = 0; offset !== null;) {
      const r: { items: Record<string, unknown>[]; nextOffset?: number | null } = await api.get('/problems', {
        ...query,
        limit: 500,
        offset,
      });
      items.push(...r.items);
      offset = r.nextOffset ?? null;
    }
    return items
      .map(normalise)
      .filter(
        (p) =>
          (!query.indicator || p.indicator === query.indicator) &&
          (!query.orgUnit || (p.orgUnit ?? '').startsWith(query.orgUnit)),
      );
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}
