/**
 * `gongfu appraisal validate|score|freeze|publish|show|event …` and `gongfu survey import|demo`:
 * thin adapters over services/appraisal.ts, run as the local system.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { APPRAISAL_SUBJECTS, parseAppraisalSchemes, type AppraisalSubject } from '../domain/appraisal-scheme.js';
import { describeIssue } from '../domain/data.js';
import * as appraisal from '../services/appraisal.js';
import { SYSTEM_CONTEXT } from '../services/context.js';
import { UsageError } from './errors.js';
import { withCommandStore as withStore } from './store.js';

function subjectOf(text: string | undefined): AppraisalSubject {
  if (text === undefined) return 'county';
  if (!(APPRAISAL_SUBJECTS as readonly string[]).includes(text))
    throw new UsageError(`--subject is one of ${APPRAISAL_SUBJECTS.join(', ')}, not ${text}`);
  return text as AppraisalSubject;
}

const fixed = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));

/** The table a person reads: rank, change, unit, total ± SE, component points, bonus, deduction, note. */
function printTable(t: appraisal.AppraisalTable): void {
  const r = t.run;
  console.log(
    `${r.period} ${r.subject} appraisal, version ${r.version} (${r.published ? 'published' : r.frozen ? 'frozen' : 'draft'}), ` +
      `scheme ${r.scheme.id} v${r.scheme.version}${r.correctedFrom ? `, corrects run ${r.correctedFrom}: ${r.reason}` : ''}` +
      `${r.synthetic ? '  [示例数据 / synthetic survey data]' : ''}`,
  );
  for (const row of t.rows) {
    const components = (row.components as { code: string; points: number; score: number | null }[]).map(
      (c) => `${c.code} ${c.score === null ? '—' : c.points.toFixed(2)}`,
    );
    const below = (row.significance as { below?: { verdict: string } | null }).below;
    const mark = below?.verdict === 'tied' ? '=' : below?.verdict === 'within_uncertainty' ? '≈' : ' ';
    const change =
      row.rankChange === null
        ? '  '
        : row.rankChange > 0
          ? `↑${row.rankChange}`
          : row.rankChange < 0
            ? `↓${-row.rankChange}`
            : '→0';
    console.log(
      [
        String(row.rank).padStart(3),
        change.padEnd(3),
        row.orgUnit.padEnd(12),
        row.name.padEnd(6, '　'),
        `${fixed(row.total).padStart(7)} ±${fixed(row.se)}`,
        components.join(', '),
        `+${fixed(row.bonuses)} −${fixed(row.deductions)}`,
        mark,
      ].join('  '),
    );
  }
  console.log(
    '≈: within the uncertainty of the next one down (not a clear difference); =: tied; —: no data (the other components reweighted)',
  );
}

export function registerAppraisalCommands(program: Command): void {
  const a = program
    .command('appraisal')
    .description('appraisal (考核): schemes, scoring, events, freezing and publication');

  a.command('validate')
    .description('check an appraisal scheme file: every problem with its YAML path and line')
    .argument('<file>')
    .action(async (file: string) => {
      const r = parseAppraisalSchemes(await readFile(file, 'utf8'));
      if (!r.ok) {
        for (const p of r.problems) console.error(`${basename(file)}:${p.line}:${p.column} ${p.path}: ${p.message}`);
        throw new UsageError(`${r.problems.length} problem(s) in ${file}`);
      }
      for (const s of r.file.schemes)
        console.log(
          `${s.id} v${s.version} (${s.subject}, ${s.validFrom}–${s.validTo ?? ''}): ${s.components.length} components (` +
            `${s.components.map((c) => `${c.code} ${c.weight}`).join(', ')}), ${s.rules.length} rules`,
        );
    });

  a.command('score')
    .description('score a period under the scheme in force and store it as the next version (a draft)')
    .requiredOption('--period <period>', 'a quarter (2024Q4) or a year')
    .option('--subject <subject>', 'county (default) or department')
    .option('--reason <text>', 'why: needed once the period is published (the new version is a correction)')
    .option('--scheme <file>', 'the scheme file (default: appraisal.yaml beside the plan file)')
    .option('--json', 'JSON instead of a table')
    .action(
      async (
        opts: { period: string; subject?: string; reason?: string; scheme?: string; json?: boolean },
        cmd: Command,
      ) => {
        await withStore(cmd, async (store) => {
          const subject = subjectOf(opts.subject);
          const run = await appraisal.scorePeriod(store, SYSTEM_CONTEXT, {
            period: opts.period,
            subject,
            ...(opts.reason && { reason: opts.reason }),
            ...(opts.scheme && { schemeFile: opts.scheme }),
          });
          const table = await appraisal.viewPeriod(store, SYSTEM_CONTEXT, {
            period: opts.period,
            subject,
            version: run.version,
          });
          if (opts.json) console.log(JSON.stringify(table, null, 2));
          else printTable(table);
        });
      },
    );

  for (const step of ['freeze', 'publish'] as const)
    a.command(step)
      .description(
        step === 'freeze'
          ? 'freeze the latest version of a period: its numbers no longer change'
          : 'publish the latest version of a period (freezing it); published, it does not change',
      )
      .requiredOption('--period <period>', 'a quarter (2024Q4) or a year')
      .option('--subject <subject>', 'county (default) or department')
      .action(async (opts: { period: string; subject?: string }, cmd: Command) => {
        await withStore(cmd, async (store) => {
          const options = { period: opts.period, subject: subjectOf(opts.subject) };
          const run =
            step === 'freeze'
              ? await appraisal.freezePeriod(store, SYSTEM_CONTEXT, options)
              : await appraisal.publishPeriod(store, SYSTEM_CONTEXT, options);
          console.log(
            `${run.period} ${run.subject} appraisal version ${run.version}: ${step === 'freeze' ? 'frozen' : 'published'}`,
          );
        });
      });

  a.command('show')
    .description('the appraisal of a period (the latest published version, else the latest), or one unit’s breakdown')
    .requiredOption('--period <period>', 'a quarter (2024Q4) or a year')
    .option('--subject <subject>', 'county (default) or department')
    .option('--unit <code>', 'one unit’s breakdown')
    .option('--version <n>', 'a version')
    .option('--json', 'JSON instead of a table')
    .action(
      async (
        opts: { period: string; subject?: string; unit?: string; version?: string; json?: boolean },
        cmd: Command,
      ) => {
        await withStore(cmd, async (store) => {
          const version = opts.version === undefined ? undefined : Number(opts.version);
          if (version !== undefined && !(Number.isInteger(version) && version > 0))
            throw new UsageError(`--version is a whole number ≥ 1, not ${opts.version}`);
          const base = {
            period: opts.period,
            subject: subjectOf(opts.subject),
            ...(version !== undefined && { version }),
          };
          if (opts.unit) {
            console.log(
              JSON.stringify(await appraisal.viewUnit(store, SYSTEM_CONTEXT, { ...base, orgUnit: opts.unit }), null, 2),
            );
            return;
          }
          const table = await appraisal.viewPeriod(store, SYSTEM_CONTEXT, base);
          if (opts.json) console.log(JSON.stringify(table, null, 2));
          else printTable(table);
        });
      },
    );

  const e = a.command('event').description('bonus and deduction events with evidence and approval');
  e.command('add')
    .description('record an event (it counts once approved)')
    .requiredOption('--period <period>', 'a quarter (2024Q4) or a year')
    .requiredOption('--unit <code>', 'the county or department')
    .requiredOption('--rule <code>', 'a rule of the scheme in force, e.g. national_pilot')
    .requiredOption('--evidence <text>', 'a document number, a link')
    .option('--quantity <n>', 'how many (default 1)')
    .action(
      async (
        opts: { period: string; unit: string; rule: string; evidence: string; quantity?: string },
        cmd: Command,
      ) => {
        await withStore(cmd, async (store) => {
          const quantity = opts.quantity === undefined ? undefined : Number(opts.quantity);
          const ev = await appraisal.recordEvent(store, SYSTEM_CONTEXT, {
            period: opts.period,
            orgUnit: opts.unit,
            rule: opts.rule,
            evidence: opts.evidence,
            ...(quantity !== undefined && { quantity }),
          });
          console.log(
            `Recorded event ${ev.id}: ${ev.rule} ×${ev.quantity} for ${ev.orgUnit} in ${ev.period} (awaiting approval)`,
          );
        });
      },
    );
  for (const decision of ['approve', 'reject'] as const)
    e.command(decision)
      .description(`${decision} a recorded event`)
      .argument('<id>')
      .option('--note <text>', 'why')
      .action(async (id: string, opts: { note?: string }, cmd: Command) => {
        await withStore(cmd, async (store) => {
          const ev = await appraisal.decideEvent(store, SYSTEM_CONTEXT, Number(id), {
            approve: decision === 'approve',
            ...(opts.note && { note: opts.note }),
          });
          console.log(`Event ${ev.id}: ${ev.status}`);
        });
      });

  const s = program.command('survey').description('satisfaction surveys (满意度调查)');
  s.command('import')
    .description('import survey responses (CSV or XLSX: respondent, weight, unit, question, answer[, period])')
    .argument('<file>')
    .option('--period <period>', 'the period of every row (else a period column)')
    .option('--scale <min-max>', 'the answer scale (default 1-5)')
    .option('--partial', 'import the good rows and list the rejected ones')
    .action(async (file: string, opts: { period?: string; scale?: string; partial?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const content = await readFile(file);
        try {
          const r = await appraisal.importSurvey(store, SYSTEM_CONTEXT, basename(file), content, {
            ...(opts.period && { period: opts.period }),
            ...(opts.scale && { scale: appraisal.parseScale(opts.scale) }),
            partial: !!opts.partial,
          });
          console.log(`Imported ${r.imported} of ${r.rows} answer(s) from ${r.file}.`);
          for (const i of r.rejected) console.log(`  rejected: ${describeIssue(i, 'zh')} / ${describeIssue(i, 'en')}`);
        } catch (error) {
          const details = (error as { details?: unknown }).details;
          if (Array.isArray(details))
            for (const i of details) console.error(`  ${describeIssue(i, 'zh')} / ${describeIssue(i, 'en')}`);
          throw error;
        }
      });
    });
  s.command('demo')
    .description('import the synthetic demo survey (示例数据) of the counties for a period')
    .requiredOption('--period <period>', 'a quarter (2024Q4) or a year')
    .action(async (opts: { period: string }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const r = await appraisal.loadDemoSurvey(store, SYSTEM_CONTEXT, { period: opts.period });
        console.log(`Imported ${r.imported} synthetic answer(s) (示例数据) for ${opts.period}.`);
      });
    });
}
