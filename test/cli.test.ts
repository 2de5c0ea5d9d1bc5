/** The `gongfu` command as a user runs it: a real process, real files, a real port. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../src/ingest/plan.js';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/gongfu.js');
const JINHUA = join(ROOT, 'plans/jinhua-2021-2025/plan.yaml');

function gongfu(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('gongfu plan validate', () => {
  it('prints a one-line summary for the Jinhua plan', () => {
    const r = gongfu(['plan', 'validate', JINHUA]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(
      /^jinhua-2021-2025: 8 dimensions, 10 sections, 42 tasks, \d+ indicators \(.*\), \d+ targets \(.*level \d+.*\)$/m,
    );
  });

  it('prints each problem of a broken copy with its YAML path and line, and fails', async () => {
    const text = await readFile(JINHUA, 'utf8');
    const broken = text.replace('value: 75000', 'value: "much"').replace('dimension: ECOLOGY', 'dimension: OCEANS');
    const file = join(await mkdtemp(join(tmpdir(), 'gongfu-cli-')), 'plan.yaml');
    await writeFile(file, broken);
    const r = gongfu(['plan', 'validate', file]);
    expect(r.status).toBe(1);
    const lineOf = (needle: string) => broken.slice(0, broken.indexOf(needle)).split('\n').length;
    expect(r.stderr).toMatch(
      new RegExp(
        `${file}:${lineOf('value: "much"')}:\\d+ indicators\\[\\d+\\]\\.targets\\[0\\]\\.value: Invalid input: expected number, received string`,
      ),
    );
    expect(r.stderr).toMatch(
      new RegExp(
        `${file}:${lineOf('dimension: OCEANS')}:\\d+ indicators\\[\\d+\\]\\.dimension: unknown dimension OCEANS`,
      ),
    );
    expect(r.stderr).toContain('2 problem(s) found');
  });

  it('says in one sentence when the file does not exist', () => {
    const r = gongfu(['plan', 'validate', '/nonexistent/plan.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('gongfu: file not found: /nonexistent/plan.yaml');
  });
});

describe('gongfu commands', () => {
  it('have --help everywhere', () => {
    for (const args of [
      [],
      ['start'],
      ['serve'],
      ['db'],
      ['db', 'migrate'],
      ['plan'],
      ['plan', 'validate'],
      ['plan', 'import'],
      ['plan', 'export'],
      ['org', 'import'],
    ]) {
      const r = gongfu([...args, '--help']);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: gongfu');
    }
  });

  it('refuse a bad port and a bad DATABASE_URL with the name of the setting', () => {
    const port = gongfu(['--data', '/tmp/x', 'start', '--port', 'eighty']);
    expect(port.status).toBe(1);
    expect(port.stderr.trim()).toBe('gongfu: --port="eighty" is not valid: expected a port number 0–65535');
    const url = gongfu(['db', 'migrate'], { DATABASE_URL: 'mysql://x' });
    expect(url.status).toBe(1);
    expect(url.stderr.trim()).toBe(
      'gongfu: DATABASE_URL="mysql://x" is not valid: expected a postgres:// or postgresql:// URL',
    );
  });

  it('import, export and org import on the embedded database', async () => {
    const data = await mkdtemp(join(tmpdir(), 'gongfu-data-'));
    const imported = gongfu(['--data', data, 'plan', 'import', JINHUA]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/^Imported jinhua-2021-2025: .* 3496 org units, into the embedded database in /);
    const exported = gongfu(['--data', data, 'plan', 'export']);
    expect(exported.status).toBe(0);
    const original = parsePlan(await readFile(JINHUA, 'utf8'));
    const again = parsePlan(exported.stdout);
    if (!original.ok || !again.ok) throw new Error('plan invalid');
    expect(again.plan).toEqual(original.plan);
    const org = gongfu(['--data', data, 'org', 'import', join(ROOT, 'test/fixtures/mini-plan/org-units.csv')]);
    expect(org.stdout.trim()).toMatch(/^Imported 8 org units into the embedded database in /);
    const admin = gongfu(['--data', data, 'user', 'add', 'chief', '--admin', '--name', '共富办管理员']);
    expect(admin.stdout).toMatch(/^Added chief \(admin on 330700\)\.\nPassword \(shown once\): \S{16}\n$/);
    const noRole = gongfu(['--data', data, 'user', 'add', 'nobody']);
    expect(noRole.status).toBe(1);
    expect(noRole.stderr.trim()).toBe('gongfu: give the user a role: --admin or --grant ROLE:UNIT');
    const reporter = gongfu(['--data', data, 'user', 'add', 'yiwu-rep', '--grant', 'reporter:330782']);
    expect(reporter.status).toBe(0);
    const list = gongfu(['--data', data, 'user', 'list']);
    expect(list.stdout).toBe('chief\tadmin:330700\nyiwu-rep\treporter:330782\n');
  });
});

describe('gongfu start (the quick start)', () => {
  let child: ReturnType<typeof spawn> | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('initialises the database, loads the Jinhua plan and answers /api/v1/plan', async () => {
    const data = await mkdtemp(join(tmpdir(), 'gongfu-start-'));
    child = spawn(process.execPath, [BIN, 'start', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, GONGFU_DATA: data },
    });
    let out = '';
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const address = await new Promise<string>((resolve, reject) => {
      child!.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    expect(out).toMatch(/Initialised the embedded database in .* \(\d+ migration\(s\)\)\./);
    expect(out).toMatch(/Loaded jinhua-2021-2025: .*; 3496 org units\./);
    const plan = (await (await fetch(`${address}/api/v1/plan`)).json()) as { id: string; tasks: unknown[] };
    expect(plan.id).toBe('jinhua-2021-2025');
    expect(plan.tasks).toHaveLength(42);
    const counties = (await (await fetch(`${address}/api/v1/org-units?parent=330700`)).json()) as {
      items: { code: string; name: string }[];
    };
    expect(counties.items.map((c) => `${c.code} ${c.name}`)).toEqual([
      '330702 婺城区',
      '330703 金东区',
      '330723 武义县',
      '330726 浦江县',
      '330727 磐安县',
      '330781 兰溪市',
      '330782 义乌市',
      '330783 东阳市',
      '330784 永康市',
    ]);
    const city = (await (await fetch(`${address}/api/v1/org-units/330700`)).json()) as {
      subtree: Record<string, number>;
    };
    expect(city.subtree).toEqual({ city: 1, county: 9, town: 146, village: 3300, department: 40 });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
