/**
 * `almanac backup DIR` and `almanac restore DIR` (issue #19). SQLite: an online, consistent copy
 * taken while servers keep running and writing (store/sqlite/backup.ts), checked on the way back
 * (SHA-256 of every file, integrity_check, schema version) and never written over a store that
 * holds data unless --force. PostgreSQL: pg_dump and pg_restore do this job well, so these
 * commands print how to use them instead of pretending (docs/DEPLOY.md has the same lines).
 */
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { postgresUrl } from '../store/database-url.js';
import { backupSqlite, checkSqliteBackup } from '../store/sqlite/backup.js';
import { STORE_OPTIONS, storeLocation, type StoreLocation } from './args.js';
import { KEY_FILE, STORE_FILE, readBackup, writeManifest } from './backup-set.js';
import type { Command, CommandIo } from './command.js';
import { CliError } from './errors.js';
import { describeStore, openStoreAt } from './store.js';

const PG_BACKUP = [
  'PostgreSQL stores are backed up with pg_dump, which takes a consistent snapshot while Almanac runs:',
  '  pg_dump --format=custom --file=almanac.dump "$ALMANAC_DATABASE"',
  'and restored, with every Almanac node stopped, into an empty database:',
  '  pg_restore --clean --if-exists --no-owner --dbname="$ALMANAC_DATABASE" almanac.dump',
  `Keep the server key with it: ALMANAC_SECRET_KEY (several nodes) or DATA_DIR/${KEY_FILE}.`,
];

/** The SQLite file of a location that is not PostgreSQL (null when it is). */
function sqliteFile(location: StoreLocation): string | null {
  if (postgresUrl(location.database)) return null;
  const db = location.database;
  return db?.startsWith('sqlite:') ? db.slice('sqlite:'.length) : join(location.dataDir, STORE_FILE);
}

function postgresGuidance(io: CommandIo, command: string): never {
  PG_BACKUP.forEach((line) => io.err(line));
  throw new CliError(`'${command}' copies SQLite stores only; use pg_dump / pg_restore as shown above`);
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** Copy `from` to `to` with `mode`, on disk before the call returns. */
function copyDurably(from: string, to: string, mode: number): void {
  copyFileSync(from, to);
  chmodSync(to, mode);
  const fd = openSync(to, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const backup: Command = {
  name: 'backup',
  args: ['DIR'],
  summary: 'copy the store (online, consistent) and the server key into the new directory DIR',
  details:
    'SQLite only; a running server keeps working meanwhile. For PostgreSQL it prints the pg_dump command to use.',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const location = storeLocation(args);
    const source = sqliteFile(location);
    if (source === null) return postgresGuidance(io, 'backup');
    if (!existsSync(source)) throw new CliError(`no store to back up at ${source}`);
    const target = args.positionals[0] ?? '';
    if (!isEmptyDir(target)) throw new CliError(`${target} exists and is not empty; name a new directory`);
    mkdirSync(target, { recursive: true, mode: 0o700 });
    const info = await backupSqlite(source, join(target, STORE_FILE));
    chmodSync(join(target, STORE_FILE), 0o600);
    const files = [STORE_FILE];
    const key = join(location.dataDir, KEY_FILE);
    if (existsSync(key)) {
      copyDurably(key, join(target, KEY_FILE), 0o600);
      files.push(KEY_FILE);
    } else io.err(`almanac: no ${key}; if the server key is in ALMANAC_SECRET_KEY, keep that with the backup`);
    writeManifest(target, info.schemaVersion, files);
    const bytes = statSync(join(target, STORE_FILE)).size;
    io.out(`Backed up ${describeStore(location)} to ${target} (schema ${info.schemaVersion}, ${bytes} bytes)`);
    return 0;
  },
};

/** Put the backup's store file in place of `target`: a temporary copy, then one rename. */
function replaceStoreFile(backupFile: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.restoring`;
  copyDurably(backupFile, temporary, 0o600);
  // A WAL or shared-memory file of the store being replaced must not be applied to the copy.
  for (const leftover of [`${target}-wal`, `${target}-shm`, `${target}-journal`]) rmSync(leftover, { force: true });
  renameSync(temporary, target);
}

export const restore: Command = {
  name: 'restore',
  args: ['DIR'],
  summary: 'put a backup made by `almanac backup` in place (stop the server first)',
  details:
    'Checks the backup (SHA-256 of each file, integrity_check, schema version) and refuses a data directory or store file that holds anything unless --force.',
  options: {
    ...STORE_OPTIONS,
    force: { type: 'boolean', description: 'replace the store (and server key) that is there' },
  },
  async run(args, io) {
    const location = storeLocation(args);
    const target = sqliteFile(location);
    if (target === null) return postgresGuidance(io, 'restore');
    const dir = args.positionals[0] ?? '';
    const manifest = readBackup(dir);
    const checked = checkSqliteBackup(join(dir, STORE_FILE));
    if ('error' in checked) throw new CliError(`${join(dir, STORE_FILE)}: ${checked.error}`);
    const occupied = location.database === undefined ? !isEmptyDir(location.dataDir) : existsSync(target);
    if (occupied && !args.flag('force'))
      throw new CliError(
        `${location.database === undefined ? location.dataDir : target} is not empty; use --force to replace it`,
      );
    replaceStoreFile(join(dir, STORE_FILE), target);
    if (KEY_FILE in manifest.files) {
      mkdirSync(location.dataDir, { recursive: true, mode: 0o700 });
      copyDurably(join(dir, KEY_FILE), join(location.dataDir, KEY_FILE), 0o600);
    }
    // Opening migrates a copy from an older Almanac to this one's schema, and proves it opens.
    const store = await openStoreAt(location);
    await store.close();
    io.out(
      `Restored ${dir} (taken ${manifest.takenAt}, schema ${checked.ok.schemaVersion}) to ${describeStore(location)}`,
    );
    return 0;
  },
};
