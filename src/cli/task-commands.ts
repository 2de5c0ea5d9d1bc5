/** `gongfu tasks export --xlsx FILE` and `gongfu problems list [--overdue] | escalate`. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readConfig } from '../config.js';
import { SYSTEM_CONTEXT } from '../services/context.js';
import * as problems from '../services/problems.js';
import * as tasks from '../services/tasks.js';
import { openStore, storeOptionsFrom, type Store } from '../store/db.js';
import { migrate } from '../store/migrate.js';

/** Opens the configured store (global --data / --database-url), migrates, runs `work`, closes. */
async function withStore<T>(cmd: Command, work: (store: Store) => Promise<T>): Promise<T> {
  const g = cmd.optsWithGlobals<{ data?: string; databaseUrl?: string }>();
  const config = readConfig({
    ...process.env,
    ...(g.data !== undefined && { GONGFU_DATA: g.data }),
    ...(g.databaseUrl !== undefined && { DATABASE_URL: g.databaseUrl }),
  });
  const store = await openStore(storeOptionsFrom(config));
  try {
    await migrate(store.db);
    return await work(store);
  } finally {
    await store.close();
  }
}

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
    .description('problems not closed (or all), with status, unit, deadline and overdue days')
    .option('--overdue', 'only those past their deadline')
    .option('--all', 'closed ones too')
    .option('--json', 'JSON instead of a table')
    .action(async (opts: { overdue?: boolean; all?: boolean; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const list = await problems.listProblems(store, SYSTEM_CONTEXT, {
          ...(!opts.all && { status: ['open', 'assigned', 'rectifying', 'awaiting_verification'] }),
          ...(opts.overdue && { overdue: true }),
        });
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
