/**
 * Reading org-unit files. Two CSV shapes, told apart by their header:
 * - regions:     code,name,level,parent,attributes   (attributes as `key=value;key=value`)
 * - departments: code,name_zh,name_en,kind,parent
 * Every bad row is reported with its line and the reason; nothing is half-read.
 */
import { readFile } from 'node:fs/promises';
import { orgUnitRow, type OrgUnitRow } from '../domain/org-unit.js';
import { parseCsv } from './csv.js';

export interface RowProblem {
  file: string;
  /** 1-based line in the file (the header is line 1). */
  line: number;
  column?: string;
  message: string;
}

export type OrgUnitReadResult = { ok: true; units: OrgUnitRow[] } | { ok: false; problems: RowProblem[] };

const REGION_HEADER = ['code', 'name', 'level', 'parent', 'attributes'];
const DEPARTMENT_HEADER = ['code', 'name_zh', 'name_en', 'kind', 'parent'];

function parseAttributes(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const part of text.split(';').filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `attribute "${part}" is not key=value`;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export function parseOrgUnits(text: string, file: string): OrgUnitReadResult {
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim()) ?? [];
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const isRegions = same(header, REGION_HEADER);
  if (!isRegions && !same(header, DEPARTMENT_HEADER)) {
    return {
      ok: false,
      problems: [
        {
          file,
          line: 1,
          message: `unknown header "${header.join(',')}": expected "${REGION_HEADER.join(',')}" (regions) or "${DEPARTMENT_HEADER.join(',')}" (departments)`,
        },
      ],
    };
  }
  const problems: RowProblem[] = [];
  const units: OrgUnitRow[] = [];
  const seen = new Set<string>();
  rows.slice(1).forEach((cells, i) => {
    const line = i + 2;
    if (cells.length === 1 && cells[0] === '') return; // a blank line
    if (cells.length !== header.length) {
      problems.push({ file, line, message: `has ${cells.length} fields, the header has ${header.length}` });
      return;
    }
    const get = (name: string) => (cells[header.indexOf(name)] ?? '').trim();
    let candidate: unknown;
    if (isRegions) {
      const attributes = parseAttributes(get('attributes'));
      if (typeof attributes === 'string') {
        problems.push({ file, line, column: 'attributes', message: attributes });
        return;
      }
      candidate = {
        code: get('code'),
        name: get('name'),
        kind: 'region',
        level: get('level'),
        parent: get('parent') || null,
        attributes,
      };
    } else {
      candidate = {
        code: get('code'),
        name: get('name_zh'),
        nameEn: get('name_en') || undefined,
        kind: get('kind'),
        level: 'department',
        parent: get('parent') || null,
      };
    }
    const parsed = orgUnitRow.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ file, line, column: String(issue.path[0] ?? ''), message: issue.message });
      return;
    }
    if (seen.has(parsed.data.code)) {
      problems.push({ file, line, column: 'code', message: `code ${parsed.data.code} appears twice` });
      return;
    }
    seen.add(parsed.data.code);
    units.push(parsed.data);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, units };
}

export async function readOrgUnitFile(file: string): Promise<OrgUnitReadResult> {
  return parseOrgUnits(await readFile(file, 'utf8'), file);
}
