/** `gongfu tasks export --xlsx FILE` and `gongfu problems list [--overdue] | escalate`. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SYSTEM_CONTEXT } from '../services/context.js';
import * as problems from '../services/problems.js';
import * as tasks from '../services/tasks.js';
import { withCommandStore as withStore } from './store.js';

export function registerTaskCommands(program: Command): void {
  const t = program.command('tasks').description('task lists: key tasks, breakthrough measures, reform requests');
  t.command('export')
    .description('write the three lists as an Excel workbook, one sheet per list')
    .requiredOption('--xlsx <file>', 'the workbook to write')
    .action(async (opts: { xlsx: string }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        await writeFile(opts.xlsx, await tasks.exportListsXlsx(store, SYSTEM_CONTEXT));
        const lists = await tasks.listTaskLists(store, SYSTEM_CONTEXT);
        console.log(`Wrote ${opts.xlsx}: ${lists.map((l) => `${l.label.zh} ${l.items}`).join('，')}`);
      });
    });

  const p = program.command('problems').description('problems (督办事项) and the closed loop');
  p.command('list')
    .description('problems not closed (or all), newest first, with status, unit, deadline and overdue days')
    .option('--overdue', 'only those past their deadline')
    .option('--all', 'closed ones too')
    .option('--limit <n>', 'at most this many (default: all)', (v) => {
      if (!/^\d+$/.test(v)) throw new Error(`--limit: "${v}" is not a whole number`);
      return Number(v);
    })
    .option('--json', 'JSON instead of a table')
    .action(async (opts: { overdue?: boolean; all?: boolean; limit?: number; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const query: problems.ProblemQuery = {
          ...(!opts.all && { status: ['open', 'assigned', 'rectifying', 'awaiting_verification'] }),
          ...(opts.overdue && { overdue: true }),
        };
        // The whole list, a page of up to 500 at a time; or the first --limit of them.
        const total = await problems.countProblems(store, SYSTEM_CONTEXT, query);
        const list: problems.ProblemView[] = [];
        for (let offset: number | null = 0; offset !== null && list.length < (opts.limit ?? total);) {
          const page = await problems.pageProblems(store, SYSTEM_CONTEXT, {
            ...query,
            offset,
            limit: Math.min(problems.MAX_PAGE_SIZE, (opts.limit ?? total) - list.length),
          });
          list.push(...page.items);
          offset = page.nextOffset;
        }
        if (opts.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        if (list.length === 0)
          console.log(opts.overdue ? '没有逾期问题 / no overdue problems' : '没有问题 / no problems');
        for (const x of list)
          console.log(
            [
              String(x.id).padStart(5),
              x.statusLabel.zh.padEnd(4, '　'),
              (x.assignedUnit ?? x.orgUnit).padEnd(12),
              (x.deadline?.slice(0, 10) ?? '—').padEnd(10),
              x.overdue ? `逾期${x.daysOverdue}天${x.escalationLevel ? ` 提级→${x.escalatedTo}` : ''}` : '',
              x.title,
            ].join('  '),
          );
        if (list.length < total)
          console.log(`…… 共${total}个，显示前${list.length}个 / ${list.length} of ${total} shown`);
      });
    });
  p.command('escalate')
    .description('send due-soon, overdue and escalation notices (each once) and open problems for missed milestones')
    .action(async (_opts: unknown, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const r = await problems.sweepProblems(store, SYSTEM_CONTEXT);
        console.log(
          `Checked ${r.checked} problem(s): ${r.dueSoon} due soon, ${r.overdue} overdue, ${r.escalated} escalation(s), ` +
            `${r.milestoneProblems} new milestone problem(s), ${r.notifications} notification(s).`,
        );
      });
    });
}
