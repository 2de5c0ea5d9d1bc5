/** `gongfu data …` and `gongfu microdata …`: templates, imports with a progress bar, exports. */
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { describeIssue, type Issue } from '../domain/data.js';
import { EXCHANGE_FORMATS, type ExchangeFormat } from '../exchange/index.js';
import type { ReadProgress } from '../ingest/values-csv.js';
import { SYSTEM_CONTEXT } from '../services/context.js';
import { AppError } from '../services/errors.js';
import * as imports from '../services/imports.js';
import { importHouseholdsFile } from '../services/microdata.js';
import type { Store } from '../store/db.js';
import { UsageError } from './errors.js';

type WithStore = <T>(cmd: Command, work: (store: Store) => Promise<T>) => Promise<T>;

/** A progress bar on standard error, when it is a terminal (and a final line either way). */
function progressBar(total: number): { update(p: ReadProgress): void; done(): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (!tty || now - last < 100) return;
      last = now;
      const share = total > 0 ? Math.min(1, p.bytes / total) : 0;
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${p.rows.toLocaleString('en')} rows`,
      );
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

function printIssues(issues: readonly Issue[], max = 50): void {
  for (const i of issues.slice(0, max)) console.error(`  ${describeIssue(i, 'zh')}  |  ${describeIssue(i, 'en')}`);
  if (issues.length > max) console.error(`  … and ${issues.length - max} more`);
}

export function registerDataCommands(program: Command, withStore: WithStore): void {
  const data = program.command('data').description('figures: Excel templates, imports and exports');

  data
    .command('template')
    .description("write the reporter's Excel template for an org unit and period")
    .requiredOption('--org <code>', 'org unit code, e.g. 330782')
    .requiredOption('--period <period>', 'period, e.g. 2024, 2024Q3, 202407')
    .option('--lang <zh|en>', 'language of the workbook', 'zh')
    .option('-o, --out <file>', 'file to write (default: <org>-<period>.xlsx)')
    .action(async (opts: { org: string; period: string; lang: string; out?: string }, cmd: Command) => {
      if (opts.lang !== 'zh' && opts.lang !== 'en') throw new UsageError('--lang is zh or en');
      await withStore(cmd, async (store) => {
        const t = await imports.templateWorkbook(
          store,
          SYSTEM_CONTEXT,
          opts.org,
          opts.period,
          opts.lang as 'zh' | 'en',
        );
        const file = opts.out ?? t.fileName;
        await writeFile(file, t.buffer);
        console.log(`Wrote ${file}`);
      });
    });

  data
    .command('import')
    .argument('<file>', 'a filled template or value sheet (.xlsx), or a long or wide CSV')
    .description('import figures: all or nothing, or with --partial the good rows and a file of the rejected ones')
    .option('--partial', 'import the good rows; write the rejected ones to <file>.rejected.csv')
    .option('--format <open-sdg|sdmx|dhis2>', 'an exchange format (default: told from the file)')
    .option('--mapping <file>', "CSV or JSON mapping of the other system's ids to Gongfu codes (DHIS2 uids)")
    .option('--indicator <code>', 'Open SDG: the indicator of the file (default: from indicator_<code>.csv)')
    .action(
      async (
        file: string,
        opts: { partial?: boolean; format?: string; mapping?: string; indicator?: string },
        cmd: Command,
      ) => {
        if (opts.format !== undefined && !(EXCHANGE_FORMATS as readonly string[]).includes(opts.format))
          throw new UsageError(`--format is one of ${EXCHANGE_FORMATS.join(', ')}`);
        await withStore(cmd, async (store) => {
          const fileName = basename(file);
          const handle = await open(file, 'r');
          const head = Buffer.alloc(4096);
          const { bytesRead } = await handle.read(head, 0, 4096, 0);
          await handle.close();
          const mapping = opts.mapping
            ? imports.readMapping(await readFile(opts.mapping, 'utf8'), basename(opts.mapping))
            : undefined;
          const probe = imports.importSourceFor(fileName, head.subarray(0, bytesRead), {
            format: opts.format as ExchangeFormat | undefined,
          });
          const kind = probe.kind;
          const bar = progressBar((await stat(file)).size);
          const started = Date.now();
          let result: imports.ImportResult;
          try {
            result = await imports.importValues(
              store,
              SYSTEM_CONTEXT,
              fileName,
              kind === 'exchange'
                ? imports.importSourceFor(fileName, await readFile(file), {
                    format: probe.format,
                    mapping,
                    indicator: opts.indicator,
                  })
                : kind === 'xlsx'
                  ? { kind, buffer: await readFile(file) }
                  : { kind, source: createReadStream(file) },
              { partial: !!opts.partial, progress: (p) => bar.update(p) },
            );
          } catch (error) {
            bar.done();
            if (error instanceof AppError && Array.isArray(error.details)) {
              console.error(`gongfu: ${error.message}`);
              printIssues(error.details as Issue[]);
              process.exitCode = 1;
              return;
            }
            throw error;
          }
          bar.done();
          const seconds = (Date.now() - started) / 1000;
          console.log(
            `Imported ${fileName}: ${result.saved.toLocaleString('en')} values (${result.changed.toLocaleString('en')} changed) in ${seconds.toFixed(1)} s.`,
          );
          if (result.rejected.length > 0) {
            const out = `${file}.rejected.csv`;
            await writeFile(out, imports.rejectedCsv(result.rejected));
            console.log(`${result.rejected.length} row(s) rejected; see ${out}`);
          }
          if (result.warnings.length > 0) {
            console.log(
              `${result.warnings.length} unusual value(s) saved as drafts; confirm them with a comment before submitting:`,
            );
            printIssues(result.warnings, 20);
          }
        });
      },
    );

  data
    .command('export')
    .description(
      'export figures (long CSV on standard output by default) with status, vintage, source and the synthetic mark',
    )
    .option('--org <code>', 'only this org unit and its subtree')
    .option('--period <period>', 'only this period')
    .option('--indicator <code>', 'only this indicator')
    .option('--format <csv|xlsx|open-sdg|sdmx|dhis2>', 'csv (default), xlsx, or an exchange format', 'csv')
    .option('--mapping <file>', "exchange formats: write the other system's ids from this mapping file")
    .option('-o, --out <file>', 'write to a file (required for xlsx; a folder for open-sdg with several indicators)')
    .action(
      async (
        opts: { org?: string; period?: string; indicator?: string; format: string; out?: string; mapping?: string },
        cmd: Command,
      ) => {
        const exchange = (EXCHANGE_FORMATS as readonly string[]).includes(opts.format);
        if (opts.format !== 'csv' && opts.format !== 'xlsx' && !exchange)
          throw new UsageError(`--format is csv, xlsx, ${EXCHANGE_FORMATS.join(', ')}`);
        if (opts.format === 'xlsx' && !opts.out) throw new UsageError('an xlsx export needs --out FILE');
        await withStore(cmd, async (store) => {
          const q = { within: opts.org, period: opts.period, indicator: opts.indicator };
          if (exchange) {
            const mapping = opts.mapping
              ? imports.readMapping(await readFile(opts.mapping, 'utf8'), basename(opts.mapping))
              : undefined;
            const files = await imports.exportExchange(store, SYSTEM_CONTEXT, opts.format as ExchangeFormat, q, {
              mapping,
            });
            if (files.length === 1 && !opts.out) {
              process.stdout.write(files[0]!.content);
              return;
            }
            if (files.length === 1) {
              await writeFile(opts.out!, files[0]!.content);
              console.log(`Wrote ${opts.out}`);
              return;
            }
            // Open SDG: one file per indicator, in a folder.
            const dir = opts.out ?? '.';
            await mkdir(dir, { recursive: true });
            for (const f of files) await writeFile(join(dir, f.name), f.content);
            console.log(`Wrote ${files.length} files to ${dir}`);
            return;
          }
          if (opts.format === 'xlsx') {
            await writeFile(opts.out!, await imports.exportValuesXlsx(store, SYSTEM_CONTEXT, q));
            console.log(`Wrote ${opts.out}`);
            return;
          }
          const csv = await imports.exportValuesCsv(store, SYSTEM_CONTEXT, q);
          if (opts.out) await writeFile(opts.out, csv);
          else process.stdout.write(csv);
        });
      },
    );

  const microdata = program.command('microdata').description('household survey microdata');
  microdata
    .command('import')
    .argument('<file>', 'CSV: household_id,org_unit,year,urban_rural,size,disposable_income,weight')
    .option('--partial', 'import the good rows and list the rejected ones')
    .description('import household records (replacing those with the same year and household id)')
    .action(async (file: string, opts: { partial?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        try {
          const r = await importHouseholdsFile(store, SYSTEM_CONTEXT, file, { partial: !!opts.partial });
          console.log(`Imported ${r.imported} household records (${r.changed} changed).`);
          if (r.rejected.length) {
            console.log(`${r.rejected.length} row(s) rejected:`);
            printIssues(r.rejected);
          }
        } catch (error) {
          if (error instanceof AppError && Array.isArray(error.details)) {
            console.error(`gongfu: ${error.message}`);
            printIssues(error.details as Issue[]);
            process.exitCode = 1;
            return;
          }
          throw error;
        }
      });
    });
}
