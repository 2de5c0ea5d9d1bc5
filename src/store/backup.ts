/**
 * Backup and restore of a whole Gongfu database, the same format for PGlite and PostgreSQL, so that a
 * backup of one restores into the other.
 *
 * The file is gzip'd JSON lines. The first line is a header: the format and its version, the store it
 * came from, the schema migrations applied (name and checksum) and the tables with their columns.
 * Then, table by table in foreign-key order, a line `{"$":"table",…}`, one line per row as
 * PostgreSQL's own `row_to_json` writes it (exact: floats in their shortest round-trip form,
 * timestamps to the microsecond, jsonb and arrays as JSON), and `{"$":"end","rows":N}`; last
 * `{"$":"complete"}`. JSON rather than per-table CSV because one reader (`json_populate_recordset`)
 * turns every column type back into itself on either store with no per-type code, and a row is one
 * line whatever text, arrays or JSON it holds. Sessions (`user_session`) are not written: they hold
 * live sign-in secrets; after a restore everyone signs in again.
 *
 * Restore is one transaction: the backup's schema is created by the backup's own migrations, the
 * rows are loaded, identity sequences moved past the largest id, the migrations this version has
 * and the backup has not are applied on top, and the row counts are checked. Any failure (a damaged
 * or truncated file, a constraint) rolls everything back. A backup from a newer schema is refused.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { Store } from './db.js';
import { loadMigrations } from './migrate.js';

export const BACKUP_FORMAT = 'gongfu-backup';
export const BACKUP_VERSION = 1;

/** Tables never written: live sign-in sessions (secrets, and worthless after a restore). */
const NOT_BACKED_UP = new Set(['user_session', 'schema_migration']);

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  source: Store['kind'];
  migrations: { name: string; checksum: string; appliedAt: string }[];
  tables: { name: string; columns: string[] }[];
}

export interface BackupSummary {
  file: string;
  migrations: number;
  tables: { name: string; rows: number }[];
}

/** A backup that cannot be restored, or a database it may not be restored into; the message says why. */
export class BackupError extends Error {
  override name = 'BackupError';
}

type Db = Kysely<Database> | Transaction<Database>;
const ident = (name: string) => sql.id(name);

interface TableInfo {
  name: string;
  /** Columns a restore writes (generated columns are computed again). */
  columns: string[];
  identity: string[];
  /** A foreign key to the table itself (a tree: task items and their parent): rows go parents first. */
  tree?: { column: string; references: string };
}

/** The public tables, parents before children (by foreign keys), with their writable columns. */
async function tablesInOrder(db: Db): Promise<TableInfo[]> {
  const tables = (
    await sql<{
      name: string;
    }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`.execute(db)
  ).rows.map((r) => r.name);
  const columns = (
    await sql<{ table_name: string; column_name: string; is_generated: string; is_identity: string }>`
      SELECT table_name, column_name, is_generated, is_identity FROM information_schema.columns
       WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`.execute(db)
  ).rows;
  const refs = (
    await sql<{ child: string; parent: string; column: string; references: string; n: number }>`
      SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
             a.attname AS column, r.attname AS references, array_length(c.conkey, 1) AS n
        FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
       WHERE c.contype = 'f' AND s.nspname = 'public'`.execute(db)
  ).rows;
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const r of refs) if (r.child !== r.parent) parents.get(r.child)?.add(r.parent);
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string) => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const p of parents.get(t) ?? []) visit(p);
    ordered.push(t);
  };
  tables.forEach(visit);
  return ordered.map((name) => {
    const own = columns.filter((c) => c.table_name === name);
    const self = refs.filter((r) => r.child === name && r.parent === name);
    if (self.length > 1 || self.some((r) => r.n !== 1))
      throw new BackupError(`table ${name} refers to itself in more than one column: not supported by backups`);
    return {
      name,
      columns: own.filter((c) => c.is_generated !== 'ALWAYS').map((c) => c.column_name),
      identity: own.filter((c) => c.is_identity === 'YES').map((c) => c.column_name),
      ...(self[0] && { tree: { column: self[0].column, references: self[0].references } }),
    };
  });
}

/**
 * Rows of a tree table, parents before their children, so that a restore inserting them in order
 * never meets a child whose parent is not there yet (ids need not follow the tree: an item moved).
 */
function parentsFirst(lines: string[], tree: NonNullable<TableInfo['tree']>): string[] {
  const rows = lines.map((line) => {
    const r = JSON.parse(line) as Record<string, unknown>;
    return { line, key: JSON.stringify(r[tree.references]), parent: r[tree.column] };
  });
  const keys = new Set(rows.map((r) => r.key));
  const placed = new Set<string>();
  const out: string[] = [];
  let pending = rows;
  while (pending.length > 0) {
    const next: typeof rows = [];
    for (const r of pending) {
      const p = r.parent === null || r.parent === undefined ? undefined : JSON.stringify(r.parent);
      if (p === undefined || !keys.has(p) || placed.has(p)) {
        out.push(r.line);
        placed.add(r.key);
      } else next.push(r);
    }
    if (next.length === pending.length) throw new BackupError('rows refer to each other in a cycle: cannot order them');
    pending = next;
  }
  return out;
}

/** Writes every row through `write`, read with a cursor so that a large table is never all in memory. */
async function readTable(trx: Transaction<Database>, table: TableInfo, write: (line: string) => Promise<void>) {
  if (table.tree) {
    // A tree table is read whole to order it (trees of task items are small).
    const all = (
      await sql<{ j: string }>`SELECT row_to_json(t)::text AS j FROM ${ident(table.name)} AS t`.execute(trx)
    ).rows.map((r) => r.j);
    const ordered = parentsFirst(all, table.tree);
    for (let i = 0; i < ordered.length; i += 5000) await write(ordered.slice(i, i + 5000).join('\n') + '\n');
    return ordered.length;
  }
  const cursor = `gongfu_backup_${table.name}`;
  await sql`DECLARE ${ident(cursor)} NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM ${ident(table.name)} AS t`.execute(
    trx,
  );
  let rows = 0;
  for (;;) {
    const batch = (await sql<{ j: string }>`FETCH 5000 FROM ${ident(cursor)}`.execute(trx)).rows;
    if (batch.length === 0) break;
    await write(batch.map((r) => r.j).join('\n') + '\n');
    rows += batch.length;
  }
  await sql`CLOSE ${ident(cursor)}`.execute(trx);
  return rows;
}

/**
 * Writes a backup of the whole database to `file` (written next to it and renamed when complete, so a
 * failed backup never leaves a file that looks whole). On PostgreSQL it is one consistent snapshot
 * taken while the server keeps running; PGlite's folder is one process's: stop the server first.
 */
export async function backupDatabase(store: Store, file: string): Promise<BackupSummary> {
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(partial);
  gzip.pipe(out);
  const write = async (text: string) => {
    if (!gzip.write(text)) await once(gzip, 'drain');
  };
  try {
    const summary = await store.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`SET TRANSACTION READ ONLY`.execute(trx);
        const migrations = (
          await sql<{ name: string; checksum: string; applied_at: string }>`
            SELECT name, checksum, applied_at::text FROM schema_migration ORDER BY name`.execute(trx)
        ).rows.map((m) => ({ name: m.name, checksum: m.checksum, appliedAt: m.applied_at }));
        const tables = (await tablesInOrder(trx)).filter((t) => !NOT_BACKED_UP.has(t.name));
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: new Date().toISOString(),
          source: store.kind,
          migrations,
          tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
        };
        await write(`${JSON.stringify(header)}\n`);
        const counted: BackupSummary['tables'] = [];
        for (const t of tables) {
          await write(`${JSON.stringify({ $: 'table', name: t.name })}\n`);
          const rows = await readTable(trx, t, write);
          await write(`${JSON.stringify({ $: 'end', name: t.name, rows })}\n`);
          counted.push({ name: t.name, rows });
        }
        await write(`${JSON.stringify({ $: 'complete' })}\n`);
        return { file, migrations: migrations.length, tables: counted };
      });
    gzip.end();
    await once(out, 'close');
    await rename(partial, file);
    return summary;
  } catch (error) {
    gzip.destroy();
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

/** The Gongfu tables in the database that hold rows, with their counts. */
async function rowsPresent(db: Db): Promise<{ name: string; rows: number }[]> {
  const present: { name: string; rows: number }[] = [];
  for (const t of await tablesInOrder(db)) {
    if (t.name === 'schema_migration') continue;
    const n = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${ident(t.name)}`.execute(db)).rows[0]!.n);
    if (n > 0) present.push({ name: t.name, rows: n });
  }
  return present;
}

/** Drops every object of the public schema that Gongfu's migrations create (tables, views, functions, types). */
async function dropSchemaObjects(trx: Transaction<Database>): Promise<void> {
  const views = (await sql<{ n: string }>`SELECT viewname AS n FROM pg_views WHERE schemaname = 'public'`.execute(trx))
    .rows;
  for (const v of views) await sql`DROP VIEW IF EXISTS ${ident(v.n)} CASCADE`.execute(trx);
  const tables = (
    await sql<{ n: string }>`SELECT tablename AS n FROM pg_tables WHERE schemaname = 'public'`.execute(trx)
  ).rows;
  for (const t of tables) await sql`DROP TABLE IF EXISTS ${ident(t.n)} CASCADE`.execute(trx);
  const functions = (
    await sql<{ n: string }>`
      SELECT p.oid::regprocedure::text AS n FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace
       WHERE s.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`.execute(
      trx,
    )
  ).rows;
  for (const f of functions) await sql.raw(`DROP FUNCTION IF EXISTS ${f.n} CASCADE`).execute(trx);
  const types = (
    await sql<{ n: string }>`
      SELECT t.typname AS n FROM pg_type t JOIN pg_namespace s ON s.oid = t.typnamespace
       WHERE s.nspname = 'public' AND t.typtype IN ('e', 'd')`.execute(trx)
  ).rows;
  for (const t of types) await sql`DROP TYPE IF EXISTS ${ident(t.n)} CASCADE`.execute(trx);
}

async function* lines(file: string): AsyncGenerator<string> {
  const source = createReadStream(file);
  const input = createGunzip();
  source.on('error', (error) => input.destroy(error)); // a missing file ends the reading with its error
  source.pipe(input);
  const reader = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of reader) if (line) yield line;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw error;
    throw new BackupError(
      `备份文件已损坏或不完整（${e.message}）；the backup file is damaged or incomplete (${e.code ?? e.message})`,
    );
  }
}

function parseLine(line: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new BackupError(
      `备份文件已损坏：${what}不是有效的JSON；the backup file is damaged: ${what} is not valid JSON`,
    );
  }
}

function checkHeader(header: Record<string, unknown>): BackupHeader {
  if (header.format !== BACKUP_FORMAT)
    throw new BackupError('该文件不是Gongfu备份文件；this is not a Gongfu backup file');
  if (typeof header.version !== 'number' || header.version > BACKUP_VERSION)
    throw new BackupError(
      `备份格式版本${String(header.version)}比本程序支持的版本${BACKUP_VERSION}新，请先升级Gongfu；` +
        `the backup format version ${String(header.version)} is newer than this Gongfu reads (${BACKUP_VERSION}): upgrade Gongfu first`,
    );
  return header as unknown as BackupHeader;
}

export interface RestoreOptions {
  /** Replace a database that already holds data (everything in it is dropped, in the same transaction). */
  replace?: boolean;
  /** Runs last inside the restore's transaction (to audit the restore in the restored trail). */
  finish?: (trx: Transaction<Database>, summary: RestoreSummary) => Promise<void>;
}

export interface RestoreSummary {
  migrationsFromBackup: number;
  /** Migrations of this version applied on top of an older backup. */
  upgradedWith: string[];
  tables: { name: string; rows: number }[];
}

/**
 * Restores a backup into the store: all or nothing. Refuses a database that holds data unless
 * `replace`, and a backup whose schema is newer than this version of Gongfu.
 */
export async function restoreDatabase(
  store: Store,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreSummary> {
  const local = await loadMigrations();
  const input = lines(file);
  try {
    const first = await input.next();
    if (first.done) throw new BackupError('备份文件为空；the backup file is empty');
    const header = checkHeader(parseLine(first.value, 'the first line'));

    // The backup's migrations must be the first of ours, the same files: otherwise its schema is newer.
    header.migrations.forEach((m, i) => {
      const ours = local[i];
      if (!ours || ours.name !== m.name)
        throw new BackupError(
          `该备份来自更新的数据库结构（迁移${m.name}在本版本中不存在），请先升级Gongfu再恢复；` +
            `this backup comes from a newer schema (migration ${m.name} is unknown to this version of Gongfu): upgrade Gongfu, then restore`,
        );
      if (ours.checksum !== m.checksum)
        throw new BackupError(
          `该备份的迁移${m.name}与本版本不同，无法恢复；migration ${m.name} of the backup differs from this version's: it cannot be restored here`,
        );
    });

    return await store.db.transaction().execute(async (trx) => {
      const present = (await tableExists(trx, 'schema_migration')) ? await rowsPresent(trx) : [];
      if (present.length > 0 && !options.replace)
        throw new BackupError(
          `目标数据库已有数据（${present.map((p) => `${p.name} ${p.rows}行`).join('，')}），请恢复到新的数据目录或空数据库，或使用 --replace 替换全部数据；` +
            `the database already holds data (${present.map((p) => `${p.name}: ${p.rows} rows`).join(', ')}): restore into a new data folder or an empty database, or pass --replace to replace everything in it`,
        );
      await dropSchemaObjects(trx);

      // The schema as the backup knew it.
      await sql`CREATE TABLE schema_migration (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`.execute(trx);
      for (const m of header.migrations) {
        await sql.raw(local.find((l) => l.name === m.name)!.sql).execute(trx);
        await sql`INSERT INTO schema_migration (name, checksum, applied_at) VALUES (${m.name}, ${m.checksum}, ${m.appliedAt}::timestamptz)`.execute(
          trx,
        );
      }
      const tables = new Map((await tablesInOrder(trx)).map((t) => [t.name, t]));

      const counts: RestoreSummary['tables'] = [];
      let current: { info: TableInfo; columns: string[]; rows: number; batch: string[]; bytes: number } | undefined;
      const flush = async () => {
        if (!current || current.batch.length === 0) return;
        const cols = current.columns.map((c) => ident(c));
        const overriding = current.info.identity.length > 0 ? sql`OVERRIDING SYSTEM VALUE` : sql``;
        await sql`INSERT INTO ${ident(current.info.name)} (${sql.join(cols)}) ${overriding}
                  SELECT ${sql.join(cols)} FROM json_populate_recordset(NULL::${ident(current.info.name)}, ${`[${current.batch.join(',')}]`}::json)`.execute(
          trx,
        );
        current.batch = [];
        current.bytes = 0;
      };
      let complete = false;
      for await (const line of input) {
        if (complete) throw new BackupError('备份文件在结束标记后还有内容；the backup file has content after its end');
        if (!line.startsWith('{"$":')) {
          if (!current)
            throw new BackupError(
              '备份文件已损坏：数据行不属于任何表；the backup file is damaged: a row outside any table',
            );
          current.batch.push(line);
          current.bytes += line.length;
          current.rows++;
          if (current.batch.length >= 2000 || current.bytes > 4_000_000) await flush();
          continue;
        }
        const mark = parseLine(line, 'a section line') as { $: string; name?: string; rows?: number };
        if (mark.$ === 'table') {
          const info = tables.get(String(mark.name));
          const declared = header.tables.find((t) => t.name === mark.name);
          if (!info || !declared)
            throw new BackupError(
              `备份中的表${String(mark.name)}在该结构中不存在；table ${String(mark.name)} of the backup is not in its schema`,
            );
          current = { info, columns: declared.columns, rows: 0, batch: [], bytes: 0 };
        } else if (mark.$ === 'end') {
          await flush();
          if (!current || current.info.name !== mark.name || current.rows !== mark.rows)
            throw new BackupError(
              `备份文件已损坏：表${String(mark.name)}的行数不符；the backup file is damaged: the row count of table ${String(mark.name)} does not match`,
            );
          counts.push({ name: current.info.name, rows: current.rows });
          current = undefined;
        } else if (mark.$ === 'complete') complete = true;
        else
          throw new BackupError(
            `备份文件已损坏：未知的段“${mark.$}”；the backup file is damaged: unknown section "${mark.$}"`,
          );
      }
      if (!complete || current)
        throw new BackupError(
          `备份文件不完整（在表${current?.info.name ?? counts.at(-1)?.name ?? '—'}处中断），未做任何更改；` +
            `the backup file is incomplete (it ends in table ${current?.info.name ?? counts.at(-1)?.name ?? '—'}); nothing was changed`,
        );

      const missing = header.tables.filter((t) => !counts.some((c) => c.name === t.name));
      if (missing.length > 0)
        throw new BackupError(
          `备份文件已损坏：缺少表${missing.map((t) => t.name).join('、')}；the backup file is damaged: table(s) ${missing.map((t) => t.name).join(', ')} are missing`,
        );

      // Identity columns continue after the largest restored id.
      for (const t of tables.values())
        for (const c of t.identity)
          await sql`SELECT setval(pg_get_serial_sequence(${t.name}, ${c}), coalesce((SELECT max(${ident(c)}) FROM ${ident(t.name)}), 0) + 1, false)`.execute(
            trx,
          );

      // A backup from an older version: this version's further migrations, in the same transaction.
      const upgradedWith: string[] = [];
      for (const m of local.slice(header.migrations.length)) {
        await sql.raw(m.sql).execute(trx);
        await sql`INSERT INTO schema_migration (name, checksum) VALUES (${m.name}, ${m.checksum})`.execute(trx);
        upgradedWith.push(m.name);
      }
      const summary = { migrationsFromBackup: header.migrations.length, upgradedWith, tables: counts };
      await options.finish?.(trx, summary);
      return summary;
    });
  } finally {
    await input.return(undefined); // closes the file when the restore stops early
  }
}

async function tableExists(db: Db, name: string): Promise<boolean> {
  const r = await sql<{ n: string | null }>`SELECT to_regclass(${`public.${name}`})::text AS n`.execute(db);
  return r.rows[0]!.n !== null;
}

/** Reads only a backup's header (for a summary before restoring). */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const input = lines(file);
  const first = await input.next();
  await input.return(undefined);
  if (first.done) throw new BackupError('备份文件为空；the backup file is empty');
  return checkHeader(parseLine(first.value, 'the first line'));
}
