/** The commands of `gongfu`. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { parsePort, type Config } from '../config.js';
import { buildApp } from '../http/app.js';
import { ensureWebBuilt } from '../http/web.js';
import { readPlanFile, summarizePlan } from '../ingest/plan.js';
import * as orgUnits from '../services/org-units.js';
import * as plans from '../services/plans.js';
import type { Store } from '../store/db.js';
import { findUserByName } from '../store/users.js';
import { countValues } from '../store/values.js';
import { loadDemo, loadDemoAppraisal, loadDemoLoop } from '../services/demo.js';
import { runEvaluation } from '../services/evaluation.js';
import { SYSTEM_CONTEXT } from '../services/context.js';
import * as users from '../services/users.js';
import { UsageError } from './errors.js';
import { registerDataCommands } from './data-commands.js';
import { registerEvaluateCommand } from './evaluate-command.js';
import { configOf, withCommandStore, withStore } from './store.js';

export const DEFAULT_PLAN_FILE = fileURLToPath(new URL('../../plans/jinhua-2021-2025/plan.yaml', import.meta.url));

const where = (config: Readonly<Config>) =>
  config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`;

function serverOptions(cmd: Command) {
  return cmd
    .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT'))
    .addOption(new Option('--host <host>', 'address to listen on').env('HOST'))
    .addOption(new Option('--plan <id>', 'the plan to serve (default: the most recently loaded)'));
}

/** Serves until SIGINT/SIGTERM, then closes the server and the database cleanly. */
async function serve(config: Readonly<Config>, store: Store, opts: { port?: string; host?: string; plan?: string }) {
  const port = opts.port !== undefined ? parsePort('--port', opts.port) : config.port;
  const host = opts.host ?? config.host;
  await ensureWebBuilt();
  const app = await buildApp({
    store,
    auth: config.auth,
    web: true,
    ...(opts.plan && { planId: opts.plan }),
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });
  await app.listen({ port, host });
  const address = app.server.address();
  const shownPort = typeof address === 'object' && address ? address.port : port;
  console.log(`Gongfu is serving on http://${host}:${shownPort}  (API docs: http://${host}:${shownPort}/api/docs)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
}

async function loadAndShowDemo(store: Store, planFile: string): Promise<void> {
  const started = Date.now();
  const planId = await plans.currentPlanId(store);
  const demo = await loadDemo(store, { planId, planFile, asOf: new Date() });
  console.log(
    `Loaded demo data (示例数据) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${demo.values} values ` +
      `(${demo.real} published figures with their sources, ${demo.synthetic} synthetic), ${demo.households} synthetic household records.`,
  );
  // The first evaluation, so that the overview opens at once (it would otherwise run on the first visit).
  const evaluated = Date.now();
  const { run } = await runEvaluation(store, SYSTEM_CONTEXT, { planId });
  console.log(
    `Evaluated the plan on the demo data in ${((Date.now() - evaluated) / 1000).toFixed(1)} s (run ${run.id}).`,
  );
  // The closed loop at county level (示例数据): milestones and seven-list problems of the evaluated year.
  const looped = Date.now();
  const loop = await loadDemoLoop(store, { planId, year: run.asOfYear, asOf: new Date() });
  console.log(
    `Loaded the demo loop (示例数据) in ${((Date.now() - looped) / 1000).toFixed(2)} s: ${loop.items} county items, ` +
      `${loop.milestones} milestones, ${loop.problems} problems with ${loop.events} events.`,
  );
  // The appraisal (考核) of the latest quarters, on the evaluation just made and a synthetic survey.
  const appraised = Date.now();
  const { periods } = await loadDemoAppraisal(store, { planId, asOf: new Date(), evaluatedYear: run.asOfYear });
  console.log(
    `Scored and published the demo appraisal (示例数据) of ${periods.join(', ')} in ${((Date.now() - appraised) / 1000).toFixed(1)} s.`,
  );
  if (demo.accounts.length === 0) return;
  console.log('Demo accounts (演示账号) — passwords are shown this once; they are marked as demo accounts:');
  for (const a of demo.accounts) console.log(`  ${a.username.padEnd(20)} ${a.password}   ${a.roles}`);
}

export function registerCommands(program: Command): void {
  serverOptions(
    program
      .command('start')
      .description('initialise the database if needed, load the default plan (Jinhua) and its org units, and serve'),
  )
    .addOption(new Option('--plan-file <file>', 'plan file to load').default(DEFAULT_PLAN_FILE, 'the Jinhua plan'))
    .option('--no-demo', 'do not fill an empty database with demo data and demo accounts')
    .action(
      async (opts: { port?: string; host?: string; plan?: string; planFile: string; demo: boolean }, cmd: Command) => {
        const config = configOf(cmd);
        await withStore(config, async (store, applied) => {
          if (applied.length > 0) console.log(`Initialised ${where(config)} (${applied.length} migration(s)).`);
          const loaded = await plans.importPlanIfChanged(store, opts.planFile);
          if (loaded) console.log(`Loaded ${loaded.summary}; ${loaded.orgUnits} org units.`);
          if (opts.demo && (await countValues(store.db)) === 0) await loadAndShowDemo(store, opts.planFile);
          await serve(config, store, opts);
        });
      },
    );

  serverOptions(program.command('serve').description('serve the database as it is (no loading)')).action(
    async (opts: { port?: string; host?: string; plan?: string }, cmd: Command) => {
      const config = configOf(cmd);
      await withStore(config, async (store) => {
        await plans.currentPlanId(store, opts.plan);
        await serve(config, store, opts);
      });
    },
  );

  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('apply the migrations that are missing')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = configOf(cmd);
      await withStore(config, async (_store, applied) => {
        console.log(
          applied.length ? `Applied ${applied.join(', ')} to ${where(config)}.` : `${where(config)} is up to date.`,
        );
      });
    });

  const plan = program.command('plan').description('plan files: validate, import, export');
  plan
    .command('validate')
    .argument('<file>', 'plan file (YAML)')
    .description('check a plan file; print every problem with its YAML path and line')
    .action(async (file: string) => {
      const result = await readPlanFile(file);
      if (result.ok) {
        console.log(summarizePlan(result.plan));
        return;
      }
      for (const p of result.problems) console.error(`${file}:${p.line}:${p.column} ${p.path}: ${p.message}`);
      console.error(`${result.problems.length} problem(s) found; the plan is not valid.`);
      process.exitCode = 1;
    });
  plan
    .command('import')
    .argument('<file>', 'plan file (YAML)')
    .description('load a plan and the org units it names into the database (replaces a plan of the same id)')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const config = configOf(cmd);
      await withStore(config, async (store) => {
        const result = await plans.importPlan(store, file);
        console.log(`Imported ${result.summary}; ${result.orgUnits} org units, into ${where(config)}.`);
      });
    });
  plan
    .command('export')
    .description('write a stored plan as YAML')
    .option('--plan <id>', 'plan id (default: the most recently loaded)')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(async (opts: { plan?: string; out?: string }, cmd: Command) => {
      await withStore(configOf(cmd), async (store) => {
        const yaml = await plans.exportPlanYaml(store, await plans.currentPlanId(store, opts.plan));
        if (opts.out) await writeFile(opts.out, yaml);
        else process.stdout.write(yaml);
      });
    });

  const org = program.command('org').description('org units (regions and departments)');
  org
    .command('import')
    .argument(
      '<file>',
      'CSV of regions (code,name,level,parent,attributes) or departments (code,name_zh,name_en,kind,parent)',
    )
    .description('add or update org units from a CSV file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const config = configOf(cmd);
      await withStore(config, async (store) => {
        const { imported } = await orgUnits.importOrgUnitsFile(store, file);
        console.log(`Imported ${imported} org units into ${where(config)}.`);
      });
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseGrant(text: string): { role: string; unit: string } {
  const [role, unit, ...rest] = text.split(':');
  if (!role || !unit || rest.length) throw new UsageError(`a grant is ROLE:UNIT, e.g. reporter:330782 (got "${text}")`);
  return { role, unit };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerDataAndUserCommands(program: Command): void {
  registerDataCommands(program, withCommandStore);
  registerEvaluateCommand(program, withCommandStore);
  registerUserCommands(program);
}

function registerUserCommands(program: Command): void {
  const user = program.command('user').description('user accounts and their roles');
  user
    .command('add')
    .argument('<username>', 'the sign-in name')
    .description('add a user; a generated password is printed once')
    .option('--admin', 'administrator of the whole plan (its root org unit)')
    .option('--grant <role:unit>', 'a role on an org unit, e.g. reporter:330782 (repeatable)', collect, [])
    .option('--name <display name>', 'the name shown in the interface')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(
      async (
        username: string,
        opts: { admin?: boolean; grant: string[]; name?: string; passwordStdin?: boolean },
        cmd: Command,
      ) => {
        await withStore(configOf(cmd), async (store) => {
          const grants = opts.grant.map(parseGrant);
          if (opts.admin) {
            const root = (await plans.getPlanSummary(store, await plans.currentPlanId(store))).rootOrgUnit;
            grants.push({ role: 'admin', unit: root });
          }
          if (grants.length === 0) throw new UsageError('give the user a role: --admin or --grant ROLE:UNIT');
          const password = opts.passwordStdin ? await readStdin() : undefined;
          const result = await users.addUser(store, SYSTEM_CONTEXT, {
            username,
            grants,
            ...(opts.name !== undefined && { displayName: opts.name }),
            ...(password !== undefined && { password }),
          });
          const roles = result.user.grants.map((g) => `${g.role} on ${g.unit}`).join(', ');
          console.log(`Added ${username} (${roles}).`);
          if (!opts.passwordStdin) console.log(`Password (shown once): ${result.password}`);
        });
      },
    );
  user
    .command('grant')
    .argument('<username>')
    .argument('<role:unit>', 'e.g. approver:330782')
    .description('give a user a role on an org unit')
    .action(async (username: string, grant: string, _opts: unknown, cmd: Command) => {
      await withStore(configOf(cmd), async (store) => {
        const { role, unit } = parseGrant(grant);
        await users.grantRole(store, SYSTEM_CONTEXT, await userId(store, username), role, unit);
        console.log(`Granted ${role} on ${unit} to ${username}.`);
      });
    });
  user
    .command('unlock')
    .argument('<username>')
    .description('lift a lock-out after failed sign-ins')
    .action(async (username: string, _opts: unknown, cmd: Command) => {
      await withStore(configOf(cmd), async (store) => {
        const root = (await plans.getPlanSummary(store, await plans.currentPlanId(store))).rootOrgUnit;
        await users.unlockUser(store, SYSTEM_CONTEXT, await userId(store, username), root);
        console.log(`Unlocked ${username}.`);
      });
    });
  user
    .command('list')
    .description('list users and their roles')
    .action(async (_opts: unknown, cmd: Command) => {
      await withStore(configOf(cmd), async (store) => {
        const root = (await plans.getPlanSummary(store, await plans.currentPlanId(store))).rootOrgUnit;
        for (const u of await users.listUsers(store, SYSTEM_CONTEXT, root)) {
          const flags = [u.demo && 'demo', u.disabled && 'disabled', u.locked && 'locked'].filter(Boolean).join(', ');
          const roles = u.grants.map((g) => `${g.role}:${g.unit}`).join(' ');
          console.log(`${u.username}\t${roles}${flags ? `\t(${flags})` : ''}`);
        }
      });
    });
}

async function userId(store: Store, username: string): Promise<number> {
  const found = await findUserByName(store.db, username);
  if (!found) throw new UsageError(`there is no user ${username}`);
  return found.id;
}
