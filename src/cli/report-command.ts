/** `gongfu report`: the assessment report of a year (HTML to print, or XLSX), or one county's scorecard. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SYSTEM_CONTEXT } from '../services/context.js';
import { assessmentReport, REPORT_FORMATS, type ReportFormat } from '../services/reports.js';
import { UsageError } from './errors.js';
import { withCommandStore as withStore } from './store.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('the assessment report of a year: print-ready HTML (A4) or an XLSX workbook; --org for one county')
    .requiredOption('--period <year>', 'the year assessed, e.g. 2024')
    .option('--org <code>', "one county's scorecard alone, e.g. 330782")
    .option('--format <html|xlsx>', 'html (default) or xlsx', 'html')
    .option('--lang <zh|en>', 'language', 'zh')
    .option('-o, --out <file>', 'file to write (default: gongfu-report-<year>[-<org>].<format>)')
    .action(
      async (opts: { period: string; org?: string; format: string; lang: string; out?: string }, cmd: Command) => {
        if (!(REPORT_FORMATS as readonly string[]).includes(opts.format))
          throw new UsageError('--format is html or xlsx');
        if (opts.lang !== 'zh' && opts.lang !== 'en' && opts.lang !== 'zh-CN')
          throw new UsageError('--lang is zh or en');
        await withStore(cmd, async (store) => {
          const started = performance.now();
          const r = await assessmentReport(store, SYSTEM_CONTEXT, {
            period: opts.period,
            org: opts.org,
            format: opts.format as ReportFormat,
            language: opts.lang === 'en' ? 'en' : 'zh',
          });
          const file = opts.out ?? r.fileName;
          await writeFile(file, r.body);
          const ms = performance.now() - started;
          console.log(
            `Wrote ${file}: ${r.model.scorecards.length} county scorecard(s), ${r.model.offTrack.length} off-track item(s), in ${(ms / 1000).toFixed(1)} s${r.model.synthetic ? ' (includes synthetic demo data / 含示例数据)' : ''}.`,
          );
        });
      },
    );
}
